package dataflow_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"stepwise/dataflow"
	"stepwise/jsonval"
)

// TestJSONataMemoryLimit pins issue 14 item 9: an expression that would
// allocate more than the evaluator's budget fails the field with
// States.QueryEvaluationError, and the cause names the limit. The
// expression took a server to 1.8 GB before.
func TestJSONataMemoryLimit(t *testing.T) {
	const text = "$count([1..3000].([1..3000]))"
	e, err := dataflow.CompileJSONataExpression(text)
	if err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	_, err = dataflow.EvalExpression(e, "Output", &dataflow.JSONataEnv{States: jsonval.NewObject(0)})
	var f *dataflow.Failure
	if !errors.As(err, &f) || f.Name != dataflow.ErrorQueryEvaluation {
		t.Fatalf("got %v, want States.QueryEvaluationError", err)
	}
	want := "The JSONata expression '" + text + "' specified for the field 'Output' threw an error during evaluation. " +
		"U1002: Memory limit exceeded: the expression built values of more than 64 MiB (the evaluation's allocation limit)"
	if f.Cause != want {
		t.Errorf("cause %q, want %q", f.Cause, want)
	}
	if d := time.Since(start); d > 5*time.Second {
		t.Errorf("took %v", d)
	}
}

// TestIntrinsicResultLimits checks that intrinsics cannot build strings
// beyond the 256 KiB payload limit however often a call names a large
// value, and that States.ArrayRange keeps AWS's 1,000-item limit.
func TestIntrinsicResultLimits(t *testing.T) {
	input := jsonval.NewObject(2)
	input.Set("s", strings.Repeat("x", 200_000))
	input.Set("small", "abc")
	many := "States.Format('" + strings.Repeat("{}", 1000) + "'" + strings.Repeat(", $.s", 1000) + ")"
	tests := []struct {
		call string
		ok   bool
	}{
		{many, false},
		{"States.Format('{}{}', $.s, $.s)", false},
		{"States.Format('{}', $.s)", true},
		{"States.Format('{} and {}', $.small, $.small)", true},
		{"States.JsonToString(States.Array($.s, $.s))", false},
		{"States.JsonToString(States.Array($.s))", true},
		{"States.ArrayRange(1, 1000, 1)", true},
		{"States.ArrayRange(1, 1001, 1)", false},
		{"States.ArrayRange(-999999999, 999999999, 1)", false},
	}
	for _, tt := range tests {
		fn, err := dataflow.CompileIntrinsic(tt.call)
		if err != nil {
			t.Fatalf("%.60s: %v", tt.call, err)
		}
		_, err = fn.Eval(input, nil)
		if tt.ok {
			if err != nil {
				t.Errorf("%.60s: %v", tt.call, err)
			}
			continue
		}
		var f *dataflow.Failure
		if !errors.As(err, &f) || f.Name != dataflow.ErrorIntrinsicFailure {
			t.Errorf("%.60s: %v, want States.IntrinsicFailure", tt.call, err)
		}
	}
}

// TestArrayUniqueLinear checks that States.ArrayUnique over a payload-sized
// array of scalars takes linear time (it compared every pair before: 10^10
// comparisons for 100,000 items), with the same result.
func TestArrayUniqueLinear(t *testing.T) {
	items := make([]any, 0, 100_000)
	for i := range 100_000 {
		items = append(items, float64(i%50_000))
	}
	items = append(items, "a", "a", true, nil, nil, 1.0, jsonval.NewObject(0), jsonval.NewObject(0), []any{1.0}, []any{1.0})
	input := jsonval.NewObject(1)
	input.Set("a", items)
	fn, err := dataflow.CompileIntrinsic("States.ArrayUnique($.a)")
	if err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	v, err := fn.Eval(input, nil)
	if err != nil {
		t.Fatal(err)
	}
	if d := time.Since(start); d > 5*time.Second {
		t.Errorf("took %v", d)
	}
	got, _ := v.([]any)
	if len(got) != 50_000+5 {
		t.Fatalf("%d items, want %d", len(got), 50_000+5)
	}
	if !jsonval.Equal(got[49_999], 49999.0) || got[50_000] != "a" || got[50_001] != true || got[50_002] != nil {
		t.Errorf("order changed: %v", got[49_999:])
	}
	mixed := parse(t, `{"a": [1, 1.0, "1", 2, -0, 0, [1], [1.0], {"k": 1}, {"k": 1.0}, null, false]}`)
	v, err = fn.Eval(mixed, nil)
	if err != nil {
		t.Fatal(err)
	}
	if s, _ := jsonval.MarshalString(v); s != `[1,"1",2,-0,[1],{"k":1},null,false]` {
		t.Errorf("got %s", s)
	}
}
