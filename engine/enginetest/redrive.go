package enginetest

import (
	"errors"
	"fmt"
	"time"

	"stepwise/engine"
)

// Redrive redrives st, an execution Run left FAILED, TIMED_OUT or ABORTED,
// at now and drives it to its end with answer, as Run does: answers come
// inline in the order the engine asks, and the clock skips to the next
// timer when no answer is pending. The Result's Events are the redrive's
// own (from ExecutionRedriven on).
func Redrive(m *engine.Machine, st *engine.State, now time.Time, answer Answer) (Result, error) {
	out, err := m.Redrive(st, now)
	if err != nil {
		return Result{State: st}, err
	}
	return Continue(m, st, now, out, answer)
}

// Continue drives st, which out has just left at now (a Start, Step or
// Redrive), to its end with answer.
func Continue(m *engine.Machine, st *engine.State, now time.Time, out engine.Output, answer Answer) (Result, error) {
	type timer struct {
		id  int64
		due time.Time
	}
	res := Result{State: st}
	var pending []engine.Event
	var timers []timer
	take := func(out engine.Output) {
		res.Events = append(res.Events, out.Events...)
		for _, c := range out.Commands {
			switch c.Kind {
			case engine.CommandInvoke:
				for _, ev := range answer(c.Invoke) {
					ev.ID, ev.Time = c.ID, now
					pending = append(pending, ev)
				}
			case engine.CommandTimer:
				timers = append(timers, timer{c.ID, c.Due})
			case engine.CommandCancel:
				for i, t := range timers {
					if t.id == c.ID {
						timers = append(timers[:i], timers[i+1:]...)
						break
					}
				}
				kept := pending[:0]
				for _, ev := range pending {
					if ev.ID != c.ID {
						kept = append(kept, ev)
					}
				}
				pending = kept
			}
		}
	}
	take(out)
	for st.Status == engine.StatusRunning {
		if res.Steps >= MaxSteps {
			return res, fmt.Errorf("enginetest: execution still running after %d steps", MaxSteps)
		}
		earliest := -1
		for i, t := range timers {
			if earliest < 0 || t.due.Before(timers[earliest].due) {
				earliest = i
			}
		}
		var ev engine.Event
		switch {
		case len(pending) > 0 && (earliest < 0 || now.Before(timers[earliest].due)):
			ev, pending = pending[0], pending[1:]
		case earliest >= 0:
			t := timers[earliest]
			timers = append(timers[:earliest], timers[earliest+1:]...)
			if t.due.After(now) {
				now = t.due
			}
			ev = engine.Event{Kind: engine.TimerFired, ID: t.id, Time: now}
		default:
			return res, errors.New("enginetest: execution is stuck: running, with nothing pending")
		}
		res.Steps++
		out, err := m.Step(st, ev)
		if err != nil {
			return res, err
		}
		take(out)
	}
	return res, nil
}
