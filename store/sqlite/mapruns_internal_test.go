package sqlite

import (
	"fmt"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"stepwise/store"
)

// TestGroupCommitMapRuns commits from many goroutines at once, half of
// them naming a Map Run that another execution owns, which only the
// upsert in the batch's transaction finds: those fail alone and write
// nothing, the others all apply, and they share transactions.
func TestGroupCommitMapRuns(t *testing.T) {
	ctx := t.Context()
	s := open(t, filepath.Join(t.TempDir(), "x.db"), Options{BatchWindow: 5 * time.Millisecond})
	createMachine(t, s, "arn:m")
	const n = 64
	for i := range n {
		e := store.Execution{ARN: fmt.Sprint("arn:e", i), StateMachineARN: "arn:m", Name: fmt.Sprint(i)}
		if err := s.Commit(ctx, store.Commit{Start: &e}); err != nil {
			t.Fatal(err)
		}
	}
	owned := store.MapRun{ARN: "arn:run:shared", ExecutionARN: "arn:owner", StateMachineARN: "arn:m", Status: store.MapRunRunning, MaxConcurrency: 7}
	owner := store.Execution{ARN: owned.ExecutionARN, StateMachineARN: "arn:m", Name: "owner"}
	if err := s.Commit(ctx, store.Commit{Start: &owner, MapRuns: []store.MapRun{owned}}); err != nil {
		t.Fatal(err)
	}
	b0 := s.batches.Load()
	errs := make([]error, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			arn := fmt.Sprint("arn:e", i)
			run := store.MapRun{ARN: fmt.Sprint("arn:run:", i), ExecutionARN: arn, Status: store.MapRunRunning}
			if i%2 == 1 {
				run.ARN = owned.ARN
			}
			errs[i] = s.Commit(ctx, store.Commit{ExecutionARN: arn, ExpectedVersion: 1,
				Events: []store.Event{{ID: 1, Type: "X", JSON: []byte("{}")}}, MapRuns: []store.MapRun{run}})
		})
	}
	wg.Wait()
	for i, err := range errs {
		bad := i%2 == 1
		if bad != (err != nil) {
			t.Errorf("commit %d: %v, want an error: %v", i, err, bad)
		}
		e, err := s.GetExecution(ctx, fmt.Sprint("arn:e", i))
		if err != nil {
			t.Fatal(err)
		}
		if wantV := int64(2 - i%2); e.Version != wantV {
			t.Errorf("execution %d: version %d, want %d", i, e.Version, wantV)
		}
		if _, err := s.GetMapRun(ctx, fmt.Sprint("arn:run:", i)); bad != (err != nil) {
			t.Errorf("map run %d: %v", i, err)
		}
	}
	if got, err := s.GetMapRun(ctx, owned.ARN); err != nil || got != owned {
		t.Errorf("the owned map run: %+v %v, want %+v", got, err, owned)
	}
	if batches := s.batches.Load() - b0; batches >= n/2 {
		t.Errorf("%d commits took %d transactions; want them batched", n, batches)
	}
}
