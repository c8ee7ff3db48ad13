package history_test

import (
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"stepwise/history"
)

// setters builds, for each details member's JSON name, a function that
// sets that member on an event.
var setters = map[string]func(*history.Event){
	"activityFailedEventDetails": func(e *history.Event) { e.Details = &history.ActivityFailedEventDetails{} },
	"activityScheduleFailedEventDetails": func(e *history.Event) {
		e.Details = &history.ActivityScheduleFailedEventDetails{}
	},
	"activityScheduledEventDetails": func(e *history.Event) { e.Details = &history.ActivityScheduledEventDetails{} },
	"activityStartedEventDetails":   func(e *history.Event) { e.Details = &history.ActivityStartedEventDetails{} },
	"activitySucceededEventDetails": func(e *history.Event) { e.Details = &history.ActivitySucceededEventDetails{} },
	"activityTimedOutEventDetails":  func(e *history.Event) { e.Details = &history.ActivityTimedOutEventDetails{} },
	"evaluationFailedEventDetails":  func(e *history.Event) { e.Details = &history.EvaluationFailedEventDetails{} },
	"executionAbortedEventDetails":  func(e *history.Event) { e.Details = &history.ExecutionAbortedEventDetails{} },
	"executionFailedEventDetails":   func(e *history.Event) { e.Details = &history.ExecutionFailedEventDetails{} },
	"executionRedrivenEventDetails": func(e *history.Event) { e.Details = &history.ExecutionRedrivenEventDetails{} },
	"executionStartedEventDetails":  func(e *history.Event) { e.Details = &history.ExecutionStartedEventDetails{} },
	"executionSucceededEventDetails": func(e *history.Event) {
		e.Details = &history.ExecutionSucceededEventDetails{}
	},
	"executionTimedOutEventDetails": func(e *history.Event) { e.Details = &history.ExecutionTimedOutEventDetails{} },
	"lambdaFunctionFailedEventDetails": func(e *history.Event) {
		e.Details = &history.LambdaFunctionFailedEventDetails{}
	},
	"lambdaFunctionScheduleFailedEventDetails": func(e *history.Event) {
		e.Details = &history.LambdaFunctionScheduleFailedEventDetails{}
	},
	"lambdaFunctionScheduledEventDetails": func(e *history.Event) {
		e.Details = &history.LambdaFunctionScheduledEventDetails{}
	},
	"lambdaFunctionStartFailedEventDetails": func(e *history.Event) {
		e.Details = &history.LambdaFunctionStartFailedEventDetails{}
	},
	"lambdaFunctionSucceededEventDetails": func(e *history.Event) {
		e.Details = &history.LambdaFunctionSucceededEventDetails{}
	},
	"lambdaFunctionTimedOutEventDetails": func(e *history.Event) {
		e.Details = &history.LambdaFunctionTimedOutEventDetails{}
	},
	"mapIterationAbortedEventDetails":   func(e *history.Event) { e.Details = &history.MapIterationEventDetails{} },
	"mapIterationFailedEventDetails":    func(e *history.Event) { e.Details = &history.MapIterationEventDetails{} },
	"mapIterationStartedEventDetails":   func(e *history.Event) { e.Details = &history.MapIterationEventDetails{} },
	"mapIterationSucceededEventDetails": func(e *history.Event) { e.Details = &history.MapIterationEventDetails{} },
	"mapRunFailedEventDetails":          func(e *history.Event) { e.Details = &history.MapRunFailedEventDetails{} },
	"mapRunRedrivenEventDetails":        func(e *history.Event) { e.Details = &history.MapRunRedrivenEventDetails{} },
	"mapRunStartedEventDetails":         func(e *history.Event) { e.Details = &history.MapRunStartedEventDetails{} },
	"mapStateStartedEventDetails":       func(e *history.Event) { e.Details = &history.MapStateStartedEventDetails{} },
	"stateEnteredEventDetails":          func(e *history.Event) { e.Details = &history.StateEnteredEventDetails{} },
	"stateExitedEventDetails":           func(e *history.Event) { e.Details = &history.StateExitedEventDetails{} },
	"taskFailedEventDetails":            func(e *history.Event) { e.Details = &history.TaskFailedEventDetails{} },
	"taskScheduledEventDetails":         func(e *history.Event) { e.Details = &history.TaskScheduledEventDetails{} },
	"taskStartFailedEventDetails":       func(e *history.Event) { e.Details = &history.TaskStartFailedEventDetails{} },
	"taskStartedEventDetails":           func(e *history.Event) { e.Details = &history.TaskStartedEventDetails{} },
	"taskSubmitFailedEventDetails":      func(e *history.Event) { e.Details = &history.TaskSubmitFailedEventDetails{} },
	"taskSubmittedEventDetails":         func(e *history.Event) { e.Details = &history.TaskSubmittedEventDetails{} },
	"taskSucceededEventDetails":         func(e *history.Event) { e.Details = &history.TaskSucceededEventDetails{} },
	"taskTimedOutEventDetails":          func(e *history.Event) { e.Details = &history.TaskTimedOutEventDetails{} },
}

