package enginetest

import (
	"context"
	"errors"
	"fmt"
	"time"

	"stepwise/engine"
	"stepwise/history"
	"stepwise/loop"
)

// Answer is how a test answers one task invocation: the events to feed
// back, in order. Their ID and Time are filled in. No events means the task
// never answers (its timeout, if any, fires).
type Answer func(inv *engine.Invocation) []engine.Event

// Invoker returns the answers of a as a [loop.Invoker], to be called
// inline (loop.Config.Inline).
func (a Answer) Invoker() loop.Invoker {
	return loop.InvokerFunc(func(_ context.Context, inv *engine.Invocation, emit func(engine.Event)) {
		for _, ev := range a(inv) {
			emit(ev)
		}
	})
}

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
	return run(m, exec, seed, start, answer, nil)
}

// RunReloading is Run, but between any two steps the execution's State is
// encoded with engine.MarshalState and decoded again with LoadState, as a
// durable service does after a restart. The result must be the same as
// Run's.
func RunReloading(m *engine.Machine, exec engine.Execution, seed uint64, start time.Time, answer Answer) (Result, error) {
	return run(m, exec, seed, start, answer, func(st *engine.State) (*engine.State, error) {
		data, err := engine.MarshalState(st)
		if err != nil {
			return nil, err
		}
		return m.LoadState(data)
	})
}

// run drives the execution with the command loop: the answers come
// inline, in the order the engine asks, so a run is reproducible, and the
// fake clock skips to each timer when no answer is pending.
func run(m *engine.Machine, exec engine.Execution, seed uint64, start time.Time, answer Answer, reload func(*engine.State) (*engine.State, error)) (Result, error) {
	if exec.TokenKey == nil {
		exec.TokenKey = []byte(TestTokenKey)
	}
	res, err := loop.Run(context.Background(), m, exec, loop.Config{
		Clock: loop.NewFake(start), Invoker: answer.Invoker(), Inline: true, Seed: seed,
		MaxSteps: MaxSteps + 1, Reload: reload,
	})
	switch {
	case errors.Is(err, loop.ErrIdle):
		err = errors.New("enginetest: execution is stuck: running, with nothing pending")
	case errors.Is(err, loop.ErrMaxSteps):
		err = fmt.Errorf("enginetest: execution still running after %d steps", MaxSteps)
	}
	return Result{State: res.State, Events: res.Events, Steps: res.Steps}, err
}
