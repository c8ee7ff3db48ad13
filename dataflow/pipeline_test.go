package dataflow_test

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"stepwise/dataflow"
	"stepwise/jsonval"
)

func equalJSON(a, b any) bool { return jsonval.Equal(a, b) }

func TestApplyInputOutputPath(t *testing.T) {
	tests := []struct {
		name    string
		path    string // "" with present: null
		present bool
		input   string
		want    evalOutcome
	}{
		{"absent keeps input", "", false, `{"a":1}`, evalOutcome{Value: `{"a":1}`}},
		{"null gives {}", "", true, `{"a":1}`, evalOutcome{Value: `{}`}},
		{"path", "$.a", true, `{"a":[1]}`, evalOutcome{Value: `[1]`}},
		{"root", "$", true, `"x"`, evalOutcome{Value: `"x"`}},
		{"missing", "$.NoSuchOutputPath", true, `{"int-literal":0}`, evalOutcome{Name: "States.Runtime",
			Cause: "Invalid path '$.NoSuchOutputPath' : No results for path: $['NoSuchOutputPath']"}},
		{"context", "$$.Execution.Input", true, `{}`, evalOutcome{Value: `{"in":1}`}},
	}
	env := &dataflow.Env{Context: parse(t, `{"Execution":{"Input":{"in":1}}}`)}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var p *dataflow.Path
			if tt.path != "" {
				var err error
				if p, err = dataflow.CompilePath(tt.path); err != nil {
					t.Fatal(err)
				}
			}
			for _, apply := range []func(*dataflow.Path, bool, any, *dataflow.Env) (any, error){dataflow.ApplyInputPath, dataflow.ApplyOutputPath} {
				v, err := apply(p, tt.present, parse(t, tt.input), env)
				if d := cmp.Diff(tt.want, outcome(t, v, err)); d != "" {
					t.Errorf("(-want +got):\n%s", d)
				}
			}
		})
	}
}

func TestApplyResultPath(t *testing.T) {
	tests := []struct {
		name          string
		path          string // "" with present: null
		present       bool
		input, result string
		want          evalOutcome
	}{
		{"absent gives result", "", false, `{"a":1}`, `"r"`, evalOutcome{Value: `"r"`}},
		{"null keeps input", "", true, `{"a":1}`, `"r"`, evalOutcome{Value: `{"a":1}`}},
		{"root", "$", true, `{"a":1}`, `{"r":2}`, evalOutcome{Value: `{"r":2}`}},
		{"new key", "$.r", true, `{"a":1}`, `2`, evalOutcome{Value: `{"a":1,"r":2}`}},
		{"replace keeps position", "$.a", true, `{"a":1,"b":2}`, `3`, evalOutcome{Value: `{"a":3,"b":2}`}},
		{"creates intermediates", "$.x.y.z", true, `{"a":1}`, `true`, evalOutcome{Value: `{"a":1,"x":{"y":{"z":true}}}`}},
		{"into existing object", "$.x.y", true, `{"x":{"k":0}}`, `1`, evalOutcome{Value: `{"x":{"k":0,"y":1}}`}},
		{"array element", "$.a[1]", true, `{"a":[0,0,0]}`, `9`, evalOutcome{Value: `{"a":[0,9,0]}`}},
		{"through a string", "$.s.x", true, `{"s":"str"}`, `1`, evalOutcome{Name: "States.ResultPathMatchFailure",
			Cause: `Unable to apply ResultPath "$.s.x" to input {"s":"str"}`}},
		{"input not an object", "$.x", true, `"str"`, `1`, evalOutcome{Name: "States.ResultPathMatchFailure",
			Cause: `Unable to apply ResultPath "$.x" to input "str"`}},
		{"index out of range", "$.a[5]", true, `{"a":[]}`, `1`, evalOutcome{Name: "States.ResultPathMatchFailure",
			Cause: `Unable to apply ResultPath "$.a[5]" to input {"a":[]}`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var r *dataflow.ReferencePath
			if tt.path != "" {
				var err error
				if r, err = dataflow.CompileReferencePath(tt.path); err != nil {
					t.Fatal(err)
				}
			}
			input := parse(t, tt.input)
			v, err := dataflow.ApplyResultPath(r, tt.present, input, parse(t, tt.result))
			if d := cmp.Diff(tt.want, outcome(t, v, err)); d != "" {
				t.Errorf("(-want +got):\n%s", d)
			}
			if !equalJSON(parse(t, tt.input), input) {
				t.Error("ResultPath modified its input")
			}
		})
	}
}

