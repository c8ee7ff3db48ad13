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

func (th *Thread) state() *asl.State { return th.Program.States[th.StateName] }

// enter records that th enters its current state.
func (st *State) enter(th *Thread) {
	s := th.state()
	th.EnteredTime = st.now
	th.EnteredPrev = st.Prev
	th.EnteredID = st.emitEntered(th, string(s.Type), s.Name, th.Input)
	th.Attempts = nil
	th.RetryCount = 0
	th.Phase = phaseRun
}

// execute does the work of th's current state, once entered (and again
// after each retry).
func (st *State) execute(th *Thread) {
	s := th.state()
	if s.QueryLanguage == asl.JSONata {
		st.jexecute(th, s)
		return
	}
	switch s.Type {
	case asl.TypePass:
		st.execPass(th, s)
	case asl.TypeChoice:
		st.execChoice(th, s)
	case asl.TypeWait:
		st.execWait(th, s)
	case asl.TypeSucceed:
		st.execSucceed(th, s)
	case asl.TypeFail:
		st.execFail(th, s)
	case asl.TypeTask:
		st.execTask(th, s)
	case asl.TypeParallel:
		st.execParallel(th, s)
	case asl.TypeMap:
		st.execMap(th, s)
	default:
		st.failState(th, s, &failure{Error: ErrorRuntime, HasCause: true, Cause: fmt.Sprintf("unknown state type %q", s.Type)})
	}
}

// env returns the data-flow environment of th's current state.
func (st *State) env(th *Thread, s *asl.State, token string) *dataflow.Env {
	// One Env serves the whole step: states run one at a time and no
	// evaluation keeps it.
	env := &st.envBuf
	*env = dataflow.Env{Vars: th.Vars, Rand: st.randFn}
	if st.m.contextUse[s] {
		env.Context = st.contextObject(th, s, token)
	}
	return env
}

// timestamp formats t as AWS does in the context object.
func timestamp(t time.Time) string {
	return t.UTC().Format("2006-01-02T15:04:05.000Z")
}

// contextObject builds the $$ object of th's current state.
func (st *State) contextObject(th *Thread, s *asl.State, token string) *jsonval.Object {
	e := st.Exec
	exec := jsonval.NewObject(6)
	exec.Set("Id", e.ARN)
	exec.Set("Input", e.Input)
	exec.Set("StartTime", timestamp(e.StartTime))
	exec.Set("Name", e.Name)
	exec.Set("RoleArn", e.RoleARN)
	if !e.Express {
		// AWS's Express context object has no RedriveCount.
		exec.Set("RedriveCount", float64(e.RedriveCount))
	}
	state := jsonval.NewObject(3)
	state.Set("EnteredTime", timestamp(th.EnteredTime))
	state.Set("Name", s.Name)
	if s.Type == asl.TypeTask || s.Type == asl.TypeParallel || s.Type == asl.TypeMap {
		// Only states that can retry report RetryCount (conformance
		// test_context_object test_input_path).
		state.Set("RetryCount", float64(th.RetryCount))
	}
	sm := jsonval.NewObject(2)
	sm.Set("Id", e.StateMachineARN)
	sm.Set("Name", e.StateMachineName)
	ctx := jsonval.NewObject(5)
	ctx.Set("Execution", exec)
	ctx.Set("StateMachine", sm)
	ctx.Set("State", state)
	if token != "" {
		task := jsonval.NewObject(1)
		task.Set("Token", token)
		ctx.Set("Task", task)
	}
	return ctx
}

// withMapItem returns a copy of ctx with Map.Item set, for a Map's
// ItemSelector.
func withMapItem(ctx any, index int, value any) any {
	obj, ok := ctx.(*jsonval.Object)
	if !ok {
		return ctx
	}
	item := jsonval.NewObject(2)
	item.Set("Index", float64(index))
	item.Set("Value", value)
	m := jsonval.NewObject(1)
	m.Set("Item", item)
	c := obj.Clone()
	c.Set("Map", m)
	return c
}

// asFailure turns an evaluation error into the ASL failure it stands for.
func asFailure(err error, s *asl.State, th *Thread) *failure {
	var f *dataflow.Failure
	if errors.As(err, &f) {
		f = f.InState(s.Name, th.EnteredID)
		return &failure{Error: f.Name, Cause: f.Cause, HasCause: true}
	}
	return &failure{Error: ErrorRuntime, Cause: err.Error(), HasCause: true}
}

// parameters applies InputPath and Parameters to th's input, giving the
// effective input and the parameters. On a failure it fails the state and
// returns false.
func (st *State) parameters(th *Thread, s *asl.State, env *dataflow.Env) (eff, params any, ok bool) {
	eff, err := dataflow.ApplyInputPath(s.InputPath.Path, s.InputPath.Set, th.Input, env)
	if err != nil {
		st.failState(th, s, asFailure(err, s, th))
		return nil, nil, false
	}
	params = eff
	if s.Parameters != nil {
		if params, err = s.Parameters.Compiled.Eval(eff, env); err != nil {
			st.failState(th, s, asFailure(err, s, th))
			return nil, nil, false
		}
	}
	return eff, params, true
}

