package conformance_test

import (
	"encoding/json"
	"slices"
	"strconv"
	"testing"

	"stepwise/history"
	"stepwise/internal/conformance"
	"stepwise/jsonval"
)

// TestLoadSuites loads both recorded suites and checks that every recorded
// history survives the trip through history.Event: each event, put in wire
// form by WireEvent, decodes into a valid history.Event whose JSON compares
// equal to the recording. This proves the history types cover every event
// type and detail member AWS recorded.
func TestLoadSuites(t *testing.T) {
	suites := []struct {
		name string
		want int
	}{
		{"asl", 622},
		{"asl-tasks", 136},
	}
	for _, s := range suites {
		t.Run(s.name, func(t *testing.T) {
			cases, err := conformance.Load(conformance.SuiteDir(s.name))
			if err != nil {
				t.Fatal(err)
			}
			if len(cases) != s.want {
				t.Fatalf("loaded %d cases, want %d", len(cases), s.want)
			}
			for i, c := range cases {
				if i > 0 && cases[i-1].ID >= c.ID {
					t.Errorf("cases not sorted by ID: %s before %s", cases[i-1].ID, c.ID)
				}
				t.Run(c.ID, func(t *testing.T) { checkCase(t, s.name, c) })
			}
		})
	}
}

func checkCase(t *testing.T, suite string, c conformance.Case) {
	if c.Type != conformance.TypeStandard && c.Type != conformance.TypeExpress {
		t.Errorf("type %q", c.Type)
	}
	if c.Name == "" || c.Definition == nil || len(c.DefinitionJSON) == 0 {
		t.Errorf("case lacks name or definition")
	}
	if def, err := jsonval.Parse(c.DefinitionJSON); err != nil || !jsonval.Equal(def, c.Definition) {
		t.Errorf("DefinitionJSON does not hold Definition (err %v)", err)
	}
	if (suite == "asl-tasks") != (c.Mocks != nil) {
		t.Errorf("mocks present = %v in suite %s", c.Mocks != nil, suite)
	}

	m := conformance.NewMatcher()
	exp := c.Expected
	var output any
	if exp.HasOutput {
		output = exp.Output
	}
	if d := m.Result(c, exp.Status, output, exp.Error, exp.Cause); d != "" {
		t.Errorf("expected result does not match itself: %s", d)
	}
	if exp.History == nil {
		return
	}
	evs := make([]history.Event, 0, len(exp.History))
	for i, raw := range exp.History {
		wire, err := conformance.WireEvent(raw)
		if err != nil {
			t.Fatalf("event %d: %v", i+1, err)
		}
		b, err := jsonval.Marshal(wire)
		if err != nil {
			t.Fatalf("event %d: %v", i+1, err)
		}
		var ev history.Event
		if err := json.Unmarshal(b, &ev); err != nil {
			t.Fatalf("event %d: %v", i+1, err)
		}
		if err := ev.Validate(); err != nil {
			t.Errorf("event %d: %v", i+1, err)
		}
		evs = append(evs, ev)
	}
	actual, err := conformance.Actual(evs)
	if err != nil {
		t.Fatal(err)
	}
	if d := m.History(exp.History, actual); d != "" {
		t.Errorf("history through history.Event differs: %s", d)
	}

	// The comparison is not vacuous: a changed previousEventId of the
	// last event, or a changed state input, is found.
	last := actual[len(actual)-1].(*jsonval.Object).Clone()
	prev, _ := jsonval.Int(mustGet(last, "previousEventId"))
	last.Set("previousEventId", json.Number(strconv.FormatInt(prev+100, 10)))
	changed := append(slices.Clone(actual[:len(actual)-1]), last)
	if d := conformance.NewMatcher().History(exp.History, changed); d == "" {
		t.Errorf("a changed previousEventId went unnoticed")
	}
	for i, ev := range actual {
		o := ev.(*jsonval.Object)
		details, ok := mustGet(o, "stateEnteredEventDetails").(*jsonval.Object)
		if !ok {
			continue
		}
		details = details.Clone()
		details.Set("input", `{"mutated":true}`)
		o = o.Clone()
		o.Set("stateEnteredEventDetails", details)
		changed := slices.Clone(actual)
		changed[i] = o
		if d := conformance.NewMatcher().History(exp.History, changed); d == "" {
			t.Errorf("a changed input of event %d went unnoticed", i+1)
		}
		break
	}
}

func mustGet(o *jsonval.Object, k string) any {
	v, _ := o.Get(k)
	return v
}

// TestExpressCases checks that the cases recorded on Express state
// machines (meta.state_machine_type) are known as such, so that the
// harnesses run them as Express executions.
func TestExpressCases(t *testing.T) {
	cases, err := conformance.Load(conformance.SuiteDir("asl"))
	if err != nil {
		t.Fatal(err)
	}
	var express []string
	for _, c := range cases {
		if c.Type == conformance.TypeExpress {
			express = append(express, c.ID)
		}
	}
	want := []string{
		"test_express_sync__TestExpressSync__test_base_BASE_PASS_RESULT--8a398bca",
		"test_express_sync__TestExpressSync__test_base_BASE_RAISE_FAILURE--bc0577d6",
		"test_sfn_api_express__TestSfnApiExpress__test_start_sync_execution--677567fd",
	}
	if !slices.Equal(express, want) {
		t.Errorf("Express cases %v, want %v", express, want)
	}
}
