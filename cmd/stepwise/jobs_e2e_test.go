package main

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
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
