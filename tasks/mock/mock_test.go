package mock_test

import (
	"context"
	"errors"
	"os"
	"strings"
	"testing"

	"go.uber.org/goleak"

	"stepwise/asl"
	"stepwise/engine"
	"stepwise/jsonval"
	"stepwise/runtime"
	"stepwise/service"
	"stepwise/tasks"
	"stepwise/tasks/mock"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

func load(t *testing.T) *mock.Config {
	t.Helper()
	data, err := os.ReadFile("testdata/MockConfigFile.json")
	if err != nil {
		t.Fatal(err)
	}
	c, err := mock.Parse(data)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func TestSequence(t *testing.T) {
	iv, err := load(t).Invoker("LambdaSQSIntegration", "RetryPath", nil)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"Lambda.ResourceNotReadyException", "Lambda.TimeoutException", "Lambda.TimeoutException", "ok", "ok"}
	for i, w := range want {
		got, err := iv.Invoke(t.Context(), tasks.Request{StateName: "LambdaState"})
		name := "ok"
		if err != nil {
			name = tasks.AsError(err).Name
		} else if s := jsonval.MustMarshalString(got); s != `{"StatusCode":200,"Payload":{"StatusCode":200,"body":"Hello from Lambda!"}}` {
			t.Errorf("invocation %d: %s", i, s)
		}
		if name != w {
			t.Errorf("invocation %d: %s, want %s", i, name, w)
		}
	}
	if n := iv.Calls("LambdaState"); n != len(want) {
		t.Errorf("Calls = %d", n)
	}
}

func TestUnmockedState(t *testing.T) {
	c := load(t)
	iv, _ := c.Invoker("LambdaSQSIntegration", "HybridPath", nil)
	_, err := iv.Invoke(t.Context(), tasks.Request{StateName: "SQSState"})
	if tasks.AsError(err).Name != tasks.ErrorRuntime {
		t.Errorf("got %v", err)
	}
	fb := tasks.Func(func(_ context.Context, req tasks.Request) (any, error) { return "real " + req.StateName, nil })
	iv, _ = c.Invoker("LambdaSQSIntegration", "HybridPath", fb)
	if got, err := iv.Invoke(t.Context(), tasks.Request{StateName: "SQSState"}); got != "real SQSState" || err != nil {
		t.Errorf("got %v, %v", got, err)
	}
}

func TestUnknownTestCase(t *testing.T) {
	c := load(t)
	for _, tc := range [][2]string{{"Nope", "HappyPath"}, {"LambdaSQSIntegration", "Nope"}} {
		if _, err := c.Invoker(tc[0], tc[1], nil); !errors.Is(err, mock.ErrUnknownTestCase) {
			t.Errorf("%v: got %v", tc, err)
		}
	}
	if got := strings.Join(c.TestCases("LambdaSQSIntegration"), ","); got != "HappyPath,HybridPath,RetryPath" {
		t.Errorf("TestCases = %s", got)
	}
}

func TestParseErrors(t *testing.T) {
	tests := []struct{ text, want string }{
		{`[]`, "not a JSON object"},
		{`{"MockedResponses":{}}`, "StateMachines"},
		{`{"StateMachines":{"M":{"TestCases":{"T":{"S":"R"}}}},"MockedResponses":{}}`, `no mocked response named "R"`},
		{`{"StateMachines":{},"MockedResponses":{"R":{"x":{"Return":1}}}}`, `"x" is not an invocation number`},
		{`{"StateMachines":{},"MockedResponses":{"R":{"0":{"Return":1,"Throw":{"Error":"E"}}}}}`, "exactly one of Return and Throw"},
		{`{"StateMachines":{},"MockedResponses":{"R":{"0-2":{"Return":1},"2":{"Return":2}}}}`, "overlap"},
		{`{"StateMachines":{},"MockedResponses":{"R":{"0":{"Throw":{"Cause":"c"}}}}}`, "string Error"},
	}
	for _, tt := range tests {
		_, err := mock.Parse([]byte(tt.text))
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: got %v, want %q", tt.text, err, tt.want)
		}
	}
}

// TestThroughEngine runs AWS's documentation example: RetryPath fails
// three times, is retried, and succeeds on the fourth invocation.
func TestThroughEngine(t *testing.T) {
	data, err := os.ReadFile("testdata/LambdaSQSIntegration.asl.json")
	if err != nil {
		t.Fatal(err)
	}
	sm, err := asl.Parse(data)
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name   string
		status engine.Status
	}{{"HappyPath", engine.StatusSucceeded}, {"RetryPath", engine.StatusSucceeded}, {"HybridPath", engine.StatusFailed}} {
		iv, err := load(t).Invoker("LambdaSQSIntegration", tc.name, nil)
		if err != nil {
			t.Fatal(err)
		}
		exec := engine.Execution{ARN: "arn:aws:states:us-east-1:123456789012:execution:LambdaSQSIntegration:" + tc.name,
			Name: tc.name, StateMachineName: "LambdaSQSIntegration", Region: "us-east-1", Input: jsonval.NewObject(0)}
		res, err := runtime.RunLocal(t.Context(), engine.NewMachine(sm, engine.Options{}), exec, runtime.LocalOptions{Invoker: iv, FastTime: true})
		if err != nil {
			t.Fatal(err)
		}
		if res.Status != tc.status {
			t.Errorf("%s: %s %s %s", tc.name, res.Status, res.Error, res.Cause)
		}
		if tc.name == "RetryPath" && iv.Calls("LambdaState") != 4 {
			t.Errorf("RetryPath: %d invocations of LambdaState, want 4", iv.Calls("LambdaState"))
		}
	}
}

