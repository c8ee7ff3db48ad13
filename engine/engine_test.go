package engine_test

import (
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"stepwise/asl"
	"stepwise/engine"
	"stepwise/engine/enginetest"
	"stepwise/jsonval"
)

var start = time.Date(2024, 5, 1, 12, 0, 0, 0, time.UTC)

func testExecution(input string) engine.Execution {
	in, err := jsonval.ParseString(input)
	if err != nil {
		panic(err)
	}
	return engine.Execution{
		ARN:              "arn:aws:states:us-east-1:123456789012:execution:sm:e1",
		Name:             "e1",
		StateMachineARN:  "arn:aws:states:us-east-1:123456789012:stateMachine:sm",
		StateMachineName: "sm",
		RoleARN:          "arn:aws:iam::123456789012:role/r",
		Region:           "us-east-1",
		Input:            in,
	}
}

// answers returns tasks' outcomes in order, per state name.
func answers(byState map[string][]engine.Event) enginetest.Answer {
	calls := map[string]int{}
	return func(inv *engine.Invocation) []engine.Event {
		list := byState[inv.StateName]
		n := calls[inv.StateName]
		calls[inv.StateName]++
		if n >= len(list) {
			return []engine.Event{{Kind: engine.TaskSucceeded, Output: inv.Input}}
		}
		if list[n].Kind == 0 {
			return nil // never answers
		}
		return []engine.Event{list[n]}
	}
}

func ok(v string) engine.Event {
	out, err := jsonval.ParseString(v)
	if err != nil {
		panic(err)
	}
	return engine.Event{Kind: engine.TaskSucceeded, Output: out}
}

func fail(name, cause string) engine.Event {
	return engine.Event{Kind: engine.TaskFailed, Error: name, Cause: cause}
}

var hang = engine.Event{}

const lambda = "arn:aws:lambda:us-east-1:123456789012:function:f"

