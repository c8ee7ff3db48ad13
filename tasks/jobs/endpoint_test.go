package jobs_test

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"stepwise/jsonval"
	"stepwise/tasks"
	"stepwise/tasks/jobs"
	"stepwise/tasks/sdk"
)

// fakeAWS is an HTTP server answering AWS JSON 1.1 actions (by
// X-Amz-Target) and REST paths (by "METHOD /path") with the bodies a
// test gives, as the service's API reference documents them.
type fakeAWS struct {
	URL string

	mu    sync.Mutex
	calls []string       // "TARGET BODY" or "METHOD /path BODY", in order
	count map[string]int // calls by key
	// answer gives the status and body for the nth call (1-based) of
	// key.
	answer func(key string, n int) (int, string)
	seen   chan string // each key as it is called, when not nil
}

func newFakeAWS(t *testing.T, answer func(key string, n int) (int, string)) *fakeAWS {
	t.Helper()
	f := &fakeAWS{count: map[string]int{}, answer: answer, seen: make(chan string, 100)}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(io.LimitReader(r.Body, 1<<20))
		key := r.Header.Get("X-Amz-Target")
		if key == "" {
			key = r.Method + " " + r.URL.Path
		}
		f.mu.Lock()
		f.calls = append(f.calls, key+" "+string(body))
		f.count[key]++
		n := f.count[key]
		f.mu.Unlock()
		select {
		case f.seen <- key:
		default:
		}
		status, out := f.answer(key, n)
		if r.Header.Get("X-Amz-Target") != "" {
			w.Header().Set("Content-Type", "application/x-amz-json-1.1")
		} else {
			w.Header().Set("Content-Type", "application/json")
		}
		w.WriteHeader(status)
		io.WriteString(w, out)
	}))
	t.Cleanup(srv.Close)
	f.URL = srv.URL
	return f
}

func (f *fakeAWS) keys() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	var out []string
	for _, c := range f.calls {
		k, _, _ := strings.Cut(c, " {")
		out = append(out, k)
	}
	return out
}

func (f *fakeAWS) call(i int) string {
	f.mu.Lock()
	defer f.mu.Unlock()
	if i >= len(f.calls) {
		return ""
	}
	return f.calls[i]
}

// onEndpoint returns an Invoker whose job integrations call the services
// at f through the real SDK clients (tasks/sdk), as stepwise does with
// --aws-endpoint SERVICE=URL.
func onEndpoint(t *testing.T, f *fakeAWS, services ...string) *jobs.Invoker {
	t.Helper()
	tr := &http.Transport{}
	t.Cleanup(tr.CloseIdleConnections)
	eps := map[string]string{}
	for _, s := range services {
		eps[s] = f.URL
	}
	remote := sdk.New(sdk.Config{Endpoints: eps, HTTPClient: &http.Client{Transport: tr, Timeout: 10 * time.Second}})
	iv := jobs.New(jobs.Config{Remote: remote, RemoteServices: services, PollInterval: time.Millisecond})
	t.Cleanup(func() { iv.Close() })
	return iv
}

