package service_test

import (
	"context"
	"errors"
	"os"
	"strings"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"go.uber.org/goleak"

	"stepwise/jsonval"
	"stepwise/service"
	"stepwise/store"
	"stepwise/store/memory"
	"stepwise/tasks"
)

func TestMain(m *testing.M) {
	if os.Getenv(crashChildEnv) != "" {
		os.Exit(crashChild())
	}
	if os.Getenv(redriveChildEnv) != "" {
		os.Exit(redriveChild())
	}
	if os.Getenv(mapRunChildEnv) != "" {
		os.Exit(mapRunChild())
	}
	goleak.VerifyTestMain(m)
}

const role = "arn:aws:iam::123456789012:role/test"

// harness runs a Service on a memory store until the test ends.
type harness struct {
	svc   *service.Service
	inv   *tasks.Memory
	store store.Store
	stop  func()
}

func start(t *testing.T) *harness {
	t.Helper()
	inv := tasks.NewMemory()
	st := memory.New()
	svc, err := service.Open(service.Config{Store: st, Invoker: inv, Workers: 4})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	var wg sync.WaitGroup
	wg.Go(func() { _ = svc.Run(ctx) })
	h := &harness{svc: svc, inv: inv, store: st, stop: func() { cancel(); wg.Wait(); svc.Close() }}
	t.Cleanup(h.stop)
	return h
}

func (h *harness) machine(t *testing.T, name, def string, typ store.StateMachineType) string {
	t.Helper()
	sm, err := h.svc.CreateStateMachine(t.Context(), service.CreateStateMachineInput{Name: name, Definition: def, RoleARN: role, Type: typ})
	if err != nil {
		t.Fatal(err)
	}
	return sm.ARN
}

// wait polls until the execution has ended (virtual time inside synctest).
func (h *harness) wait(t *testing.T, arn string) store.Execution {
	t.Helper()
	for range 1000 {
		e, err := h.svc.DescribeExecution(t.Context(), arn)
		if err != nil {
			t.Fatal(err)
		}
		if e.Status != store.ExecutionRunning {
			return e
		}
		time.Sleep(time.Second)
	}
	t.Fatalf("execution %s still running", arn)
	return store.Execution{}
}

func historyTypes(t *testing.T, svc *service.Service, arn string) string {
	t.Helper()
	events, _, err := svc.GetExecutionHistory(t.Context(), store.HistoryQuery{ExecutionARN: arn, Page: store.Page{MaxResults: 1000}})
	if err != nil {
		t.Fatal(err)
	}
	var types []string
	for _, e := range events {
		types = append(types, e.Type)
	}
	return strings.Join(types, " ")
}

func TestStandardExecutionWithTaskAndWait(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		h := start(t)
		h.inv.Register("double", func(_ context.Context, req tasks.Request) (any, error) {
			v, _ := req.Input.(*jsonval.Object).Get("n")
			n, _ := jsonval.Int(v)
			return jsonval.FromGo(map[string]any{"n": n * 2}), nil
		})
		arn := h.machine(t, "m", `{"StartAt":"W","States":{
			"W":{"Type":"Wait","Seconds":300,"Next":"T"},
			"T":{"Type":"Task","Resource":"arn:aws:lambda:us-east-1:123456789012:function:double","End":true}}}`, store.TypeStandard)
		e, err := h.svc.StartExecution(t.Context(), service.StartExecutionInput{StateMachineARN: arn, Name: "e1", Input: `{"n":21}`})
		if err != nil {
			t.Fatal(err)
		}
		done := h.wait(t, e.ARN)
		if done.Status != store.ExecutionSucceeded || done.Output != `{"n":42}` {
			t.Fatalf("got %s %s %s %s", done.Status, done.Output, done.Error, done.Cause)
		}
		if done.StopDate.Sub(done.StartDate) < 300*time.Second {
			t.Errorf("the Wait of 300 s took %v", done.StopDate.Sub(done.StartDate))
		}
		want := "ExecutionStarted WaitStateEntered WaitStateExited TaskStateEntered LambdaFunctionScheduled LambdaFunctionStarted LambdaFunctionSucceeded TaskStateExited ExecutionSucceeded"
		if got := historyTypes(t, h.svc, e.ARN); got != want {
			t.Errorf("history %s\nwant %s", got, want)
		}
	})
}

