package service

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"stepwise/tasks"
	"stepwise/tasks/mock"
)

// Test cases of a mock configuration (Config.Mocks), as Step Functions
// Local runs them: StartExecution of "STATE_MACHINE_ARN#TEST_CASE" starts
// an ordinary execution of the state machine (its ARN and name are the
// usual ones) whose mocked Task states get the test case's responses. The
// test case is stored with the execution, so the mocks still apply after
// a restart; the count of invocations of each state, which picks the
// response, is kept in memory and starts again from zero after one.

// splitTestCase splits "ARN#TEST_CASE".
func splitTestCase(arn string) (string, string) {
	base, testCase, _ := strings.Cut(arn, "#")
	return base, testCase
}

// testCaseInvoker returns a new mock invoker for one execution of a test
// case of the state machine named machine, or the error StartExecution
// gives for an unknown test case.
func (s *Service) testCaseInvoker(machine, testCase string) (*mock.Invoker, error) {
	if s.cfg.Mocks == nil {
		return nil, errorf(CodeValidation, "Test case '%s' cannot run: the server has no mock configuration (start it with --mock-config)", testCase)
	}
	inv, err := s.cfg.Mocks.Invoker(machine, testCase, s.cfg.Invoker)
	if errors.Is(err, mock.ErrUnknownTestCase) {
		return nil, errorf(CodeValidation, "Test case '%s' is not defined for state machine '%s' in the mock configuration", testCase, machine)
	}
	return inv, err
}

// mocksFor returns the mock invoker of a Standard execution, nil when it
// runs no test case. A test case the configuration no longer has is a
// *tasks.Error to fail the task with.
func (s *Service) mocksFor(ctx context.Context, arn string) (*mock.Invoker, error) {
	if s.cfg.Mocks == nil {
		return nil, nil
	}
	s.mu.Lock()
	inv, ok := s.mocks[arn]
	s.mu.Unlock()
	if ok {
		return inv, nil
	}
	e, err := s.store.GetExecution(ctx, arn)
	if err != nil {
		return nil, fmt.Errorf("load execution %s: %w", arn, err)
	}
	if e.TestCase != "" {
		machine, err := machineNameOf(arn)
		if err != nil {
			return nil, err
		}
		if inv, err = s.testCaseInvoker(machine, e.TestCase); err != nil {
			// The configuration changed since the start (a restart with
			// another file): fail its tasks rather than call real things.
			msg := err.Error()
			if se, ok := AsError(err); ok {
				msg = se.Message
			}
			return nil, &tasks.Error{Name: tasks.ErrorRuntime, Cause: msg}
		}
	}
	s.rememberMocks(arn, inv)
	return inv, nil
}

func (s *Service) rememberMocks(arn string, inv *mock.Invoker) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(s.mocks) >= maxLive {
		for k := range s.mocks {
			delete(s.mocks, k)
			break
		}
	}
	s.mocks[arn] = inv
}

func (s *Service) forgetMocks(arn string) {
	if s.cfg.Mocks == nil {
		return
	}
	s.mu.Lock()
	delete(s.mocks, arn)
	s.mu.Unlock()
}

// startOptions are what a start carries beyond StartExecution's input.
type startOptions struct {
	// testCase is the mock test case the execution runs, and mocks its
	// invoker.
	testCase string
	mocks    *mock.Invoker
	// parent is the execution that started this one (nested.go).
	parent string
	// link, for a .sync or .sync:2 child, is the parent task to tell when
	// the child ends.
	link *parentLink
}

// testCaseStart reads the "#TEST_CASE" of a StartExecution's state machine
// ARN into opts and takes it off the ARN.
func (s *Service) testCaseStart(in *StartExecutionInput, opts *startOptions) error {
	base, testCase := splitTestCase(in.StateMachineARN)
	if testCase == "" {
		return nil
	}
	name, err := parseARN(base, "stateMachine")
	if err != nil {
		return err
	}
	inv, err := s.testCaseInvoker(name, testCase)
	if err != nil {
		return err
	}
	in.StateMachineARN, opts.testCase, opts.mocks = base, testCase, inv
	return nil
}
