package dataflow_test

import (
	"errors"
	"strings"
	"testing"

	"stepwise/dataflow"
	"stepwise/jsonval"
)

// dotBracketDoc is the input of the dot-before-bracket tests.
const dotBracketDoc = `[{"x":1,"name":"a","b":[10,20]},{"x":2,"name":"b"}]`

// TestPathDotBeforeBracket: Jayway, which AWS uses, reads a '.' before a
// bracket as nothing ("$.[0]" is "$[0]"), so public sample workflows
// write "$.[0]", "$.a.[0].b" and "$.[?(...)]" (issue 14 item 15). Each
// dotted path must compile to and select exactly what its plain form
// does, including failing with the same Jayway message.
func TestPathDotBeforeBracket(t *testing.T) {
	tests := []struct {
		dotted, plain string
		input         string // dotBracketDoc when empty
		want          string // the JSON selected, or "" for a failure
	}{
		{"$.[0]", "$[0]", "", `{"x":1,"name":"a","b":[10,20]}`},
		{"$.[-1].name", "$[-1].name", "", `"b"`},
		{"$.[0].b.[1]", "$[0].b[1]", "", `20`},
		{"$.[?(@.x == 1)]", "$[?(@.x == 1)]", "", `[{"x":1,"name":"a","b":[10,20]}]`},
		{"$.[?(@.x == 1)].name", "$[?(@.x == 1)].name", "", `["a"]`},
		{"$.[*].name", "$[*].name", "", `["a","b"]`},
		{"$.[0:1].x", "$[0:1].x", "", `[1]`},
		{"$.[0,1].x", "$[0,1].x", "", `[1,2]`},
		{"$.['name']", "$['name']", `{"name":"n"}`, `"n"`},
		{`$.["name"]`, `$["name"]`, `{"name":"n"}`, `"n"`},
		{"$.['a','b']", "$['a','b']", `{"a":1,"b":2,"c":3}`, `{"a":1,"b":2}`},
		{"$.a.[0].b", "$.a[0].b", `{"a":[{"b":"ok"}]}`, `"ok"`},
		{"$.a.['b c'].d", "$.a['b c'].d", `{"a":{"b c":{"d":4}}}`, `4`},
		// AWS's own example of bracket notation ("Using JSONPath paths").
		{"$.abc.['def ghi']", "$.abc['def ghi']", `{"abc":{"def ghi":5}}`, `5`},
		{"$..[0]", "$..[0]", `{"a":[1,2],"b":{"c":[3]}}`, `[1,3]`},
		{"$.a.[5]", "$.a[5]", `{"a":[1]}`, ""},
		{"$.a.['nope'].b", "$.a['nope'].b", `{"a":{}}`, ""},
		{"$$.['Execution'].Id", "$$['Execution'].Id", "", `"arn:exec"`},
		{"$v.[1]", "$v[1]", "", `2`},
	}
	env := &dataflow.Env{Context: parse(t, `{"Execution":{"Id":"arn:exec"}}`)}
	vars, err := dataflow.NewVars(nil).Assign(mustObject(`{"v":[1,2]}`))
	if err != nil {
		t.Fatal(err)
	}
	env.Vars = vars
	for _, tt := range tests {
		t.Run(tt.dotted, func(t *testing.T) {
			in := tt.input
			if in == "" {
				in = dotBracketDoc
			}
			input := parse(t, in)
			dotted, err := dataflow.CompilePath(tt.dotted)
			if err != nil {
				t.Fatalf("CompilePath(%q): %v", tt.dotted, err)
			}
			plain, err := dataflow.CompilePath(tt.plain)
			if err != nil {
				t.Fatalf("CompilePath(%q): %v", tt.plain, err)
			}
			if dotted.IsDefinite() != plain.IsDefinite() {
				t.Errorf("IsDefinite %v, %s gives %v", dotted.IsDefinite(), tt.plain, plain.IsDefinite())
			}
			dv, derr := dotted.Eval(input, env)
			pv, perr := plain.Eval(input, env)
			got, want := outcome(t, dv, derr), outcome(t, pv, perr)
			// The cause quotes the path as written; the rest must agree.
			got.Cause = strings.Replace(got.Cause, tt.dotted, tt.plain, 1)
			if got != want {
				t.Errorf("got %+v, %s gives %+v", got, tt.plain, want)
			}
			if tt.want == "" {
				if derr == nil {
					t.Errorf("got %s, want a failure", got.Value)
				}
				return
			}
			if derr != nil || !jsonval.Equal(dv, parse(t, tt.want)) {
				t.Errorf("got %v %v, want %s", got.Value, derr, tt.want)
			}
		})
	}
}

// TestPathDotBracketStillInvalid: accepting ".[" does not make other
// stray dots valid.
func TestPathDotBracketStillInvalid(t *testing.T) {
	for _, s := range []string{"$.", "$.[", "$.[]", "$.a.", "$...a", "$.a..", "$. [0]", "$.[0]."} {
		_, err := dataflow.CompilePath(s)
		var pe *dataflow.PathError
		if !errors.As(err, &pe) {
			t.Errorf("CompilePath(%q) = %v, want a *PathError", s, err)
		}
	}
}

