package teststate_test

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"stepwise/jsonval"
	"stepwise/teststate"
)

// env is the environment of every test: a fixed clock and a counting
// random source, so responses are reproducible.
func env() teststate.Environment {
	var n uint64
	return teststate.Environment{
		Now:       time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC),
		Rand:      func() uint64 { n++; return n * 0x9e3779b97f4a7c15 },
		TaskToken: "test-task-token",
		Region:    "us-east-1", Account: "123456789012",
		StateMachineName: "TestStateMachine", ExecutionName: "test-execution",
	}
}

// run prepares and starts a test; when the state asks for a task, task
// answers it.
func run(t *testing.T, req teststate.Request, task func(*teststate.Invocation) teststate.TaskResult) (*teststate.Response, error) {
	t.Helper()
	ts, err := teststate.Prepare(req, env())
	if err != nil {
		return nil, err
	}
	resp, inv := ts.Start()
	if inv != nil {
		if task == nil {
			t.Fatalf("state asked for a task: %+v", inv)
		}
		resp = ts.Finish(task(inv))
	}
	return resp, nil
}

// asJSON turns a response into generic JSON for comparison, with the
// JSON documents it holds as text parsed, so that expectations read as
// AWS's examples do.
func asJSON(t *testing.T, v any) any {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	var out any
	if err := json.Unmarshal(b, &out); err != nil {
		t.Fatal(err)
	}
	return expand(out)
}

// expand parses the string members that hold JSON documents.
func expand(v any) any {
	m, ok := v.(map[string]any)
	if !ok {
		return v
	}
	for k, x := range m {
		switch k {
		case "output", "input", "afterArguments", "afterInputPath", "afterParameters", "result",
			"afterResultSelector", "afterResultPath", "variables", "afterItemsPath", "afterItemSelector", "afterItemBatcher":
			if s, ok := x.(string); ok {
				var parsed any
				if json.Unmarshal([]byte(s), &parsed) == nil {
					m[k] = parsed
				}
			}
		default:
			m[k] = expand(x)
		}
	}
	return m
}

func want(t *testing.T, text string) any {
	t.Helper()
	var v any
	if err := json.Unmarshal([]byte(text), &v); err != nil {
		t.Fatalf("bad expectation %s: %v", text, err)
	}
	return v
}

func mockResult(s string) *teststate.Mock { return &teststate.Mock{Result: s, HasResult: true} }

func mockError(e, c string) *teststate.Mock {
	return &teststate.Mock{ErrorOutput: &teststate.MockError{Error: e, Cause: c}}
}

