package service

import (
	"stepwise/runtime"
)

// StartRules returns the StartExecution action's checks for the nested
// executions that in-process runs start ([runtime.LocalNested], as
// `stepwise run` and `stepwise test` use it): the same parameters, names
// and error shapes as a nested start on the server.
func StartRules() runtime.StartRules { return startRules{} }

// startRules implements [runtime.StartRules] with the service's checks.
type startRules struct{}

// Params implements [runtime.StartRules].
func (startRules) Params(input any) (runtime.NestedParams, error) {
	in, te := parseNestedStart(input)
	if te != nil {
		return runtime.NestedParams{}, te
	}
	return runtime.NestedParams{StateMachineARN: in.StateMachineARN, Name: in.Name, Input: in.Input}, nil
}

// NoMachine implements [runtime.StartRules].
func (startRules) NoMachine(arn string) error {
	return sfnError(errorf(CodeStateMachineDoesNotExist, "State Machine Does Not Exist: '%s'", arn))
}

// CheckName implements [runtime.StartRules].
func (startRules) CheckName(name string) error {
	err := checkName("execution", name)
	if e, ok := AsError(err); ok {
		return sfnError(e)
	}
	return err
}

// InvalidInput implements [runtime.StartRules].
func (startRules) InvalidInput(err error) error {
	return sfnError(errorf(CodeInvalidExecutionInput, "Invalid State Machine Execution Input: '%v'", err))
}