func (st *State) execPass(th *Thread, s *asl.State) {
	env := st.env(th, s, "")
	_, result, ok := st.parameters(th, s, env)
	if !ok {
		return
	}
	if s.HasResult {
		result = s.Result
	}
	st.complete(th, s, result, env, nil)
}

// plainText shows a value in a cause as AWS does: strings bare, other
// values as JSON.
func plainText(v any) string {
	if s, ok := v.(string); ok {
		return s
	}
	return jsonText(v)
}

// maxPayload is AWS's limit on a state's input, result and output.
const maxPayload = 256 * 1024

// complete finishes th's current state with result: ResultSelector (for
// states that have one), Assign, ResultPath and OutputPath, the exited
// event, and the transition. rule is the matched Choice rule, if any.
func (st *State) complete(th *Thread, s *asl.State, result any, env *dataflow.Env, assign *asl.Assign) {
	var err error
	if s.ResultSelector != nil {
		if result, err = s.ResultSelector.Compiled.Eval(result, env); err != nil {
			st.failState(th, s, asFailure(err, s, th))
			return
		}
	}
	if jsonval.Size(result) > maxPayload {
		st.failState(th, s, &failure{Error: ErrorDataLimitExceeded, HasCause: true, Cause: fmt.Sprintf(
			"The state/task '%s' returned a result with a size exceeding the maximum number of bytes service limit.", s.Name)})
		return
	}
	if assign == nil {
		assign = s.Assign
	}
	vars, assigned, f := st.assign(th, s, assign, result, env)
	if f != nil {
		st.failState(th, s, f)
		return
	}
	out, err := dataflow.ApplyResultPath(s.ResultPath.Path, s.ResultPath.Set, th.Input, result)
	if err != nil {
		st.failState(th, s, asFailure(err, s, th))
		return
	}
	if out, err = dataflow.ApplyOutputPath(s.OutputPath.Path, s.OutputPath.Set, out, env); err != nil {
		st.failState(th, s, asFailure(err, s, th))
		return
	}
	th.Vars = vars
	st.emitExited(th, string(s.Type), s.Name, out, assigned)
	st.transition(th, s, s.Next, out)
}

// assign evaluates an Assign block against value and returns the new
// variable scope and what was assigned (nil when nothing was).
func (st *State) assign(th *Thread, s *asl.State, a *asl.Assign, value any, env *dataflow.Env) (*dataflow.Vars, *jsonval.Object, *failure) {
	if a == nil || a.Compiled == nil {
		return th.Vars, nil, nil
	}
	v, err := a.Compiled.Eval(value, env)
	if err != nil {
		return nil, nil, asFailure(err, s, th)
	}
	obj, _ := v.(*jsonval.Object)
	vars, err := th.Vars.Assign(obj)
	if err != nil {
		return nil, nil, asFailure(err, s, th)
	}
	return vars, obj, nil
}

// transition moves th to next with input, or finishes th when next is
// empty (an End state).
func (st *State) transition(th *Thread, s *asl.State, next string, out any) {
	if next == "" {
		st.finishThread(th, out, nil)
		return
	}
	th.StateName = next
	th.Input = out
	th.Phase = phaseEnter
}

func (st *State) execSucceed(th *Thread, s *asl.State) {
	env := st.env(th, s, "")
	eff, err := dataflow.ApplyInputPath(s.InputPath.Path, s.InputPath.Set, th.Input, env)
	if err == nil {
		eff, err = dataflow.ApplyOutputPath(s.OutputPath.Path, s.OutputPath.Set, eff, env)
	}
	if err != nil {
		st.failState(th, s, asFailure(err, s, th))
		return
	}
	st.emitExited(th, string(s.Type), s.Name, eff, nil)
	st.finishThread(th, eff, nil)
}

func (st *State) execFail(th *Thread, s *asl.State) {
	f := s.Fail
	out := &failure{Error: f.Error, Cause: f.Cause, HasCause: f.HasCause}
	env := st.env(th, s, "")
	var err error
	if out.Error, err = evalText(f.ErrorPath, f.ErrorIntrinsic, f.Error, th.Input, env, "ErrorPath"); err != nil {
		st.failState(th, s, asFailure(err, s, th))
		return
	}
	if out.Cause, err = evalText(f.CausePath, f.CauseIntrinsic, f.Cause, th.Input, env, "CausePath"); err != nil {
		st.failState(th, s, asFailure(err, s, th))
		return
	}
	st.finishThread(th, nil, out)
}

