package asl_test

import (
	"errors"
	"testing"
	"time"

	"stepwise/asl"
	"stepwise/dataflow"
	"stepwise/jsonval"
)

// flowState parses a one-state machine and returns the state named S.
func flowState(t *testing.T, def string) *asl.State {
	t.Helper()
	sm, err := asl.Parse([]byte(def))
	if err != nil {
		t.Fatal(err)
	}
	s, ok := sm.State("S")
	if !ok || s.Flow == nil {
		t.Fatalf("state S: %v, flow %v", ok, s)
	}
	return s
}

func parseJSON(t *testing.T, text string) any {
	t.Helper()
	v, err := jsonval.ParseString(text)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

func scope(t *testing.T, input string) *asl.Scope {
	return &asl.Scope{Input: parseJSON(t, input), Now: time.Unix(1700000000, 0),
		Env: dataflow.Env{Vars: dataflow.NewVars(nil), Context: jsonval.NewObject(0), Rand: func() uint64 { return 7 }}}
}

// TestFlowJSONPath runs a JSONPath Pass state's data flow in AWS's order:
// InputPath, Parameters, then ResultPath into the raw input and OutputPath
// (ASL specification, "Input and Output Processing").
func TestFlowJSONPath(t *testing.T) {
	s := flowState(t, `{"StartAt":"S","States":{"S":{"Type":"Pass","InputPath":"$.a","Parameters":{"x.$":"$.b"},
		"ResultPath":"$.r","OutputPath":"$.r","Assign":{"v.$":"$.x"},"End":true}}}`)
	sc := scope(t, `{"a":{"b":1}}`)
	eff, err := s.Flow.Input(sc)
	if err != nil || jsonval.MustMarshalString(eff) != `{"b":1}` {
		t.Fatalf("Input = %v, %v", jsonval.MustMarshalString(eff), err)
	}
	args, err := s.Flow.Arguments(sc, eff)
	if err != nil || jsonval.MustMarshalString(args) != `{"x":1}` {
		t.Fatalf("Arguments = %v, %v", jsonval.MustMarshalString(args), err)
	}
	x, err := s.Flow.Exit(sc, eff, args, nil)
	if err != nil {
		t.Fatal(err)
	}
	if got := jsonval.MustMarshalString(x.Output); got != `{"x":1}` {
		t.Errorf("output %s", got)
	}
	if v, _ := x.Vars.Get("v"); jsonval.MustMarshalString(v) != "1" {
		t.Errorf("v = %v", v)
	}
	if s.Flow.UsesContext() {
		t.Error("UsesContext is true for a state that does not read $$")
	}
}

// TestFlowJSONata runs a JSONata Task state's data flow: Arguments, then
// Assign and Output over $states.result, the variables taking effect after
// both (AWS "Transforming data with JSONata").
func TestFlowJSONata(t *testing.T) {
	s := flowState(t, `{"QueryLanguage":"JSONata","StartAt":"S","States":{"S":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke",
		"Arguments":{"x":"{% $states.input.a %}"},"Output":"{% $states.result.y %}","Assign":{"v":"{% $states.result.y + 1 %}"},
		"TimeoutSeconds":"{% 'soon' %}","End":true}}}`)
	sc := scope(t, `{"a":5}`)
	eff, _ := s.Flow.Input(sc)
	args, err := s.Flow.Arguments(sc, eff)
	if err != nil || jsonval.MustMarshalString(args) != `{"x":5}` {
		t.Fatalf("Arguments = %v, %v", jsonval.MustMarshalString(args), err)
	}
	x, err := s.Flow.Exit(sc, eff, parseJSON(t, `{"y":2}`), nil)
	if err != nil {
		t.Fatal(err)
	}
	if jsonval.MustMarshalString(x.Output) != "2" || jsonval.MustMarshalString(x.Assigned) != `{"v":3}` {
		t.Errorf("output %v, assigned %s", x.Output, jsonval.MustMarshalString(x.Assigned))
	}
	_, err = s.Flow.Int(sc, eff, asl.FieldTimeoutSeconds)
	var f *dataflow.Failure
	if !errors.As(err, &f) || f.Name != "States.QueryEvaluationError" || f.Location != "TimeoutSeconds" {
		t.Errorf("TimeoutSeconds error %#v", err)
	}
}

// TestFlowTypedFieldErrors checks the causes of typed fields that select
// a value of the wrong kind, as AWS words them.
func TestFlowTypedFieldErrors(t *testing.T) {
	s := flowState(t, `{"StartAt":"S","States":{"S":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke",
		"TimeoutSecondsPath":"$.t","End":true}}}`)
	_, err := s.Flow.Int(scope(t, `{"t":"x"}`), parseJSON(t, `{"t":"x"}`), asl.FieldTimeoutSeconds)
	var f *dataflow.Failure
	want := `The TimeoutSecondsPath field refers to value "x" which is not a valid positive integer`
	if !errors.As(err, &f) || f.Name != "States.Runtime" || f.Cause != want {
		t.Errorf("error %#v, want States.Runtime %q", err, want)
	}
}
