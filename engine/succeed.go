package engine

import "stepwise/asl"

// execSucceed ends th with the Succeed state's output.
func (st *State) execSucceed(th *Thread, s *asl.State) {
	sc := st.scope(th, s, "")
	eff, err := s.Flow.Input(sc)
	if err != nil {
		st.failState(th, s, st.failure(th, s, err))
		return
	}
	x, err := s.Flow.Exit(sc, eff, eff, nil)
	if err != nil {
		st.failState(th, s, st.failure(th, s, err))
		return
	}
	th.Vars = x.Vars
	st.emitExited(th, string(s.Type), s.Name, x.Output, x.Assigned)
	st.finishThread(th, x.Output, nil)
}
