package main

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/sfn"
	"github.com/aws/aws-sdk-go-v2/service/sfn/types"
)

// writeJobConfig writes a --job-config file whose definitions run sh -c
// in dir: "worker" writes its TASK_TOKEN to token.txt and exits; "report"
// exits as its command says; "nightly" writes its first argument to
// who.txt.
func writeJobConfig(t *testing.T, dir string) string {
	t.Helper()
	cfg := map[string]any{
		"TaskDefinitions": map[string]any{
			"worker": map[string]any{"EntryPoint": []string{"sh", "-c"}, "Command": []string{`printf '%s\n' "$TASK_TOKEN" > token.tmp && mv token.tmp token.txt && touch exited`},
				"Dir": dir, "TimeoutSeconds": 20},
			"report": map[string]any{"EntryPoint": []string{"sh", "-c"}, "Command": []string{"exit 0"}, "Dir": dir},
		},
		"JobDefinitions": map[string]any{
			"nightly": map[string]any{"EntryPoint": []string{"sh", "-c"}, "Command": []string{`echo "$0" > who.txt`, "Ref::who"}, "Dir": dir},
		},
	}
	b, _ := json.Marshal(cfg)
	p := filepath.Join(dir, "jobs.json")
	if err := os.WriteFile(p, b, 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// waitForFile waits for a job to write path.
func waitForFile(t *testing.T, path string) string {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		if b, err := os.ReadFile(path); err == nil {
			return strings.TrimSpace(string(b))
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s was not written", path)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// TestServeJobs drives the job integrations through the server's API with
// the AWS SDK: an ecs:runTask.waitForTaskToken task whose process gets
// the token in its overrides' environment and ends without answering
// (the task waits), completed by SendTaskSuccess with that token; an
// ecs:runTask.sync task that exits 5, caught as States.TaskFailed with
// the task's description as the cause; a batch:submitJob.sync job with a
// Ref:: parameter; and apigateway:invoke to a server in place of the
// API.
func TestServeJobs(t *testing.T) {
	dir := t.TempDir()
	api := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		json.NewEncoder(w).Encode(map[string]string{"path": r.URL.Path, "who": r.URL.Query().Get("who")})
	}))
	defer api.Close()
	o := serverOptions{listen: "127.0.0.1:0", store: "memory", logFormat: "text", logLevel: "warn",
		invokers: invokerOptions{jobConfig: writeJobConfig(t, dir), apiEndpoints: apiEndpointFlag{"abc123": api.URL}}}
	url, logs, stop := startServe(t, o)
	defer stop()
	c := sfn.New(sfn.Options{Region: "us-east-1", BaseEndpoint: aws.String(url), RetryMaxAttempts: 1,
		Credentials: credentials.NewStaticCredentialsProvider("k", "s", "")})
	ctx := t.Context()
	sm, err := c.CreateStateMachine(ctx, &sfn.CreateStateMachineInput{Name: aws.String("jobs"), RoleArn: aws.String("arn:aws:iam::123456789012:role/r"),
		Definition: aws.String(`{"StartAt": "Worker", "States": {
		  "Worker": {"Type": "Task", "Resource": "arn:aws:states:::ecs:runTask.waitForTaskToken", "ResultPath": "$.worker", "Next": "Report",
		    "Parameters": {"Cluster": "local", "LaunchType": "FARGATE", "TaskDefinition": "worker",
		      "Overrides": {"ContainerOverrides": [{"Name": "worker", "Environment": [{"Name": "TASK_TOKEN", "Value.$": "$$.Task.Token"}]}]}}},
		  "Report": {"Type": "Task", "Resource": "arn:aws:states:::ecs:runTask.sync", "Next": "Nightly",
		    "Parameters": {"TaskDefinition": "report:2", "Overrides": {"ContainerOverrides": [{"Name": "report", "Command": ["exit 5"]}]}},
		    "Catch": [{"ErrorEquals": ["States.TaskFailed"], "ResultPath": "$.reportError", "Next": "Nightly"}]},
		  "Nightly": {"Type": "Task", "Resource": "arn:aws:states:::batch:submitJob.sync", "Next": "Api",
		    "Parameters": {"JobName": "nightly", "JobQueue": "main", "JobDefinition": "nightly", "Parameters": {"who.$": "$.worker.who"}},
		    "ResultSelector": {"Status.$": "$.Status", "ExitCode.$": "$.Container.ExitCode"}, "ResultPath": "$.nightly"},
		  "Api": {"Type": "Task", "Resource": "arn:aws:states:::apigateway:invoke", "End": true,
		    "Parameters": {"ApiEndpoint": "abc123.execute-api.us-east-1.amazonaws.com", "Method": "GET", "Stage": "prod", "Path": "hello",
		      "QueryParameters": {"who.$": "States.Array($.worker.who)"}},
		    "ResultSelector": {"Body.$": "$.ResponseBody", "Code.$": "$.StatusCode"}, "ResultPath": "$.api"}}}`)})
	if err != nil {
		t.Fatal(err)
	}
	ex, err := c.StartExecution(ctx, &sfn.StartExecutionInput{StateMachineArn: sm.StateMachineArn, Input: aws.String(`{}`)})
	if err != nil {
		t.Fatal(err)
	}
	token := waitForFile(t, filepath.Join(dir, "token.txt"))
	waitForFile(t, filepath.Join(dir, "exited"))
	if d, err := c.DescribeExecution(ctx, &sfn.DescribeExecutionInput{ExecutionArn: ex.ExecutionArn}); err != nil || d.Status != types.ExecutionStatusRunning {
		t.Fatalf("after the worker exited: %v %v (the task waits for its token)", d, err)
	}
	if _, err := c.SendTaskSuccess(ctx, &sfn.SendTaskSuccessInput{TaskToken: aws.String(token), Output: aws.String(`{"who":"ada"}`)}); err != nil {
		t.Fatalf("SendTaskSuccess with the token the task got: %v", err)
	}
	var d *sfn.DescribeExecutionOutput
	deadline := time.Now().Add(20 * time.Second)
	for {
		if d, err = c.DescribeExecution(ctx, &sfn.DescribeExecutionInput{ExecutionArn: ex.ExecutionArn}); err != nil {
			t.Fatal(err)
		}
		if d.Status != types.ExecutionStatusRunning {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("execution still running\n%s", logs)
		}
		time.Sleep(5 * time.Millisecond)
	}
	if d.Status != types.ExecutionStatusSucceeded {
		t.Fatalf("execution %s: %s %s\n%s", d.Status, aws.ToString(d.Error), aws.ToString(d.Cause), logs)
	}
	var out struct {
		Worker      map[string]any
		ReportError struct{ Error, Cause string }
		Nightly     map[string]any
		API         map[string]any
	}
	if err := json.Unmarshal([]byte(aws.ToString(d.Output)), &out); err != nil {
		t.Fatal(err)
	}
	if out.Worker["who"] != "ada" {
		t.Errorf("worker result %v, want SendTaskSuccess's output", out.Worker)
	}
	var task struct {
		LastStatus string
		Containers []struct{ ExitCode int }
	}
	if err := json.Unmarshal([]byte(out.ReportError.Cause), &task); err != nil || out.ReportError.Error != "States.TaskFailed" ||
		task.LastStatus != "STOPPED" || len(task.Containers) != 1 || task.Containers[0].ExitCode != 5 {
		t.Errorf("report error %+v (%v)", out.ReportError, err)
	}
	if out.Nightly["Status"] != "SUCCEEDED" || out.Nightly["ExitCode"] != 0.0 {
		t.Errorf("nightly %v", out.Nightly)
	}
	if who := waitForFile(t, filepath.Join(dir, "who.txt")); who != "ada" {
		t.Errorf("the batch job got Ref::who = %q", who)
	}
	if b, _ := json.Marshal(out.API); string(b) != `{"Body":{"path":"/prod/hello","who":"ada"},"Code":200}` {
		t.Errorf("api %s", b)
	}
	hist, err := c.GetExecutionHistory(ctx, &sfn.GetExecutionHistoryInput{ExecutionArn: ex.ExecutionArn})
	if err != nil {
		t.Fatal(err)
	}
	submitted := false
	for _, e := range hist.Events {
		if e.Type == types.HistoryEventTypeTaskSubmitted && aws.ToString(e.TaskSubmittedEventDetails.ResourceType) == "ecs" {
			submitted = strings.Contains(aws.ToString(e.TaskSubmittedEventDetails.Output), `"LastStatus":"PENDING"`)
		}
	}
	if !submitted {
		t.Errorf("no TaskSubmitted with RunTask's response for the worker")
	}
}

// TestRunJobs runs ecs:runTask.sync under stepwise run with --job-config,
// and shows the cause that says how to configure a task definition the
// file does not name.
func TestRunJobs(t *testing.T) {
	dir := t.TempDir()
	cfg := writeJobConfig(t, dir)
	def := writeFile(t, "run.asl.json", `{"StartAt": "Report", "States": {"Report": {"Type": "Task", "Resource": "arn:aws:states:::ecs:runTask.sync",
	  "Parameters": {"TaskDefinition.$": "$.td"}, "ResultSelector": {"LastStatus.$": "$.LastStatus", "ExitCode.$": "$.Containers[0].ExitCode"}, "End": true}}}`)
	code, out, stderr := runCLI(t, "run", def, "--job-config", cfg, "--input", `{"td": "report"}`)
	if r := decodeRun(t, out); code != exitOK || r.Status != "SUCCEEDED" {
		t.Fatalf("code %d, %+v, stderr %s", code, r, stderr)
	} else if b, _ := json.Marshal(r.Output); string(b) != `{"ExitCode":0,"LastStatus":"STOPPED"}` {
		t.Errorf("output %s", b)
	}
	_, out, _ = runCLI(t, "run", def, "--job-config", cfg, "--input", `{"td": "missing:3"}`)
	r := decodeRun(t, out)
	for _, want := range []string{`ECS task definition "missing:3"`, "--job-config FILE", `"TaskDefinitions": {"missing:3"`, "--aws-endpoint ecs=URL", "--mock-config"} {
		if !strings.Contains(r.Cause, want) {
			t.Errorf("cause %q lacks %q", r.Cause, want)
		}
	}
}

func TestJobFlags(t *testing.T) {
	def := writeFile(t, "p.asl.json", `{"StartAt": "P", "States": {"P": {"Type": "Pass", "End": true}}}`)
	for _, args := range [][]string{
		{"--apigateway-endpoint", "abc123"},
		{"--apigateway-endpoint", "abc123=ftp://x"},
		{"--job-config", writeFile(t, "bad.json", `{"TaskDefinitions": {"x": {}}}`)},
		{"--job-config", writeFile(t, "typo.json", `{"TaskDefinition": {}}`)},
	} {
		code, _, stderr := runCLI(t, append([]string{"run", def}, args...)...)
		if code != exitUsage || stderr == "" {
			t.Errorf("%v: code %d, stderr %q", args, code, stderr)
		}
	}
}

// fakeECSBatch is an ECS (JSON 1.1) and Batch (REST JSON) endpoint: a
// task that runs for one DescribeTasks and then stops with exitCode, and
// a job that SUCCEEDS. It records the actions called.
func fakeECSBatch(t *testing.T, exitCode int) (*httptest.Server, *[]string) {
	t.Helper()
	var mu sync.Mutex
	var calls []string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var in map[string]any
		json.NewDecoder(r.Body).Decode(&in)
		action := strings.TrimPrefix(r.Header.Get("X-Amz-Target"), "AmazonEC2ContainerServiceV20141113.")
		if action == "" {
			action = r.URL.Path
		}
		mu.Lock()
		calls = append(calls, action)
		n := len(calls)
		mu.Unlock()
		w.Header().Set("Content-Type", "application/x-amz-json-1.1")
		task := map[string]any{"taskArn": "arn:aws:ecs:us-east-1:123456789012:task/c/1", "lastStatus": "RUNNING"}
		switch action {
		case "RunTask":
			if in["taskDefinition"] != "remote:1" {
				w.WriteHeader(400)
				json.NewEncoder(w).Encode(map[string]any{"__type": "ClientException", "message": "Unable to describe task definition."})
				return
			}
			task["lastStatus"] = "PROVISIONING"
			json.NewEncoder(w).Encode(map[string]any{"tasks": []any{task}, "failures": []any{}})
		case "DescribeTasks":
			if n > 2 {
				task["lastStatus"], task["stopCode"] = "STOPPED", "EssentialContainerExited"
				task["containers"] = []any{map[string]any{"name": "app", "exitCode": exitCode}}
			}
			json.NewEncoder(w).Encode(map[string]any{"tasks": []any{task}, "failures": []any{}})
		case "/v1/submitjob":
			json.NewEncoder(w).Encode(map[string]any{"jobArn": "arn:aws:batch:us-east-1:123456789012:job/j-1", "jobId": "j-1", "jobName": in["jobName"]})
		case "/v1/describejobs":
			json.NewEncoder(w).Encode(map[string]any{"jobs": []any{map[string]any{"jobId": "j-1", "jobName": "n", "status": "SUCCEEDED",
				"jobQueue": "q", "jobDefinition": "d", "startedAt": 1700000000000, "container": map[string]any{"exitCode": 0}}}})
		default:
			w.WriteHeader(404)
		}
	}))
	t.Cleanup(srv.Close)
	return srv, &calls
}

