package runtime_test

import (
	"context"
	"testing"

	"stepwise/jsonval"
	"stepwise/runtime"
	"stepwise/store"
	"stepwise/store/memory"
)

// TestCloseStopsBackgroundExpress checks that Close aborts the Express
// executions running in the background and waits for them, and that one
// started after Close is aborted at once: the runtime keeps their cancel
// funcs, not a context of its own (STYLE.md §5).
func TestCloseStopsBackgroundExpress(t *testing.T) {
	r, err := runtime.Open(runtime.Config{Store: memory.New()})
	if err != nil {
		t.Fatal(err)
	}
	sm := store.StateMachine{ARN: "arn:aws:states:us-east-1:123456789012:stateMachine:slow", Name: "slow",
		Type: store.TypeExpress, RevisionID: "r1",
		Definition: `{"StartAt":"W","States":{"W":{"Type":"Wait","Seconds":3600,"End":true}}}`}
	start := func(name string) store.Execution {
		t.Helper()
		e, err := r.StartExpress(context.Background(), runtime.Start{Machine: sm, Name: name, Input: "{}",
			ARN: "arn:aws:states:us-east-1:123456789012:express:slow:" + name + ":1", Value: jsonval.NewObject(0)}, false)
		if err != nil {
			t.Fatal(err)
		}
		return e
	}
	before := start("before")
	if before.Status != store.ExecutionRunning {
		t.Fatalf("status %s, want RUNNING", before.Status)
	}
	if err := r.Close(); err != nil {
		t.Fatal(err)
	}
	if e, _ := r.Express(before.ARN); e.Status != store.ExecutionAborted {
		t.Errorf("after Close: status %s, want ABORTED", e.Status)
	}
	after := start("after")
	if err := r.Close(); err != nil { // idempotent, and waits for the late one
		t.Fatal(err)
	}
	if e, _ := r.Express(after.ARN); e.Status != store.ExecutionAborted {
		t.Errorf("started after Close: status %s, want ABORTED", e.Status)
	}
}
