package conformance_test

import (
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"stepwise/internal/conformance"
	"stepwise/jsonval"
)

// mustParse parses JSON text in tests.
func mustParse(t *testing.T, s string) any {
	t.Helper()
	v, err := jsonval.ParseString(s)
	if err != nil {
		t.Fatalf("parse %s: %v", s, err)
	}
	return v
}

func TestValue(t *testing.T) {
	tests := []struct {
		name     string
		expected string
		actual   string
		diff     string // a substring of the difference, "" for a match
	}{
		{"equal objects in another order", `{"a":1,"b":[true,null]}`, `{"b":[true,null],"a":1}`, ""},
		{"numbers by value", `[1,1.0,1e0]`, `[1.0,1,1]`, ""},
		{"different number", `{"a":{"b":[1,2]}}`, `{"a":{"b":[1,3]}}`, "at /a/b/1: expected 2, got 3"},
		{"missing member", `{"a":1,"b":2}`, `{"a":1}`, `at /: member "b" is missing`},
		{"extra member", `{"a":1}`, `{"a":1,"c":2}`, `at /: unexpected member "c"`},
		{"array length", `[1,2]`, `[1,2,3]`, "expected 2 elements, got 3"},
		{"kind", `{"a":"1"}`, `{"a":1}`, `at /a: expected "1", got 1`},
		{"pointer escaping", `{"a/b":1}`, `{"a/b":2}`, "at /a~1b:"},
		{"any-value word", `{"t":"timestamp","d":"date","r":"sfn_role_arn"}`, `{"t":1.5,"d":"2024-01-01","r":{"x":1}}`, ""},
		{"any-value word only as a whole string", `"a timestamp"`, `"a 123"`, "expected"},
		{"placeholder in text", `"arn:<partition>:states:<region>:111:execution:<resource:1>:<resource:3>"`,
			`"arn:aws:states:us-east-1:111:execution:sm:ex-1"`, ""},
		{"placeholder matches its own text", `"arn:<partition>:lambda:<region>:1:function:<fn>"`,
			`"arn:<partition>:lambda:<region>:1:function:<fn>"`, ""},
		{"placeholder is never empty", `"id-<uuid:1>"`, `"id-"`, "expected"},
		{"literal text around placeholders", `"<a>-x-<b>"`, `"1-y-2"`, "expected"},
		{"not a placeholder", `"a <b c> d"`, `"a <b c> d"`, ""},
		{"not a placeholder differs", `"1 < 2 > 0"`, `"1 < 3 > 0"`, "expected"},
		{"whole-value placeholder stands for a number", `{"n":"<count>"}`, `{"n":42}`, ""},
		{"nested placeholder", `{"TaskToken":"<<task_token>:1>"}`, `{"TaskToken":"AQB8tok"}`, ""},
		{"nested placeholder, own text", `"<<task_token>:1>"`, `"<<task_token>:1>"`, ""},
		{"transformer replacement word", `{"EnteredTime":"entered-time","StartTime":"start-time"}`,
			`{"EnteredTime":"2024-11-04T11:03:53.123Z","StartTime":"2024-11-04T11:03:53Z"}`, ""},
		{"placeholder in a member name", `{"<uuid:1>":1}`, `{"abc":1}`, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := conformance.NewMatcher()
			got := m.Value(mustParse(t, tt.expected), mustParse(t, tt.actual))
			if tt.diff == "" && got != "" || tt.diff != "" && !strings.Contains(got, tt.diff) {
				t.Errorf("Value = %q, want a difference containing %q", got, tt.diff)
			}
		})
	}
}

// TestPlaceholderBinding checks that one placeholder stands for the same
// text throughout a case, while different placeholders may differ.
func TestPlaceholderBinding(t *testing.T) {
	m := conformance.NewMatcher()
	steps := []struct {
		expected, actual string
		match            bool
	}{
		{`"<uuid:1>"`, `"aaa"`, true},
		{`"<uuid:2>"`, `"bbb"`, true},             // another name, another text
		{`"x/<uuid:1>/y"`, `"x/aaa/y"`, true},     // same name, same text
		{`"x/<uuid:1>/y"`, `"x/bbb/y"`, false},    // same name, other text
		{`{"k":"<uuid:3>"}`, `{"k":"aaa"}`, true}, // other names may share text
		{`["<r>","<r>"]`, `["ccc","ddd"]`, false}, // inconsistent within one value
		{`"<r>"`, `"ddd"`, true},                  // ... and that failure bound nothing
		{`"<uuid:1>"`, `"<uuid:1>"`, true},        // its own text always matches
		{`"<task_token:1>"`, `"tok"`, true},       //
		{`"<task_token:1>:<task_token:1>"`, `"tok:tok"`, true},
	}
	for i, s := range steps {
		d := m.Value(mustParse(t, s.expected), mustParse(t, s.actual))
		if (d == "") != s.match {
			t.Errorf("step %d: Value(%s, %s) = %q, want match %v", i, s.expected, s.actual, d, s.match)
		}
	}
	want := map[string]string{"uuid:1": "aaa", "uuid:2": "bbb", "uuid:3": "aaa", "r": "ddd", "task_token:1": "tok"}
	if d := cmp.Diff(want, m.Bindings()); d != "" {
		t.Errorf("bindings (-want +got):\n%s", d)
	}
}

