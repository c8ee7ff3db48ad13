package engine

import "stepwise/asl"

// execWait starts a Wait state's timer.
func (st *State) execWait(th *Thread, s *asl.State) {
	sc := st.scope(th, s, "")
	eff, err := s.Flow.Input(sc)
	if err != nil {
		st.failState(th, s, st.failure(th, s, err))
		return
	}
	d, err := s.Flow.Wait(sc, eff)
	if err != nil {
		st.failState(th, s, st.failure(th, s, err))
		return
	}
	due := d.At
	if !d.Absolute {
		due = after(st.now, d.Seconds)
	}
	id := st.newID()
	st.Waiting[id] = wait{Kind: waitWaitState, Thread: th.ID}
	st.out.Commands = append(st.out.Commands, Command{Kind: CommandTimer, ID: id, Due: due})
	th.Phase = phaseWait
}

// exitWait finishes a Wait state whose timer fired. A Wait state's result
// is its effective input; ResultPath does not apply.
func (st *State) exitWait(th *Thread) {
	s := th.state()
	defer func() { st.runnable = append(st.runnable, th.ID) }()
	sc := st.scope(th, s, "")
	eff, err := s.Flow.Input(sc)
	if err != nil {
		st.failState(th, s, st.failure(th, s, err))
		return
	}
	th.Phase = phaseRun
	st.complete(th, s, sc, eff, eff, nil, s.Next)
}
