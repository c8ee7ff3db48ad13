package asl

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"stepwise/dataflow"
	"stepwise/jsonval"
)

// Flow is a state's data flow, compiled once for its query language: the
// engine runs every state type through it, so that the difference between
// JSONPath (InputPath, Parameters, ResultSelector, ResultPath, OutputPath,
// ...Path fields) and JSONata (Arguments, Output, "{% %}" fields) lives
// here and nowhere else. A Flow is immutable and safe for concurrent use.
//
// Evaluation errors are *dataflow.Failure values: States.Runtime (which the
// engine prefixes with the state, as AWS does), States.QueryEvaluationError
// with Location naming the field (which the engine records in an
// EvaluationFailed event), or another States.* error taken as it is.
type Flow interface {
	// UsesContext reports whether a field of the state may read the
	// context object, so that the engine builds it only then. It errs on
	// the side of true.
	UsesContext() bool
	// Input returns the state's effective input: JSONPath's InputPath
	// applied to sc.Input; under JSONata, sc.Input itself.
	Input(sc *Scope) (any, error)
	// Arguments returns what the state works on (a Task's parameters, a
	// Parallel's branch input, a Pass's result unless it has Result):
	// Parameters applied to eff (JSONPath) or Arguments (JSONata); eff
	// when absent.
	Arguments(sc *Scope, eff any) (any, error)
	// Exit computes how the state ends: its output and the variables it
	// assigns. result is what the state's work gave (a Pass's result, a
	// Task's output, a Parallel's or Map's results); eff its effective
	// input (the result of Choice, Wait and Succeed). rule is the matched
	// Choice rule (nil for Choice's Default and every other state), whose
	// Assign and Output then apply instead of the state's.
	Exit(sc *Scope, eff, result any, rule *ChoiceRule) (Exit, error)
	// Caught computes the output of an error caught by c: errOutput is
	// {"Error", "Cause"}. A *FatalError fails the whole execution.
	Caught(sc *Scope, c *Catcher, errOutput *jsonval.Object) (Exit, error)
	// Condition evaluates the top-level Choice rule r against eff. A rule
	// that cannot match (a JSONata rule without Condition) is false.
	Condition(sc *Scope, eff any, r *ChoiceRule) (bool, error)
	// Int evaluates an integer field against eff. ToleratedFailureCount
	// gives -1 when it is not set; other fields not set give their
	// static value (0 when absent).
	Int(sc *Scope, eff any, f Field) (int64, error)
	// Float evaluates a fractional field (ToleratedFailurePercentage); -1
	// when not set.
	Float(sc *Scope, eff any, f Field) (float64, error)
	// Wait returns when a Wait state ends.
	Wait(sc *Scope, eff any) (Due, error)
	// FailText returns a Fail state's Error and Cause.
	FailText(sc *Scope) (errName, cause string, err error)
	// Credentials evaluates a Task's Credentials; nil when absent.
	Credentials(sc *Scope, eff any) (any, error)
	// Items returns the items a Map state iterates over.
	Items(sc *Scope, eff any) ([]any, error)
	// HasItemSelector reports whether a Map state has an ItemSelector.
	HasItemSelector() bool
	// ItemSelector evaluates a Map's ItemSelector for one item: sc.Input
	// is the Map's effective input and sc.Context has Map.Item set.
	ItemSelector(sc *Scope) (any, error)
	// BatchInput evaluates a distributed Map's ItemBatcher BatchInput; nil
	// when absent.
	BatchInput(sc *Scope, eff any) (any, error)
	// MapIOArguments evaluates the Parameters (JSONPath) or Arguments
	// (JSONata) of a distributed Map's ItemReader or ResultWriter io
	// against eff; nil when it has none.
	MapIOArguments(sc *Scope, eff any, io *MapIO) (any, error)
}

// Field names a typed field that [Flow.Int] or [Flow.Float] evaluates.
type Field int