// event builds a recorded or produced event from JSON text.
func events(t *testing.T, evs ...string) []any {
	t.Helper()
	var out []any
	for _, e := range evs {
		out = append(out, mustParse(t, e))
	}
	return out
}

func TestHistoryPayloads(t *testing.T) {
	tests := []struct {
		name     string
		expected string
		actual   string
		diff     string
	}{
		{
			name:     "recording parsed, wire text",
			expected: `{"id":2,"previousEventId":0,"timestamp":"timestamp","type":"PassStateEntered","stateEnteredEventDetails":{"input":{"a":[1, 2]},"inputDetails":{"truncated":false},"name":"P"}}`,
			actual:   `{"timestamp":1700000000.123,"type":"PassStateEntered","id":2,"previousEventId":0,"stateEnteredEventDetails":{"name":"P","input":"{\"a\":[1,2]}","inputDetails":{"truncated":false}}}`,
		},
		{
			name:     "both text, different spacing",
			expected: `{"id":1,"previousEventId":0,"timestamp":"timestamp","type":"ExecutionStarted","executionStartedEventDetails":{"input":"[[1, 2], [3]]","inputDetails":{"truncated":false},"roleArn":"snf_role_arn"}}`,
			actual:   `{"timestamp":1,"type":"ExecutionStarted","id":1,"previousEventId":0,"executionStartedEventDetails":{"input":"[[1,2],[3]]","inputDetails":{"truncated":false},"roleArn":"arn:aws:iam::1:role/r"}}`,
		},
		{
			name:     "parsed string against JSON text of a string",
			expected: `{"id":3,"previousEventId":2,"timestamp":"timestamp","type":"TaskSucceeded","taskSucceededEventDetails":{"output":"HelloWorld","outputDetails":{"truncated":false},"resource":"invoke","resourceType":"lambda"}}`,
			actual:   `{"timestamp":1,"type":"TaskSucceeded","id":3,"previousEventId":2,"taskSucceededEventDetails":{"resourceType":"lambda","resource":"invoke","output":"\"HelloWorld\"","outputDetails":{"truncated":false}}}`,
		},
		{
			name:     "plain-text cause",
			expected: `{"id":3,"previousEventId":2,"timestamp":"timestamp","type":"ExecutionFailed","executionFailedEventDetails":{"error":"E","cause":"An error in state '<s>'"}}`,
			actual:   `{"timestamp":1,"type":"ExecutionFailed","id":3,"previousEventId":2,"executionFailedEventDetails":{"error":"E","cause":"An error in state 'X'"}}`,
		},
		{
			name:     "assigned variables as payloads",
			expected: `{"id":3,"previousEventId":2,"timestamp":"timestamp","type":"PassStateExited","stateExitedEventDetails":{"assignedVariables":{"x":"42","v":{}},"assignedVariablesDetails":{"truncated":false},"name":"P","output":{},"outputDetails":{"truncated":false}}}`,
			actual:   `{"timestamp":1,"type":"PassStateExited","id":3,"previousEventId":2,"stateExitedEventDetails":{"name":"P","output":"{}","outputDetails":{"truncated":false},"assignedVariablesDetails":{"truncated":false},"assignedVariables":{"v":"{}","x":"42.0"}}}`,
		},
		{
			name:     "payload value differs",
			expected: `{"id":2,"previousEventId":0,"timestamp":"timestamp","type":"PassStateEntered","stateEnteredEventDetails":{"input":{"a":1},"inputDetails":{"truncated":false},"name":"P"}}`,
			actual:   `{"timestamp":1,"type":"PassStateEntered","id":2,"previousEventId":0,"stateEnteredEventDetails":{"name":"P","input":"{\"a\":2}","inputDetails":{"truncated":false}}}`,
			diff:     "event 1 (PassStateEntered) at /stateEnteredEventDetails/input/a: expected 1, got 2",
		},
		{
			name:     "previousEventId differs",
			expected: `{"id":2,"previousEventId":0,"timestamp":"timestamp","type":"PassStateEntered","stateEnteredEventDetails":{"input":{},"inputDetails":{"truncated":false},"name":"P"}}`,
			actual:   `{"timestamp":1,"type":"PassStateEntered","id":2,"previousEventId":1,"stateEnteredEventDetails":{"name":"P","input":"{}","inputDetails":{"truncated":false}}}`,
			diff:     "at /previousEventId: expected 0, got 1",
		},
		{
			name:     "extra detail member",
			expected: `{"id":1,"previousEventId":0,"timestamp":"timestamp","type":"ExecutionFailed","executionFailedEventDetails":{"error":"E"}}`,
			actual:   `{"timestamp":1,"type":"ExecutionFailed","id":1,"previousEventId":0,"executionFailedEventDetails":{"error":"E","cause":"c"}}`,
			diff:     "at /executionFailedEventDetails/cause: unexpected member",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := conformance.NewMatcher().History(events(t, tt.expected), events(t, tt.actual))
			if tt.diff == "" && got != "" || tt.diff != "" && !strings.Contains(got, tt.diff) {
				t.Errorf("History = %q, want a difference containing %q", got, tt.diff)
			}
		})
	}
}

