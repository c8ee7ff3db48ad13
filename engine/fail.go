package engine

import "stepwise/asl"

// execFail ends th with the Fail state's error and cause. A Fail state has
// no Retry or Catch, and records no exited event.
func (st *State) execFail(th *Thread, s *asl.State) {
	sc := st.scope(th, s, "")
	errName, cause, err := s.Flow.FailText(sc)
	if err != nil {
		st.failState(th, s, st.failure(th, s, err))
		return
	}
	st.finishThread(th, nil, &failure{Error: errName, Cause: cause, HasCause: s.Fail.HasCause})
}
