package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/sfn"
	"github.com/aws/aws-sdk-go-v2/service/sfn/types"
	"github.com/aws/smithy-go/middleware"
)

// redriveLambdas writes a Lambda config of two commands: "a" appends to
// a.log and returns {"a":1}; "b" appends to b.log and fails the first
// time (no marker file yet), then returns {"b":2}.
func redriveLambdas(t *testing.T, dir string) string {
	t.Helper()
	a := "echo run >> " + filepath.Join(dir, "a.log") + "; echo '{\"a\":1}'"
	b := "echo run >> " + filepath.Join(dir, "b.log") + "; if [ -e " + filepath.Join(dir, "b.marker") + " ]; then echo '{\"b\":2}'; else touch " +
		filepath.Join(dir, "b.marker") + "; echo 'not yet' >&2; exit 3; fi"
	cfg := `{"Functions":{"a":{"Command":["/bin/sh","-c",` + quoteJSON(a) + `]},"b":{"Command":["/bin/sh","-c",` + quoteJSON(b) + `]}}}`
	path := filepath.Join(dir, "lambda.json")
	if err := os.WriteFile(path, []byte(cfg), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

func quoteJSON(s string) string {
	r := strings.NewReplacer(`\`, `\\`, `"`, `\"`)
	return `"` + r.Replace(s) + `"`
}

// runs counts the lines of a command's log.
func runs(t *testing.T, path string) int {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return strings.Count(string(data), "\n")
}

// TestRedriveExecution drives RedriveExecution through the AWS SDK for Go
// v2 against a real server, on SQLite and on PostgreSQL: a Parallel whose
// second branch's Lambda command fails the first time is redriven and
// succeeds, the first branch's command does not run again, the history
// goes on after ExecutionRedriven; and the refusals (succeeded, unknown,
// running, Express, bad clientToken) are AWS's errors.
func TestRedriveExecution(t *testing.T) { onBothStores(t, testRedriveExecution) }

func testRedriveExecution(t *testing.T, o serverOptions) {
	dir := t.TempDir()
	o.invokers.lambdaConfig = redriveLambdas(t, dir)
	url, _, _ := startServe(t, o)
	c := sfn.New(sfn.Options{Region: "us-east-1", BaseEndpoint: aws.String(url), RetryMaxAttempts: 1,
		Credentials: credentials.NewStaticCredentialsProvider("AKIDTEST", "sekrit", ""),
		APIOptions:  []func(*middleware.Stack) error{noHostPrefix}})
	ctx := t.Context()
	role := aws.String("arn:aws:iam::123456789012:role/r")
	const fn = "arn:aws:lambda:us-east-1:123456789012:function:"
	// B waits a second so that A has succeeded, not been stopped, when B
	// fails the Parallel.
	def := `{"StartAt":"Par","States":{"Par":{"Type":"Parallel","End":true,"Branches":[
		{"StartAt":"A","States":{"A":{"Type":"Task","Resource":"` + fn + `a","End":true}}},
		{"StartAt":"W","States":{"W":{"Type":"Wait","Seconds":1,"Next":"B"},
			"B":{"Type":"Task","Resource":"` + fn + `b","Parameters":{"rc.$":"$$.Execution.RedriveCount"},"ResultSelector":{"b.$":"$.b","rc.$":"$$.Execution.RedriveCount"},"End":true}}}]}}}`
	sm := must1[*sfn.CreateStateMachineOutput](t, "create")(c.CreateStateMachine(ctx, &sfn.CreateStateMachineInput{
		Name: aws.String("redrive"), RoleArn: role, Definition: aws.String(def)}))
	start := must1[*sfn.StartExecutionOutput](t, "start")(c.StartExecution(ctx, &sfn.StartExecutionInput{
		StateMachineArn: sm.StateMachineArn, Name: aws.String("e1")}))
	d := waitExecution(t, c, start.ExecutionArn)
	if d.Status != types.ExecutionStatusFailed || d.RedriveStatus != types.ExecutionRedriveStatusRedrivable {
		t.Fatalf("first run: %s %s %q", d.Status, d.RedriveStatus, aws.ToString(d.RedriveStatusReason))
	}

	out := must1[*sfn.RedriveExecutionOutput](t, "redrive")(c.RedriveExecution(ctx, &sfn.RedriveExecutionInput{ExecutionArn: start.ExecutionArn}))
	d = waitExecution(t, c, start.ExecutionArn)
	if d.Status != types.ExecutionStatusSucceeded || aws.ToString(d.Output) != `[{"a":1},{"b":2,"rc":1}]` ||
		aws.ToInt32(d.RedriveCount) != 1 || d.RedriveDate == nil || !d.RedriveDate.Equal(*out.RedriveDate) {
		t.Fatalf("after the redrive: %s %s count %d date %v", d.Status, aws.ToString(d.Output), aws.ToInt32(d.RedriveCount), d.RedriveDate)
	}
	if a, b := runs(t, filepath.Join(dir, "a.log")), runs(t, filepath.Join(dir, "b.log")); a != 1 || b != 2 {
		t.Errorf("command runs: a %d, b %d; want 1 and 2", a, b)
	}
	hist := must1[*sfn.GetExecutionHistoryOutput](t, "history")(c.GetExecutionHistory(ctx, &sfn.GetExecutionHistoryInput{
		ExecutionArn: start.ExecutionArn, MaxResults: 1000}))
	var seen []string
	redriven := -1
	for i, e := range hist.Events {
		seen = append(seen, string(e.Type))
		if e.Type == types.HistoryEventTypeExecutionRedriven {
			redriven = i
			if e.ExecutionRedrivenEventDetails == nil || e.ExecutionRedrivenEventDetails.RedriveCount == nil || *e.ExecutionRedrivenEventDetails.RedriveCount != 1 {
				t.Errorf("ExecutionRedriven details: %+v", e.ExecutionRedrivenEventDetails)
			}
		}
		if e.Id != int64(i+1) {
			t.Errorf("event %d has id %d", i, e.Id)
		}
	}
	if redriven < 1 || hist.Events[redriven-1].Type != types.HistoryEventTypeExecutionFailed ||
		hist.Events[len(hist.Events)-1].Type != types.HistoryEventTypeExecutionSucceeded {
		t.Errorf("history: %v", seen)
	}
	list := must1[*sfn.ListExecutionsOutput](t, "list")(c.ListExecutions(ctx, &sfn.ListExecutionsInput{
		StateMachineArn: sm.StateMachineArn, RedriveFilter: types.ExecutionRedriveFilterRedriven}))
	if len(list.Executions) != 1 || aws.ToInt32(list.Executions[0].RedriveCount) != 1 || list.Executions[0].RedriveDate == nil {
		t.Errorf("ListExecutions REDRIVEN: %+v", list.Executions)
	}

	// Refusals.
	_, err := c.RedriveExecution(ctx, &sfn.RedriveExecutionInput{ExecutionArn: start.ExecutionArn})
	wantAPIError[*types.ExecutionNotRedrivable](t, "redrive of a succeeded execution", err)
	_, err = c.RedriveExecution(ctx, &sfn.RedriveExecutionInput{ExecutionArn: aws.String(*start.ExecutionArn + "x")})
	wantAPIError[*types.ExecutionDoesNotExist](t, "redrive of an unknown execution", err)
	_, err = c.RedriveExecution(ctx, &sfn.RedriveExecutionInput{ExecutionArn: sm.StateMachineArn})
	wantAPIError[*types.InvalidArn](t, "redrive of a state machine ARN", err)
	_, err = c.RedriveExecution(ctx, &sfn.RedriveExecutionInput{ExecutionArn: start.ExecutionArn, ClientToken: aws.String("has space")})
	wantAPIError[*types.ValidationException](t, "a clientToken with a space", err)

	waits := must1[*sfn.CreateStateMachineOutput](t, "create waits")(c.CreateStateMachine(ctx, &sfn.CreateStateMachineInput{
		Name: aws.String("waits"), RoleArn: role, Definition: aws.String(`{"StartAt":"W","States":{"W":{"Type":"Wait","Seconds":3600,"End":true}}}`)}))
	w := must1[*sfn.StartExecutionOutput](t, "start waits")(c.StartExecution(ctx, &sfn.StartExecutionInput{StateMachineArn: waits.StateMachineArn}))
	_, err = c.RedriveExecution(ctx, &sfn.RedriveExecutionInput{ExecutionArn: w.ExecutionArn})
	wantAPIError[*types.ExecutionNotRedrivable](t, "redrive of a running execution", err)
	// Stopped, it is redrivable, and waits again.
	must1[*sfn.StopExecutionOutput](t, "stop")(c.StopExecution(ctx, &sfn.StopExecutionInput{ExecutionArn: w.ExecutionArn}))
	must1[*sfn.RedriveExecutionOutput](t, "redrive stopped")(c.RedriveExecution(ctx, &sfn.RedriveExecutionInput{ExecutionArn: w.ExecutionArn}))
	if d := must1[*sfn.DescribeExecutionOutput](t, "describe")(c.DescribeExecution(ctx, &sfn.DescribeExecutionInput{ExecutionArn: w.ExecutionArn})); d.Status != types.ExecutionStatusRunning || aws.ToInt32(d.RedriveCount) != 1 {
		t.Errorf("redriven after a stop: %s %d", d.Status, aws.ToInt32(d.RedriveCount))
	}

	express := must1[*sfn.CreateStateMachineOutput](t, "create express")(c.CreateStateMachine(ctx, &sfn.CreateStateMachineInput{
		Name: aws.String("fast"), RoleArn: role, Type: types.StateMachineTypeExpress,
		Definition: aws.String(`{"StartAt":"F","States":{"F":{"Type":"Fail","Error":"E"}}}`)}))
	x := must1[*sfn.StartSyncExecutionOutput](t, "start express")(c.StartSyncExecution(ctx, &sfn.StartSyncExecutionInput{StateMachineArn: express.StateMachineArn}))
	_, err = c.RedriveExecution(ctx, &sfn.RedriveExecutionInput{ExecutionArn: x.ExecutionArn})
	wantAPIError[*types.ExecutionNotRedrivable](t, "redrive of an Express execution", err)
}
