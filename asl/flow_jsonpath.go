package asl

import (
	"strings"
	"time"

	"stepwise/dataflow"
	"stepwise/jsonval"
)

// jsonPathFlow is the data flow of a JSONPath state, in AWS's order:
// InputPath, Parameters, the state's work, ResultSelector, ResultPath,
// OutputPath (see dataflow's pipeline helpers).
type jsonPathFlow struct {
	s           *State
	usesContext bool
}

func (fl *jsonPathFlow) UsesContext() bool { return fl.usesContext }

func (fl *jsonPathFlow) Input(sc *Scope) (any, error) {
	s := fl.s
	return dataflow.ApplyInputPath(s.InputPath.Path, s.InputPath.Set, sc.Input, &sc.Env)
}

func (fl *jsonPathFlow) Arguments(sc *Scope, eff any) (any, error) {
	if fl.s.Parameters == nil {
		return eff, nil
	}
	return fl.s.Parameters.Compiled.Eval(eff, &sc.Env)
}

func (fl *jsonPathFlow) Exit(sc *Scope, eff, result any, rule *ChoiceRule) (Exit, error) {
	s := fl.s
	env := &sc.Env
	switch s.Type {
	case TypeSucceed:
		// No ResultPath and no Assign.
		out, err := dataflow.ApplyOutputPath(s.OutputPath.Path, s.OutputPath.Set, eff, env)
		return Exit{Output: out, Vars: sc.Vars}, err
	case TypeChoice, TypeWait:
		// No ResultPath: Assign and OutputPath apply to the effective
		// input.
		assign := s.Assign
		if rule != nil {
			assign = rule.Assign
		}
		vars, assigned, err := fl.assign(sc, assign, eff)
		if err != nil {
			return Exit{}, err
		}
		out, err := dataflow.ApplyOutputPath(s.OutputPath.Path, s.OutputPath.Set, eff, env)
		if err != nil {
			return Exit{}, err
		}
		return Exit{Output: out, Assigned: assigned, Vars: vars}, nil
	}
	var err error
	if s.ResultSelector != nil {
		if result, err = s.ResultSelector.Compiled.Eval(result, env); err != nil {
			return Exit{}, err
		}
	}
	sc.Report(StageResultSelector, result)
	if err := checkSize(s, result); err != nil {
		return Exit{}, err
	}
	vars, assigned, err := fl.assign(sc, s.Assign, result)
	if err != nil {
		return Exit{}, err
	}
	// ResultPath places the result in the raw input, not the effective one.
	out, err := dataflow.ApplyResultPath(s.ResultPath.Path, s.ResultPath.Set, sc.Input, result)
	if err != nil {
		return Exit{}, err
	}
	sc.Report(StageResultPath, out)
	if out, err = dataflow.ApplyOutputPath(s.OutputPath.Path, s.OutputPath.Set, out, env); err != nil {
		return Exit{}, err
	}
	return Exit{Output: out, Assigned: assigned, Vars: vars}, nil
}

// assign evaluates an Assign block against value and returns the new
// variable scope and what was assigned (nil when nothing was).
func (fl *jsonPathFlow) assign(sc *Scope, a *Assign, value any) (*dataflow.Vars, *jsonval.Object, error) {
	if a == nil || a.Compiled == nil {
		return sc.Vars, nil, nil
	}
	v, err := a.Compiled.Eval(value, &sc.Env)
	if err != nil {
		return nil, nil, err
	}
	obj, _ := v.(*jsonval.Object)
	vars, err := sc.Vars.Assign(obj)
	if err != nil {
		return nil, nil, err
	}
	return vars, obj, nil
}

func (fl *jsonPathFlow) Caught(sc *Scope, c *Catcher, errOutput *jsonval.Object) (Exit, error) {
	vars, assigned, err := fl.assign(sc, c.Assign, errOutput)
	if err != nil {
		return Exit{}, err
	}
	out, err := dataflow.ApplyResultPath(c.ResultPath.Path, c.ResultPath.Set, sc.Input, errOutput)
	if err != nil {
		return Exit{}, &FatalError{Err: err}
	}
	sc.Report(StageResultPath, out)
	return Exit{Output: out, Assigned: assigned, Vars: vars}, nil
}

func (fl *jsonPathFlow) Condition(sc *Scope, eff any, r *ChoiceRule) (bool, error) {
	return r.Eval(eff, &sc.Env)
}

