package dataflow_test

import (
	"errors"
	"testing"

	"stepwise/dataflow"
	"stepwise/jsonval"
)

func TestCompilePath(t *testing.T) {
	tests := []struct {
		in                          string
		ok                          bool
		context, variable, definite bool
	}{
		{in: "$", ok: true, definite: true},
		{in: "$.a.b", ok: true, definite: true},
		{in: "$['k']", ok: true, definite: true},
		{in: "$['a b'].c", ok: true, definite: true},
		{in: "$.a[0]", ok: true, definite: true},
		{in: "$.a[-1]", ok: true, definite: true},
		{in: "$.a[-1:]", ok: true},
		{in: "$.a[1:3]", ok: true},
		{in: "$.a[:2]", ok: true},
		{in: "$.a[0,1]", ok: true},
		{in: "$.a[*]", ok: true},
		{in: "$.a.*", ok: true},
		{in: "$..x", ok: true},
		{in: "$['a','b']", ok: true, definite: true},
		{in: "$.a[?(@.x > 1)]", ok: true},
		{in: "$.a[?(@.x > 1 && @.y == 'z' || !@.w)].name", ok: true},
		{in: "$.a[?(@.name =~ /ab.*/i)]", ok: true},
		{in: "$.DescribeRecord.RecordOutputs[?(@.OutputKey == FizzBuzz)].OutputValue", ok: true},
		{in: "$$", ok: true, context: true, definite: true},
		{in: "$$.Execution.Id", ok: true, context: true, definite: true},
		{in: "$$.Map.Item.Value", ok: true, context: true, definite: true},
		{in: "$name", ok: true, variable: true, definite: true},
		{in: "$name.field[0]", ok: true, variable: true, definite: true},
		{in: "$.input-foo-bar", ok: true, definite: true},
		{in: " $.a ", ok: true, definite: true},
		{in: ""},
		{in: "a.b"},
		{in: ".guid"},
		{in: "..guid"},
		{in: "()"},
		{in: "bug$.library.movies"},
		{in: "$."},
		{in: "$.a["},
		{in: "$.a[x]"},
		{in: "$.a b"},
		{in: "$[(@.length-1)].bar"},
		{in: "$.a.length()"},
		{in: "$.a[?(@.x >)]"},
		{in: "$.a[?(@.x > 1]"},
		{in: "$['a"},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			p, err := dataflow.CompilePath(tt.in)
			if !tt.ok {
				var pe *dataflow.PathError
				if !errors.As(err, &pe) {
					t.Fatalf("CompilePath(%q) = %v, %v; want *PathError", tt.in, p, err)
				}
				if pe.Error() == "" {
					t.Error("empty message")
				}
				return
			}
			if err != nil {
				t.Fatalf("CompilePath(%q): %v", tt.in, err)
			}
			if p.IsContext() != tt.context || p.IsVariable() != tt.variable || p.IsDefinite() != tt.definite {
				t.Errorf("context/variable/definite = %v/%v/%v, want %v/%v/%v",
					p.IsContext(), p.IsVariable(), p.IsDefinite(), tt.context, tt.variable, tt.definite)
			}
		})
	}
}

func TestCompileReferencePath(t *testing.T) {
	tests := []struct {
		in string
		ok bool
	}{
		{"$", true}, {"$.a.b", true}, {"$['a']", true}, {"$.a[0]", true},
		{"$$.Execution", false}, {"$foo", false}, {"$.a[*]", false}, {"$..a", false},
		{"$.a[?(@.b)]", false}, {"$['a','b']", false}, {".guid", false}, {"()", false},
	}
	for _, tt := range tests {
		_, err := dataflow.CompileReferencePath(tt.in)
		if (err == nil) != tt.ok {
			t.Errorf("CompileReferencePath(%q) error = %v, want ok=%v", tt.in, err, tt.ok)
		}
		var pe *dataflow.PathError
		if err != nil && !errors.As(err, &pe) {
			t.Errorf("CompileReferencePath(%q) error %T, want *PathError", tt.in, err)
		}
	}
}

func TestCompileIntrinsic(t *testing.T) {
	tests := []struct {
		in string
		ok bool
	}{
		{"States.Format('Hello {}', $.name)", true},
		{"States.Format('Welcome to {} {}\\'s playlist.', $.firstName, $.lastName)", true},
		{"States.Array()", true},
		{"States.Array('Foo', 2020, $.someJson, null)", true},
		{"States.Array('Foo', $.xyz, 'Bar', 2.3)", true},
		{"States.ArrayPartition($.inputArray,4)", true},
		{"States.MathAdd($.Iterations, -1)", true},
		{"States.MathAdd(1,'-1')", true},
		{"States.JsonMerge($.a, $.b, false)", true},
		{"States.ArrayGetItem(States.StringSplit($$.StateMachine.Name, '-'), States.MathAdd(States.ArrayLength(States.StringSplit($$.StateMachine.Name, '-')), -1))", true},
		{"States.ArrayGetItem($.a[?(@.k == 'x, y')].v, 0)", true},
		{"States.StringSplit('Hello\nWorld', '\n')", true},
		{"States.UUID()", true},
		{"States.MathRandom(1, 10, 3)", true},
		{"States.Format('{}', $varname)", true},
		{"States.Xyz($.result)", false},
		{"States.UUID(1)", false},
		{"States.MathRandom(1)", false},
		{"States.JsonToString()", false},
		{"States.Format('x'", false},
		{"States.Format('x)", false},
		{"States.Format('x') extra", false},
		{"States.Format($.a b)", false},
		{"States.Format(abc)", false},
		{"Format('x')", false},
		{"States.Array(States.Array(States.Array(States.Array(States.Array(States.Array(States.Array(States.Array(States.Array(States.Array())))))))))", true},
		{"States.Array(States.Array(States.Array(States.Array(States.Array(States.Array(States.Array(States.Array(States.Array(States.Array(States.Array())))))))))))", false},
	}
	for _, tt := range tests {
		_, err := dataflow.CompileIntrinsic(tt.in)
		if (err == nil) != tt.ok {
			t.Errorf("CompileIntrinsic(%q) error = %v, want ok=%v", tt.in, err, tt.ok)
		}
		var se *dataflow.SyntaxError
		if err != nil && !errors.As(err, &se) {
			t.Errorf("CompileIntrinsic(%q) error %T, want *SyntaxError", tt.in, err)
		}
	}
}

func TestCompileTemplate(t *testing.T) {
	tests := []struct {
		in string
		ok bool
	}{
		{`{"a":1,"b.$":"$.x","c":{"d.$":"States.Format('{}', $.y)"},"e":[{"f.$":"$$.Execution.Id"}]}`, true},
		{`{"a.$":1}`, false},
		{`{"a.$":"nope"}`, false},
		{`{"a.$":"States.Nope()"}`, false},
		{`{"a":1,"a.$":"$"}`, false},
		{`"just a string"`, true},
		{`{"x":"$.not.a.path"}`, true},
	}
	for _, tt := range tests {
		v, err := jsonval.ParseString(tt.in)
		if err != nil {
			t.Fatal(err)
		}
		_, err = dataflow.CompileTemplate(v)
		if (err == nil) != tt.ok {
			t.Errorf("CompileTemplate(%s) error = %v, want ok=%v", tt.in, err, tt.ok)
		}
	}
}
