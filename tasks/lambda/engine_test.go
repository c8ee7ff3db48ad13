package lambda_test

import (
	"fmt"
	"testing"

	"stepwise/asl"
	"stepwise/engine"
	"stepwise/jsonval"
	"stepwise/runtime"
	"stepwise/tasks"
)

// runMachine runs def to its end in-process with inv answering its tasks.
func runMachine(t *testing.T, def string, inv tasks.Invoker) runtime.LocalResult {
	t.Helper()
	sm, err := asl.Parse([]byte(def))
	if err != nil {
		t.Fatal(err)
	}
	exec := engine.Execution{
		ARN:              "arn:aws:states:us-east-1:123456789012:execution:m:e",
		Name:             "e",
		StateMachineARN:  "arn:aws:states:us-east-1:123456789012:stateMachine:m",
		StateMachineName: "m",
		Region:           "us-east-1",
		Input:            jsonval.NewObject(0),
	}
	res, err := runtime.RunLocal(t.Context(), engine.NewMachine(sm, engine.Options{}), exec, runtime.LocalOptions{Invoker: inv, FastTime: true})
	if err != nil {
		t.Fatal(err)
	}
	return res
}

// TestRetryCatchOverLambdaErrors runs Retry and Catch over the errors of
// both back-ends through the engine: a function's errorType is matched by
// name, Lambda.* service errors by theirs, and States.ALL catches all.
func TestRetryCatchOverLambdaErrors(t *testing.T) {
	srv := fakeLambda(t)
	api := apiInvoker(srv.URL)
	cmd := commandInvoker(t, 0)
	const def = `{"StartAt":"Call","States":{
	  "Call":{"Type":"Task","Resource":"%s","Parameters":{"FunctionName":"%s","Payload":{}},
	    "Retry":[{"ErrorEquals":["Lambda.TooManyRequestsException","Lambda.ServiceException"],"IntervalSeconds":1,"MaxAttempts":2}],
	    "Catch":[{"ErrorEquals":["ValidationError","Exception"],"ResultPath":"$.err","Next":"Handled"},
	             {"ErrorEquals":["States.ALL"],"ResultPath":"$.err","Next":"All"}],
	    "End":true},
	  "Handled":{"Type":"Pass","Result":"handled","ResultPath":"$.by","End":true},
	  "All":{"Type":"Pass","Result":"all","ResultPath":"$.by","End":true}}}`
	tests := []struct {
		name     string
		inv      tasks.Invoker
		resource string
		function string
		by       string
		errName  string
		attempts int
	}{
		{"api function error", api, tasks.ResourceLambdaInvoke, "raise", "handled", "Exception", 1},
		{"api throttled, retried", api, tasks.ResourceLambdaInvoke, "throttled", "all", "Lambda.TooManyRequestsException", 3},
		{"api legacy arn", api, "arn:aws:lambda:us-east-1:123456789012:function:raise", "", "handled", "Exception", 1},
		{"command error", cmd, tasks.ResourceLambdaInvoke, "raise", "handled", "ValidationError", 1},
		{"command exit", cmd, tasks.ResourceLambdaInvoke, "exit", "all", "Runtime.ExitError", 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			def := sprintf(def, tt.resource, tt.function)
			res := runMachine(t, def, tt.inv)
			if res.Status != engine.StatusSucceeded {
				t.Fatalf("status %s %s %s", res.Status, res.Error, res.Cause)
			}
			out := res.Output.(*jsonval.Object)
			by, _ := out.Get("by")
			errv, _ := out.Get("err")
			name, _ := errv.(*jsonval.Object).Get("Error")
			if by != tt.by || name != tt.errName {
				t.Errorf("caught by %v with %v; want %s with %s", by, name, tt.by, tt.errName)
			}
			attempts := 0
			for _, ev := range res.Events {
				if ev.Type == "TaskScheduled" || ev.Type == "LambdaFunctionScheduled" {
					attempts++
				}
			}
			if attempts != tt.attempts {
				t.Errorf("%d attempts, want %d", attempts, tt.attempts)
			}
		})
	}
}

func sprintf(format string, args ...any) string { return fmt.Sprintf(format, args...) }