// TestCodeBuildSyncOnEndpoint runs codebuild:startBuild.sync against a
// CodeBuild endpoint: StartBuild, then BatchGetBuilds until the build's
// status is not IN_PROGRESS; the result is the build under Build, and a
// FAILED build fails the task with the build as the cause.
func TestCodeBuildSyncOnEndpoint(t *testing.T) {
	for _, final := range []string{"SUCCEEDED", "FAILED"} {
		t.Run(final, func(t *testing.T) {
			f := newFakeAWS(t, func(key string, n int) (int, string) {
				switch {
				case key == "CodeBuild_20161006.StartBuild":
					return 200, `{"build":{"id":"proj:b1","arn":"arn:aws:codebuild:us-east-1:123456789012:build/proj:b1","buildStatus":"IN_PROGRESS","currentPhase":"QUEUED"}}`
				case key == "CodeBuild_20161006.BatchGetBuilds" && n < 3:
					return 200, `{"builds":[{"id":"proj:b1","buildStatus":"IN_PROGRESS","currentPhase":"BUILD"}],"buildsNotFound":[]}`
				case key == "CodeBuild_20161006.BatchGetBuilds":
					return 200, `{"builds":[{"id":"proj:b1","buildStatus":"` + final + `","currentPhase":"COMPLETED","buildComplete":true,"reportArns":["arn:r"]}],"buildsNotFound":[]}`
				}
				return 400, `{"__type":"InvalidInputException","message":"unexpected"}`
			})
			iv := onEndpoint(t, f, "codebuild")
			out, err := iv.Invoke(t.Context(), tasks.Request{Resource: "arn:aws:states:::codebuild:startBuild.sync", Input: obj(t, `{"ProjectName":"proj","SourceVersion":"main"}`)})
			want := `{"Build":{"BuildComplete":true,"BuildStatus":"` + final + `","CurrentPhase":"COMPLETED","Id":"proj:b1","ReportArns":["arn:r"]}}`
			if final == "SUCCEEDED" {
				if err != nil {
					t.Fatal(err)
				}
				if got := jsonval.MustMarshalString(out); got != want {
					t.Errorf("result %s\nwant   %s", got, want)
				}
			} else if te := taskError(t, err); te.Name != "States.TaskFailed" || te.Cause != want {
				t.Errorf("got %s %s, want States.TaskFailed %s", te.Name, te.Cause, want)
			}
			if got := strings.Join(f.keys(), " "); got != "CodeBuild_20161006.StartBuild CodeBuild_20161006.BatchGetBuilds CodeBuild_20161006.BatchGetBuilds CodeBuild_20161006.BatchGetBuilds" {
				t.Errorf("calls %s", got)
			}
			if got := f.call(0); got != `CodeBuild_20161006.StartBuild {"projectName":"proj","sourceVersion":"main"}` {
				t.Errorf("start %s", got)
			}
			if got := f.call(1); got != `CodeBuild_20161006.BatchGetBuilds {"ids":["proj:b1"]}` {
				t.Errorf("describe %s", got)
			}
		})
	}
}

