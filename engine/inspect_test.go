package engine_test

import (
	"testing"
	"time"

	"stepwise/asl"
	"stepwise/dataflow"
	"stepwise/engine"
	"stepwise/engine/enginetest"
	"stepwise/jsonval"
)

// stepState parses def, a machine whose first state is S, and returns S.
func stepState(t *testing.T, def string) (*asl.StateMachine, *asl.State) {
	t.Helper()
	sm, err := asl.Parse([]byte(def))
	if err != nil {
		t.Fatal(err)
	}
	s, _ := sm.State("S")
	return sm, s
}

// TestStateStepMatchesExecution checks that a state evaluated on its own
// (the TestState action's step) gives the output an execution gives,
// for each state type and query language: both run the same rules.
// Tasks answer with their input, Map iterations and Parallel branches
// are Pass states, so the step's work is answered the same way.
func TestStateStepMatchesExecution(t *testing.T) {
	tests := []struct{ name, def, input string }{
		{"Pass", `{"StartAt":"S","States":{"S":{"Type":"Pass","InputPath":"$.a","Parameters":{"x.$":"$.b"},"ResultPath":"$.r","OutputPath":"$.r","End":true}}}`, `{"a":{"b":1}}`},
		{"JSONata Pass", `{"QueryLanguage":"JSONata","StartAt":"S","States":{"S":{"Type":"Pass","Assign":{"v":"{% $states.input.n %}"},"Output":{"d":"{% $states.input.n * 2 %}"},"End":true}}}`, `{"n":4}`},
		{"Task", `{"StartAt":"S","States":{"S":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke","Parameters":{"FunctionName":"f","Payload.$":"$"},"ResultSelector":{"p.$":"$.Payload"},"ResultPath":"$.out","End":true}}}`, `{"k":"v"}`},
		{"Choice", `{"StartAt":"S","States":{"S":{"Type":"Choice","Choices":[{"Variable":"$.n","NumericGreaterThan":1,"Next":"A"}],"Default":"A","OutputPath":"$.n"},"A":{"Type":"Succeed"}}}`, `{"n":2}`},
		// An execution's cause names the state's entered event, which a
		// state on its own has not: the catcher passes on the error only.
		{"Catch", `{"QueryLanguage":"JSONata","StartAt":"S","States":{"S":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke","Arguments":{"FunctionName":"{% $number('x') %}"},"End":true,
			"Catch":[{"ErrorEquals":["States.ALL"],"Output":{"e":"{% $states.errorOutput.Error %}"},"Next":"A"}]},"A":{"Type":"Succeed"}}}`, `{"k":1}`},
		{"Map", `{"StartAt":"S","States":{"S":{"Type":"Map","ItemsPath":"$.xs","ItemSelector":{"v.$":"$$.Map.Item.Value","t.$":"$.tag"},"End":true,
			"ItemProcessor":{"StartAt":"P","States":{"P":{"Type":"Pass","End":true}}}}}}`, `{"xs":[1,2],"tag":"t"}`},
		{"Parallel", `{"StartAt":"S","States":{"S":{"Type":"Parallel","Parameters":{"x.$":"$.x"},"ResultPath":"$.r","End":true,"Branches":[
			{"StartAt":"A","States":{"A":{"Type":"Pass","End":true}}},{"StartAt":"B","States":{"B":{"Type":"Pass","End":true}}}]}}}`, `{"x":1}`},
	}
	start := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			sm, s := stepState(t, tt.def)
			exec := testExecution(tt.input)
			res, err := enginetest.Run(engine.NewMachine(sm, engine.Options{}), exec, 7, start, answers(nil))
			if err != nil {
				t.Fatal(err)
			}
			if res.State.Status != engine.StatusSucceeded {
				t.Fatalf("execution %s: %s %s", res.State.Status, res.State.Error, res.State.Cause)
			}
			p := engine.NewStateStep(s, engine.StepInput{Input: exec.Input, Vars: dataflow.NewVars(nil),
				Context: engine.ContextObject(exec, s, start, 0, ""), Now: start})
			out, work := p.Start()
			if work != nil {
				switch {
				case work.Invocation != nil:
					out = p.Finish(work.Invocation.Input)
				case s.Type == asl.TypeMap:
					out = p.Finish(work.Items)
				default:
					out = p.Finish([]any{work.Input, work.Input})
				}
			}
			if out.Error != "" && !out.Caught {
				t.Fatalf("step failed: %s %s", out.Error, out.Cause)
			}
			if !jsonval.Equal(out.Output, res.State.Output) {
				t.Errorf("step output %s, execution output %s", jsonval.MustMarshalString(out.Output), jsonval.MustMarshalString(res.State.Output))
			}
		})
	}
}

// TestStateStepInspects checks what the step reports of a JSONPath Task,
// in AWS's order, and what Retry and Catch make of an error given the
// retries already used (ASL spec, "Retrying after error").
func TestStateStepInspects(t *testing.T) {
	_, s := stepState(t, `{"StartAt":"S","States":{"S":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke",
		"InputPath":"$.in","Parameters":{"FunctionName":"f","Payload.$":"$"},"ResultSelector":{"p.$":"$.Payload"},"ResultPath":"$.r","End":true,
		"Retry":[{"ErrorEquals":["E"],"IntervalSeconds":2,"BackoffRate":3,"MaxAttempts":2}],"Catch":[{"ErrorEquals":["E"],"Next":"H"}]},"H":{"Type":"Succeed"}}}`)
	input, _ := jsonval.ParseString(`{"in":{"a":1}}`)
	var stages []asl.Stage
	step := func(retries int64) *engine.StateStep {
		stages = nil
		return engine.NewStateStep(s, engine.StepInput{Input: input, Vars: dataflow.NewVars(nil), RetryCount: retries,
			Inspect: func(st asl.Stage, v any) { stages = append(stages, st) }})
	}
	p := step(0)
	if out, work := p.Start(); out != nil || work.Invocation == nil || jsonval.MustMarshalString(work.Invocation.Input) != `{"FunctionName":"f","Payload":{"a":1}}` {
		t.Fatalf("Start = %+v, %+v", out, work)
	}
	out := p.Finish(jsonval.FromGo(map[string]any{"Payload": 5}))
	want := []asl.Stage{asl.StageInput, asl.StageArguments, asl.StageResult, asl.StageResultSelector, asl.StageResultPath}
	if jsonval.MustMarshalString(out.Output) != `{"in":{"a":1},"r":{"p":5}}` || len(stages) != len(want) {
		t.Fatalf("output %s, stages %v, want %v", jsonval.MustMarshalString(out.Output), stages, want)
	}
	for i := range want {
		if stages[i] != want[i] {
			t.Errorf("stage %d = %d, want %d", i, stages[i], want[i])
		}
	}
	for _, tt := range []struct {
		retries        int64
		retrier, catch int
		delay          float64
		caught         bool
	}{{0, 0, -1, 2, false}, {1, 0, -1, 6, false}, {2, -1, 0, 0, true}} {
		p := step(tt.retries)
		p.Start()
		out := p.Fail("E", "c")
		if out.Retrier != tt.retrier || out.Catcher != tt.catch || out.RetryDelay != tt.delay || out.Caught != tt.caught {
			t.Errorf("after %d retries: %+v", tt.retries, out)
		}
	}
}
