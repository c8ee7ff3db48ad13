package teststate

import (
	"errors"
	"fmt"
	"math"

	"stepwise/asl"
	"stepwise/dataflow"
	"stepwise/engine"
	"stepwise/jsonval"
)

// Invocation is a task the caller must carry out for [Test.Finish]: the
// Task state's resource and its effective parameters.
type Invocation struct {
	StateName        string
	Resource         string
	Input            any // the parameters, after InputPath and Parameters (or Arguments)
	TimeoutSeconds   int64
	HeartbeatSeconds int64
	TaskToken        string
	Credentials      any
}

// TaskResult is the outcome of an [Invocation]: Output, or, when Failed,
// the task's Error and Cause.
type TaskResult struct {
	Output       any
	Failed       bool
	Error, Cause string
}

// Error names the evaluation raises, as the engine names them.
const (
	errRuntime           = "States.Runtime"
	errNoChoiceMatched   = "States.NoChoiceMatched"
	errExceedTolerated   = "States.ExceedToleratedFailureThreshold"
	causeExceedTolerated = "The specified tolerated failure threshold was exceeded"
	errQueryEvaluation   = "States.QueryEvaluationError"
	errDataLimitExceeded = "States.DataLimitExceeded"
	maxPayload           = 256 * 1024
)

// failure is an ASL error raised by the state.
type failure struct {
	Error, Cause string
}

func asFailure(err error) *failure {
	var f *dataflow.Failure
	if errors.As(err, &f) {
		return &failure{Error: f.Name, Cause: f.Cause}
	}
	return &failure{Error: errRuntime, Cause: err.Error()}
}

func jsonText(v any) string { return jsonval.MustMarshalString(v) }

func text(v any) *string {
	s := jsonText(v)
	return &s
}

// Start evaluates the state. It returns the response, or, for a Task
// without a mock, the task to carry out; the caller then passes its
// outcome to [Test.Finish], which returns the response.
func (t *Test) Start() (*Response, *Invocation) {
	if t.state.QueryLanguage == asl.JSONata {
		return t.jstart()
	}
	switch t.state.Type {
	case asl.TypePass:
		return t.pass(), nil
	case asl.TypeChoice:
		return t.choice(), nil
	case asl.TypeWait:
		return t.wait(), nil
	case asl.TypeSucceed:
		return t.succeed(), nil
	case asl.TypeFail:
		return t.fail(), nil
	case asl.TypeTask:
		return t.task()
	case asl.TypeParallel:
		return t.parallel(), nil
	case asl.TypeMap:
		return t.mapState(), nil
	}
	return t.failed(&failure{Error: errRuntime, Cause: fmt.Sprintf("unknown state type %q", t.state.Type)}), nil
}

// Finish completes a Task whose [Invocation] Start returned, with its
// outcome.
func (t *Test) Finish(res TaskResult) *Response {
	if t.level == LevelTrace && t.pending != nil && isHTTPInvoke(t.state.Task.ParsedResource) {
		t.insp.Request, t.insp.Response = traceHTTP(t.params, res)
	}
	if res.Failed {
		return t.recover(&failure{Error: res.Error, Cause: res.Cause})
	}
	t.insp.Result = text(res.Output)
	if t.state.QueryLanguage == asl.JSONata {
		return t.jcomplete(res.Output)
	}
	return t.complete(res.Output)
}

// mocked is the outcome the request's mock stands for.
func (t *Test) mocked() TaskResult {
	if e := t.mock.ErrorOutput; e != nil {
		return TaskResult{Failed: true, Error: e.Error, Cause: e.Cause}
	}
	return TaskResult{Output: t.mockResult}
}

func (t *Test) pathEnv() *dataflow.Env {
	return &dataflow.Env{Context: t.ctx, Vars: t.vars, Rand: t.env.Rand}
}

// respond finishes a response: the inspection data at DEBUG and TRACE,
// with the variables in scope after the state.
func (t *Test) respond(r *Response) *Response {
	if t.level == LevelInfo {
		return r
	}
	if local := t.vars.Local(); local != nil && local.Len() > 0 {
		t.insp.Variables = text(local)
	}
	insp := t.insp
	r.InspectionData = &insp
	return r
}

func (t *Test) succeeded(out any, next string) *Response {
	return t.respond(&Response{Status: StatusSucceeded, Output: t.outputText(out), NextState: next})
}

// outputText is the JSON text of a state's output. An output equal to the
// input is shown as the input was sent, as AWS shows a Choice state's
// output in its examples.
func (t *Test) outputText(out any) *string {
	if t.insp.Input != nil && jsonval.Equal(out, t.input) {
		s := *t.insp.Input
		return &s
	}
	return text(out)
}