func TestStates(t *testing.T) {
	const ioPass = `{"Type":"Pass","InputPath":"$.initialData",
		"Parameters":{"staticValue":"some value","inputValue.$":"$.fieldFromInput"},
		"ResultPath":"$.modifiedData","End":true}`
	const ioInput = `{"initialData":{"fieldFromInput":"value from input","otherField":"other"},"unrelatedData":{"someOtherField":1234}}`
	const taskDef = `{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke",
		"Parameters":{"FunctionName":"f","Payload.$":"$.order"},
		"ResultSelector":{"total.$":"$.Payload.total"},"ResultPath":"$.priced","Next":"Ship",
		"Retry":[{"ErrorEquals":["Lambda.TooManyRequestsException"],"IntervalSeconds":1,"MaxAttempts":3,"BackoffRate":2},
		         {"ErrorEquals":["States.Timeout"],"MaxAttempts":0}],
		"Catch":[{"ErrorEquals":["Custom.Error"],"Next":"HandleCustom"},
		         {"ErrorEquals":["States.ALL"],"ResultPath":"$.error","Next":"HandleAll"}]}`
	tests := []struct {
		name string
		req  teststate.Request
		task func(*teststate.Invocation) teststate.TaskResult
		want string
	}{
		{
			name: "Pass INFO shows output and status only",
			req:  teststate.Request{Definition: `{"Type":"Pass","End":true}`, Input: `{"Value":"HelloWorld"}`},
			want: `{"output":{"Value":"HelloWorld"},"status":"SUCCEEDED"}`,
		},
		{
			name: "Pass DEBUG shows each step of InputPath, Parameters and ResultPath",
			req:  teststate.Request{Definition: ioPass, Input: ioInput, InspectionLevel: teststate.LevelDebug},
			want: `{"status":"SUCCEEDED",
				"output":{"initialData":{"fieldFromInput":"value from input","otherField":"other"},"unrelatedData":{"someOtherField":1234},
					"modifiedData":{"staticValue":"some value","inputValue":"value from input"}},
				"inspectionData":{
					"input":{"initialData":{"fieldFromInput":"value from input","otherField":"other"},"unrelatedData":{"someOtherField":1234}},
					"afterInputPath":{"fieldFromInput":"value from input","otherField":"other"},
					"afterParameters":{"staticValue":"some value","inputValue":"value from input"},
					"afterResultSelector":{"staticValue":"some value","inputValue":"value from input"},
					"afterResultPath":{"initialData":{"fieldFromInput":"value from input","otherField":"other"},"unrelatedData":{"someOtherField":1234},
						"modifiedData":{"staticValue":"some value","inputValue":"value from input"}}}}`,
		},
		{
			name: "Pass with Result shows the result instead of InputPath and Parameters",
			req: teststate.Request{Definition: `{"Type":"Pass","Result":{"resultKey":"result value"},"ResultPath":"$.modifiedData","Next":"Done"}`,
				Input: `{"a":1}`, InspectionLevel: teststate.LevelTrace},
			want: `{"status":"SUCCEEDED","nextState":"Done",
				"output":{"a":1,"modifiedData":{"resultKey":"result value"}},
				"inspectionData":{"input":{"a":1},"result":{"resultKey":"result value"},
					"afterResultSelector":{"resultKey":"result value"},
					"afterResultPath":{"a":1,"modifiedData":{"resultKey":"result value"}}}}`,
		},
		{
			name: "Choice gives the next state of the first matching rule",
			req: teststate.Request{Definition: `{"Type":"Choice","Choices":[
					{"Variable":"$.value","NumericLessThan":20,"Next":"ValueBelowTwenty"},
					{"And":[{"Variable":"$.value","NumericGreaterThanEquals":20},{"Variable":"$.value","NumericLessThan":30}],"Next":"ValueInTwenties"}],
					"Default":"Other"}`,
				Input: `{"type":"Private","value":22}`, InspectionLevel: teststate.LevelDebug},
			want: `{"status":"SUCCEEDED","nextState":"ValueInTwenties","output":{"type":"Private","value":22},
				"inspectionData":{"input":{"type":"Private","value":22},"afterInputPath":{"type":"Private","value":22}}}`,
		},
		{
			name: "Choice without a match and without Default fails",
			req:  teststate.Request{Definition: `{"Type":"Choice","Choices":[{"Variable":"$.x","BooleanEquals":true,"Next":"Yes"}]}`, Input: `{"x":false}`},
			want: `{"status":"FAILED","error":"States.NoChoiceMatched","cause":"No Matches! at the state 'StateName'"}`,
		},
		{
			name: "Fail reports its error and cause",
			req: teststate.Request{Definition: `{"Type":"Fail","Error":"SomeFailure","Cause":"This state machines raises a 'SomeFailure' failure."}`,
				Input: `{"Value":"HelloWorld"}`, InspectionLevel: teststate.LevelDebug},
			want: `{"status":"FAILED","error":"SomeFailure","cause":"This state machines raises a 'SomeFailure' failure.",
				"inspectionData":{"input":{"Value":"HelloWorld"},"afterInputPath":{"Value":"HelloWorld"}}}`,
		},
		{
			name: "Fail with ErrorPath and CausePath",
			req:  teststate.Request{Definition: `{"Type":"Fail","ErrorPath":"$.e","CausePath":"States.Format('bad {}', $.n)"}`, Input: `{"e":"E1","n":3}`},
			want: `{"status":"FAILED","error":"E1","cause":"bad 3"}`,
		},
		{
			name: "Succeed applies OutputPath and has no next state",
			req:  teststate.Request{Definition: `{"Type":"Succeed","OutputPath":"$.a"}`, Input: `{"a":{"b":1}}`},
			want: `{"status":"SUCCEEDED","output":{"b":1}}`,
		},
		{
			name: "Wait does not wait",
			req:  teststate.Request{Definition: `{"Type":"Wait","Seconds":86400,"Next":"After"}`, Input: `{"a":1}`},
			want: `{"status":"SUCCEEDED","output":{"a":1},"nextState":"After"}`,
		},
		{
			name: "Wait with a SecondsPath that is not a number fails",
			req:  teststate.Request{Definition: `{"Type":"Wait","SecondsPath":"$.s","End":true}`, Input: `{"s":"soon"}`},
			want: `{"status":"FAILED","error":"States.Runtime","cause":"The SecondsPath parameter cannot be parsed as a long value: $.s == soon"}`,
		},
		{
			name: "Task with a mocked result goes through ResultSelector and ResultPath",
			req: teststate.Request{Definition: taskDef, Input: `{"order":{"id":7}}`, InspectionLevel: teststate.LevelDebug,
				Mock: mockResult(`{"Payload":{"total":42},"StatusCode":200}`)},
			want: `{"status":"SUCCEEDED","nextState":"Ship","output":{"order":{"id":7},"priced":{"total":42}},
				"inspectionData":{"input":{"order":{"id":7}},"afterInputPath":{"order":{"id":7}},
					"afterParameters":{"FunctionName":"f","Payload":{"id":7}},
					"result":{"Payload":{"total":42},"StatusCode":200},
					"afterResultSelector":{"total":42},
					"afterResultPath":{"order":{"id":7},"priced":{"total":42}}}}`,
		},
		{
			name: "Task with a mocked error that a Retrier matches is RETRIABLE",
			req: teststate.Request{Definition: taskDef, Input: `{"order":{}}`, InspectionLevel: teststate.LevelDebug,
				Mock: mockError("Lambda.TooManyRequestsException", "slow down")},
			want: `{"status":"RETRIABLE","error":"Lambda.TooManyRequestsException","cause":"slow down",
				"inspectionData":{"input":{"order":{}},"afterInputPath":{"order":{}},"afterParameters":{"FunctionName":"f","Payload":{}},
					"errorDetails":{"retryIndex":0,"retryBackoffIntervalSeconds":1}}}`,
		},
		{
			name: "the backoff grows with retrierRetryCount",
			req: teststate.Request{Definition: taskDef, Input: `{"order":{}}`, InspectionLevel: teststate.LevelInfo,
				Mock: mockError("Lambda.TooManyRequestsException", "slow down"), Configuration: &teststate.Configuration{RetrierRetryCount: 2}},
			want: `{"status":"RETRIABLE","error":"Lambda.TooManyRequestsException","cause":"slow down"}`,
		},
		{
			name: "an exhausted Retrier hands the error to Catch",
			req: teststate.Request{Definition: taskDef, Input: `{"order":{"id":7}}`, InspectionLevel: teststate.LevelDebug,
				Mock: mockError("Lambda.TooManyRequestsException", "slow down"), Configuration: &teststate.Configuration{RetrierRetryCount: 3}},
			want: `{"status":"CAUGHT_ERROR","error":"Lambda.TooManyRequestsException","cause":"slow down","nextState":"HandleAll",
				"output":{"order":{"id":7},"error":{"Error":"Lambda.TooManyRequestsException","Cause":"slow down"}},
				"inspectionData":{"input":{"order":{"id":7}},"afterInputPath":{"order":{"id":7}},"afterParameters":{"FunctionName":"f","Payload":{"id":7}},
					"afterResultPath":{"order":{"id":7},"error":{"Error":"Lambda.TooManyRequestsException","Cause":"slow down"}},
					"errorDetails":{"catchIndex":1}}}`,
		},
		{
			name: "a Retrier with MaxAttempts 0 does not retry, and Catch takes the error",
			req: teststate.Request{Definition: taskDef, Input: `{"order":{}}`,
				Mock: mockError("States.Timeout", "")},
			want: `{"status":"CAUGHT_ERROR","error":"States.Timeout","nextState":"HandleAll",
				"output":{"order":{},"error":{"Error":"States.Timeout","Cause":""}}}`,
		},
		{
			name: "the first matching Catcher wins",
			req: teststate.Request{Definition: taskDef, Input: `{"order":{}}`, InspectionLevel: teststate.LevelDebug,
				Mock: mockError("Custom.Error", "boom")},
			want: `{"status":"CAUGHT_ERROR","error":"Custom.Error","cause":"boom","nextState":"HandleCustom",
				"output":{"Error":"Custom.Error","Cause":"boom"},
				"inspectionData":{"input":{"order":{}},"afterInputPath":{"order":{}},"afterParameters":{"FunctionName":"f","Payload":{}},
					"afterResultPath":{"Error":"Custom.Error","Cause":"boom"},"errorDetails":{"catchIndex":0}}}`,
		},
		{
			name: "an error nothing handles fails the state",
			req: teststate.Request{Definition: `{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke","End":true}`,
				Mock: mockError("Oops", "it broke")},
			want: `{"status":"FAILED","error":"Oops","cause":"it broke"}`,
		},
		{
			name: "States.Runtime is neither retried nor caught",
			req:  teststate.Request{Definition: taskDef, Input: `{}`, Mock: mockResult(`{}`)},
			want: `{"status":"FAILED","error":"States.Runtime",
				"cause":"The JSONPath '$.order' specified for the field 'Payload.$' could not be found in the input '{}'"}`,
		},
		{
			name: "a Task without a mock invokes its resource with the effective parameters",
			req:  teststate.Request{Definition: taskDef, Input: `{"order":{"id":9}}`},
			task: func(inv *teststate.Invocation) teststate.TaskResult {
				payload, _ := inv.Input.(*jsonval.Object).Get("Payload")
				return teststate.TaskResult{Output: jsonval.FromGo(map[string]any{"Payload": map[string]any{"total": payload}})}
			},
			want: `{"status":"SUCCEEDED","nextState":"Ship","output":{"order":{"id":9},"priced":{"total":{"id":9}}}}`,
		},
		{
			name: "a failed invocation goes through Retry",
			req:  teststate.Request{Definition: taskDef, Input: `{"order":{}}`},
			task: func(*teststate.Invocation) teststate.TaskResult {
				return teststate.TaskResult{Failed: true, Error: "Lambda.TooManyRequestsException", Cause: "rate"}
			},
			want: `{"status":"RETRIABLE","error":"Lambda.TooManyRequestsException","cause":"rate"}`,
		},
		{
			name: "JSONata Pass with Output and Assign shows the variables",
			req: teststate.Request{Definition: `{"Type":"Pass","QueryLanguage":"JSONata",
					"Assign":{"total":"{% $states.input.price * $qty %}"},
					"Output":{"doubled":"{% $states.input.price * 2 %}","ctx":"{% $states.context.State.Name %}"},"Next":"N"}`,
				Input: `{"price":5}`, Variables: `{"qty":3}`, InspectionLevel: teststate.LevelDebug},
			want: `{"status":"SUCCEEDED","nextState":"N","output":{"doubled":10,"ctx":"StateName"},
				"inspectionData":{"input":{"price":5},"variables":{"qty":3,"total":15}}}`,
		},
		{
			name: "JSONata Task with a mocked result shows afterArguments and result",
			req: teststate.Request{Definition: `{"Type":"Task","QueryLanguage":"JSONata","Resource":"arn:aws:states:::lambda:invoke",
					"Arguments":{"FunctionName":"foo","Payload":"{% $states.input.v %}"},
					"Output":"{% $states.result.Payload %}","End":true}`,
				Input: `{"v":"bar"}`, InspectionLevel: teststate.LevelDebug, Mock: mockResult(`{"Payload":{"ok":true}}`)},
			want: `{"status":"SUCCEEDED","output":{"ok":true},
				"inspectionData":{"input":{"v":"bar"},"afterArguments":{"FunctionName":"foo","Payload":"bar"},"result":{"Payload":{"ok":true}}}}`,
		},
		{
			name: "JSONata Catch passes $states.errorOutput",
			req: teststate.Request{Definition: `{"Type":"Task","QueryLanguage":"JSONata","Resource":"arn:aws:states:::lambda:invoke",
					"Arguments":{"FunctionName":"foo","Payload":"bar"},"End":true,
					"Catch":[{"ErrorEquals":["MockException"],"Output":{"input":"{% $states.input %}","errorOutput":"{% $states.errorOutput %}"},"Next":"HandleMockError"}]}`,
				Input: `{"Value":"HelloWorld"}`, InspectionLevel: teststate.LevelDebug, Mock: mockError("MockException", "Mock the cause of the error.")},
			want: `{"status":"CAUGHT_ERROR","error":"MockException","cause":"Mock the cause of the error.","nextState":"HandleMockError",
				"output":{"input":{"Value":"HelloWorld"},"errorOutput":{"Error":"MockException","Cause":"Mock the cause of the error."}},
				"inspectionData":{"input":{"Value":"HelloWorld"},"afterArguments":{"FunctionName":"foo","Payload":"bar"},"errorDetails":{"catchIndex":0}}}`,
		},
		{
			name: "JSONata Choice",
			req: teststate.Request{Definition: `{"Type":"Choice","QueryLanguage":"JSONata",
					"Choices":[{"Condition":"{% $states.input.cost < 10 %}","Next":"Purchase Approved"}],"Default":"Ask for Approval"}`,
				Input: `{"cost":10}`, InspectionLevel: teststate.LevelDebug},
			want: `{"status":"SUCCEEDED","nextState":"Ask for Approval","output":{"cost":10},"inspectionData":{"input":{"cost":10}}}`,
		},
		{
			name: "a state of a whole definition, named by stateName",
			req: teststate.Request{Definition: `{"StartAt":"A","States":{
					"A":{"Type":"Pass","Next":"B"},
					"B":{"Type":"Pass","Parameters":{"name.$":"$$.State.Name","sm.$":"$$.StateMachine.Name"},"End":true}}}`,
				StateName: "B", Input: `{}`},
			want: `{"status":"SUCCEEDED","output":{"name":"B","sm":"TestStateMachine"}}`,
		},
		{
			name: "the request's context object replaces the stand-in's",
			req: teststate.Request{Definition: `{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke",
					"Parameters":{"exec.$":"$$.Execution.Id","retry.$":"$$.State.RetryCount","ctx.$":"$$"},"End":true}`,
				Context: `{"State":{"RetryCount":1},"Execution":{"Id":"arn:aws:states:us-east-1:123456789012:execution:M:e1"}}`,
				Mock:    &teststate.Mock{Result: `"x"`, HasResult: true, FieldValidationMode: "NONE"}, InspectionLevel: teststate.LevelDebug},
			want: `{"status":"SUCCEEDED","output":"x",
				"inspectionData":{"input":{},"afterInputPath":{},
					"afterParameters":{"exec":"arn:aws:states:us-east-1:123456789012:execution:M:e1","retry":1,
						"ctx":{"State":{"RetryCount":1},"Execution":{"Id":"arn:aws:states:us-east-1:123456789012:execution:M:e1"}}},
					"result":"x","afterResultSelector":"x","afterResultPath":"x"}}`,
		},
		{
			name: "an empty context object is empty",
			req: teststate.Request{Definition: `{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke","ResultPath":"$.r","Parameters":{"c.$":"$$"},"End":true}`,
				Context: `{}`, Mock: mockResult(`{"pokemon":"pikachu"}`)},
			want: `{"status":"SUCCEEDED","output":{"r":{"pokemon":"pikachu"}}}`,
		},
		{
			name: "the stand-in context object",
			req: teststate.Request{Definition: `{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke","Parameters":{"c.$":"$$"},"End":true}`,
				RoleARN: "arn:aws:iam::123456789012:role/r", Input: `{"a":1}`, Configuration: &teststate.Configuration{RetrierRetryCount: 2}},
			task: func(inv *teststate.Invocation) teststate.TaskResult { return teststate.TaskResult{Output: inv.Input} },
			want: `{"status":"SUCCEEDED","output":{"c":{
				"Execution":{"Id":"arn:aws:states:us-east-1:123456789012:express:TestStateMachine:test-execution","Input":{"a":1},
					"Name":"test-execution","RoleArn":"arn:aws:iam::123456789012:role/r","StartTime":"2026-01-02T03:04:05.000Z"},
				"StateMachine":{"Id":"arn:aws:states:us-east-1:123456789012:stateMachine:TestStateMachine","Name":"TestStateMachine"},
				"State":{"Name":"StateName","EnteredTime":"2026-01-02T03:04:05.000Z","RetryCount":2}}}}`,
		},
		{
			name: "Map with a mocked result",
			req: teststate.Request{Definition: `{"Type":"Map","ItemsPath":"$.items","MaxConcurrency":1,"ResultPath":"$.results","End":true,
					"ItemProcessor":{"StartAt":"P","States":{"P":{"Type":"Pass","End":true}}}}`,
				Input: `{"items":[1,2]}`, InspectionLevel: teststate.LevelDebug, Mock: mockResult(`[10,20]`)},
			want: `{"status":"SUCCEEDED","output":{"items":[1,2],"results":[10,20]},
				"inspectionData":{"input":{"items":[1,2]},"afterInputPath":{"items":[1,2]},"afterItemsPath":[1,2],"maxConcurrency":1,
					"afterResultSelector":[10,20],"afterResultPath":{"items":[1,2],"results":[10,20]}}}`,
		},
		{
			name: "Map failures beyond the tolerated count",
			req: teststate.Request{Definition: `{"Type":"Map","ToleratedFailureCount":1,"Next":"N",
					"ItemProcessor":{"StartAt":"P","States":{"P":{"Type":"Pass","End":true}}},
					"Catch":[{"ErrorEquals":["States.ExceedToleratedFailureThreshold"],"Next":"HandleThreshold"}]}`,
				Input: `["a","b","c"]`, Mock: mockResult(`[1,1,1]`), Configuration: &teststate.Configuration{MapIterationFailureCount: 2}},
			want: `{"status":"CAUGHT_ERROR","error":"States.ExceedToleratedFailureThreshold","cause":"The specified tolerated failure threshold was exceeded",
				"nextState":"HandleThreshold","output":{"Error":"States.ExceedToleratedFailureThreshold","Cause":"The specified tolerated failure threshold was exceeded"}}`,
		},
		{
			name: "Map shows its items after ItemSelector and ItemBatcher",
			req: teststate.Request{Definition: `{"Type":"Map","ItemsPath":"$.items","End":true,
					"ItemSelector":{"value.$":"$$.Map.Item.Value","index.$":"$$.Map.Item.Index","tag.$":"$.tag"},
					"ItemBatcher":{"MaxItemsPerBatch":2,"BatchInput":{"tag.$":"$.tag"}},
					"ItemProcessor":{"ProcessorConfig":{"Mode":"DISTRIBUTED","ExecutionType":"STANDARD"},"StartAt":"P","States":{"P":{"Type":"Pass","End":true}}}}`,
				Input: `{"items":["a","b","c"],"tag":"t"}`, InspectionLevel: teststate.LevelDebug, Mock: mockResult(`[1,2]`)},
			want: `{"status":"SUCCEEDED","output":[1,2],
				"inspectionData":{"input":{"items":["a","b","c"],"tag":"t"},"afterInputPath":{"items":["a","b","c"],"tag":"t"},
					"afterItemsPath":["a","b","c"],"maxConcurrency":0,
					"afterItemSelector":[{"value":"a","index":0,"tag":"t"},{"value":"b","index":1,"tag":"t"},{"value":"c","index":2,"tag":"t"}],
					"afterItemBatcher":[{"BatchInput":{"tag":"t"},"Items":[{"value":"a","index":0,"tag":"t"},{"value":"b","index":1,"tag":"t"}]},
						{"BatchInput":{"tag":"t"},"Items":[{"value":"c","index":2,"tag":"t"}]}],
					"afterResultSelector":[1,2],"afterResultPath":[1,2]}}`,
		},
		{
			name: "Map reads its items from mapItemReaderData",
			req: teststate.Request{Definition: `{"Type":"Map","QueryLanguage":"JSONata","End":true,"MaxConcurrency":1,
					"ItemReader":{"Resource":"arn:aws:states:::s3:getObject","ReaderConfig":{"InputType":"JSON"},"Arguments":{"Bucket":"b","Key":"k"}},
					"ItemSelector":"{% $states.context.Map.Item.Value * $states.context.Map.Item.Value %}",
					"ItemProcessor":{"ProcessorConfig":{"Mode":"DISTRIBUTED","ExecutionType":"EXPRESS"},"StartAt":"P","States":{"P":{"Type":"Pass","End":true}}}}`,
				Input: `{"Bucket":"b","Key":"k"}`, InspectionLevel: teststate.LevelDebug, Mock: mockResult(`[1,4,9]`),
				Configuration: &teststate.Configuration{MapItemReaderData: `[1,2,3]`}},
			want: `{"status":"SUCCEEDED","output":[1,4,9],
				"inspectionData":{"input":{"Bucket":"b","Key":"k"},"maxConcurrency":1,"afterItemSelector":[1,4,9]}}`,
		},
		{
			name: "a state in a Map's item processor sees the first item in $$.Map",
			req: teststate.Request{Definition: `{"StartAt":"M","States":{"M":{"Type":"Map","End":true,
					"ItemProcessor":{"StartAt":"P","States":{"P":{"Type":"Pass","Parameters":{"i.$":"$$.Map.Item.Index","v.$":"$$.Map.Item.Value"},"End":true}}}}}}`,
				StateName: "P", Input: `"x"`},
			want: `{"status":"SUCCEEDED","output":{"i":0,"v":"x"}}`,
		},
		{
			name: "the retry count may come from the context object",
			req: teststate.Request{Definition: `{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke","End":true,
					"Retry":[{"ErrorEquals":["E"],"MaxAttempts":2}],"Catch":[{"ErrorEquals":["E"],"Next":"H"}]}`,
				Mock: mockError("E", "c"), Context: `{"State":{"RetryCount":2}}`},
			want: `{"status":"CAUGHT_ERROR","error":"E","cause":"c","nextState":"H","output":{"Error":"E","Cause":"c"}}`,
		},
		{
			name: "Map items that are not an array",
			req: teststate.Request{Definition: `{"Type":"Map","ItemsPath":"$$.Execution.Input","End":true,
					"ItemProcessor":{"StartAt":"P","States":{"P":{"Type":"Pass","End":true}}}}`,
				Input: `["fire","grass"]`, Context: `{"Execution":{"Input":{"a":1}}}`, InspectionLevel: teststate.LevelDebug, Mock: mockResult(`[]`)},
			want: `{"status":"FAILED","error":"States.Runtime","cause":"Reference path \"$.Execution.Input\" must point to array.",
				"inspectionData":{"input":["fire","grass"],"afterInputPath":["fire","grass"]}}`,
		},
		{
			name: "Parallel with a mocked result",
			req: teststate.Request{Definition: `{"Type":"Parallel","End":true,"Branches":[
					{"StartAt":"A","States":{"A":{"Type":"Pass","End":true}}},
					{"StartAt":"B","States":{"B":{"Type":"Pass","End":true}}}]}`,
				Input: `{}`, Mock: mockResult(`[{"a":1},{"b":2}]`)},
			want: `{"status":"SUCCEEDED","output":[{"a":1},{"b":2}]}`,
		},
		{
			name: "HTTP Task at TRACE shows the request and response",
			req: teststate.Request{Definition: `{"Type":"Task","Resource":"arn:aws:states:::http:invoke","End":true,
					"Parameters":{"ApiEndpoint":"https://api.example.com/orders","Method":"post",
						"Headers":{"X-Trace":"1"},"QueryParameters":{"q":"a b"},"RequestBody":{"id":1}}}`,
				InspectionLevel: teststate.LevelTrace},
			task: func(*teststate.Invocation) teststate.TaskResult {
				return teststate.TaskResult{Output: mustParse(`{"Headers":{"content-type":["application/json"]},"ResponseBody":{"ok":true},"StatusCode":200,"StatusText":"OK"}`)}
			},
			want: `{"status":"SUCCEEDED",
				"output":{"Headers":{"content-type":["application/json"]},"ResponseBody":{"ok":true},"StatusCode":200,"StatusText":"OK"},
				"inspectionData":{"input":{},"afterInputPath":{},
					"afterParameters":{"ApiEndpoint":"https://api.example.com/orders","Method":"post","Headers":{"X-Trace":"1"},"QueryParameters":{"q":"a b"},"RequestBody":{"id":1}},
					"result":{"Headers":{"content-type":["application/json"]},"ResponseBody":{"ok":true},"StatusCode":200,"StatusText":"OK"},
					"afterResultSelector":{"Headers":{"content-type":["application/json"]},"ResponseBody":{"ok":true},"StatusCode":200,"StatusText":"OK"},
					"afterResultPath":{"Headers":{"content-type":["application/json"]},"ResponseBody":{"ok":true},"StatusCode":200,"StatusText":"OK"},
					"request":{"protocol":"https","method":"POST","url":"https://api.example.com/orders?q=a+b","headers":"[Content-Type: application/json; charset=UTF-8, X-Trace: 1]","body":"{\"id\":1}"},
					"response":{"protocol":"https","statusCode":"200","statusMessage":"OK","headers":"[content-type: application/json]","body":"{\"ok\":true}"}}}`,
		},
		{
			name: "HTTP Task at TRACE shows a form body as sent",
			req: teststate.Request{Definition: `{"Type":"Task","Resource":"arn:aws:states:::http:invoke","End":true,
					"Parameters":{"ApiEndpoint":"https://api.example.com/forms","Method":"POST",
						"Transform":{"RequestBodyEncoding":"URL_ENCODED","RequestEncodingOptions":{"ArrayFormat":"BRACKETS"}},
						"RequestBody":{"name":"Ada L","tags":["a","b"],"addr":{"city":"X"}}},"ResultSelector":{"code.$":"$.StatusCode"}}`,
				InspectionLevel: teststate.LevelTrace},
			task: func(*teststate.Invocation) teststate.TaskResult {
				return teststate.TaskResult{Failed: true, Error: "States.Http.StatusCode.500", Cause: "boom"}
			},
			want: `{"status":"FAILED","error":"States.Http.StatusCode.500","cause":"boom",
				"inspectionData":{"input":{},"afterInputPath":{},
					"afterParameters":{"ApiEndpoint":"https://api.example.com/forms","Method":"POST",
						"Transform":{"RequestBodyEncoding":"URL_ENCODED","RequestEncodingOptions":{"ArrayFormat":"BRACKETS"}},
						"RequestBody":{"name":"Ada L","tags":["a","b"],"addr":{"city":"X"}}},
					"request":{"protocol":"https","method":"POST","url":"https://api.example.com/forms",
						"headers":"[Content-Type: application/x-www-form-urlencoded]","body":"name=Ada+L&tags[]=a&tags[]=b&addr[city]=X"}}}`,
		},
		{
			// The trace is the request httptask sends (httptask.NewRequest):
			// an array query value is one parameter per element, header
			// names are canonical, a non-string header value is JSON.
			name: "HTTP Task at TRACE shows the request httptask sends",
			req: teststate.Request{Definition: `{"Type":"Task","Resource":"arn:aws:states:::http:invoke","End":true,
					"Parameters":{"ApiEndpoint":"https://api.example.com/items?b=2&a=1","Method":"GET",
						"Headers":{"x-trace":"1","X-List":["a","b"]},"QueryParameters":{"tag":["x","y"]}},"ResultPath":null}`,
				InspectionLevel: teststate.LevelTrace},
			task: func(*teststate.Invocation) teststate.TaskResult {
				return teststate.TaskResult{Output: mustParse(`{"Headers":{},"ResponseBody":"","StatusCode":204,"StatusText":"No Content"}`)}
			},
			want: `{"status":"SUCCEEDED","output":{},
				"inspectionData":{"input":{},"afterInputPath":{},
					"afterParameters":{"ApiEndpoint":"https://api.example.com/items?b=2&a=1","Method":"GET","Headers":{"x-trace":"1","X-List":["a","b"]},"QueryParameters":{"tag":["x","y"]}},
					"result":{"Headers":{},"ResponseBody":"","StatusCode":204,"StatusText":"No Content"},
					"afterResultSelector":{"Headers":{},"ResponseBody":"","StatusCode":204,"StatusText":"No Content"},
					"afterResultPath":{},
					"request":{"protocol":"https","method":"GET","url":"https://api.example.com/items?a=1&b=2&tag=x&tag=y","headers":"[X-List: [\"a\",\"b\"], X-Trace: 1]"},
					"response":{"protocol":"https","statusCode":"204","statusMessage":"No Content","headers":"[]"}}}`,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp, err := run(t, tt.req, tt.task)
			if err != nil {
				t.Fatalf("Prepare: %v", err)
			}
			if d := cmp.Diff(want(t, tt.want), asJSON(t, resp)); d != "" {
				t.Errorf("response (-want +got):\n%s", d)
			}
		})
	}
}

