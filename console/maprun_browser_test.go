package console_test

import (
	"path/filepath"
	"testing"
	"time"

	"stepwise/tasks"
)

// mapRunDefinition is a distributed Map over its input's items, one child
// at a time, each child waiting 2 s: over three items the Map Run stays
// RUNNING for about six seconds, long enough for the page to show it
// running and to update it.
const mapRunDefinition = `{
  "StartAt": "Each",
  "States": {
    "Each": {
      "Type": "Map", "Label": "Each", "MaxConcurrency": 1, "ItemsPath": "$.items",
      "ItemProcessor": {
        "ProcessorConfig": {"Mode": "DISTRIBUTED", "ExecutionType": "STANDARD"},
        "StartAt": "Nap",
        "States": {"Nap": {"Type": "Wait", "Seconds": 2, "Next": "Done"}, "Done": {"Type": "Pass", "End": true}}
      },
      "End": true
    }
  }
}`

// startMapRunServer serves the console and the real API over a memory
// store, with one state machine, "fan", whose distributed Map the test
// starts itself (so that the page sees its Map Run while it runs).
func startMapRunServer(t *testing.T) (url, machineARN string) {
	t.Helper()
	srv := serveConsole(t, tasks.NewMemory())
	var sm struct{ StateMachineArn string }
	callAPI(t, srv.URL, "CreateStateMachine", map[string]any{
		"name": "fan", "definition": mapRunDefinition, "roleArn": "arn:aws:iam::123456789012:role/stepwise",
	}, &sm)
	return srv.URL, sm.StateMachineArn
}

// TestBrowserMapRun starts a distributed Map (three items, MaxConcurrency
// 1, each child waiting 2 s), opens its execution in Debian's
// Chromium (console/web/e2e/maprun.mjs), follows the Map state's link to
// its Map Run page and watches the counts and status reach SUCCEEDED; it
// also checks the execution's list of Map Runs, that UpdateMapRun's
// refusal of a bad value is shown and a good one applied, and a run that
// fails past its tolerated failures (issue 17, item 5). Run it with
//
//	go test ./console -run TestBrowserMapRun -browser
func TestBrowserMapRun(t *testing.T) {
	if !*browser && *serve == 0 {
		t.Skip("browser test: give -browser (see console/check-build.sh)")
	}
	url, machine := startMapRunServer(t)
	if *serve > 0 {
		t.Logf("console at %s for %s", url, *serve)
		time.Sleep(*serve)
		return
	}
	args := []string{url, machine}
	if *shots != "" {
		dir, err := filepath.Abs(*shots)
		if err != nil {
			t.Fatal(err)
		}
		args = append(args, "--screenshots", dir)
	}
	runBrowserScript(t, 2*time.Minute, "e2e/maprun.mjs", args...)
}
