package dataflow_test

import (
	"regexp"
	"testing"

	"stepwise/dataflow"
	"stepwise/jsonval"
)

// fuzzDocument is the input every fuzzed path or call is evaluated against.
const fuzzDocument = `{"a":{"b":[1,2.5,{"c":"x"}],"s":"1,2,3","n":null},"items":[{"k":1,"v":"p"},{"k":2,"v":"q"}],` +
	`"str":"SGVsbG8=","json":"{\"x\":[1]}","num":7,"t":true,"o":{"x":1},"p":{"y":2}}`

var conformanceStringRE = regexp.MustCompile(`"(\$[^"]*|States\.[^"]*)"`)

// conformanceSeeds returns the paths and intrinsic calls used in the
// conformance definitions.
func conformanceSeeds(f *testing.F) (paths, calls []string) {
	for _, c := range loadConformance(f) {
		for _, m := range conformanceStringRE.FindAllStringSubmatch(jsonval.MustMarshalString(c.definition), -1) {
			s, err := jsonval.ParseString(`"` + m[1] + `"`)
			if err != nil {
				continue
			}
			if dataflow.IsIntrinsic(s.(string)) {
				calls = append(calls, s.(string))
			} else {
				paths = append(paths, s.(string))
			}
		}
	}
	return paths, calls
}

func fuzzEnv() *dataflow.Env {
	ctx, _ := jsonval.ParseString(`{"Execution":{"Id":"arn","Input":{"a":1}},"State":{"Name":"S"},"StateMachine":{"Name":"a-b-c"}}`)
	vars, _ := dataflow.NewVars(nil).Assign(mustObject(`{"v":{"w":[1,2]},"s":"x"}`))
	n := uint64(0)
	return &dataflow.Env{Context: ctx, Vars: vars, Rand: func() uint64 { n += 0x9e3779b97f4a7c15; return n }}
}

func mustObject(s string) *jsonval.Object {
	v, err := jsonval.ParseString(s)
	if err != nil {
		panic(err)
	}
	return v.(*jsonval.Object)
}

// FuzzJSONPath compiles and evaluates arbitrary paths: never a panic, and
// every failure is a *PathError or a *Failure.
func FuzzJSONPath(f *testing.F) {
	paths, _ := conformanceSeeds(f)
	for _, s := range append(paths, "$..*", "$.items[?(@.k > 1 && @.v =~ /q/)].v", "$['a','o']", "$.a.b[-2:]", "$.a.b[0,2].c") {
		f.Add(s)
	}
	doc, _ := jsonval.ParseString(fuzzDocument)
	env := fuzzEnv()
	f.Fuzz(func(t *testing.T, s string) {
		p, err := dataflow.CompilePath(s)
		if err != nil {
			if _, ok := err.(*dataflow.PathError); !ok {
				t.Fatalf("CompilePath(%q) error %T", s, err)
			}
			return
		}
		_ = p.String()
		if _, err := p.Eval(doc, env); err != nil {
			if _, ok := err.(*dataflow.Failure); !ok {
				t.Fatalf("Eval(%q) error %T", s, err)
			}
		}
		if r, err := dataflow.CompileReferencePath(s); err == nil {
			if _, err := r.Set(doc, "v"); err != nil {
				if _, ok := err.(*dataflow.Failure); !ok {
					t.Fatalf("Set(%q) error %T", s, err)
				}
			}
		}
	})
}

// FuzzIntrinsic compiles and evaluates arbitrary intrinsic function calls.
func FuzzIntrinsic(f *testing.F) {
	_, calls := conformanceSeeds(f)
	for _, s := range append(calls,
		"States.Format('{} \\{\\} {}', $.num, $.o)", "States.ArrayRange(1, 1000, 1)", "States.MathRandom(1, 10, 42)",
		"States.Hash($.a.s, 'MD5')", "States.JsonMerge($.o, $.p, true)", "States.UUID()", "States.StringToJson($.json)") {
		f.Add(s)
	}
	doc, _ := jsonval.ParseString(fuzzDocument)
	env := fuzzEnv()
	f.Fuzz(func(t *testing.T, s string) {
		fn, err := dataflow.CompileIntrinsic(s)
		if err != nil {
			if _, ok := err.(*dataflow.SyntaxError); !ok {
				t.Fatalf("CompileIntrinsic(%q) error %T", s, err)
			}
			return
		}
		v, err := fn.Eval(doc, env)
		if err != nil {
			if _, ok := err.(*dataflow.Failure); !ok {
				t.Fatalf("Eval(%q) error %T", s, err)
			}
			return
		}
		if _, err := jsonval.Marshal(v); err != nil {
			t.Fatalf("Eval(%q) = %#v, not JSON: %v", s, v, err)
		}
	})
}