func (fl *jsonPathFlow) Int(sc *Scope, eff any, field Field) (int64, error) {
	f := fl.s.intField(field)
	switch field {
	case FieldMaxConcurrency:
		if f.Path == nil {
			return f.Value, nil
		}
		v, err := f.Path.Eval(eff, &sc.Env)
		if err != nil {
			return 0, err
		}
		n, ok := intValue(v)
		if !ok || n < 0 {
			return 0, runtimeError("The MaxConcurrencyPath field refers to value \"%s\" which is not a valid integer: %s", plainText(v), f.Path)
		}
		return n, nil
	case FieldToleratedFailureCount:
		n := f.Value
		switch {
		case f.Path != nil:
			v, err := f.Path.Eval(eff, &sc.Env)
			if err != nil {
				return 0, err
			}
			var ok bool
			if n, ok = intValue(v); !ok {
				return 0, runtimeError("The ToleratedFailureCountPath field refers to value \"%s\" which is not a valid integer: %s", plainText(v), f.Path)
			}
		case !f.Set:
			return -1, nil
		}
		if n < 0 {
			return 0, runtimeError("ToleratedFailureCount cannot be negative.")
		}
		return n, nil
	}
	// TimeoutSeconds, HeartbeatSeconds and the ItemBatcher's limits.
	if f.Path == nil {
		return f.Value, nil
	}
	v, err := f.Path.Eval(eff, &sc.Env)
	if err != nil {
		return 0, err
	}
	n, ok := jsonval.Int(v)
	if !ok || n <= 0 {
		return 0, runtimeError("The %sPath field refers to value %s which is not a valid positive integer", field, jsonText(v))
	}
	return n, nil
}

func (fl *jsonPathFlow) Float(sc *Scope, eff any, field Field) (float64, error) {
	tp := fl.s.Map.ToleratedFailurePercentage
	p := tp.Value
	switch {
	case tp.Path != nil:
		v, err := tp.Path.Eval(eff, &sc.Env)
		if err != nil {
			return 0, err
		}
		var ok bool
		if p, ok = floatValue(v); !ok {
			return 0, runtimeError("The ToleratedFailurePercentagePath field refers to value \"%s\" which is not a valid float: %s", plainText(v), tp.Path)
		}
	case !tp.Set:
		return -1, nil
	}
	if p < 0 || p > 100 {
		return 0, runtimeError("ToleratedFailurePercentage must be between 0 and 100.")
	}
	return p, nil
}

func (fl *jsonPathFlow) Wait(sc *Scope, eff any) (Due, error) {
	w := fl.s.Wait
	switch {
	case w.Seconds.Path != nil:
		v, err := w.Seconds.Path.Eval(eff, &sc.Env)
		if err != nil {
			return Due{}, err
		}
		n, ok := jsonval.Int(v)
		if !ok {
			return Due{}, runtimeError("The SecondsPath parameter cannot be parsed as a long value: %s == %s", w.Seconds.Path, plainText(v))
		}
		if n < 0 {
			// AWS's cause for a negative wait (LocalStack's AWS-validated
			// Wait state, SecondsPath).
			return Due{}, runtimeError("The SecondsPath parameter references a negative value: %s == %s", w.Seconds.Path, plainText(v))
		}
		return Due{Seconds: n}, nil
	case w.Seconds.Set:
		return Due{Seconds: w.Seconds.Value}, nil
	case w.TimestampPath != nil:
		v, err := w.TimestampPath.Eval(eff, &sc.Env)
		if err != nil {
			return Due{}, err
		}
		t, ok := parseTimestamp(v)
		if !ok {
			return Due{}, runtimeError("The TimestampPath parameter does not reference a valid ISO-8601 extended offset date-time format string: %s == %s", w.TimestampPath, plainText(v))
		}
		return Due{At: t, Absolute: true}, nil
	default:
		t, _ := time.Parse(time.RFC3339Nano, w.Timestamp)
		return Due{At: t, Absolute: true}, nil
	}
}

func (fl *jsonPathFlow) FailText(sc *Scope) (string, string, error) {
	f := fl.s.Fail
	env := &sc.Env
	errName, err := evalText(f.ErrorPath, f.ErrorIntrinsic, f.Error, sc.Input, env, "ErrorPath")
	if err != nil {
		return "", "", err
	}
	cause, err := evalText(f.CausePath, f.CauseIntrinsic, f.Cause, sc.Input, env, "CausePath")
	if err != nil {
		return "", "", err
	}
	return errName, cause, nil
}

// evalText evaluates a Fail state's ErrorPath or CausePath, or returns the
// static text.
func evalText(p *dataflow.Path, fn *dataflow.Intrinsic, static string, input any, env *dataflow.Env, field string) (string, error) {
	var v any
	var err error
	switch {
	case p != nil:
		if v, err = p.Eval(input, env); err != nil {
			return "", runtimeError("The JSONPath '%s' specified for the field '%s' could not be found in the input '%s'", p, field, jsonText(input))
		}
	case fn != nil:
		v, err = fn.Eval(input, env)
	default:
		return static, nil
	}
	if err != nil {
		return "", err
	}
	if s, ok := v.(string); ok {
		return s, nil
	}
	return jsonText(v), nil
}