func TestHistoryLength(t *testing.T) {
	a := `{"id":1,"previousEventId":0,"timestamp":"timestamp","type":"ExecutionStarted","executionStartedEventDetails":{"input":{},"inputDetails":{"truncated":false},"roleArn":"snf_role_arn"}}`
	b := `{"id":2,"previousEventId":1,"timestamp":"timestamp","type":"ExecutionSucceeded","executionSucceededEventDetails":{"output":{},"outputDetails":{"truncated":false}}}`
	m := conformance.NewMatcher()
	if d := m.History(events(t, a, b), events(t, a)); !strings.Contains(d, "first missing: event 2 (ExecutionSucceeded)") {
		t.Errorf("History = %q", d)
	}
	if d := m.History(events(t, a), events(t, a, b)); !strings.Contains(d, "first extra: event 2 (ExecutionSucceeded)") {
		t.Errorf("History = %q", d)
	}
}

// A Parallel state with two one-state branches, as AWS writes it (ids in
// order of occurrence, branch events interleaved) and as the recording
// shows it after LocalStack's transformer: branch events sorted, ids [0],
// and ParallelStateSucceeded gone.
const (
	evStarted   = `{"timestamp":1,"type":"ExecutionStarted","id":1,"previousEventId":0,"executionStartedEventDetails":{"input":"{}","inputDetails":{"truncated":false},"roleArn":"r"}}`
	evParEnter  = `{"timestamp":1,"type":"ParallelStateEntered","id":2,"previousEventId":0,"stateEnteredEventDetails":{"name":"Par","input":"{}","inputDetails":{"truncated":false}}}`
	evParStart  = `{"timestamp":1,"type":"ParallelStateStarted","id":3,"previousEventId":2}`
	evB2Enter   = `{"timestamp":1,"type":"PassStateEntered","id":4,"previousEventId":3,"stateEnteredEventDetails":{"name":"B2","input":"{}","inputDetails":{"truncated":false}}}`
	evB1Enter   = `{"timestamp":1,"type":"PassStateEntered","id":5,"previousEventId":3,"stateEnteredEventDetails":{"name":"B1","input":"{}","inputDetails":{"truncated":false}}}`
	evB1Exit    = `{"timestamp":1,"type":"PassStateExited","id":6,"previousEventId":5,"stateExitedEventDetails":{"name":"B1","output":"{\"b\":1}","outputDetails":{"truncated":false}}}`
	evB2Exit    = `{"timestamp":1,"type":"PassStateExited","id":7,"previousEventId":4,"stateExitedEventDetails":{"name":"B2","output":"{\"b\":2}","outputDetails":{"truncated":false}}}`
	evParSucc   = `{"timestamp":1,"type":"ParallelStateSucceeded","id":8,"previousEventId":7}`
	evParExit   = `{"timestamp":1,"type":"ParallelStateExited","id":9,"previousEventId":7,"stateExitedEventDetails":{"name":"Par","output":"[{\"b\":1},{\"b\":2}]","outputDetails":{"truncated":false}}}`
	evSucceeded = `{"timestamp":1,"type":"ExecutionSucceeded","id":10,"previousEventId":9,"executionSucceededEventDetails":{"output":"[{\"b\":1},{\"b\":2}]","outputDetails":{"truncated":false}}}`

	recB1Enter = `{"id":[0],"previousEventId":0,"stateEnteredEventDetails":{"input":{},"inputDetails":{"truncated":false},"name":"B1"},"timestamp":"timestamp","type":"PassStateEntered"}`
	recB2Enter = `{"id":[0],"previousEventId":0,"stateEnteredEventDetails":{"input":{},"inputDetails":{"truncated":false},"name":"B2"},"timestamp":"timestamp","type":"PassStateEntered"}`
	recB1Exit  = `{"id":[0],"previousEventId":0,"stateExitedEventDetails":{"name":"B1","output":{"b":1},"outputDetails":{"truncated":false}},"timestamp":"timestamp","type":"PassStateExited"}`
	recB2Exit  = `{"id":[0],"previousEventId":0,"stateExitedEventDetails":{"name":"B2","output":{"b":2},"outputDetails":{"truncated":false}},"timestamp":"timestamp","type":"PassStateExited"}`
)

