package teststate

import (
	"errors"
	"fmt"
	"time"

	"stepwise/asl"
	"stepwise/dataflow"
	"stepwise/jsonval"
)

// jenv returns the environment of a JSONata field: $states.input,
// $states.context and extra's members ($states.result,
// $states.errorOutput).
func (t *Test) jenv(extra *jsonval.Object) *dataflow.JSONataEnv {
	states := jsonval.NewObject(4)
	states.Set("input", t.input)
	states.Set("context", t.ctx)
	if extra != nil {
		for k, v := range extra.All() {
			states.Set(k, v)
		}
	}
	return &dataflow.JSONataEnv{States: states, Vars: t.vars, Now: t.env.Now, Rand: t.env.Rand}
}

// jfailure turns a JSONata evaluation error into the state's failure.
func jfailure(err error) *failure {
	var df *dataflow.Failure
	if errors.As(err, &df) {
		return &failure{Error: df.Name, Cause: df.Cause}
	}
	return &failure{Error: errQueryEvaluation, Cause: err.Error()}
}

// jtypeFailure is the failure of an expression that gave a value of the
// wrong type, worded as AWS words it.
func jtypeFailure(tmpl *dataflow.JSONataTemplate, field, want string, v any) *failure {
	expr, _ := tmpl.Expression()
	return &failure{Error: errQueryEvaluation, Cause: fmt.Sprintf(
		"The JSONata expression '%s' specified for the field '%s' returned an unexpected result type. Expected '%s', but was '%s' for value: %s",
		expr, field, want, jsonval.KindOf(v), jsonText(v))}
}

// jint evaluates an integer field (TimeoutSeconds, Seconds, ...).
func (t *Test) jint(f asl.IntField, field string, env *dataflow.JSONataEnv) (int64, *failure) {
	if f.Expr == nil {
		return f.Value, nil
	}
	v, err := f.Expr.Eval(field, env)
	if err != nil {
		return 0, jfailure(err)
	}
	n, ok := jsonval.Int(v)
	if !ok || jsonval.KindOf(v) != jsonval.Number {
		return 0, jtypeFailure(f.Expr, field, "integer", v)
	}
	return n, nil
}

func (t *Test) jstart() (*Response, *Invocation) {
	s := t.state
	switch s.Type {
	case asl.TypePass:
		return t.jfinish(nil, s.Output, s.Assign, t.input, s.Next), nil
	case asl.TypeSucceed:
		return t.jfinish(nil, s.Output, nil, t.input, ""), nil
	case asl.TypeFail:
		return t.jfail(), nil
	case asl.TypeChoice:
		return t.jchoice(), nil
	case asl.TypeWait:
		return t.jwait(), nil
	case asl.TypeTask:
		return t.jtask()
	case asl.TypeParallel:
		return t.jparallel(), nil
	case asl.TypeMap:
		return t.jmap(), nil
	}
	return t.failed(&failure{Error: errRuntime, Cause: fmt.Sprintf("unknown state type %q", s.Type)}), nil
}

// jfinish ends a JSONata state: Assign and Output are evaluated with the
// variables from before the state, then the new variables take effect.
func (t *Test) jfinish(extra *jsonval.Object, output *dataflow.JSONataTemplate, assign *asl.Assign, defaultOut any, next string) *Response {
	env := t.jenv(extra)
	var assigned *jsonval.Object
	if assign != nil && assign.JSONata != nil {
		v, err := assign.JSONata.Eval("Assign", env)
		if err != nil {
			return t.recover(jfailure(err))
		}
		assigned, _ = v.(*jsonval.Object)
	}
	out := defaultOut
	if output != nil {
		v, err := output.Eval("Output", env)
		if err != nil {
			return t.recover(jfailure(err))
		}
		out = v
	}
	if jsonval.Size(out) > maxPayload {
		return t.recover(&failure{Error: errDataLimitExceeded, Cause: fmt.Sprintf(
			"The state/task '%s' returned a result with a size exceeding the maximum number of bytes service limit.", t.state.Name)})
	}
	if assigned != nil {
		vars, err := t.vars.Assign(assigned)
		if err != nil {
			return t.recover(asFailure(err))
		}
		t.vars = vars
	}
	return t.succeeded(out, next)
}

func (t *Test) jfail() *Response {
	f := t.state.Fail
	out := &failure{Error: f.Error, Cause: f.Cause}
	env := t.jenv(nil)
	for _, x := range []struct {
		tmpl  *dataflow.JSONataTemplate
		field string
		dst   *string
	}{{f.ErrorExpr, "Error", &out.Error}, {f.CauseExpr, "Cause", &out.Cause}} {
		if x.tmpl == nil {
			continue
		}
		v, err := x.tmpl.Eval(x.field, env)
		if err != nil {
			return t.failed(jfailure(err))
		}
		*x.dst = plainText(v)
	}
	return t.failed(out)
}