// TestSyncCancelled: a .sync job whose task is cancelled (its execution
// stopped) stops polling and asks the service to stop the job, as AWS
// does for these integrations.
func TestSyncCancelled(t *testing.T) {
	for _, tc := range []struct {
		name, service, resource, params string
		start, describe, stop           string // the calls' keys
		started, running                string // their answers
		wantStop                        string // the stop call, key and body
	}{
		{name: "codebuild", service: "codebuild", resource: "arn:aws:states:::codebuild:startBuild.sync", params: `{"ProjectName":"proj"}`,
			start: "CodeBuild_20161006.StartBuild", describe: "CodeBuild_20161006.BatchGetBuilds", stop: "CodeBuild_20161006.StopBuild",
			started: `{"build":{"id":"proj:b1","buildStatus":"IN_PROGRESS"}}`, running: `{"builds":[{"id":"proj:b1","buildStatus":"IN_PROGRESS"}]}`,
			wantStop: `CodeBuild_20161006.StopBuild {"id":"proj:b1"}`},
		{name: "ecs", service: "ecs", resource: "arn:aws:states:::ecs:runTask.sync", params: `{"Cluster":"c1","TaskDefinition":"td"}`,
			start: "AmazonEC2ContainerServiceV20141113.RunTask", describe: "AmazonEC2ContainerServiceV20141113.DescribeTasks", stop: "AmazonEC2ContainerServiceV20141113.StopTask",
			started:  `{"tasks":[{"taskArn":"arn:aws:ecs:us-east-1:123456789012:task/c1/t1","lastStatus":"PENDING"}]}`,
			running:  `{"tasks":[{"taskArn":"arn:aws:ecs:us-east-1:123456789012:task/c1/t1","lastStatus":"RUNNING"}]}`,
			wantStop: `AmazonEC2ContainerServiceV20141113.StopTask {"cluster":"c1","reason":"` + cancelReason + `","task":"arn:aws:ecs:us-east-1:123456789012:task/c1/t1"}`},
		{name: "batch", service: "batch", resource: "arn:aws:states:::batch:submitJob.sync", params: `{"JobName":"j","JobQueue":"q","JobDefinition":"d"}`,
			start: "POST /v1/submitjob", describe: "POST /v1/describejobs", stop: "POST /v1/terminatejob",
			started: `{"jobId":"id-1","jobName":"j"}`, running: `{"jobs":[{"jobId":"id-1","jobName":"j","status":"RUNNING"}]}`,
			wantStop: `POST /v1/terminatejob {"jobId":"id-1","reason":"` + cancelReason + `"}`},
		{name: "athena", service: "athena", resource: "arn:aws:states:::athena:startQueryExecution.sync", params: `{"QueryString":"SELECT 1"}`,
			start: "AmazonAthena.StartQueryExecution", describe: "AmazonAthena.GetQueryExecution", stop: "AmazonAthena.StopQueryExecution",
			started: `{"QueryExecutionId":"q-1"}`, running: `{"QueryExecution":{"QueryExecutionId":"q-1","Status":{"State":"RUNNING"}}}`,
			wantStop: `AmazonAthena.StopQueryExecution {"QueryExecutionId":"q-1"}`},
		{name: "glue", service: "glue", resource: "arn:aws:states:::glue:startJobRun.sync", params: `{"JobName":"etl"}`,
			start: "AWSGlue.StartJobRun", describe: "AWSGlue.GetJobRun", stop: "AWSGlue.BatchStopJobRun",
			started: `{"JobRunId":"jr-1"}`, running: `{"JobRun":{"Id":"jr-1","JobName":"etl","JobRunState":"RUNNING"}}`,
			wantStop: `AWSGlue.BatchStopJobRun {"JobName":"etl","JobRunIds":["jr-1"]}`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := newFakeAWS(t, func(key string, n int) (int, string) {
				switch key {
				case tc.start:
					return 200, tc.started
				case tc.describe:
					return 200, tc.running
				case tc.stop:
					return 200, `{}`
				}
				return 400, `{}`
			})
			iv := onEndpoint(t, f, tc.service)
			ctx, cancel := context.WithCancel(t.Context())
			defer cancel()
			done := make(chan error, 1)
			go func() {
				_, err := iv.Invoke(ctx, tasks.Request{Resource: tc.resource, Input: obj(t, tc.params)})
				done <- err
			}()
			for polls := 0; polls < 2; {
				select {
				case k := <-f.seen:
					if k == tc.describe {
						polls++
					}
				case <-time.After(10 * time.Second):
					t.Fatalf("no polls; calls %v", f.keys())
				}
			}
			cancel()
			select {
			case err := <-done:
				if !errors.Is(err, context.Canceled) {
					t.Errorf("error %v, want context.Canceled", err)
				}
			case <-time.After(10 * time.Second):
				t.Fatal("Invoke did not return after the cancel")
			}
			keys := f.keys()
			if got := f.call(len(keys) - 1); got != tc.wantStop {
				t.Errorf("last call\n got %s\nwant %s", got, tc.wantStop)
			}
			// After the stop, nothing polls any more.
			n := len(keys)
			time.Sleep(20 * time.Millisecond)
			if len(f.keys()) != n {
				t.Errorf("calls after the stop: %v", f.keys()[n:])
			}
		})
	}
}

// cancelReason is the reason ECS and Batch get for a cancelled task's job.
const cancelReason = "Task cancelled by Stepwise: its execution was stopped, failed or timed out"

