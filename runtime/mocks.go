package runtime

import (
	"context"
	"fmt"

	"stepwise/tasks"
)

// The mocks of test-case executions: an execution started with
// [Start.Mocks] has its mocked Task states answered by them. The test case
// is stored with the execution, so after a restart the mocks come from
// [Config.TestCase]; the count of invocations of each state, which picks
// the response, is kept in memory and starts again from zero after one.

// mocksFor returns the mocks of a Standard execution, nil when it runs no
// test case. A test case the configuration no longer has is a
// *tasks.Error to fail the task with.
func (r *Runner) mocksFor(ctx context.Context, arn string) (Mocks, error) {
	if r.cfg.TestCase == nil {
		return nil, nil
	}
	r.mu.Lock()
	inv, ok := r.mocks[arn]
	r.mu.Unlock()
	if ok {
		return inv, nil
	}
	e, err := r.store.GetExecution(ctx, arn)
	if err != nil {
		return nil, fmt.Errorf("load execution %s: %w", arn, err)
	}
	if e.TestCase != "" {
		if inv, err = r.cfg.TestCase(e.StateMachineARN, e.TestCase); err != nil {
			// The configuration changed since the start (a restart with
			// another file): fail its tasks rather than call real things.
			return nil, &tasks.Error{Name: tasks.ErrorRuntime, Cause: err.Error()}
		}
	}
	r.rememberMocks(arn, inv)
	return inv, nil
}

func (r *Runner) rememberMocks(arn string, inv Mocks) {
	r.mu.Lock()
	defer r.mu.Unlock()
	putBounded(r.mocks, arn, inv)
}

func (r *Runner) forgetMocks(arn string) {
	if r.cfg.TestCase == nil {
		return
	}
	r.mu.Lock()
	delete(r.mocks, arn)
	r.mu.Unlock()
}
