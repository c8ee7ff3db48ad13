package engine

import (
	"errors"
	"fmt"
	"time"

	"stepwise/asl"
	"stepwise/dataflow"
	"stepwise/history"
	"stepwise/jsonval"
)

// jsonataEnv returns the environment of a JSONata field: $states.input,
// $states.context and, when extra is set, its members too (result,
// errorOutput).
func (st *State) jsonataEnv(th *Thread, input any, ctx *jsonval.Object, extra *jsonval.Object) *dataflow.JSONataEnv {
	states := jsonval.NewObject(4)
	states.Set("input", input)
	states.Set("context", ctx)
	for k, v := range extra.All() {
		states.Set(k, v)
	}
	return &dataflow.JSONataEnv{States: states, Vars: th.Vars, Now: st.now, Rand: st.Rand.next}
}

func (st *State) jenv(th *Thread, s *asl.State, token string, extra *jsonval.Object) *dataflow.JSONataEnv {
	return st.jsonataEnv(th, th.Input, st.contextObject(th, s, token), extra)
}

// jfailure turns a JSONata evaluation error into the state's failure:
// AWS prefixes the cause with the state and records an EvaluationFailed
// event naming the field (location) that failed.
func (st *State) jfailure(th *Thread, s *asl.State, err error, location string) *failure {
	var df *dataflow.Failure
	name, cause := ErrorQueryEvaluationError, err.Error()
	if errors.As(err, &df) {
		name, cause = df.Name, df.Cause
		if df.Location != "" {
			location = df.Location
		}
	}
	if name != ErrorQueryEvaluationError {
		return &failure{Error: name, Cause: cause, HasCause: true}
	}
	cause = fmt.Sprintf("An error occurred while executing the state '%s' (entered at the event id #%d). %s", s.Name, th.EnteredID, cause)
	st.emitEvaluationFailed(th, s, name, cause, location)
	return &failure{Error: name, Cause: cause, HasCause: true}
}

// emitEvaluationFailed records an EvaluationFailed event. When it directly
// follows the state's entered event it names that event's own previous
// event, except in Wait states (as AWS's recordings show).
func (st *State) emitEvaluationFailed(th *Thread, s *asl.State, name, cause, location string) {
	prev := st.Prev
	if prev == th.EnteredID && s.Type != asl.TypeWait {
		prev = th.EnteredPrev
	}
	if th.Silent {
		return
	}
	st.Prev = st.emitAfter(prev, history.EvaluationFailed, func(e *history.Event) {
		e.Details = &history.EvaluationFailedEventDetails{Error: name, Cause: cause, Location: location, State: s.Name}
	})
}

// jtypeFailure is the failure of an expression that gave a value of the
// wrong type.
func (st *State) jtypeFailure(th *Thread, s *asl.State, t *dataflow.JSONataTemplate, field, want string, v any) *failure {
	text, _ := t.Expression()
	err := &dataflow.Failure{Name: ErrorQueryEvaluationError, Cause: fmt.Sprintf(
		"The JSONata expression '%s' specified for the field '%s' returned an unexpected result type. Expected '%s', but was '%s' for value: %s",
		text, field, want, jsonval.KindOf(v), jsonText(v))}
	return st.jfailure(th, s, err, field)
}

// jint evaluates an integer field (TimeoutSeconds, Seconds, ...).
func (st *State) jint(th *Thread, s *asl.State, f asl.IntField, field string, env *dataflow.JSONataEnv) (int64, *failure) {
	if f.Expr == nil {
		return f.Value, nil
	}
	v, err := f.Expr.Eval(field, env)
	if err != nil {
		return 0, st.jfailure(th, s, err, field)
	}
	n, ok := jsonval.Int(v)
	if !ok || jsonval.KindOf(v) != jsonval.Number {
		return 0, st.jtypeFailure(th, s, f.Expr, field, "integer", v)
	}
	return n, nil
}