func mustParse(s string) any {
	v, err := jsonval.ParseString(s)
	if err != nil {
		panic(err)
	}
	return v
}

func TestBackoff(t *testing.T) {
	const def = `{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke","End":true,
		"Retry":[{"ErrorEquals":["E"],"IntervalSeconds":3,"MaxAttempts":5,"BackoffRate":2,"MaxDelaySeconds":20}]}`
	tests := []struct {
		count, want int64
	}{{0, 3}, {1, 6}, {2, 12}, {3, 20}, {4, 20}}
	for _, tt := range tests {
		resp, err := run(t, teststate.Request{Definition: def, Mock: mockError("E", ""), InspectionLevel: teststate.LevelDebug,
			Configuration: &teststate.Configuration{RetrierRetryCount: tt.count}}, nil)
		if err != nil {
			t.Fatal(err)
		}
		d := resp.InspectionData.ErrorDetails
		if resp.Status != teststate.StatusRetriable || d == nil || d.RetryBackoffIntervalSeconds == nil || *d.RetryBackoffIntervalSeconds != tt.want {
			t.Errorf("retry %d: got %+v, want RETRIABLE after %d s", tt.count, asJSON(t, resp), tt.want)
		}
	}
	resp, err := run(t, teststate.Request{Definition: def, Mock: mockError("E", ""), Configuration: &teststate.Configuration{RetrierRetryCount: 5}}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if resp.Status != teststate.StatusFailed {
		t.Errorf("after MaxAttempts: status %s, want FAILED", resp.Status)
	}
}

func TestInvocation(t *testing.T) {
	ts, err := teststate.Prepare(teststate.Request{
		Definition: `{"Type":"Task","Resource":"arn:aws:states:::sqs:sendMessage.waitForTaskToken","TimeoutSecondsPath":"$.t","End":true,
			"Parameters":{"MessageBody":{"token.$":"$$.Task.Token"}}}`,
		Input: `{"t":30}`, Mock: mockResult(`{"done":true}`),
	}, env())
	if err != nil {
		t.Fatal(err)
	}
	resp, inv := ts.Start()
	if inv != nil {
		t.Fatalf("a mocked task asked for an invocation: %+v", inv)
	}
	if resp.Status != teststate.StatusSucceeded || *resp.Output != `{"done":true}` {
		t.Errorf("got %+v", asJSON(t, resp))
	}

	ts, err = teststate.Prepare(teststate.Request{
		Definition: `{"Type":"Task","Resource":"arn:aws:lambda:us-east-1:123456789012:function:f","TimeoutSecondsPath":"$.t","End":true}`,
		Input:      `{"t":30}`,
	}, env())
	if err != nil {
		t.Fatal(err)
	}
	resp, inv = ts.Start()
	if resp != nil || inv == nil {
		t.Fatalf("Start = %v, %v; want an invocation", resp, inv)
	}
	if inv.Resource != "arn:aws:lambda:us-east-1:123456789012:function:f" || inv.TimeoutSeconds != 30 || jsonval.MustMarshalString(inv.Input) != `{"t":30}` {
		t.Errorf("invocation = %+v", inv)
	}
}

func TestRefused(t *testing.T) {
	const mapDef = `{"Type":"Map","End":true,"ItemProcessor":{"StartAt":"P","States":{"P":{"Type":"Pass","End":true}}}}`
	const parDef = `{"Type":"Parallel","End":true,"Branches":[{"StartAt":"A","States":{"A":{"Type":"Pass","End":true}}}]}`
	tests := []struct {
		name      string
		req       teststate.Request
		code, msg string
	}{
		{"mock on a Pass state", teststate.Request{Definition: `{"Type":"Pass","End":true}`, Mock: mockResult(`{}`)},
			"ValidationException", "State type 'Pass' is not supported when a mock is specified"},
		{"mock on a Choice state", teststate.Request{Definition: `{"Type":"Choice","Choices":[{"Variable":"$.a","IsPresent":true,"Next":"X"}]}`, Mock: mockResult(`{}`)},
			"ValidationException", "State type 'Choice' is not supported when a mock is specified"},
		{"mock with both result and errorOutput", teststate.Request{Definition: `{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke","End":true}`,
			Mock: &teststate.Mock{Result: `{}`, HasResult: true, ErrorOutput: &teststate.MockError{Error: "E"}}},
			"ValidationException", "A test mock should have only one of the following fields: [result, errorOutput]."},
		{"mock result that is not JSON", teststate.Request{Definition: `{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke","End":true}`, Mock: mockResult(`{`)},
			"ValidationException", "Mocked result must be valid JSON"},
		{"revealSecrets with a mock", teststate.Request{Definition: `{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke","End":true}`, Mock: mockResult(`{}`), RevealSecrets: true},
			"ValidationException", "TestState does not support RevealSecrets when a mock is specified."},
		{"Map without a mock", teststate.Request{Definition: mapDef},
			"InvalidDefinition", "TestState API does not support Map or Parallel states. Supported state types include: [Task, Wait, Pass, Succeed, Fail, Choice]"},
		{"Parallel without a mock", teststate.Request{Definition: parDef},
			"InvalidDefinition", "TestState API does not support Map or Parallel states. Supported state types include: [Task, Wait, Pass, Succeed, Fail, Choice]"},
		{"Map mock that is not an array", teststate.Request{Definition: mapDef, Mock: mockResult(`{}`)},
			"ValidationException", "Mocked result must be an array."},
		{"Parallel mock of the wrong size", teststate.Request{Definition: parDef, Mock: mockResult(`[1,2]`)},
			"ValidationException", "Mocked result must contain the same number of items as number of Parallel branches."},
		{"bad inspection level", teststate.Request{Definition: `{"Type":"Pass","End":true}`, InspectionLevel: "ALL"},
			"ValidationException", "1 validation error detected: Value 'ALL' at 'inspectionLevel' failed to satisfy constraint: Member must satisfy enum value set: [INFO, DEBUG, TRACE]"},
		{"context with a Map member", teststate.Request{Definition: `{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke","End":true}`, Mock: mockResult(`{}`), Context: `{"Map":{}}`},
			"ValidationException", "Invalid Context object provided: 'Map' field is not supported when mocking a Context object"},
		{"context with an unknown field", teststate.Request{Definition: `{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke","End":true}`, Mock: mockResult(`{}`), Context: `{"Execution":{"pokemon":1}}`},
			"ValidationException", "Invalid Context object provided: Field 'pokemon' is not allowed"},
		{"context with a non-string Execution.Id", teststate.Request{Definition: `{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke","End":true}`, Mock: mockResult(`{}`), Context: `{"Execution":{"Id":1}}`},
			"ValidationException", "Invalid Context object provided: Execution.Id must be a string"},
		{"context Task for a task without a token", teststate.Request{Definition: `{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke","End":true}`, Mock: mockResult(`{}`), Context: `{"Task":{"Token":"t"}}`},
			"ValidationException", "Invalid Context object provided: Context object contains 'Task' when state is not a Task state with a '.sync' or '.waitForTaskToken' service integration pattern"},
		{"an activity without a mock", teststate.Request{Definition: `{"Type":"Task","Resource":"arn:aws:states:us-east-1:123456789012:activity:a","End":true}`},
			"ValidationException", ""},
		{"a .sync task without a mock", teststate.Request{Definition: `{"Type":"Task","Resource":"arn:aws:states:::states:startExecution.sync:2","End":true}`},
			"ValidationException", ""},
		{"mock result of the wrong type", teststate.Request{Definition: `{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke","End":true}`, Mock: mockResult(`{"StatusCode":"200"}`)},
			"ValidationException", "Mock result schema validation error: Field 'StatusCode' must be a number"},
		{"mock result of the wrong type, deep", teststate.Request{Definition: `{"Type":"Task","Resource":"arn:aws:states:::aws-sdk:dynamodb:getItem","End":true}`,
			Mock: &teststate.Mock{Result: `{"Item":{"id":{"M":{"n":{"N":1}}}}}`, HasResult: true, FieldValidationMode: "PRESENT"}},
			"ValidationException", "Mock result schema validation error: Field 'N' must be a string"},
		{"mock result without a required field", teststate.Request{Definition: `{"Type":"Task","Resource":"arn:aws:states:::states:startExecution","End":true}`, Mock: mockResult(`{"ExecutionArn":"a"}`)},
			"ValidationException", "Mock result schema validation error: Required field 'StartDate' is missing"},
		{"mock result that is not an object", teststate.Request{Definition: `{"Type":"Task","Resource":"arn:aws:states:::sns:publish","End":true}`, Mock: mockResult(`[]`)},
			"ValidationException", "Mock result schema validation error: The mocked result must be a JSON object"},
		{"bad fieldValidationMode", teststate.Request{Definition: `{"Type":"Task","Resource":"arn:aws:states:::sns:publish","End":true}`,
			Mock: &teststate.Mock{Result: `{}`, HasResult: true, FieldValidationMode: "LOOSE"}},
			"ValidationException", "1 validation error detected: Value 'LOOSE' at 'mock.fieldValidationMode' failed to satisfy constraint: Member must satisfy enum value set: [STRICT, PRESENT, NONE]"},
		{"input that is not JSON", teststate.Request{Definition: `{"Type":"Pass","End":true}`, Input: `{"a":`},
			"InvalidExecutionInput", ""},
		{"a state with an error", teststate.Request{Definition: `{"Type":"Pass"}`},
			"InvalidDefinition", ""},
		{"a definition that is not JSON", teststate.Request{Definition: `{"Type":`},
			"InvalidDefinition", ""},
		{"stateName that the definition lacks", teststate.Request{Definition: `{"StartAt":"A","States":{"A":{"Type":"Pass","End":true}}}`, StateName: "B"},
			"ValidationException", "State not found in definition"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := teststate.Prepare(tt.req, env())
			e, ok := err.(*teststate.Error)
			if !ok {
				t.Fatalf("Prepare error = %v, want a *teststate.Error", err)
			}
			if e.Code != tt.code || (tt.msg != "" && e.Message != tt.msg) {
				t.Errorf("got %s: %s\nwant %s: %s", e.Code, e.Message, tt.code, tt.msg)
			}
		})
	}
}