// TestEMRSyncOnEndpoint runs the EMR .sync integrations against an EMR
// endpoint: createCluster.sync waits for WAITING and returns createCluster's
// result; addStep.sync waits for COMPLETED and returns DescribeStep's
// answer; a FAILED step fails the task with the step as the cause; a
// service refusal is named ElasticMapReduce.<Code>.
func TestEMRSyncOnEndpoint(t *testing.T) {
	stepState := "COMPLETED"
	f := newFakeAWS(t, func(key string, n int) (int, string) {
		switch {
		case key == "ElasticMapReduce.RunJobFlow":
			return 200, `{"JobFlowId":"j-1","ClusterArn":"arn:aws:elasticmapreduce:us-east-1:123456789012:cluster/j-1"}`
		case key == "ElasticMapReduce.DescribeCluster" && n < 2:
			return 200, `{"Cluster":{"Id":"j-1","Status":{"State":"STARTING"}}}`
		case key == "ElasticMapReduce.DescribeCluster":
			return 200, `{"Cluster":{"Id":"j-1","Status":{"State":"WAITING"}}}`
		case key == "ElasticMapReduce.AddJobFlowSteps":
			return 200, `{"StepIds":["s-1"]}`
		case key == "ElasticMapReduce.DescribeStep" && n%2 == 1:
			return 200, `{"Step":{"Id":"s-1","Name":"s","Status":{"State":"RUNNING"}}}`
		case key == "ElasticMapReduce.DescribeStep":
			return 200, `{"Step":{"Id":"s-1","Name":"s","Status":{"State":"` + stepState + `"}}}`
		case key == "ElasticMapReduce.TerminateJobFlows":
			return 400, `{"__type":"InvalidRequestException","Message":"Cluster j-404 does not exist"}`
		}
		return 400, `{}`
	})
	iv := onEndpoint(t, f, "emr")
	out, err := iv.Invoke(t.Context(), tasks.Request{Resource: "arn:aws:states:::elasticmapreduce:createCluster.sync",
		Input: obj(t, `{"Name":"c","ReleaseLabel":"emr-7.0.0","Instances":{"KeepJobFlowAliveWhenNoSteps":true,"InstanceCount":1,"MasterInstanceType":"m5.xlarge"}}`)})
	if err != nil {
		t.Fatal(err)
	}
	if got := jsonval.MustMarshalString(out); got != `{"ClusterId":"j-1","ClusterArn":"arn:aws:elasticmapreduce:us-east-1:123456789012:cluster/j-1"}` {
		t.Errorf("createCluster.sync %s", got)
	}
	step := `{"ClusterId":"j-1","Step":{"Name":"s","ActionOnFailure":"CONTINUE","HadoopJarStep":{"Jar":"command-runner.jar","Args":["spark-submit","app.py"]}}}`
	out, err = iv.Invoke(t.Context(), tasks.Request{Resource: "arn:aws:states:::elasticmapreduce:addStep.sync", Input: obj(t, step)})
	if err != nil {
		t.Fatal(err)
	}
	if got := jsonval.MustMarshalString(out); got != `{"Step":{"Id":"s-1","Name":"s","Status":{"State":"COMPLETED"}}}` {
		t.Errorf("addStep.sync %s", got)
	}
	stepState = "FAILED"
	_, err = iv.Invoke(t.Context(), tasks.Request{Resource: "arn:aws:states:::elasticmapreduce:addStep.sync", Input: obj(t, step)})
	if te := taskError(t, err); te.Name != "States.TaskFailed" || te.Cause != `{"Id":"s-1","Name":"s","Status":{"State":"FAILED"}}` {
		t.Errorf("failed step: %s %s", te.Name, te.Cause)
	}
	_, err = iv.Invoke(t.Context(), tasks.Request{Resource: "arn:aws:states:::elasticmapreduce:terminateCluster", Input: obj(t, `{"ClusterId":"j-404"}`)})
	if te := taskError(t, err); te.Name != "ElasticMapReduce.InvalidRequestException" || !strings.Contains(te.Cause, "Cluster j-404 does not exist") {
		t.Errorf("refusal: %s %s", te.Name, te.Cause)
	}
	for i, want := range map[int]string{
		0: `ElasticMapReduce.RunJobFlow {"Instances":{"InstanceCount":1,"KeepJobFlowAliveWhenNoSteps":true,"MasterInstanceType":"m5.xlarge"},"Name":"c","ReleaseLabel":"emr-7.0.0"}`,
		1: `ElasticMapReduce.DescribeCluster {"ClusterId":"j-1"}`,
		3: `ElasticMapReduce.AddJobFlowSteps {"JobFlowId":"j-1","Steps":[{"ActionOnFailure":"CONTINUE","HadoopJarStep":{"Args":["spark-submit","app.py"],"Jar":"command-runner.jar"},"Name":"s"}]}`,
		4: `ElasticMapReduce.DescribeStep {"ClusterId":"j-1","StepId":"s-1"}`,
	} {
		if got := f.call(i); got != want {
			t.Errorf("call %d: %s\nwant    %s", i, got, want)
		}
	}
}
