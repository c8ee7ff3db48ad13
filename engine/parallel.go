package engine

import (
	"stepwise/asl"
	"stepwise/dataflow"
	"stepwise/history"
)

// execParallel starts a Parallel state's branches with its arguments
// (Parameters applied to the effective input, or Arguments). How the
// branches end is in fan.go.
func (st *State) execParallel(th *Thread, s *asl.State) {
	_, params, err := arguments(st.scope(th, s, ""), s)
	if err != nil {
		st.failState(th, s, st.failure(th, s, err))
		return
	}
	st.startBranches(th, s, params)
}

// startBranches starts the branches of th's Parallel state with input.
func (st *State) startBranches(th *Thread, s *asl.State, params any) {
	st.emit(th, history.ParallelStateStarted, nil)
	branches := s.Parallel.Branches
	fan := &fanout{Results: make([]any, len(branches))}
	th.Fan = fan
	th.Phase = phaseChildren
	for i, b := range branches {
		child := st.newThread(th.ID, b, s.Name, i, params, dataflow.NewVars(th.Vars))
		fan.Children = append(fan.Children, child.ID)
		st.runnable = append(st.runnable, child.ID)
	}
	fan.Running = len(branches)
}
