package engine

import "stepwise/asl"

// execPass runs a Pass state: its result is Result when given, else its
// arguments (Parameters applied to the effective input; under JSONata,
// the input).
func (st *State) execPass(th *Thread, s *asl.State) {
	sc := st.scope(th, s, "")
	eff, result, err := passResult(sc, s)
	if err != nil {
		st.failState(th, s, st.failure(th, s, err))
		return
	}
	st.complete(th, s, sc, eff, result, nil, s.Next)
}

// passResult evaluates a Pass state's effective input and result. The
// arguments are evaluated even when Result replaces them, so that a
// failing InputPath or Parameters fails the state.
func passResult(sc *asl.Scope, s *asl.State) (eff, result any, err error) {
	if eff, result, err = arguments(sc, s); err != nil {
		return nil, nil, err
	}
	if s.HasResult {
		result = s.Result
		sc.Report(asl.StageResult, result)
	}
	return eff, result, nil
}

// arguments evaluates the effective input of a Pass, Task or Parallel
// state and its arguments (Parameters or Arguments), reporting each.
func arguments(sc *asl.Scope, s *asl.State) (eff, args any, err error) {
	if eff, err = effectiveInput(sc, s); err != nil {
		return nil, nil, err
	}
	if args, err = s.Flow.Arguments(sc, eff); err != nil {
		return nil, nil, err
	}
	sc.Report(asl.StageArguments, args)
	return eff, args, nil
}

// effectiveInput evaluates a state's effective input (InputPath) and
// reports it.
func effectiveInput(sc *asl.Scope, s *asl.State) (any, error) {
	eff, err := s.Flow.Input(sc)
	if err != nil {
		return nil, err
	}
	sc.Report(asl.StageInput, eff)
	return eff, nil
}
