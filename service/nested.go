package service

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"stepwise/jsonval"
	"stepwise/runtime"
	"stepwise/store"
	"stepwise/tasks"
)

// Nested executions: the runtime carries out the Task states that start
// executions (states:startExecution; see package runtime's nested.go) and
// asks the service, through starter, for the start itself, so that a
// child is checked and named as the StartExecution action does, and a
// refused start fails the task as AWS's integration reports it.

// starter is the [runtime.Starter] of a Service.
type starter struct{ s *Service }

var _ runtime.Starter = starter{}

// StartNested implements [runtime.Starter].
func (st starter) StartNested(ctx context.Context, n runtime.NestedStart) (store.Execution, bool, error) {
	s := st.s
	in, te := parseNestedStart(n.Params)
	if te != nil {
		return store.Execution{}, false, te
	}
	if in.Name == "" {
		in.Name = n.Name
	}
	var opts startOptions
	sm, input, err := s.prepareStart(ctx, &in, &opts)
	if e, ok := AsError(err); ok {
		return store.Execution{}, false, sfnError(e)
	}
	if err != nil {
		return store.Execution{}, false, err
	}
	if sm.Type == store.TypeExpress {
		child, err := s.startExpress(ctx, sm, in, input, n.Wait, opts)
		return child, true, err
	}
	child, err := s.startChild(ctx, sm, in, input, startOptions{parent: n.Parent, link: n.Link,
		versionARN: opts.versionARN, aliasARN: opts.aliasARN})
	if e, ok := AsError(err); ok {
		return store.Execution{}, false, sfnError(e)
	}
	return child, false, err
}

// StopNested implements [runtime.Starter].
func (st starter) StopNested(ctx context.Context, arn string) error {
	if _, err := st.s.StopExecution(ctx, arn, "", ""); err != nil {
		if e, ok := AsError(err); !ok || e.Code != CodeExecutionDoesNotExist {
			return err
		}
	}
	return nil
}

// startChild starts a Standard child. A child this very task started
// before (the work item is carried out again after a crash) is returned
// as it is.
func (s *Service) startChild(ctx context.Context, sm store.StateMachine, in StartExecutionInput, input any, opts startOptions) (store.Execution, error) {
	arn := s.arns().execution(sm.Name, in.Name)
	existing, err := s.store.GetExecution(ctx, arn)
	if err == nil {
		if s.rt.StartedBy(ctx, existing, opts.parent, in.Input, opts.link) {
			return existing, nil
		}
		return store.Execution{}, errorf(CodeExecutionAlreadyExists, "Execution Already Exists: '%s'", arn)
	}
	if !errors.Is(err, store.ErrNotFound) {
		return store.Execution{}, fmt.Errorf("start execution %s: %w", arn, err)
	}
	return s.startStandard(ctx, sm, in, input, opts)
}

// parseNestedStart reads the parameters AWS's StartExecution integration
// takes: StateMachineArn, Input (any JSON value, or a string holding JSON
// text; absent or null means {}) and Name.
func parseNestedStart(input any) (StartExecutionInput, *tasks.Error) {
	var n StartExecutionInput
	o, _ := input.(*jsonval.Object)
	if o == nil {
		return n, sfnError(&Error{Code: CodeValidation, Message: "1 validation error detected: Value null at 'stateMachineArn' failed to satisfy constraint: Member must not be null"})
	}
	arn, _ := o.Get("StateMachineArn")
	var ok bool
	if n.StateMachineARN, ok = arn.(string); !ok {
		return n, sfnError(&Error{Code: CodeValidation, Message: "1 validation error detected: Value null at 'stateMachineArn' failed to satisfy constraint: Member must not be null"})
	}
	if name, ok := o.Get("Name"); ok && name != nil {
		s, isString := name.(string)
		if !isString {
			return n, sfnError(errorf(CodeInvalidName, "Invalid Name: '%s'", jsonval.MustMarshalString(name)))
		}
		n.Name = s
	}
	switch in, _ := o.Get("Input"); v := in.(type) {
	case nil:
		n.Input = "{}"
	case string:
		n.Input = v
	default:
		n.Input = jsonval.MustMarshalString(v)
	}
	return n, nil
}

// sfnError is the task failure of a StartExecution call that the API
// refused, named and described as AWS's integration reports it
// (conformance case test_start_execution_no_such_arn): the error is
// StepFunctions.<Code>Exception and the cause the message with the AWS
// SDK for Java's details.
func sfnError(e *Error) *tasks.Error {
	name := e.Code
	if !strings.HasSuffix(name, "Exception") {
		name += "Exception"
	}
	return &tasks.Error{Name: "StepFunctions." + name, Cause: fmt.Sprintf(
		"%s (Service: AWSStepFunctions; Status Code: 400; Error Code: %s; Request ID: %s; Proxy: null)", e.Message, e.Code, runtime.NewUUID())}
}