// evalText evaluates a Fail state's ErrorPath or CausePath, or returns the
// static text.
func evalText(p *dataflow.Path, fn *dataflow.Intrinsic, static string, input any, env *dataflow.Env, field string) (string, error) {
	var v any
	var err error
	switch {
	case p != nil:
		if v, err = p.Eval(input, env); err != nil {
			return "", &dataflow.Failure{Name: ErrorRuntime, Cause: fmt.Sprintf(
				"The JSONPath '%s' specified for the field '%s' could not be found in the input '%s'", p, field, jsonText(input))}
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

func (st *State) execWait(th *Thread, s *asl.State) {
	env := st.env(th, s, "")
	eff, err := dataflow.ApplyInputPath(s.InputPath.Path, s.InputPath.Set, th.Input, env)
	if err != nil {
		st.failState(th, s, asFailure(err, s, th))
		return
	}
	due, f := st.waitDue(th, s, eff, env)
	if f != nil {
		st.failState(th, s, f)
		return
	}
	id := st.newID()
	st.Waiting[id] = wait{Kind: waitWaitState, Thread: th.ID}
	st.out.Commands = append(st.out.Commands, Command{Kind: CommandTimer, ID: id, Due: due})
	th.Phase = phaseWait
}

func (st *State) waitDue(th *Thread, s *asl.State, eff any, env *dataflow.Env) (time.Time, *failure) {
	w := s.Wait
	switch {
	case w.Seconds.Path != nil:
		v, err := w.Seconds.Path.Eval(eff, env)
		if err != nil {
			return time.Time{}, asFailure(err, s, th)
		}
		n, ok := jsonval.Int(v)
		if !ok {
			return time.Time{}, runtimeFailure(s, th, "The SecondsPath parameter cannot be parsed as a long value: %s == %s", w.Seconds.Path, plainText(v))
		}
		if n < 0 {
			// AWS's cause for a negative wait (LocalStack's AWS-validated
			// Wait state, SecondsPath).
			return time.Time{}, runtimeFailure(s, th, "The SecondsPath parameter references a negative value: %s == %s", w.Seconds.Path, plainText(v))
		}
		return after(st.now, n), nil
	case w.Seconds.Set:
		return after(st.now, w.Seconds.Value), nil
	case w.TimestampPath != nil:
		v, err := w.TimestampPath.Eval(eff, env)
		if err != nil {
			return time.Time{}, asFailure(err, s, th)
		}
		t, ok := parseTimestamp(v)
		if !ok {
			return time.Time{}, runtimeFailure(s, th, "The TimestampPath parameter does not reference a valid ISO-8601 extended offset date-time format string: %s == %s", w.TimestampPath, plainText(v))
		}
		return t, nil
	default:
		t, _ := time.Parse(time.RFC3339Nano, w.Timestamp)
		return t, nil
	}
}

// exitWait finishes a Wait state whose timer fired.
func (st *State) exitWait(th *Thread) {
	s := th.state()
	if s.QueryLanguage == asl.JSONata {
		st.jexitWait(th, s)
		st.runnable = append(st.runnable, th.ID)
		return
	}
	env := st.env(th, s, "")
	eff, err := dataflow.ApplyInputPath(s.InputPath.Path, s.InputPath.Set, th.Input, env)
	if err != nil {
		st.failState(th, s, asFailure(err, s, th))
		st.runnable = append(st.runnable, th.ID)
		return
	}
	th.Phase = phaseRun
	// A Wait state's result is its effective input; ResultPath does not apply.
	st.choose(th, s, s.Next, s.Assign, eff, env)
	st.runnable = append(st.runnable, th.ID)
}

func runtimeFailure(s *asl.State, th *Thread, format string, args ...any) *failure {
	f := (&dataflow.Failure{Name: ErrorRuntime, Cause: fmt.Sprintf(format, args...)}).InState(s.Name, th.EnteredID)
	return &failure{Error: f.Name, Cause: f.Cause, HasCause: true}
}

func (st *State) execChoice(th *Thread, s *asl.State) {
	env := st.env(th, s, "")
	eff, err := dataflow.ApplyInputPath(s.InputPath.Path, s.InputPath.Set, th.Input, env)
	if err != nil {
		st.failState(th, s, asFailure(err, s, th))
		return
	}
	for _, rule := range s.Choice.Choices {
		ok, err := evalRule(rule, eff, env)
		if err != nil {
			st.failState(th, s, asFailure(err, s, th))
			return
		}
		if ok {
			st.choose(th, s, rule.Next, rule.Assign, eff, env)
			return
		}
	}
	if s.Choice.Default == "" {
		st.failState(th, s, &failure{Error: ErrorNoChoiceMatched, HasCause: true,
			Cause: fmt.Sprintf("No Matches! at the state '%s'", s.Name)})
		return
	}
	st.choose(th, s, s.Choice.Default, s.Assign, eff, env)
}

// choose ends a state without ResultPath (Choice, Wait): Assign and
// OutputPath apply to the effective input, then th moves to next.
func (st *State) choose(th *Thread, s *asl.State, next string, assign *asl.Assign, eff any, env *dataflow.Env) {
	vars, assigned, f := st.assign(th, s, assign, eff, env)
	if f != nil {
		st.failState(th, s, f)
		return
	}
	out, err := dataflow.ApplyOutputPath(s.OutputPath.Path, s.OutputPath.Set, eff, env)
	if err != nil {
		st.failState(th, s, asFailure(err, s, th))
		return
	}
	th.Vars = vars
	st.emitExited(th, string(s.Type), s.Name, out, assigned)
	st.transition(th, s, next, out)
}

var _ = history.ExecutionStarted