func TestStartExecutionIdempotency(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		h := start(t)
		arn := h.machine(t, "m", `{"StartAt":"W","States":{"W":{"Type":"Wait","Seconds":60,"End":true}}}`, store.TypeStandard)
		in := service.StartExecutionInput{StateMachineARN: arn, Name: "same", Input: `{"a":1}`}
		first, err := h.svc.StartExecution(t.Context(), in)
		if err != nil {
			t.Fatal(err)
		}
		again, err := h.svc.StartExecution(t.Context(), in)
		if err != nil || again.ARN != first.ARN {
			t.Fatalf("same name and input: %v %v", again.ARN, err)
		}
		in.Input = `{"a":2}`
		_, err = h.svc.StartExecution(t.Context(), in)
		if e, ok := service.AsError(err); !ok || e.Code != service.CodeExecutionAlreadyExists {
			t.Fatalf("different input: %v", err)
		}
	})
}

func TestActivityWorker(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		h := start(t)
		act, err := h.svc.CreateActivity(t.Context(), "approve", nil)
		if err != nil {
			t.Fatal(err)
		}
		arn := h.machine(t, "m", `{"StartAt":"A","States":{"A":{"Type":"Task","Resource":"`+act.ARN+`","End":true}}}`, store.TypeStandard)
		e, err := h.svc.StartExecution(t.Context(), service.StartExecutionInput{StateMachineARN: arn, Input: `{"doc":7}`})
		if err != nil {
			t.Fatal(err)
		}
		task, err := h.svc.GetActivityTask(t.Context(), act.ARN, "worker-1")
		if err != nil || task.Token == "" || task.Input != `{"doc":7}` {
			t.Fatalf("GetActivityTask = %+v, %v", task, err)
		}
		if err := h.svc.SendTaskHeartbeat(t.Context(), task.Token); err != nil {
			t.Fatal(err)
		}
		if err := h.svc.SendTaskSuccess(t.Context(), task.Token, `{"approved":true}`); err != nil {
			t.Fatal(err)
		}
		done := h.wait(t, e.ARN)
		if done.Status != store.ExecutionSucceeded || done.Output != `{"approved":true}` {
			t.Fatalf("got %+v", done)
		}
		err = h.svc.SendTaskSuccess(t.Context(), task.Token, `{}`)
		// A closed task's token gets TaskTimedOut, as on AWS.
		if se, ok := service.AsError(err); !ok || se.Code != service.CodeTaskTimedOut {
			t.Errorf("second SendTaskSuccess = %v, want TaskTimedOut", err)
		}
		// With no task waiting, the long poll ends empty after 60 s.
		empty, err := h.svc.GetActivityTask(t.Context(), act.ARN, "worker-2")
		if err != nil || empty.Token != "" {
			t.Errorf("empty poll = %+v, %v", empty, err)
		}
	})
}

func TestCallbackAndStop(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		h := start(t)
		tokens := make(chan string, 2)
		h.inv.Register("sendMessage.waitForTaskToken", func(_ context.Context, req tasks.Request) (any, error) {
			tokens <- req.TaskToken
			return jsonval.FromGo(map[string]any{"MessageId": "m-1"}), nil
		})
		arn := h.machine(t, "m", `{"StartAt":"Q","States":{"Q":{"Type":"Task","Resource":"arn:aws:states:::sqs:sendMessage.waitForTaskToken",
			"Parameters":{"MessageBody":{"token.$":"$$.Task.Token"}},"End":true}}}`, store.TypeStandard)
		e1, _ := h.svc.StartExecution(t.Context(), service.StartExecutionInput{StateMachineARN: arn, Name: "ok"})
		token := <-tokens
		if err := h.svc.SendTaskFailure(t.Context(), token, "Rejected", "no"); err != nil {
			t.Fatal(err)
		}
		if done := h.wait(t, e1.ARN); done.Status != store.ExecutionFailed || done.Error != "Rejected" {
			t.Fatalf("got %+v", done)
		}
		e2, _ := h.svc.StartExecution(t.Context(), service.StartExecutionInput{StateMachineARN: arn, Name: "stopped"})
		token2 := <-tokens
		stopped, err := h.svc.StopExecution(t.Context(), e2.ARN, "Cancelled", "by test")
		if err != nil || stopped.Status != store.ExecutionAborted || stopped.Error != "Cancelled" {
			t.Fatalf("StopExecution = %+v, %v", stopped, err)
		}
		if err := h.svc.SendTaskSuccess(t.Context(), token2, `{}`); err == nil {
			t.Error("the token of a stopped execution was accepted")
		}
	})
}

