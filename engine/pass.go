package engine

import "stepwise/asl"

// execPass runs a Pass state: its result is Result when given, else its
// arguments (Parameters applied to the effective input; under JSONata,
// the input).
func (st *State) execPass(th *Thread, s *asl.State) {
	sc := st.scope(th, s, "")
	eff, err := s.Flow.Input(sc)
	if err != nil {
		st.failState(th, s, st.failure(th, s, err))
		return
	}
	result, err := s.Flow.Arguments(sc, eff)
	if err != nil {
		st.failState(th, s, st.failure(th, s, err))
		return
	}
	if s.HasResult {
		result = s.Result
	}
	st.complete(th, s, sc, eff, result, nil, s.Next)
}