// jexecute does the work of a JSONata state.
func (st *State) jexecute(th *Thread, s *asl.State) {
	switch s.Type {
	case asl.TypePass:
		st.jfinish(th, s, nil, "", s.Output, s.Assign, th.Input, s.Next)
	case asl.TypeSucceed:
		st.jsucceed(th, s)
	case asl.TypeFail:
		st.jfail(th, s)
	case asl.TypeChoice:
		st.jchoice(th, s)
	case asl.TypeWait:
		st.jwait(th, s)
	case asl.TypeTask:
		st.jtask(th, s)
	case asl.TypeParallel:
		st.jparallel(th, s)
	case asl.TypeMap:
		st.jmap(th, s)
	}
}

// jfinish ends a JSONata state: Assign and Output are evaluated with the
// variables from before the state, then the new variables take effect.
// result, when not nil, is $states.result.
func (st *State) jfinish(th *Thread, s *asl.State, extra *jsonval.Object, token string, output *dataflow.JSONataTemplate, assign *asl.Assign, defaultOut any, next string) {
	env := st.jenv(th, s, token, extra)
	var assigned *jsonval.Object
	if assign != nil && assign.JSONata != nil {
		v, err := assign.JSONata.Eval("Assign", env)
		if err != nil {
			st.failState(th, s, st.jfailure(th, s, err, "Assign"))
			return
		}
		assigned, _ = v.(*jsonval.Object)
	}
	out := defaultOut
	if output != nil {
		v, err := output.Eval("Output", env)
		if err != nil {
			st.failState(th, s, st.jfailure(th, s, err, "Output"))
			return
		}
		out = v
	}
	if jsonval.Size(out) > maxPayload {
		st.failState(th, s, &failure{Error: ErrorDataLimitExceeded, HasCause: true, Cause: fmt.Sprintf(
			"The state/task '%s' returned a result with a size exceeding the maximum number of bytes service limit.", s.Name)})
		return
	}
	vars := th.Vars
	if assigned != nil {
		var err error
		if vars, err = th.Vars.Assign(assigned); err != nil {
			st.failState(th, s, asFailure(err, s, th))
			return
		}
	}
	th.Vars = vars
	if s.Type == asl.TypeSucceed {
		st.emitExited(th, string(s.Type), s.Name, out, assigned)
		st.finishThread(th, out, nil)
		return
	}
	st.emitExited(th, string(s.Type), s.Name, out, assigned)
	st.transition(th, s, next, out)
}

func (st *State) jsucceed(th *Thread, s *asl.State) {
	st.jfinish(th, s, nil, "", s.Output, nil, th.Input, "")
}

func (st *State) jfail(th *Thread, s *asl.State) {
	f := s.Fail
	out := &failure{Error: f.Error, Cause: f.Cause, HasCause: f.HasCause}
	env := st.jenv(th, s, "", nil)
	for _, x := range []struct {
		t     *dataflow.JSONataTemplate
		field string
		dst   *string
	}{{f.ErrorExpr, "Error", &out.Error}, {f.CauseExpr, "Cause", &out.Cause}} {
		if x.t == nil {
			continue
		}
		v, err := x.t.Eval(x.field, env)
		if err != nil {
			st.failState(th, s, st.jfailure(th, s, err, x.field))
			return
		}
		*x.dst = plainText(v)
	}
	st.finishThread(th, nil, out)
}

func (st *State) jchoice(th *Thread, s *asl.State) {
	env := st.jenv(th, s, "", nil)
	for _, rule := range s.Choice.Choices {
		if rule.Condition == nil {
			continue
		}
		v, err := rule.Condition.Eval("Condition", env)
		if err != nil {
			st.failState(th, s, st.jfailure(th, s, err, "Condition"))
			return
		}
		b, ok := v.(bool)
		if !ok {
			st.failState(th, s, st.jtypeFailure(th, s, rule.Condition, "Condition", "boolean", v))
			return
		}
		if b {
			st.jfinish(th, s, nil, "", rule.Output, rule.Assign, th.Input, rule.Next)
			return
		}
	}
	if s.Choice.Default == "" {
		st.failState(th, s, &failure{Error: ErrorNoChoiceMatched, HasCause: true,
			Cause: fmt.Sprintf("No Matches! at the state '%s'", s.Name)})
		return
	}
	st.jfinish(th, s, nil, "", s.Output, s.Assign, th.Input, s.Choice.Default)
}