// TestStates runs one small machine per rule and checks the outcome and the
// sequence of history event types (ASL specification and AWS's recordings).
func TestStates(t *testing.T) {
	tests := []struct {
		name    string
		def     string
		input   string
		answers map[string][]engine.Event
		status  engine.Status
		output  string // when SUCCEEDED
		err     string // when not
		cause   string // a substring of the cause
		events  string // space-separated event types; empty: not checked
	}{
		{
			name: "pass result path",
			def:  `{"StartAt":"P","States":{"P":{"Type":"Pass","Result":{"x":1},"ResultPath":"$.r","End":true}}}`, input: `{"a":1}`,
			status: engine.StatusSucceeded, output: `{"a":1,"r":{"x":1}}`,
			events: "ExecutionStarted PassStateEntered PassStateExited ExecutionSucceeded",
		},
		{
			name: "input path null gives empty object",
			def:  `{"StartAt":"P","States":{"P":{"Type":"Pass","InputPath":null,"End":true}}}`, input: `{"a":1}`,
			status: engine.StatusSucceeded, output: `{}`,
		},
		{
			name: "input path selecting nothing is States.Runtime",
			def:  `{"StartAt":"P","States":{"P":{"Type":"Pass","InputPath":"$.missing","End":true}}}`, input: `{}`,
			status: engine.StatusFailed, err: "States.Runtime", cause: "entered at the event id #2",
		},
		{
			name: "choice picks a rule and default",
			def: `{"StartAt":"C","States":{"C":{"Type":"Choice","Choices":[
				{"And":[{"Variable":"$.n","NumericGreaterThan":1},{"Not":{"Variable":"$.s","StringMatches":"a*"}}],"Next":"Big"}],"Default":"Small"},
				"Big":{"Type":"Pass","Result":"big","End":true},"Small":{"Type":"Pass","Result":"small","End":true}}}`,
			input: `{"n":2,"s":"bc"}`, status: engine.StatusSucceeded, output: `"big"`,
			events: "ExecutionStarted ChoiceStateEntered ChoiceStateExited PassStateEntered PassStateExited ExecutionSucceeded",
		},
		{
			name:  "choice without match and default",
			def:   `{"StartAt":"C","States":{"C":{"Type":"Choice","Choices":[{"Variable":"$.n","NumericEquals":1,"Next":"D"}]},"D":{"Type":"Succeed"}}}`,
			input: `{"n":2}`, status: engine.StatusFailed, err: "States.NoChoiceMatched",
		},
		{
			name:  "wait then succeed",
			def:   `{"StartAt":"W","States":{"W":{"Type":"Wait","Seconds":3600,"Next":"S"},"S":{"Type":"Succeed"}}}`,
			input: `{"k":true}`, status: engine.StatusSucceeded, output: `{"k":true}`,
			events: "ExecutionStarted WaitStateEntered WaitStateExited SucceedStateEntered SucceedStateExited ExecutionSucceeded",
		},
		{
			name:  "fail with paths",
			def:   `{"StartAt":"F","States":{"F":{"Type":"Fail","ErrorPath":"$.e","CausePath":"States.Format('because {}', $.c)"}}}`,
			input: `{"e":"Oops","c":"x"}`, status: engine.StatusFailed, err: "Oops", cause: "because x",
			events: "ExecutionStarted FailStateEntered ExecutionFailed",
		},
		{
			name:  "task result selector and result path",
			def:   `{"StartAt":"T","States":{"T":{"Type":"Task","Resource":"` + lambda + `","ResultSelector":{"v.$":"$.value"},"ResultPath":"$.r","End":true}}}`,
			input: `{"a":1}`, answers: map[string][]engine.Event{"T": {ok(`{"value":7}`)}},
			status: engine.StatusSucceeded, output: `{"a":1,"r":{"v":7}}`,
			events: "ExecutionStarted TaskStateEntered LambdaFunctionScheduled LambdaFunctionStarted LambdaFunctionSucceeded TaskStateExited ExecutionSucceeded",
		},
		{
			name: "apigateway:invoke with multi-value headers starts",
			def: `{"StartAt":"A","States":{"A":{"Type":"Task","Resource":"arn:aws:states:::apigateway:invoke","Parameters":
				{"ApiEndpoint":"abc.execute-api.us-east-1.amazonaws.com","Method":"GET","Headers":{"h":["a","b"]},"QueryParameters":{"q":["1"]}},"End":true}}}`,
			input: `{}`, answers: map[string][]engine.Event{"A": {ok(`{"StatusCode":200}`)}},
			status: engine.StatusSucceeded, output: `{"StatusCode":200}`,
			events: "ExecutionStarted TaskStateEntered TaskScheduled TaskStarted TaskSucceeded TaskStateExited ExecutionSucceeded",
		},
		{
			name: "apigateway:invoke with a single string header cannot start, nor be caught",
			def: `{"StartAt":"A","States":{"A":{"Type":"Task","Resource":"arn:aws:states:::apigateway:invoke","Parameters":
				{"ApiEndpoint":"abc.execute-api.us-east-1.amazonaws.com","Method":"GET","Headers":{"h":"a"}},
				"Catch":[{"ErrorEquals":["States.ALL"],"Next":"C"}],"End":true},"C":{"Type":"Succeed"}}}`,
			input: `{}`, status: engine.StatusFailed, err: "States.Runtime",
			cause:  "could not be used to start the Task: [The value of the field 'Headers' has an invalid format]",
			events: "ExecutionStarted TaskStateEntered ExecutionFailed",
		},
		{
			name: "apigateway:invoke.waitForTaskToken lists every problem",
			def: `{"StartAt":"A","States":{"A":{"Type":"Task","Resource":"arn:aws:states:::apigateway:invoke.waitForTaskToken","Parameters":
				{"Method":"FETCH","QueryParameters":{"q":[1]}},"End":true}}}`,
			input: `{}`, status: engine.StatusFailed, err: "States.Runtime",
			cause: "[The field 'ApiEndpoint' is required but was missing, The value of the field 'Method' has an invalid format, The value of the field 'QueryParameters' has an invalid format]",
		},
		{
			name: "retry then succeed",
			def: `{"StartAt":"T","States":{"T":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke",
				"Retry":[{"ErrorEquals":["Boom"],"MaxAttempts":2,"IntervalSeconds":1}],"End":true}}}`,
			input: `{}`, answers: map[string][]engine.Event{"T": {fail("Boom", "1"), fail("Boom", "2"), ok(`"done"`)}},
			status: engine.StatusSucceeded, output: `"done"`,
			events: "ExecutionStarted TaskStateEntered TaskScheduled TaskStarted TaskFailed TaskScheduled TaskStarted TaskFailed TaskScheduled TaskStarted TaskSucceeded TaskStateExited ExecutionSucceeded",
		},
		{
			name: "retries exhausted then caught",
			def: `{"StartAt":"T","States":{"T":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke",
				"Retry":[{"ErrorEquals":["Boom"],"MaxAttempts":1}],"Catch":[{"ErrorEquals":["States.ALL"],"ResultPath":"$.err","Next":"H"}],"End":true},
				"H":{"Type":"Pass","End":true}}}`,
			input: `{"a":1}`, answers: map[string][]engine.Event{"T": {fail("Boom", "1"), fail("Boom", "2")}},
			status: engine.StatusSucceeded, output: `{"a":1,"err":{"Error":"Boom","Cause":"2"}}`,
		},
		{
			name: "MaxAttempts 0 never retries; TaskFailed matches other errors",
			def: `{"StartAt":"T","States":{"T":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke",
				"Retry":[{"ErrorEquals":["Boom"],"MaxAttempts":0}],"Catch":[{"ErrorEquals":["States.TaskFailed"],"Next":"H"}],"End":true},
				"H":{"Type":"Pass","End":true}}}`,
			input: `{}`, answers: map[string][]engine.Event{"T": {fail("Boom", "x")}},
			status: engine.StatusSucceeded, output: `{"Error":"Boom","Cause":"x"}`,
		},
		{
			name: "TaskFailed does not match States.Timeout",
			def: `{"StartAt":"T","States":{"T":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke","TimeoutSeconds":5,
				"Catch":[{"ErrorEquals":["States.TaskFailed"],"Next":"H"}],"End":true},"H":{"Type":"Pass","End":true}}}`,
			input: `{}`, answers: map[string][]engine.Event{"T": {hang}},
			status: engine.StatusFailed, err: "States.Timeout",
			events: "ExecutionStarted TaskStateEntered TaskScheduled TaskStarted TaskTimedOut ExecutionFailed",
		},
		{
			name:  "runtime errors are not caught",
			def:   `{"StartAt":"T","States":{"T":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke","OutputPath":"$.nope","Catch":[{"ErrorEquals":["States.ALL"],"Next":"H"}],"End":true},"H":{"Type":"Pass","End":true}}}`,
			input: `{}`, answers: map[string][]engine.Event{"T": {ok(`{}`)}},
			status: engine.StatusFailed, err: "States.Runtime",
		},
		{
			name: "parallel outputs in branch order",
			def: `{"StartAt":"P","States":{"P":{"Type":"Parallel","End":true,"Branches":[
				{"StartAt":"A","States":{"A":{"Type":"Pass","Result":1,"End":true}}},
				{"StartAt":"B","States":{"B":{"Type":"Wait","Seconds":1,"Next":"B2"},"B2":{"Type":"Pass","Result":2,"End":true}}}]}}}`,
			input: `{}`, status: engine.StatusSucceeded, output: `[1,2]`,
		},
		{
			name: "parallel branch failure fails the state",
			def: `{"StartAt":"P","States":{"P":{"Type":"Parallel","End":true,"Branches":[
				{"StartAt":"A","States":{"A":{"Type":"Fail","Error":"E1","Cause":"c1"}}},
				{"StartAt":"B","States":{"B":{"Type":"Pass","End":true}}}]}}}`,
			input: `{}`, status: engine.StatusFailed, err: "E1", cause: "c1",
		},
		{
			name: "inline map with item selector and context",
			def: `{"StartAt":"M","States":{"M":{"Type":"Map","ItemsPath":"$.xs","MaxConcurrency":2,
				"ItemSelector":{"i.$":"$$.Map.Item.Index","v.$":"$$.Map.Item.Value","k.$":"$.k"},
				"ItemProcessor":{"StartAt":"P","States":{"P":{"Type":"Pass","End":true}}},"End":true}}}`,
			input: `{"xs":["a","b"],"k":9}`, status: engine.StatusSucceeded,
			output: `[{"i":0,"v":"a","k":9},{"i":1,"v":"b","k":9}]`,
			events: "ExecutionStarted MapStateEntered MapStateStarted MapIterationStarted PassStateEntered PassStateExited MapIterationSucceeded MapIterationStarted PassStateEntered PassStateExited MapIterationSucceeded MapStateSucceeded MapStateExited ExecutionSucceeded",
		},
		{
			name: "distributed map tolerates failures",
			def: `{"StartAt":"M","States":{"M":{"Type":"Map","ToleratedFailureCount":1,
				"ItemProcessor":{"ProcessorConfig":{"Mode":"DISTRIBUTED","ExecutionType":"STANDARD"},"StartAt":"C","States":{
					"C":{"Type":"Choice","Choices":[{"Variable":"$","NumericEquals":2,"Next":"F"}],"Default":"S"},
					"F":{"Type":"Fail","Error":"Bad"},"S":{"Type":"Succeed"}}},"End":true}}}`,
			input: `[1,2,3]`, status: engine.StatusSucceeded, output: `[1,null,3]`,
			events: "ExecutionStarted MapStateEntered MapStateStarted MapRunStarted MapRunSucceeded MapStateSucceeded MapStateExited ExecutionSucceeded",
		},
		{
			name: "distributed map over the threshold",
			def: `{"StartAt":"M","States":{"M":{"Type":"Map","ToleratedFailurePercentage":10,
				"ItemProcessor":{"ProcessorConfig":{"Mode":"DISTRIBUTED","ExecutionType":"STANDARD"},"StartAt":"F","States":{"F":{"Type":"Fail","Error":"Bad"}}},"End":true}}}`,
			input: `[1,2]`, status: engine.StatusFailed, err: "States.ExceedToleratedFailureThreshold",
		},
		{
			name: "variables: simultaneous assignment and inner scopes",
			def: `{"StartAt":"A","States":{"A":{"Type":"Pass","Assign":{"x":1,"y":2},"Next":"B"},
				"B":{"Type":"Pass","Assign":{"x.$":"$y","y.$":"$x"},"Next":"M"},
				"M":{"Type":"Map","Items":[1],"QueryLanguage":"JSONata","ItemProcessor":{"StartAt":"I","States":{"I":{"Type":"Pass","QueryLanguage":"JSONata","Output":"{% [$x, $y] %}","End":true}}},"End":true}}}`,
			input: `{}`, status: engine.StatusSucceeded, output: `[[2,1]]`,
		},
		{
			name: "jsonata task arguments, result and output",
			def: `{"QueryLanguage":"JSONata","StartAt":"T","States":{"T":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke",
				"Arguments":{"n":"{% $states.input.n * 2 %}"},"Output":{"got":"{% $states.result.n %}","was":"{% $states.input.n %}"},"End":true}}}`,
			input: `{"n":3}`, status: engine.StatusSucceeded, output: `{"got":6,"was":3}`,
		},
		{
			name:  "jsonata undefined output is a QueryEvaluationError",
			def:   `{"QueryLanguage":"JSONata","StartAt":"P","States":{"P":{"Type":"Pass","Output":"{% $states.input.nope %}","End":true}}}`,
			input: `{}`, status: engine.StatusFailed, err: "States.QueryEvaluationError", cause: "returned nothing (undefined)",
			events: "ExecutionStarted PassStateEntered EvaluationFailed ExecutionFailed",
		},
		{
			name:   "oversized result",
			def:    `{"StartAt":"P","States":{"P":{"Type":"Pass","Parameters":{"big.$":"States.ArrayRange(1, 1000, 1)","copies.$":"States.Array($$.Execution.Input, $$.Execution.Input, $$.Execution.Input, $$.Execution.Input)"},"End":true}}}`,
			input:  `{"s":"` + strings.Repeat("x", 70000) + `"}`,
			status: engine.StatusFailed, err: "States.DataLimitExceeded",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			sm, err := asl.Parse([]byte(tt.def))
			if err != nil {
				t.Fatal(err)
			}
			m := engine.NewMachine(sm, engine.Options{})
			res, err := enginetest.Run(m, testExecution(tt.input), 7, start, answers(tt.answers))
			if err != nil {
				t.Fatal(err)
			}
			st := res.State
			if st.Status != tt.status {
				t.Fatalf("status %s (%s: %s), want %s", st.Status, st.Error, st.Cause, tt.status)
			}
			if tt.status == engine.StatusSucceeded {
				want, _ := jsonval.ParseString(tt.output)
				if !jsonval.Equal(want, st.Output) {
					t.Errorf("output %s, want %s", jsonval.MustMarshalString(st.Output), tt.output)
				}
			} else if st.Error != tt.err || !strings.Contains(st.Cause, tt.cause) {
				t.Errorf("error %q cause %q, want %q containing %q", st.Error, st.Cause, tt.err, tt.cause)
			}
			if tt.events != "" {
				var got []string
				for _, e := range res.Events {
					got = append(got, string(e.Type))
				}
				if d := cmp.Diff(strings.Fields(tt.events), got); d != "" {
					t.Errorf("events (-want +got):\n%s", d)
				}
			}
		})
	}
}

