package mock

import (
	"context"
	"fmt"
	"sync"

	"stepwise/tasks"
)

// Invoker answers the Task states of one execution of a test case from
// its mocked responses, and passes the states the test case does not mock
// to a fallback. It counts invocations, so each execution needs its own
// Invoker. It is safe for concurrent use.
type Invoker struct {
	states    map[string]string // state name to response name
	responses map[string][]step
	fallback  tasks.Invoker

	mu    sync.Mutex     // guards calls
	calls map[string]int // invocations so far, by state name
}

var _ tasks.Invoker = (*Invoker)(nil)

// Invoker returns a new Invoker for one execution of testCase of the
// state machine named machine. States the test case does not mock go to
// fallback; with a nil fallback they fail with States.Runtime (Step
// Functions Local would call the real service). It returns an error
// wrapping [ErrUnknownTestCase] when the file has no such machine or test
// case.
func (c *Config) Invoker(machine, testCase string, fallback tasks.Invoker) (*Invoker, error) {
	cases, ok := c.machines[machine]
	if !ok {
		return nil, fmt.Errorf("%w: the mock config has no state machine %q", ErrUnknownTestCase, machine)
	}
	states, ok := cases[testCase]
	if !ok {
		return nil, fmt.Errorf("%w: state machine %q has no test case %q", ErrUnknownTestCase, machine, testCase)
	}
	return &Invoker{states: states, responses: c.responses, fallback: fallback, calls: map[string]int{}}, nil
}

// Invoke answers req from the mocked response of req.StateName: the
// result of a Return, or the *[tasks.Error] of a Throw.
func (iv *Invoker) Invoke(ctx context.Context, req tasks.Request) (any, error) {
	name, ok := iv.states[req.StateName]
	if !ok {
		if iv.fallback == nil {
			return nil, &tasks.Error{Name: tasks.ErrorRuntime, Cause: fmt.Sprintf(
				"state %q is not mocked in this test case and no other invoker is configured", req.StateName)}
		}
		return iv.fallback.Invoke(ctx, req)
	}
	iv.mu.Lock()
	n := iv.calls[req.StateName]
	iv.calls[req.StateName] = n + 1
	iv.mu.Unlock()

	steps := iv.responses[name]
	s := steps[len(steps)-1] // past the end: the last response again
	for _, st := range steps {
		if n >= st.From && n <= st.To {
			s = st
			break
		}
		if n < st.From {
			// A gap in the numbering: Step Functions Local has no response
			// for it either; use the next one given.
			s = st
			break
		}
	}
	if s.Throw != nil {
		return nil, &tasks.Error{Name: s.Throw.Name, Cause: s.Throw.Cause}
	}
	return s.Return, nil
}

// Before returns an Invoker that answers the states iv mocks from their
// mocked responses, counted with iv's other invocations, and hands every
// other request to next instead of iv's fallback.
//
// This is the one precedence rule wherever Stepwise runs a test case (the
// server's executions, stepwise run, stepwise test): a mocked Task state
// gets its mocked response whatever its Resource, ahead of every built-in
// invoker, nested executions (arn:aws:states:::states:startExecution,
// .sync, .sync:2) and .waitForTaskToken callbacks included, since in Step
// Functions Local a mocked Task never calls the service. Whoever composes
// invokers for a test case puts Before outermost, so that nothing under it
// sees a mocked state first. Children started by next get no mocks, as a
// child on the server runs no test case.
func (iv *Invoker) Before(next tasks.Invoker) tasks.Invoker {
	return tasks.Func(func(ctx context.Context, req tasks.Request) (any, error) {
		if iv.Mocks(req.StateName) {
			return iv.Invoke(ctx, req)
		}
		if next == nil {
			return nil, &tasks.Error{Name: tasks.ErrorRuntime, Cause: fmt.Sprintf(
				"state %q is not mocked in this test case and no other invoker is configured", req.StateName)}
		}
		return next.Invoke(ctx, req)
	})
}

// Mocks reports whether the test case mocks the state named state; the
// others go to the fallback (or, under [Invoker.Before], to its next). The
// server asks it before it starts a nested execution, the one built-in
// that is not an Invoker there.
func (iv *Invoker) Mocks(state string) bool {
	_, ok := iv.states[state]
	return ok
}

// Calls returns how many times the state named state was invoked.
func (iv *Invoker) Calls(state string) int {
	iv.mu.Lock()
	defer iv.mu.Unlock()
	return iv.calls[state]
}
