package asl

import (
	"errors"
	"fmt"
	"time"

	"stepwise/dataflow"
	"stepwise/jsonval"
)

// jsonataFlow is the data flow of a JSONata state: no InputPath, Arguments
// instead of Parameters, Output instead of ResultSelector, ResultPath and
// OutputPath; every field may be a "{% %}" expression over $states.
type jsonataFlow struct {
	s *State
}

// JSONata fields read $states.context freely, so the context object is
// always built.
func (fl *jsonataFlow) UsesContext() bool { return true }

// jsonata returns the environment of a JSONata field: $states.input,
// $states.context and, when extra is set, its members too (result,
// errorOutput).
func (sc *Scope) jsonata(extra *jsonval.Object) *dataflow.JSONataEnv {
	if extra == nil && sc.jsonataEnv != nil {
		return sc.jsonataEnv
	}
	states := jsonval.NewObject(4)
	states.Set("input", sc.Input)
	ctx, _ := sc.Context.(*jsonval.Object)
	states.Set("context", ctx)
	for k, v := range extra.All() {
		states.Set(k, v)
	}
	env := &dataflow.JSONataEnv{States: states, Vars: sc.Vars, Now: sc.Now, Rand: sc.Rand}
	if extra == nil {
		sc.jsonataEnv = env
	}
	return env
}

// eval evaluates t for field; every error is a *dataflow.Failure naming
// the field.
func eval(t *dataflow.JSONataTemplate, field string, env *dataflow.JSONataEnv) (any, error) {
	v, err := t.Eval(field, env)
	if err != nil {
		var df *dataflow.Failure
		if !errors.As(err, &df) {
			return nil, &dataflow.Failure{Name: dataflow.ErrorQueryEvaluation, Cause: err.Error(), Location: field}
		}
		if df.Location == "" {
			c := *df
			c.Location = field
			return nil, &c
		}
		return nil, df
	}
	return v, nil
}

// typeError is the failure of an expression that gave a value of the
// wrong type.
func typeError(t *dataflow.JSONataTemplate, field, want string, v any) error {
	text, _ := t.Expression()
	return &dataflow.Failure{Name: dataflow.ErrorQueryEvaluation, Location: field, Cause: fmt.Sprintf(
		"The JSONata expression '%s' specified for the field '%s' returned an unexpected result type. Expected '%s', but was '%s' for value: %s",
		text, field, want, jsonval.KindOf(v), jsonText(v))}
}

// integer evaluates an integer field (TimeoutSeconds, Seconds, ...).
func integer(f IntField, field string, env *dataflow.JSONataEnv) (int64, error) {
	if f.Expr == nil {
		return f.Value, nil
	}
	v, err := eval(f.Expr, field, env)
	if err != nil {
		return 0, err
	}
	n, ok := jsonval.Int(v)
	if !ok || jsonval.KindOf(v) != jsonval.Number {
		return 0, typeError(f.Expr, field, "integer", v)
	}
	return n, nil
}

func (fl *jsonataFlow) Input(sc *Scope) (any, error) { return sc.Input, nil }

func (fl *jsonataFlow) Arguments(sc *Scope, eff any) (any, error) {
	if fl.s.Arguments == nil {
		return sc.Input, nil
	}
	return eval(fl.s.Arguments, "Arguments", sc.jsonata(nil))
}

// Exit evaluates Assign and Output with the variables from before the
// state; the new variables take effect after both.
func (fl *jsonataFlow) Exit(sc *Scope, eff, result any, rule *ChoiceRule) (Exit, error) {
	s := fl.s
	output, assign, def := s.Output, s.Assign, sc.Input
	var extra *jsonval.Object
	switch s.Type {
	case TypeSucceed:
		assign = nil
	case TypeTask, TypeParallel, TypeMap:
		// The result is $states.result and the default output.
		if err := checkSize(s, result); err != nil {
			return Exit{}, err
		}
		extra = jsonval.NewObject(1)
		extra.Set("result", result)
		def = result
	case TypeChoice:
		if rule != nil {
			output, assign = rule.Output, rule.Assign
		}
	}
	return fl.exit(s, sc.jsonata(extra), output, assign, def, sc.Vars)
}

// exit evaluates Assign, then Output (def when absent), then assigns.
func (fl *jsonataFlow) exit(s *State, env *dataflow.JSONataEnv, output *dataflow.JSONataTemplate, assign *Assign, def any, vars *dataflow.Vars) (Exit, error) {
	var assigned *jsonval.Object
	if assign != nil && assign.JSONata != nil {
		v, err := eval(assign.JSONata, "Assign", env)
		if err != nil {
			return Exit{}, err
		}
		assigned, _ = v.(*jsonval.Object)
	}
	out := def
	if output != nil {
		v, err := eval(output, "Output", env)
		if err != nil {
			return Exit{}, err
		}
		out = v
	}
	if s != nil {
		if err := checkSize(s, out); err != nil {
			return Exit{}, err
		}
	}
	if assigned != nil {
		var err error
		if vars, err = vars.Assign(assigned); err != nil {
			return Exit{}, err
		}
	}
	return Exit{Output: out, Assigned: assigned, Vars: vars}, nil
}

