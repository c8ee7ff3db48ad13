package teststate

import (
	"fmt"
	"math"
	"strings"

	"stepwise/asl"
	"stepwise/dataflow"
	"stepwise/engine"
	"stepwise/jsonval"
)

// The engine evaluates the state (engine.StateStep): this file turns what
// it reports into TestState's response, and stands in for what a test
// does not run (a mocked task, a Map's iterations, a Parallel's branches).

// Invocation is a task the caller must carry out for [Test.Finish]: the
// Task state's resource and its effective parameters (Input), as the
// engine would invoke it.
type Invocation = engine.Invocation

// TaskResult is the outcome of an [Invocation]: Output, or, when Failed,
// the task's Error and Cause.
type TaskResult struct {
	Output       any
	Failed       bool
	Error, Cause string
}

func jsonString(v any) string { return jsonval.MustMarshalString(v) }

func jsonPtr(v any) *string {
	s := jsonString(v)
	return &s
}

// Start evaluates the state. It returns the response, or, for a Task
// without a mock, the task to carry out; the caller then passes its
// outcome to [Test.Finish], which returns the response.
func (t *Test) Start() (*Response, *Invocation) {
	in := engine.StepInput{
		Input: t.input, Vars: t.vars, Context: t.ctx, TaskToken: t.token, Now: t.env.Now, Rand: t.env.Rand,
		RetryCount: t.cfg.RetrierRetryCount, FailedItems: t.cfg.MapIterationFailureCount, Inspect: t.inspect,
	}
	if t.state.Type == asl.TypeMap && t.state.Map.ItemReader != nil && t.cfg.MapItemReaderData != "" {
		in.ReadItems = t.readerItems
	}
	if t.state.Type == asl.TypeFail && t.state.QueryLanguage != asl.JSONata {
		// AWS shows a Fail state's input as its afterInputPath too.
		t.insp.AfterInputPath = jsonPtr(t.input)
	}
	t.step = engine.NewStateStep(t.state, in)
	out, work := t.step.Start()
	switch {
	case out != nil:
		return t.respond(out), nil
	case work.Invocation != nil:
		t.pending = work.Invocation
		if t.mock == nil {
			return nil, work.Invocation
		}
	}
	// The mock stands for the task, or for a Map's iterations or a
	// Parallel's branches, which a test does not run.
	return t.Finish(t.mocked()), nil
}

// Finish completes a Task whose [Invocation] Start returned, with its
// outcome.
func (t *Test) Finish(res TaskResult) *Response {
	if t.level == LevelTrace && t.pending != nil && isHTTPInvoke(t.state.Task.ParsedResource) {
		t.insp.Request, t.insp.Response = traceHTTP(t.pending.Input, res)
	}
	if res.Failed {
		return t.respond(t.step.Fail(res.Error, res.Cause))
	}
	return t.respond(t.step.Finish(res.Output))
}

// mocked is the outcome the request's mock stands for.
func (t *Test) mocked() TaskResult {
	if e := t.mock.ErrorOutput; e != nil {
		return TaskResult{Failed: true, Error: e.Error, Cause: e.Cause}
	}
	return TaskResult{Output: t.mockResult}
}

// readerItems returns the items of a Map's ItemReader from
// stateConfiguration.mapItemReaderData.
func (t *Test) readerItems() ([]any, error) {
	v, err := jsonval.ParseString(t.cfg.MapItemReaderData)
	if err != nil {
		return nil, itemReaderFailed("The item reader data is not valid JSON: %v", err)
	}
	list, ok := v.([]any)
	if !ok {
		return nil, itemReaderFailed("The item reader data must be a JSON array")
	}
	return list, nil
}

func itemReaderFailed(format string, args ...any) error {
	return &dataflow.Failure{Name: engine.ErrorItemReaderFailed, Cause: fmt.Sprintf(format, args...)}
}