// jsonKeys returns the member names of the JSON object v encodes to.
func jsonKeys(t *testing.T, v any) []string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]json.RawMessage
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	var keys []string
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

// TestTypesMatchDetails checks, for every AWS event type, that the details
// member DetailsField names is the one an event of that type must carry and
// is written under that name.
func TestTypesMatchDetails(t *testing.T) {
	tests := []struct {
		typ   history.EventType
		field string
	}{
		{history.ActivityFailed, "activityFailedEventDetails"},
		{history.ActivityScheduled, "activityScheduledEventDetails"},
		{history.ActivityScheduleFailed, "activityScheduleFailedEventDetails"},
		{history.ActivityStarted, "activityStartedEventDetails"},
		{history.ActivitySucceeded, "activitySucceededEventDetails"},
		{history.ActivityTimedOut, "activityTimedOutEventDetails"},
		{history.ChoiceStateEntered, "stateEnteredEventDetails"},
		{history.ChoiceStateExited, "stateExitedEventDetails"},
		{history.ExecutionAborted, "executionAbortedEventDetails"},
		{history.ExecutionFailed, "executionFailedEventDetails"},
		{history.ExecutionStarted, "executionStartedEventDetails"},
		{history.ExecutionSucceeded, "executionSucceededEventDetails"},
		{history.ExecutionTimedOut, "executionTimedOutEventDetails"},
		{history.FailStateEntered, "stateEnteredEventDetails"},
		{history.LambdaFunctionFailed, "lambdaFunctionFailedEventDetails"},
		{history.LambdaFunctionScheduled, "lambdaFunctionScheduledEventDetails"},
		{history.LambdaFunctionScheduleFailed, "lambdaFunctionScheduleFailedEventDetails"},
		{history.LambdaFunctionStarted, ""},
		{history.LambdaFunctionStartFailed, "lambdaFunctionStartFailedEventDetails"},
		{history.LambdaFunctionSucceeded, "lambdaFunctionSucceededEventDetails"},
		{history.LambdaFunctionTimedOut, "lambdaFunctionTimedOutEventDetails"},
		{history.MapIterationAborted, "mapIterationAbortedEventDetails"},
		{history.MapIterationFailed, "mapIterationFailedEventDetails"},
		{history.MapIterationStarted, "mapIterationStartedEventDetails"},
		{history.MapIterationSucceeded, "mapIterationSucceededEventDetails"},
		{history.MapStateAborted, ""},
		{history.MapStateEntered, "stateEnteredEventDetails"},
		{history.MapStateExited, "stateExitedEventDetails"},
		{history.MapStateFailed, ""},
		{history.MapStateStarted, "mapStateStartedEventDetails"},
		{history.MapStateSucceeded, ""},
		{history.ParallelStateAborted, ""},
		{history.ParallelStateEntered, "stateEnteredEventDetails"},
		{history.ParallelStateExited, "stateExitedEventDetails"},
		{history.ParallelStateFailed, ""},
		{history.ParallelStateStarted, ""},
		{history.ParallelStateSucceeded, ""},
		{history.PassStateEntered, "stateEnteredEventDetails"},
		{history.PassStateExited, "stateExitedEventDetails"},
		{history.SucceedStateEntered, "stateEnteredEventDetails"},
		{history.SucceedStateExited, "stateExitedEventDetails"},
		{history.TaskFailed, "taskFailedEventDetails"},
		{history.TaskScheduled, "taskScheduledEventDetails"},
		{history.TaskStarted, "taskStartedEventDetails"},
		{history.TaskStartFailed, "taskStartFailedEventDetails"},
		{history.TaskStateAborted, ""},
		{history.TaskStateEntered, "stateEnteredEventDetails"},
		{history.TaskStateExited, "stateExitedEventDetails"},
		{history.TaskSubmitFailed, "taskSubmitFailedEventDetails"},
		{history.TaskSubmitted, "taskSubmittedEventDetails"},
		{history.TaskSucceeded, "taskSucceededEventDetails"},
		{history.TaskTimedOut, "taskTimedOutEventDetails"},
		{history.WaitStateAborted, ""},
		{history.WaitStateEntered, "stateEnteredEventDetails"},
		{history.WaitStateExited, "stateExitedEventDetails"},
		{history.MapRunAborted, ""},
		{history.MapRunFailed, "mapRunFailedEventDetails"},
		{history.MapRunStarted, "mapRunStartedEventDetails"},
		{history.MapRunSucceeded, ""},
		{history.ExecutionRedriven, "executionRedrivenEventDetails"},
		{history.MapRunRedriven, "mapRunRedrivenEventDetails"},
		{history.EvaluationFailed, "evaluationFailedEventDetails"},
	}
	var listed []history.EventType
	for _, tt := range tests {
		listed = append(listed, tt.typ)
		t.Run(string(tt.typ), func(t *testing.T) {
			if !tt.typ.Known() {
				t.Errorf("Known() = false")
			}
			field, ok := history.DetailsField(tt.typ)
			if !ok || field != tt.field {
				t.Fatalf("DetailsField = %q, %v; want %q, true", field, ok, tt.field)
			}

			// The right details, and nothing else, is valid and is
			// written under its AWS name.
			ev := history.Event{Type: tt.typ, ID: 1}
			if tt.field != "" {
				setters[tt.field](&ev)
			}
			if err := ev.Validate(); err != nil {
				t.Errorf("Validate with the right details: %v", err)
			}
			want := []string{"id", "previousEventId", "timestamp", "type"}
			if tt.field != "" {
				want = append(want, tt.field)
				slices.Sort(want)
				if ev.Details == nil {
					t.Errorf("Details = nil")
				}
			}
			if d := cmp.Diff(want, jsonKeys(t, ev)); d != "" {
				t.Errorf("JSON members (-want +got):\n%s", d)
			}

			// Missing details, or any other details, is invalid.
			if tt.field != "" {
				bare := history.Event{Type: tt.typ, ID: 1}
				if err := bare.Validate(); !errors.Is(err, history.ErrInvalidEvent) {
					t.Errorf("Validate without details = %v, want ErrInvalidEvent", err)
				}
			}
			for field, set := range setters {
				if field == tt.field {
					continue
				}
				wrong := history.Event{Type: tt.typ, ID: 1}
				set(&wrong)
				if tt.field != "" && fmt.Sprintf("%T", wrong.Details) == fmt.Sprintf("%T", ev.Details) {
					continue // the four MapIteration events share one details type
				}
				if err := wrong.Validate(); !errors.Is(err, history.ErrInvalidEvent) {
					t.Errorf("Validate with %s = %v, want ErrInvalidEvent", field, err)
				}
			}
		})
	}
	if d := cmp.Diff(history.Types(), listed); d != "" {
		t.Errorf("Types() differs from the AWS list (-Types +test):\n%s", d)
	}
	// Every details member is used by some type.
	used := map[string]bool{}
	for _, tt := range tests {
		used[tt.field] = true
	}
	for field := range setters {
		if !used[field] {
			t.Errorf("details member %s belongs to no type", field)
		}
	}
}

