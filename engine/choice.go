package engine

import (
	"fmt"

	"stepwise/asl"
)

// execChoice moves th to the Next of the first Choice rule that matches
// its effective input, else to Default; with neither it fails with
// States.NoChoiceMatched. A Choice state's result is its effective input.
func (st *State) execChoice(th *Thread, s *asl.State) {
	sc := st.scope(th, s, "")
	eff, err := s.Flow.Input(sc)
	if err != nil {
		st.failState(th, s, st.failure(th, s, err))
		return
	}
	for _, rule := range s.Choice.Choices {
		ok, err := s.Flow.Condition(sc, eff, rule)
		if err != nil {
			st.failState(th, s, st.failure(th, s, err))
			return
		}
		if ok {
			st.complete(th, s, sc, eff, eff, rule, rule.Next)
			return
		}
	}
	if s.Choice.Default == "" {
		st.failState(th, s, &failure{Error: ErrorNoChoiceMatched, HasCause: true,
			Cause: fmt.Sprintf("No Matches! at the state '%s'", s.Name)})
		return
	}
	st.complete(th, s, sc, eff, eff, nil, s.Choice.Default)
}
