package console_test

import (
	"path/filepath"
	"testing"
	"time"

	"stepwise/tasks"
)

// redriveDefinition fails at its Choice on the first run (no choice
// matches and there is no Default: States.NoChoiceMatched) and, redriven,
// enters the Choice again with $$.Execution.RedriveCount 1 and succeeds;
// First succeeded the first time, so the redrive does not run it again.
const redriveDefinition = `{
  "StartAt": "First",
  "States": {
    "First": {"Type": "Pass", "Next": "Look"},
    "Look": {"Type": "Choice", "Choices": [{"Variable": "$$.Execution.RedriveCount", "NumericEquals": 1, "Next": "Fine"}]},
    "Fine": {"Type": "Succeed"}
  }
}`

// fanRedriveDefinition is redriveDefinition inside a Parallel's second
// branch: redriven, only that branch runs again (A is not entered again).
const fanRedriveDefinition = `{
  "StartAt": "Fan",
  "States": {
    "Fan": {
      "Type": "Parallel", "End": true,
      "Branches": [
        {"StartAt": "A", "States": {"A": {"Type": "Pass", "End": true}}},
        {"StartAt": "Look", "States": {
          "Look": {"Type": "Choice", "Choices": [{"Variable": "$$.Execution.RedriveCount", "NumericEquals": 1, "Next": "Fine"}]},
          "Fine": {"Type": "Succeed"}
        }}
      ]
    }
  }
}`

// startVersionsServer serves the console and the real API over a memory
// store, with one state machine, "deploy", whose one Pass state answers
// "one" (the script updates it to answer "two" before its second
// version), and two, "broken" and "fan-broken", whose executions
// "broken-1" and "fan-broken-1" have failed and succeed once redriven (for
// the Redrive button).
func startVersionsServer(t *testing.T) (url, machineARN, failedARN, fanFailedARN string) {
	t.Helper()
	srv := serveConsole(t, tasks.NewMemory())
	var sm struct{ StateMachineArn string }
	callAPI(t, srv.URL, "CreateStateMachine", map[string]any{
		"name": "deploy", "roleArn": "arn:aws:iam::123456789012:role/stepwise",
		"definition": `{"StartAt":"Answer","States":{"Answer":{"Type":"Pass","Result":"one","End":true}}}`,
	}, &sm)
	var broken struct{ StateMachineArn string }
	callAPI(t, srv.URL, "CreateStateMachine", map[string]any{
		"name": "broken", "roleArn": "arn:aws:iam::123456789012:role/stepwise",
		"definition": redriveDefinition,
	}, &broken)
	var ex struct{ ExecutionArn string }
	callAPI(t, srv.URL, "StartExecution", map[string]any{"stateMachineArn": broken.StateMachineArn, "name": "broken-1"}, &ex)
	waitDone(t, srv.URL, ex.ExecutionArn)
	var fan struct{ StateMachineArn string }
	callAPI(t, srv.URL, "CreateStateMachine", map[string]any{
		"name": "fan-broken", "roleArn": "arn:aws:iam::123456789012:role/stepwise", "definition": fanRedriveDefinition,
	}, &fan)
	var fanEx struct{ ExecutionArn string }
	callAPI(t, srv.URL, "StartExecution", map[string]any{"stateMachineArn": fan.StateMachineArn, "name": "fan-broken-1"}, &fanEx)
	waitDone(t, srv.URL, fanEx.ExecutionArn)
	return srv.URL, sm.StateMachineArn, ex.ExecutionArn, fanEx.ExecutionArn
}

// TestBrowserVersions drives the state machine page's versions and
// aliases in Debian's Chromium (console/web/e2e/versions.mjs, issue 18
// item 6): it publishes two versions from the page, is told a routing
// that does not sum to 100 before sending it and shown the API's refusal
// of a bad alias name, creates a 50/50 alias, starts an execution on the
// alias from the start form and sees on the execution page the version
// DescribeExecution says ran, sees the delete of a version the alias
// routes to refused with the API's ConflictException, shifts the alias to
// one version and then deletes the other, and redrives two failed
// executions from the Redrive button (one inside a Parallel branch, whose
// branches are then drawn succeeded). Run it with
//
//	go test ./console -run TestBrowserVersions -browser
func TestBrowserVersions(t *testing.T) {
	if !*browser && *serve == 0 {
		t.Skip("browser test: give -browser (see console/check-build.sh)")
	}
	url, machine, failed, fanFailed := startVersionsServer(t)
	if *serve > 0 {
		t.Logf("console at %s for %s", url, *serve)
		time.Sleep(*serve)
		return
	}
	args := []string{url, machine, failed, fanFailed}
	if *shots != "" {
		dir, err := filepath.Abs(*shots)
		if err != nil {
			t.Fatal(err)
		}
		args = append(args, "--screenshots", dir)
	}
	runBrowserScript(t, 2*time.Minute, "e2e/versions.mjs", args...)
}
