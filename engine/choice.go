package engine

import (
	"fmt"

	"stepwise/asl"
	"stepwise/dataflow"
)

// execChoice moves th to the Next of the first Choice rule that matches
// its effective input, else to Default; with neither it fails with
// States.NoChoiceMatched. A Choice state's result is its effective input.
func (st *State) execChoice(th *Thread, s *asl.State) {
	sc := st.scope(th, s, "")
	eff, err := effectiveInput(sc, s)
	if err != nil {
		st.failState(th, s, st.failure(th, s, err))
		return
	}
	rule, next, err := choose(sc, s, eff)
	if err != nil {
		st.failState(th, s, st.failure(th, s, err))
		return
	}
	st.complete(th, s, sc, eff, eff, rule, next)
}

// choose returns the first rule of Choice state s that matches eff and its
// Next, or (nil, Default) when none does; with neither it fails with
// States.NoChoiceMatched.
func choose(sc *asl.Scope, s *asl.State, eff any) (*asl.ChoiceRule, string, error) {
	for _, rule := range s.Choice.Choices {
		ok, err := s.Flow.Condition(sc, eff, rule)
		if err != nil {
			return nil, "", err
		}
		if ok {
			return rule, rule.Next, nil
		}
	}
	if s.Choice.Default == "" {
		return nil, "", &dataflow.Failure{Name: ErrorNoChoiceMatched, Cause: fmt.Sprintf("No Matches! at the state '%s'", s.Name)}
	}
	return nil, s.Choice.Default, nil
}
