package service

import (
	"errors"
	"strings"

	"stepwise/runtime"
)

// Test cases of a mock configuration (Config.TestCases), as Step
// Functions Local runs them: StartExecution of
// "STATE_MACHINE_ARN#TEST_CASE" starts an ordinary execution of the state
// machine (its ARN and name are the usual ones) whose mocked Task states
// get the test case's responses. The test case is stored with the
// execution, so the mocks still apply after a restart (the runtime asks
// restartedTestCase for them); the count of invocations of each state,
// which picks the response, is kept in memory and starts again from zero
// after one.

// splitTestCase splits "ARN#TEST_CASE".
func splitTestCase(arn string) (string, string) {
	base, testCase, _ := strings.Cut(arn, "#")
	return base, testCase
}

// testCaseMocks returns new mocks for one execution of a test case of the
// state machine named machine, or the error StartExecution gives for an
// unknown test case.
func (s *Service) testCaseMocks(machine, testCase string) (runtime.Mocks, error) {
	if s.cfg.TestCases == nil {
		return nil, errorf(CodeValidation, "Test case '%s' cannot run: the server has no mock configuration (start it with --mock-config)", testCase)
	}
	mocks, err := s.cfg.TestCases(machine, testCase)
	if err != nil {
		return nil, errorf(CodeValidation, "Test case '%s' is not defined for state machine '%s' in the mock configuration", testCase, machine)
	}
	return mocks, nil
}

// restartedTestCase gives the runtime the mocks of an execution of a test
// case that it finds in the store (after a restart, say). Its error's text
// becomes the cause of the execution's task failures.
func (s *Service) restartedTestCase(stateMachineARN, testCase string) (runtime.Mocks, error) {
	name, err := parseARN(stateMachineARN, "stateMachine")
	if err == nil {
		var mocks runtime.Mocks
		if mocks, err = s.testCaseMocks(name, testCase); err == nil {
			return mocks, nil
		}
	}
	msg := err.Error()
	if se, ok := AsError(err); ok {
		msg = se.Message
	}
	return nil, errors.New(msg)
}

// startOptions are what a start carries beyond StartExecution's input.
type startOptions struct {
	// testCase is the mock test case the execution runs, and mocks its
	// mocked states.
	testCase string
	mocks    runtime.Mocks
	// parent is the execution that started this one (nested.go).
	parent string
	// link, for a .sync or .sync:2 child, is the parent task to tell when
	// the child ends.
	link *runtime.ParentLink
	// versionARN and aliasARN are the version and alias a start on a
	// qualified ARN runs (versions.go).
	versionARN, aliasARN string
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
	mocks, err := s.testCaseMocks(name, testCase)
	if err != nil {
		return err
	}
	in.StateMachineARN, opts.testCase, opts.mocks = base, testCase, mocks
	return nil
}
