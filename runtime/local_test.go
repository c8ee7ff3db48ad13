package runtime_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"go.uber.org/goleak"

	"stepwise/asl"
	"stepwise/engine"
	"stepwise/history"
	"stepwise/jsonval"
	"stepwise/loop"
	"stepwise/runtime"
	"stepwise/tasks"
)

func localMachine(tb testing.TB, def string) *engine.Machine {
	tb.Helper()
	sm, err := asl.Parse([]byte(def))
	if err != nil {
		tb.Fatal(err)
	}
	return engine.NewMachine(sm, engine.Options{})
}

func localExec(tb testing.TB) engine.Execution {
	tb.Helper()
	in, err := jsonval.ParseString(`{"n":1}`)
	if err != nil {
		tb.Fatal(err)
	}
	return engine.Execution{ARN: "arn:aws:states:us-east-1:123456789012:execution:m:e", Name: "e",
		StateMachineARN: "arn:aws:states:us-east-1:123456789012:stateMachine:m", Input: in}
}

type invokerFunc func(ctx context.Context, req tasks.Request) (any, error)

func (f invokerFunc) Invoke(ctx context.Context, req tasks.Request) (any, error) { return f(ctx, req) }

// TestRunLocalCancelled checks that an in-process run whose context ends
// while a task runs is aborted with States.Aborted, returns the context's
// error, and leaves no goroutine behind.
func TestRunLocalCancelled(t *testing.T) {
	defer goleak.VerifyNone(t)
	const def = `{"StartAt":"T","States":{"T":{"Type":"Task","Resource":"arn:aws:lambda:us-east-1:123456789012:function:f","End":true}}}`
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	inv := invokerFunc(func(ctx context.Context, _ tasks.Request) (any, error) {
		cancel()
		<-ctx.Done()
		return nil, ctx.Err()
	})
	res, err := runtime.RunLocal(ctx, localMachine(t, def), localExec(t), runtime.LocalOptions{Invoker: inv, FastTime: true})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("error %v, want context.Canceled", err)
	}
	if res.Status != engine.StatusAborted || res.Error != "States.Aborted" || res.Cause != context.Canceled.Error() {
		t.Errorf("ended %s %s %q, want ABORTED States.Aborted %q", res.Status, res.Error, res.Cause, context.Canceled.Error())
	}
	if last := res.Events[len(res.Events)-1]; last.Type != history.ExecutionAborted {
		t.Errorf("last event %s, want ExecutionAborted", last.Type)
	}
}

// TestRunLocalFastTime checks that fast time skips a Wait while nothing
// is outstanding, and that a task's timeout still waits in real time for
// a task that is running.
func TestRunLocalFastTime(t *testing.T) {
	defer goleak.VerifyNone(t)
	const def = `{"StartAt":"W","States":{"W":{"Type":"Wait","Seconds":3600,"Next":"T"},
 "T":{"Type":"Task","Resource":"arn:aws:lambda:us-east-1:123456789012:function:f","TimeoutSeconds":1,"End":true}}}`
	inv := invokerFunc(func(ctx context.Context, req tasks.Request) (any, error) {
		select {
		case <-time.After(50 * time.Millisecond):
			return req.Input, nil
		case <-ctx.Done():
			return nil, ctx.Err()
		}
	})
	began := time.Now()
	res, err := runtime.RunLocal(t.Context(), localMachine(t, def), localExec(t), runtime.LocalOptions{Invoker: inv, FastTime: true})
	if err != nil {
		t.Fatal(err)
	}
	if res.Status != engine.StatusSucceeded {
		t.Fatalf("status %s (%s: %s), want SUCCEEDED: the task answers before its timeout", res.Status, res.Error, res.Cause)
	}
	if took := time.Since(began); took > 30*time.Second {
		t.Errorf("took %v: the hour's Wait was not skipped", took)
	}
	first, last := res.Events[0].Timestamp, res.Events[len(res.Events)-1].Timestamp
	if last.Sub(first) < time.Hour {
		t.Errorf("execution clock moved %v, want at least the hour waited", last.Sub(first))
	}
}

// TestRunLocalSharedClock checks that a child run in-process on its
// parent's clock moves the parent's time: the child's skipped hour shows
// in the parent's history.
func TestRunLocalSharedClock(t *testing.T) {
	defer goleak.VerifyNone(t)
	const parent = `{"StartAt":"Child","States":{"Child":{"Type":"Task","Resource":"arn:aws:lambda:us-east-1:123456789012:function:child","End":true}}}`
	const child = `{"StartAt":"W","States":{"W":{"Type":"Wait","Seconds":3600,"End":true}}}`
	start := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	clock := loop.Fast(func() time.Time { return start })
	cm := localMachine(t, child)
	inv := invokerFunc(func(ctx context.Context, req tasks.Request) (any, error) {
		res, err := runtime.RunLocal(ctx, cm, localExec(t), runtime.LocalOptions{Clock: clock})
		return res.Output, err
	})
	res, err := runtime.RunLocal(t.Context(), localMachine(t, parent), localExec(t), runtime.LocalOptions{Invoker: inv, Clock: clock})
	if err != nil {
		t.Fatal(err)
	}
	if res.Status != engine.StatusSucceeded {
		t.Fatalf("status %s (%s: %s)", res.Status, res.Error, res.Cause)
	}
	if end := res.Events[len(res.Events)-1].Timestamp; !end.Equal(start.Add(time.Hour)) {
		t.Errorf("parent ended at %v, want %v: the child's hour on the shared clock", end, start.Add(time.Hour))
	}
}

// BenchmarkRunLocalPass runs an in-process execution of ten Pass states
// (the Express hot path: no invocation).
func BenchmarkRunLocalPass(b *testing.B) {
	def := `{"StartAt":"P0","States":{`
	for i := range 10 {
		next := `"Next":"P` + string(rune('0'+i+1)) + `"`
		if i == 9 {
			next = `"End":true`
		}
		if i > 0 {
			def += ","
		}
		def += `"P` + string(rune('0'+i)) + `":{"Type":"Pass",` + next + `}`
	}
	def += `}}`
	m, exec := localMachine(b, def), localExec(b)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := runtime.RunLocal(b.Context(), m, exec, runtime.LocalOptions{}); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkRunLocalTasks runs an in-process execution of five Task states
// answered at once.
func BenchmarkRunLocalTasks(b *testing.B) {
	const task = `{"Type":"Task","Resource":"arn:aws:lambda:us-east-1:123456789012:function:f",`
	def := `{"StartAt":"T0","States":{"T0":` + task + `"Next":"T1"},"T1":` + task + `"Next":"T2"},"T2":` + task +
		`"Next":"T3"},"T3":` + task + `"Next":"T4"},"T4":` + task + `"End":true}}}`
	m, exec := localMachine(b, def), localExec(b)
	inv := invokerFunc(func(_ context.Context, req tasks.Request) (any, error) { return req.Input, nil })
	b.ReportAllocs()
	for b.Loop() {
		if _, err := runtime.RunLocal(b.Context(), m, exec, runtime.LocalOptions{Invoker: inv}); err != nil {
			b.Fatal(err)
		}
	}
}
