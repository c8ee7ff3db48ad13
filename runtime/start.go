package runtime

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"stepwise/engine"
	"stepwise/store"
)

// Start is an execution to start, checked by the caller (package service
// applies the StartExecution action's rules).
type Start struct {
	// Machine is the state machine revision to run.
	Machine store.StateMachine
	// ARN and Name are the execution's.
	ARN, Name string
	// Input is the execution's input as JSON text, and Value the same
	// parsed.
	Input string
	Value any
	// Parent is the execution whose Task started this one, if any.
	Parent string
	// Link, for a .sync or .sync:2 child, is the parent's task to tell
	// when the child ends.
	Link *ParentLink
	// TestCase names the mock test case the execution runs, and Mocks
	// answers its mocked states; both empty for an ordinary execution.
	TestCase string
	Mocks    Mocks
	// VersionARN and AliasARN are the version and alias the execution was
	// started on, recorded in its row; Machine is then that version's
	// revision.
	VersionARN, AliasARN string
}

func (r *Runner) execution(sm store.StateMachine, arn, name string, input any) engine.Execution {
	return engine.Execution{
		ARN: arn, Name: name, StateMachineARN: sm.ARN, StateMachineName: sm.Name, RoleARN: sm.RoleARN,
		Region: r.cfg.Region, Input: input, StartTime: r.now(), TokenKey: NewTokenKey(),
		Express: sm.Type == store.TypeExpress,
	}
}

// StartStandard starts a Standard execution: it and its first step are
// committed before it returns, with version 1. A commit the store refuses
// gives an error wrapping store.ErrAlreadyExists (the ARN is taken),
// store.ErrStateMachineDeleting or store.ErrNotFound (the state machine is
// being deleted, or gone).
func (r *Runner) StartStandard(ctx context.Context, s Start) (store.Execution, error) {
	arn, sm := s.ARN, s.Machine
	m, err := r.machine(sm, true)
	if err != nil {
		return store.Execution{}, err
	}
	ex := r.execution(sm, arn, s.Name, s.Value)
	st, out, err := m.Start(ex, r.seed(arn), ex.StartTime)
	if err == nil {
		out, err = r.fireDue(m, st, out)
	}
	if err != nil {
		return store.Execution{}, fmt.Errorf("start execution %s: %w", arn, err)
	}
	row := store.Execution{ARN: arn, StateMachineARN: sm.ARN, RevisionID: sm.RevisionID, Name: s.Name,
		Status: store.ExecutionRunning, Input: s.Input, StartDate: ex.StartTime, ParentExecutionARN: s.Parent,
		TestCase: s.TestCase, VersionARN: s.VersionARN, AliasARN: s.AliasARN}
	c := store.Commit{Start: &row}
	// Hold the execution's lock until its state is cached, so that a
	// worker taking its first work item sees this state, not an older one.
	unlock := r.lock(arn)
	defer unlock()
	if err := r.fill(&c, st, out); err != nil {
		return store.Execution{}, err
	}
	if c.End != nil {
		row.Status, row.Output, row.Error, row.Cause, row.StopDate = c.End.Status, c.End.Output, c.End.Error, c.End.Cause, c.End.StopDate
	}
	if s.Link != nil {
		payload, err := json.Marshal(s.Link)
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
	if s.Mocks != nil && c.End == nil {
		r.rememberMocks(arn, s.Mocks)
	}
	if err := r.commit(ctx, c); err != nil {
		r.forgetMocks(arn)
		return store.Execution{}, fmt.Errorf("start execution %s: %w", arn, err)
	}
	r.cfg.Observer.ExecutionStarted(sm.ARN)
	r.observe(c, st)
	if c.End == nil {
		r.remember(arn, &liveExecution{m: m, st: st, version: 1, parent: s.Parent != ""})
	}
	r.committed(c)
	row.Version = 1
	return row, nil
}
