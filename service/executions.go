package service

import (
	"context"
	"errors"
	"fmt"

	"stepwise/jsonval"
	"stepwise/runtime"
	"stepwise/store"
)

// maxInput is AWS's limit on an execution's input, in bytes.
const maxInput = 256 * 1024

// StartExecutionInput is what StartExecution and StartSyncExecution take.
type StartExecutionInput struct {
	StateMachineARN string
	// Name is the execution's name; empty means a generated UUID.
	Name string
	// Input is JSON text; empty means "{}".
	Input string
}

// StartExecution starts an execution. For a Standard state machine the
// execution and its first step are committed before it returns; starting
// one again with the same name and input while it runs returns the same
// execution, as AWS does, and any other reuse of the name gives
// ExecutionAlreadyExists. An Express execution runs in memory.
//
// A StateMachineARN of "ARN#TEST_CASE" runs a test case of Config.TestCases
// (see mocks.go).
func (s *Service) StartExecution(ctx context.Context, in StartExecutionInput) (store.Execution, error) {
	var opts startOptions
	if err := s.testCaseStart(&in, &opts); err != nil {
		return store.Execution{}, err
	}
	sm, input, err := s.prepareStart(ctx, &in, &opts)
	if err != nil {
		return store.Execution{}, err
	}
	if sm.Type == store.TypeExpress {
		return s.startExpress(ctx, sm, in, input, false, opts)
	}
	return s.startStandard(ctx, sm, in, input, opts)
}

// prepareStart resolves the start's state machine (a version or alias ARN
// sets opts' versionARN and aliasARN) and checks its name and input.
func (s *Service) prepareStart(ctx context.Context, in *StartExecutionInput, opts *startOptions) (store.StateMachine, any, error) {
	sm, err := s.startTarget(ctx, in.StateMachineARN, opts)
	if err != nil {
		return sm, nil, err
	}
	if sm.Status == store.StatusDeleting {
		return sm, nil, deletingError(sm.ARN)
	}
	if in.Name == "" {
		in.Name = runtime.NewUUID()
	}
	if err := checkName("execution", in.Name); err != nil {
		return sm, nil, err
	}
	if in.Input == "" {
		in.Input = "{}"
	}
	if len(in.Input) > maxInput {
		return sm, nil, errorf(CodeInvalidExecutionInput, "Input exceeds the maximum size of %d bytes", maxInput)
	}
	input, err := jsonval.ParseString(in.Input)
	if err != nil {
		return sm, nil, errorf(CodeInvalidExecutionInput, "Invalid State Machine Execution Input: '%v'", err)
	}
	return sm, input, nil
}

// deletingError is AWS's answer to a start on a DELETING state machine.
func deletingError(arn string) error {
	return errorf(CodeStateMachineDeleting, "State Machine is being deleted: '%s'", arn)
}

// startStandard starts a Standard execution in the runtime; see
// StartExecution for a name in use.
func (s *Service) startStandard(ctx context.Context, sm store.StateMachine, in StartExecutionInput, input any, opts startOptions) (store.Execution, error) {
	arn := s.arns().execution(sm.Name, in.Name)
	if existing, err := s.store.GetExecution(ctx, arn); err == nil {
		return s.alreadyStarted(existing, in)
	} else if !errors.Is(err, store.ErrNotFound) {
		return store.Execution{}, fmt.Errorf("start execution %s: %w", arn, err)
	}
	row, err := s.rt.StartStandard(ctx, runtime.Start{Machine: sm, ARN: arn, Name: in.Name, Input: in.Input, Value: input,
		Parent: opts.parent, Link: opts.link, TestCase: opts.testCase, Mocks: opts.mocks, VersionARN: opts.versionARN, AliasARN: opts.aliasARN})
	switch {
	case errors.Is(err, store.ErrStateMachineDeleting):
		// DeleteStateMachine won the race since prepareStart looked.
		return store.Execution{}, deletingError(sm.ARN)
	case errors.Is(err, store.ErrNotFound):
		return store.Execution{}, errorf(CodeStateMachineDoesNotExist, "State Machine Does Not Exist: '%s'", sm.ARN)
	case errors.Is(err, store.ErrAlreadyExists):
		existing, gerr := s.store.GetExecution(ctx, arn)
		if gerr != nil {
			return store.Execution{}, fmt.Errorf("start execution %s: %w", arn, gerr)
		}
		return s.alreadyStarted(existing, in)
	}
	return row, err
}

// startExpress runs an Express execution in the runtime: to its end
// before returning when wait is set (StartSyncExecution), else in the
// background. opts.mocks, when not nil, answers its mocked states.
func (s *Service) startExpress(ctx context.Context, sm store.StateMachine, in StartExecutionInput, input any, wait bool, opts startOptions) (store.Execution, error) {
	arn := s.arns().express(sm.Name, in.Name, runtime.NewUUID())
	return s.rt.StartExpress(ctx, runtime.Start{Machine: sm, ARN: arn, Name: in.Name, Input: in.Input, Value: input, Mocks: opts.mocks,
		VersionARN: opts.versionARN, AliasARN: opts.aliasARN}, wait)
}

