package service_test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"testing/synctest"
	"time"

	"github.com/google/go-cmp/cmp"

	"stepwise/service"
	"stepwise/store"
)

// nestedParent is a parent whose one Task starts an execution of child
// with the given resource suffix ("", ".sync", ".sync:2",
// ".waitForTaskToken").
func nestedParent(pattern, child, extra string) string {
	return `{"StartAt":"Start","States":{"Start":{"Type":"Task","Resource":"arn:aws:states:::states:startExecution` + pattern + `",
		"Parameters":{"StateMachineArn":"` + child + `","Input.$":"$.Input","Name.$":"$.Name"}` + extra + `,"End":true}}}`
}

const succeedingChild = `{"StartAt":"W","States":{"W":{"Type":"Wait","Seconds":30,"Next":"P"},
	"P":{"Type":"Pass","Result":{"Arg1":"argument1"},"End":true}}}`

const failingChild = `{"StartAt":"W","States":{"W":{"Type":"Wait","Seconds":30,"Next":"F"},
	"F":{"Type":"Fail","Error":"SomeFailure","Cause":"This state machines raises a 'SomeFailure' failure."}}}`

const sleepingChild = `{"StartAt":"W","States":{"W":{"Type":"Wait","Seconds":86400,"End":true}}}`

func decodeObject(t *testing.T, text string) map[string]any {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal([]byte(text), &m); err != nil {
		t.Fatalf("decode %s: %v", text, err)
	}
	return m
}

func keys(m map[string]any) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}

// recordedCase reads a conformance case recorded on AWS.
func recordedCase(t *testing.T, name string) map[string]any {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("..", "..", "shared", "conformance", "asl-tasks", "cases", name))
	if err != nil {
		t.Fatal(err)
	}
	return decodeObject(t, string(data))
}

// recordedReturn is the recorded result of the case's StartExecution task.
func recordedMock(t *testing.T, name string) map[string]any {
	t.Helper()
	mocks := recordedCase(t, name)["mocks"].(map[string]any)
	return mocks["StartExecution"].([]any)[0].(map[string]any)
}

func childExecution(t *testing.T, h *harness, arn string) store.Execution {
	t.Helper()
	e, err := h.svc.DescribeExecution(t.Context(), arn)
	if err != nil {
		t.Fatal(err)
	}
	return e
}

func TestNestedRequestResponse(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		h := start(t)
		child := h.machine(t, "child", succeedingChild, store.TypeStandard)
		parent := h.machine(t, "parent", nestedParent("", child, ""), store.TypeStandard)
		e, err := h.svc.StartExecution(t.Context(), service.StartExecutionInput{StateMachineARN: parent, Name: "p1",
			Input: `{"Input":{"Hello":"World"},"Name":"kid"}`})
		if err != nil {
			t.Fatal(err)
		}
		done := h.wait(t, e.ARN)
		if done.Status != store.ExecutionSucceeded {
			t.Fatalf("parent %s %s %s", done.Status, done.Error, done.Cause)
		}
		if d := done.StopDate.Sub(done.StartDate); d >= 30*time.Second {
			t.Errorf("the request-response parent waited %v for its child", d)
		}
		out := decodeObject(t, done.Output)
		childARN := "arn:aws:states:us-east-1:123456789012:execution:child:kid"
		if out["ExecutionArn"] != childARN {
			t.Errorf("ExecutionArn %v", out["ExecutionArn"])
		}
		// The shape AWS returns (conformance case test_start_execution).
		recorded := recordedMock(t, "test_sfn_task_service__TestTaskServiceSfn__test_start_execution--fce5d0b9.json")["Return"].(map[string]any)
		if d := cmp.Diff(keys(recorded), keys(out)); d != "" {
			t.Errorf("result fields (-want +got):\n%s", d)
		}
		meta := out["SdkHttpMetadata"].(map[string]any)
		recordedMeta := recorded["SdkHttpMetadata"].(map[string]any)
		for _, k := range []string{"AllHttpHeaders", "HttpHeaders"} {
			if d := cmp.Diff(keys(recordedMeta[k].(map[string]any)), keys(meta[k].(map[string]any))); d != "" {
				t.Errorf("%s (-want +got):\n%s", k, d)
			}
		}
		if d := cmp.Diff(keys(recorded["SdkResponseMetadata"].(map[string]any)), keys(out["SdkResponseMetadata"].(map[string]any))); d != "" {
			t.Errorf("SdkResponseMetadata (-want +got):\n%s", d)
		}
		if meta["HttpStatusCode"] != 200.0 || meta["HttpHeaders"].(map[string]any)["Content-Type"] != "application/x-amz-json-1.0" {
			t.Errorf("SdkHttpMetadata %v", meta)
		}
		kid := childExecution(t, h, childARN)
		if start, _ := out["StartDate"].(float64); int64(start) != kid.StartDate.UnixMilli() {
			t.Errorf("StartDate %v, child started %v", out["StartDate"], kid.StartDate)
		}
		if kid.Input != `{"Hello":"World"}` || kid.ParentExecutionARN != e.ARN {
			t.Errorf("child input %s, parent %q", kid.Input, kid.ParentExecutionARN)
		}
		if got := h.wait(t, childARN); got.Status != store.ExecutionSucceeded {
			t.Errorf("child %s", got.Status)
		}
		if got, want := historyTypes(t, h.svc, e.ARN), "ExecutionStarted TaskStateEntered TaskScheduled TaskStarted TaskSucceeded TaskStateExited ExecutionSucceeded"; got != want {
			t.Errorf("history %s\nwant %s", got, want)
		}
	})
}

