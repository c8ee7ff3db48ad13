package service_test

import (
	"context"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"stepwise/jsonval"
	"stepwise/runtime"
	"stepwise/service"
	"stepwise/store"
	"stepwise/store/memory"
	"stepwise/store/sqlite"
	"stepwise/tasks"
	"stepwise/tasks/mock"
)

const orderMocks = `{
  "StateMachines": {
    "order": {"TestCases": {
      "Happy": {"Charge": "ChargeOK", "Ship": "ShipFlaky"},
      "Broke": {"Charge": "ChargeDeclined"}
    }},
    "fast": {"TestCases": {"Happy": {"Charge": "ChargeOK"}}}
  },
  "MockedResponses": {
    "ChargeOK": {"0": {"Return": {"charged": 42}}},
    "ChargeDeclined": {"0": {"Throw": {"Error": "Payment.Declined", "Cause": "insufficient funds"}}},
    "ShipFlaky": {
      "0": {"Throw": {"Error": "Ship.Down", "Cause": "no trucks"}},
      "1": {"Return": {"shipped": true}}
    }
  }
}`

// orderMachine charges (a Lambda function), ships (a nested .sync
// execution, which the Happy test case mocks, so no child starts) and
// logs (a function the test case leaves to the real invoker).
const orderMachine = `{"StartAt":"Charge","States":{
	"Charge":{"Type":"Task","Resource":"arn:aws:lambda:us-east-1:123456789012:function:charge","ResultPath":"$.charge","Next":"Ship"},
	"Ship":{"Type":"Task","Resource":"arn:aws:states:::states:startExecution.sync:2",
		"Parameters":{"StateMachineArn":"arn:aws:states:us-east-1:123456789012:stateMachine:shipping"},
		"Retry":[{"ErrorEquals":["Ship.Down"],"IntervalSeconds":1}],"ResultPath":"$.ship","Next":"Log"},
	"Log":{"Type":"Task","Resource":"arn:aws:lambda:us-east-1:123456789012:function:log","ResultPath":null,"End":true}}}`

func TestMockTestCases(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		cfg, err := mock.Parse([]byte(orderMocks))
		if err != nil {
			t.Fatal(err)
		}
		inv := tasks.NewMemory()
		logged := make(chan string, 10)
		inv.Register("log", func(_ context.Context, req tasks.Request) (any, error) {
			logged <- jsonval.MustMarshalString(req.Input)
			return nil, nil
		})
		st := memory.New()
		svc, err := service.Open(service.Config{Store: st, Invoker: inv, TestCases: testCases(cfg)})
		if err != nil {
			t.Fatal(err)
		}
		ctx, cancel := context.WithCancel(context.Background())
		var wg sync.WaitGroup
		wg.Go(func() { _ = svc.Run(ctx) })
		defer func() { cancel(); wg.Wait(); svc.Close() }()
		h := &harness{svc: svc, inv: inv, store: st}
		arn := h.machine(t, "order", orderMachine, store.TypeStandard)

		e, err := svc.StartExecution(t.Context(), service.StartExecutionInput{StateMachineARN: arn + "#Happy", Name: "happy", Input: `{"id":7}`})
		if err != nil {
			t.Fatal(err)
		}
		if e.ARN != "arn:aws:states:us-east-1:123456789012:execution:order:happy" || e.StateMachineARN != arn || e.TestCase != "Happy" {
			t.Errorf("started %s of %s, test case %q", e.ARN, e.StateMachineARN, e.TestCase)
		}
		done := h.wait(t, e.ARN)
		if done.Status != store.ExecutionSucceeded || done.Output != `{"id":7,"charge":{"charged":42},"ship":{"shipped":true}}` {
			t.Fatalf("happy: %s %s %s %s", done.Status, done.Output, done.Error, done.Cause)
		}
		if got := <-logged; got != done.Output {
			t.Errorf("the unmocked state got %s", got)
		}
		if got, want := historyTypes(t, svc, e.ARN), "ExecutionStarted TaskStateEntered LambdaFunctionScheduled LambdaFunctionStarted LambdaFunctionSucceeded TaskStateExited "+
			"TaskStateEntered TaskScheduled TaskStarted TaskFailed TaskScheduled TaskStarted TaskSucceeded TaskStateExited "+
			"TaskStateEntered LambdaFunctionScheduled LambdaFunctionStarted LambdaFunctionSucceeded TaskStateExited ExecutionSucceeded"; got != want {
			t.Errorf("history %s\nwant %s", got, want)
		}

		e, err = svc.StartExecution(t.Context(), service.StartExecutionInput{StateMachineARN: arn + "#Broke"})
		if err != nil {
			t.Fatal(err)
		}
		if done := h.wait(t, e.ARN); done.Status != store.ExecutionFailed || done.Error != "Payment.Declined" || done.Cause != "insufficient funds" {
			t.Errorf("broke: %s %s %s", done.Status, done.Error, done.Cause)
		}

		// Without a test case the real invokers answer: nothing answers charge.
		e, err = svc.StartExecution(t.Context(), service.StartExecutionInput{StateMachineARN: arn})
		if err != nil {
			t.Fatal(err)
		}
		if done := h.wait(t, e.ARN); done.Status != store.ExecutionFailed || done.Error != "States.TaskFailed" {
			t.Errorf("no test case: %s %s %s", done.Status, done.Error, done.Cause)
		}

		// Express executions run test cases too.
		fast := h.machine(t, "fast", `{"StartAt":"Charge","States":{"Charge":{"Type":"Task","Resource":"arn:aws:lambda:us-east-1:123456789012:function:charge","End":true}}}`, store.TypeExpress)
		x, err := svc.StartSyncExecution(t.Context(), service.StartExecutionInput{StateMachineARN: fast + "#Happy"})
		if err != nil || x.Status != store.ExecutionSucceeded || x.Output != `{"charged":42}` {
			t.Errorf("express: %+v %v", x, err)
		}

		for _, bad := range []string{arn + "#Nope", fast + "#Broke", "arn:aws:states:us-east-1:123456789012:stateMachine:other#Happy"} {
			_, err := svc.StartExecution(t.Context(), service.StartExecutionInput{StateMachineARN: bad})
			if se, ok := service.AsError(err); !ok || se.Code != service.CodeValidation {
				t.Errorf("%s: %v, want %s", bad, err, service.CodeValidation)
			}
		}
	})
}

