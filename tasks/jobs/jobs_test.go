package jobs_test

import (
	"context"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"go.uber.org/goleak"

	"stepwise/jsonval"
	"stepwise/tasks"
	"stepwise/tasks/jobs"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

func obj(t *testing.T, s string) *jsonval.Object {
	t.Helper()
	v, err := jsonval.ParseString(s)
	if err != nil {
		t.Fatal(err)
	}
	return v.(*jsonval.Object)
}

// decode turns a result or a cause into plain Go values.
func decode(t *testing.T, v any) map[string]any {
	t.Helper()
	s, ok := v.(string)
	if !ok {
		s = jsonval.MustMarshalString(v)
	}
	var m map[string]any
	if err := json.Unmarshal([]byte(s), &m); err != nil {
		t.Fatalf("%s: %v", s, err)
	}
	return m
}

// newInvoker returns an Invoker with a task definition "work" and a job
// definition "nightly", both sh -c SCRIPT run in dir, closed at the end
// of the test.
func newInvoker(t *testing.T, dir, script string, mod func(*jobs.Config)) *jobs.Invoker {
	t.Helper()
	def := jobs.Definition{EntryPoint: []string{"sh", "-c"}, Command: []string{script}, Dir: dir, Timeout: 20 * time.Second}
	cfg := jobs.Config{TaskDefinitions: map[string]jobs.Definition{"work": def}, JobDefinitions: map[string]jobs.Definition{"nightly": def}}
	if mod != nil {
		mod(&cfg)
	}
	iv := jobs.New(cfg)
	t.Cleanup(func() { iv.Close() })
	return iv
}

func taskError(t *testing.T, err error) *tasks.Error {
	t.Helper()
	var te *tasks.Error
	if !errors.As(err, &te) {
		t.Fatalf("error %v, want a *tasks.Error", err)
	}
	return te
}

// waitFile waits for a background job to write path.
func waitFile(t *testing.T, path string) string {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		b, err := os.ReadFile(path)
		if err == nil && strings.HasSuffix(string(b), "\n") {
			return strings.TrimSuffix(string(b), "\n")
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s not written", path)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

func TestRunTaskSync(t *testing.T) {
	dir := t.TempDir()
	iv := newInvoker(t, dir, "exit 9", nil)
	// The override replaces the command (not the entry point) and adds to
	// the environment; the command runs in the definition's Dir.
	out, err := iv.Invoke(t.Context(), tasks.Request{Resource: "arn:aws:states:::ecs:runTask.sync", Input: obj(t, `{
	  "Cluster": "arn:aws:ecs:us-east-1:123456789012:cluster/prod", "LaunchType": "FARGATE",
	  "NetworkConfiguration": {"AwsvpcConfiguration": {"Subnets": ["subnet-1"]}},
	  "TaskDefinition": "work:4",
	  "Overrides": {"ContainerOverrides": [{"Name": "work", "Command": ["echo \"$GREETING\" > out.txt"],
	    "Environment": [{"Name": "GREETING", "Value": "hello from ecs"}]}]}}`)})
	if err != nil {
		t.Fatal(err)
	}
	if got, _ := os.ReadFile(filepath.Join(dir, "out.txt")); string(got) != "hello from ecs\n" {
		t.Errorf("the command wrote %q", got)
	}
	d := decode(t, out)
	for k, want := range map[string]any{"LastStatus": "STOPPED", "DesiredStatus": "STOPPED", "StopCode": "EssentialContainerExited",
		"StoppedReason": "Essential container in task exited", "LaunchType": "FARGATE", "Group": "family:work",
		"ClusterArn":        "arn:aws:ecs:us-east-1:123456789012:cluster/prod",
		"TaskDefinitionArn": "arn:aws:ecs:us-east-1:123456789012:task-definition/work:4"} {
		if d[k] != want {
			t.Errorf("%s = %v, want %v", k, d[k], want)
		}
	}
	if arn, _ := d["TaskArn"].(string); !strings.HasPrefix(arn, "arn:aws:ecs:us-east-1:123456789012:task/prod/") {
		t.Errorf("TaskArn %v", d["TaskArn"])
	}
	c := d["Containers"].([]any)[0].(map[string]any)
	if c["ExitCode"] != 0.0 || c["Name"] != "work" || c["LastStatus"] != "STOPPED" {
		t.Errorf("container %v", c)
	}
	for _, k := range []string{"CreatedAt", "StartedAt", "StoppedAt"} {
		if ms, ok := d[k].(float64); !ok || ms < 1.7e12 {
			t.Errorf("%s = %v, want epoch milliseconds", k, d[k])
		}
	}
}

func TestRunTaskSyncFails(t *testing.T) {
	iv := newInvoker(t, t.TempDir(), "echo failing >&2; exit 3", nil)
	_, err := iv.Invoke(t.Context(), tasks.Request{Resource: "arn:aws:states:::ecs:runTask.sync", Input: obj(t, `{"TaskDefinition": "work"}`)})
	te := taskError(t, err)
	if te.Name != "States.TaskFailed" {
		t.Fatalf("error %s", te.Name)
	}
	d := decode(t, te.Cause)
	c := d["Containers"].([]any)[0].(map[string]any)
	if d["LastStatus"] != "STOPPED" || c["ExitCode"] != 3.0 || d["StopCode"] != "EssentialContainerExited" {
		t.Errorf("cause %s", te.Cause)
	}
}

func TestRunTaskTimeout(t *testing.T) {
	iv := newInvoker(t, t.TempDir(), "sleep 30", func(c *jobs.Config) {
		d := c.TaskDefinitions["work"]
		d.Timeout = 100 * time.Millisecond
		c.TaskDefinitions["work"] = d
	})
	start := time.Now()
	_, err := iv.Invoke(t.Context(), tasks.Request{Resource: "arn:aws:states:::ecs:runTask.sync", Input: obj(t, `{"TaskDefinition": "work"}`)})
	te := taskError(t, err)
	if time.Since(start) > 10*time.Second {
		t.Errorf("took %s", time.Since(start))
	}
	d := decode(t, te.Cause)
	if te.Name != "States.TaskFailed" || !strings.Contains(d["StoppedReason"].(string), "timeout of 100ms") {
		t.Errorf("%s %s", te.Name, te.Cause)
	}
}

func TestRunTaskCannotStart(t *testing.T) {
	iv := jobs.New(jobs.Config{TaskDefinitions: map[string]jobs.Definition{"work": {Command: []string{"/nonexistent/program"}}}})
	defer iv.Close()
	for _, res := range []string{"arn:aws:states:::ecs:runTask.sync", "arn:aws:states:::ecs:runTask", "arn:aws:states:::ecs:runTask.waitForTaskToken"} {
		_, err := iv.Invoke(t.Context(), tasks.Request{Resource: res, Input: obj(t, `{"TaskDefinition": "work"}`), TaskToken: "tok"})
		te := taskError(t, err)
		d := decode(t, te.Cause)
		if te.Name != "States.TaskFailed" || d["StopCode"] != "TaskFailedToStart" || !strings.Contains(d["StoppedReason"].(string), "/nonexistent/program") {
			t.Errorf("%s: %s %s", res, te.Name, te.Cause)
		}
	}
}

// TestRunTaskBackground: request-response and .waitForTaskToken answer
// as RunTask does while the task runs on, with the overrides'
// environment (where a workflow puts $$.Task.Token).
func TestRunTaskBackground(t *testing.T) {
	dir := t.TempDir()
	iv := newInvoker(t, dir, `echo "$TASK_TOKEN" > "$OUT.tmp" && mv "$OUT.tmp" "$OUT"`, nil)
	for _, res := range []string{"arn:aws:states:::ecs:runTask", "arn:aws:states:::ecs:runTask.waitForTaskToken"} {
		path := filepath.Join(dir, strings.ReplaceAll(res, ":", "_"))
		out, err := iv.Invoke(t.Context(), tasks.Request{Resource: res, TaskToken: "token-1", Input: obj(t, `{"TaskDefinition": "work",
		  "Overrides": {"ContainerOverrides": [{"Name": "work", "Environment": [{"Name": "TASK_TOKEN", "Value": "token-1"}, {"Name": "OUT", "Value": "`+path+`"}]}]}}`)})
		if err != nil {
			t.Fatal(err)
		}
		d := decode(t, out)
		task := d["Tasks"].([]any)[0].(map[string]any)
		if f := d["Failures"].([]any); len(f) != 0 || task["LastStatus"] != "PENDING" || task["DesiredStatus"] != "RUNNING" {
			t.Errorf("%s: %v", res, d)
		}
		if _, ok := d["SdkHttpMetadata"]; !ok {
			t.Errorf("%s: no SdkHttpMetadata", res)
		}
		if got := waitFile(t, path); got != "token-1" {
			t.Errorf("%s: the task saw TASK_TOKEN %q", res, got)
		}
	}
}

// TestCloseStopsBackgroundJobs: Close ends the jobs it owns promptly.
func TestCloseStopsBackgroundJobs(t *testing.T) {
	iv := newInvoker(t, t.TempDir(), "sleep 30", nil)
	if _, err := iv.Invoke(t.Context(), tasks.Request{Resource: "arn:aws:states:::ecs:runTask", Input: obj(t, `{"TaskDefinition": "work"}`)}); err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	iv.Close()
	if d := time.Since(start); d > 10*time.Second {
		t.Errorf("Close took %s", d)
	}
	_, err := iv.Invoke(t.Context(), tasks.Request{Resource: "arn:aws:states:::ecs:runTask", Input: obj(t, `{"TaskDefinition": "work"}`)})
	if te := taskError(t, err); !strings.Contains(te.Cause, "shutting down") {
		t.Errorf("after Close: %v", te)
	}
}

func TestRunTaskParameters(t *testing.T) {
	iv := newInvoker(t, t.TempDir(), "exit 0", nil)
	tests := []struct {
		name, params string
		wantErr      string // error name; "" for success
		wantCause    string
	}{
		{"placement fields are accepted", `{"TaskDefinition": "work", "Cluster": "c", "LaunchType": "EC2", "PlatformVersion": "LATEST",
		  "PlacementConstraints": [], "PlacementStrategy": [{"Type": "spread", "Field": "host"}], "CapacityProviderStrategy": [],
		  "EnableECSManagedTags": true, "PropagateTags": "TASK_DEFINITION", "EnableExecuteCommand": false, "Tags": [{"Key": "k", "Value": "v"}],
		  "Count": 1, "Group": "g", "StartedBy": "me", "ReferenceId": "r",
		  "Overrides": {"Cpu": "256", "Memory": "512", "ContainerOverrides": [{"Name": "work", "Cpu": 128, "Memory": 256, "ResourceRequirements": []}]}}`, "", ""},
		{"ARN task definition", `{"TaskDefinition": "arn:aws:ecs:us-east-1:123456789012:task-definition/work:7"}`, "", ""},
		{"missing TaskDefinition", `{"Cluster": "c"}`, "States.Runtime", "'TaskDefinition' is required"},
		{"unknown field", `{"TaskDefinition": "work", "Colour": "red"}`, "States.Runtime", "'Colour' is not supported"},
		{"task role", `{"TaskDefinition": "work", "Overrides": {"TaskRoleArn": "arn:aws:iam::1:role/r"}}`, "States.Runtime", "Overrides.TaskRoleArn: Stepwise cannot carry this out"},
		{"environment files", `{"TaskDefinition": "work", "Overrides": {"ContainerOverrides": [{"Name": "work", "EnvironmentFiles": [{"Type": "s3", "Value": "arn:aws:s3:::b/k"}]}]}}`, "States.Runtime", "EnvironmentFiles"},
		{"two tasks", `{"TaskDefinition": "work", "Count": 2}`, "States.Runtime", "Count 2"},
		{"command not strings", `{"TaskDefinition": "work", "Overrides": {"ContainerOverrides": [{"Name": "work", "Command": "echo"}]}}`, "States.Runtime", "Command: want an array of strings"},
		{"environment not name-value", `{"TaskDefinition": "work", "Overrides": {"ContainerOverrides": [{"Name": "work", "Environment": [{"Key": "A"}]}]}}`, "States.Runtime", `unknown field "Key"`},
		{"other container", `{"TaskDefinition": "work", "Overrides": {"ContainerOverrides": [{"Name": "sidecar"}]}}`, "ECS.InvalidParameterException",
			"Override for container named sidecar is not a container in the TaskDefinition. (Service: AmazonECS; Status Code: 400; Error Code: InvalidParameterException"},
		{"unknown task definition", `{"TaskDefinition": "other:2"}`, "States.TaskFailed", `ECS task definition "other:2"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := iv.Invoke(t.Context(), tasks.Request{Resource: "arn:aws:states:::ecs:runTask.sync", Input: obj(t, tt.params)})
			if tt.wantErr == "" {
				if err != nil {
					t.Fatal(err)
				}
				return
			}
			te := taskError(t, err)
			if te.Name != tt.wantErr || !strings.Contains(te.Cause, tt.wantCause) {
				t.Errorf("got %s: %s\nwant %s containing %q", te.Name, te.Cause, tt.wantErr, tt.wantCause)
			}
		})
	}
}

// TestNotConfiguredSaysHow: a definition the file does not name, with no
// endpoint for its service, fails with a cause naming the flag, the
// file's shape with the definition in it, and the alternatives.
func TestNotConfiguredSaysHow(t *testing.T) {
	iv := jobs.New(jobs.Config{})
	defer iv.Close()
	_, err := iv.Invoke(t.Context(), tasks.Request{Resource: "arn:aws:states:::batch:submitJob.sync",
		Input: obj(t, `{"JobName": "n", "JobQueue": "q", "JobDefinition": "etl:3"}`)})
	te := taskError(t, err)
	for _, want := range []string{"--job-config FILE", `"JobDefinitions": {"etl:3": {`, "--aws-endpoint batch=URL", "--aws", "--mock-config"} {
		if !strings.Contains(te.Cause, want) {
			t.Errorf("cause %q lacks %q", te.Cause, want)
		}
	}
	_, err = iv.Invoke(t.Context(), tasks.Request{Resource: "arn:aws:states:::glue:startJobRun.sync", Input: obj(t, `{"JobName": "j"}`)})
	if te := taskError(t, err); te.Name != "States.TaskFailed" || !strings.Contains(te.Cause, "--aws-endpoint glue=URL") {
		t.Errorf("glue: %v", te)
	}
}

func TestPatternsAWSOffers(t *testing.T) {
	iv := jobs.New(jobs.Config{})
	defer iv.Close()
	for _, res := range []string{"arn:aws:states:::batch:submitJob.waitForTaskToken", "arn:aws:states:::glue:startJobRun.waitForTaskToken",
		"arn:aws:states:::ecs:runTask.sync:2", "arn:aws:states:::athena:getQueryResults.sync"} {
		_, err := iv.Invoke(t.Context(), tasks.Request{Resource: res, Input: jsonval.NewObject(0)})
		if te := taskError(t, err); te.Name != "States.Runtime" || !strings.Contains(te.Cause, "is not recognized") {
			t.Errorf("%s: %v", res, te)
		}
	}
}

func TestSubmitJobSync(t *testing.T) {
	dir := t.TempDir()
	// Fails on its first two attempts, then writes what it saw.
	script := `n=$(cat count 2>/dev/null || echo 0); echo $((n+1)) > count; [ "$n" -ge 2 ] || exit 1; echo "$1 $AWS_BATCH_JOB_ID $AWS_BATCH_JQ_NAME $AWS_BATCH_JOB_ATTEMPT $MODE" > out.txt`
	iv := newInvoker(t, dir, script, func(c *jobs.Config) {
		d := c.JobDefinitions["nightly"]
		d.Command = []string{script, "sh", "Ref::day"}
		c.JobDefinitions["nightly"] = d
	})
	out, err := iv.Invoke(t.Context(), tasks.Request{Resource: "arn:aws:states:::batch:submitJob.sync", Input: obj(t, `{
	  "JobName": "nightly-run", "JobQueue": "arn:aws:batch:us-east-1:123456789012:job-queue/main", "JobDefinition": "nightly",
	  "Parameters": {"day": "monday"}, "RetryStrategy": {"Attempts": 3},
	  "ContainerOverrides": {"Environment": [{"Name": "MODE", "Value": "full"}], "Vcpus": 2}}`)})
	if err != nil {
		t.Fatal(err)
	}
	d := decode(t, out)
	got, _ := os.ReadFile(filepath.Join(dir, "out.txt"))
	if want := "monday " + d["JobId"].(string) + " main 2 full\n"; string(got) != want {
		t.Errorf("the job wrote %q, want %q", got, want)
	}
	for k, want := range map[string]any{"Status": "SUCCEEDED", "JobName": "nightly-run", "StatusReason": "Essential container in task exited",
		"JobQueue":      "arn:aws:batch:us-east-1:123456789012:job-queue/main",
		"JobDefinition": "arn:aws:batch:us-east-1:123456789012:job-definition/nightly:1"} {
		if d[k] != want {
			t.Errorf("%s = %v, want %v", k, d[k], want)
		}
	}
	if a := d["Attempts"].([]any); len(a) != 3 {
		t.Errorf("%d attempts, want 3", len(a))
	}
	if c := d["Container"].(map[string]any); c["ExitCode"] != 0.0 || c["Command"].([]any)[2] != "monday" {
		t.Errorf("container %v", c)
	}
	if arn := d["JobArn"].(string); arn != "arn:aws:batch:us-east-1:123456789012:job/"+d["JobId"].(string) {
		t.Errorf("JobArn %s", arn)
	}
}

func TestSubmitJobSyncFails(t *testing.T) {
	iv := newInvoker(t, t.TempDir(), "exit 4", nil)
	_, err := iv.Invoke(t.Context(), tasks.Request{Resource: "arn:aws:states:::batch:submitJob.sync",
		Input: obj(t, `{"JobName": "n", "JobQueue": "q", "JobDefinition": "nightly"}`)})
	te := taskError(t, err)
	d := decode(t, te.Cause)
	if te.Name != "States.TaskFailed" || d["Status"] != "FAILED" || d["Container"].(map[string]any)["ExitCode"] != 4.0 {
		t.Errorf("%s %s", te.Name, te.Cause)
	}
}

func TestSubmitJobRequestResponse(t *testing.T) {
	dir := t.TempDir()
	iv := newInvoker(t, dir, `echo "$AWS_BATCH_JOB_ID" > out.tmp && mv out.tmp out`, nil)
	out, err := iv.Invoke(t.Context(), tasks.Request{Resource: "arn:aws:states:::batch:submitJob",
		Input: obj(t, `{"JobName": "n", "JobQueue": "q", "JobDefinition": "nightly:2"}`)})
	if err != nil {
		t.Fatal(err)
	}
	d := decode(t, out)
	if d["JobName"] != "n" || d["JobArn"] != "arn:aws:batch:us-east-1:123456789012:job/"+d["JobId"].(string) {
		t.Errorf("%v", d)
	}
	if got := waitFile(t, filepath.Join(dir, "out")); got != d["JobId"] {
		t.Errorf("the job saw AWS_BATCH_JOB_ID %q, want %v", got, d["JobId"])
	}
}

func TestSubmitJobParameters(t *testing.T) {
	iv := newInvoker(t, t.TempDir(), "exit 0", nil)
	tests := []struct{ name, params, wantCause string }{
		{"no name", `{"JobQueue": "q", "JobDefinition": "nightly"}`, "'JobName' is required"},
		{"bad name", `{"JobName": "a b", "JobQueue": "q", "JobDefinition": "nightly"}`, "JobName"},
		{"array job", `{"JobName": "n", "JobQueue": "q", "JobDefinition": "nightly", "ArrayProperties": {"Size": 10}}`, "ArrayProperties: Stepwise cannot"},
		{"depends on", `{"JobName": "n", "JobQueue": "q", "JobDefinition": "nightly", "DependsOn": [{"JobId": "x"}]}`, "DependsOn"},
		{"retry conditions", `{"JobName": "n", "JobQueue": "q", "JobDefinition": "nightly", "RetryStrategy": {"Attempts": 2, "EvaluateOnExit": [{"Action": "RETRY"}]}}`, "EvaluateOnExit"},
		{"too many attempts", `{"JobName": "n", "JobQueue": "q", "JobDefinition": "nightly", "RetryStrategy": {"Attempts": 11}}`, "Attempts"},
		{"short timeout", `{"JobName": "n", "JobQueue": "q", "JobDefinition": "nightly", "Timeout": {"AttemptDurationSeconds": 5}}`, "at least 60"},
		{"parameter not string", `{"JobName": "n", "JobQueue": "q", "JobDefinition": "nightly", "Parameters": {"a": 1}}`, "Parameters.a"},
		{"reserved env", `{"JobName": "n", "JobQueue": "q", "JobDefinition": "nightly", "ContainerOverrides": {"Environment": [{"Name": "AWS_BATCH_X", "Value": "1"}]}}`, "reserved"},
		{"unknown override", `{"JobName": "n", "JobQueue": "q", "JobDefinition": "nightly", "ContainerOverrides": {"LinuxParameters": {}}}`, "'LinuxParameters' is not supported"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := iv.Invoke(t.Context(), tasks.Request{Resource: "arn:aws:states:::batch:submitJob.sync", Input: obj(t, tt.params)})
			if te := taskError(t, err); te.Name != "States.Runtime" || !strings.Contains(te.Cause, tt.wantCause) {
				t.Errorf("got %s: %s, want States.Runtime containing %q", te.Name, te.Cause, tt.wantCause)
			}
		})
	}
}

func TestParseConfig(t *testing.T) {
	tests := []struct {
		name, text, wantErr string
	}{
		{"commands and images", `{"TaskDefinitions": {"resize": {"Command": ["./r.sh"], "Env": {"Q": "80"}, "TimeoutSeconds": 1.5, "Dir": "sub"}},
		  "JobDefinitions": {"render:3": {"Image": "alpine:3", "Command": ["echo"], "Dir": "/work"}}, "Region": "eu-west-1", "PollIntervalSeconds": 2}`, ""},
		{"unknown key", `{"TaskDefinition": {}}`, "unknown field"},
		{"nothing to run", `{"TaskDefinitions": {"a": {"Dir": "x"}}}`, "neither Command"},
		{"negative timeout", `{"JobDefinitions": {"a": {"Command": ["x"], "TimeoutSeconds": -1}}}`, "TimeoutSeconds"},
		{"bad env name", `{"JobDefinitions": {"a": {"Command": ["x"], "Env": {"A=B": "1"}}}}`, "Env"},
		{"two values", `{} {}`, "more than one"},
		{"poll interval too long", `{"PollIntervalSeconds": 4000}`, "PollIntervalSeconds"},
		{"poll interval too short", `{"PollIntervalSeconds": 0.0001}`, "PollIntervalSeconds"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := jobs.ParseConfig([]byte(tt.text), "/etc/stepwise")
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("error %v, want one containing %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			r := c.TaskDefinitions["resize"]
			if r.Dir != "/etc/stepwise/sub" || r.Timeout != 1500*time.Millisecond || len(r.Env) != 1 || r.Env[0] != "Q=80" {
				t.Errorf("resize %+v", r)
			}
			if j := c.JobDefinitions["render:3"]; j.Dir != "/work" || j.Image != "alpine:3" || c.Region != "eu-west-1" || c.PollInterval != 2*time.Second {
				t.Errorf("render %+v", j)
			}
		})
	}
}

// remote is an AWS service at the tasks boundary: it answers the AWS SDK
// integrations the Invoker sends to Config.Remote.
type remote struct {
	mu     sync.Mutex
	calls  []string
	answer func(action string, n int, in *jsonval.Object) (string, error)
}

func (r *remote) Invoke(_ context.Context, req tasks.Request) (any, error) {
	r.mu.Lock()
	r.calls = append(r.calls, req.Resource+" "+jsonval.MustMarshalString(req.Input))
	n := len(r.calls)
	r.mu.Unlock()
	action := req.Resource[strings.LastIndexByte(req.Resource, ':')+1:]
	s, err := r.answer(action, n, req.Input.(*jsonval.Object))
	if err != nil {
		return nil, err
	}
	return jsonval.ParseString(s)
}

func TestRemoteSync(t *testing.T) {
	tests := []struct {
		name, resource, params string
		answer                 func(action string, n int) string
		wantCalls              []string
		wantOut, wantCause     string
	}{
		{"ecs", "arn:aws:states:::ecs:runTask.sync", `{"Cluster": "prod", "TaskDefinition": "remote:1"}`,
			func(action string, n int) string {
				switch {
				case action == "runTask":
					return `{"Failures": [], "Tasks": [{"TaskArn": "arn:t", "LastStatus": "PROVISIONING"}]}`
				case n < 4:
					return `{"Failures": [], "Tasks": [{"TaskArn": "arn:t", "LastStatus": "RUNNING"}]}`
				}
				return `{"Failures": [], "Tasks": [{"TaskArn": "arn:t", "LastStatus": "STOPPED", "Containers": [{"ExitCode": 0}]}]}`
			},
			[]string{`arn:aws:states:::aws-sdk:ecs:runTask {"Cluster":"prod","TaskDefinition":"remote:1"}`,
				`arn:aws:states:::aws-sdk:ecs:describeTasks {"Tasks":["arn:t"],"Cluster":"prod"}`,
				`arn:aws:states:::aws-sdk:ecs:describeTasks {"Tasks":["arn:t"],"Cluster":"prod"}`,
				`arn:aws:states:::aws-sdk:ecs:describeTasks {"Tasks":["arn:t"],"Cluster":"prod"}`},
			`{"TaskArn":"arn:t","LastStatus":"STOPPED","Containers":[{"ExitCode":0}]}`, ""},
		{"ecs exit code", "arn:aws:states:::ecs:runTask.sync", `{"TaskDefinition": "remote"}`,
			func(action string, n int) string {
				if action == "runTask" {
					return `{"Tasks": [{"TaskArn": "arn:t"}]}`
				}
				return `{"Tasks": [{"TaskArn": "arn:t", "LastStatus": "STOPPED", "Containers": [{"ExitCode": 2}]}]}`
			}, nil, "", `{"TaskArn":"arn:t","LastStatus":"STOPPED","Containers":[{"ExitCode":2}]}`},
		{"batch fails", "arn:aws:states:::batch:submitJob.sync", `{"JobName": "n", "JobQueue": "q", "JobDefinition": "remote"}`,
			func(action string, n int) string {
				if action == "submitJob" {
					return `{"JobId": "j-1", "JobName": "n"}`
				}
				return `{"Jobs": [{"JobId": "j-1", "Status": "FAILED", "StatusReason": "boom"}]}`
			}, []string{`arn:aws:states:::aws-sdk:batch:submitJob {"JobName":"n","JobQueue":"q","JobDefinition":"remote"}`,
				`arn:aws:states:::aws-sdk:batch:describeJobs {"Jobs":["j-1"]}`}, "", `{"JobId":"j-1","Status":"FAILED","StatusReason":"boom"}`},
		{"athena", "arn:aws:states:::athena:startQueryExecution.sync", `{"QueryString": "SELECT 1"}`,
			func(action string, n int) string {
				if action == "startQueryExecution" {
					return `{"QueryExecutionId": "q-1"}`
				}
				return `{"QueryExecution": {"QueryExecutionId": "q-1", "Status": {"State": "SUCCEEDED"}}}`
			}, nil, `{"QueryExecution":{"QueryExecutionId":"q-1","Status":{"State":"SUCCEEDED"}}}`, ""},
		{"glue", "arn:aws:states:::glue:startJobRun.sync", `{"JobName": "etl"}`,
			func(action string, n int) string {
				if action == "startJobRun" {
					return `{"JobRunId": "jr-1"}`
				}
				return `{"JobRun": {"Id": "jr-1", "JobRunState": "SUCCEEDED"}}`
			}, []string{`arn:aws:states:::aws-sdk:glue:startJobRun {"JobName":"etl"}`, `arn:aws:states:::aws-sdk:glue:getJobRun {"JobName":"etl","RunId":"jr-1"}`},
			`{"Id":"jr-1","JobRunState":"SUCCEEDED"}`, ""},
		{"request-response", "arn:aws:states:::ecs:runTask", `{"TaskDefinition": "remote"}`,
			func(string, int) string { return `{"Tasks": [{"TaskArn": "arn:t"}]}` }, nil, `{"Tasks":[{"TaskArn":"arn:t"}]}`, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rm := &remote{answer: func(action string, n int, _ *jsonval.Object) (string, error) { return tt.answer(action, n), nil }}
			iv := newInvoker(t, t.TempDir(), "exit 0", func(c *jobs.Config) {
				c.Remote, c.RemoteServices, c.PollInterval = rm, jobs.Services(), time.Millisecond
			})
			out, err := iv.Invoke(t.Context(), tasks.Request{Resource: tt.resource, Input: obj(t, tt.params)})
			if tt.wantCause != "" {
				if te := taskError(t, err); te.Name != "States.TaskFailed" || te.Cause != tt.wantCause {
					t.Errorf("got %s %s, want States.TaskFailed %s", te.Name, te.Cause, tt.wantCause)
				}
			} else if err != nil {
				t.Fatal(err)
			} else if got := jsonval.MustMarshalString(out); got != tt.wantOut {
				t.Errorf("result %s, want %s", got, tt.wantOut)
			}
			if tt.wantCalls != nil && strings.Join(rm.calls, "\n") != strings.Join(tt.wantCalls, "\n") {
				t.Errorf("calls:\n%s\nwant:\n%s", strings.Join(rm.calls, "\n"), strings.Join(tt.wantCalls, "\n"))
			}
		})
	}
}

// TestLocalWinsOverRemote: a task definition the file names runs
// locally even when ECS is reachable; only the others go there.
func TestLocalWinsOverRemote(t *testing.T) {
	rm := &remote{answer: func(string, int, *jsonval.Object) (string, error) {
		return `{"Tasks": [{"TaskArn": "arn:remote"}]}`, nil
	}}
	iv := newInvoker(t, t.TempDir(), "exit 0", func(c *jobs.Config) { c.Remote, c.RemoteServices = rm, []string{"ecs"} })
	out, err := iv.Invoke(t.Context(), tasks.Request{Resource: "arn:aws:states:::ecs:runTask.sync", Input: obj(t, `{"TaskDefinition": "work"}`)})
	if err != nil || decode(t, out)["LastStatus"] != "STOPPED" || len(rm.calls) != 0 {
		t.Errorf("local: %v %v, calls %v", out, err, rm.calls)
	}
	// A remote error is the service's, named as the optimized
	// integration names it.
	rm.answer = func(string, int, *jsonval.Object) (string, error) {
		return "", &tasks.Error{Name: "Ecs.ClusterNotFoundException", Cause: "Cluster not found."}
	}
	_, err = iv.Invoke(t.Context(), tasks.Request{Resource: "arn:aws:states:::ecs:runTask", Input: obj(t, `{"TaskDefinition": "elsewhere"}`)})
	if te := taskError(t, err); te.Name != "ECS.ClusterNotFoundException" || te.Cause != "Cluster not found." {
		t.Errorf("remote error %v", te)
	}
}

// TestImageRunsWithDocker runs an Image definition through a docker
// command that records how it is called: docker run --rm with the
// environment by name only (values stay off the command line), the
// entry point and the command; a timeout kills the container by name.
func TestImageRunsWithDocker(t *testing.T) {
	dir := t.TempDir()
	docker := filepath.Join(dir, "docker")
	script := `#!/bin/sh
if [ "$1" = kill ]; then echo "kill $2" >> "` + dir + `/kills"; exit 0; fi
printf '%s\n' "$*" > "` + dir + `/args"
printf '%s %s\n' "$A" "$B" > "` + dir + `/env"
[ "$SLEEP" = "" ] || exec sleep "$SLEEP"
`
	if err := os.WriteFile(docker, []byte(script), 0o755); err != nil {
		t.Fatal(err)
	}
	iv := jobs.New(jobs.Config{Docker: docker, TaskDefinitions: map[string]jobs.Definition{
		"web":  {Image: "alpine:3", EntryPoint: []string{"python3", "-m"}, Command: []string{"http.server"}, Dir: "/app", Env: []string{"A=1"}},
		"slow": {Image: "alpine:3", Env: []string{"SLEEP=30"}, Timeout: 100 * time.Millisecond},
	}})
	defer iv.Close()
	out, err := iv.Invoke(t.Context(), tasks.Request{Resource: "arn:aws:states:::ecs:runTask.sync", Input: obj(t, `{"TaskDefinition": "web",
	  "Overrides": {"ContainerOverrides": [{"Name": "web", "Environment": [{"Name": "B", "Value": "two words"}]}]}}`)})
	if err != nil {
		t.Fatal(err)
	}
	args, _ := os.ReadFile(filepath.Join(dir, "args"))
	id := decode(t, out)["TaskArn"].(string)
	id = id[strings.LastIndexByte(id, '/')+1:]
	if want := "run --rm --name stepwise-ecs-" + id + " --workdir /app --env A --env B --entrypoint python3 -- alpine:3 -m http.server\n"; string(args) != want {
		t.Errorf("docker %s, want %s", args, want)
	}
	if env, _ := os.ReadFile(filepath.Join(dir, "env")); string(env) != "1 two words\n" {
		t.Errorf("docker's environment %q", env)
	}
	if c := decode(t, out)["Containers"].([]any)[0].(map[string]any); c["Image"] != "alpine:3" {
		t.Errorf("container %v", c)
	}
	out, err = iv.Invoke(t.Context(), tasks.Request{Resource: "arn:aws:states:::ecs:runTask.sync", Input: obj(t, `{"TaskDefinition": "slow"}`)})
	if te := taskError(t, err); te.Name != "States.TaskFailed" {
		t.Fatalf("slow: %v %v", out, err)
	}
	if kills, _ := os.ReadFile(filepath.Join(dir, "kills")); !strings.HasPrefix(string(kills), "kill stepwise-ecs-") {
		t.Errorf("the timed-out container was not killed: %q", kills)
	}
	missing := jobs.New(jobs.Config{Docker: filepath.Join(dir, "no-docker"), TaskDefinitions: map[string]jobs.Definition{"web": {Image: "alpine:3"}}})
	defer missing.Close()
	_, err = missing.Invoke(t.Context(), tasks.Request{Resource: "arn:aws:states:::ecs:runTask.sync", Input: obj(t, `{"TaskDefinition": "web"}`)})
	if te := taskError(t, err); !strings.Contains(te.Cause, "docker is not installed") {
		t.Errorf("no docker: %v", te)
	}
}