func TestExpressSync(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		h := start(t)
		arn := h.machine(t, "x", `{"StartAt":"P","States":{"P":{"Type":"Pass","Parameters":{"v.$":"States.MathAdd($.a, 1)"},"End":true}}}`, store.TypeExpress)
		e, err := h.svc.StartSyncExecution(t.Context(), service.StartExecutionInput{StateMachineARN: arn, Input: `{"a":1}`})
		if err != nil || e.Status != store.ExecutionSucceeded || e.Output != `{"v":2}` {
			t.Fatalf("got %+v, %v", e, err)
		}
		if !strings.Contains(e.ARN, ":express:x:") {
			t.Errorf("ARN %s", e.ARN)
		}
		std := h.machine(t, "s", `{"StartAt":"P","States":{"P":{"Type":"Pass","End":true}}}`, store.TypeStandard)
		_, err = h.svc.StartSyncExecution(t.Context(), service.StartExecutionInput{StateMachineARN: std})
		if se, ok := service.AsError(err); !ok || se.Code != service.CodeStateMachineTypeNotSupp {
			t.Errorf("sync start of a Standard machine: %v", err)
		}
	})
}

func TestValidationErrors(t *testing.T) {
	h := start(t)
	ctx := t.Context()
	tests := []struct {
		name string
		err  error
		code string
	}{
		{"bad name", first(h.svc.CreateStateMachine(ctx, service.CreateStateMachineInput{Name: "a b", Definition: `{}`, RoleARN: role})), service.CodeInvalidName},
		{"bad definition", first(h.svc.CreateStateMachine(ctx, service.CreateStateMachineInput{Name: "a", Definition: `{"StartAt":"X","States":{}}`, RoleARN: role})), service.CodeInvalidDefinition},
		{"bad role", first(h.svc.CreateStateMachine(ctx, service.CreateStateMachineInput{Name: "a", Definition: `{"StartAt":"X","States":{"X":{"Type":"Succeed"}}}`, RoleARN: "role"})), service.CodeInvalidArn},
		{"unknown machine", first(h.svc.DescribeStateMachine(ctx, "arn:aws:states:us-east-1:123456789012:stateMachine:nope")), service.CodeStateMachineDoesNotExist},
		{"bad machine arn", first(h.svc.DescribeStateMachine(ctx, "nope")), service.CodeInvalidArn},
		{"unknown execution", first(h.svc.DescribeExecution(ctx, "arn:aws:states:us-east-1:123456789012:execution:m:e")), service.CodeExecutionDoesNotExist},
		{"bad token", h.svc.SendTaskSuccess(ctx, "", "{}"), service.CodeInvalidToken},
	}
	for _, tt := range tests {
		if e, ok := service.AsError(tt.err); !ok || e.Code != tt.code {
			t.Errorf("%s: got %v, want %s", tt.name, tt.err, tt.code)
		}
	}
	arn := h.machine(t, "m", `{"StartAt":"P","States":{"P":{"Type":"Pass","End":true}}}`, store.TypeStandard)
	_, err := h.svc.StartExecution(ctx, service.StartExecutionInput{StateMachineARN: arn, Input: `{nope`})
	if e, ok := service.AsError(err); !ok || e.Code != service.CodeInvalidExecutionInput {
		t.Errorf("bad input: %v", err)
	}
	if errors.Is(err, context.Canceled) {
		t.Fatal("unexpected")
	}
}

func first[T any](_ T, err error) error { return err }
