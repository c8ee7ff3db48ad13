package service

import (
	"context"
	"fmt"
	"strings"
	"time"

	"stepwise/engine"
	"stepwise/jsonval"
	"stepwise/runtime"
	"stepwise/store"
	"stepwise/tasks"
)

// LocalNested answers the states:startExecution tasks of in-process runs
// ([runtime.RunLocal], as `stepwise run` and `stepwise test` use it): the child is
// one of Machines, run in the same process with [runtime.RunLocal] and the same
// LocalNested, so grandchildren work too. Every other task goes to Next.
//
// A .sync or .sync:2 task gets what AWS's integration returns for the
// child (its description; States.TaskFailed with it as the cause when the
// child did not succeed). A request-response start also runs the child to
// its end before it returns the start response, since nothing outlives an
// in-process run; the parent goes on as it would. .waitForTaskToken starts
// fail with States.Runtime: nobody could send the token back.
type LocalNested struct {
	// Machines are the state machines children may be started of, by
	// name; a StateMachineArn names one by its last part.
	Machines map[string]*engine.Machine
	// Next answers every other task.
	Next tasks.Invoker
	// Region and Account go into the children's ARNs.
	Region, Account string
	// Options are the children's run options; their Invoker is this
	// LocalNested.
	Options runtime.LocalOptions
	// Express says that the execution whose tasks come here directly (the
	// root, not its children, which run as Standard) is an Express one.
	// It may start children with the request-response pattern only, as an
	// Express execution on the server: AWS accepts no .sync or
	// .waitForTaskToken in an Express state machine.
	Express bool
}

// maxLocalDepth bounds how deeply local children may nest, so that a
// machine that starts itself ends instead of running out of stack.
const maxLocalDepth = 16

type localDepthKey struct{}

// Invoke implements [tasks.Invoker].
func (l *LocalNested) Invoke(ctx context.Context, req tasks.Request) (any, error) {
	mode, ok := runtime.NestedResource(req.Resource)
	if !ok {
		if l.Next == nil {
			return nil, &tasks.Error{Name: tasks.ErrorTaskFailed, Cause: "no invoker for " + req.Resource}
		}
		return l.Next.Invoke(ctx, req)
	}
	depth, _ := ctx.Value(localDepthKey{}).(int)
	if l.Express && depth == 0 && mode != runtime.ModeRequest {
		return nil, &tasks.Error{Name: tasks.ErrorRuntime, Cause: fmt.Sprintf(
			"The resource %s is not supported by EXPRESS state machines, which support the request-response integration pattern only", req.Resource)}
	}
	if mode == runtime.ModeCallback {
		return nil, &tasks.Error{Name: tasks.ErrorRuntime, Cause: fmt.Sprintf(
			"%s needs stepwise server: an in-process run has no API to send the task token back to", req.Resource)}
	}
	in, te := parseNestedStart(req.Input)
	if te != nil {
		return nil, te
	}
	name := in.StateMachineARN[strings.LastIndex(in.StateMachineARN, ":")+1:]
	m := l.Machines[name]
	if m == nil || !strings.Contains(in.StateMachineARN, ":stateMachine:") {
		return nil, sfnError(errorf(CodeStateMachineDoesNotExist, "State Machine Does Not Exist: '%s'", in.StateMachineARN))
	}
	if depth >= maxLocalDepth {
		return nil, &tasks.Error{Name: tasks.ErrorRuntime, Cause: fmt.Sprintf("nested executions deeper than %d levels", maxLocalDepth)}
	}
	if in.Name == "" {
		in.Name = newUUID()
	}
	if err := checkName("execution", in.Name); err != nil {
		if e, ok := AsError(err); ok {
			return nil, sfnError(e)
		}
		return nil, err
	}
	input, err := jsonval.ParseString(in.Input)
	if err != nil {
		return nil, sfnError(errorf(CodeInvalidExecutionInput, "Invalid State Machine Execution Input: '%v'", err))
	}
	a := arns{region: l.Region, account: l.Account}
	opts := l.Options
	opts.Invoker = l
	if opts.Now == nil {
		opts.Now = time.Now
	}
	child := engine.Execution{
		ARN: a.execution(name, in.Name), Name: in.Name, StateMachineARN: a.stateMachine(name), StateMachineName: name,
		RoleARN: fmt.Sprintf("arn:aws:iam::%s:role/StepwiseExecutionRole", l.Account), Region: l.Region,
		Input: input, StartTime: opts.Now(),
	}
	res, err := runtime.RunLocal(context.WithValue(ctx, localDepthKey{}, depth+1), m, child, opts)
	if err != nil && res.Status == "" {
		return nil, &tasks.Error{Name: tasks.ErrorRuntime, Cause: fmt.Sprintf("run %s: %v", child.ARN, err)}
	}
	if mode == runtime.ModeRequest {
		return runtime.StartResponse(child.ARN, child.StartTime, opts.Now()), nil
	}
	ended := store.Execution{
		ARN: child.ARN, StateMachineARN: child.StateMachineARN, Name: child.Name, Status: store.ExecutionStatus(res.Status),
		Input: in.Input, Error: res.Error, Cause: res.Cause, StartDate: child.StartTime, StopDate: opts.Now(),
	}
	if res.Status == engine.StatusSucceeded {
		ended.Output = jsonval.MustMarshalString(res.Output)
	}
	out := runtime.ChildOutcome(ended, 0, mode == runtime.ModeSync2)
	if out.Kind == engine.TaskFailed {
		return nil, &tasks.Error{Name: out.Error, Cause: out.Cause}
	}
	return out.Output, nil
}
