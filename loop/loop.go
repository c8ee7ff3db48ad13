package loop

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"sync"
	"time"

	"stepwise/engine"
	"stepwise/history"
)

// Invoker carries out the invocations an execution makes: task
// invocations, activities, callbacks and nested executions alike. It is
// the one thing of the outside world the loop waits on, besides timers.
type Invoker interface {
	// Invoke carries out inv and reports what happens to it with emit,
	// in order (TaskStarted, TaskSubmitted, TaskHeartbeat, then
	// TaskSucceeded or TaskFailed); the loop fills in each event's ID and
	// Time. Invoke returns when it has nothing more to report: reporting
	// no outcome leaves the task waiting, so that its timeout, if any,
	// ends it. ctx ends when the engine cancels the task or the run ends;
	// what is emitted after that is dropped.
	Invoke(ctx context.Context, inv *engine.Invocation, emit func(engine.Event))
}

// InvokerFunc is an [Invoker] that is a function.
type InvokerFunc func(ctx context.Context, inv *engine.Invocation, emit func(engine.Event))

// Invoke implements [Invoker].
func (f InvokerFunc) Invoke(ctx context.Context, inv *engine.Invocation, emit func(engine.Event)) {
	f(ctx, inv, emit)
}

// Config configures [Run].
type Config struct {
	// Clock is the time the execution runs on; nil means the wall clock.
	Clock Clock
	// Invoker carries out invocations; nil fails each with
	// States.TaskFailed.
	Invoker Invoker
	// Inline calls the Invoker on the loop's own goroutine, in command
	// order, as the test driver does: what it emits before it returns is
	// delivered in that order, ahead of any timer, so that a run is
	// reproducible. An inline Invoker must not wait for the outside world.
	// Otherwise each invocation runs in a goroutine of its own, which the
	// loop owns.
	Inline bool
	// Seed feeds the execution's random numbers.
	Seed uint64
	// MaxSteps, when positive, bounds the events fed to the engine, so
	// that a workflow that loops forever ends with [ErrMaxSteps].
	MaxSteps int
	// Reload, when set, is given the state before each step and returns
	// the state to step (the test driver reloads it, as a durable runtime
	// does after a restart).
	Reload func(*engine.State) (*engine.State, error)
	// Logger receives a Debug record per step; nil discards.
	Logger *slog.Logger
}

// Result is how a run ended.
type Result struct {
	// State is the execution's last state: ended, or still running when
	// Run returned an error.
	State *engine.State
	// Events is the whole history. The caller owns it.
	Events []history.Event
	// Steps counts the events fed to the engine.
	Steps int
}

// Errors of [Run].
var (
	// ErrIdle is returned by Run when the execution is running but waits
	// on nothing: no timer, no outstanding invocation.
	ErrIdle = errors.New("loop: execution waits on nothing")
	// ErrMaxSteps is returned by Run when Config.MaxSteps events were fed
	// and the execution still runs.
	ErrMaxSteps = errors.New("loop: too many steps")
)

