package main

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func writeFile(t *testing.T, name, text string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

type runOutput struct {
	Status  string
	Output  any
	Error   string
	Cause   string
	History []struct {
		Type string
		ID   int
	}
}

func decodeRun(t *testing.T, out string) runOutput {
	t.Helper()
	var r runOutput
	if err := json.Unmarshal([]byte(out), &r); err != nil {
		t.Fatalf("output is not JSON: %v\n%s", err, out)
	}
	return r
}

func TestRunSucceeds(t *testing.T) {
	def := writeFile(t, "greet.asl.json", `{"StartAt":"G","States":{"G":{"Type":"Pass","Parameters":{"msg.$":"States.Format('Hello, {}!', $.name)"},"End":true}}}`)
	code, out, stderr := runCLI(t, "run", def, "--input", `{"name":"Ada"}`)
	if code != exitOK {
		t.Fatalf("code %d, stderr %s", code, stderr)
	}
	r := decodeRun(t, out)
	if r.Status != "SUCCEEDED" || r.Output.(map[string]any)["msg"] != "Hello, Ada!" || r.History != nil {
		t.Errorf("got %+v", r)
	}
}

func TestRunFailsWithHistory(t *testing.T) {
	def := writeFile(t, "fail.asl.json", `{"StartAt":"W","States":{"W":{"Type":"Wait","Seconds":30,"Next":"F"},"F":{"Type":"Fail","Error":"Boom","Cause":"it broke"}}}`)
	input := writeFile(t, "in.json", `{"a":1}`)
	code, out, _ := runCLI(t, "run", "--fast-time", "--history", "--input", "@"+input, def)
	if code != exitFail {
		t.Fatalf("code %d, want %d", code, exitFail)
	}
	r := decodeRun(t, out)
	if r.Status != "FAILED" || r.Error != "Boom" || r.Cause != "it broke" {
		t.Errorf("got %+v", r)
	}
	var types []string
	for _, e := range r.History {
		types = append(types, e.Type)
	}
	want := "ExecutionStarted WaitStateEntered WaitStateExited FailStateEntered ExecutionFailed"
	if strings.Join(types, " ") != want {
		t.Errorf("history %v, want %s", types, want)
	}
}

func TestRunUsageErrors(t *testing.T) {
	bad := writeFile(t, "bad.asl.json", `{"StartAt":"A","States":{"A":{"Type":"Pass","Next":"B"}}}`)
	good := writeFile(t, "good.asl.json", `{"StartAt":"A","States":{"A":{"Type":"Succeed"}}}`)
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"invalid definition", []string{"run", bad}, "Missing 'Next' target: B"},
		{"bad input", []string{"run", good, "--input", "{nope"}, "--input is not valid JSON"},
		{"no file", []string{"run"}, "exactly one definition file"},
		{"missing file", []string{"run", filepath.Join(t.TempDir(), "x.json")}, "no such file"},
		{"bogus type", []string{"run", good, "--type", "bogus"},
			`invalid value "bogus" for flag -type: Value 'bogus' at 'type' failed to satisfy constraint: Member must satisfy enum value set: [STANDARD, EXPRESS]`},
		// AWS's type values are upper case, and so are --type's.
		{"lower-case type", []string{"run", good, "--type", "express"}, "Member must satisfy enum value set: [STANDARD, EXPRESS]"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, _, stderr := runCLI(t, tt.args...)
			if code != exitUsage || !strings.Contains(stderr, tt.want) {
				t.Errorf("code %d, stderr %q; want %d and %q", code, stderr, exitUsage, tt.want)
			}
		})
	}
}

