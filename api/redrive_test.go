package api_test

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"strings"
	"sync"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sfn"
	"github.com/aws/aws-sdk-go-v2/service/sfn/types"

	"stepwise/api"
	"stepwise/tasks"
)

// TestRedriveExecution drives RedriveExecution through the SDK: a Parallel
// whose second branch fails once (after a second, so that the first
// branch has succeeded by then, not been stopped) is redriven and succeeds without running
// the first branch again; DescribeExecution and ListExecutions show the
// redrive fields and filter; the same clientToken twice redrives once;
// and AWS's refusals.
func TestRedriveExecution(t *testing.T) {
	var mu sync.Mutex
	calls := map[string]int{}
	inv := tasks.Func(func(_ context.Context, req tasks.Request) (any, error) {
		mu.Lock()
		defer mu.Unlock()
		calls[req.StateName]++
		if req.StateName == "B" && calls["B"] == 1 {
			return nil, &tasks.Error{Name: "Flaky", Cause: "first time"}
		}
		return req.StateName, nil
	})
	s := startServer(t, api.Options{}, inv)
	ctx := t.Context()
	const fn = "arn:aws:lambda:us-east-1:123456789012:function:f"
	arn := createMachine(t, s, "redrive", `{"StartAt":"Par","States":{"Par":{"Type":"Parallel","End":true,"Branches":[
		{"StartAt":"A","States":{"A":{"Type":"Task","Resource":"`+fn+`","End":true}}},
		{"StartAt":"W","States":{"W":{"Type":"Wait","Seconds":1,"Next":"B"},"B":{"Type":"Task","Resource":"`+fn+`","End":true}}}]}}}`, "")
	start, err := s.client.StartExecution(ctx, &sfn.StartExecutionInput{StateMachineArn: aws.String(arn), Name: aws.String("e1")})
	if err != nil {
		t.Fatal(err)
	}
	exec := *start.ExecutionArn
	d := waitDone(t, s, exec)
	if d.Status != types.ExecutionStatusFailed || d.RedriveStatus != types.ExecutionRedriveStatusRedrivable || d.RedriveCount == nil || *d.RedriveCount != 0 {
		t.Fatalf("failed: %s %s %v", d.Status, d.RedriveStatus, d.RedriveCount)
	}
	if list, err := s.client.ListExecutions(ctx, &sfn.ListExecutionsInput{StateMachineArn: aws.String(arn), RedriveFilter: types.ExecutionRedriveFilterRedriven}); err != nil || len(list.Executions) != 0 {
		t.Fatalf("redriven before any redrive: %v %v", list, err)
	}

	out, err := s.client.RedriveExecution(ctx, &sfn.RedriveExecutionInput{ExecutionArn: aws.String(exec), ClientToken: aws.String("tok-1")})
	if err != nil {
		t.Fatal(err)
	}
	if out.RedriveDate == nil || out.RedriveDate.IsZero() {
		t.Fatalf("RedriveExecution: %+v", out)
	}
	d = waitDone(t, s, exec)
	if d.Status != types.ExecutionStatusSucceeded || *d.Output != `["A","B"]` || *d.RedriveCount != 1 ||
		d.RedriveDate == nil || !d.RedriveDate.Equal(*out.RedriveDate) {
		t.Fatalf("after the redrive: %s %v %v %v", d.Status, aws.ToString(d.Output), d.RedriveCount, d.RedriveDate)
	}
	if d.RedriveStatus != types.ExecutionRedriveStatusNotRedrivable || !strings.Contains(aws.ToString(d.RedriveStatusReason), "SUCCEEDED") {
		t.Errorf("redrive status of the succeeded execution: %s %q", d.RedriveStatus, aws.ToString(d.RedriveStatusReason))
	}
	mu.Lock()
	if calls["A"] != 1 || calls["B"] != 2 {
		t.Errorf("calls %v, want A once and B twice", calls)
	}
	mu.Unlock()

	// The same token again answers as the first time and redrives nothing.
	again, err := s.client.RedriveExecution(ctx, &sfn.RedriveExecutionInput{ExecutionArn: aws.String(exec), ClientToken: aws.String("tok-1")})
	if err != nil || !again.RedriveDate.Equal(*out.RedriveDate) {
		t.Fatalf("retried RedriveExecution: %v %v", again, err)
	}

	list, err := s.client.ListExecutions(ctx, &sfn.ListExecutionsInput{StateMachineArn: aws.String(arn), RedriveFilter: types.ExecutionRedriveFilterRedriven})
	if err != nil || len(list.Executions) != 1 || list.Executions[0].RedriveDate == nil || *list.Executions[0].RedriveCount != 1 {
		t.Fatalf("ListExecutions REDRIVEN: %+v %v", list, err)
	}
	if list, err := s.client.ListExecutions(ctx, &sfn.ListExecutionsInput{StateMachineArn: aws.String(arn), RedriveFilter: types.ExecutionRedriveFilterNotRedriven}); err != nil || len(list.Executions) != 0 {
		t.Fatalf("ListExecutions NOT_REDRIVEN: %v %v", list, err)
	}

	// Refusals.
	var notRedrivable *types.ExecutionNotRedrivable
	if _, err := s.client.RedriveExecution(ctx, &sfn.RedriveExecutionInput{ExecutionArn: aws.String(exec)}); !errors.As(err, &notRedrivable) {
		t.Errorf("redrive of a succeeded execution: %v", err)
	}
	var missing *types.ExecutionDoesNotExist
	if _, err := s.client.RedriveExecution(ctx, &sfn.RedriveExecutionInput{ExecutionArn: aws.String(exec + "nope")}); !errors.As(err, &missing) {
		t.Errorf("redrive of an unknown execution: %v", err)
	}
	var invalid *types.InvalidArn
	if _, err := s.client.RedriveExecution(ctx, &sfn.RedriveExecutionInput{ExecutionArn: aws.String("arn:aws:states:us-east-1:123456789012:stateMachine:redrive")}); !errors.As(err, &invalid) {
		t.Errorf("redrive of a state machine ARN: %v", err)
	}
	body, _ := json.Marshal(map[string]any{"executionArn": exec, "clientToken": strings.Repeat("x", 65)})
	if status, got := rawCall(t, s.url, "RedriveExecution", body); status != http.StatusBadRequest || got["__type"] != "ValidationException" {
		t.Errorf("a 65-character clientToken: %d %v", status, got)
	}
	body, _ = json.Marshal(map[string]any{"stateMachineArn": arn, "redriveFilter": "SOMETIMES"})
	if status, got := rawCall(t, s.url, "ListExecutions", body); status != http.StatusBadRequest || got["__type"] != "ValidationException" {
		t.Errorf("an unknown redriveFilter: %d %v", status, got)
	}
	// A running execution cannot be redriven.
	wait := createMachine(t, s, "waits", `{"StartAt":"W","States":{"W":{"Type":"Wait","Seconds":3600,"End":true}}}`, "")
	w, err := s.client.StartExecution(ctx, &sfn.StartExecutionInput{StateMachineArn: aws.String(wait)})
	if err != nil {
		t.Fatal(err)
	}
	_, err = s.client.RedriveExecution(ctx, &sfn.RedriveExecutionInput{ExecutionArn: w.ExecutionArn})
	if !errors.As(err, &notRedrivable) || !strings.Contains(notRedrivable.ErrorMessage(), "RUNNING") {
		t.Errorf("redrive of a running execution: %v", err)
	}
	rd, err := s.client.DescribeExecution(ctx, &sfn.DescribeExecutionInput{ExecutionArn: w.ExecutionArn})
	if err != nil || rd.RedriveStatus != types.ExecutionRedriveStatusNotRedrivable || !strings.Contains(aws.ToString(rd.RedriveStatusReason), "RUNNING") {
		t.Errorf("DescribeExecution of a running execution: %v %v", rd, err)
	}
}