func TestValidateUnknownType(t *testing.T) {
	ev := history.Event{Type: "ChildWorkflowExecutionStarted"}
	if ev.Type.Known() {
		t.Errorf("Known() = true for a type AWS does not define")
	}
	if err := ev.Validate(); !errors.Is(err, history.ErrInvalidEvent) {
		t.Errorf("Validate = %v, want ErrInvalidEvent", err)
	}
	wrong := history.Event{Type: history.TaskScheduled, Details: &history.TaskStartedEventDetails{}}
	if err := wrong.Validate(); !errors.Is(err, history.ErrInvalidEvent) {
		t.Errorf("Validate with the wrong details = %v, want ErrInvalidEvent", err)
	}
}

var ts = time.Date(2024, 11, 4, 11, 3, 53, 123_000_000, time.UTC)

// TestWireJSON pins the exact bytes of a few events.
func TestWireJSON(t *testing.T) {
	tests := []struct {
		name string
		ev   history.Event
		want string
	}{
		{
			name: "ExecutionStarted",
			ev: history.Event{Timestamp: ts, Type: history.ExecutionStarted, ID: 1,
				Details: &history.ExecutionStartedEventDetails{
					Input: `{"a":"<b>&"}`, RoleArn: "arn:aws:iam::123456789012:role/r"}},
			want: `{"timestamp":1730718233.123,"type":"ExecutionStarted","id":1,"previousEventId":0,` +
				`"executionStartedEventDetails":{"input":"{\"a\":\"<b>&\"}","inputDetails":{"truncated":false},"roleArn":"arn:aws:iam::123456789012:role/r"}}`,
		},
		{
			name: "TaskStateEntered",
			ev: history.Event{Timestamp: ts.Add(7 * time.Millisecond), Type: history.TaskStateEntered, ID: 2, PreviousEventID: 0,
				Details: &history.StateEnteredEventDetails{Name: "T", Input: "{}"}},
			want: `{"timestamp":1730718233.130,"type":"TaskStateEntered","id":2,"previousEventId":0,` +
				`"stateEnteredEventDetails":{"name":"T","input":"{}","inputDetails":{"truncated":false}}}`,
		},
		{
			name: "PassStateExited with assigned variables",
			ev: history.Event{Timestamp: time.Unix(1700000000, 0), Type: history.PassStateExited, ID: 3, PreviousEventID: 2,
				Details: &history.StateExitedEventDetails{Name: "P", Output: "[1,2]",
					AssignedVariables:        map[string]string{"x": "42", "a": `"s"`},
					AssignedVariablesDetails: &history.AssignedVariablesDetails{}}},
			want: `{"timestamp":1700000000.000,"type":"PassStateExited","id":3,"previousEventId":2,` +
				`"stateExitedEventDetails":{"name":"P","output":"[1,2]","outputDetails":{"truncated":false},` +
				`"assignedVariablesDetails":{"truncated":false},"assignedVariables":{"a":"\"s\"","x":"42"}}}`,
		},
		{
			name: "PassStateExited with empty Assign",
			ev: history.Event{Timestamp: time.Unix(1700000000, 0), Type: history.PassStateExited, ID: 3, PreviousEventID: 2,
				Details: &history.StateExitedEventDetails{Name: "P", Output: "{}",
					AssignedVariablesDetails: &history.AssignedVariablesDetails{}}},
			want: `{"timestamp":1700000000.000,"type":"PassStateExited","id":3,"previousEventId":2,` +
				`"stateExitedEventDetails":{"name":"P","output":"{}","outputDetails":{"truncated":false},` +
				`"assignedVariablesDetails":{"truncated":false},"assignedVariables":{}}}`,
		},
		{
			name: "MapIterationStarted index 0",
			ev: history.Event{Timestamp: time.UnixMilli(1700000000001), Type: history.MapIterationStarted, ID: 6, PreviousEventID: 5,
				Details: &history.MapIterationEventDetails{Name: "M", Index: 0}},
			want: `{"timestamp":1700000000.001,"type":"MapIterationStarted","id":6,"previousEventId":5,` +
				`"mapIterationStartedEventDetails":{"name":"M","index":0}}`,
		},
		{
			name: "TaskScheduled",
			ev: history.Event{Timestamp: time.UnixMilli(1700000000999), Type: history.TaskScheduled, ID: 3, PreviousEventID: 2,
				Details: &history.TaskScheduledEventDetails{ResourceType: "lambda", Resource: "invoke",
					Region: "us-east-1", Parameters: `{"FunctionName":"f","Payload":{}}`, TimeoutInSeconds: 10,
					TaskCredentials: &history.TaskCredentials{RoleArn: "arn:aws:iam::1:role/x"}}},
			want: `{"timestamp":1700000000.999,"type":"TaskScheduled","id":3,"previousEventId":2,` +
				`"taskScheduledEventDetails":{"resourceType":"lambda","resource":"invoke","region":"us-east-1",` +
				`"parameters":"{\"FunctionName\":\"f\",\"Payload\":{}}","timeoutInSeconds":10,"taskCredentials":{"roleArn":"arn:aws:iam::1:role/x"}}}`,
		},
		{
			name: "MapStateSucceeded without details",
			ev:   history.Event{Timestamp: time.UnixMilli(1700000000050), Type: history.MapStateSucceeded, ID: 18, PreviousEventID: 17},
			want: `{"timestamp":1700000000.050,"type":"MapStateSucceeded","id":18,"previousEventId":17}`,
		},
		{
			name: "ExecutionFailed without cause",
			ev: history.Event{Timestamp: time.UnixMilli(-1500), Type: history.ExecutionFailed, ID: 6, PreviousEventID: 5,
				Details: &history.ExecutionFailedEventDetails{Error: "FailureType"}},
			want: `{"timestamp":-1.500,"type":"ExecutionFailed","id":6,"previousEventId":5,` +
				`"executionFailedEventDetails":{"error":"FailureType"}}`,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if err := tt.ev.Validate(); err != nil {
				t.Fatal(err)
			}
			got, err := tt.ev.MarshalJSON()
			if err != nil {
				t.Fatal(err)
			}
			if d := cmp.Diff(tt.want, string(got)); d != "" {
				t.Errorf("wire JSON (-want +got):\n%s", d)
			}
			var back history.Event
			if err := json.Unmarshal(got, &back); err != nil {
				t.Fatal(err)
			}
			if d := cmp.Diff(tt.ev, back, cmp.Comparer(time.Time.Equal), cmpopts.EquateEmpty()); d != "" {
				t.Errorf("round trip (-want +got):\n%s", d)
			}
		})
	}
}