func TestConformanceCommand(t *testing.T) {
	dir := t.TempDir()
	pass := `{"name":"p","definition":{"StartAt":"A","States":{"A":{"Type":"Pass","Result":1,"End":true}}},"input":{},
		"expected":{"status":"SUCCEEDED","output":1}}`
	fail := `{"name":"f","definition":{"StartAt":"A","States":{"A":{"Type":"Pass","Result":1,"End":true}}},"input":{},
		"expected":{"status":"SUCCEEDED","output":2}}`
	os.WriteFile(filepath.Join(dir, "pass.json"), []byte(pass), 0o644)
	os.WriteFile(filepath.Join(dir, "fail.json"), []byte(fail), 0o644)
	code, out, _ := runCLI(t, "conformance", dir)
	if code != exitFail || !strings.Contains(out, "1 passed, 1 failed, 0 skipped") || !strings.Contains(out, "FAIL fail:") {
		t.Errorf("code %d, output:\n%s", code, out)
	}
	os.Remove(filepath.Join(dir, "fail.json"))
	if code, out, _ := runCLI(t, "conformance", dir); code != exitOK || !strings.Contains(out, "1 passed, 0 failed, 0 skipped") {
		t.Errorf("code %d, output:\n%s", code, out)
	}
}

func TestRunMockConfig(t *testing.T) {
	dir := t.TempDir()
	def := filepath.Join(dir, "orders.asl.json")
	os.WriteFile(def, []byte(`{"StartAt":"Charge","States":{"Charge":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke",
	  "Parameters":{"FunctionName":"charge","Payload.$":"$"},"Retry":[{"ErrorEquals":["Lambda.TooManyRequestsException"],"MaxAttempts":2}],
	  "OutputPath":"$.Payload","End":true}}}`), 0o644)
	mocks := filepath.Join(dir, "MockConfigFile.json")
	os.WriteFile(mocks, []byte(`{"StateMachines":{"orders":{"TestCases":{"Throttled":{"Charge":"ThrottledThenOK"},"Broken":{"Charge":"Fails"}}},
	  "Other":{"TestCases":{"Throttled":{"Charge":"Fails"}}}},
	  "MockedResponses":{"ThrottledThenOK":{"0-1":{"Throw":{"Error":"Lambda.TooManyRequestsException","Cause":"slow down"}},"2":{"Return":{"StatusCode":200,"Payload":{"charged":true}}}},
	  "Fails":{"0":{"Throw":{"Error":"CardDeclined","Cause":"no money"}}}}}`), 0o644)

	code, out, stderr := runCLI(t, "run", def, "--fast-time", "--mock-config", mocks, "--test-case", "Throttled")
	if r := decodeRun(t, out); code != exitOK || r.Status != "SUCCEEDED" || r.Output.(map[string]any)["charged"] != true {
		t.Errorf("Throttled: code %d, %+v, stderr %s", code, r, stderr)
	}
	code, out, _ = runCLI(t, "run", def, "--mock-config", mocks, "--test-case", "Broken")
	if r := decodeRun(t, out); code != exitFail || r.Error != "CardDeclined" || r.Cause != "no money" {
		t.Errorf("Broken: code %d, %+v", code, r)
	}
	// --name picks another state machine of the file.
	code, out, _ = runCLI(t, "run", def, "--name", "Other", "--mock-config", mocks, "--test-case", "Throttled")
	if r := decodeRun(t, out); code != exitFail || r.Error != "CardDeclined" {
		t.Errorf("--name Other: code %d, %+v", code, r)
	}
	for _, args := range [][]string{
		{"run", def, "--mock-config", mocks},
		{"run", def, "--mock-config", mocks, "--test-case", "Nope"},
	} {
		if code, _, stderr := runCLI(t, args...); code != exitUsage {
			t.Errorf("%v: code %d, stderr %s", args, code, stderr)
		}
	}
}