// failed answers with an error no Retrier or Catcher handles.
func (t *Test) failed(f *failure) *Response {
	r := &Response{Status: StatusFailed, Error: &f.Error}
	if f.Cause != "" {
		r.Cause = &f.Cause
	}
	return t.respond(r)
}

// inputPath applies InputPath and records it.
func (t *Test) inputPath(env *dataflow.Env) (any, *failure) {
	s := t.state
	eff, err := dataflow.ApplyInputPath(s.InputPath.Path, s.InputPath.Set, t.input, env)
	if err != nil {
		return nil, asFailure(err)
	}
	t.insp.AfterInputPath = text(eff)
	return eff, nil
}

// parameters applies InputPath and Parameters, records both and returns
// the effective input and the parameters.
func (t *Test) parameters(env *dataflow.Env) (eff, params any, f *failure) {
	if eff, f = t.inputPath(env); f != nil {
		return nil, nil, f
	}
	params = eff
	if p := t.state.Parameters; p != nil {
		var err error
		if params, err = p.Compiled.Eval(eff, env); err != nil {
			return nil, nil, asFailure(err)
		}
	}
	t.insp.AfterParameters = text(params)
	return eff, params, nil
}

func (t *Test) pass() *Response {
	s := t.state
	env := t.pathEnv()
	if s.HasResult {
		// AWS shows neither InputPath nor Parameters when Result replaces
		// them; a failing InputPath still fails the state, as in an
		// execution.
		if _, err := dataflow.ApplyInputPath(s.InputPath.Path, s.InputPath.Set, t.input, env); err != nil {
			return t.recover(asFailure(err))
		}
		t.insp.Result = text(s.Result)
		return t.complete(s.Result)
	}
	_, params, f := t.parameters(env)
	if f != nil {
		return t.recover(f)
	}
	return t.complete(params)
}

// complete finishes a JSONPath state with its result: ResultSelector,
// Assign, ResultPath and OutputPath.
func (t *Test) complete(result any) *Response {
	s := t.state
	env := t.pathEnv()
	if s.ResultSelector != nil {
		var err error
		if result, err = s.ResultSelector.Compiled.Eval(result, env); err != nil {
			return t.recover(asFailure(err))
		}
	}
	t.insp.AfterResultSelector = text(result)
	if jsonval.Size(result) > maxPayload {
		return t.recover(&failure{Error: errDataLimitExceeded, Cause: fmt.Sprintf(
			"The state/task '%s' returned a result with a size exceeding the maximum number of bytes service limit.", s.Name)})
	}
	vars, f := t.assign(s.Assign, result, env)
	if f != nil {
		return t.recover(f)
	}
	out, err := dataflow.ApplyResultPath(s.ResultPath.Path, s.ResultPath.Set, t.input, result)
	if err != nil {
		return t.recover(asFailure(err))
	}
	t.insp.AfterResultPath = text(out)
	if out, err = dataflow.ApplyOutputPath(s.OutputPath.Path, s.OutputPath.Set, out, env); err != nil {
		return t.recover(asFailure(err))
	}
	t.vars = vars
	return t.succeeded(out, s.Next)
}

// assign evaluates a JSONPath Assign block against value and returns the
// variables after it; they take effect only once the state succeeds.
func (t *Test) assign(a *asl.Assign, value any, env *dataflow.Env) (*dataflow.Vars, *failure) {
	if a == nil || a.Compiled == nil {
		return t.vars, nil
	}
	v, err := a.Compiled.Eval(value, env)
	if err != nil {
		return nil, asFailure(err)
	}
	obj, _ := v.(*jsonval.Object)
	vars, err := t.vars.Assign(obj)
	if err != nil {
		return nil, asFailure(err)
	}
	return vars, nil
}

func (t *Test) choice() *Response {
	s := t.state
	env := t.pathEnv()
	eff, f := t.inputPath(env)
	if f != nil {
		return t.recover(f)
	}
	for _, rule := range s.Choice.Choices {
		ok, err := engine.EvalChoiceRule(rule, eff, env)
		if err != nil {
			return t.recover(asFailure(err))
		}
		if ok {
			return t.choose(rule.Next, rule.Assign, eff, env)
		}
	}
	if s.Choice.Default == "" {
		return t.recover(&failure{Error: errNoChoiceMatched, Cause: fmt.Sprintf("No Matches! at the state '%s'", s.Name)})
	}
	return t.choose(s.Choice.Default, s.Assign, eff, env)
}

// choose ends a state that has no ResultPath (Choice, Wait): Assign and
// OutputPath apply to the effective input.
func (t *Test) choose(next string, a *asl.Assign, eff any, env *dataflow.Env) *Response {
	vars, f := t.assign(a, eff, env)
	if f != nil {
		return t.recover(f)
	}
	out, err := dataflow.ApplyOutputPath(t.state.OutputPath.Path, t.state.OutputPath.Set, eff, env)
	if err != nil {
		return t.recover(asFailure(err))
	}
	t.vars = vars
	return t.succeeded(out, next)
}

