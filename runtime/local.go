package runtime

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"stepwise/engine"
	"stepwise/history"
	"stepwise/tasks"
)

// LocalOptions configure [RunLocal].
type LocalOptions struct {
	// Invoker answers Task states; nil fails every task with
	// States.TaskFailed.
	Invoker tasks.Invoker
	// FastTime makes timers (Wait states, retry back-off, timeouts) fire
	// as soon as nothing else is pending, with the execution's clock jumped
	// to their due time, instead of waiting for the wall clock. A timer
	// still waits in real time while a task invocation is outstanding, so
	// that a task answers before its timeout as it would.
	FastTime bool
	// Now reads the clock; nil means time.Now.
	Now func() time.Time
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

// RunLocal runs one execution of m to its end, in-process. It returns
// when the execution ends, or with ctx's error when ctx is cancelled first
// (the execution is then aborted and the result says so). Every goroutine
// it starts has stopped when it returns.
func RunLocal(ctx context.Context, m *engine.Machine, exec engine.Execution, opts LocalOptions) (LocalResult, error) {
	// results and calls are made by the first invocation: most Express
	// executions on the hot path (Pass, Choice) never invoke anything.
	if exec.TokenKey == nil {
		exec.TokenKey = newTokenKey()
	}
	r := &localRun{m: m, opts: opts}
	if r.opts.Now == nil {
		r.opts.Now = time.Now
	}
	if r.opts.Logger == nil {
		r.opts.Logger = slog.New(slog.DiscardHandler)
	}
	r.now = r.opts.Now()
	invCtx, cancel := context.WithCancel(ctx)
	defer func() {
		cancel()
		r.wg.Wait()
	}()
	st, out, err := m.Start(exec, opts.Seed, r.now)
	if err != nil {
		return LocalResult{}, fmt.Errorf("start execution %s: %w", exec.ARN, err)
	}
	r.st = st
	r.take(invCtx, out)
	for st.Status == engine.StatusRunning {
		ev, err := r.next(ctx)
		if err != nil {
			out, _ := m.Step(st, engine.Event{Kind: engine.Stop, Time: r.clock(), Error: "States.Aborted", Cause: err.Error()})
			r.events = append(r.events, out.Events...)
			return r.result(), err
		}
		out, err := m.Step(st, ev)
		if err != nil {
			return r.result(), fmt.Errorf("execution %s: %w", exec.ARN, err)
		}
		r.opts.Logger.Debug("step", "execution_arn", exec.ARN, "events", len(out.Events), "commands", len(out.Commands))
		r.take(invCtx, out)
	}
	return r.result(), nil
}

type timer struct {
	id  int64
	due time.Time
}

type localRun struct {
	m       *engine.Machine
	opts    LocalOptions
	st      *engine.State
	now     time.Time // the execution's clock in FastTime mode
	results chan engine.Event
	wg      sync.WaitGroup
	calls   map[int64]context.CancelFunc // outstanding invocations
	timers  []timer
	events  []history.Event
}

func (r *localRun) clock() time.Time {
	if r.opts.FastTime {
		if now := r.opts.Now(); now.After(r.now) {
			r.now = now
		}
		return r.now
	}
	return r.opts.Now()
}

func (r *localRun) result() LocalResult {
	return LocalResult{Status: r.st.Status, Output: r.st.Output, Error: r.st.Error, Cause: r.st.Cause, Events: r.events}
}

// take records a step's events and carries out its commands; ctx is the
// context of the invocations it starts.
func (r *localRun) take(ctx context.Context, out engine.Output) {
	r.events = append(r.events, out.Events...)
	for _, c := range out.Commands {
		switch c.Kind {
		case engine.CommandTimer:
			r.timers = append(r.timers, timer{id: c.ID, due: c.Due})
		case engine.CommandCancel:
			if cancel, ok := r.calls[c.ID]; ok {
				cancel()
				delete(r.calls, c.ID)
			}
			for i, t := range r.timers {
				if t.id == c.ID {
					r.timers = append(r.timers[:i], r.timers[i+1:]...)
					break
				}
			}
		case engine.CommandInvoke:
			r.invoke(ctx, c.ID, c.Invoke)
		}
	}
}

func (r *localRun) invoke(ctx context.Context, id int64, inv *engine.Invocation) {
	if r.calls == nil {
		r.results = make(chan engine.Event, 16)
		r.calls = map[int64]context.CancelFunc{}
	}
	ctx, cancel := context.WithCancel(ctx)
	r.calls[id] = cancel
	req := tasks.Request{StateName: inv.StateName, Resource: inv.Resource, Input: inv.Input, TaskToken: inv.TaskToken,
		TimeoutSeconds: inv.TimeoutSeconds, HeartbeatSeconds: inv.HeartbeatSeconds, Credentials: inv.Credentials}
	r.wg.Go(func() {
		defer cancel()
		var out any
		var err error
		if r.opts.Invoker == nil {
			err = &tasks.Error{Name: tasks.ErrorTaskFailed, Cause: fmt.Sprintf("%v: %s", tasks.ErrNoInvoker, inv.Resource)}
		} else {
			out, err = r.opts.Invoker.Invoke(ctx, req)
		}
		ev := engine.Event{ID: id, Kind: engine.TaskSucceeded, Output: out}
		if err != nil {
			te := tasks.AsError(err)
			ev = engine.Event{ID: id, Kind: engine.TaskFailed, Error: te.Name, Cause: te.Cause}
		}
		select {
		case r.results <- ev:
		case <-ctx.Done():
		}
	})
}

// next waits for the next event: a task outcome or a due timer.
func (r *localRun) next(ctx context.Context) (engine.Event, error) {
	for {
		earliest := -1
		for i, t := range r.timers {
			if earliest < 0 || t.due.Before(r.timers[earliest].due) {
				earliest = i
			}
		}
		if earliest < 0 && len(r.calls) == 0 {
			return engine.Event{}, errors.New("runtime: execution waits on nothing")
		}
		if earliest >= 0 && r.opts.FastTime && len(r.calls) == 0 {
			t := r.timers[earliest]
			r.timers = append(r.timers[:earliest], r.timers[earliest+1:]...)
			if t.due.After(r.now) {
				r.now = t.due
			}
			return engine.Event{Kind: engine.TimerFired, ID: t.id, Time: r.clock()}, nil
		}
		var fire <-chan time.Time
		if earliest >= 0 {
			d := r.timers[earliest].due.Sub(r.clock())
			tm := time.NewTimer(max(d, 0))
			defer tm.Stop()
			fire = tm.C
		}
		select {
		case <-ctx.Done():
			return engine.Event{}, ctx.Err()
		case ev := <-r.results:
			delete(r.calls, ev.ID)
			ev.Time = r.clock()
			return ev, nil
		case <-fire:
			t := r.timers[earliest]
			r.timers = append(r.timers[:earliest], r.timers[earliest+1:]...)
			return engine.Event{Kind: engine.TimerFired, ID: t.id, Time: r.clock()}, nil
		}
	}
}
