package dataflow_test

import (
	"errors"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"stepwise/dataflow"
	"stepwise/jsonval"
)

const conformanceDir = "../../shared/conformance/asl/cases"

// conformanceCase is one recorded AWS execution (format in
// shared/conformance/README.md).
type conformanceCase struct {
	id         string
	definition *jsonval.Object
	input      any
	expected   *jsonval.Object
}

func loadConformance(t testing.TB) []conformanceCase {
	t.Helper()
	files, err := filepath.Glob(filepath.Join(conformanceDir, "*.json"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no conformance cases in %s: %v", conformanceDir, err)
	}
	var out []conformanceCase
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		v, err := jsonval.Parse(data)
		if err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		o := v.(*jsonval.Object)
		def, _ := o.Get("definition")
		in, _ := o.Get("input")
		exp, _ := o.Get("expected")
		defObj, ok1 := def.(*jsonval.Object)
		expObj, ok2 := exp.(*jsonval.Object)
		if !ok1 || !ok2 {
			continue
		}
		out = append(out, conformanceCase{
			id:         strings.TrimSuffix(filepath.Base(f), ".json"),
			definition: defObj,
			input:      in,
			expected:   expObj,
		})
	}
	return out
}

func usesJSONata(v any) bool {
	switch x := v.(type) {
	case *jsonval.Object:
		if ql, _ := x.Get("QueryLanguage"); ql == "JSONata" {
			return true
		}
		for _, e := range x.All() {
			if usesJSONata(e) {
				return true
			}
		}
	case []any:
		return slices.ContainsFunc(x, usesJSONata)
	}
	return false
}

// passOnly reports whether every state of the definition is a Pass state
// and nothing uses JSONata.
func passOnly(def *jsonval.Object) bool {
	states, _ := def.Get("States")
	so, ok := states.(*jsonval.Object)
	if !ok || so.Len() == 0 || usesJSONata(def) {
		return false
	}
	for _, s := range so.All() {
		st, ok := s.(*jsonval.Object)
		if !ok {
			return false
		}
		if typ, _ := st.Get("Type"); typ != "Pass" {
			return false
		}
	}
	return true
}

// runPassChain executes a chain of Pass states with the dataflow pipeline,
// the way the engine will: InputPath, Parameters, Result, ResultPath,
// OutputPath, then Assign (evaluated against the state's result with the
// variables from before the state). It returns the output or the failure.
func runPassChain(def *jsonval.Object, input any) (any, *dataflow.Failure, error) {
	statesV, _ := def.Get("States")
	states := statesV.(*jsonval.Object)
	startV, _ := def.Get("StartAt")
	name, _ := startV.(string)
	smName := "sm-name"
	ctx := func(state string) *jsonval.Object {
		c := jsonval.NewObject(4)
		exec := jsonval.NewObject(6)
		exec.Set("Id", "arn:aws:states:us-east-1:111111111111:execution:"+smName+":exec-name")
		exec.Set("Input", input)
		exec.Set("Name", "exec-name")
		exec.Set("RoleArn", "arn:aws:iam::111111111111:role/sfn")
		exec.Set("StartTime", "2024-01-01T00:00:00.000Z")
		exec.Set("RedriveCount", jsonval.FromGo(0))
		c.Set("Execution", exec)
		// AWS's $$.State of a Pass state has no RetryCount (conformance
		// test_query_context_object_values).
		st := jsonval.NewObject(2)
		st.Set("EnteredTime", "2024-01-01T00:00:00.000Z")
		st.Set("Name", state)
		c.Set("State", st)
		sm := jsonval.NewObject(2)
		sm.Set("Id", "arn:aws:states:us-east-1:111111111111:stateMachine:"+smName)
		sm.Set("Name", smName)
		c.Set("StateMachine", sm)
		return c
	}
	vars := dataflow.NewVars(nil)
	cur := input
	for k := 0; ; k++ {
		sv, ok := states.Get(name)
		if !ok {
			return nil, nil, errors.New("no state " + name)
		}
		st := sv.(*jsonval.Object)
		env := &dataflow.Env{Context: ctx(name), Vars: vars, Rand: func() uint64 { return 42 }}
		out, assigned, err := runPass(st, cur, env)
		if err != nil {
			var f *dataflow.Failure
			if errors.As(err, &f) {
				return nil, f.InState(name, int64(2+2*k)), nil
			}
			return nil, nil, err
		}
		if assigned != nil {
			if vars, err = vars.Assign(assigned); err != nil {
				var f *dataflow.Failure
				if errors.As(err, &f) {
					return nil, f.InState(name, int64(2+2*k)), nil
				}
				return nil, nil, err
			}
		}
		cur = out
		if end, _ := st.Get("End"); end == true {
			return cur, nil, nil
		}
		next, _ := st.Get("Next")
		if name, ok = next.(string); !ok {
			return nil, nil, errors.New("state without End or Next")
		}
	}
}