func TestRunLambdaCommand(t *testing.T) {
	dir := t.TempDir()
	def := filepath.Join(dir, "greet.asl.json")
	os.WriteFile(def, []byte(`{"StartAt":"Greet","States":{"Greet":{"Type":"Task","Resource":"arn:aws:lambda:us-east-1:123456789012:function:greet","End":true}}}`), 0o644)
	cfg := filepath.Join(dir, "lambda.json")
	os.WriteFile(cfg, []byte(`{"Functions":{"greet":{"Command":["/bin/sh","-c","printf '{\"hello\":'; cat; printf '}'"]}}}`), 0o644)
	code, out, stderr := runCLI(t, "run", def, "--input", `"Ada"`, "--lambda-config", cfg)
	if r := decodeRun(t, out); code != exitOK || r.Output.(map[string]any)["hello"] != "Ada" {
		t.Errorf("code %d, %+v, stderr %s", code, r, stderr)
	}
}

// A Lambda command's stderr reaches the user's stderr under stepwise
// run, as the server logs it.
func TestRunLambdaCommandStderr(t *testing.T) {
	dir := t.TempDir()
	def := filepath.Join(dir, "greet.asl.json")
	os.WriteFile(def, []byte(`{"StartAt":"Greet","States":{"Greet":{"Type":"Task","Resource":"arn:aws:lambda:us-east-1:123456789012:function:greet","End":true}}}`), 0o644)
	cfg := filepath.Join(dir, "lambda.json")
	os.WriteFile(cfg, []byte(`{"Functions":{"greet":{"Command":["/bin/sh","-c","echo 'greeting someone' >&2; echo '{}'"]}}}`), 0o644)
	code, out, stderr := runCLI(t, "run", def, "--lambda-config", cfg)
	if code != exitOK || !strings.Contains(stderr, "greeting someone") || !strings.Contains(stderr, "function=greet") {
		t.Errorf("code %d, stdout %s, stderr %q: want the function's stderr line", code, out, stderr)
	}
	if strings.Contains(out, "greeting someone") {
		t.Errorf("the function's stderr reached stdout: %s", out)
	}
}

func TestRunAWSEndpoint(t *testing.T) {
	var target string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		target = r.Header.Get("X-Amz-Target")
		w.Header().Set("X-Amzn-RequestId", "req-1")
		io.WriteString(w, `{"Item":{"id":{"S":"7"}}}`)
	}))
	defer srv.Close()
	def := writeFile(t, "get.asl.json", `{"StartAt":"Get","States":{"Get":{"Type":"Task","Resource":"arn:aws:states:::dynamodb:getItem",
	  "Parameters":{"TableName":"t","Key":{"id":{"S":"7"}}},"ResultSelector":{"id.$":"$.Item.id.S","status.$":"$.SdkHttpMetadata.HttpStatusCode"},"End":true}}}`)
	code, out, stderr := runCLI(t, "run", def, "--aws-endpoint", "dynamodb="+srv.URL)
	r := decodeRun(t, out)
	if code != exitOK || target != "DynamoDB_20120810.GetItem" || r.Output.(map[string]any)["id"] != "7" || r.Output.(map[string]any)["status"] != 200.0 {
		t.Errorf("code %d, target %q, %+v, stderr %s", code, target, r, stderr)
	}
	// Services without an endpoint are not called.
	def = writeFile(t, "send.asl.json", `{"StartAt":"S","States":{"S":{"Type":"Task","Resource":"arn:aws:states:::sqs:sendMessage","Parameters":{"QueueUrl":"q","MessageBody":"m"},"End":true}}}`)
	code, out, _ = runCLI(t, "run", def, "--aws-endpoint", "dynamodb="+srv.URL)
	if r := decodeRun(t, out); code != exitFail || r.Error != "States.TaskFailed" {
		t.Errorf("sqs without an endpoint: code %d, %+v", code, r)
	}
	if code, _, _ := runCLI(t, "run", def, "--aws-endpoint", "dynamodb"); code != exitUsage {
		t.Errorf("bad --aws-endpoint: code %d", code)
	}
}

// contextDef outputs the context object's Execution and StateMachine.
const contextDef = `{"StartAt":"C","States":{"C":{"Type":"Pass","Parameters":{"execution.$":"$$.Execution","machine.$":"$$.StateMachine"},"End":true}}}`

