package engine_test

import (
	"testing"

	"stepwise/asl"
	"stepwise/engine"
	"stepwise/engine/enginetest"
	"stepwise/history"
)

// TestEmptyAssignRecordsNoVariables checks that a state whose Assign is an
// empty object records no assignedVariables in its exited event, as AWS
// records it, while a non-empty Assign does (conformance recordings, e.g.
// test_assign_reference_variables: assignedVariables with
// assignedVariablesDetails {"truncated": false}).
func TestEmptyAssignRecordsNoVariables(t *testing.T) {
	tests := []struct {
		name, def string
		want      map[string]string // nil: no assignedVariables
	}{
		{"JSONPath empty", `{"StartAt":"P","States":{"P":{"Type":"Pass","Assign":{},"End":true}}}`, nil},
		{"JSONata empty", `{"QueryLanguage":"JSONata","StartAt":"P","States":{"P":{"Type":"Pass","Assign":{},"End":true}}}`, nil},
		{"JSONPath one", `{"StartAt":"P","States":{"P":{"Type":"Pass","Assign":{"x":1},"End":true}}}`, map[string]string{"x": "1"}},
		{"JSONata one", `{"QueryLanguage":"JSONata","StartAt":"P","States":{"P":{"Type":"Pass","Assign":{"x":"{% 1 %}"},"End":true}}}`, map[string]string{"x": "1"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			sm, err := asl.Parse([]byte(tt.def))
			if err != nil {
				t.Fatal(err)
			}
			res, err := enginetest.Run(engine.NewMachine(sm, engine.Options{}), testExecution(`{}`), 1, start, answers(nil))
			if err != nil {
				t.Fatal(err)
			}
			var d *history.StateExitedEventDetails
			for _, e := range res.Events {
				if e.Type == history.PassStateExited {
					d = e.Details.(*history.StateExitedEventDetails)
				}
			}
			if d == nil {
				t.Fatal("no PassStateExited event")
			}
			if tt.want == nil {
				if d.AssignedVariables != nil || d.AssignedVariablesDetails != nil {
					t.Errorf("assignedVariables %v, details %v recorded for an empty Assign", d.AssignedVariables, d.AssignedVariablesDetails)
				}
				return
			}
			if len(d.AssignedVariables) != len(tt.want) || d.AssignedVariables["x"] != tt.want["x"] || d.AssignedVariablesDetails == nil {
				t.Errorf("assignedVariables %v, details %v; want %v", d.AssignedVariables, d.AssignedVariablesDetails, tt.want)
			}
		})
	}
}
