package teststate

import (
	"strings"
	"time"

	"stepwise/asl"
	"stepwise/dataflow"
	"stepwise/engine"
	"stepwise/jsonval"
	"stepwise/tasks/resultmodel"
)

// DefaultStateName is the name a single-state definition is tested
// under: AWS reports it as $$.State.Name.
const DefaultStateName = "StateName"

// Environment is what a test takes from outside: the clock, a random
// source and the names of the stand-in execution its context object
// reports.
type Environment struct {
	// Now is the test's start time: $$.Execution.StartTime,
	// $$.State.EnteredTime and JSONata's $now().
	Now time.Time
	// Rand feeds States.UUID, $uuid() and $random(); nil makes them fail
	// as they do without a random source.
	Rand func() uint64
	// TaskToken is the token a Task state with a token gets
	// ($$.Task.Token): a secret the caller draws from crypto/rand, never
	// from Rand, whose outputs a test can see.
	TaskToken string
	// Region and Account go into the context object's ARNs.
	Region, Account string
	// StateMachineName and ExecutionName name the stand-in execution.
	StateMachineName, ExecutionName string
}

// Test is one prepared TestState request. It is used once, by one
// goroutine: call [Test.Start], and [Test.Finish] when Start asks for a
// task.
type Test struct {
	state      *asl.State
	level      InspectionLevel
	input      any
	vars       *dataflow.Vars
	ctx        *jsonval.Object
	mock       *Mock
	mockResult any
	cfg        Configuration
	env        Environment
	token      string
	insp       InspectionData

	step    *engine.StateStep
	pending *Invocation // a Task's invocation
	// items is what a JSONPath Map's ItemsPath selected, once itemsSeen.
	items     any
	itemsSeen bool
}

// Prepare checks a request and compiles the state it tests. A refused
// request gives an *[Error] with AWS's error type and message:
// InvalidDefinition for a definition that does not parse or a state the
// action cannot test, InvalidExecutionInput for input that is not JSON,
// ValidationException for the rest. Prepare is safe for concurrent use;
// the Test it returns is not.
func Prepare(req Request, env Environment) (*Test, error) {
	t := &Test{env: env, mock: req.Mock}
	if req.Configuration != nil {
		t.cfg = *req.Configuration
	}
	if t.cfg.RetrierRetryCount < 0 || t.cfg.MapIterationFailureCount < 0 {
		return nil, errorf(CodeValidation, "1 validation error detected: Value at 'stateConfiguration' failed to satisfy constraint: Member must have value greater than or equal to 0")
	}
	switch req.InspectionLevel {
	case "":
		t.level = LevelInfo
	case LevelInfo, LevelDebug, LevelTrace:
		t.level = req.InspectionLevel
	default:
		return nil, errorf(CodeValidation, "1 validation error detected: Value '%s' at 'inspectionLevel' failed to satisfy constraint: Member must satisfy enum value set: [INFO, DEBUG, TRACE]", req.InspectionLevel)
	}
	s, inMap, err := parseState(req.Definition, req.StateName)
	if err != nil {
		return nil, err
	}
	t.state = s
	if err := t.checkMock(req); err != nil {
		return nil, err
	}
	text := req.Input
	if strings.TrimSpace(text) == "" {
		text = "{}"
	}
	if t.input, err = jsonval.ParseString(text); err != nil {
		return nil, errorf(CodeInvalidExecutionInput, "Invalid State Machine Execution Input: '%v'", err)
	}
	// AWS shows the input as it was sent.
	t.insp.Input = &text
	t.vars = dataflow.NewVars(nil)
	if strings.TrimSpace(req.Variables) != "" {
		v, err := jsonval.ParseString(req.Variables)
		obj, ok := v.(*jsonval.Object)
		if err != nil || !ok {
			return nil, errorf(CodeValidation, "Invalid variables provided: variables must be a JSON object")
		}
		if t.vars, err = t.vars.Assign(obj); err != nil {
			return nil, errorf(CodeValidation, "Invalid variables provided: %v", err)
		}
	}
	if engine.UsesToken(s) {
		t.token = env.TaskToken
	}
	if t.ctx, err = t.requestContext(req.RoleARN, req.Context); err != nil {
		return nil, err
	}
	if req.Context == "" && inMap {
		// A state of a Map's item processor sees the first item, as AWS
		// fills in the context object of such a state.
		t.ctx = engine.ContextWithMapItem(t.ctx, 0, t.input)
	}
	if t.cfg.RetrierRetryCount == 0 {
		// AWS also takes the retry count from the context object.
		st, _ := field(t.ctx, "State").(*jsonval.Object)
		if n, ok := jsonval.Int(field(st, "RetryCount")); ok && n > 0 {
			t.cfg.RetrierRetryCount = n
		}
	}
	return t, nil
}