// Run starts an execution of m and drives it until it ends. It returns
// with the State still running and an error when the engine fails, the
// execution waits on nothing ([ErrIdle]), runs too long ([ErrMaxSteps]),
// or ctx ends first (ctx's error). Every goroutine it started has stopped
// when it returns.
func Run(ctx context.Context, m *engine.Machine, exec engine.Execution, cfg Config) (Result, error) {
	r := &run{m: m, cfg: cfg, clock: cfg.Clock}
	if r.clock == nil {
		r.clock = Real(nil)
	}
	if r.cfg.Invoker == nil {
		r.cfg.Invoker = InvokerFunc(noInvoker)
	}
	invCtx, cancel := context.WithCancel(ctx)
	defer func() {
		cancel()
		r.wg.Wait()
	}()
	st, out, err := m.Start(exec, cfg.Seed, r.clock.Now())
	if err != nil {
		return Result{}, fmt.Errorf("start execution %s: %w", exec.ARN, err)
	}
	r.st = st
	if err := r.take(invCtx, out); err != nil {
		return r.result(), err
	}
	for r.st.Status == engine.StatusRunning {
		if cfg.MaxSteps > 0 && r.steps >= cfg.MaxSteps {
			return r.result(), fmt.Errorf("execution %s: %w: still running after %d", exec.ARN, ErrMaxSteps, cfg.MaxSteps)
		}
		ev, err := r.next(ctx)
		if err != nil {
			return r.result(), err
		}
		r.steps++
		r.last = ev.Time
		if cfg.Reload != nil {
			if r.st, err = cfg.Reload(r.st); err != nil {
				return r.result(), fmt.Errorf("reload execution %s: %w", exec.ARN, err)
			}
		}
		out, err := m.Step(r.st, ev)
		if err != nil {
			return r.result(), fmt.Errorf("execution %s: %w", exec.ARN, err)
		}
		if cfg.Logger != nil {
			cfg.Logger.Debug("step", "execution_arn", exec.ARN, "events", len(out.Events), "commands", len(out.Commands))
		}
		if err := r.take(invCtx, out); err != nil {
			return r.result(), err
		}
	}
	return r.result(), nil
}

func noInvoker(_ context.Context, inv *engine.Invocation, emit func(engine.Event)) {
	emit(engine.Event{Kind: engine.TaskFailed, Error: engine.ErrorTaskFailed, Cause: "loop: no invoker for " + inv.Resource})
}

type timer struct {
	id  int64
	due time.Time
}

// report is what an invocation's goroutine hands the loop: an event, or
// (done) that Invoke returned.
type report struct {
	id   int64
	ev   engine.Event
	done bool
}

// run is one execution driven by Run. Its fields belong to the loop's
// goroutine; invocation goroutines talk to it through reports only.
type run struct {
	m     *engine.Machine
	cfg   Config
	clock Clock
	st    *engine.State
	steps int
	last  time.Time // the time of the last event fed to the engine

	pending []engine.Event // emitted by inline invocations, in order
	// held is a report that happened after a timer due before it: the
	// timer goes first (see wait).
	held   *engine.Event
	timers []timer // armed, in the order armed

	wg      sync.WaitGroup
	reports chan report                  // made by the first goroutine invocation
	calls   map[int64]context.CancelFunc // outstanding goroutine invocations

	events []history.Event
}

func (r *run) result() Result { return Result{State: r.st, Events: r.events, Steps: r.steps} }

// take records a step's events and carries out its commands; ctx is the
// context of the invocations it starts.
func (r *run) take(ctx context.Context, out engine.Output) error {
	r.events = append(r.events, out.Events...)
	return Dispatch(ctx, out.Commands, r)
}

// Timer implements [Handler].
func (r *run) Timer(id int64, due time.Time) error {
	r.timers = append(r.timers, timer{id: id, due: due})
	return nil
}

// Cancel implements [Handler].
func (r *run) Cancel(id int64, _ string) error {
	if cancel, ok := r.calls[id]; ok {
		cancel()
		delete(r.calls, id)
	}
	r.timers = slices.DeleteFunc(r.timers, func(t timer) bool { return t.id == id })
	r.pending = slices.DeleteFunc(r.pending, func(e engine.Event) bool { return e.ID == id })
	if r.held != nil && r.held.ID == id {
		r.held = nil
	}
	return nil
}