func runPass(st *jsonval.Object, input any, env *dataflow.Env) (any, *jsonval.Object, error) {
	pathField := func(field string) (*dataflow.Path, bool, error) {
		v, present := st.Get(field)
		if !present || v == nil {
			return nil, present, nil
		}
		s, _ := v.(string)
		p, err := dataflow.CompilePath(s)
		return p, true, err
	}
	inPath, inPresent, err := pathField("InputPath")
	if err != nil {
		return nil, nil, err
	}
	outPath, outPresent, err := pathField("OutputPath")
	if err != nil {
		return nil, nil, err
	}
	var resPath *dataflow.ReferencePath
	rv, resPresent := st.Get("ResultPath")
	if s, ok := rv.(string); ok {
		if resPath, err = dataflow.CompileReferencePath(s); err != nil {
			return nil, nil, err
		}
	}
	var params, assign *dataflow.Template
	if v, ok := st.Get("Parameters"); ok {
		if params, err = dataflow.CompileTemplate(v); err != nil {
			return nil, nil, err
		}
	}
	if v, ok := st.Get("Assign"); ok {
		if assign, err = dataflow.CompileTemplate(v); err != nil {
			return nil, nil, err
		}
	}

	effective, err := dataflow.ApplyInputPath(inPath, inPresent, input, env)
	if err != nil {
		return nil, nil, err
	}
	if params != nil {
		if effective, err = params.Eval(effective, env); err != nil {
			return nil, nil, err
		}
	}
	result := effective
	if r, ok := st.Get("Result"); ok {
		result = r
	}
	var assigned *jsonval.Object
	if assign != nil {
		v, err := assign.Eval(result, env)
		if err != nil {
			return nil, nil, err
		}
		assigned, _ = v.(*jsonval.Object)
	}
	out, err := dataflow.ApplyResultPath(resPath, resPresent, input, result)
	if err != nil {
		return nil, nil, err
	}
	out, err = dataflow.ApplyOutputPath(outPath, outPresent, out, env)
	if err != nil {
		return nil, nil, err
	}
	return out, assigned, nil
}

var (
	// The README's placeholders, plus "start-time" and "entered-time",
	// which the recordings use for $$.Execution.StartTime and
	// $$.State.EnteredTime.
	anyValuePlaceholders = []string{"timestamp", "date", "snf_role_arn", "sfn_role_arn", "execution_rolearn", "map_run_arn", "start-time", "entered-time"}
	placeholderRE        = regexp.MustCompile(`<[A-Za-z_][A-Za-z0-9_\-]*(:[0-9]+)?>`)
)

// matches compares an expected value holding placeholders with a value.
func matches(want, got any, bindings map[string]string) bool {
	switch w := want.(type) {
	case string:
		if slices.Contains(anyValuePlaceholders, w) {
			return true
		}
		g, ok := got.(string)
		if !ok {
			return false
		}
		locs := placeholderRE.FindAllStringIndex(w, -1)
		if len(locs) == 0 {
			return w == g
		}
		var pat strings.Builder
		pat.WriteByte('^')
		names := make([]string, 0, len(locs))
		last := 0
		for _, l := range locs {
			pat.WriteString(regexp.QuoteMeta(w[last:l[0]]))
			pat.WriteString("(.*?)")
			names = append(names, w[l[0]:l[1]])
			last = l[1]
		}
		pat.WriteString(regexp.QuoteMeta(w[last:]))
		pat.WriteByte('$')
		m := regexp.MustCompile(pat.String()).FindStringSubmatch(g)
		if m == nil {
			return false
		}
		for i, n := range names {
			if prev, ok := bindings[n]; ok && prev != m[i+1] {
				return false
			}
			bindings[n] = m[i+1]
		}
		return true
	case []any:
		g, ok := got.([]any)
		if !ok || len(g) != len(w) {
			return false
		}
		for i := range w {
			if !matches(w[i], g[i], bindings) {
				return false
			}
		}
		return true
	case *jsonval.Object:
		g, ok := got.(*jsonval.Object)
		if !ok || g.Len() != w.Len() {
			return false
		}
		for k, wv := range w.All() {
			gv, ok := g.Get(k)
			if !ok || !matches(wv, gv, bindings) {
				return false
			}
		}
		return true
	}
	return jsonval.Equal(want, got)
}

// passOnlySkips lists the Pass-only cases whose behaviour belongs to the
// engine, not to data flow.
var passOnlySkips = map[string]string{
	"test_states_errors__TestStatesErrors__test_start_large_input--79b5e087": "payload size limit (States.DataLimitExceeded) is checked by the engine",
}

// short bounds a value's JSON for failure messages.
func short(v any) string {
	s := jsonval.MustMarshalString(v)
	if len(s) > 2000 {
		s = s[:2000] + "..."
	}
	return s
}

// TestConformancePassOnly runs every recorded AWS execution whose states
// are all JSONPath Pass states through the pipeline and compares status,
// output, error and cause.
func TestConformancePassOnly(t *testing.T) {
	ran := 0
	for _, c := range loadConformance(t) {
		if !passOnly(c.definition) {
			continue
		}
		ran++
		t.Run(c.id, func(t *testing.T) {
			if skip, ok := passOnlySkips[c.id]; ok {
				t.Skip(skip)
			}
			out, fail, err := runPassChain(c.definition, c.input)
			if err != nil {
				t.Fatalf("definition rejected: %v", err)
			}
			status, _ := c.expected.Get("status")
			bindings := map[string]string{}
			switch status {
			case "SUCCEEDED":
				if fail != nil {
					t.Fatalf("failed with %s: %s; want success", fail.Name, fail.Cause)
				}
				want, _ := c.expected.Get("output")
				if !matches(want, out, bindings) {
					t.Errorf("output:\n got %s\nwant %s", short(out), short(want))
				}
			case "FAILED":
				if fail == nil {
					t.Fatalf("succeeded with %s; want failure", short(out))
				}
				wantErr, _ := c.expected.Get("error")
				wantCause, hasCause := c.expected.Get("cause")
				if !matches(wantErr, fail.Name, bindings) {
					t.Errorf("error = %q, want %v", fail.Name, wantErr)
				}
				if hasCause && !matches(wantCause, fail.Cause, bindings) {
					t.Errorf("cause = %q, want %v", fail.Cause, wantCause)
				}
			default:
				t.Skipf("status %v", status)
			}
		})
	}
	t.Logf("%d Pass-only JSONPath cases", ran)
}