// parseState returns the state a request tests, and whether it is a state
// of a Map's item processor. A single state is parsed as the only state of
// a machine, with a Succeed state standing in for each state it may go
// to, so that asl checks it as it checks any definition.
func parseState(def, name string) (*asl.State, bool, error) {
	if name != "" {
		sm, err := asl.Parse([]byte(def))
		if err != nil {
			return nil, false, invalidDefinition(err)
		}
		s, ok := sm.State(name)
		if !ok {
			return nil, false, errorf(CodeValidation, "State not found in definition")
		}
		_, mapped := findState(&sm.Program, name, false)
		return s, mapped, nil
	}
	v, _ := jsonval.ParseString(def)
	obj, ok := v.(*jsonval.Object)
	if !ok {
		// asl refuses a definition that is no JSON object as AWS words it.
		_, err := asl.Parse([]byte(def))
		return nil, false, invalidDefinition(err)
	}
	states := jsonval.NewObject(4)
	states.Set(DefaultStateName, obj)
	stub := func(o *jsonval.Object, k string) {
		if next, ok := field(o, k).(string); ok && next != "" && !states.Has(next) {
			succeed := jsonval.NewObject(1)
			succeed.Set("Type", "Succeed")
			states.Set(next, succeed)
		}
	}
	// The states it may go to: Next, Default, each Choice rule's Next and
	// each Catcher's Next.
	stub(obj, "Next")
	stub(obj, "Default")
	for _, list := range []string{"Choices", "Catch"} {
		items, _ := field(obj, list).([]any)
		for _, it := range items {
			o, _ := it.(*jsonval.Object)
			stub(o, "Next")
		}
	}
	machine := jsonval.NewObject(2)
	machine.Set("StartAt", DefaultStateName)
	machine.Set("States", states)
	text, err := jsonval.Marshal(machine)
	if err != nil {
		return nil, false, invalidDefinition(err)
	}
	sm, err := asl.Parse(text)
	if err != nil {
		return nil, false, invalidDefinition(err)
	}
	s, _ := sm.State(DefaultStateName)
	return s, false, nil
}

// findState reports whether the state name is in p or nested in it, and
// whether it is then in a Map's item processor; mapped says whether p
// itself is one.
func findState(p *asl.Program, name string, mapped bool) (found, inMap bool) {
	if p == nil {
		return false, false
	}
	if _, ok := p.States[name]; ok {
		return true, mapped
	}
	for _, s := range p.States {
		if s.Map != nil {
			if found, inMap = findState(s.Map.Processor, name, true); found {
				return found, inMap
			}
		}
		if s.Parallel != nil {
			for _, b := range s.Parallel.Branches {
				if found, inMap = findState(b, name, mapped); found {
					return found, inMap
				}
			}
		}
	}
	return false, false
}

// field is member k of o; nil when o is nil or has no k.
func field(o *jsonval.Object, k string) any {
	v, _ := o.Get(k)
	return v
}

