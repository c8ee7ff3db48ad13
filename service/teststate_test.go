package service_test

import (
	"context"
	"testing"
	"testing/synctest"
	"time"

	"stepwise/service"
	"stepwise/store/memory"
	"stepwise/tasks"
	"stepwise/teststate"
)

// TestTestStateTimeLimit checks that a tested Task that does not answer
// fails with States.Timeout after its TimeoutSeconds, or after AWS's five
// minutes without one, and that the error goes through Retry as any task
// error does. The clock is synctest's, so no wall time passes.
func TestTestStateTimeLimit(t *testing.T) {
	tests := []struct {
		name     string
		def      string
		want     time.Duration
		status   teststate.Status
		errorOut string
	}{
		{"TimeoutSeconds", `{"Type":"Task","Resource":"arn:aws:lambda:us-east-1:123456789012:function:slow","TimeoutSeconds":3,"End":true}`,
			3 * time.Second, teststate.StatusFailed, "States.Timeout"},
		{"five minutes at most", `{"Type":"Task","Resource":"arn:aws:lambda:us-east-1:123456789012:function:slow","TimeoutSeconds":3600,"End":true,
			"Retry":[{"ErrorEquals":["States.Timeout"]}]}`,
			5 * time.Minute, teststate.StatusRetriable, "States.Timeout"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				inv := tasks.Func(func(ctx context.Context, _ tasks.Request) (any, error) {
					<-ctx.Done()
					return nil, ctx.Err()
				})
				st := memory.New()
				defer st.Close()
				svc, err := service.Open(service.Config{Store: st, Invoker: inv})
				if err != nil {
					t.Fatal(err)
				}
				defer svc.Close()
				start := time.Now()
				resp, err := svc.TestState(t.Context(), teststate.Request{Definition: tt.def})
				if err != nil {
					t.Fatalf("TestState: %v", err)
				}
				if took := time.Since(start); took != tt.want {
					t.Errorf("the task ran for %v, want %v", took, tt.want)
				}
				if resp.Status != tt.status || resp.Error == nil || *resp.Error != tt.errorOut {
					t.Errorf("got status %s, error %v; want %s %s", resp.Status, resp.Error, tt.status, tt.errorOut)
				}
			})
		})
	}
}

// TestTestStateRefusals checks that TestState's refusals reach the caller
// as service errors with AWS's codes.
func TestTestStateRefusals(t *testing.T) {
	st := memory.New()
	defer st.Close()
	svc, err := service.Open(service.Config{Store: st})
	if err != nil {
		t.Fatal(err)
	}
	defer svc.Close()
	tests := []struct {
		name string
		req  teststate.Request
		code string
	}{
		{"bad definition", teststate.Request{Definition: `{"Type":"Nope"}`}, service.CodeInvalidDefinition},
		{"bad role", teststate.Request{Definition: `{"Type":"Pass","End":true}`, RoleARN: "nope"}, service.CodeInvalidArn},
		{"bad input", teststate.Request{Definition: `{"Type":"Pass","End":true}`, Input: "nope"}, service.CodeInvalidExecutionInput},
		{"mock on Pass", teststate.Request{Definition: `{"Type":"Pass","End":true}`, Mock: &teststate.Mock{Result: "1", HasResult: true}}, service.CodeValidation},
	}
	for _, tt := range tests {
		_, err := svc.TestState(t.Context(), tt.req)
		if e, ok := service.AsError(err); !ok || e.Code != tt.code {
			t.Errorf("%s: err = %v, want %s", tt.name, err, tt.code)
		}
	}
	// Without an invoker a task fails as it does in executions.
	resp, err := svc.TestState(t.Context(), teststate.Request{Definition: `{"Type":"Task","Resource":"arn:aws:lambda:us-east-1:123456789012:function:f","End":true}`})
	if err != nil {
		t.Fatal(err)
	}
	if resp.Status != teststate.StatusFailed || *resp.Error != "States.TaskFailed" {
		t.Errorf("without an invoker: %s %v", resp.Status, *resp.Error)
	}
}