func (t *Test) jchoice() *Response {
	s := t.state
	env := t.jenv(nil)
	for _, rule := range s.Choice.Choices {
		if rule.Condition == nil {
			continue
		}
		v, err := rule.Condition.Eval("Condition", env)
		if err != nil {
			return t.recover(jfailure(err))
		}
		b, ok := v.(bool)
		if !ok {
			return t.recover(jtypeFailure(rule.Condition, "Condition", "boolean", v))
		}
		if b {
			return t.jfinish(nil, rule.Output, rule.Assign, t.input, rule.Next)
		}
	}
	if s.Choice.Default == "" {
		return t.recover(&failure{Error: errNoChoiceMatched, Cause: fmt.Sprintf("No Matches! at the state '%s'", s.Name)})
	}
	return t.jfinish(nil, s.Output, s.Assign, t.input, s.Choice.Default)
}

// jwait checks a JSONata Wait state's time fields but does not wait.
func (t *Test) jwait() *Response {
	s := t.state
	w := s.Wait
	env := t.jenv(nil)
	switch {
	case w.TimestampExpr != nil:
		v, err := w.TimestampExpr.Eval("Timestamp", env)
		if err != nil {
			return t.recover(jfailure(err))
		}
		if !isTimestamp(v) {
			return t.recover(&failure{Error: errQueryEvaluation, Cause: fmt.Sprintf(
				"The Timestamp field cannot be parsed as an ISO-8601 extended offset date-time format string: %s", plainText(v))})
		}
	case w.Seconds.Expr != nil:
		if _, f := t.jint(w.Seconds, "Seconds", env); f != nil {
			return t.recover(f)
		}
	}
	return t.jfinish(nil, s.Output, s.Assign, t.input, s.Next)
}

// jarguments evaluates Arguments (the input when absent) and records it.
func (t *Test) jarguments(env *dataflow.JSONataEnv) (any, *failure) {
	params := t.input
	if a := t.state.Arguments; a != nil {
		v, err := a.Eval("Arguments", env)
		if err != nil {
			return nil, jfailure(err)
		}
		params = v
	}
	t.insp.AfterArguments = text(params)
	return params, nil
}

func (t *Test) jtask() (*Response, *Invocation) {
	s := t.state
	env := t.jenv(nil)
	params, f := t.jarguments(env)
	if f != nil {
		return t.recover(f), nil
	}
	inv := &Invocation{StateName: s.Name, Resource: s.Task.Resource, Input: params, TaskToken: t.token}
	if inv.TimeoutSeconds, f = t.jint(s.Task.TimeoutSeconds, "TimeoutSeconds", env); f != nil {
		return t.recover(f), nil
	}
	if inv.HeartbeatSeconds, f = t.jint(s.Task.HeartbeatSeconds, "HeartbeatSeconds", env); f != nil {
		return t.recover(f), nil
	}
	if c := s.Task.Credentials; c != nil && c.JSONata != nil {
		v, err := c.JSONata.Eval("Credentials", env)
		if err != nil {
			return t.recover(jfailure(err)), nil
		}
		inv.Credentials = v
	}
	return t.invoke(inv, params)
}

// jcomplete finishes a JSONata Task, Parallel or Map with its result:
// $states.result, Assign and Output (the result when absent).
func (t *Test) jcomplete(result any) *Response {
	extra := jsonval.NewObject(1)
	extra.Set("result", result)
	s := t.state
	return t.jfinish(extra, s.Output, s.Assign, result, s.Next)
}

func (t *Test) jparallel() *Response {
	if _, f := t.jarguments(t.jenv(nil)); f != nil {
		return t.recover(f)
	}
	res := t.mocked()
	if res.Failed {
		return t.recover(&failure{Error: res.Error, Cause: res.Cause})
	}
	return t.jcomplete(res.Output)
}

// jcatch applies a JSONata Catcher: $states.errorOutput is the error, and
// the catcher's Output (the error output when absent) goes to its Next.
func (t *Test) jcatch(c *asl.Catcher, f *failure) *Response {
	errOut := errorOutput(f)
	extra := jsonval.NewObject(1)
	extra.Set("errorOutput", errOut)
	env := t.jenv(extra)
	var assigned *jsonval.Object
	if c.Assign != nil && c.Assign.JSONata != nil {
		v, err := c.Assign.JSONata.Eval("Assign", env)
		if err != nil {
			return t.failed(jfailure(err))
		}
		assigned, _ = v.(*jsonval.Object)
	}
	out := any(errOut)
	if c.Output != nil {
		v, err := c.Output.Eval("Output", env)
		if err != nil {
			return t.failed(jfailure(err))
		}
		out = v
	}
	if assigned != nil {
		vars, err := t.vars.Assign(assigned)
		if err != nil {
			return t.failed(asFailure(err))
		}
		t.vars = vars
	}
	return t.caught(f, out, c.Next)
}

// isTimestamp reports whether v is an RFC 3339 timestamp string, as Wait
// states take them.
func isTimestamp(v any) bool {
	s, ok := v.(string)
	if !ok {
		return false
	}
	_, err := time.Parse(time.RFC3339Nano, s)
	return err == nil
}