func (st *State) jwait(th *Thread, s *asl.State) {
	w := s.Wait
	env := st.jenv(th, s, "", nil)
	var due time.Time
	switch {
	case w.TimestampExpr != nil:
		v, err := w.TimestampExpr.Eval("Timestamp", env)
		if err != nil {
			st.failState(th, s, st.jfailure(th, s, err, "Timestamp"))
			return
		}
		t, ok := parseTimestamp(v)
		if !ok {
			err := &dataflow.Failure{Name: ErrorQueryEvaluationError, Cause: fmt.Sprintf(
				"The Timestamp field cannot be parsed as an ISO-8601 extended offset date-time format string: %s", plainText(v))}
			st.failState(th, s, st.jfailure(th, s, err, "Timestamp"))
			return
		}
		due = t
	case w.Timestamp != "":
		due, _ = time.Parse(time.RFC3339Nano, w.Timestamp)
	default:
		n, f := st.jint(th, s, w.Seconds, "Seconds", env)
		if f != nil {
			st.failState(th, s, f)
			return
		}
		due = after(st.now, n)
	}
	id := st.newID()
	st.Waiting[id] = wait{Kind: waitWaitState, Thread: th.ID}
	st.out.Commands = append(st.out.Commands, Command{Kind: CommandTimer, ID: id, Due: due})
	th.Phase = phaseWait
}

// jexitWait finishes a JSONata Wait state whose timer fired.
func (st *State) jexitWait(th *Thread, s *asl.State) {
	th.Phase = phaseRun
	st.jfinish(th, s, nil, "", s.Output, s.Assign, th.Input, s.Next)
}

func (st *State) jtask(th *Thread, s *asl.State) {
	t := s.Task
	kind := st.resourceKind(t.Resource)
	token := st.taskToken(kind, t.Resource)
	env := st.jenv(th, s, token, nil)
	params := th.Input
	if s.Arguments != nil {
		v, err := s.Arguments.Eval("Arguments", env)
		if err != nil {
			st.failState(th, s, st.jfailure(th, s, err, "Arguments"))
			return
		}
		params = v
	}
	timeout, f := st.jint(th, s, t.TimeoutSeconds, "TimeoutSeconds", env)
	if f != nil {
		st.failState(th, s, f)
		return
	}
	heartbeat, f := st.jint(th, s, t.HeartbeatSeconds, "HeartbeatSeconds", env)
	if f != nil {
		st.failState(th, s, f)
		return
	}
	var creds any
	if t.Credentials != nil && t.Credentials.JSONata != nil {
		v, err := t.Credentials.JSONata.Eval("Credentials", env)
		if err != nil {
			st.failState(th, s, st.jfailure(th, s, err, "Credentials"))
			return
		}
		creds = v
	}
	st.startTask(th, s, kind, token, params, timeout, heartbeat, creds)
}

func (st *State) jparallel(th *Thread, s *asl.State) {
	params := th.Input
	if s.Arguments != nil {
		v, err := s.Arguments.Eval("Arguments", st.jenv(th, s, "", nil))
		if err != nil {
			st.failState(th, s, st.jfailure(th, s, err, "Arguments"))
			return
		}
		params = v
	}
	st.startBranches(th, s, params)
}