func TestMockTestCaseWithoutConfig(t *testing.T) {
	h := start(t)
	arn := h.machine(t, "order", orderMachine, store.TypeStandard)
	_, err := h.svc.StartExecution(t.Context(), service.StartExecutionInput{StateMachineARN: arn + "#Happy"})
	if se, ok := service.AsError(err); !ok || se.Code != service.CodeValidation {
		t.Errorf("got %v, want %s", err, service.CodeValidation)
	}
}

// TestMockTestCaseSurvivesRestart checks that an execution keeps its test
// case across a restart, and fails its tasks with States.Runtime when the
// new configuration no longer has it.
func TestMockTestCaseSurvivesRestart(t *testing.T) {
	path := filepath.Join(t.TempDir(), "stepwise.db")
	synctest.Test(t, func(t *testing.T) {
		ctx := context.Background()
		open := func(mocks string) (*service.Service, func()) {
			cfg, err := mock.Parse([]byte(mocks))
			if err != nil {
				t.Fatal(err)
			}
			st, err := sqlite.Open(ctx, path, sqlite.Options{})
			if err != nil {
				t.Fatal(err)
			}
			svc, err := service.Open(service.Config{Store: st, TestCases: testCases(cfg), PollInterval: time.Hour})
			if err != nil {
				t.Fatal(err)
			}
			runCtx, cancel := context.WithCancel(ctx)
			var wg sync.WaitGroup
			wg.Go(func() { _ = svc.Run(runCtx) })
			return svc, func() { cancel(); wg.Wait(); svc.Close(); st.Close() }
		}
		svc, stop := open(orderMocks)
		sm, err := svc.CreateStateMachine(ctx, service.CreateStateMachineInput{Name: "order", RoleARN: role,
			Definition: `{"StartAt":"W","States":{"W":{"Type":"Wait","Seconds":60,"Next":"Charge"},
				"Charge":{"Type":"Task","Resource":"arn:aws:lambda:us-east-1:123456789012:function:charge","End":true}}}`})
		if err != nil {
			t.Fatal(err)
		}
		kept, err := svc.StartExecution(ctx, service.StartExecutionInput{StateMachineARN: sm.ARN + "#Happy", Name: "kept"})
		if err != nil {
			t.Fatal(err)
		}
		lost, err := svc.StartExecution(ctx, service.StartExecutionInput{StateMachineARN: sm.ARN + "#Broke", Name: "lost"})
		if err != nil {
			t.Fatal(err)
		}
		time.Sleep(time.Second)
		stop()

		svc, stop = open(strings.Replace(orderMocks, `"Broke"`, `"Renamed"`, 1))
		defer stop()
		time.Sleep(2 * time.Minute)
		if got, _ := svc.DescribeExecution(ctx, kept.ARN); got.Status != store.ExecutionSucceeded || got.Output != `{"charged":42}` {
			t.Errorf("kept: %s %s %s %s", got.Status, got.Output, got.Error, got.Cause)
		}
		if got, _ := svc.DescribeExecution(ctx, lost.ARN); got.Status != store.ExecutionFailed || got.Error != "States.Runtime" ||
			!strings.Contains(got.Cause, "'Broke'") {
			t.Errorf("lost: %s %s %s", got.Status, got.Error, got.Cause)
		}
	})
}

// testCases supplies the service with the mocks of c's test cases, as
// cmd/stepwise does.
func testCases(c *mock.Config) func(machine, testCase string) (runtime.Mocks, error) {
	return func(machine, testCase string) (runtime.Mocks, error) {
		inv, err := c.Invoker(machine, testCase, nil)
		if err != nil {
			return nil, err
		}
		return inv, nil
	}
}