// wait checks a Wait state's time fields but does not wait, as on AWS.
func (t *Test) wait() *Response {
	s := t.state
	env := t.pathEnv()
	eff, f := t.inputPath(env)
	if f != nil {
		return t.recover(f)
	}
	w := s.Wait
	switch {
	case w.Seconds.Path != nil:
		v, err := w.Seconds.Path.Eval(eff, env)
		if err != nil {
			return t.recover(asFailure(err))
		}
		if n, ok := jsonval.Int(v); !ok || n < 0 {
			return t.recover(&failure{Error: errRuntime, Cause: fmt.Sprintf(
				"The SecondsPath parameter cannot be parsed as a long value: %s == %s", w.Seconds.Path, plainText(v))})
		}
	case w.TimestampPath != nil:
		v, err := w.TimestampPath.Eval(eff, env)
		if err != nil {
			return t.recover(asFailure(err))
		}
		if !isTimestamp(v) {
			return t.recover(&failure{Error: errRuntime, Cause: fmt.Sprintf(
				"The TimestampPath parameter does not reference a valid ISO-8601 extended offset date-time format string: %s == %s", w.TimestampPath, plainText(v))})
		}
	}
	return t.choose(s.Next, s.Assign, eff, env)
}

func (t *Test) succeed() *Response {
	s := t.state
	env := t.pathEnv()
	eff, f := t.inputPath(env)
	if f != nil {
		return t.recover(f)
	}
	out, err := dataflow.ApplyOutputPath(s.OutputPath.Path, s.OutputPath.Set, eff, env)
	if err != nil {
		return t.recover(asFailure(err))
	}
	return t.succeeded(out, "")
}

func (t *Test) fail() *Response {
	s := t.state
	env := t.pathEnv()
	// AWS shows the Fail state's input as its afterInputPath too.
	t.insp.AfterInputPath = text(t.input)
	f := s.Fail
	errName, err := failText(f.ErrorPath, f.ErrorIntrinsic, f.Error, t.input, env, "ErrorPath")
	if err != nil {
		return t.failed(asFailure(err))
	}
	cause, err := failText(f.CausePath, f.CauseIntrinsic, f.Cause, t.input, env, "CausePath")
	if err != nil {
		return t.failed(asFailure(err))
	}
	return t.failed(&failure{Error: errName, Cause: cause})
}

// failText evaluates a Fail state's ErrorPath or CausePath, or returns
// the static text.
func failText(p *dataflow.Path, fn *dataflow.Intrinsic, static string, input any, env *dataflow.Env, field string) (string, error) {
	var v any
	var err error
	switch {
	case p != nil:
		if v, err = p.Eval(input, env); err != nil {
			return "", &dataflow.Failure{Name: errRuntime, Cause: fmt.Sprintf(
				"The JSONPath '%s' specified for the field '%s' could not be found in the input '%s'", p, field, jsonText(input))}
		}
	case fn != nil:
		if v, err = fn.Eval(input, env); err != nil {
			return "", err
		}
	default:
		return static, nil
	}
	return plainText(v), nil
}

func (t *Test) task() (*Response, *Invocation) {
	s := t.state
	env := t.pathEnv()
	eff, params, f := t.parameters(env)
	if f != nil {
		return t.recover(f), nil
	}
	// The time limits and credentials read the effective input, as in
	// executions.
	inv := &Invocation{StateName: s.Name, Resource: s.Task.Resource, Input: params, TaskToken: t.token}
	if inv.TimeoutSeconds, f = seconds(s.Task.TimeoutSeconds, eff, env, "TimeoutSecondsPath"); f != nil {
		return t.recover(f), nil
	}
	if inv.HeartbeatSeconds, f = seconds(s.Task.HeartbeatSeconds, eff, env, "HeartbeatSecondsPath"); f != nil {
		return t.recover(f), nil
	}
	if c := s.Task.Credentials; c != nil && c.Compiled != nil {
		v, err := c.Compiled.Eval(eff, env)
		if err != nil {
			return t.recover(asFailure(err)), nil
		}
		inv.Credentials = v
	}
	return t.invoke(inv, params)
}

// invoke answers a Task from its mock, or hands its invocation to the
// caller.
func (t *Test) invoke(inv *Invocation, params any) (*Response, *Invocation) {
	t.params, t.pending = params, inv
	if t.mock != nil {
		return t.Finish(t.mocked()), nil
	}
	return nil, inv
}