func (st *State) jmap(th *Thread, s *asl.State) {
	if st.unsupportedMap(th, s) {
		return
	}
	m := s.Map
	env := st.jenv(th, s, "", nil)
	items := th.Input
	if m.Items != nil {
		v, err := m.Items.Eval("Items", env)
		if err != nil {
			st.failMapStart(th, s, st.jfailure(th, s, err, "Items"))
			return
		}
		if _, ok := v.([]any); !ok {
			st.failMapStart(th, s, st.jtypeFailure(th, s, m.Items, "Items", "array", v))
			return
		}
		items = v
	}
	list, ok := items.([]any)
	if !ok {
		err := &dataflow.Failure{Name: ErrorQueryEvaluationError, Cause: "Map state input must be an array but was: " + jsonText(items)}
		st.failMapStart(th, s, st.jfailure(th, s, err, ""))
		return
	}
	maxConc, f := st.jint(th, s, m.MaxConcurrency, "MaxConcurrency", env)
	if f != nil {
		st.failState(th, s, f)
		return
	}
	st.startMap(th, s, list, int(maxConc), th.Input, func() (int64, float64, *failure) {
		count := int64(-1)
		if m.ToleratedFailureCount.Set {
			n, f := st.jint(th, s, m.ToleratedFailureCount, "ToleratedFailureCount", env)
			if f != nil {
				return 0, 0, f
			}
			count = n
		}
		pct := -1.0
		if tp := m.ToleratedFailurePercentage; tp.Set {
			pct = tp.Value
			if tp.Expr != nil {
				v, err := tp.Expr.Eval("ToleratedFailurePercentage", env)
				if err != nil {
					return 0, 0, st.jfailure(th, s, err, "ToleratedFailurePercentage")
				}
				p, ok := jsonval.Float(v)
				if !ok {
					return 0, 0, st.jtypeFailure(th, s, tp.Expr, "ToleratedFailurePercentage", "number", v)
				}
				pct = p
			}
		}
		return count, pct, nil
	})
}

// jcomplete finishes a JSONata Task, Parallel or Map state with its
// result.
func (st *State) jcomplete(th *Thread, s *asl.State, result any, token string) {
	if jsonval.Size(result) > maxPayload {
		st.failState(th, s, &failure{Error: ErrorDataLimitExceeded, HasCause: true, Cause: fmt.Sprintf(
			"The state/task '%s' returned a result with a size exceeding the maximum number of bytes service limit.", s.Name)})
		return
	}
	extra := jsonval.NewObject(1)
	extra.Set("result", result)
	st.jfinish(th, s, extra, token, s.Output, s.Assign, result, s.Next)
}

// jcatch handles an error caught by c in a JSONata state: $states.errorOutput
// is the error, and the catcher's Output (default: the error) goes to Next.
func (st *State) jcatch(th *Thread, s *asl.State, c *asl.Catcher, f *failure) {
	errOut := jsonval.NewObject(2)
	errOut.Set("Error", f.Error)
	errOut.Set("Cause", f.Cause)
	extra := jsonval.NewObject(1)
	extra.Set("errorOutput", errOut)
	th.Phase = phaseRun
	env := st.jenv(th, s, "", extra)
	var assigned *jsonval.Object
	if c.Assign != nil && c.Assign.JSONata != nil {
		v, err := c.Assign.JSONata.Eval("Assign", env)
		if err != nil {
			st.finishThread(th, nil, st.jfailure(th, s, err, "Assign"))
			return
		}
		assigned, _ = v.(*jsonval.Object)
	}
	out := any(errOut)
	if c.Output != nil {
		v, err := c.Output.Eval("Output", env)
		if err != nil {
			st.finishThread(th, nil, st.jfailure(th, s, err, "Output"))
			return
		}
		out = v
	}
	if assigned != nil {
		vars, err := th.Vars.Assign(assigned)
		if err != nil {
			st.finishThread(th, nil, asFailure(err, s, th))
			return
		}
		th.Vars = vars
	}
	st.emitExited(th, string(s.Type), s.Name, out, assigned)
	st.transition(th, s, c.Next, out)
}

// failMapStart fails a Map state whose items could not be read: AWS
// records MapStateFailed before its Retry and Catch apply (conformance
// test_map_state_items_input_types).
func (st *State) failMapStart(th *Thread, s *asl.State, f *failure) {
	st.emit(th, history.MapStateFailed, nil)
	st.failState(th, s, f)
}