// TestInputAsSent checks that the inspection data shows the input as the
// request sent it, as AWS does (its DEBUG example keeps the blanks).
func TestInputAsSent(t *testing.T) {
	const input = `{"payload": {"foo": "bar"}}`
	resp, err := run(t, teststate.Request{
		Definition: `{"Type":"Pass","InputPath":"$.payload","Parameters":{"data":1},"ResultPath":"$.result","OutputPath":"$.result.data","Next":"Another State"}`,
		Input:      input, InspectionLevel: teststate.LevelDebug,
	}, nil)
	if err != nil {
		t.Fatal(err)
	}
	got := []string{*resp.Output, *resp.InspectionData.Input, *resp.InspectionData.AfterInputPath, *resp.InspectionData.AfterResultPath, resp.NextState}
	want := []string{"1", input, `{"foo":"bar"}`, `{"payload":{"foo":"bar"},"result":{"data":1}}`, "Another State"}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("[output input afterInputPath afterResultPath nextState] (-want +got):\n%s", d)
	}

	// A Choice state passes its input on unchanged, and AWS shows it as
	// sent (the INFO example of the TestState guide).
	resp, err = run(t, teststate.Request{
		Definition: `{"Type":"Choice","Choices":[{"Variable":"$.number","NumericEquals":1,"Next":"Equals 1"},{"Variable":"$.number","NumericEquals":2,"Next":"Equals 2"}],"Default":"No Match"}`,
		Input:      `{"number": 2}`,
	}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if *resp.Output != `{"number": 2}` || resp.NextState != "Equals 2" || resp.InspectionData != nil {
		t.Errorf("Choice at INFO: output %s, next %q, inspection %v", *resp.Output, resp.NextState, resp.InspectionData)
	}
}