// TestDeterministic checks the engine's central property: the same
// definition, input, seed and event sequence give the same history, event
// for event (jitter and task tokens included).
func TestDeterministic(t *testing.T) {
	def := `{"StartAt":"T","States":{"T":{"Type":"Task","Resource":"arn:aws:states:::sqs:sendMessage.waitForTaskToken",
		"Parameters":{"token.$":"$$.Task.Token","id.$":"States.UUID()"},
		"Retry":[{"ErrorEquals":["States.ALL"],"MaxAttempts":3,"JitterStrategy":"FULL"}],"Next":"P"},
		"P":{"Type":"Parallel","Branches":[{"StartAt":"A","States":{"A":{"Type":"Wait","Seconds":5,"End":true}}},
			{"StartAt":"B","States":{"B":{"Type":"Pass","Parameters":{"r.$":"States.MathRandom(1, 1000)"},"End":true}}}],"End":true}}}`
	sm, err := asl.Parse([]byte(def))
	if err != nil {
		t.Fatal(err)
	}
	m := engine.NewMachine(sm, engine.Options{})
	run := func(seed uint64) string {
		res, err := enginetest.Run(m, testExecution(`{}`), seed, start, answers(map[string][]engine.Event{"T": {fail("X", "y"), fail("X", "y")}}))
		if err != nil {
			t.Fatal(err)
		}
		var b strings.Builder
		for _, e := range res.Events {
			j, _ := e.MarshalJSON()
			b.Write(j)
			b.WriteByte('\n')
		}
		return b.String()
	}
	first := run(42)
	for range 5 {
		if again := run(42); again != first {
			t.Fatalf("same inputs gave a different history:\n%s\nvs\n%s", first, again)
		}
	}
	if run(43) == first {
		t.Error("a different seed gave the same tokens and random numbers")
	}
}