// The typed fields.
const (
	FieldTimeoutSeconds Field = iota + 1
	FieldHeartbeatSeconds
	FieldMaxConcurrency
	FieldToleratedFailureCount
	FieldToleratedFailurePercentage
	FieldMaxItemsPerBatch
	FieldMaxInputBytesPerBatch
	FieldMaxItems // an ItemReader's ReaderConfig MaxItems
)

var fieldNames = [...]string{
	FieldTimeoutSeconds:             "TimeoutSeconds",
	FieldHeartbeatSeconds:           "HeartbeatSeconds",
	FieldMaxConcurrency:             "MaxConcurrency",
	FieldToleratedFailureCount:      "ToleratedFailureCount",
	FieldToleratedFailurePercentage: "ToleratedFailurePercentage",
	FieldMaxItemsPerBatch:           "MaxItemsPerBatch",
	FieldMaxInputBytesPerBatch:      "MaxInputBytesPerBatch",
}

// String returns the field's ASL name.
func (f Field) String() string {
	if f > 0 && int(f) < len(fieldNames) {
		return fieldNames[f]
	}
	return "Field(" + strconv.Itoa(int(f)) + ")"
}

// intField returns the integer field f of s.
func (s *State) intField(f Field) IntField {
	switch f {
	case FieldTimeoutSeconds:
		return s.Task.TimeoutSeconds
	case FieldHeartbeatSeconds:
		return s.Task.HeartbeatSeconds
	case FieldMaxConcurrency:
		return s.Map.MaxConcurrency
	case FieldToleratedFailureCount:
		return s.Map.ToleratedFailureCount
	case FieldMaxItemsPerBatch:
		return s.Map.Batcher.MaxItemsPerBatch
	case FieldMaxInputBytesPerBatch:
		return s.Map.Batcher.MaxInputBytesPerBatch
	case FieldMaxItems:
		if s.Map.Reader == nil {
			return IntField{}
		}
		return s.Map.Reader.MaxItems
	}
	return IntField{}
}

// Exit is how a state ends: its output, the variables it assigned (nil
// when none) and the variable scope after them.
type Exit struct {
	Output   any
	Assigned *jsonval.Object
	Vars     *dataflow.Vars
}

// Due is when a Wait state ends: At when Absolute, else Seconds after it
// started waiting.
type Due struct {
	Seconds  int64
	At       time.Time
	Absolute bool
}

// FatalError is a failure that ends the whole execution rather than the
// state: a Catcher's ResultPath that cannot place the error output.
type FatalError struct{ Err error }

func (e *FatalError) Error() string { return e.Err.Error() }

// Unwrap returns the failure.
func (e *FatalError) Unwrap() error { return e.Err }

// Scope is what a state's data-flow fields are evaluated with. The engine
// fills the exported fields before the first evaluation and does not
// change them after; a Scope may then serve several evaluations of one
// state. It is not safe for concurrent use.
type Scope struct {
	// Input is the state's raw input (for a Map's ItemSelector, the Map's
	// effective input).
	Input any
	// Now is the step's time ($now() in JSONata).
	Now time.Time
	// Env holds the context object (a *jsonval.Object; nil when the state
	// does not read it, see [Flow.UsesContext]), the workflow variables in
	// scope and the random source; JSONPath fields are evaluated in it as
	// it is, so that evaluating allocates nothing.
	dataflow.Env
	// Probe, when set, is told the intermediate values of [Flow.Exit],
	// [Flow.Caught] and [Flow.Items] that the TestState action reports
	// (see [Stage]). Executions leave it nil.
	Probe func(stage Stage, v any)
	// jsonataEnv is the JSONata environment without result or
	// errorOutput, built on first use.
	jsonataEnv *dataflow.JSONataEnv
}

// Stage names an intermediate value of a state's data flow, as the
// TestState action's inspection data reports them.
type Stage int