// StartSyncExecution runs an Express execution to its end and returns it.
func (s *Service) StartSyncExecution(ctx context.Context, in StartExecutionInput) (store.Execution, error) {
	var opts startOptions
	if err := s.testCaseStart(&in, &opts); err != nil {
		return store.Execution{}, err
	}
	sm, input, err := s.prepareStart(ctx, &in, &opts)
	if err != nil {
		return store.Execution{}, err
	}
	if sm.Type != store.TypeExpress {
		return store.Execution{}, errorf(CodeStateMachineTypeNotSupp, "This operation is not supported by this type of state machine")
	}
	return s.startExpress(ctx, sm, in, input, true, opts)
}

// alreadyStarted is StartExecution's answer for a name in use.
func (s *Service) alreadyStarted(existing store.Execution, in StartExecutionInput) (store.Execution, error) {
	if existing.Status == store.ExecutionRunning && sameJSON(existing.Input, in.Input) {
		return existing, nil
	}
	return store.Execution{}, errorf(CodeExecutionAlreadyExists, "Execution Already Exists: '%s'", existing.ARN)
}

func sameJSON(a, b string) bool {
	va, err1 := jsonval.ParseString(a)
	vb, err2 := jsonval.ParseString(b)
	return err1 == nil && err2 == nil && jsonval.Equal(va, vb)
}

// DescribeExecution returns an execution, Standard or Express (Express
// ones only while the service remembers them).
func (s *Service) DescribeExecution(ctx context.Context, arn string) (store.Execution, error) {
	if _, err := machineNameOf(arn); err != nil {
		return store.Execution{}, err
	}
	if e, ok := s.rt.Express(arn); ok {
		return e, nil
	}
	e, err := s.store.GetExecution(ctx, arn)
	if errors.Is(err, store.ErrNotFound) {
		return e, errorf(CodeExecutionDoesNotExist, "Execution Does Not Exist: '%s'", arn)
	}
	return e, err
}

// DescribeStateMachineForExecution returns the state machine revision an
// execution runs.
func (s *Service) DescribeStateMachineForExecution(ctx context.Context, arn string) (store.StateMachine, error) {
	e, err := s.DescribeExecution(ctx, arn)
	if err != nil {
		return store.StateMachine{}, err
	}
	sm, err := s.store.GetStateMachineRevision(ctx, e.StateMachineARN, e.RevisionID)
	if errors.Is(err, store.ErrNotFound) {
		return sm, errorf(CodeStateMachineDoesNotExist, "State Machine Does Not Exist: '%s'", e.StateMachineARN)
	}
	return sm, err
}

// ListExecutions lists a state machine's executions, newest first. For a
// version ARN it lists the executions that ran the version (started on
// it or on an alias that picked it), for an alias ARN those started on
// the alias.
func (s *Service) ListExecutions(ctx context.Context, q store.ExecutionQuery) ([]store.Execution, string, error) {
	qa, err := parseMachineARN(q.StateMachineARN)
	if err != nil {
		return nil, "", err
	}
	switch {
	case qa.version != 0:
		if _, err := s.store.GetStateMachineVersion(ctx, q.StateMachineARN); errors.Is(err, store.ErrNotFound) {
			return nil, "", errorf(CodeResourceNotFound, "Resource not found: '%s'", q.StateMachineARN)
		} else if err != nil {
			return nil, "", err
		}
		q.VersionARN = q.StateMachineARN
	case qa.alias != "":
		if _, err := s.DescribeStateMachineAlias(ctx, q.StateMachineARN); err != nil {
			return nil, "", err
		}
		q.AliasARN = q.StateMachineARN
	}
	q.StateMachineARN = qa.machine
	sm, err := s.DescribeStateMachine(ctx, q.StateMachineARN)
	if err != nil {
		return nil, "", err
	}
	if sm.Type == store.TypeExpress {
		if q.Redrive == store.RedriveFilterRedriven {
			return []store.Execution{}, "", nil // Express executions are never redriven
		}
		return s.rt.ListExpress(q), "", nil
	}
	out, next, err := s.store.ListExecutions(ctx, q)
	if errors.Is(err, store.ErrInvalidToken) {
		return nil, "", errorf(CodeInvalidToken, "Invalid Token: '%s'", q.NextToken)
	}
	return out, next, err
}

// GetExecutionHistory lists an execution's history events.
func (s *Service) GetExecutionHistory(ctx context.Context, q store.HistoryQuery) ([]store.Event, string, error) {
	if _, err := machineNameOf(q.ExecutionARN); err != nil {
		return nil, "", err
	}
	if _, ok := s.rt.Express(q.ExecutionARN); ok {
		// Express executions keep no history, as on AWS (it goes to logs).
		return nil, "", nil
	}
	events, next, err := s.store.History(ctx, q)
	switch {
	case errors.Is(err, store.ErrNotFound):
		return nil, "", errorf(CodeExecutionDoesNotExist, "Execution Does Not Exist: '%s'", q.ExecutionARN)
	case errors.Is(err, store.ErrInvalidToken):
		return nil, "", errorf(CodeInvalidToken, "Invalid Token: '%s'", q.NextToken)
	}
	return events, next, err
}

// StopExecution stops a running execution with an optional error and
// cause, and returns when the stop is committed.
func (s *Service) StopExecution(ctx context.Context, arn, errName, cause string) (store.Execution, error) {
	e, err := s.DescribeExecution(ctx, arn)
	if err != nil {
		return e, err
	}
	if x, ok := s.rt.StopExpress(arn, errName, cause); ok {
		return x, nil
	}
	if e.Status == store.ExecutionRunning {
		if err := s.rt.Stop(ctx, arn, errName, cause); err != nil {
			return e, err
		}
	}
	return s.DescribeExecution(ctx, arn)
}