func TestNormalizeParallel(t *testing.T) {
	in := events(t, evStarted, evParEnter, evParStart, evB2Enter, evB1Enter, evB1Exit, evB2Exit, evParSucc, evParExit, evSucceeded)
	before := jsonval.MustMarshalString(in)
	got := conformance.NormalizeParallel(in)
	if jsonval.MustMarshalString(in) != before {
		t.Errorf("NormalizeParallel modified its input")
	}
	var ids []string
	for _, ev := range got {
		o := ev.(*jsonval.Object)
		id, _ := o.Get("id")
		prev, _ := o.Get("previousEventId")
		typ, _ := o.Get("type")
		ids = append(ids, jsonval.MustMarshalString([]any{id, prev, typ}))
	}
	want := []string{
		`[1,0,"ExecutionStarted"]`,
		`[2,0,"ParallelStateEntered"]`,
		`[3,2,"ParallelStateStarted"]`,
		`[[0],0,"PassStateEntered"]`,
		`[[0],0,"PassStateEntered"]`,
		`[[0],0,"PassStateExited"]`,
		`[[0],0,"PassStateExited"]`,
		// ParallelStateSucceeded deleted by the second end event.
		`[9,7,"ParallelStateExited"]`,
		`[10,9,"ExecutionSucceeded"]`,
	}
	if d := cmp.Diff(want, ids); d != "" {
		t.Errorf("(-want +got):\n%s", d)
	}
}

func TestHistoryParallelMultiset(t *testing.T) {
	recStarted := `{"id":1,"previousEventId":0,"timestamp":"timestamp","type":"ExecutionStarted","executionStartedEventDetails":{"input":{},"inputDetails":{"truncated":false},"roleArn":"snf_role_arn"}}`
	recParEnter := `{"id":2,"previousEventId":0,"timestamp":"timestamp","type":"ParallelStateEntered","stateEnteredEventDetails":{"input":{},"inputDetails":{"truncated":false},"name":"Par"}}`
	recParStart := `{"id":3,"previousEventId":2,"timestamp":"timestamp","type":"ParallelStateStarted"}`
	recParExit := `{"id":9,"previousEventId":7,"timestamp":"timestamp","type":"ParallelStateExited","stateExitedEventDetails":{"name":"Par","output":[{"b":1},{"b":2}],"outputDetails":{"truncated":false}}}`
	recSucceeded := `{"id":10,"previousEventId":9,"timestamp":"timestamp","type":"ExecutionSucceeded","executionSucceededEventDetails":{"output":[{"b":1},{"b":2}],"outputDetails":{"truncated":false}}}`
	expected := events(t, recStarted, recParEnter, recParStart, recB1Enter, recB1Exit, recB2Enter, recB2Exit, recParExit, recSucceeded)

	tests := []struct {
		name   string
		actual []string
		diff   string
	}{
		{"interleaved branches", []string{evStarted, evParEnter, evParStart, evB2Enter, evB1Enter, evB1Exit, evB2Exit, evParSucc, evParExit, evSucceeded}, ""},
		{"one branch after the other", []string{evStarted, evParEnter, evParStart, evB1Enter, evB1Exit, evB2Enter, evB2Exit, evParSucc, evParExit, evSucceeded}, ""},
		{"a branch event differs", []string{evStarted, evParEnter, evParStart, evB2Enter, evB1Enter, evB1Exit,
			strings.Replace(evB2Exit, `{\"b\":2}`, `{\"b\":3}`, 1), evParSucc, evParExit, evSucceeded},
			"Parallel branch event 4 of 4, compared in any order): no match; closest at /stateExitedEventDetails/output/b: expected 2, got 3"},
		{"a branch event missing", []string{evStarted, evParEnter, evParStart, evB2Enter, evB1Enter, evB1Exit, evParSucc, evParExit, evSucceeded}, "no match"},
		// The transformer deleted ParallelStateSucceeded from the recording,
		// so its absence cannot be seen; the ids after it still can.
		{"no ParallelStateSucceeded", []string{evStarted, evParEnter, evParStart, evB2Enter, evB1Enter, evB1Exit, evB2Exit, evParExit, evSucceeded}, ""},
		{"ids not counting ParallelStateSucceeded", []string{evStarted, evParEnter, evParStart, evB2Enter, evB1Enter, evB1Exit, evB2Exit,
			strings.Replace(evParExit, `"id":9`, `"id":8`, 1), evSucceeded}, "at /id: expected 9, got 8"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := conformance.NewMatcher().History(expected, events(t, tt.actual...))
			if tt.diff == "" && got != "" || tt.diff != "" && !strings.Contains(got, tt.diff) {
				t.Errorf("History = %q, want a difference containing %q", got, tt.diff)
			}
		})
	}
}