func invalidDefinition(err error) *Error {
	msg := "Invalid State Machine Definition"
	if err != nil {
		msg = err.Error()
	}
	return &Error{Code: CodeInvalidDefinition, Message: msg}
}

// checkMock applies AWS's rules on which states take a mock and which
// need one.
func (t *Test) checkMock(req Request) error {
	s := t.state
	m := req.Mock
	if m == nil {
		switch {
		case s.Type == asl.TypeMap || s.Type == asl.TypeParallel:
			return errorf(CodeInvalidDefinition, "TestState API does not support Map or Parallel states. Supported state types include: [Task, Wait, Pass, Succeed, Fail, Choice]")
		case s.Type == asl.TypeTask && s.Task.ParsedResource.UsesToken():
			// AWS documents a validation exception here; the wording is
			// ours.
			return errorf(CodeValidation, "TestState API does not support Activity tasks or the '.sync' and '.waitForTaskToken' integration patterns without a mock")
		}
		return nil
	}
	if s.Type != asl.TypeTask && s.Type != asl.TypeMap && s.Type != asl.TypeParallel {
		return errorf(CodeValidation, "State type '%s' is not supported when a mock is specified", s.Type)
	}
	if req.RevealSecrets {
		return errorf(CodeValidation, "TestState does not support RevealSecrets when a mock is specified.")
	}
	if m.HasResult == (m.ErrorOutput != nil) {
		return errorf(CodeValidation, "A test mock should have only one of the following fields: [result, errorOutput].")
	}
	switch m.FieldValidationMode {
	case "", resultmodel.Strict, resultmodel.Present, resultmodel.None:
	default:
		return errorf(CodeValidation, "1 validation error detected: Value '%s' at 'mock.fieldValidationMode' failed to satisfy constraint: Member must satisfy enum value set: [STRICT, PRESENT, NONE]", m.FieldValidationMode)
	}
	if m.ErrorOutput != nil {
		return t.checkErrorCausedBy()
	}
	v, err := jsonval.ParseString(m.Result)
	if err != nil {
		return errorf(CodeValidation, "Mocked result must be valid JSON")
	}
	t.mockResult = v
	switch s.Type {
	case asl.TypeTask:
		if err := resultmodel.Check(s.Task.ParsedResource, m.FieldValidationMode, v); err != nil {
			return errorf(CodeValidation, "%s", err)
		}
	case asl.TypeMap:
		if s.Map.ResultWriter != nil {
			if _, ok := v.(*jsonval.Object); !ok {
				return errorf(CodeValidation, "Mocked result must be a JSON object.")
			}
		} else if _, ok := v.([]any); !ok {
			return errorf(CodeValidation, "Mocked result must be an array.")
		}
	case asl.TypeParallel:
		list, ok := v.([]any)
		if !ok {
			return errorf(CodeValidation, "Mocked result must be an array.")
		}
		if len(list) != len(s.Parallel.Branches) {
			return errorf(CodeValidation, "Mocked result must contain the same number of items as number of Parallel branches.")
		}
	}
	return nil
}

// checkErrorCausedBy checks that stateConfiguration.errorCausedByState
// names a state inside the tested Map or Parallel.
func (t *Test) checkErrorCausedBy() error {
	name := t.cfg.ErrorCausedByState
	if name == "" {
		return nil
	}
	var progs []*asl.Program
	switch t.state.Type {
	case asl.TypeMap:
		progs = []*asl.Program{t.state.Map.Processor}
	case asl.TypeParallel:
		progs = t.state.Parallel.Branches
	default:
		return errorf(CodeValidation, "stateConfiguration.errorCausedByState can only be specified for Map or Parallel states")
	}
	for _, p := range progs {
		if found, _ := findState(p, name, false); found {
			return nil
		}
	}
	return errorf(CodeValidation, "State '%s' specified in stateConfiguration.errorCausedByState does not exist in the state '%s'", name, t.state.Name)
}