func TestNestedSync(t *testing.T) {
	for _, tt := range []struct {
		pattern, recorded string
		output            any
	}{
		{".sync", "test_base_callbacks__TestBaseScenarios__test_sfn_start_execution_sync_SFN_SYNC--12fb7fcb.json", `{"Arg1":"argument1"}`},
		{".sync:2", "test_base_callbacks__TestBaseScenarios__test_sfn_start_execution_sync_SFN_SYNC2--7d264074.json", map[string]any{"Arg1": "argument1"}},
	} {
		t.Run(tt.pattern, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				h := start(t)
				child := h.machine(t, "child", succeedingChild, store.TypeStandard)
				parent := h.machine(t, "parent", nestedParent(tt.pattern, child, ""), store.TypeStandard)
				e, err := h.svc.StartExecution(t.Context(), service.StartExecutionInput{StateMachineARN: parent, Input: `{"Input":null,"Name":"TestStartTarget"}`})
				if err != nil {
					t.Fatal(err)
				}
				done := h.wait(t, e.ARN)
				if done.Status != store.ExecutionSucceeded {
					t.Fatalf("parent %s %s %s", done.Status, done.Error, done.Cause)
				}
				if d := done.StopDate.Sub(done.StartDate); d < 30*time.Second {
					t.Errorf("the parent ended %v after its start, before its child's 30 s Wait", d)
				}
				out := decodeObject(t, done.Output)
				want := keys(recordedMock(t, tt.recorded)["Return"].(map[string]any))
				if d := cmp.Diff(want, keys(out)); d != "" {
					t.Errorf("result fields (-want +got):\n%s", d)
				}
				kid := childExecution(t, h, out["ExecutionArn"].(string))
				inputWant := any("{}") // a null Input starts the child with {}
				if tt.pattern == ".sync:2" {
					inputWant = map[string]any{}
				}
				for k, want := range map[string]any{"Output": tt.output, "Input": inputWant, "Status": "SUCCEEDED", "Name": "TestStartTarget",
					"StateMachineArn": child, "StartDate": float64(kid.StartDate.UnixMilli()), "StopDate": float64(kid.StopDate.UnixMilli())} {
					if d := cmp.Diff(want, out[k]); d != "" {
						t.Errorf("%s (-want +got):\n%s", k, d)
					}
				}
				if got, want := historyTypes(t, h.svc, e.ARN), "ExecutionStarted TaskStateEntered TaskScheduled TaskStarted TaskSubmitted TaskSucceeded TaskStateExited ExecutionSucceeded"; got != want {
					t.Errorf("history %s\nwant %s", got, want)
				}
				// Nothing is left to do for either execution.
				for _, arn := range []string{e.ARN, kid.ARN} {
					if work := listWork(t, h, arn); len(work) != 0 {
						t.Errorf("work left on %s: %v", arn, work)
					}
				}
			})
		})
	}
}

func listWork(t *testing.T, h *harness, arn string) []string {
	t.Helper()
	items, err := h.store.ListWork(t.Context(), arn)
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, it := range items {
		ids = append(ids, it.ID)
	}
	return ids
}