// TestMockAccepted checks mocks that the API models accept: unknown
// fields, PRESENT without required fields, NONE with anything, and
// resources whose model Stepwise does not know.
func TestMockAccepted(t *testing.T) {
	tests := []struct {
		resource, mode, result string
	}{
		{"arn:aws:states:::lambda:invoke", "", `{"Payload":{"any":["thing"]},"StatusCode":200,"SdkHttpMetadata":{"HttpStatusCode":200}}`},
		{"arn:aws:states:::states:startExecution", "PRESENT", `{"ExecutionArn":"a"}`},
		{"arn:aws:states:::states:startExecution", "NONE", `{"ExecutionArn":1}`},
		{"arn:aws:states:::dynamodb:putItem", "STRICT", `{"Attributes":{"id":{"S":"1"},"tags":{"SS":["a"]},"m":{"M":{"x":{"NULL":true}}}}}`},
		{"arn:aws:states:::states:startExecution.sync:2", "STRICT", `{"Status":"SUCCEEDED"}`},
		{"arn:aws:states:::aws-sdk:s3:getObject", "STRICT", `"body"`},
	}
	for _, tt := range tests {
		_, err := teststate.Prepare(teststate.Request{
			Definition: `{"Type":"Task","Resource":"` + tt.resource + `","End":true}`,
			Mock:       &teststate.Mock{Result: tt.result, HasResult: true, FieldValidationMode: tt.mode},
		}, env())
		if err != nil {
			t.Errorf("%s %s %s: %v", tt.resource, tt.mode, tt.result, err)
		}
	}
}
