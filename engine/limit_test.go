package engine_test

import (
	"testing"

	"stepwise/asl"
	"stepwise/engine"
	"stepwise/engine/enginetest"
	"stepwise/history"
)

// TestHistoryLimitEveryEvent checks that the 25,000-event history limit
// holds for events that enter no state: Map iterations and Parallel
// branches whose tasks retry without end once reached 73,441 events
// (issue 14, item 10). AWS fails such an execution with States.Runtime,
// "The execution reached the maximum number of history events (25000).";
// the history ends at exactly 25,000 events, the last the failure.
func TestHistoryLimitEveryEvent(t *testing.T) {
	retrying := func(name string) string {
		return `{"StartAt":"` + name + `","States":{"` + name + `":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke",
		"Retry":[{"ErrorEquals":["States.ALL"],"IntervalSeconds":1,"BackoffRate":1,"MaxAttempts":99999999}],"End":true}}}`
	}
	for name, def := range map[string]string{
		"Map":      `{"StartAt":"M","States":{"M":{"Type":"Map","ItemProcessor":` + retrying("T") + `,"End":true}}}`,
		"Parallel": `{"StartAt":"P","States":{"P":{"Type":"Parallel","Branches":[` + retrying("A") + `,` + retrying("B") + `],"End":true}}}`,
	} {
		t.Run(name, func(t *testing.T) {
			sm, err := asl.Parse([]byte(def))
			if err != nil {
				t.Fatal(err)
			}
			failing := func(*engine.Invocation) []engine.Event {
				return []engine.Event{fail("Boom", "always")}
			}
			res, err := enginetest.Run(engine.NewMachine(sm, engine.Options{}), testExecution(`[1,2,3]`), 1, start, failing)
			if err != nil {
				t.Fatal(err)
			}
			st := res.State
			const cause = "The execution reached the maximum number of history events (25000)."
			if st.Status != engine.StatusFailed || st.Error != "States.Runtime" || st.Cause != cause {
				t.Fatalf("got %s %s %q", st.Status, st.Error, st.Cause)
			}
			if n := len(res.Events); n != 25000 {
				t.Fatalf("%d events, want 25000", n)
			}
			for i, e := range res.Events {
				if e.ID != int64(i+1) {
					t.Fatalf("event %d has id %d", i+1, e.ID)
				}
			}
			last := res.Events[len(res.Events)-1]
			d, ok := last.Details.(*history.ExecutionFailedEventDetails)
			if last.Type != history.ExecutionFailed || !ok || d.Error != "States.Runtime" || d.Cause != cause {
				t.Errorf("last event %s %+v", last.Type, last.Details)
			}
		})
	}
}

// TestHistoryLimitStopsWork checks that the step that hits the history
// limit hands back no new work: no task is invoked and no timer is armed
// after the execution ended, and what it started before is cancelled.
func TestHistoryLimitStopsWork(t *testing.T) {
	// ExecutionStarted, ParallelStateEntered, ParallelStateStarted, then
	// each branch: TaskStateEntered, TaskScheduled, TaskStarted. A limit of
	// 8 leaves room for the first branch only.
	sm, err := asl.Parse([]byte(`{"StartAt":"P","States":{"P":{"Type":"Parallel","Branches":[
		{"StartAt":"A","States":{"A":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke","TimeoutSeconds":60,"End":true}}},
		{"StartAt":"B","States":{"B":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke","TimeoutSeconds":60,"End":true}}}],"End":true}}}`))
	if err != nil {
		t.Fatal(err)
	}
	exec := testExecution(`{}`)
	exec.TokenKey = []byte(enginetest.TestTokenKey)
	st, out, err := engine.NewMachine(sm, engine.Options{MaxEvents: 8}).Start(exec, 1, start)
	if err != nil {
		t.Fatal(err)
	}
	if st.Status != engine.StatusFailed || len(out.Events) != 8 || out.Events[7].Type != history.ExecutionFailed {
		t.Fatalf("got %s with %d events", st.Status, len(out.Events))
	}
	// Work started before the end (task A, its timeout) is cancelled after
	// it; nothing of B's starts.
	open := map[int64]bool{}
	for _, c := range out.Commands {
		switch c.Kind {
		case engine.CommandInvoke:
			open[c.ID] = true
			if c.Invoke.StateName != "A" {
				t.Errorf("task %s invoked after the execution ended", c.Invoke.StateName)
			}
		case engine.CommandTimer:
			open[c.ID] = true
		case engine.CommandCancel:
			delete(open, c.ID)
		}
	}
	if len(open) != 0 {
		t.Errorf("tasks or timers %v started and never cancelled", open)
	}
}