// TestHistoryLimit checks that an execution that would exceed the history
// limit fails with States.Runtime instead of growing without bound (AWS's
// limit is 25,000 events; Options.MaxEvents lowers it here).
func TestHistoryLimit(t *testing.T) {
	sm, err := asl.Parse([]byte(`{"StartAt":"A","States":{"A":{"Type":"Pass","Next":"B"},"B":{"Type":"Choice","Choices":[{"Variable":"$.stop","IsPresent":true,"Next":"E"}],"Default":"A"},"E":{"Type":"Succeed"}}}`))
	if err != nil {
		t.Fatal(err)
	}
	m := engine.NewMachine(sm, engine.Options{MaxEvents: 50})
	res, err := enginetest.Run(m, testExecution(`{}`), 1, start, answers(nil))
	if err != nil {
		t.Fatal(err)
	}
	st := res.State
	if st.Status != engine.StatusFailed || st.Error != "States.Runtime" || !strings.Contains(st.Cause, "maximum number of history events") {
		t.Fatalf("got %s %s %s", st.Status, st.Error, st.Cause)
	}
	if n := len(res.Events); n > 52 {
		t.Errorf("%d events recorded, limit 50", n)
	}
}

// TestItemBatcher checks that a distributed Map with an ItemBatcher runs
// one child per batch, with the batch's items after ItemSelector and the
// BatchInput (AWS developer guide, "ItemBatcher").
func TestItemBatcher(t *testing.T) {
	sm, err := asl.Parse([]byte(`{"StartAt":"M","States":{"M":{"Type":"Map","ItemsPath":"$.xs",
		"ItemSelector":{"v.$":"$$.Map.Item.Value"},
		"ItemBatcher":{"MaxItemsPerBatch":2,"BatchInput":{"tag.$":"$.tag"}},
		"ItemProcessor":{"ProcessorConfig":{"Mode":"DISTRIBUTED","ExecutionType":"EXPRESS"},"StartAt":"P","States":{"P":{"Type":"Pass","End":true}}},"End":true}}}`))
	if err != nil {
		t.Fatal(err)
	}
	res, err := enginetest.Run(engine.NewMachine(sm, engine.Options{}), testExecution(`{"xs":[1,2,3],"tag":"t"}`), 1, start, answers(nil))
	if err != nil {
		t.Fatal(err)
	}
	want, _ := jsonval.ParseString(`[{"BatchInput":{"tag":"t"},"Items":[{"v":1},{"v":2}]},{"BatchInput":{"tag":"t"},"Items":[{"v":3}]}]`)
	if st := res.State; st.Status != engine.StatusSucceeded || !jsonval.Equal(want, st.Output) {
		t.Fatalf("got %s %s (%s %s)", st.Status, jsonval.MustMarshalString(st.Output), st.Error, st.Cause)
	}
}
