package runtime

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"stepwise/engine"
	"stepwise/history"
	"stepwise/loop"
	"stepwise/tasks"
)

// LocalOptions configure [RunLocal].
type LocalOptions struct {
	// Invoker answers Task states; nil fails every task with
	// States.TaskFailed.
	Invoker tasks.Invoker
	// Invocations, when set, carries out the execution's invocations in
	// place of Invoker, with every event of a task (TaskSubmitted, ...),
	// as [LocalNested] does.
	Invocations loop.Invoker
	// FastTime makes timers (Wait states, retry back-off, timeouts) fire
	// as soon as nothing else is pending, with the execution's clock jumped
	// to their due time, instead of waiting for the wall clock. A timer
	// still waits in real time while a task invocation is outstanding, so
	// that a task answers before its timeout as it would.
	FastTime bool
	// Now reads the clock; nil means time.Now.
	Now func() time.Time
	// Clock, when set, is the clock the execution runs on, in place of
	// the one FastTime and Now make: a parent and the children it runs
	// in-process share one, so that a child's skipped Wait moves the
	// parent's time too.
	Clock loop.Clock
	// Seed feeds the execution's random numbers.
	Seed uint64
	// Logger receives a Debug record per step; nil discards.
	Logger *slog.Logger
}

// LocalResult is how an in-process execution ended.
type LocalResult struct {
	Status engine.Status
	Output any    // when SUCCEEDED
	Error  string // otherwise
	Cause  string
	// Events is the whole history.
	Events []history.Event
}

// errIdle is the cause of the abort of an in-process execution that waits
// on nothing.
var errIdle = errors.New("runtime: execution waits on nothing")

// RunLocal runs one execution of m to its end, in-process, on the command
// loop (package loop): each invocation in a goroutine of its own, on the
// wall clock or, with FastTime, on the fast clock. It returns when the
// execution ends, or with ctx's error when ctx is cancelled first (the
// execution is then aborted and the result says so). Every goroutine it
// starts has stopped when it returns.
func RunLocal(ctx context.Context, m *engine.Machine, exec engine.Execution, opts LocalOptions) (LocalResult, error) {
	if exec.TokenKey == nil {
		exec.TokenKey = NewTokenKey()
	}
	clock := opts.clock()
	inv := opts.Invocations
	if inv == nil {
		inv = taskInvoker{opts.Invoker}
	}
	res, err := loop.Run(ctx, m, exec, loop.Config{Clock: clock, Invoker: inv, Seed: opts.Seed, Logger: opts.Logger})
	if res.State == nil {
		return LocalResult{}, err
	}
	if errors.Is(err, loop.ErrIdle) {
		err = errIdle
		if ctx.Err() != nil {
			// The invocation ended because ctx did, and the loop saw its
			// end before ctx's: the run ends because of ctx all the same.
			err = ctx.Err()
		}
	}
	if err != nil && (err == errIdle || errors.Is(err, ctx.Err())) && res.State.Status == engine.StatusRunning {
		// Waiting ended without the execution: abort it.
		out, _ := m.Step(res.State, engine.Event{Kind: engine.Stop, Time: clock.Now(), Error: "States.Aborted", Cause: err.Error()})
		res.Events = append(res.Events, out.Events...)
	}
	st := res.State
	return LocalResult{Status: st.Status, Output: st.Output, Error: st.Error, Cause: st.Cause, Events: res.Events}, err
}

// clock is the clock an execution run with o runs on: o.Clock, else the
// one FastTime and Now make.
func (o LocalOptions) clock() loop.Clock {
	switch {
	case o.Clock != nil:
		return o.Clock
	case o.FastTime:
		return loop.Fast(o.Now)
	default:
		return loop.Real(o.Now)
	}
}

// TaskInvoker returns the [loop.Invoker] that carries out invocations
// with inv, whose answer is the task's outcome; nil fails every task with
// States.TaskFailed.
func TaskInvoker(inv tasks.Invoker) loop.Invoker { return taskInvoker{inv} }

// taskInvoker carries out the loop's invocations with a [tasks.Invoker]:
// its result is the task's outcome.
type taskInvoker struct{ inv tasks.Invoker }

// Invoke implements [loop.Invoker].
func (t taskInvoker) Invoke(ctx context.Context, inv *engine.Invocation, emit func(engine.Event)) {
	if t.inv == nil {
		emit(engine.Event{Kind: engine.TaskFailed, Error: tasks.ErrorTaskFailed, Cause: fmt.Sprintf("%v: %s", tasks.ErrNoInvoker, inv.Resource)})
		return
	}
	out, err := t.inv.Invoke(ctx, tasks.Request{StateName: inv.StateName, Resource: inv.Resource, Input: inv.Input,
		TaskToken: inv.TaskToken, TimeoutSeconds: inv.TimeoutSeconds, HeartbeatSeconds: inv.HeartbeatSeconds,
		Credentials: inv.Credentials, MapIO: mapIOField(inv.Kind)})
	emit(taskOutcome(out, err))
}

// mapIOField names the Map field an invocation of kind carries out, or
// "" for a Task state's.
func mapIOField(kind engine.ResourceKind) string {
	switch kind {
	case engine.ResourceItemReader:
		return tasks.MapItemReader
	case engine.ResourceResultWriter:
		return tasks.MapResultWriter
	}
	return ""
}

// taskOutcome is the event that ends a task whose invoker returned out
// and err: TaskSucceeded with out, or TaskFailed with the error's name and
// cause. The in-process runner and the durable runtime's workers both
// turn an invoker's answer into the engine's event with it.
func taskOutcome(out any, err error) engine.Event {
	if err != nil {
		te := tasks.AsError(err)
		return engine.Event{Kind: engine.TaskFailed, Error: te.Name, Cause: te.Cause}
	}
	return engine.Event{Kind: engine.TaskSucceeded, Output: out}
}

var _ loop.Invoker = taskInvoker{}
