package asl

import (
	"stepwise/dataflow"
	"stepwise/jsonval"
	"stepwise/resource"
)

// QueryLanguage is the language a state's fields are written in.
type QueryLanguage string

// The two query languages of ASL.
const (
	JSONPath QueryLanguage = "JSONPath"
	JSONata  QueryLanguage = "JSONata"
)

// StateType is the Type field of a state.
type StateType string

// The state types of ASL.
const (
	TypePass     StateType = "Pass"
	TypeTask     StateType = "Task"
	TypeChoice   StateType = "Choice"
	TypeWait     StateType = "Wait"
	TypeSucceed  StateType = "Succeed"
	TypeFail     StateType = "Fail"
	TypeParallel StateType = "Parallel"
	TypeMap      StateType = "Map"
)

func (t StateType) String() string { return string(t) }

// StateMachine is a parsed, validated and compiled definition. It is
// immutable and safe to share between goroutines.
type StateMachine struct {
	Comment        string
	Version        string
	TimeoutSeconds int64 // 0 when not set
	QueryLanguage  QueryLanguage
	Program                          // StartAt and States of the top level
	Source         []byte            // the definition text it was parsed from
	byName         map[string]*State // every state of the machine, branches included
}

// Program is a set of states with a start: the top level of a state machine,
// a Parallel branch, or a Map's item processor.
type Program struct {
	StartAt string
	States  map[string]*State
	Order   []string // state names in definition order
	Comment string
}

// State returns the state of the whole machine (branches and processors
// included) with the given name; state names are unique machine-wide.
func (sm *StateMachine) State(name string) (*State, bool) {
	s, ok := sm.byName[name]
	return s, ok
}

// State is one state of a definition. Fields that a state's type or query
// language does not allow are left at their zero value; the type-specific
// fields are in the pointer for its Type.
type State struct {
	Name          string
	Type          StateType
	Comment       string
	QueryLanguage QueryLanguage // effective language: the state's own, else the machine's
	Location      string        // where it is in the definition, e.g. /States/Check

	Next string // empty for terminal states
	End  bool

	// JSONPath data flow.
	InputPath      PathField
	OutputPath     PathField
	Parameters     *Template // Parameters, or a Map's ItemSelector
	ResultSelector *Template
	ResultPath     ResultPathField
	Result         any  // Pass
	HasResult      bool // Pass: Result was given (it may be null)

	// JSONata data flow; nil when absent.
	Arguments *dataflow.JSONataTemplate // Task, Parallel
	Output    *dataflow.JSONataTemplate

	// Assign is the state's variable assignment (both languages); nil when absent.
	Assign *Assign

	Retry []Retrier
	Catch []Catcher

	// Flow is the state's data flow compiled for its query language; the
	// engine evaluates every field above through it.
	Flow Flow

	Task     *TaskFields
	Choice   *ChoiceFields
	Wait     *WaitFields
	Fail     *FailFields
	Parallel *ParallelFields
	Map      *MapFields
}

// PathField is an InputPath or OutputPath. Absent means "$"; null means the
// empty object {} takes the place of the selected data.
type PathField struct {
	Set  bool
	Null bool
	Path *dataflow.Path
}

// ResultPathField is a ResultPath. Absent means "$" (the result replaces
// the input); null means the result is discarded and the input kept.
type ResultPathField struct {
	Set  bool
	Null bool
	Path *dataflow.ReferencePath
}

// Template is a compiled payload template with its source.
type Template struct {
	Raw      any
	Compiled *dataflow.Template
	// JSONata is the compiled form in a JSONata state (Credentials).
	JSONata *dataflow.JSONataTemplate
}

// Assign is a state's or catcher's Assign block.
type Assign struct {
	Raw      any                       // the block as written; JSONata blocks are evaluated from it
	Compiled *dataflow.Template        // the JSONPath form; nil under JSONata
	JSONata  *dataflow.JSONataTemplate // the JSONata form; nil under JSONPath
}

// NumberField is a numeric field that may be given statically, through a
// ...Path field (JSONPath) or as a JSONata expression string.
type NumberField[T int64 | float64] struct {
	Set   bool
	Value T
	Path  *dataflow.Path            // from the ...Path form
	Expr  *dataflow.JSONataTemplate // a JSONata "{% ... %}" string
}

// IntField is an integral NumberField (TimeoutSeconds, MaxConcurrency, ...).
type IntField = NumberField[int64]

// FloatField is a NumberField that may be fractional
// (ToleratedFailurePercentage).
type FloatField = NumberField[float64]

// Retrier is one element of a Retry list.
type Retrier struct {
	ErrorEquals     []string
	IntervalSeconds int64   // default 1
	MaxAttempts     int64   // default 3
	BackoffRate     float64 // default 2.0
	MaxDelaySeconds int64   // 0 when not set
	JitterStrategy  string  // "FULL" or "NONE" (default)
}