func TestUnmarshal(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want history.Event
	}{
		{
			name: "scientific timestamp as the Java SDK writes it",
			in:   `{"timestamp":1.700000000123E9,"type":"LambdaFunctionStarted","id":4,"previousEventId":3}`,
			want: history.Event{Timestamp: time.UnixMilli(1700000000123).UTC(), Type: history.LambdaFunctionStarted, ID: 4, PreviousEventID: 3},
		},
		{
			name: "unknown members are ignored",
			in:   `{"timestamp":1700000000,"type":"MapStateStarted","id":5,"previousEventId":4,"mapStateStartedEventDetails":{"length":3,"extra":1},"new":true}`,
			want: history.Event{Timestamp: time.Unix(1700000000, 0).UTC(), Type: history.MapStateStarted, ID: 5, PreviousEventID: 4,
				Details: &history.MapStateStartedEventDetails{Length: 3}},
		},
		{
			name: "sub-millisecond digits are kept on decoding",
			in:   `{"timestamp":1700000000.0001234,"type":"ParallelStateStarted","id":1}`,
			want: history.Event{Timestamp: time.Unix(1700000000, 123400).UTC(), Type: history.ParallelStateStarted, ID: 1},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got history.Event
			if err := json.Unmarshal([]byte(tt.in), &got); err != nil {
				t.Fatal(err)
			}
			if d := cmp.Diff(tt.want, got); d != "" {
				t.Errorf("(-want +got):\n%s", d)
			}
		})
	}
	for _, bad := range []string{`{"timestamp":"timestamp","type":"X"}`, `{"id":"1"}`, `[]`} {
		var ev history.Event
		if err := json.Unmarshal([]byte(bad), &ev); err == nil {
			t.Errorf("Unmarshal(%s) succeeded, want an error", bad)
		}
	}
}

