package service_test

import (
	"context"
	"strings"
	"sync/atomic"
	"testing"

	"stepwise/asl"
	"stepwise/engine"
	"stepwise/jsonval"
	"stepwise/runtime"
	"stepwise/service"
	"stepwise/tasks"
)

func machineOf(t *testing.T, def string) *engine.Machine {
	t.Helper()
	sm, err := asl.Parse([]byte(def))
	if err != nil {
		t.Fatal(err)
	}
	return engine.NewMachine(sm, engine.Options{})
}

// TestLocalNested runs parents that start children in-process, through
// every integration pattern, and checks what the parent's task gets.
func TestLocalNested(t *testing.T) {
	const arn = "arn:aws:states:us-east-1:123456789012:stateMachine:"
	machines := map[string]*engine.Machine{
		"double": machineOf(t, `{"StartAt":"D","States":{"D":{"Type":"Pass","Parameters":{"n.$":"States.MathAdd($.n, $.n)"},"End":true}}}`),
		"broken": machineOf(t, `{"StartAt":"F","States":{"F":{"Type":"Fail","Error":"Broken","Cause":"always"}}}`),
		"loop": machineOf(t, `{"StartAt":"Again","States":{"Again":{"Type":"Task","Resource":"arn:aws:states:::states:startExecution.sync:2",
			"Parameters":{"StateMachineArn":"`+arn+`loop"},"End":true}}}`),
	}
	parent := func(resource, machine, extra string) string {
		return `{"StartAt":"Call","States":{"Call":{"Type":"Task","Resource":"arn:aws:states:::states:startExecution` + resource + `",
			"Parameters":{"StateMachineArn":"` + arn + machine + `","Input":{"n.$":"$.n"}` + extra + `},
			"Catch":[{"ErrorEquals":["States.ALL"],"Next":"Caught"}],"End":true},
			"Caught":{"Type":"Pass","End":true}}}`
	}
	tests := []struct {
		name, resource, machine string
		check                   func(t *testing.T, out *jsonval.Object)
	}{
		{".sync:2 gets the child's output as JSON", ".sync:2", "double", func(t *testing.T, out *jsonval.Object) {
			if got := jsonval.MustMarshalString(field(out, "Output")); got != `{"n":42}` {
				t.Errorf("Output %s", got)
			}
			if field(out, "Status") != "SUCCEEDED" || !strings.Contains(field(out, "ExecutionArn").(string), ":execution:double:named") {
				t.Errorf("description %s", jsonval.MustMarshalString(out))
			}
		}},
		{".sync gets it as JSON text", ".sync", "double", func(t *testing.T, out *jsonval.Object) {
			if got := field(out, "Output"); got != `{"n":42}` {
				t.Errorf("Output %v", got)
			}
		}},
		{"request-response gets the start response", "", "double", func(t *testing.T, out *jsonval.Object) {
			if field(out, "StartDate") == nil || field(out, "SdkHttpMetadata") == nil || field(out, "Output") != nil {
				t.Errorf("response %s", jsonval.MustMarshalString(out))
			}
		}},
		{"a failed child fails the task with its description", ".sync", "broken", func(t *testing.T, out *jsonval.Object) {
			if field(out, "Error") != "States.TaskFailed" || !strings.Contains(field(out, "Cause").(string), `"Error":"Broken"`) {
				t.Errorf("caught %s", jsonval.MustMarshalString(out))
			}
		}},
		{"an unknown machine is StateMachineDoesNotExist", ".sync", "nothere", func(t *testing.T, out *jsonval.Object) {
			if field(out, "Error") != "StepFunctions.StateMachineDoesNotExistException" {
				t.Errorf("caught %s", jsonval.MustMarshalString(out))
			}
		}},
		{".waitForTaskToken cannot be answered in-process", ".waitForTaskToken", "double", func(t *testing.T, out *jsonval.Object) {
			if field(out, "Error") != nil {
				t.Errorf("States.Runtime is not caught by States.ALL, got %s", jsonval.MustMarshalString(out))
			}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			l := &runtime.LocalNested{Machines: machines, Region: "us-east-1", Account: "123456789012", Options: runtime.LocalOptions{FastTime: true},
				Rules: service.StartRules()}
			input, _ := jsonval.ParseString(`{"n":21}`)
			res, err := runtime.RunLocal(context.Background(), machineOf(t, parent(tt.resource, tt.machine, `,"Name":"named"`)),
				engine.Execution{ARN: "arn:aws:states:us-east-1:123456789012:execution:p:e", Name: "e", Region: "us-east-1", Input: input},
				runtime.LocalOptions{Invocations: l, FastTime: true})
			if err != nil {
				t.Fatal(err)
			}
			if tt.resource == ".waitForTaskToken" {
				if res.Status != engine.StatusFailed || res.Error != "States.Runtime" {
					t.Fatalf("ended %s %s %s", res.Status, res.Error, res.Cause)
				}
				return
			}
			if res.Status != engine.StatusSucceeded {
				t.Fatalf("ended %s %s %s", res.Status, res.Error, res.Cause)
			}
			tt.check(t, res.Output.(*jsonval.Object))
		})
	}
	t.Run("a machine that starts itself ends", func(t *testing.T) {
		l := &runtime.LocalNested{Machines: machines, Region: "us-east-1", Account: "123456789012", Rules: service.StartRules()}
		res, err := runtime.RunLocal(context.Background(), machines["loop"], engine.Execution{ARN: "arn:aws:states:us-east-1:123456789012:execution:loop:e",
			Name: "e", Region: "us-east-1", Input: jsonval.NewObject(0)}, runtime.LocalOptions{Invocations: l})
		if err != nil {
			t.Fatal(err)
		}
		if res.Status != engine.StatusFailed || !strings.Contains(res.Cause, "deeper than") {
			t.Errorf("ended %s %s %s", res.Status, res.Error, res.Cause)
		}
	})
}

