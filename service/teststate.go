package service

import (
	"context"
	"encoding/hex"
	"errors"
	"math/rand/v2"
	"time"

	"stepwise/runtime"
	"stepwise/tasks"
	"stepwise/teststate"
)

// testStateLimit is how long TestState may run a task: AWS stops a test
// after five minutes with States.Timeout.
const testStateLimit = 5 * time.Minute

// maxTestInput is AWS's limit on a tested state's input, in bytes.
const maxTestInput = 256 * 1024

// testStateMachineName names the stand-in state machine whose context
// object a tested state sees.
const testStateMachineName = "TestStateMachine"

// TestState tests one state, as AWS's TestState action does: it evaluates
// the state with req's input, variables and context, answers a Task from
// req's mock or by invoking its resource through the configured invoker
// (within five minutes, or the Task's TimeoutSeconds if that is shorter),
// and reports the output, the next state, what Retry or Catch made of an
// error, and the inspection data of req's level. Nothing is stored.
//
// A request the action refuses gives an *[Error] (ValidationException,
// InvalidDefinition, InvalidExecutionInput). A task that fails or times
// out is not an error: the response reports it.
func (s *Service) TestState(ctx context.Context, req teststate.Request) (*teststate.Response, error) {
	if req.RoleARN != "" {
		if err := checkRole(req.RoleARN); err != nil {
			return nil, err
		}
	}
	if len(req.Input) > maxTestInput {
		return nil, errorf(CodeInvalidExecutionInput, "Input exceeds the maximum size of %d bytes", maxTestInput)
	}
	execName := runtime.NewUUID()
	seed := s.seed(s.arns().execution(testStateMachineName, execName))
	r := rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))
	t, err := teststate.Prepare(req, teststate.Environment{
		Now: s.now(), Rand: r.Uint64, TaskToken: hex.EncodeToString(runtime.NewTokenKey()), Region: s.cfg.Region, Account: s.cfg.Account,
		StateMachineName: testStateMachineName, ExecutionName: execName,
	})
	if err != nil {
		var te *teststate.Error
		if errors.As(err, &te) {
			return nil, &Error{Code: te.Code, Message: te.Message}
		}
		return nil, err
	}
	resp, inv := t.Start()
	if inv == nil {
		return resp, nil
	}
	res, err := s.testInvoke(ctx, inv)
	if err != nil {
		return nil, err
	}
	return t.Finish(res), nil
}

// testInvoke carries out a tested Task's invocation within its time
// limit. It returns an error only when ctx ends first.
func (s *Service) testInvoke(ctx context.Context, inv *teststate.Invocation) (teststate.TaskResult, error) {
	if s.cfg.Invoker == nil {
		return teststate.TaskResult{Failed: true, Error: tasks.ErrorTaskFailed, Cause: tasks.ErrNoInvoker.Error() + ": " + inv.Resource}, nil
	}
	limit := testStateLimit
	if inv.TimeoutSeconds > 0 && inv.TimeoutSeconds < int64(limit/time.Second) {
		limit = time.Duration(inv.TimeoutSeconds) * time.Second
	}
	callCtx, cancel := context.WithTimeout(ctx, limit)
	defer cancel()
	start := time.Now()
	out, err := s.cfg.Invoker.Invoke(callCtx, tasks.Request{
		StateName: inv.StateName, Resource: inv.Resource, Input: inv.Input, TaskToken: inv.TaskToken,
		TimeoutSeconds: inv.TimeoutSeconds, HeartbeatSeconds: inv.HeartbeatSeconds, Credentials: inv.Credentials,
	})
	s.cfg.Observer.TaskDone(inv.Resource, time.Since(start), err)
	if ctx.Err() != nil {
		return teststate.TaskResult{}, ctx.Err()
	}
	if callCtx.Err() != nil {
		// The limit passed: AWS reports States.Timeout, whatever the
		// invoker answered once cancelled.
		return teststate.TaskResult{Failed: true, Error: "States.Timeout"}, nil
	}
	if err != nil {
		te := tasks.AsError(err)
		return teststate.TaskResult{Failed: true, Error: te.Name, Cause: te.Cause}, nil
	}
	return teststate.TaskResult{Output: out}, nil
}
