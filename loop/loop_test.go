package loop_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"go.uber.org/goleak"

	"stepwise/asl"
	"stepwise/engine"
	"stepwise/history"
	"stepwise/jsonval"
	"stepwise/loop"
)

var start = time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)

func machine(t *testing.T, def string) *engine.Machine {
	t.Helper()
	sm, err := asl.Parse([]byte(def))
	if err != nil {
		t.Fatalf("parse: %v", err)
	}
	return engine.NewMachine(sm, engine.Options{})
}

func execution(t *testing.T, name, input string) engine.Execution {
	t.Helper()
	in, err := jsonval.ParseString(input)
	if err != nil {
		t.Fatal(err)
	}
	return engine.Execution{ARN: "arn:aws:states:us-east-1:123456789012:execution:m:" + name, Name: name,
		StateMachineARN: "arn:aws:states:us-east-1:123456789012:stateMachine:m", StateMachineName: "m",
		Input: in, TokenKey: []byte("loop test: not a secret key....."), StartTime: start}
}

// exits lists "name@seconds since start" for every state exited, in
// history order.
func exits(evs []history.Event) []string {
	var out []string
	for _, e := range evs {
		if d, ok := e.Details.(*history.StateExitedEventDetails); ok {
			out = append(out, fmt.Sprintf("%s@%d", d.Name, int(e.Timestamp.Sub(start)/time.Second)))
		}
	}
	return out
}

// waits is a Parallel of three Waits armed out of due order, then a
// Wait of 5 s after them.
const waits = `{"StartAt":"P","States":{
 "P":{"Type":"Parallel","Next":"After","Branches":[
  {"StartAt":"W30","States":{"W30":{"Type":"Wait","Seconds":30,"End":true}}},
  {"StartAt":"W10","States":{"W10":{"Type":"Wait","Seconds":10,"End":true}}},
  {"StartAt":"W20","States":{"W20":{"Type":"Wait","Seconds":20,"End":true}}}]},
 "After":{"Type":"Wait","Seconds":5,"End":true}}}`

// TestTimersInOrder checks that timers fire in due order, with the fake
// clock skipped to each due time, whether invocations run inline or in
// goroutines.
func TestTimersInOrder(t *testing.T) {
	defer goleak.VerifyNone(t)
	tests := []struct {
		name   string
		inline bool
	}{{"inline", true}, {"goroutines", false}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			clock := loop.NewFake(start)
			res, err := loop.Run(t.Context(), machine(t, waits), execution(t, "waits", `{}`),
				loop.Config{Clock: clock, Inline: tt.inline})
			if err != nil {
				t.Fatal(err)
			}
			if res.State.Status != engine.StatusSucceeded {
				t.Fatalf("status %s (%s: %s)", res.State.Status, res.State.Error, res.State.Cause)
			}
			want := "W10@10 W20@20 W30@30 P@30 After@35"
			if got := strings.Join(exits(res.Events), " "); got != want {
				t.Errorf("exits %s, want %s", got, want)
			}
			if got := clock.Now().Sub(start); got != 35*time.Second {
				t.Errorf("clock at %v, want 35s", got)
			}
			if res.Steps != 4 {
				t.Errorf("%d steps, want 4 (one per timer)", res.Steps)
			}
		})
	}
}

// nested answers states:startExecution.sync tasks by running the child
// machine on the same loop and clock, and every other task with the
// input it was given.
type nested struct {
	child  *engine.Machine
	clock  loop.Clock
	inline bool
	t      *testing.T
}

func (n nested) Invoke(ctx context.Context, inv *engine.Invocation, emit func(engine.Event)) {
	if inv.Resource != "arn:aws:states:::states:startExecution.sync:2" {
		emit(engine.Event{Kind: engine.TaskSucceeded, Output: inv.Input})
		return
	}
	exec := execution(n.t, "child", "{}")
	exec.StartTime = n.clock.Now()
	params := inv.Input.(*jsonval.Object)
	exec.Input, _ = params.Get("Input")
	emit(engine.Event{Kind: engine.TaskSubmitted, Output: exec.ARN})
	res, err := loop.Run(ctx, n.child, exec, loop.Config{Clock: n.clock, Invoker: n, Inline: n.inline})
	if err != nil {
		emit(engine.Event{Kind: engine.TaskFailed, Error: "States.Runtime", Cause: err.Error()})
		return
	}
	if res.State.Status != engine.StatusSucceeded {
		emit(engine.Event{Kind: engine.TaskFailed, Error: res.State.Error, Cause: res.State.Cause})
		return
	}
	emit(engine.Event{Kind: engine.TaskSucceeded, Output: res.State.Output})
}