func field(o *jsonval.Object, k string) any {
	v, _ := o.Get(k)
	return v
}

// TestLocalNestedExpress checks that an Express root starts children with
// the request-response pattern only, as an Express execution on the server
// does, while its children, which run as Standard, may use .sync.
func TestLocalNestedExpress(t *testing.T) {
	const arn = "arn:aws:states:us-east-1:123456789012:stateMachine:"
	start := func(resource, machine string) string {
		return `{"StartAt":"Call","States":{"Call":{"Type":"Task","Resource":"arn:aws:states:::states:startExecution` + resource + `",
			"Parameters":{"StateMachineArn":"` + arn + machine + `"},"End":true}}}`
	}
	machines := map[string]*engine.Machine{
		"leaf":   machineOf(t, `{"StartAt":"P","States":{"P":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke","End":true}}}`),
		"middle": machineOf(t, start(".sync:2", "leaf")),
	}
	for _, tc := range []struct {
		resource, machine string
		ok                bool
	}{
		{"", "leaf", true},
		{"", "middle", true}, // the child's own .sync:2 is allowed
		{".sync", "leaf", false},
		{".sync:2", "leaf", false},
		{".waitForTaskToken", "leaf", false},
	} {
		var leafRan atomic.Bool
		next := tasks.Func(func(context.Context, tasks.Request) (any, error) { leafRan.Store(true); return "leaf", nil })
		l := &runtime.LocalNested{Machines: machines, Next: runtime.TaskInvoker(next), Region: "us-east-1", Account: "123456789012", Express: true,
			Rules: service.StartRules()}
		exec := engine.Execution{ARN: "arn:aws:states:us-east-1:123456789012:express:p:e:1", Name: "e", Region: "us-east-1", Input: jsonval.NewObject(0)}
		res, err := runtime.RunLocal(context.Background(), machineOf(t, start(tc.resource, tc.machine)), exec, runtime.LocalOptions{Invocations: l})
		if err != nil {
			t.Fatal(err)
		}
		if tc.ok && (res.Status != engine.StatusSucceeded || !leafRan.Load()) {
			t.Errorf("%s %s: ended %s %s %s, leaf ran %v", tc.resource, tc.machine, res.Status, res.Error, res.Cause, leafRan.Load())
		}
		if !tc.ok && (res.Error != "States.Runtime" || !strings.Contains(res.Cause, "not supported by EXPRESS state machines")) {
			t.Errorf("%s %s: ended %s %s %s; want States.Runtime", tc.resource, tc.machine, res.Status, res.Error, res.Cause)
		}
	}
}