// seconds evaluates TimeoutSeconds or HeartbeatSeconds, or their Path
// form, against the effective parameters.
func seconds(f asl.IntField, eff any, env *dataflow.Env, field string) (int64, *failure) {
	if f.Path == nil {
		return f.Value, nil
	}
	v, err := f.Path.Eval(eff, env)
	if err != nil {
		return 0, asFailure(err)
	}
	n, ok := jsonval.Int(v)
	if !ok || n <= 0 {
		return 0, &failure{Error: errRuntime, Cause: fmt.Sprintf("The %s field refers to value %s which is not a valid positive integer", field, jsonText(v))}
	}
	return n, nil
}

func (t *Test) parallel() *Response {
	env := t.pathEnv()
	if _, _, f := t.parameters(env); f != nil {
		return t.recover(f)
	}
	res := t.mocked()
	if res.Failed {
		return t.recover(&failure{Error: res.Error, Cause: res.Cause})
	}
	return t.complete(res.Output)
}

// withMapItem returns a copy of ctx with Map.Item set, for ItemSelector.
func withMapItem(ctx *jsonval.Object, index int, value any) *jsonval.Object {
	item := jsonval.NewObject(2)
	item.Set("Index", float64(index))
	item.Set("Value", value)
	m := jsonval.NewObject(1)
	m.Set("Item", item)
	c := ctx.Clone()
	c.Set("Map", m)
	return c
}

// recover handles an error of the state: the first Retrier that matches
// it makes the state RETRIABLE while it has attempts left (counting
// stateConfiguration.retrierRetryCount as used), else the first matching
// Catcher takes it, else the state FAILED. States.Runtime is neither
// retried nor caught, as in executions.
func (t *Test) recover(f *failure) *Response {
	s := t.state
	if f.Error == errRuntime || (f.Error == errDataLimitExceeded && len(s.Retry) == 0 && len(s.Catch) == 0) {
		return t.failed(f)
	}
	for i, r := range s.Retry {
		if !engine.MatchesError(r.ErrorEquals, f.Error) {
			continue
		}
		if t.cfg.RetrierRetryCount >= r.MaxAttempts {
			break
		}
		idx := int64(i)
		backoff := backoffSeconds(r, t.cfg.RetrierRetryCount)
		t.insp.ErrorDetails = &ErrorDetails{RetryIndex: &idx, RetryBackoffIntervalSeconds: &backoff}
		resp := &Response{Status: StatusRetriable, Error: &f.Error}
		if f.Cause != "" {
			resp.Cause = &f.Cause
		}
		return t.respond(resp)
	}
	for i := range s.Catch {
		c := &s.Catch[i]
		if !engine.MatchesError(c.ErrorEquals, f.Error) {
			continue
		}
		idx := int64(i)
		t.insp.ErrorDetails = &ErrorDetails{CatchIndex: &idx}
		if s.QueryLanguage == asl.JSONata {
			return t.jcatch(c, f)
		}
		return t.catch(c, f)
	}
	return t.failed(f)
}

// backoffSeconds is how long a Retrier waits before the retry after
// count earlier ones: IntervalSeconds × BackoffRate^count, at most
// MaxDelaySeconds, in whole seconds. Jitter is not applied: the answer
// is the interval's upper bound.
func backoffSeconds(r asl.Retrier, count int64) int64 {
	delay := float64(r.IntervalSeconds) * math.Pow(r.BackoffRate, float64(count))
	if r.MaxDelaySeconds > 0 && delay > float64(r.MaxDelaySeconds) {
		delay = float64(r.MaxDelaySeconds)
	}
	if delay > math.MaxInt32 {
		return math.MaxInt32
	}
	return int64(delay)
}

// errorOutput is the document a Catcher passes on: the error and its
// cause (empty when there is none).
func errorOutput(f *failure) *jsonval.Object {
	o := jsonval.NewObject(2)
	o.Set("Error", f.Error)
	o.Set("Cause", f.Cause)
	return o
}

// caught answers with the output of a Catcher.
func (t *Test) caught(f *failure, out any, next string) *Response {
	resp := &Response{Status: StatusCaughtError, Error: &f.Error, Output: text(out), NextState: next}
	if f.Cause != "" {
		resp.Cause = &f.Cause
	}
	return t.respond(resp)
}

// catch applies a JSONPath Catcher: Assign and ResultPath apply to the
// error output.
func (t *Test) catch(c *asl.Catcher, f *failure) *Response {
	errOut := errorOutput(f)
	env := t.pathEnv()
	vars, af := t.assign(c.Assign, errOut, env)
	if af != nil {
		return t.failed(af)
	}
	out, err := dataflow.ApplyResultPath(c.ResultPath.Path, c.ResultPath.Set, t.input, errOut)
	if err != nil {
		return t.failed(asFailure(err))
	}
	t.insp.AfterResultPath = text(out)
	t.vars = vars
	return t.caught(f, out, c.Next)
}

// plainText shows a value as AWS does in causes: strings bare, other
// values as JSON.
func plainText(v any) string {
	if s, ok := v.(string); ok {
		return s
	}
	return jsonText(v)
}