// Invoke implements [Handler].
func (r *run) Invoke(ctx context.Context, id int64, inv *engine.Invocation) error {
	if r.cfg.Inline {
		r.cfg.Invoker.Invoke(ctx, inv, func(ev engine.Event) {
			ev.ID = id
			r.pending = append(r.pending, ev)
		})
		return nil
	}
	if r.calls == nil {
		r.reports = make(chan report, 16)
		r.calls = map[int64]context.CancelFunc{}
	}
	ctx, cancel := context.WithCancel(ctx)
	r.calls[id] = cancel
	reports := r.reports
	clock := r.clock
	r.wg.Go(func() {
		defer cancel()
		send := func(rep report) {
			select {
			case reports <- rep:
			case <-ctx.Done():
			}
		}
		r.cfg.Invoker.Invoke(ctx, inv, func(ev engine.Event) {
			if ctx.Err() == nil {
				// Stamp the event when it happens, not when the loop gets
				// to it: on a shared fast clock a nested child may have
				// moved the time on in between.
				if ev.Time.IsZero() {
					ev.Time = clock.Now()
				}
				send(report{id: id, ev: ev})
			}
		})
		send(report{id: id, done: true})
	})
	return nil
}

// ended reports whether ev is the last event of its task.
func ended(ev engine.Event) bool {
	return ev.Kind == engine.TaskSucceeded || ev.Kind == engine.TaskFailed
}

// next waits for the next event: an inline answer, else a goroutine
// invocation's report or the earliest due timer. The clock skips to a
// timer's due time only while no invocation is outstanding.
func (r *run) next(ctx context.Context) (engine.Event, error) {
	if len(r.pending) > 0 {
		ev := r.pending[0]
		r.pending = r.pending[1:]
		ev.Time = r.clock.Now()
		return ev, nil
	}
	for {
		earliest := -1
		for i, t := range r.timers {
			if earliest < 0 || t.due.Before(r.timers[earliest].due) {
				earliest = i
			}
		}
		if r.held != nil {
			if earliest >= 0 && r.timers[earliest].due.Before(r.held.Time) {
				return r.fire(earliest), nil
			}
			ev := *r.held
			r.held = nil
			return ev, nil
		}
		if earliest < 0 && len(r.calls) == 0 {
			return engine.Event{}, ErrIdle
		}
		if earliest >= 0 && len(r.calls) == 0 && r.clock.Skip(r.timers[earliest].due) {
			return r.fire(earliest), nil
		}
		if ev, ok, err := r.wait(ctx, earliest); err != nil || ok {
			return ev, err
		}
	}
}

// wait waits for a report or for the timer at index earliest (none when
// negative). It returns false for a report that delivers no event: one of
// a cancelled invocation, or the end of one.
func (r *run) wait(ctx context.Context, earliest int) (engine.Event, bool, error) {
	var due <-chan time.Time
	if earliest >= 0 {
		c, stop := r.clock.After(r.timers[earliest].due)
		defer stop()
		due = c
	}
	select {
	case <-ctx.Done():
		return engine.Event{}, false, ctx.Err()
	case rep := <-r.reports:
		if _, ok := r.calls[rep.id]; !ok {
			return engine.Event{}, false, nil // cancelled, or ended: nothing waits for it
		}
		if rep.done || ended(rep.ev) {
			delete(r.calls, rep.id)
		}
		if rep.done {
			return engine.Event{}, false, nil
		}
		ev := rep.ev
		ev.ID = rep.id
		if ev.Time.IsZero() || ev.Time.Before(r.last) {
			ev.Time = r.clock.Now() // never before an event already fed in
		}
		if earliest >= 0 && r.timers[earliest].due.Before(ev.Time) {
			// A timer was due before this happened (a run sharing a
			// fast clock moved it on): let next fire the timer first.
			r.held = &ev
			return engine.Event{}, false, nil
		}
		return ev, true, nil
	case <-due:
		return r.fire(earliest), true, nil
	}
}

// fire removes the timer at index i and returns its event.
func (r *run) fire(i int) engine.Event {
	t := r.timers[i]
	r.timers = slices.Delete(r.timers, i, i+1)
	// A timer fires at its due time, even when the clock was found past it
	// (a run sharing a fast clock skipped ahead), but never before an
	// event already fed in.
	at := r.clock.Now()
	if t.due.Before(at) {
		at = t.due
	}
	if at.Before(r.last) {
		at = r.last
	}
	return engine.Event{Kind: engine.TimerFired, ID: t.id, Time: at}
}

var _ Handler = (*run)(nil)