func TestTemplateEval(t *testing.T) {
	tests := []struct {
		name, template, input string
		want                  evalOutcome
	}{
		{"static", `{"a":1,"b":"$.x"}`, `{}`, evalOutcome{Value: `{"a":1,"b":"$.x"}`}},
		{"paths", `{"a.$":"$.x","b":{"c.$":"$.y[0]"},"d":[{"e.$":"$"}]}`, `{"x":1,"y":[2]}`,
			evalOutcome{Value: `{"a":1,"b":{"c":2},"d":[{"e":{"x":1,"y":[2]}}]}`}},
		{"intrinsic", `{"f.$":"States.Format('{}-{}', $.x, $$.State.Name)"}`, `{"x":1}`, evalOutcome{Value: `{"f":"1-S"}`}},
		{"variable", `{"v.$":"$v"}`, `{}`, evalOutcome{Value: `{"v":[1]}`}},
		// AWS reports States.Runtime here, not States.ParameterPathFailure
		// (conformance test_invalid_jsonpath_INVALID_JSONPATH_IN_STRING_EXPR_JSONPATH).
		{"missing path", `{"value.$":"$.no_such_jsonpath"}`, `{"int-literal":0}`, evalOutcome{Name: "States.Runtime",
			Cause: `The JSONPath '$.no_such_jsonpath' specified for the field 'value.$' could not be found in the input '{"int-literal":0}'`}},
		{"missing context path", `{"value.$":"$$.Execution.Input.no_such_jsonpath"}`, `{"int-literal":0}`, evalOutcome{Name: "States.Runtime",
			Cause: `The JSONPath '$$.Execution.Input.no_such_jsonpath' specified for the field 'value.$' could not be found in the input '{"int-literal":0}'`}},
		{"missing path in intrinsic", `{"f.$":"States.Array($.nope)"}`, `{}`, evalOutcome{Name: "States.Runtime",
			Cause: `The JSONPath '$.nope' specified for the field 'f.$' could not be found in the input '{}'`}},
		{"intrinsic failure", `{"f.$":"States.ArrayLength($)"}`, `{}`, evalOutcome{Name: "States.IntrinsicFailure",
			Cause: `Invalid arguments in States.ArrayLength: the argument must be an array, not an object`}},
	}
	vars, _ := dataflow.NewVars(nil).Assign(mustObject(`{"v":[1]}`))
	env := &dataflow.Env{Context: parse(t, `{"State":{"Name":"S"}}`), Vars: vars}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tmpl, err := dataflow.CompileTemplate(parse(t, tt.template))
			if err != nil {
				t.Fatal(err)
			}
			v, err := tmpl.Eval(parse(t, tt.input), env)
			if d := cmp.Diff(tt.want, outcome(t, v, err)); d != "" {
				t.Errorf("(-want +got):\n%s", d)
			}
		})
	}
}

func TestVarsScopes(t *testing.T) {
	outer, err := dataflow.NewVars(nil).Assign(mustObject(`{"a":1,"b":2}`))
	if err != nil {
		t.Fatal(err)
	}
	inner, err := dataflow.NewVars(outer).Assign(mustObject(`{"b":20,"c":30}`))
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		vars *dataflow.Vars
		name string
		want any
		ok   bool
	}{
		{outer, "a", jsonval.FromGo(1), true}, {outer, "b", jsonval.FromGo(2), true}, {outer, "c", nil, false},
		{inner, "a", jsonval.FromGo(1), true}, {inner, "b", jsonval.FromGo(20), true}, {inner, "c", jsonval.FromGo(30), true},
	} {
		got, ok := tt.vars.Get(tt.name)
		if ok != tt.ok || !equalJSON(got, tt.want) {
			t.Errorf("Get(%s) = %v %v, want %v %v", tt.name, got, ok, tt.want, tt.ok)
		}
	}
	// Simultaneous assignment: values are computed from the old scope.
	tmpl, _ := dataflow.CompileTemplate(parse(t, `{"a.$":"$b","b.$":"$a"}`))
	v, err := tmpl.Eval(nil, &dataflow.Env{Vars: outer})
	if err != nil {
		t.Fatal(err)
	}
	swapped, err := outer.Assign(v.(*jsonval.Object))
	if err != nil {
		t.Fatal(err)
	}
	if a, _ := swapped.Get("a"); !equalJSON(a, jsonval.FromGo(2)) {
		t.Errorf("a = %v after swap, want 2", a)
	}
	if a, _ := outer.Get("a"); !equalJSON(a, jsonval.FromGo(1)) {
		t.Errorf("Assign modified the old scope: a = %v", a)
	}
}

func TestVarsLimits(t *testing.T) {
	big := make([]byte, dataflow.MaxVariableSize)
	for i := range big {
		big[i] = 'x'
	}
	o := jsonval.NewObject(1)
	o.Set("big", string(big)) // 2 bytes of quotes over the limit
	_, err := dataflow.NewVars(nil).Assign(o)
	var f *dataflow.Failure
	if err == nil || !asFailure(err, &f) || f.Name != dataflow.ErrorRuntime {
		t.Errorf("Assign of a %d-byte variable: %v, want States.Runtime", len(big)+2, err)
	}
	o.Set("big", string(big[:dataflow.MaxVariableSize/2]))
	o.Set("big2", string(big[:dataflow.MaxVariableSize/2]))
	if _, err := dataflow.NewVars(nil).Assign(o); err == nil {
		t.Error("Assign over the per-state limit succeeded")
	}
}

func asFailure(err error, f **dataflow.Failure) bool {
	v, ok := err.(*dataflow.Failure)
	*f = v
	return ok
}
