package main

import (
	"context"
	"encoding/json"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/sfn"
	"github.com/aws/aws-sdk-go-v2/service/sfn/types"
)

// TestServeNestedExecutions drives nested executions through the SDK on a
// server with the SQLite store: a .sync:2 parent gets its child's output,
// and stopping a .sync parent aborts its child.
func TestServeNestedExecutions(t *testing.T) {
	o := serverOptions{listen: "127.0.0.1:0", dataDir: t.TempDir(), store: "sqlite", logFormat: "text", logLevel: "warn"}
	url, _, stop := startServe(t, o)
	defer stop()
	c := sfn.New(sfn.Options{Region: "us-east-1", BaseEndpoint: aws.String(url), RetryMaxAttempts: 1,
		Credentials: credentials.NewStaticCredentialsProvider("k", "s", "")})
	ctx := t.Context()
	create := func(name, def string) string {
		t.Helper()
		sm, err := c.CreateStateMachine(ctx, &sfn.CreateStateMachineInput{Name: aws.String(name), Definition: aws.String(def),
			RoleArn: aws.String("arn:aws:iam::123456789012:role/r")})
		if err != nil {
			t.Fatal(err)
		}
		return aws.ToString(sm.StateMachineArn)
	}
	describe := func(arn string) *sfn.DescribeExecutionOutput {
		t.Helper()
		d, err := c.DescribeExecution(ctx, &sfn.DescribeExecutionInput{ExecutionArn: aws.String(arn)})
		if err != nil {
			t.Fatal(err)
		}
		return d
	}
	wait := func(arn string) *sfn.DescribeExecutionOutput {
		t.Helper()
		deadline := time.Now().Add(10 * time.Second)
		for {
			if d := describe(arn); d.Status != types.ExecutionStatusRunning {
				return d
			}
			if time.Now().After(deadline) {
				t.Fatalf("%s still running", arn)
			}
			time.Sleep(5 * time.Millisecond)
		}
	}
	child := create("child", `{"StartAt":"Double","States":{"Double":{"Type":"Pass","Parameters":{"n.$":"States.MathAdd($.n, $.n)"},"End":true}}}`)
	parent := create("parent", `{"StartAt":"Call","States":{"Call":{"Type":"Task","Resource":"arn:aws:states:::states:startExecution.sync:2",
		"Parameters":{"StateMachineArn":"`+child+`","Input":{"n.$":"$.n","AWS_STEP_FUNCTIONS_STARTED_BY_EXECUTION_ID.$":"$$.Execution.Id"}},
		"OutputPath":"$.Output","End":true}}}`)
	ex, err := c.StartExecution(ctx, &sfn.StartExecutionInput{StateMachineArn: aws.String(parent), Input: aws.String(`{"n":21}`)})
	if err != nil {
		t.Fatal(err)
	}
	if d := wait(aws.ToString(ex.ExecutionArn)); d.Status != types.ExecutionStatusSucceeded || aws.ToString(d.Output) != `{"n":42}` {
		t.Errorf("parent %s %s %s %s", d.Status, aws.ToString(d.Output), aws.ToString(d.Error), aws.ToString(d.Cause))
	}

	sleeper := create("sleeper", `{"StartAt":"W","States":{"W":{"Type":"Wait","Seconds":3600,"End":true}}}`)
	waiter := create("waiter", `{"StartAt":"Call","States":{"Call":{"Type":"Task","Resource":"arn:aws:states:::states:startExecution.sync",
		"Parameters":{"StateMachineArn":"`+sleeper+`","Name":"nap"},"End":true}}}`)
	ex, err = c.StartExecution(ctx, &sfn.StartExecutionInput{StateMachineArn: aws.String(waiter)})
	if err != nil {
		t.Fatal(err)
	}
	napARN := "arn:aws:states:us-east-1:123456789012:execution:sleeper:nap"
	// Stop the parent once it waits on the child: its TaskSubmitted is
	// committed (a stop between the child's start and that commit stops
	// the child too, but leaves no TaskSubmitted to check).
	deadline := time.Now().Add(10 * time.Second)
	for submitted := false; !submitted; {
		hist, err := c.GetExecutionHistory(ctx, &sfn.GetExecutionHistoryInput{ExecutionArn: ex.ExecutionArn})
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range hist.Events {
			submitted = submitted || e.Type == types.HistoryEventTypeTaskSubmitted
		}
		if time.Now().After(deadline) {
			t.Fatal("the parent never recorded the child's start")
		}
		time.Sleep(5 * time.Millisecond)
	}
	if _, err := c.StopExecution(ctx, &sfn.StopExecutionInput{ExecutionArn: ex.ExecutionArn}); err != nil {
		t.Fatal(err)
	}
	if d := wait(napARN); d.Status != types.ExecutionStatusAborted {
		t.Errorf("child of a stopped parent: %s", d.Status)
	}
	hist, err := c.GetExecutionHistory(context.WithoutCancel(ctx), &sfn.GetExecutionHistoryInput{ExecutionArn: ex.ExecutionArn})
	if err != nil {
		t.Fatal(err)
	}
	var submitted map[string]any
	for _, e := range hist.Events {
		if e.Type == types.HistoryEventTypeTaskSubmitted {
			if err := json.Unmarshal([]byte(aws.ToString(e.TaskSubmittedEventDetails.Output)), &submitted); err != nil {
				t.Fatal(err)
			}
		}
	}
	if submitted["ExecutionArn"] != napARN {
		t.Errorf("TaskSubmitted output %v", submitted)
	}
}
