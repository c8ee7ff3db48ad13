package engine

import (
	"stepwise/asl"
	"stepwise/dataflow"
)

// This file exports the few interpreter rules that the TestState action
// (package teststate) evaluates on its own, so that a state tested alone
// follows exactly the rules of a running execution.

// MatchesError reports whether a Retrier's or Catcher's ErrorEquals list
// matches the error name: States.ALL matches every error but
// States.Runtime, and States.TaskFailed every error but States.Timeout,
// States.HeartbeatTimeout and States.Runtime.
func MatchesError(errorEquals []string, name string) bool {
	return matches(errorEquals, name)
}

// EvalChoiceRule evaluates a JSONPath Choice rule (with its And, Or and Not
// sub-rules) against a state's effective input. An error is a
// *dataflow.Failure (States.Runtime) for a Variable or ...Path operand
// that selects nothing.
func EvalChoiceRule(r *asl.ChoiceRule, input any, env *dataflow.Env) (bool, error) {
	return r.Eval(input, env)
}
