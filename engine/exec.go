package engine

import (
	"errors"
	"fmt"

	"stepwise/asl"
	"stepwise/dataflow"
	"stepwise/history"
)

// This file holds what every state type shares: entering a state,
// dispatching on its type, the data-flow scope its fields are evaluated
// in, turning an evaluation error into the ASL failure it stands for, and
// leaving the state. Each state type's own rules are in its file (pass.go,
// task.go, choice.go, wait.go, succeed.go, fail.go, parallel.go, map.go),
// whatever its query language: the language is the business of the
// state's compiled asl.Flow.

func (th *Thread) state() *asl.State { return th.Program.States[th.StateName] }

// enter records that th enters its current state.
func (st *State) enter(th *Thread) {
	s := th.state()
	th.EnteredTime = st.now
	th.EnteredPrev = st.Prev
	th.EnteredID = st.emitEntered(th, string(s.Type), s.Name, th.Input)
	th.Attempts = nil
	th.RetryCount = 0
	th.Phase = phaseRun
}

// execute does the work of th's current state, once entered (and again
// after each retry).
func (st *State) execute(th *Thread) {
	s := th.state()
	switch s.Type {
	case asl.TypePass:
		st.execPass(th, s)
	case asl.TypeChoice:
		st.execChoice(th, s)
	case asl.TypeWait:
		st.execWait(th, s)
	case asl.TypeSucceed:
		st.execSucceed(th, s)
	case asl.TypeFail:
		st.execFail(th, s)
	case asl.TypeTask:
		st.execTask(th, s)
	case asl.TypeParallel:
		st.execParallel(th, s)
	case asl.TypeMap:
		st.execMap(th, s)
	default:
		st.failState(th, s, &failure{Error: ErrorRuntime, HasCause: true, Cause: fmt.Sprintf("unknown state type %q", s.Type)})
	}
}

// scope returns the data-flow scope of th's current state: its raw input,
// variables and, when the state's fields read it, the context object with
// token as $$.Task.Token.
func (st *State) scope(th *Thread, s *asl.State, token string) *asl.Scope {
	// One Scope serves the whole step: states run one at a time and no
	// evaluation keeps it.
	sc := &st.scopeBuf
	sc.Reset(th.Input, st.now, th.Vars, st.randFn)
	if s.Flow.UsesContext() {
		sc.Context = st.contextObject(th, s, token)
	}
	return sc
}

// failure turns an evaluation error of th's current state into the ASL
// failure it stands for. AWS prefixes the cause of States.Runtime with the
// state; a States.QueryEvaluationError (a JSONata field) gets the same
// prefix and an EvaluationFailed event naming the field that failed.
func (st *State) failure(th *Thread, s *asl.State, err error) *failure {
	var df *dataflow.Failure
	if !errors.As(err, &df) {
		return &failure{Error: ErrorRuntime, Cause: err.Error(), HasCause: true}
	}
	if df.Name == ErrorQueryEvaluationError {
		cause := fmt.Sprintf("An error occurred while executing the state '%s' (entered at the event id #%d). %s", s.Name, th.EnteredID, df.Cause)
		st.emitEvaluationFailed(th, s, df.Name, cause, df.Location)
		return &failure{Error: df.Name, Cause: cause, HasCause: true}
	}
	df = df.InState(s.Name, th.EnteredID)
	return &failure{Error: df.Name, Cause: df.Cause, HasCause: true}
}

// emitEvaluationFailed records an EvaluationFailed event. When it directly
// follows the state's entered event it names that event's own previous
// event, except in Wait states (as AWS's recordings show).
func (st *State) emitEvaluationFailed(th *Thread, s *asl.State, name, cause, location string) {
	prev := st.Prev
	if prev == th.EnteredID && s.Type != asl.TypeWait {
		prev = th.EnteredPrev
	}
	if th.Silent {
		return
	}
	st.Prev = st.emitAfter(prev, history.EvaluationFailed, func(e *history.Event) {
		e.Details = &history.EvaluationFailedEventDetails{Error: name, Cause: cause, Location: location, State: s.Name}
	})
}

// complete finishes th's current state with result: its flow gives the
// output and variables (ResultSelector, ResultPath and OutputPath, or
// Output; Assign), then the exited event and the transition to next. eff
// is the effective input; rule the matched Choice rule, if any.
func (st *State) complete(th *Thread, s *asl.State, sc *asl.Scope, eff, result any, rule *asl.ChoiceRule, next string) {
	x, err := s.Flow.Exit(sc, eff, result, rule)
	if err != nil {
		st.failState(th, s, st.failure(th, s, err))
		return
	}
	th.Vars = x.Vars
	st.emitExited(th, string(s.Type), s.Name, x.Output, x.Assigned)
	st.transition(th, s, next, x.Output)
}

// transition moves th to next with input, or finishes th when next is
// empty (an End state).
func (st *State) transition(th *Thread, s *asl.State, next string, out any) {
	if next == "" {
		st.finishThread(th, out, nil)
		return
	}
	th.StateName = next
	th.Input = out
	th.Phase = phaseEnter
}