func (fl *jsonPathFlow) Credentials(sc *Scope, eff any) (any, error) {
	t := fl.s.Task
	if t.Credentials == nil {
		return nil, nil
	}
	return t.Credentials.Compiled.Eval(eff, &sc.Env)
}

func (fl *jsonPathFlow) Items(sc *Scope, eff any) ([]any, error) {
	m := fl.s.Map
	items := eff
	if m.ItemsPath.Path != nil {
		var err error
		if items, err = m.ItemsPath.Path.Eval(eff, &sc.Env); err != nil {
			return nil, err
		}
	}
	sc.Report(StageItems, items)
	list, ok := items.([]any)
	if !ok {
		return nil, runtimeError("Item path %s did not resolve to an array: %s", pathText(m.ItemsPath.Path), jsonText(items))
	}
	return list, nil
}

func (fl *jsonPathFlow) HasItemSelector() bool { return fl.s.Map.ItemSelector != nil }

func (fl *jsonPathFlow) ItemSelector(sc *Scope) (any, error) {
	return fl.s.Map.ItemSelector.Compiled.Eval(sc.Input, &sc.Env)
}

func (fl *jsonPathFlow) MapIOArguments(sc *Scope, eff any, io *MapIO) (any, error) {
	if io.Parameters == nil {
		return nil, nil
	}
	return io.Parameters.Compiled.Eval(eff, &sc.Env)
}

func (fl *jsonPathFlow) BatchInput(sc *Scope, eff any) (any, error) {
	b := fl.s.Map.Batcher
	if b.BatchInput == nil {
		return nil, nil
	}
	return b.BatchInput.Compiled.Eval(eff, &sc.Env)
}

// usesContext reports whether any field of a JSONPath state may read the
// context object ($$). It errs on the side of true.
func usesContext(s *State) bool {
	paths := []*dataflow.Path{s.InputPath.Path, s.OutputPath.Path}
	if s.Task != nil {
		paths = append(paths, s.Task.TimeoutSeconds.Path, s.Task.HeartbeatSeconds.Path)
		if s.Task.Credentials != nil && rawHasContext(s.Task.Credentials.Raw) {
			return true
		}
	}
	if s.Wait != nil {
		paths = append(paths, s.Wait.Seconds.Path, s.Wait.TimestampPath)
	}
	if s.Fail != nil {
		paths = append(paths, s.Fail.ErrorPath, s.Fail.CausePath)
		if (s.Fail.ErrorIntrinsic != nil && strings.Contains(s.Fail.ErrorIntrinsic.String(), "$$")) ||
			(s.Fail.CauseIntrinsic != nil && strings.Contains(s.Fail.CauseIntrinsic.String(), "$$")) {
			return true
		}
	}
	if s.Map != nil {
		paths = append(paths, s.Map.ItemsPath.Path, s.Map.MaxConcurrency.Path, s.Map.ToleratedFailureCount.Path, s.Map.ToleratedFailurePercentage.Path)
		if s.Map.ItemSelector != nil {
			return true
		}
	}
	if s.Choice != nil {
		for _, r := range s.Choice.Choices {
			if ruleHasContext(r) {
				return true
			}
		}
	}
	for _, p := range paths {
		if p != nil && p.IsContext() {
			return true
		}
	}
	for _, t := range []*Template{s.Parameters, s.ResultSelector} {
		if t != nil && rawHasContext(t.Raw) {
			return true
		}
	}
	if s.Assign != nil && rawHasContext(s.Assign.Raw) {
		return true
	}
	for _, c := range s.Catch {
		if c.Assign != nil && rawHasContext(c.Assign.Raw) {
			return true
		}
	}
	return false
}

func ruleHasContext(r *ChoiceRule) bool {
	if (r.Variable != nil && r.Variable.IsContext()) || (r.OperandPath != nil && r.OperandPath.IsContext()) {
		return true
	}
	if r.Assign != nil && rawHasContext(r.Assign.Raw) {
		return true
	}
	for _, sub := range append(append([]*ChoiceRule{}, r.And...), r.Or...) {
		if ruleHasContext(sub) {
			return true
		}
	}
	return r.Not != nil && ruleHasContext(r.Not)
}

// rawHasContext reports whether a template mentions "$$" in any string.
func rawHasContext(v any) bool {
	switch x := v.(type) {
	case string:
		return strings.Contains(x, "$$")
	case []any:
		for _, e := range x {
			if rawHasContext(e) {
				return true
			}
		}
	case *jsonval.Object:
		for _, e := range x.All() {
			if rawHasContext(e) {
				return true
			}
		}
	}
	return false
}