// TestNestedThroughInvoker checks that a nested execution is answered
// through the invoker like any task (TaskSubmitted, then the child's
// outcome), and that the child's timers run on the parent's clock, inline
// and in goroutines alike.
func TestNestedThroughInvoker(t *testing.T) {
	defer goleak.VerifyNone(t)
	const parent = `{"StartAt":"Start","States":{
 "Start":{"Type":"Task","Resource":"arn:aws:states:::states:startExecution.sync:2",
  "Parameters":{"StateMachineArn":"arn:aws:states:us-east-1:123456789012:stateMachine:child","Input":{"n.$":"$.n"}},
  "Next":"Wait"},
 "Wait":{"Type":"Wait","Seconds":1,"End":true}}}`
	const child = `{"StartAt":"Echo","States":{
 "Echo":{"Type":"Task","Resource":"arn:aws:lambda:us-east-1:123456789012:function:echo","Next":"W"},
 "W":{"Type":"Wait","Seconds":60,"End":true}}}`
	tests := []struct {
		name   string
		inline bool
	}{{"inline", true}, {"goroutines", false}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			clock := loop.NewFake(start)
			inv := nested{child: machine(t, child), clock: clock, inline: tt.inline, t: t}
			res, err := loop.Run(t.Context(), machine(t, parent), execution(t, "parent", `{"n":7}`),
				loop.Config{Clock: clock, Invoker: inv, Inline: tt.inline})
			if err != nil {
				t.Fatal(err)
			}
			if res.State.Status != engine.StatusSucceeded {
				t.Fatalf("status %s (%s: %s)", res.State.Status, res.State.Error, res.State.Cause)
			}
			if got := jsonval.MustMarshalString(res.State.Output); got != `{"n":7}` {
				t.Errorf("output %s, want the child's {\"n\":7}", got)
			}
			var types []string
			for _, e := range res.Events {
				if strings.HasPrefix(string(e.Type), "Task") && !strings.HasSuffix(string(e.Type), "StateEntered") &&
					!strings.HasSuffix(string(e.Type), "StateExited") {
					types = append(types, string(e.Type))
				}
			}
			if got, want := strings.Join(types, " "), "TaskScheduled TaskStarted TaskSubmitted TaskSucceeded"; got != want {
				t.Errorf("task events %s, want %s", got, want)
			}
			// The child waited 60 s on the shared clock, then the parent 1 s.
			if got := exits(res.Events); strings.Join(got, " ") != "Start@60 Wait@61" {
				t.Errorf("exits %v, want Start@60 Wait@61", got)
			}
		})
	}
}

// blocking answers nothing until its context ends, and counts the
// invocations whose context ended.
type blocking struct{ cancelled *atomic.Int32 }

func (b blocking) Invoke(ctx context.Context, _ *engine.Invocation, _ func(engine.Event)) {
	<-ctx.Done()
	b.cancelled.Add(1)
}

