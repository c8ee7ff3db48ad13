package runtime_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"stepwise/jsonval"
	"stepwise/runtime"
	"stepwise/store"
	"stepwise/store/memory"
	"stepwise/tasks"
)

// TestStoppedExecutionCancelsItsTask checks that a task still running
// when its execution is stopped has its context cancelled (a local .sync
// job is killed, a poll stops) rather than running on for nobody.
func TestStoppedExecutionCancelsItsTask(t *testing.T) {
	st := memory.New()
	started, cancelled := make(chan struct{}), make(chan struct{})
	var once sync.Once
	inv := tasks.Func(func(ctx context.Context, _ tasks.Request) (any, error) {
		once.Do(func() { close(started) })
		<-ctx.Done()
		close(cancelled)
		return nil, ctx.Err()
	})
	r, err := runtime.Open(runtime.Config{Store: st, Invoker: inv, Lease: 300 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(t.Context())
	var wg sync.WaitGroup
	wg.Go(func() { _ = r.Run(ctx) })
	defer func() { cancel(); wg.Wait(); r.Close() }()

	sm, err := st.CreateStateMachine(t.Context(), store.StateMachine{ARN: "arn:aws:states:us-east-1:123456789012:stateMachine:job",
		Name: "job", Type: store.TypeStandard, RevisionID: "r1", RoleARN: "arn:aws:iam::123456789012:role/r",
		Definition: `{"StartAt":"Run","States":{"Run":{"Type":"Task","Resource":"arn:aws:states:::ecs:runTask.sync","Parameters":{"TaskDefinition":"t"},"End":true}}}`}, nil)
	if err != nil {
		t.Fatal(err)
	}
	exec, err := r.StartStandard(t.Context(), runtime.Start{Machine: sm, Name: "e",
		ARN: "arn:aws:states:us-east-1:123456789012:execution:job:e", Input: "{}", Value: jsonval.NewObject(0)})
	if err != nil {
		t.Fatal(err)
	}
	select {
	case <-started:
	case <-time.After(10 * time.Second):
		t.Fatal("the task never started")
	}
	if err := r.Stop(t.Context(), exec.ARN, "", ""); err != nil {
		t.Fatal(err)
	}
	select {
	case <-cancelled:
	case <-time.After(10 * time.Second):
		t.Fatal("the task of the stopped execution was not cancelled")
	}
	got, err := st.GetExecution(t.Context(), exec.ARN)
	if err != nil || got.Status != store.ExecutionAborted {
		t.Fatalf("execution %s, %v; want ABORTED", got.Status, err)
	}
}