// Catcher is one element of a Catch list.
type Catcher struct {
	ErrorEquals []string
	Next        string
	ResultPath  ResultPathField           // JSONPath
	Output      *dataflow.JSONataTemplate // JSONata; nil when absent
	Assign      *Assign
}

// TaskFields are the fields of a Task state.
type TaskFields struct {
	Resource string
	// ParsedResource is Resource parsed once, here, for the engine, the
	// service, the invokers and TestState to read; none of them splits
	// the ARN again.
	ParsedResource   resource.Resource
	Credentials      *Template // an object template; nil when absent
	TimeoutSeconds   IntField
	HeartbeatSeconds IntField
}

// ChoiceFields are the fields of a Choice state.
type ChoiceFields struct {
	Choices []*ChoiceRule
	Default string
}

// ChoiceRule is a Choice rule: a boolean combination (And, Or, Not), a
// comparison of Variable with one operator, or a JSONata Condition. Top-level
// rules carry Next (and optionally Assign and Output).
type ChoiceRule struct {
	And []*ChoiceRule
	Or  []*ChoiceRule
	Not *ChoiceRule

	Variable *dataflow.Path
	Operator string // e.g. "StringEquals", "NumericLessThanPath", "IsPresent"
	// Operand of the operator: a literal value, or a path for ...Path operators.
	Value       any
	OperandPath *dataflow.Path

	Condition *dataflow.JSONataTemplate // JSONata: an expression or a literal boolean

	Next     string
	Assign   *Assign
	Output   *dataflow.JSONataTemplate
	Comment  string
	Location string
}

// ItemBatcher groups a distributed Map's items into batches, each run by
// one child with {"Items": [...], "BatchInput": ...} as input.
type ItemBatcher struct {
	MaxItemsPerBatch      IntField // 0: no limit
	MaxInputBytesPerBatch IntField // 0: no limit
	BatchInput            *Template
	BatchInputJSONata     *dataflow.JSONataTemplate
}

// MapIO is a distributed Map's ItemReader or ResultWriter, compiled: the
// Resource it reads or writes with, its Parameters (JSONPath) or Arguments
// (JSONata), and its ReaderConfig or WriterConfig.
type MapIO struct {
	Resource   string // empty for a ResultWriter of a WriterConfig alone
	Parameters *Template
	Arguments  *dataflow.JSONataTemplate
	// Config is the ReaderConfig or WriterConfig as written; nil when
	// absent.
	Config *jsonval.Object
	// MaxItems is the ReaderConfig's MaxItems or MaxItemsPath.
	MaxItems IntField
}

// WaitFields are the fields of a Wait state: exactly one of the four forms.
type WaitFields struct {
	Seconds       IntField
	Timestamp     string                    // static RFC 3339 timestamp
	TimestampPath *dataflow.Path            // JSONPath
	TimestampExpr *dataflow.JSONataTemplate // JSONata
}

// FailFields are the fields of a Fail state.
type FailFields struct {
	Error, Cause         string
	ErrorPath, CausePath *dataflow.Path // JSONPath paths or intrinsic functions
	ErrorIntrinsic       *dataflow.Intrinsic
	CauseIntrinsic       *dataflow.Intrinsic
	ErrorExpr, CauseExpr *dataflow.JSONataTemplate // JSONata
	HasError, HasCause   bool
}

// ParallelFields are the fields of a Parallel state.
type ParallelFields struct {
	Branches []*Program
}

// ProcessorMode is a Map's ProcessorConfig.Mode.
type ProcessorMode string

// Map processing modes.
const (
	ModeInline      ProcessorMode = "INLINE"
	ModeDistributed ProcessorMode = "DISTRIBUTED"
)

// MapFields are the fields of a Map state.
type MapFields struct {
	Processor                  *Program
	Mode                       ProcessorMode
	ExecutionType              string // STANDARD or EXPRESS, for DISTRIBUTED
	ItemsPath                  PathField
	Items                      *dataflow.JSONataTemplate // JSONata: an expression or a literal array; nil when absent
	ItemSelector               *Template                 // ItemSelector or the legacy Parameters (JSONPath)
	ItemSelectorJSONata        *dataflow.JSONataTemplate
	ItemReader                 any          // as written
	Reader                     *MapIO       // compiled; nil without ItemReader
	ItemBatcher                any          // as written
	Batcher                    *ItemBatcher // compiled; nil without ItemBatcher
	ResultWriter               any          // as written
	Writer                     *MapIO       // compiled; nil without ResultWriter
	MaxConcurrency             IntField
	ToleratedFailurePercentage FloatField
	ToleratedFailureCount      IntField
	Label                      string
}