// The stages. A [Scope]'s Probe is told of StageResultSelector,
// StageResultPath and StageItems; the engine's per-state step reports
// the others.
const (
	// StageInput: the effective input, after InputPath.
	StageInput Stage = iota + 1
	// StageArguments: after Parameters (JSONPath) or Arguments (JSONata).
	StageArguments
	// StageResult: the state's result (a Task's output, a Pass's Result).
	StageResult
	// StageResultSelector: the result after ResultSelector (JSONPath).
	StageResultSelector
	// StageResultPath: the output before OutputPath, after ResultPath
	// (JSONPath, the state's or a Catcher's).
	StageResultPath
	// StageItems: what a Map's ItemsPath (or Items) selected, before it
	// is checked to be an array.
	StageItems
	// StageItemSelector: a Map's items after ItemSelector.
	StageItemSelector
	// StageItemBatcher: a Map's batches after ItemBatcher.
	StageItemBatcher
	// StageMaxConcurrency, StageToleratedFailureCount and
	// StageToleratedFailurePercentage: a Map's evaluated limits (int64,
	// int64 and float64; -1 when not set).
	StageMaxConcurrency
	StageToleratedFailureCount
	StageToleratedFailurePercentage
)

// Report tells sc's Probe, if any, of v: the Flow reports its intermediate
// values with it, and the engine the ones it computes itself.
func (sc *Scope) Report(stage Stage, v any) {
	if sc.Probe != nil {
		sc.Probe(stage, v)
	}
}

// Reset makes sc the scope of a state with the given raw input, time,
// variables and random source, and no context object. It writes the
// fields one by one, which costs less than assigning a whole Scope, in
// the engine's hot path.
func (sc *Scope) Reset(input any, now time.Time, vars *dataflow.Vars, rand func() uint64) {
	sc.Input = input
	sc.Now = now
	sc.Vars = vars
	sc.Rand = rand
	sc.Context = nil
	sc.Probe = nil
	sc.jsonataEnv = nil
}

// maxPayload is AWS's limit on a state's input, result and output.
const maxPayload = 256 * 1024

// errorDataLimitExceeded is the error of a result or output over
// maxPayload.
const errorDataLimitExceeded = "States.DataLimitExceeded"

// checkSize fails with States.DataLimitExceeded when v exceeds AWS's
// payload limit.
func checkSize(s *State, v any) error {
	if jsonval.Size(v) > maxPayload {
		return &dataflow.Failure{Name: errorDataLimitExceeded, Cause: fmt.Sprintf(
			"The state/task '%s' returned a result with a size exceeding the maximum number of bytes service limit.", s.Name)}
	}
	return nil
}

// newFlow compiles the data flow of s for its query language.
func newFlow(s *State) Flow {
	if s.QueryLanguage == JSONata {
		return &jsonataFlow{s: s}
	}
	return &jsonPathFlow{s: s, usesContext: usesContext(s)}
}

// runtimeError is a States.Runtime failure with a formatted cause.
func runtimeError(format string, args ...any) error {
	return &dataflow.Failure{Name: dataflow.ErrorRuntime, Cause: fmt.Sprintf(format, args...)}
}

// jsonText is v as JSON.
func jsonText(v any) string { return jsonval.MustMarshalString(v) }

// plainText shows a value in a cause as AWS does: strings bare, other
// values as JSON.
func plainText(v any) string {
	if s, ok := v.(string); ok {
		return s
	}
	return jsonText(v)
}

// parseTimestamp reads an RFC 3339 timestamp string.
func parseTimestamp(v any) (time.Time, bool) {
	s, ok := v.(string)
	if !ok {
		return time.Time{}, false
	}
	t, err := time.Parse(time.RFC3339Nano, s)
	return t, err == nil
}

// intValue reads an integer from a number or from a string holding one, as
// AWS does for the ...Path fields of a Map.
func intValue(v any) (int64, bool) {
	if s, ok := v.(string); ok {
		n, err := strconv.ParseInt(strings.TrimSpace(s), 10, 64)
		return n, err == nil
	}
	return jsonval.Int(v)
}

func floatValue(v any) (float64, bool) {
	if s, ok := v.(string); ok {
		f, err := strconv.ParseFloat(strings.TrimSpace(s), 64)
		return f, err == nil
	}
	return jsonval.Float(v)
}

func pathText(p *dataflow.Path) string {
	if p == nil {
		return "$"
	}
	return p.String()
}
