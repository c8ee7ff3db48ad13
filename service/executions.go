package service

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"stepwise/engine"
	"stepwise/jsonval"
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
// A StateMachineARN of "ARN#TEST_CASE" runs a test case of Config.Mocks
// (see mocks.go).
func (s *Service) StartExecution(ctx context.Context, in StartExecutionInput) (store.Execution, error) {
	var opts startOptions
	if err := s.testCaseStart(&in, &opts); err != nil {
		return store.Execution{}, err
	}
	sm, input, err := s.prepareStart(ctx, &in)
	if err != nil {
		return store.Execution{}, err
	}
	if sm.Type == store.TypeExpress {
		return s.startExpress(ctx, sm, in, input, false, opts.mocks)
	}
	return s.startStandard(ctx, sm, in, input, opts)
}

func (s *Service) prepareStart(ctx context.Context, in *StartExecutionInput) (store.StateMachine, any, error) {
	sm, err := s.DescribeStateMachine(ctx, in.StateMachineARN)
	if err != nil {
		return sm, nil, err
	}
	if sm.Status == store.StatusDeleting {
		return sm, nil, deletingError(sm.ARN)
	}
	if in.Name == "" {
		in.Name = newUUID()
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

func (s *Service) execution(sm store.StateMachine, arn, name string, input any) engine.Execution {
	return engine.Execution{
		ARN: arn, Name: name, StateMachineARN: sm.ARN, StateMachineName: sm.Name, RoleARN: sm.RoleARN,
		Region: s.cfg.Region, Input: input, StartTime: s.now(), TokenKey: newTokenKey(),
		Express: sm.Type == store.TypeExpress,
	}
}

func (s *Service) startStandard(ctx context.Context, sm store.StateMachine, in StartExecutionInput, input any, opts startOptions) (store.Execution, error) {
	arn := s.arns().execution(sm.Name, in.Name)
	if existing, err := s.store.GetExecution(ctx, arn); err == nil {
		return s.alreadyStarted(existing, in)
	} else if !errors.Is(err, store.ErrNotFound) {
		return store.Execution{}, fmt.Errorf("start execution %s: %w", arn, err)
	}
	m, err := s.machine(sm, true)
	if err != nil {
		return store.Execution{}, err
	}
	ex := s.execution(sm, arn, in.Name, input)
	st, out, err := m.Start(ex, s.seed(arn), ex.StartTime)
	if err == nil {
		out, err = s.fireDue(m, st, out)
	}
	if err != nil {
		return store.Execution{}, fmt.Errorf("start execution %s: %w", arn, err)
	}
	row := store.Execution{ARN: arn, StateMachineARN: sm.ARN, RevisionID: sm.RevisionID, Name: in.Name,
		Status: store.ExecutionRunning, Input: in.Input, StartDate: ex.StartTime, ParentExecutionARN: opts.parent,
		TestCase: opts.testCase}
	c := store.Commit{Start: &row}
	// Hold the execution's lock until its state is cached, so that a
	// worker taking its first work item sees this state, not an older one.
	unlock := s.lock(arn)
	defer unlock()
	if err := s.fill(&c, st, out); err != nil {
		return store.Execution{}, err
	}
	if c.End != nil {
		row.Status, row.Output, row.Error, row.Cause, row.StopDate = c.End.Status, c.End.Output, c.End.Error, c.End.Cause, c.End.StopDate
	}
	if opts.link != nil {
		payload, err := json.Marshal(opts.link)
		if err != nil {
			return store.Execution{}, fmt.Errorf("encode parent link: %w", err)
		}
		// Parked until the commit that ends the child wakes it; due at once
		// when the child ended in its first step.
		p := store.WorkItem{ID: parentWorkID, Kind: workParent, Payload: payload, Due: parked}
		if c.End != nil {
			p.Due = time.Time{}
		}
		c.AddWork = append(c.AddWork, p)
	}
	if opts.mocks != nil && c.End == nil {
		s.rememberMocks(arn, opts.mocks)
	}
	err = s.commit(ctx, c)
	if err == nil {
		s.cfg.Observer.ExecutionStarted(sm.ARN)
		s.observe(c, st)
	}
	if err == nil && c.End == nil {
		s.remember(arn, &liveExecution{m: m, st: st, version: 1, parent: opts.parent != ""})
	}
	if err != nil {
		s.forgetMocks(arn)
	}
	switch {
	case errors.Is(err, store.ErrStateMachineDeleting):
		// DeleteStateMachine won the race since prepareStart looked.
		return store.Execution{}, deletingError(sm.ARN)
	case errors.Is(err, store.ErrNotFound):
		return store.Execution{}, errorf(CodeStateMachineDoesNotExist, "State Machine Does Not Exist: '%s'", sm.ARN)
	}
	if errors.Is(err, store.ErrAlreadyExists) {
		existing, gerr := s.store.GetExecution(ctx, arn)
		if gerr != nil {
			return store.Execution{}, fmt.Errorf("start execution %s: %w", arn, gerr)
		}
		return s.alreadyStarted(existing, in)
	}
	if err != nil {
		return store.Execution{}, fmt.Errorf("start execution %s: %w", arn, err)
	}
	s.committed(c)
	row.Version = 1
	return row, nil
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
	if e, ok := s.express.get(arn); ok {
		return e.row(), nil
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

// ListExecutions lists a state machine's executions, newest first.
func (s *Service) ListExecutions(ctx context.Context, q store.ExecutionQuery) ([]store.Execution, string, error) {
	sm, err := s.DescribeStateMachine(ctx, q.StateMachineARN)
	if err != nil {
		return nil, "", err
	}
	if sm.Type == store.TypeExpress {
		return s.express.list(q), "", nil
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
	if e, ok := s.express.get(q.ExecutionARN); ok {
		return e.history(q), "", nil
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
	if x, ok := s.express.get(arn); ok {
		x.stop(errName, cause)
		return x.row(), nil
	}
	if e.Status == store.ExecutionRunning {
		err := s.step(ctx, arn, engine.Event{Kind: engine.Stop, Error: errName, Cause: cause}, nil, nil)
		if errors.Is(err, store.ErrNotFound) {
			// Its state machine revision is gone (an execution stranded by
			// a delete before deletes waited for executions): stop it
			// without the engine.
			err = s.endWithout(ctx, arn, store.ExecutionAborted, errName, cause, nil)
		}
		if err != nil {
			return e, err
		}
	}
	return s.DescribeExecution(ctx, arn)
}