func TestResult(t *testing.T) {
	ok := conformance.Case{Expected: conformance.Expected{Status: "SUCCEEDED", Output: mustParse(t, `{"id":"<uuid:1>","n":1}`), HasOutput: true}}
	failed := conformance.Case{Expected: conformance.Expected{Status: "FAILED", Error: "States.TaskFailed", Cause: `{"errorMessage": "boom", "x": [1]}`, HasCause: true}}
	noCause := conformance.Case{Expected: conformance.Expected{Status: "FAILED", Error: "E"}}
	noError := conformance.Case{Expected: conformance.Expected{Status: "FAILED", Cause: "Condition is false", HasCause: true}}
	tests := []struct {
		name    string
		c       conformance.Case
		status  string
		output  any
		errName string
		cause   string
		diff    string
	}{
		{"output matches", ok, "SUCCEEDED", mustParse(t, `{"n":1.0,"id":"abc"}`), "", "", ""},
		{"output differs", ok, "SUCCEEDED", mustParse(t, `{"n":2,"id":"abc"}`), "", "", "output at /n: expected 1, got 2"},
		{"status differs", ok, "FAILED", nil, "E", "", "status: expected SUCCEEDED, got FAILED"},
		{"reserialized cause compares as JSON", failed, "FAILED", nil, "States.TaskFailed", `{"errorMessage":"boom","x":[1]}`, ""},
		{"cause differs", failed, "FAILED", nil, "States.TaskFailed", `{"errorMessage":"bang","x":[1]}`, "cause at /errorMessage"},
		{"error differs", failed, "FAILED", nil, "States.Runtime", `{"errorMessage":"boom","x":[1]}`, `error at /: expected "States.TaskFailed", got "States.Runtime"`},
		{"no cause expected", noCause, "FAILED", nil, "E", "", ""},
		{"unexpected cause", noCause, "FAILED", nil, "E", "c", "cause: expected none"},
		{"no error expected", noError, "FAILED", nil, "", "Condition is false", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := conformance.NewMatcher().Result(tt.c, tt.status, tt.output, tt.errName, tt.cause)
			if tt.diff == "" && got != "" || tt.diff != "" && !strings.Contains(got, tt.diff) {
				t.Errorf("Result = %q, want a difference containing %q", got, tt.diff)
			}
		})
	}
}

// TestMatcherForAddedMembers checks that a member AWS added after a case
// was recorded is accepted only in cases recorded before it existed.
func TestMatcherForAddedMembers(t *testing.T) {
	exp := `{"Execution":{"Name":"e"}}`
	act := `{"Execution":{"Name":"e","RedriveCount":0}}`
	for _, tc := range []struct {
		recorded time.Time
		diff     string
	}{
		{time.Date(2023, 10, 24, 17, 18, 16, 0, time.UTC), ""},
		{time.Date(2024, 7, 15, 13, 0, 0, 0, time.UTC), `unexpected member "RedriveCount"`},
		{time.Time{}, `unexpected member "RedriveCount"`},
	} {
		m := conformance.NewMatcherFor(conformance.Case{Recorded: tc.recorded})
		d := m.Value(mustParse(t, exp), mustParse(t, act))
		if tc.diff == "" && d != "" || tc.diff != "" && !strings.Contains(d, tc.diff) {
			t.Errorf("recorded %v: diff %q, want %q", tc.recorded, d, tc.diff)
		}
		if d := m.Value(mustParse(t, exp), mustParse(t, `{"Execution":{"Name":"e","Other":0}}`)); !strings.Contains(d, `unexpected member "Other"`) {
			t.Errorf("recorded %v: other members must still differ, got %q", tc.recorded, d)
		}
	}
}
