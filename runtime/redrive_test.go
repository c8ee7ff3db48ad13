package runtime_test

import (
	"errors"
	"sync"
	"testing"

	"stepwise/engine"
	"stepwise/jsonval"
	"stepwise/runtime"
	"stepwise/store"
	"stepwise/store/memory"
)

// TestRedriveDurable stops a Parallel whose activity branch is still
// waiting, redrives it, and finishes it through the activity: the redrive
// is committed with its first step (a new activity task for workers), the
// Pass branch that succeeded is not run again, and the output has both
// branches. A retried request with the same client token redrives
// nothing; concurrent redrives give one.
func TestRedriveDurable(t *testing.T) {
	ctx := t.Context()
	st := memory.New()
	r, err := runtime.Open(runtime.Config{Store: st})
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	const activity = "arn:aws:states:us-east-1:123456789012:activity:work"
	const def = `{"StartAt":"Par","States":{"Par":{"Type":"Parallel","End":true,"Branches":[
		{"StartAt":"P","States":{"P":{"Type":"Pass","Result":"p","End":true}}},
		{"StartAt":"A","States":{"A":{"Type":"Task","Resource":"` + activity + `","End":true}}}]}}}`
	sm, err := st.CreateStateMachine(ctx, store.StateMachine{ARN: "arn:aws:states:us-east-1:123456789012:stateMachine:m",
		Name: "m", Type: store.TypeStandard, RevisionID: "r1", Definition: def, RoleARN: "arn:aws:iam::123456789012:role/r"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	input, _ := jsonval.ParseString(`{"n":1}`)
	const arn = "arn:aws:states:us-east-1:123456789012:execution:m:e"
	if _, err := r.StartStandard(ctx, runtime.Start{Machine: sm, Name: "e", ARN: arn, Input: `{"n":1}`, Value: input}); err != nil {
		t.Fatal(err)
	}
	if _, err := r.Redrive(ctx, arn, ""); !errors.Is(err, runtime.ErrNotRedrivable) {
		t.Fatalf("redrive of a running execution: %v", err)
	}
	if err := r.Stop(ctx, arn, "Stopped", ""); err != nil {
		t.Fatal(err)
	}
	if _, err := r.Redrive(ctx, arn+"x", ""); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("redrive of an unknown execution: %v", err)
	}

	// Two concurrent redrives with different tokens: one redrives, the
	// other finds it RUNNING.
	var wg sync.WaitGroup
	errs := make([]error, 2)
	execs := make([]store.Execution, 2)
	for i := range errs {
		wg.Go(func() { execs[i], errs[i] = r.Redrive(ctx, arn, []string{"tok-a", "tok-b"}[i]) })
	}
	wg.Wait()
	won := -1
	for i, err := range errs {
		switch {
		case err == nil:
			won = i
		case !errors.Is(err, runtime.ErrNotRedrivable):
			t.Errorf("losing redrive: %v", err)
		}
	}
	if won < 0 || errs[1-won] == nil {
		t.Fatalf("concurrent redrives: %v", errs)
	}
	first := execs[won]
	if first.Status != store.ExecutionRunning || first.RedriveCount != 1 || first.RedriveDate.IsZero() {
		t.Fatalf("redriven: %+v", first)
	}
	again, err := r.Redrive(ctx, arn, []string{"tok-a", "tok-b"}[won])
	if err != nil || again.RedriveCount != 1 || !again.RedriveDate.Equal(first.RedriveDate) {
		t.Fatalf("retried redrive with the same token: %+v, %v", again, err)
	}

	task, ok, err := r.PollActivity(ctx, activity, "w")
	if err != nil || !ok {
		t.Fatalf("activity task after the redrive: %v %v", ok, err)
	}
	out, _ := jsonval.ParseString(`"a"`)
	id, _ := runtime.TaskID(task.WorkID)
	if err := r.CompleteTask(ctx, task, engine.Event{Kind: engine.TaskSucceeded, ID: id, Output: out}); err != nil {
		t.Fatal(err)
	}
	exec, err := st.GetExecution(ctx, arn)
	if err != nil {
		t.Fatal(err)
	}
	if exec.Status != store.ExecutionSucceeded || exec.Output != `["p","a"]` || exec.RedriveCount != 1 {
		t.Fatalf("after the redrive: %s %s (%s)", exec.Status, exec.Output, exec.Error)
	}
	evs, _, err := st.History(ctx, store.HistoryQuery{ExecutionARN: arn, Page: store.Page{MaxResults: 1000}})
	if err != nil {
		t.Fatal(err)
	}
	count := map[string]int{}
	for _, e := range evs {
		count[e.Type]++
	}
	if count["PassStateEntered"] != 1 || count["TaskStateEntered"] != 2 || count["ExecutionRedriven"] != 1 || count["ActivityScheduled"] != 2 {
		t.Errorf("history: %v", count)
	}
	if _, err := r.Redrive(ctx, arn, "tok-c"); !errors.Is(err, runtime.ErrNotRedrivable) {
		t.Errorf("redrive of a succeeded execution: %v", err)
	}
}