// TestNestedSyncChildFails checks that a failed child fails its .sync
// parent with States.TaskFailed and the child's description as the cause
// (conformance case test_start_execution_sync_delegate_failure).
func TestNestedSyncChildFails(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		h := start(t)
		child := h.machine(t, "child", failingChild, store.TypeStandard)
		parent := h.machine(t, "parent", nestedParent(".sync", child, ""), store.TypeStandard)
		e, err := h.svc.StartExecution(t.Context(), service.StartExecutionInput{StateMachineARN: parent, Input: `{"Input":null,"Name":"TestStartTarget"}`})
		if err != nil {
			t.Fatal(err)
		}
		done := h.wait(t, e.ARN)
		recorded := recordedCase(t, "test_callback__TestCallback__test_start_execution_sync_delegate_failure--ad013b8d.json")["expected"].(map[string]any)
		if done.Status != store.ExecutionFailed || done.Error != recorded["error"] {
			t.Fatalf("parent %s %s", done.Status, done.Error)
		}
		cause := decodeObject(t, done.Cause)
		wantCause := decodeObject(t, recorded["cause"].(string))
		if d := cmp.Diff(keys(wantCause), keys(cause)); d != "" {
			t.Errorf("cause fields (-want +got):\n%s", d)
		}
		for _, k := range []string{"Error", "Cause", "Input", "Name", "Status"} {
			if cause[k] != wantCause[k] {
				t.Errorf("cause %s = %v, recorded %v", k, cause[k], wantCause[k])
			}
		}
		if !strings.HasSuffix(cause["ExecutionArn"].(string), ":execution:child:TestStartTarget") {
			t.Errorf("cause ExecutionArn %v", cause["ExecutionArn"])
		}
	})
}

// TestNestedSyncCaught checks that Retry and Catch see a failed child as
// States.TaskFailed.
func TestNestedSyncCaught(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		h := start(t)
		child := h.machine(t, "child", failingChild, store.TypeStandard)
		parent := h.machine(t, "parent", `{"StartAt":"Start","States":{"Start":{"Type":"Task","Resource":"arn:aws:states:::states:startExecution.sync:2",
			"Parameters":{"StateMachineArn":"`+child+`"},
			"Retry":[{"ErrorEquals":["States.TaskFailed"],"MaxAttempts":1,"IntervalSeconds":1}],
			"Catch":[{"ErrorEquals":["States.TaskFailed"],"ResultPath":"$.err","Next":"Caught"}],"End":true},
			"Caught":{"Type":"Pass","OutputPath":"$.err.Error","End":true}}}`, store.TypeStandard)
		e, err := h.svc.StartExecution(t.Context(), service.StartExecutionInput{StateMachineARN: parent})
		if err != nil {
			t.Fatal(err)
		}
		done := h.wait(t, e.ARN)
		if done.Status != store.ExecutionSucceeded || done.Output != `"States.TaskFailed"` {
			t.Fatalf("parent %s %s %s", done.Status, done.Output, done.Error)
		}
		// The retry started a second child with a name of its own.
		kids, _, err := h.svc.ListExecutions(t.Context(), store.ExecutionQuery{StateMachineARN: child})
		if err != nil || len(kids) != 2 {
			t.Fatalf("children %d, %v", len(kids), err)
		}
	})
}

func TestNestedWaitForTaskToken(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		h := start(t)
		child := h.machine(t, "child", sleepingChild, store.TypeStandard)
		parent := h.machine(t, "parent", `{"StartAt":"Start","States":{"Start":{"Type":"Task","Resource":"arn:aws:states:::states:startExecution.waitForTaskToken",
			"Parameters":{"StateMachineArn":"`+child+`","Name":"kid","Input":{"token.$":"$$.Task.Token","AWS_STEP_FUNCTIONS_STARTED_BY_EXECUTION_ID.$":"$$.Execution.Id"}},"End":true}}}`, store.TypeStandard)
		e, err := h.svc.StartExecution(t.Context(), service.StartExecutionInput{StateMachineARN: parent})
		if err != nil {
			t.Fatal(err)
		}
		childARN := "arn:aws:states:us-east-1:123456789012:execution:child:kid"
		var kid store.Execution
		for range 100 {
			if kid, err = h.svc.DescribeExecution(t.Context(), childARN); err == nil {
				break
			}
			time.Sleep(time.Second)
		}
		in := decodeObject(t, kid.Input)
		if in["AWS_STEP_FUNCTIONS_STARTED_BY_EXECUTION_ID"] != e.ARN {
			t.Errorf("child input %s", kid.Input)
		}
		time.Sleep(time.Minute)
		if got := childExecution(t, h, e.ARN); got.Status != store.ExecutionRunning {
			t.Fatalf("parent %s before the callback", got.Status)
		}
		if err := h.svc.SendTaskSuccess(t.Context(), in["token"].(string), `{"approved":true}`); err != nil {
			t.Fatal(err)
		}
		done := h.wait(t, e.ARN)
		if done.Status != store.ExecutionSucceeded || done.Output != `{"approved":true}` {
			t.Fatalf("parent %s %s", done.Status, done.Output)
		}
		if got := childExecution(t, h, childARN); got.Status != store.ExecutionRunning {
			t.Errorf("a callback child was stopped: %s", got.Status)
		}
		if got, want := historyTypes(t, h.svc, e.ARN), "ExecutionStarted TaskStateEntered TaskScheduled TaskStarted TaskSubmitted TaskSucceeded TaskStateExited ExecutionSucceeded"; got != want {
			t.Errorf("history %s\nwant %s", got, want)
		}
	})
}