// TestRunType runs a definition as Standard (the default) and as Express:
// an Express run gets an Express execution ARN
// (arn:aws:states:REGION:ACCOUNT:express:MACHINE:NAME:ID, as the server's
// Express executions and AWS's have) in $$.Execution.Id, and a context
// object without RedriveCount: the Express type reaches the engine.
func TestRunType(t *testing.T) {
	def := writeFile(t, "ctx.asl.json", contextDef)
	for _, tc := range []struct {
		args    []string
		express bool
	}{{nil, false}, {[]string{"--type", "STANDARD"}, false}, {[]string{"--type", "EXPRESS"}, true}} {
		code, out, stderr := runCLI(t, append([]string{"run", def, "--input", `{"a":1}`}, tc.args...)...)
		r := decodeRun(t, out)
		if code != exitOK || r.Status != "SUCCEEDED" {
			t.Fatalf("%v: code %d, %+v, stderr %s", tc.args, code, r, stderr)
		}
		exec := r.Output.(map[string]any)["execution"].(map[string]any)
		id, _ := exec["Id"].(string)
		name, _ := exec["Name"].(string)
		want := "arn:aws:states:us-east-1:123456789012:execution:ctx:" + name
		if tc.express {
			want = "arn:aws:states:us-east-1:123456789012:express:ctx:" + name + ":"
		}
		if name == "" || !strings.HasPrefix(id, want) || (!tc.express && id != want) {
			t.Errorf("%v: $$.Execution.Id %q, Name %q; want %q...", tc.args, id, name, want)
		}
		if tc.express && len(id) != len(want)+36 {
			t.Errorf("%v: $$.Execution.Id %q does not end in a UUID", tc.args, id)
		}
		// Express executions cannot be redriven: AWS's Express context
		// object has no RedriveCount.
		if _, ok := exec["RedriveCount"]; ok == tc.express {
			t.Errorf("%v: $$.Execution %v: RedriveCount present %v, want %v", tc.args, exec, ok, !tc.express)
		}
		if got := exec["Input"].(map[string]any)["a"]; got != 1.0 {
			t.Errorf("%v: $$.Execution.Input.a = %v", tc.args, got)
		}
		if m := r.Output.(map[string]any)["machine"].(map[string]any); m["Id"] != "arn:aws:states:us-east-1:123456789012:stateMachine:ctx" {
			t.Errorf("%v: $$.StateMachine %v", tc.args, m)
		}
	}
}

// TestRunExpressNested checks that an Express run starts children with
// the request-response pattern only, as the server's Express executions
// do (AWS accepts no other in an Express state machine).
func TestRunExpressNested(t *testing.T) {
	dir := writeNested(t) // a parent calling its child with .sync:2
	code, out, stderr := runCLI(t, "run", filepath.Join(dir, "parent.asl.json"), "--input", `{"n":21}`, "--type", "EXPRESS")
	r := decodeRun(t, out)
	if code != exitFail || r.Error != "States.Runtime" || !strings.Contains(r.Cause, "not supported by EXPRESS state machines") {
		t.Errorf(".sync:2 from Express: code %d, %+v, stderr %s", code, r, stderr)
	}
	def := filepath.Join(dir, "start.asl.json")
	os.WriteFile(def, []byte(`{"StartAt":"Call","States":{"Call":{"Type":"Task","Resource":"arn:aws:states:::states:startExecution",
	  "Parameters":{"StateMachineArn":"arn:aws:states:us-east-1:123456789012:stateMachine:child","Input":{"n":1}},"End":true}}}`), 0o644)
	code, out, stderr = runCLI(t, "run", def, "--type", "EXPRESS")
	r = decodeRun(t, out)
	if arn, _ := r.Output.(map[string]any)["ExecutionArn"].(string); code != exitOK || !strings.Contains(arn, ":execution:child:") {
		t.Errorf("request-response from Express: code %d, %+v, stderr %s", code, r, stderr)
	}
}
