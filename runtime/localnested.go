package runtime

import (
	"context"
	"fmt"
	"strings"

	"stepwise/engine"
	"stepwise/jsonval"
	"stepwise/loop"
	"stepwise/store"
	"stepwise/tasks"
)

// LocalNested carries out the states:startExecution tasks of in-process
// runs ([RunLocal], as `stepwise run` and `stepwise test` use it), as the
// [loop.Invoker] of the parent's command loop: the child is one of
// Machines, run in the same process with RunLocal, on the parent's clock
// (Options.Clock) and with this LocalNested as its invoker, so that
// grandchildren work too and a child's Wait moves the parent's time as it
// would on AWS. Every other task goes to Next.
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
	// Next carries out every other task; nil fails them with
	// States.TaskFailed.
	Next loop.Invoker
	// Region and Account go into the children's ARNs.
	Region, Account string
	// Options are the children's run options; their invocations come to
	// this LocalNested. With Options.Clock set, parent and children share
	// one clock, and a child starts at that clock's time.
	Options LocalOptions
	// Express says that the execution whose tasks come here directly (the
	// root, not its children, which run as Standard) is an Express one.
	// It may start children with the request-response pattern only, as an
	// Express execution on the server: AWS accepts no .sync or
	// .waitForTaskToken in an Express state machine.
	Express bool
	// Rules are the StartExecution action's checks and error shapes; nil
	// refuses every start.
	Rules StartRules
}

// StartRules are the checks of the StartExecution action that a nested
// start in-process applies, with the task failures AWS's integration
// reports for a refused start. Package service owns them (it implements
// the action); the runtime asks for them here so that imports go one way.
type StartRules interface {
	// Params reads a states:startExecution task's input as the action's
	// parameters, or refuses it.
	Params(input any) (NestedParams, error)
	// NoMachine is the failure of a start of a state machine that does
	// not exist.
	NoMachine(arn string) error
	// CheckName refuses an execution name the action refuses.
	CheckName(name string) error
	// InvalidInput is the failure of a start whose Input is not JSON.
	InvalidInput(err error) error
}

// NestedParams are the parameters of AWS's StartExecution integration.
type NestedParams struct {
	StateMachineARN string
	// Name is the child's name; empty means a random one.
	Name string
	// Input is JSON text.
	Input string
}

// maxLocalDepth bounds how deeply local children may nest, so that a
// machine that starts itself ends instead of running out of stack.
const maxLocalDepth = 16

type localDepthKey struct{}

// Invoke implements [loop.Invoker].
func (l *LocalNested) Invoke(ctx context.Context, inv *engine.Invocation, emit func(engine.Event)) {
	mode, ok := NestedResource(inv.Resource)
	if !ok {
		if l.Next == nil {
			emit(engine.Event{Kind: engine.TaskFailed, Error: tasks.ErrorTaskFailed, Cause: "no invoker for " + inv.Resource})
			return
		}
		l.Next.Invoke(ctx, inv, emit)
		return
	}
	out, err := l.start(ctx, inv, mode, emit)
	emit(taskOutcome(out, err))
}

