package runtime_test

import (
	"testing"

	"stepwise/jsonval"
	"stepwise/runtime"
	"stepwise/store"
	"stepwise/store/memory"
)

// TestMapRunsCommitted checks that the store holds each Map Run as the
// step that changed it left it: started, changed by UpdateMapRun, and
// aborted with its execution.
func TestMapRunsCommitted(t *testing.T) {
	st := memory.New()
	r, err := runtime.Open(runtime.Config{Store: st})
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	const def = `{"StartAt":"M","States":{"M":{"Type":"Map","MaxConcurrency":1,"ToleratedFailurePercentage":50,
		"ItemProcessor":{"ProcessorConfig":{"Mode":"DISTRIBUTED","ExecutionType":"STANDARD"},"StartAt":"A","States":{
			"A":{"Type":"Task","Resource":"arn:aws:states:us-east-1:123456789012:activity:work","End":true}}},"End":true}}}`
	sm, err := st.CreateStateMachine(t.Context(), store.StateMachine{ARN: "arn:aws:states:us-east-1:123456789012:stateMachine:m",
		Name: "m", Type: store.TypeStandard, RevisionID: "r1", Definition: def, RoleARN: "arn:aws:iam::123456789012:role/r"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	input, _ := jsonval.ParseString(`[1,2]`)
	exec, err := r.StartStandard(t.Context(), runtime.Start{Machine: sm, Name: "e",
		ARN: "arn:aws:states:us-east-1:123456789012:execution:m:e", Input: "[1,2]", Value: input})
	if err != nil {
		t.Fatal(err)
	}
	runs, _, err := st.ListMapRuns(t.Context(), exec.ARN, store.Page{})
	if err != nil || len(runs) != 1 {
		t.Fatalf("ListMapRuns: %v, %v", runs, err)
	}
	run := runs[0]
	want := store.MapRunCounts{Pending: 1, Running: 1, Total: 2}
	if run.Status != store.MapRunRunning || run.ExecutionCounts != want || run.MaxConcurrency != 1 ||
		run.ToleratedFailurePercentage != 50 || run.StateMachineARN != sm.ARN || !run.StopDate.IsZero() {
		t.Fatalf("started: %+v", run)
	}

	two := int64(2)
	if err := r.UpdateMapRun(t.Context(), exec.ARN, run.ARN, store.MapRunUpdate{MaxConcurrency: &two}); err != nil {
		t.Fatal(err)
	}
	if run, err = st.GetMapRun(t.Context(), run.ARN); err != nil {
		t.Fatal(err)
	}
	if want := (store.MapRunCounts{Running: 2, Total: 2}); run.MaxConcurrency != 2 || run.ExecutionCounts != want {
		t.Fatalf("updated: %+v", run)
	}

	if err := r.Stop(t.Context(), exec.ARN, "", ""); err != nil {
		t.Fatal(err)
	}
	if run, err = st.GetMapRun(t.Context(), run.ARN); err != nil {
		t.Fatal(err)
	}
	if want := (store.MapRunCounts{Aborted: 2, Total: 2}); run.Status != store.MapRunAborted || run.ExecutionCounts != want || run.StopDate.IsZero() {
		t.Fatalf("stopped: %+v", run)
	}
}
