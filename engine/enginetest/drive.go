package enginetest

import (
	"errors"
	"fmt"
	"slices"
	"time"

	"stepwise/engine"
	"stepwise/history"
)

// Answer is how a test answers one task invocation: the events to feed
// back, in order. Their ID and Time are filled in. No events means the task
// never answers (its timeout, if any, fires).
type Answer func(inv *engine.Invocation) []engine.Event

// Result is how an execution ended.
type Result struct {
	State  *engine.State
	Events []history.Event
	// Steps counts the events fed to the engine.
	Steps int
}

// MaxSteps bounds a run, so that a workflow that loops forever fails the
// test instead of hanging it.
const MaxSteps = 100000

// TestTokenKey is the task token key Run gives an execution that has
// none: fixed, so that test runs are reproducible. Never use it outside
// tests.
const TestTokenKey = "enginetest: not a secret key...."

// Run starts an execution of m and drives it to its end on a fake clock
// that begins at start.
func Run(m *engine.Machine, exec engine.Execution, seed uint64, start time.Time, answer Answer) (Result, error) {
	return run(m, exec, seed, start, answer, false)
}

// RunReloading is Run, but between any two steps the execution's State is
// encoded with engine.MarshalState and decoded again with LoadState, as a
// durable service does after a restart. The result must be the same as
// Run's.
func RunReloading(m *engine.Machine, exec engine.Execution, seed uint64, start time.Time, answer Answer) (Result, error) {
	return run(m, exec, seed, start, answer, true)
}

func run(m *engine.Machine, exec engine.Execution, seed uint64, start time.Time, answer Answer, reload bool) (Result, error) {
	if exec.TokenKey == nil {
		exec.TokenKey = []byte(TestTokenKey)
	}
	st, out, err := m.Start(exec, seed, start)
	if err != nil {
		return Result{}, err
	}
	d := &driver{m: m, st: st, now: start, answer: answer}
	d.take(out)
	for st.Status == engine.StatusRunning {
		if d.steps > MaxSteps {
			return d.result(), fmt.Errorf("enginetest: execution still running after %d steps", MaxSteps)
		}
		ev, ok := d.next()
		if !ok {
			return d.result(), errors.New("enginetest: execution is stuck: running, with nothing pending")
		}
		d.steps++
		if reload {
			data, err := engine.MarshalState(st)
			if err != nil {
				return d.result(), err
			}
			if st, err = m.LoadState(data); err != nil {
				return d.result(), err
			}
			d.st = st
		}
		out, err := m.Step(st, ev)
		if err != nil {
			return d.result(), err
		}
		d.take(out)
	}
	return d.result(), nil
}

type timer struct {
	id  int64
	due time.Time
	seq int
}

type driver struct {
	m       *engine.Machine
	st      *engine.State
	now     time.Time
	answer  Answer
	pending []engine.Event // answers ready to deliver, in order
	timers  []timer
	seq     int
	events  []history.Event
	steps   int
}

func (d *driver) result() Result {
	return Result{State: d.st, Events: d.events, Steps: d.steps}
}

func (d *driver) take(out engine.Output) {
	d.events = append(d.events, out.Events...)
	for _, c := range out.Commands {
		switch c.Kind {
		case engine.CommandTimer:
			d.seq++
			d.timers = append(d.timers, timer{id: c.ID, due: c.Due, seq: d.seq})
		case engine.CommandCancel:
			d.timers = slices.DeleteFunc(d.timers, func(t timer) bool { return t.id == c.ID })
			d.pending = slices.DeleteFunc(d.pending, func(e engine.Event) bool { return e.ID == c.ID })
		case engine.CommandInvoke:
			for _, ev := range d.answer(c.Invoke) {
				ev.ID = c.ID
				d.pending = append(d.pending, ev)
			}
		}
	}
}

// next returns the next event: a pending answer, else the earliest timer.
func (d *driver) next() (engine.Event, bool) {
	if len(d.pending) > 0 {
		ev := d.pending[0]
		d.pending = d.pending[1:]
		ev.Time = d.now
		return ev, true
	}
	if len(d.timers) == 0 {
		return engine.Event{}, false
	}
	best := 0
	for i, t := range d.timers {
		b := d.timers[best]
		if t.due.Before(b.due) || (t.due.Equal(b.due) && t.seq < b.seq) {
			best = i
		}
	}
	t := d.timers[best]
	d.timers = slices.Delete(d.timers, best, best+1)
	if t.due.After(d.now) {
		d.now = t.due
	}
	return engine.Event{Kind: engine.TimerFired, ID: t.id, Time: d.now}, true
}