// inspect records what the engine reports at each stage, as AWS's
// inspection data shows it: which members a state has depends on its
// type and query language.
func (t *Test) inspect(stage asl.Stage, v any) {
	s := t.state
	jsonPath := s.QueryLanguage != asl.JSONata
	switch stage {
	case asl.StageInput:
		// AWS shows neither InputPath nor Parameters when a Pass state's
		// Result replaces them.
		if jsonPath && !s.HasResult {
			t.insp.AfterInputPath = jsonPtr(v)
		}
	case asl.StageArguments:
		switch {
		case jsonPath && !s.HasResult:
			t.insp.AfterParameters = jsonPtr(v)
		case !jsonPath && s.Type != asl.TypePass:
			t.insp.AfterArguments = jsonPtr(v)
		}
	case asl.StageResult:
		t.insp.Result = jsonPtr(v)
	case asl.StageResultSelector:
		t.insp.AfterResultSelector = jsonPtr(v)
	case asl.StageResultPath:
		t.insp.AfterResultPath = jsonPtr(v)
	case asl.StageItems:
		t.items, t.itemsSeen = v, true
		if _, ok := v.([]any); ok && jsonPath {
			t.insp.AfterItemsPath = jsonPtr(v)
		}
	case asl.StageMaxConcurrency:
		n, _ := v.(int64)
		t.insp.MaxConcurrency = &n
	case asl.StageToleratedFailureCount:
		if n, _ := v.(int64); n >= 0 {
			t.insp.ToleratedFailureCount = &n
		}
	case asl.StageToleratedFailurePercentage:
		if x, _ := v.(float64); x >= 0 {
			t.insp.ToleratedFailurePercentage = &x
		}
	case asl.StageItemSelector:
		t.insp.AfterItemSelector = jsonPtr(v)
	case asl.StageItemBatcher:
		t.insp.AfterItemBatcher = jsonPtr(v)
	}
}

// respond turns the engine's outcome into the response: the status, and
// at DEBUG and TRACE the inspection data with what Retry or Catch made of
// an error and the variables in scope after the state.
func (t *Test) respond(o *engine.StepOutcome) *Response {
	r := &Response{}
	switch {
	case o.Caught:
		r.Status, r.Output, r.NextState = StatusCaughtError, jsonPtr(o.Output), o.Next
	case o.Retrier >= 0:
		r.Status = StatusRetriable
	case o.Error != "":
		r.Status = StatusFailed
	default:
		r.Status, r.Output, r.NextState = StatusSucceeded, t.outputText(o.Output), o.Next
	}
	if o.Error != "" {
		r.Error, r.Cause = &o.Error, t.cause(o)
	}
	switch {
	case o.Retrier >= 0:
		idx, backoff := int64(o.Retrier), int64(math.MaxInt32)
		if o.RetryDelay < math.MaxInt32 {
			// Whole seconds, without jitter: the interval's upper bound.
			backoff = int64(o.RetryDelay)
		}
		t.insp.ErrorDetails = &ErrorDetails{RetryIndex: &idx, RetryBackoffIntervalSeconds: &backoff}
	case o.Catcher >= 0:
		idx := int64(o.Catcher)
		t.insp.ErrorDetails = &ErrorDetails{CatchIndex: &idx}
	}
	if t.level == LevelInfo {
		return r
	}
	if local := o.Vars.Local(); local != nil && local.Len() > 0 {
		t.insp.Variables = jsonPtr(local)
	}
	insp := t.insp
	r.InspectionData = &insp
	return r
}

// cause is the cause of the outcome's error (nil when empty). TestState
// words a JSONPath Map's items that are not an array as AWS's TestState
// does, naming a context path with one $ fewer ("$$.Execution.Input"
// shows as "$.Execution.Input").
func (t *Test) cause(o *engine.StepOutcome) *string {
	if _, isList := t.items.([]any); t.itemsSeen && !isList && o.Error == engine.ErrorRuntime && t.state.QueryLanguage != asl.JSONata {
		path := "$"
		if p := t.state.Map.ItemsPath.Path; p != nil {
			path = strings.TrimPrefix(p.String(), "$")
			if !strings.HasPrefix(path, "$") {
				path = "$" + path
			}
		}
		c := fmt.Sprintf("Reference path \"%s\" must point to array.", path)
		return &c
	}
	if o.Cause == "" {
		return nil
	}
	c := o.Cause
	return &c
}

// outputText is the JSON text of a state's output. An output equal to the
// input is shown as the input was sent, as AWS shows a Choice state's
// output in its examples.
func (t *Test) outputText(out any) *string {
	if t.insp.Input != nil && jsonval.Equal(out, t.input) {
		s := *t.insp.Input
		return &s
	}
	return jsonPtr(out)
}