// TestNestedStopParent checks that stopping a parent, or its Task timing
// out, stops its .sync child, and that a request-response child runs on.
func TestNestedStopParent(t *testing.T) {
	tests := []struct {
		name, pattern, extra string
		stop                 bool
		parent, child        store.ExecutionStatus
	}{
		{"stop .sync", ".sync", "", true, store.ExecutionAborted, store.ExecutionAborted},
		{"stop .sync:2", ".sync:2", "", true, store.ExecutionAborted, store.ExecutionAborted},
		{"task timeout", ".sync", `,"TimeoutSeconds":60`, false, store.ExecutionFailed, store.ExecutionAborted},
		{"parallel branch fails", ".sync", "", false, store.ExecutionFailed, store.ExecutionAborted},
		{"request-response child runs on", "", "", false, store.ExecutionSucceeded, store.ExecutionRunning},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				h := start(t)
				child := h.machine(t, "child", sleepingChild, store.TypeStandard)
				def := nestedParent(tt.pattern, child, tt.extra)
				if tt.name == "parallel branch fails" {
					def = `{"StartAt":"Par","States":{"Par":{"Type":"Parallel","End":true,"Branches":[
						{"StartAt":"Start","States":{"Start":{"Type":"Task","Resource":"arn:aws:states:::states:startExecution.sync",
							"Parameters":{"StateMachineArn":"` + child + `","Name":"kid"},"End":true}}},
						{"StartAt":"W","States":{"W":{"Type":"Wait","Seconds":120,"Next":"F"},"F":{"Type":"Fail","Error":"Boom"}}}]}}}`
				}
				parent := h.machine(t, "parent", def, store.TypeStandard)
				e, err := h.svc.StartExecution(t.Context(), service.StartExecutionInput{StateMachineARN: parent, Input: `{"Input":{},"Name":"kid"}`})
				if err != nil {
					t.Fatal(err)
				}
				time.Sleep(10 * time.Second)
				childARN := "arn:aws:states:us-east-1:123456789012:execution:child:kid"
				if got := childExecution(t, h, childARN); got.Status != store.ExecutionRunning {
					t.Fatalf("child %s before the parent stopped", got.Status)
				}
				if tt.stop {
					if _, err := h.svc.StopExecution(t.Context(), e.ARN, "Cancelled", "by test"); err != nil {
						t.Fatal(err)
					}
				}
				if got := h.wait(t, e.ARN); got.Status != tt.parent {
					t.Errorf("parent %s %s, want %s", got.Status, got.Error, tt.parent)
				}
				time.Sleep(10 * time.Second)
				got := childExecution(t, h, childARN)
				if got.Status != tt.child {
					t.Errorf("child %s, want %s", got.Status, tt.child)
				}
				if got.Status == store.ExecutionAborted && got.StopDate.After(time.Now()) {
					t.Errorf("child stopped at %v", got.StopDate)
				}
				if work := listWork(t, h, e.ARN); len(work) != 0 {
					t.Errorf("work left on the parent: %v", work)
				}
			})
		})
	}
}