// TestCancellationStopsGoroutines checks that every invocation goroutine
// has stopped when Run returns: after the run's context is cancelled,
// after the engine cancels a task (a Parallel branch fails), and after the
// execution ends with invocations outstanding.
func TestCancellationStopsGoroutines(t *testing.T) {
	defer goleak.VerifyNone(t)
	const twoTasks = `{"StartAt":"P","States":{"P":{"Type":"Parallel","End":true,"Branches":[
  {"StartAt":"A","States":{"A":{"Type":"Task","Resource":"arn:aws:lambda:us-east-1:123456789012:function:a","End":true}}},
  {"StartAt":"B","States":{"B":{"Type":"Task","Resource":"arn:aws:lambda:us-east-1:123456789012:function:b","End":true}}}]}}}`
	const oneFails = `{"StartAt":"P","States":{"P":{"Type":"Parallel","End":true,"Branches":[
  {"StartAt":"A","States":{"A":{"Type":"Task","Resource":"arn:aws:lambda:us-east-1:123456789012:function:a","End":true}}},
  {"StartAt":"F","States":{"F":{"Type":"Fail","Error":"Boom"}}}]}}}`
	tests := []struct {
		name       string
		def        string
		cancel     bool // cancel the run's context once both tasks run
		wantErr    error
		wantStatus engine.Status
		cancelled  int32
	}{
		{name: "run cancelled", def: twoTasks, cancel: true, wantErr: context.Canceled, wantStatus: engine.StatusRunning, cancelled: 2},
		{name: "branch fails", def: oneFails, wantStatus: engine.StatusFailed, cancelled: 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ctx, cancel := context.WithCancel(t.Context())
			defer cancel()
			var n atomic.Int32
			var inv loop.Invoker = blocking{cancelled: &n}
			if tt.cancel {
				var started atomic.Int32
				inv = loop.InvokerFunc(func(ctx context.Context, i *engine.Invocation, emit func(engine.Event)) {
					if started.Add(1) == 2 {
						cancel()
					}
					blocking{cancelled: &n}.Invoke(ctx, i, emit)
				})
			}
			res, err := loop.Run(ctx, machine(t, tt.def), execution(t, "cancel", `{}`),
				loop.Config{Clock: loop.NewFake(start), Invoker: inv})
			if !errors.Is(err, tt.wantErr) || (tt.wantErr == nil && err != nil) {
				t.Fatalf("error %v, want %v", err, tt.wantErr)
			}
			if res.State.Status != tt.wantStatus {
				t.Errorf("status %s, want %s", res.State.Status, tt.wantStatus)
			}
			// Run has waited for its goroutines: each saw its context end.
			if got := n.Load(); got != tt.cancelled {
				t.Errorf("%d invocations saw their context end, want %d", got, tt.cancelled)
			}
		})
	}
}

// TestRunErrors checks the ends of a run that is not an execution's end.
func TestRunErrors(t *testing.T) {
	defer goleak.VerifyNone(t)
	const task = `{"StartAt":"T","States":{"T":{"Type":"Task","Resource":"arn:aws:lambda:us-east-1:123456789012:function:f","End":true}}}`
	const forever = `{"StartAt":"W","States":{"W":{"Type":"Wait","Seconds":1,"Next":"C"},
 "C":{"Type":"Choice","Choices":[{"Variable":"$.stop","IsPresent":true,"Next":"Done"}],"Default":"W"},
 "Done":{"Type":"Succeed"}}}`
	silent := loop.InvokerFunc(func(context.Context, *engine.Invocation, func(engine.Event)) {})
	tests := []struct {
		name string
		def  string
		cfg  loop.Config
		want error
	}{
		{name: "inline answer of nothing", def: task, cfg: loop.Config{Invoker: silent, Inline: true}, want: loop.ErrIdle},
		{name: "goroutine answer of nothing", def: task, cfg: loop.Config{Invoker: silent}, want: loop.ErrIdle},
		{name: "endless loop", def: forever, cfg: loop.Config{MaxSteps: 50}, want: loop.ErrMaxSteps},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.cfg.Clock = loop.NewFake(start)
			res, err := loop.Run(t.Context(), machine(t, tt.def), execution(t, "e", `{}`), tt.cfg)
			if !errors.Is(err, tt.want) {
				t.Fatalf("error %v, want %v", err, tt.want)
			}
			if res.State == nil || res.State.Status != engine.StatusRunning {
				t.Errorf("state %v, want a running one", res.State)
			}
		})
	}
}

// TestNoInvoker checks that without an invoker each task fails with
// States.TaskFailed.
func TestNoInvoker(t *testing.T) {
	const task = `{"StartAt":"T","States":{"T":{"Type":"Task","Resource":"arn:aws:lambda:us-east-1:123456789012:function:f","End":true}}}`
	res, err := loop.Run(t.Context(), machine(t, task), execution(t, "e", `{}`), loop.Config{Clock: loop.NewFake(start)})
	if err != nil {
		t.Fatal(err)
	}
	if res.State.Status != engine.StatusFailed || res.State.Error != engine.ErrorTaskFailed {
		t.Errorf("status %s error %s, want FAILED States.TaskFailed", res.State.Status, res.State.Error)
	}
}