// TestHandEncodedDetails checks that the details encoded by hand give the
// same JSON as encoding/json would.
func TestHandEncodedDetails(t *testing.T) {
	for _, d := range []history.Details{
		&history.StateEnteredEventDetails{Name: "A \"q\" <&>", Input: `{"x":"é\n"}`},
		&history.StateEnteredEventDetails{Name: "B"},
		&history.StateExitedEventDetails{Name: "C", Output: "[1,2]", OutputDetails: history.DataDetails{Truncated: true}},
		&history.StateExitedEventDetails{Name: "D"},
	} {
		ev := history.Event{Type: history.PassStateEntered, ID: 1, Details: d, Timestamp: time.Unix(1700000000, 0)}
		if _, ok := d.(*history.StateExitedEventDetails); ok {
			ev.Type = history.PassStateExited
		}
		got, err := ev.MarshalJSON()
		if err != nil {
			t.Fatal(err)
		}
		var back history.Event
		if err := json.Unmarshal(got, &back); err != nil {
			t.Fatal(err)
		}
		if d2 := cmp.Diff(d, back.Details); d2 != "" {
			t.Errorf("round trip (-want +got):\n%s\n%s", d2, got)
		}
		want, _ := json.Marshal(d)
		if !strings.Contains(string(got), strings.ReplaceAll(string(want), `\u003c\u0026\u003e`, `<&>`)) {
			t.Errorf("%s does not contain %s", got, want)
		}
	}
}
