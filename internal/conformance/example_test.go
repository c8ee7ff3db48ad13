package conformance_test

import (
	"fmt"
	"time"

	"stepwise/history"
	"stepwise/internal/conformance"
	"stepwise/jsonval"
)

// A conformance test runs each case, then compares its outcome and its
// history with one Matcher, so that placeholders bind across both.
func ExampleMatcher() {
	recorded, _ := jsonval.ParseString(`[
	  {"id": 1, "previousEventId": 0, "timestamp": "timestamp", "type": "ExecutionStarted",
	   "executionStartedEventDetails": {"input": {"n": 1}, "inputDetails": {"truncated": false}, "roleArn": "snf_role_arn"}},
	  {"id": 2, "previousEventId": 0, "timestamp": "timestamp", "type": "PassStateEntered",
	   "stateEnteredEventDetails": {"input": {"n": 1}, "inputDetails": {"truncated": false}, "name": "P"}},
	  {"id": 3, "previousEventId": 2, "timestamp": "timestamp", "type": "PassStateExited",
	   "stateExitedEventDetails": {"name": "P", "output": "{\"id\":\"<uuid:1>\"}", "outputDetails": {"truncated": false}}},
	  {"id": 4, "previousEventId": 3, "timestamp": "timestamp", "type": "ExecutionSucceeded",
	   "executionSucceededEventDetails": {"output": {"id": "<uuid:1>"}, "outputDetails": {"truncated": false}}}
	]`)
	output, _ := jsonval.ParseString(`{"id":"<uuid:1>"}`)
	c := conformance.Case{ID: "example", Expected: conformance.Expected{
		Status: "SUCCEEDED", Output: output, HasOutput: true, History: recorded.([]any)}}

	// What a run produced.
	t0 := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	produced := []history.Event{
		{Timestamp: t0, Type: history.ExecutionStarted, ID: 1,
			Details: &history.ExecutionStartedEventDetails{Input: `{"n":1}`, RoleArn: "arn:aws:iam::111111111111:role/r"}},
		{Timestamp: t0, Type: history.PassStateEntered, ID: 2,
			Details: &history.StateEnteredEventDetails{Name: "P", Input: `{"n":1}`}},
		{Timestamp: t0, Type: history.PassStateExited, ID: 3, PreviousEventID: 2,
			Details: &history.StateExitedEventDetails{Name: "P", Output: `{"id":"7f3c"}`}},
		{Timestamp: t0, Type: history.ExecutionSucceeded, ID: 4, PreviousEventID: 3,
			Details: &history.ExecutionSucceededEventDetails{Output: `{"id":"7f3c"}`}},
	}
	result, _ := jsonval.ParseString(`{"id":"7f3c"}`)

	m := conformance.NewMatcher()
	actual, err := conformance.Actual(produced)
	if err != nil {
		panic(err)
	}
	fmt.Printf("history: %q\n", m.History(c.Expected.History, actual))
	fmt.Printf("result: %q\n", m.Result(c, "SUCCEEDED", result, "", ""))
	fmt.Println("uuid:1 =", m.Bindings()["uuid:1"])

	// The same placeholder must stand for the same text.
	other, _ := jsonval.ParseString(`{"id":"9abc"}`)
	fmt.Println(conformance.NewMatcher().Result(c, "SUCCEEDED", other, "", "") == "")
	fmt.Println(m.Result(c, "SUCCEEDED", other, "", ""))
	// Output:
	// history: ""
	// result: ""
	// uuid:1 = 7f3c
	// true
	// output at /id: expected "<uuid:1>", got "9abc" (<uuid:1> is "7f3c")
}
