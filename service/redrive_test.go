package service_test

import (
	"strings"
	"testing"
	"testing/synctest"
	"time"

	"stepwise/service"
	"stepwise/store"
)

// TestRedriveNestedSync redrives a parent whose .sync child failed: the
// redriven Task starts a new child (the first one stays FAILED), waits for
// it as any .sync task does, and the parent succeeds with its output.
func TestRedriveNestedSync(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		h := start(t)
		child := h.machine(t, "child", `{"StartAt":"C","States":{"C":{"Type":"Choice",
			"Choices":[{"Variable":"$.rc","NumericEquals":0,"Next":"F"}],"Default":"W"},
			"F":{"Type":"Fail","Error":"FirstTime"},
			"W":{"Type":"Wait","Seconds":30,"Next":"P"},"P":{"Type":"Pass","Result":"ok","End":true}}}`, store.TypeStandard)
		parent := h.machine(t, "parent", `{"StartAt":"Start","States":{"Start":{"Type":"Task",
			"Resource":"arn:aws:states:::states:startExecution.sync:2",
			"Parameters":{"StateMachineArn":"`+child+`","Input":{"rc.$":"$$.Execution.RedriveCount"}},
			"OutputPath":"$.Output","End":true}}}`, store.TypeStandard)
		e, err := h.svc.StartExecution(t.Context(), service.StartExecutionInput{StateMachineARN: parent, Name: "p"})
		if err != nil {
			t.Fatal(err)
		}
		if got := h.wait(t, e.ARN); got.Status != store.ExecutionFailed || got.Error != "States.TaskFailed" {
			t.Fatalf("first run: %s %s %s", got.Status, got.Error, got.Cause)
		}
		if _, err := h.svc.RedriveExecution(t.Context(), e.ARN, ""); err != nil {
			t.Fatal(err)
		}
		got := h.wait(t, e.ARN)
		if got.Status != store.ExecutionSucceeded || got.Output != `"ok"` || got.RedriveCount != 1 {
			t.Fatalf("after the redrive: %s %s (%s: %s)", got.Status, got.Output, got.Error, got.Cause)
		}
		children, _, err := h.svc.ListExecutions(t.Context(), store.ExecutionQuery{StateMachineARN: child})
		if err != nil {
			t.Fatal(err)
		}
		var statuses []string
		for _, c := range children {
			statuses = append(statuses, string(c.Status))
		}
		if strings.Join(statuses, " ") != "SUCCEEDED FAILED" {
			t.Errorf("children, newest first: %v", statuses)
		}
		if types := historyTypes(t, h.svc, e.ARN); !strings.Contains(types, "ExecutionFailed ExecutionRedriven TaskStateEntered TaskScheduled TaskStarted TaskSubmitted TaskSucceeded") {
			t.Errorf("history: %s", types)
		}
	})
}

// TestRedriveRefusals checks the refusals that depend on time and on the
// state machine: 14 days after its stop an execution is no longer
// redrivable ("Execution redrivable period exceeded."), nor once its state
// machine is deleted ("State machine is in DELETING status."), and
// DescribeExecution's redriveStatus says the same.
func TestRedriveRefusals(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		h := start(t)
		fails := `{"StartAt":"F","States":{"F":{"Type":"Fail","Error":"E"}}}`
		arn := h.machine(t, "fails", fails, store.TypeStandard)
		e, err := h.svc.StartExecution(t.Context(), service.StartExecutionInput{StateMachineARN: arn, Name: "old"})
		if err != nil {
			t.Fatal(err)
		}
		h.wait(t, e.ARN)
		status := func(arn string) (string, string) {
			t.Helper()
			d, err := h.store.GetExecution(t.Context(), arn)
			if err != nil {
				t.Fatal(err)
			}
			return h.svc.RedriveStatus(t.Context(), d)
		}
		if s, r := status(e.ARN); s != service.RedriveStatusRedrivable || r != "" {
			t.Errorf("just failed: %s %q", s, r)
		}
		time.Sleep(14*24*time.Hour + time.Minute)
		const expired = "Execution redrivable period exceeded."
		if s, r := status(e.ARN); s != service.RedriveStatusNotRedrivable || r != expired {
			t.Errorf("15 days later: %s %q", s, r)
		}
		_, err = h.svc.RedriveExecution(t.Context(), e.ARN, "")
		if ae, ok := service.AsError(err); !ok || ae.Code != service.CodeExecutionNotRedrivable || ae.Message != expired {
			t.Errorf("redrive 15 days later: %v", err)
		}

		f, err := h.svc.StartExecution(t.Context(), service.StartExecutionInput{StateMachineARN: arn, Name: "new"})
		if err != nil {
			t.Fatal(err)
		}
		h.wait(t, f.ARN)
		if err := h.svc.DeleteStateMachine(t.Context(), arn); err != nil {
			t.Fatal(err)
		}
		const deleting = "State machine is in DELETING status."
		if s, r := status(f.ARN); s != service.RedriveStatusNotRedrivable || r != deleting {
			t.Errorf("machine deleted: %s %q", s, r)
		}
		_, err = h.svc.RedriveExecution(t.Context(), f.ARN, "")
		if ae, ok := service.AsError(err); !ok || ae.Code != service.CodeExecutionNotRedrivable || ae.Message != deleting {
			t.Errorf("redrive after the machine's delete: %v", err)
		}
	})
}