// TestRunJobsOnEndpoint: a task definition or job definition the job
// configuration does not name goes to the ECS or Batch endpoint given
// with --aws-endpoint, through the AWS SDK clients; .sync polls
// describeTasks and describeJobs until the task or job has ended.
func TestRunJobsOnEndpoint(t *testing.T) {
	cfg := writeFile(t, "jobs.json", `{"PollIntervalSeconds": 0.005}`)
	def := writeFile(t, "remote.asl.json", `{"StartAt": "Task", "States": {
	  "Task": {"Type": "Task", "Resource": "arn:aws:states:::ecs:runTask.sync", "Parameters": {"Cluster": "c", "TaskDefinition.$": "$.td"},
	    "ResultSelector": {"LastStatus.$": "$.LastStatus", "ExitCode.$": "$.Containers[0].ExitCode"}, "ResultPath": "$.task", "Next": "Job"},
	  "Job": {"Type": "Task", "Resource": "arn:aws:states:::batch:submitJob.sync", "Parameters": {"JobName": "n", "JobQueue": "q", "JobDefinition": "d"},
	    "ResultSelector": {"Status.$": "$.Status", "JobId.$": "$.JobId"}, "ResultPath": "$.job", "End": true}}}`)
	srv, calls := fakeECSBatch(t, 0)
	code, out, stderr := runCLI(t, "run", def, "--job-config", cfg, "--aws-endpoint", "ecs="+srv.URL, "--aws-endpoint", "batch="+srv.URL, "--input", `{"td": "remote:1"}`)
	r := decodeRun(t, out)
	if code != exitOK || r.Status != "SUCCEEDED" {
		t.Fatalf("code %d, %+v, stderr %s", code, r, stderr)
	}
	if b, _ := json.Marshal(r.Output); string(b) != `{"job":{"JobId":"j-1","Status":"SUCCEEDED"},"task":{"ExitCode":0,"LastStatus":"STOPPED"},"td":"remote:1"}` {
		t.Errorf("output %s", b)
	}
	if got := strings.Join(*calls, " "); got != "RunTask DescribeTasks DescribeTasks /v1/submitjob /v1/describejobs" {
		t.Errorf("calls %s", got)
	}
	// A container that exits non-zero fails the task with the task as
	// the cause; the service's refusal is ECS.<Code>.
	srv, _ = fakeECSBatch(t, 3)
	_, out, _ = runCLI(t, "run", def, "--job-config", cfg, "--aws-endpoint", "ecs="+srv.URL, "--input", `{"td": "remote:1"}`)
	if r := decodeRun(t, out); r.Error != "States.TaskFailed" || !strings.Contains(r.Cause, `"ExitCode":3`) || !strings.Contains(r.Cause, `"LastStatus":"STOPPED"`) {
		t.Errorf("exit 3: %s %s", r.Error, r.Cause)
	}
	_, out, _ = runCLI(t, "run", def, "--job-config", cfg, "--aws-endpoint", "ecs="+srv.URL, "--input", `{"td": "gone:1"}`)
	if r := decodeRun(t, out); r.Error != "ECS.ClientException" || !strings.Contains(r.Cause, "Unable to describe task definition.") {
		t.Errorf("refusal: %s %s", r.Error, r.Cause)
	}
}