// TestReferencePathDotBeforeBracket: a reference path (ResultPath, a
// Choice Variable) takes the dotted form wherever it takes the plain one.
// AWS documents reference paths as "dot (.) and square bracket ([ ])
// notation" only, and writes its own bracket example as
// "$.abc.['def ghi']"; the dot before a bracket is the same path.
func TestReferencePathDotBeforeBracket(t *testing.T) {
	tests := []struct{ dotted, plain, input, value, want string }{
		{"$.a.[0]", "$.a[0]", `{"a":[1,2]}`, `"r"`, `{"a":["r",2]}`},
		{"$.a.[0].b", "$.a[0].b", `{"a":[{"b":1}]}`, `2`, `{"a":[{"b":2}]}`},
		{"$.['x y']", "$['x y']", `{}`, `1`, `{"x y":1}`},
		{"$.abc.['def ghi']", "$.abc['def ghi']", `{"abc":{}}`, `1`, `{"abc":{"def ghi":1}}`},
		{"$.[1]", "$[1]", `[0,0]`, `9`, `[0,9]`},
	}
	for _, tt := range tests {
		t.Run(tt.dotted, func(t *testing.T) {
			dotted, err := dataflow.CompileReferencePath(tt.dotted)
			if err != nil {
				t.Fatalf("CompileReferencePath(%q): %v", tt.dotted, err)
			}
			plain, err := dataflow.CompileReferencePath(tt.plain)
			if err != nil {
				t.Fatalf("CompileReferencePath(%q): %v", tt.plain, err)
			}
			got, err := dotted.Set(parse(t, tt.input), parse(t, tt.value))
			if err != nil {
				t.Fatalf("Set: %v", err)
			}
			want, _ := plain.Set(parse(t, tt.input), parse(t, tt.value))
			if !jsonval.Equal(got, parse(t, tt.want)) || !jsonval.Equal(got, want) {
				t.Errorf("Set gave %s, want %s", jsonval.MustMarshalString(got), tt.want)
			}
			if v, err := dotted.Get(got); err != nil || !jsonval.Equal(v, parse(t, tt.value)) {
				t.Errorf("Get gave %v %v", v, err)
			}
		})
	}
	for _, s := range []string{"$.[*]", "$.a.[0,1]", "$.a.[?(@.x)]", "$.a.[1:]", "$..[0]"} {
		if _, err := dataflow.CompileReferencePath(s); err == nil {
			t.Errorf("CompileReferencePath(%q) succeeded; it selects more than one node", s)
		}
	}
}

// TestPathQuotedNames: a bracket-quoted name is read as Jayway reads it
// (its Utils.unescape): a backslash escapes the quote, the backslash and
// \b \f \n \r \t \uXXXX; before any other character it is dropped; the
// other kind of quote needs no escape (issue 14 item 17).
func TestPathQuotedNames(t *testing.T) {
	const doc = `{"it's":1,"say \"hi\"":2,"a\\b":3,"tab\there":4,"A":5,"line\nbreak":6,"😀":7,"x":{"it's":8},` +
		`"list":[{"n":"it's"},{"n":"say \"hi\""},{"n":"plain"}]}`
	tests := []struct{ path, want string }{
		{`$['it\'s']`, `1`},
		{`$["it's"]`, `1`},
		{`$["say \"hi\""]`, `2`},
		{`$['say "hi"']`, `2`},
		{`$['a\\b']`, `3`},
		{`$['tab\there']`, `4`},
		{`$['\u0041']`, `5`},
		{`$['line\nbreak']`, `6`},
		{`$['\ud83d\ude00']`, `7`},
		{`$['\x']`, `{"it's":8}`}, // an unknown escape drops the backslash
		{`$.x['it\'s']`, `8`},
		{`$.x.['it\'s']`, `8`},
		{`$['it\'s','A']`, `{"it's":1,"A":5}`},
		{`$.list[?(@.n == 'it\'s')].n`, `["it's"]`},
		{`$.list[?(@.n == "say \"hi\"")].n`, `["say \"hi\""]`},
	}
	input := parse(t, doc)
	for _, tt := range tests {
		t.Run(tt.path, func(t *testing.T) {
			p, err := dataflow.CompilePath(tt.path)
			if err != nil {
				t.Fatalf("CompilePath: %v", err)
			}
			v, err := p.Eval(input, nil)
			if err != nil {
				t.Fatalf("Eval: %v", err)
			}
			if !jsonval.Equal(v, parse(t, tt.want)) {
				t.Errorf("got %s, want %s", jsonval.MustMarshalString(v), tt.want)
			}
		})
	}
	// A reference path reads names the same way.
	rp, err := dataflow.CompileReferencePath(`$['it\'s']`)
	if err != nil {
		t.Fatal(err)
	}
	out, err := rp.Set(parse(t, `{}`), parse(t, `true`))
	if err != nil || jsonval.MustMarshalString(out) != `{"it's":true}` {
		t.Errorf("Set gave %v %v", out, err)
	}
	for _, s := range []string{`$['\u00']`, `$['\uzzzz']`, `$['it\'s]`} {
		if _, err := dataflow.CompilePath(s); err == nil {
			t.Errorf("CompilePath(%q) succeeded", s)
		}
	}
}