// TestBeforeNestedExecution checks the precedence rule of Before: a
// mocked states:startExecution Task gets its mocked response and its child
// never runs, in every integration pattern, while the same state in a test
// case that does not mock it starts its child through next.
func TestBeforeNestedExecution(t *testing.T) {
	cfg, err := mock.Parse([]byte(`{"StateMachines":{"parent":{"TestCases":{"Mocked":{"Call":"Started"},"Real":{}}}},
	  "MockedResponses":{"Started":{"0":{"Return":{"ExecutionArn":"arn:mocked","Output":{"mocked":true}}}}}}`))
	if err != nil {
		t.Fatal(err)
	}
	// The child fails, so a .sync parent that ran it fails too, and a
	// request-response one answers with the child's real ARN.
	child, err := asl.Parse([]byte(`{"StartAt":"Boom","States":{"Boom":{"Type":"Fail","Error":"ChildRan","Cause":"the child was started"}}}`))
	if err != nil {
		t.Fatal(err)
	}
	run := func(t *testing.T, suffix, testCase string) (runtime.LocalResult, *mock.Invoker) {
		t.Helper()
		parent, err := asl.Parse([]byte(`{"StartAt":"Call","States":{"Call":{"Type":"Task","Resource":"arn:aws:states:::states:startExecution` + suffix + `",
		  "Parameters":{"StateMachineArn":"arn:aws:states:us-east-1:123456789012:stateMachine:child"},"End":true}}}`))
		if err != nil {
			t.Fatal(err)
		}
		iv, err := cfg.Invoker("parent", testCase, nil)
		if err != nil {
			t.Fatal(err)
		}
		nested := &runtime.LocalNested{Machines: map[string]*engine.Machine{"child": engine.NewMachine(child, engine.Options{})},
			Region: "us-east-1", Account: "123456789012", Options: runtime.LocalOptions{FastTime: true}, Rules: service.StartRules()}
		exec := engine.Execution{ARN: "arn:aws:states:us-east-1:123456789012:execution:parent:p", Name: "p",
			StateMachineName: "parent", Region: "us-east-1", Input: jsonval.NewObject(0)}
		res, err := runtime.RunLocal(t.Context(), engine.NewMachine(parent, engine.Options{}), exec,
			runtime.LocalOptions{Invocations: runtime.MockedFirst(iv, nested), FastTime: true})
		if err != nil {
			t.Fatal(err)
		}
		return res, iv
	}
	for _, suffix := range []string{"", ".sync", ".sync:2"} {
		t.Run("startExecution"+suffix, func(t *testing.T) {
			res, iv := run(t, suffix, "Mocked")
			if out := jsonval.MustMarshalString(res.Output); res.Status != engine.StatusSucceeded ||
				out != `{"ExecutionArn":"arn:mocked","Output":{"mocked":true}}` {
				t.Errorf("mocked: %s %s %s, output %s", res.Status, res.Error, res.Cause, out)
			}
			if iv.Calls("Call") != 1 {
				t.Errorf("mocked: %d calls of Call", iv.Calls("Call"))
			}
			res, _ = run(t, suffix, "Real")
			if suffix == "" {
				if out := jsonval.MustMarshalString(res.Output); res.Status != engine.StatusSucceeded || !strings.Contains(out, ":execution:child:") {
					t.Errorf("unmocked: %s, output %s: want the child's start", res.Status, out)
				}
			} else if res.Status != engine.StatusFailed || !strings.Contains(res.Cause, "ChildRan") {
				t.Errorf("unmocked: %s %s %s: want the child's failure", res.Status, res.Error, res.Cause)
			}
		})
	}
}

// TestBeforeWithoutNext fails an unmocked state with States.Runtime.
func TestBeforeWithoutNext(t *testing.T) {
	iv, err := load(t).Invoker("LambdaSQSIntegration", "HybridPath", nil)
	if err != nil {
		t.Fatal(err)
	}
	inv := iv.Before(nil)
	if _, err := inv.Invoke(t.Context(), tasks.Request{StateName: "SQSState"}); tasks.AsError(err).Name != tasks.ErrorRuntime {
		t.Errorf("unmocked: got %v", err)
	}
	if _, err := inv.Invoke(t.Context(), tasks.Request{StateName: "LambdaState"}); err != nil {
		t.Errorf("mocked: got %v", err)
	}
}
