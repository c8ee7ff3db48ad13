package main

import (
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/sfn"
	"github.com/aws/aws-sdk-go-v2/service/sfn/types"

	"stepwise/store/postgres/pgtest"
)

// TestServePostgresTwoNodes runs two `stepwise server` nodes on one
// PostgreSQL database: what one node starts, the other sees and carries
// on. An activity task scheduled on node A is handed to a worker polling
// node B; an execution waiting in a Wait state when node A stops is
// finished by node B.
func TestServePostgresTwoNodes(t *testing.T) {
	dsn := pgtest.Schema(t)
	o := serverOptions{listen: "127.0.0.1:0", store: "postgres", databaseURL: dsn, region: "us-east-1", account: "123456789012",
		logFormat: "text", logLevel: "warn"}
	urlA, logsA, stopA := startServe(t, o)
	urlB, logsB, stopB := startServe(t, o)
	defer stopB()
	client := func(url string) *sfn.Client {
		return sfn.New(sfn.Options{Region: "us-east-1", BaseEndpoint: aws.String(url), RetryMaxAttempts: 1,
			Credentials: credentials.NewStaticCredentialsProvider("k", "s", "")})
	}
	a, b := client(urlA), client(urlB)
	ctx := t.Context()

	act, err := a.CreateActivity(ctx, &sfn.CreateActivityInput{Name: aws.String("review")})
	if err != nil {
		t.Fatal(err)
	}
	sm, err := a.CreateStateMachine(ctx, &sfn.CreateStateMachineInput{Name: aws.String("two"), RoleArn: aws.String("arn:aws:iam::123456789012:role/r"),
		Definition: aws.String(`{"StartAt":"Ask","States":{"Ask":{"Type":"Task","Resource":"` + aws.ToString(act.ActivityArn) + `","Next":"Hold"},
			"Hold":{"Type":"Wait","Seconds":1,"Next":"Done"},"Done":{"Type":"Pass","Result":"done","ResultPath":"$.r","End":true}}}`)})
	if err != nil {
		t.Fatal(err)
	}
	// B sees what A created.
	if _, err := b.DescribeStateMachine(ctx, &sfn.DescribeStateMachineInput{StateMachineArn: sm.StateMachineArn}); err != nil {
		t.Fatalf("node B does not see node A's state machine: %v", err)
	}
	ex, err := a.StartExecution(ctx, &sfn.StartExecutionInput{StateMachineArn: sm.StateMachineArn, Input: aws.String(`{"n":1}`)})
	if err != nil {
		t.Fatal(err)
	}
	task, err := b.GetActivityTask(ctx, &sfn.GetActivityTaskInput{ActivityArn: act.ActivityArn, WorkerName: aws.String("on-b")})
	if err != nil || task.TaskToken == nil {
		t.Fatalf("node B's worker got no task (%v)\nA:\n%s\nB:\n%s", err, logsA, logsB)
	}
	if aws.ToString(task.Input) != `{"n":1}` {
		t.Errorf("task input %s", aws.ToString(task.Input))
	}
	if _, err := b.SendTaskSuccess(ctx, &sfn.SendTaskSuccessInput{TaskToken: task.TaskToken, Output: aws.String(`{"ok":true}`)}); err != nil {
		t.Fatal(err)
	}
	// The execution now waits a second; node A goes away meanwhile.
	stopA()
	deadline := time.Now().Add(20 * time.Second)
	for {
		d, err := b.DescribeExecution(ctx, &sfn.DescribeExecutionInput{ExecutionArn: ex.ExecutionArn})
		if err != nil {
			t.Fatal(err)
		}
		if d.Status == types.ExecutionStatusSucceeded {
			if got := aws.ToString(d.Output); got != `{"ok":true,"r":"done"}` {
				t.Errorf("output %s", got)
			}
			break
		}
		if d.Status != types.ExecutionStatusRunning || time.Now().After(deadline) {
			t.Fatalf("status %s\nA:\n%s\nB:\n%s", d.Status, logsA, logsB)
		}
		time.Sleep(50 * time.Millisecond)
	}
	h, err := b.GetExecutionHistory(ctx, &sfn.GetExecutionHistoryInput{ExecutionArn: ex.ExecutionArn, MaxResults: 100})
	if err != nil {
		t.Fatal(err)
	}
	var kinds []string
	for _, e := range h.Events {
		kinds = append(kinds, string(e.Type))
	}
	want := []string{"ExecutionStarted", "TaskStateEntered", "ActivityScheduled", "ActivityStarted", "ActivitySucceeded", "TaskStateExited",
		"WaitStateEntered", "WaitStateExited", "PassStateEntered", "PassStateExited", "ExecutionSucceeded"}
	if len(kinds) != len(want) {
		t.Fatalf("history %v, want %v", kinds, want)
	}
	for i := range want {
		if kinds[i] != want[i] {
			t.Fatalf("history %v, want %v", kinds, want)
		}
	}
}