// start runs the child inv starts and returns what the parent's task
// gets, or its failure.
func (l *LocalNested) start(ctx context.Context, inv *engine.Invocation, mode NestedMode, emit func(engine.Event)) (any, error) {
	depth, _ := ctx.Value(localDepthKey{}).(int)
	if l.Express && depth == 0 && mode != ModeRequest {
		return nil, &tasks.Error{Name: tasks.ErrorRuntime, Cause: fmt.Sprintf(
			"The resource %s is not supported by EXPRESS state machines, which support the request-response integration pattern only", inv.Resource)}
	}
	if mode == ModeCallback {
		return nil, &tasks.Error{Name: tasks.ErrorRuntime, Cause: fmt.Sprintf(
			"%s needs stepwise server: an in-process run has no API to send the task token back to", inv.Resource)}
	}
	if l.Rules == nil {
		return nil, &tasks.Error{Name: tasks.ErrorRuntime, Cause: "nested executions are not configured: " + inv.Resource}
	}
	in, err := l.Rules.Params(inv.Input)
	if err != nil {
		return nil, err
	}
	name := in.StateMachineARN[strings.LastIndex(in.StateMachineARN, ":")+1:]
	m := l.Machines[name]
	if m == nil || !strings.Contains(in.StateMachineARN, ":stateMachine:") {
		return nil, l.Rules.NoMachine(in.StateMachineARN)
	}
	if depth >= maxLocalDepth {
		return nil, &tasks.Error{Name: tasks.ErrorRuntime, Cause: fmt.Sprintf("nested executions deeper than %d levels", maxLocalDepth)}
	}
	if in.Name == "" {
		in.Name = NewUUID()
	}
	if err := l.Rules.CheckName(in.Name); err != nil {
		return nil, err
	}
	input, err := jsonval.ParseString(in.Input)
	if err != nil {
		return nil, l.Rules.InvalidInput(err)
	}
	opts := l.Options
	opts.Invocations = l
	// The child runs on the parent's clock when the options carry one;
	// either way its start and stop dates are read from the clock it runs
	// on, so that a skipped Wait shows in them.
	clock := opts.clock()
	opts.Clock = clock
	child := engine.Execution{
		ARN:             fmt.Sprintf("arn:aws:states:%s:%s:execution:%s:%s", l.Region, l.Account, name, in.Name),
		Name:            in.Name,
		StateMachineARN: fmt.Sprintf("arn:aws:states:%s:%s:stateMachine:%s", l.Region, l.Account, name), StateMachineName: name,
		RoleARN: fmt.Sprintf("arn:aws:iam::%s:role/StepwiseExecutionRole", l.Account), Region: l.Region,
		Input: input, StartTime: clock.Now(),
	}
	if mode != ModeRequest {
		// .sync and .sync:2: the parent records the start's response
		// (TaskSubmitted) before the child's outcome, as on AWS and the
		// server.
		emit(engine.Event{Kind: engine.TaskSubmitted, Time: child.StartTime, Output: StartResponse(child.ARN, child.StartTime, child.StartTime)})
	}
	res, err := RunLocal(context.WithValue(ctx, localDepthKey{}, depth+1), m, child, opts)
	if err != nil && res.Status == "" {
		return nil, &tasks.Error{Name: tasks.ErrorRuntime, Cause: fmt.Sprintf("run %s: %v", child.ARN, err)}
	}
	if mode == ModeRequest {
		return StartResponse(child.ARN, child.StartTime, clock.Now()), nil
	}
	ended := store.Execution{
		ARN: child.ARN, StateMachineARN: child.StateMachineARN, Name: child.Name, Status: store.ExecutionStatus(res.Status),
		Input: in.Input, Error: res.Error, Cause: res.Cause, StartDate: child.StartTime, StopDate: clock.Now(),
	}
	if res.Status == engine.StatusSucceeded {
		ended.Output = jsonval.MustMarshalString(res.Output)
	}
	out := ChildOutcome(ended, 0, mode == ModeSync2)
	if out.Kind == engine.TaskFailed {
		return nil, &tasks.Error{Name: out.Error, Cause: out.Cause}
	}
	return out.Output, nil
}

var _ loop.Invoker = (*LocalNested)(nil)

// MockedFirst returns the invoker of an in-process run of a test case:
// the states mocks mocks are answered with their mocked responses,
// whatever their resource (nested executions included, as on the
// server), and every other by next. With nil mocks it is next.
func MockedFirst(mocks Mocks, next loop.Invoker) loop.Invoker {
	if mocks == nil {
		return next
	}
	mocked := taskInvoker{mocks.Before(nil)}
	return loop.InvokerFunc(func(ctx context.Context, inv *engine.Invocation, emit func(engine.Event)) {
		if mocks.Mocks(inv.StateName) {
			mocked.Invoke(ctx, inv, emit)
			return
		}
		next.Invoke(ctx, inv, emit)
	})
}