func TestNestedStartErrors(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		h := start(t)
		child := h.machine(t, "child", sleepingChild, store.TypeStandard)
		if _, err := h.svc.StartExecution(t.Context(), service.StartExecutionInput{StateMachineARN: child, Name: "taken", Input: `{"a":1}`}); err != nil {
			t.Fatal(err)
		}
		tests := []struct {
			name, child, input, err, cause string
		}{
			{"no such machine", child + "nope", `{"Input":null,"Name":"x"}`, "StepFunctions.StateMachineDoesNotExistException",
				"State Machine Does Not Exist: '" + child + "nope' (Service: AWSStepFunctions; Status Code: 400; Error Code: StateMachineDoesNotExist; Request ID: "},
			{"name taken", child, `{"Input":{"a":2},"Name":"taken"}`, "StepFunctions.ExecutionAlreadyExistsException",
				"Execution Already Exists: 'arn:aws:states:us-east-1:123456789012:execution:child:taken' (Service: AWSStepFunctions; Status Code: 400; Error Code: ExecutionAlreadyExists; Request ID: "},
			{"bad name", child, `{"Input":null,"Name":"a b"}`, "StepFunctions.InvalidNameException", "Invalid Name: 'a b'"},
			{"bad input", child, `{"Input":"{nope","Name":"y"}`, "StepFunctions.InvalidExecutionInputException", "Invalid State Machine Execution Input: "},
		}
		for i, tt := range tests {
			parent := h.machine(t, "parent"+string(rune('a'+i)), nestedParent(".sync", tt.child, ""), store.TypeStandard)
			e, err := h.svc.StartExecution(t.Context(), service.StartExecutionInput{StateMachineARN: parent, Input: tt.input})
			if err != nil {
				t.Fatal(err)
			}
			done := h.wait(t, e.ARN)
			if done.Status != store.ExecutionFailed || done.Error != tt.err || !strings.HasPrefix(done.Cause, tt.cause) {
				t.Errorf("%s: %s %s %s", tt.name, done.Status, done.Error, done.Cause)
			}
		}
	})
}

// TestNestedExpressChild runs Express children: request-response returns
// at once, .sync waits for the child's result.
func TestNestedExpressChild(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		h := start(t)
		child := h.machine(t, "fast", `{"StartAt":"W","States":{"W":{"Type":"Wait","Seconds":5,"Next":"P"},"P":{"Type":"Pass","Result":{"ok":true},"End":true}}}`, store.TypeExpress)
		for _, tt := range []struct{ pattern, output string }{{"", ""}, {".sync:2", `{"ok":true}`}} {
			parent := h.machine(t, "parent"+strings.NewReplacer(".", "", ":", "").Replace(tt.pattern), nestedParent(tt.pattern, child, ""), store.TypeStandard)
			e, err := h.svc.StartExecution(t.Context(), service.StartExecutionInput{StateMachineARN: parent, Input: `{"Input":{},"Name":"kid"}`})
			if err != nil {
				t.Fatal(err)
			}
			done := h.wait(t, e.ARN)
			if done.Status != store.ExecutionSucceeded {
				t.Fatalf("%q: parent %s %s %s", tt.pattern, done.Status, done.Error, done.Cause)
			}
			out := decodeObject(t, done.Output)
			if !strings.Contains(out["ExecutionArn"].(string), ":express:fast:kid:") {
				t.Errorf("%q: ExecutionArn %v", tt.pattern, out["ExecutionArn"])
			}
			if tt.output != "" {
				if got, _ := json.Marshal(out["Output"]); string(got) != tt.output || out["Status"] != "SUCCEEDED" {
					t.Errorf("%q: Output %s Status %v", tt.pattern, got, out["Status"])
				}
			}
		}
	})
}

// TestNestedExpressParent runs nested executions from an Express parent:
// request-response only, as on AWS.
func TestNestedExpressParent(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		h := start(t)
		child := h.machine(t, "child", succeedingChild, store.TypeStandard)
		parent := h.machine(t, "parent", nestedParent("", child, ""), store.TypeExpress)
		x, err := h.svc.StartSyncExecution(t.Context(), service.StartExecutionInput{StateMachineARN: parent, Input: `{"Input":{"a":1},"Name":"kid"}`})
		if err != nil {
			t.Fatal(err)
		}
		if x.Status != store.ExecutionSucceeded {
			t.Fatalf("express parent %s %s %s", x.Status, x.Error, x.Cause)
		}
		out := decodeObject(t, x.Output)
		kid := h.wait(t, out["ExecutionArn"].(string))
		if kid.Status != store.ExecutionSucceeded || kid.ParentExecutionARN != x.ARN || kid.Input != `{"a":1}` {
			t.Errorf("child %s, parent %q, input %s", kid.Status, kid.ParentExecutionARN, kid.Input)
		}
		for _, pattern := range []string{".sync", ".sync:2", ".waitForTaskToken"} {
			p := h.machine(t, "p"+strings.NewReplacer(".", "", ":", "").Replace(pattern), nestedParent(pattern, child, ""), store.TypeExpress)
			x, err := h.svc.StartSyncExecution(t.Context(), service.StartExecutionInput{StateMachineARN: p, Input: `{"Input":{},"Name":"no"}`})
			if err != nil || x.Status != store.ExecutionFailed || x.Error != "States.Runtime" {
				t.Errorf("an Express %s parent: %+v %v", pattern, x, err)
			}
		}
	})
}
