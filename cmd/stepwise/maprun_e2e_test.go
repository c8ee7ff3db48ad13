package main

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/sfn"
	"github.com/aws/aws-sdk-go-v2/service/sfn/types"
)

// mapRunWorkflow has two distributed Maps over inline items: "Slow",
// whose three children wait a second each, one at a time unless
// UpdateMapRun says otherwise, then "Fast", one Pass child per item.
const mapRunWorkflow = `{
  "StartAt": "Slow",
  "States": {
    "Slow": {"Type": "Map", "ItemsPath": "$.items", "MaxConcurrency": 1, "Label": "slow", "ResultPath": null,
      "ItemProcessor": {"ProcessorConfig": {"Mode": "DISTRIBUTED", "ExecutionType": "STANDARD"},
        "StartAt": "Wait", "States": {"Wait": {"Type": "Wait", "Seconds": 1, "End": true}}},
      "Next": "Fast"},
    "Fast": {"Type": "Map", "ItemsPath": "$.items", "Label": "fast",
      "ItemProcessor": {"ProcessorConfig": {"Mode": "DISTRIBUTED", "ExecutionType": "STANDARD"},
        "StartAt": "Echo", "States": {"Echo": {"Type": "Pass", "End": true}}},
      "End": true}
  }
}`

// TestServeMapRuns drives the Map Run actions through the SDK against a
// server on the SQLite store: ListMapRuns finds the running run,
// DescribeMapRun counts its items, UpdateMapRun raises its concurrency
// while it runs, the run ends SUCCEEDED, and both runs list newest first
// in pages; the errors are AWS's types.
func TestServeMapRuns(t *testing.T) {
	o := serverOptions{listen: "127.0.0.1:0", dataDir: t.TempDir(), store: "sqlite", logFormat: "text", logLevel: "warn"}
	url, logs, stop := startServe(t, o)
	defer stop()
	c := sfn.New(sfn.Options{Region: "us-east-1", BaseEndpoint: aws.String(url), RetryMaxAttempts: 1,
		Credentials: credentials.NewStaticCredentialsProvider("k", "s", "")})
	ctx := t.Context()
	sm, err := c.CreateStateMachine(ctx, &sfn.CreateStateMachineInput{Name: aws.String("runs"), Definition: aws.String(mapRunWorkflow),
		RoleArn: aws.String("arn:aws:iam::123456789012:role/r")})
	if err != nil {
		t.Fatal(err)
	}
	ex, err := c.StartExecution(ctx, &sfn.StartExecutionInput{StateMachineArn: sm.StateMachineArn, Input: aws.String(`{"items":[1,2,3]}`)})
	if err != nil {
		t.Fatal(err)
	}
	// poll calls check until it returns true, for up to 10 s.
	poll := func(what string, check func() bool) {
		t.Helper()
		for deadline := time.Now().Add(10 * time.Second); !check(); time.Sleep(10 * time.Millisecond) {
			if time.Now().After(deadline) {
				t.Fatalf("%s: not within 10 s\n%s", what, logs)
			}
		}
	}
	var slow types.MapRunListItem
	poll("the slow Map Run is listed", func() bool {
		out, err := c.ListMapRuns(ctx, &sfn.ListMapRunsInput{ExecutionArn: ex.ExecutionArn})
		if err != nil {
			t.Fatal(err)
		}
		if len(out.MapRuns) == 0 {
			return false
		}
		slow = out.MapRuns[0]
		return true
	})
	if !strings.HasPrefix(aws.ToString(slow.MapRunArn), "arn:aws:states:us-east-1:123456789012:mapRun:runs/slow:") ||
		aws.ToString(slow.ExecutionArn) != aws.ToString(ex.ExecutionArn) || aws.ToString(slow.StateMachineArn) != aws.ToString(sm.StateMachineArn) ||
		slow.StartDate == nil || slow.StopDate != nil {
		t.Errorf("listed run %+v", slow)
	}
	describe := func() *sfn.DescribeMapRunOutput {
		t.Helper()
		d, err := c.DescribeMapRun(ctx, &sfn.DescribeMapRunInput{MapRunArn: slow.MapRunArn})
		if err != nil {
			t.Fatal(err)
		}
		return d
	}
	d := describe()
	if d.Status != types.MapRunStatusRunning || d.MaxConcurrency != 1 || d.StopDate != nil || d.ItemCounts == nil ||
		d.ItemCounts.Total != 3 || d.ItemCounts.Running != 1 || d.ItemCounts.Pending != 2 {
		t.Errorf("running run: status %s, max %d, stop %v, items %+v", d.Status, d.MaxConcurrency, d.StopDate, d.ItemCounts)
	}

	if _, err := c.UpdateMapRun(ctx, &sfn.UpdateMapRunInput{MapRunArn: slow.MapRunArn, MaxConcurrency: aws.Int32(3)}); err != nil {
		t.Fatal(err)
	}
	if d := describe(); d.MaxConcurrency != 3 || (d.Status == types.MapRunStatusRunning && d.ItemCounts.Pending != 0) {
		t.Errorf("after UpdateMapRun: status %s, max %d, items %+v", d.Status, d.MaxConcurrency, d.ItemCounts)
	}
	poll("the slow Map Run succeeds", func() bool { return describe().Status != types.MapRunStatusRunning })
	d = describe()
	if d.Status != types.MapRunStatusSucceeded || d.StopDate == nil || d.StopDate.Before(aws.ToTime(d.StartDate)) ||
		d.ItemCounts.Succeeded != 3 || d.ItemCounts.Total != 3 || d.RedriveCount == nil || *d.RedriveCount != 0 || d.RedriveDate != nil {
		t.Errorf("ended run: status %s, stop %v, items %+v, redrives %v %v", d.Status, d.StopDate, d.ItemCounts, d.RedriveCount, d.RedriveDate)
	}
	poll("the execution succeeds", func() bool {
		e, err := c.DescribeExecution(ctx, &sfn.DescribeExecutionInput{ExecutionArn: ex.ExecutionArn})
		if err != nil {
			t.Fatal(err)
		}
		return e.Status != types.ExecutionStatusRunning
	})

	// Both runs, newest first, one per page.
	var arns []string
	var token *string
	for page := 0; ; page++ {
		out, err := c.ListMapRuns(ctx, &sfn.ListMapRunsInput{ExecutionArn: ex.ExecutionArn, MaxResults: 1, NextToken: token})
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range out.MapRuns {
			if r.StopDate == nil {
				t.Errorf("ended run %s without a stopDate", aws.ToString(r.MapRunArn))
			}
			arns = append(arns, aws.ToString(r.MapRunArn))
		}
		if token = out.NextToken; token == nil || page > 3 {
			break
		}
	}
	if len(arns) != 2 || !strings.Contains(arns[0], ":mapRun:runs/fast:") || arns[1] != aws.ToString(slow.MapRunArn) {
		t.Errorf("map runs in pages: %v", arns)
	}

	absent := "arn:aws:states:us-east-1:123456789012:mapRun:runs/slow:00000000-0000-4000-8000-000000000000"
	errs := []struct {
		name string
		err  error
		want any
	}{
		{"describe unknown", second(c.DescribeMapRun(ctx, &sfn.DescribeMapRunInput{MapRunArn: aws.String(absent)})), new(*types.ResourceNotFound)},
		{"describe bad ARN", second(c.DescribeMapRun(ctx, &sfn.DescribeMapRunInput{MapRunArn: ex.ExecutionArn})), new(*types.InvalidArn)},
		{"list of unknown execution", second(c.ListMapRuns(ctx, &sfn.ListMapRunsInput{ExecutionArn: aws.String(aws.ToString(ex.ExecutionArn) + "x")})), new(*types.ExecutionDoesNotExist)},
		{"list bad ARN", second(c.ListMapRuns(ctx, &sfn.ListMapRunsInput{ExecutionArn: slow.MapRunArn})), new(*types.InvalidArn)},
		{"list bad token", second(c.ListMapRuns(ctx, &sfn.ListMapRunsInput{ExecutionArn: ex.ExecutionArn, NextToken: aws.String("forged")})), new(*types.InvalidToken)},
		{"update ended", second(c.UpdateMapRun(ctx, &sfn.UpdateMapRunInput{MapRunArn: slow.MapRunArn, MaxConcurrency: aws.Int32(2)})), new(*types.ValidationException)},
		{"update out of range", second(c.UpdateMapRun(ctx, &sfn.UpdateMapRunInput{MapRunArn: slow.MapRunArn, ToleratedFailurePercentage: aws.Float32(101)})), new(*types.ValidationException)},
		{"update unknown", second(c.UpdateMapRun(ctx, &sfn.UpdateMapRunInput{MapRunArn: aws.String(absent), MaxConcurrency: aws.Int32(2)})), new(*types.ResourceNotFound)},
		{"executions of a run", second(c.ListExecutions(ctx, &sfn.ListExecutionsInput{MapRunArn: slow.MapRunArn})), new(*types.ValidationException)},
		{"executions of an unknown run", second(c.ListExecutions(ctx, &sfn.ListExecutionsInput{MapRunArn: aws.String(absent)})), new(*types.ResourceNotFound)},
		{"executions of a run and a machine", second(c.ListExecutions(ctx, &sfn.ListExecutionsInput{MapRunArn: slow.MapRunArn, StateMachineArn: sm.StateMachineArn})), new(*types.ValidationException)},
	}
	for _, tt := range errs {
		if !errors.As(tt.err, tt.want) {
			t.Errorf("%s: got %v, want %T", tt.name, tt.err, tt.want)
		}
	}
}

func second[T any](_ T, err error) error { return err }