// Caught evaluates the catcher's Assign and Output (default: the error
// output) with $states.errorOutput set.
func (fl *jsonataFlow) Caught(sc *Scope, c *Catcher, errOutput *jsonval.Object) (Exit, error) {
	extra := jsonval.NewObject(1)
	extra.Set("errorOutput", errOutput)
	// A caught error's output has no size check.
	return fl.exit(nil, sc.jsonata(extra), c.Output, c.Assign, errOutput, sc.Vars)
}

func (fl *jsonataFlow) Condition(sc *Scope, eff any, r *ChoiceRule) (bool, error) {
	if r.Condition == nil {
		return false, nil
	}
	v, err := eval(r.Condition, "Condition", sc.jsonata(nil))
	if err != nil {
		return false, err
	}
	b, ok := v.(bool)
	if !ok {
		return false, typeError(r.Condition, "Condition", "boolean", v)
	}
	return b, nil
}

func (fl *jsonataFlow) Int(sc *Scope, eff any, field Field) (int64, error) {
	f := fl.s.intField(field)
	if field == FieldToleratedFailureCount && !f.Set {
		return -1, nil
	}
	return integer(f, field.String(), sc.jsonata(nil))
}

func (fl *jsonataFlow) Float(sc *Scope, eff any, field Field) (float64, error) {
	tp := fl.s.Map.ToleratedFailurePercentage
	if !tp.Set {
		return -1, nil
	}
	if tp.Expr == nil {
		return tp.Value, nil
	}
	const name = "ToleratedFailurePercentage"
	v, err := eval(tp.Expr, name, sc.jsonata(nil))
	if err != nil {
		return 0, err
	}
	p, ok := jsonval.Float(v)
	if !ok {
		return 0, typeError(tp.Expr, name, "number", v)
	}
	return p, nil
}

func (fl *jsonataFlow) Wait(sc *Scope, eff any) (Due, error) {
	w := fl.s.Wait
	switch {
	case w.TimestampExpr != nil:
		v, err := eval(w.TimestampExpr, "Timestamp", sc.jsonata(nil))
		if err != nil {
			return Due{}, err
		}
		t, ok := parseTimestamp(v)
		if !ok {
			return Due{}, &dataflow.Failure{Name: dataflow.ErrorQueryEvaluation, Location: "Timestamp", Cause: fmt.Sprintf(
				"The Timestamp field cannot be parsed as an ISO-8601 extended offset date-time format string: %s", plainText(v))}
		}
		return Due{At: t, Absolute: true}, nil
	case w.Timestamp != "":
		t, _ := time.Parse(time.RFC3339Nano, w.Timestamp)
		return Due{At: t, Absolute: true}, nil
	}
	n, err := integer(w.Seconds, "Seconds", sc.jsonata(nil))
	return Due{Seconds: n}, err
}

func (fl *jsonataFlow) FailText(sc *Scope) (string, string, error) {
	f := fl.s.Fail
	texts := [2]string{f.Error, f.Cause}
	for i, x := range []struct {
		t     *dataflow.JSONataTemplate
		field string
	}{{f.ErrorExpr, "Error"}, {f.CauseExpr, "Cause"}} {
		if x.t == nil {
			continue
		}
		v, err := eval(x.t, x.field, sc.jsonata(nil))
		if err != nil {
			return "", "", err
		}
		texts[i] = plainText(v)
	}
	return texts[0], texts[1], nil
}

func (fl *jsonataFlow) Credentials(sc *Scope, eff any) (any, error) {
	t := fl.s.Task
	if t.Credentials == nil || t.Credentials.JSONata == nil {
		return nil, nil
	}
	return eval(t.Credentials.JSONata, "Credentials", sc.jsonata(nil))
}

func (fl *jsonataFlow) Items(sc *Scope, eff any) ([]any, error) {
	m := fl.s.Map
	items := sc.Input
	if m.Items != nil {
		v, err := eval(m.Items, "Items", sc.jsonata(nil))
		if err != nil {
			return nil, err
		}
		if _, ok := v.([]any); !ok {
			return nil, typeError(m.Items, "Items", "array", v)
		}
		items = v
	}
	sc.Report(StageItems, items)
	list, ok := items.([]any)
	if !ok {
		return nil, &dataflow.Failure{Name: dataflow.ErrorQueryEvaluation, Cause: "Map state input must be an array but was: " + jsonText(items)}
	}
	return list, nil
}

func (fl *jsonataFlow) HasItemSelector() bool { return fl.s.Map.ItemSelectorJSONata != nil }

func (fl *jsonataFlow) ItemSelector(sc *Scope) (any, error) {
	return eval(fl.s.Map.ItemSelectorJSONata, "ItemSelector", sc.jsonata(nil))
}

func (fl *jsonataFlow) MapIOArguments(sc *Scope, eff any, io *MapIO) (any, error) {
	if io.Arguments == nil {
		return nil, nil
	}
	return eval(io.Arguments, "Arguments", sc.jsonata(nil))
}

func (fl *jsonataFlow) BatchInput(sc *Scope, eff any) (any, error) {
	b := fl.s.Map.Batcher
	if b.BatchInputJSONata == nil {
		return nil, nil
	}
	return eval(b.BatchInputJSONata, "BatchInput", sc.jsonata(nil))
}
