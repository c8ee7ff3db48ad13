package service_test

import (
	"strings"
	"testing"
	"testing/synctest"
	"time"

	"stepwise/service"
	"stepwise/store"
)

const (
	mapRunPrefix = "arn:aws:states:us-east-1:123456789012:mapRun:"
	// distributedWait is a distributed Map over $.items whose children
	// each wait a minute, one at a time.
	distributedWait = `{"StartAt":"M","States":{"M":{"Type":"Map","ItemsPath":"$.items","MaxConcurrency":1,
		"ToleratedFailurePercentage":12.5,"Label":"Lbl",
		"ItemProcessor":{"ProcessorConfig":{"Mode":"DISTRIBUTED","ExecutionType":"STANDARD"},
			"StartAt":"W","States":{"W":{"Type":"Wait","Seconds":60,"End":true}}},"End":true}}}`
)

func wantCode(t *testing.T, what string, err error, code string) {
	t.Helper()
	if e, ok := service.AsError(err); !ok || e.Code != code {
		t.Errorf("%s: got %v, want %s", what, err, code)
	}
}

func ptr[T any](v T) *T { return &v }

// TestMapRunARNs: Map Run ARNs are checked as AWS's InvalidArn does
// before anything is looked up.
func TestMapRunARNs(t *testing.T) {
	h := start(t)
	ctx := t.Context()
	bad := []string{"", "nope", "arn:aws:states:us-east-1:123456789012:execution:m:e",
		"arn:aws:states:us-east-1:123456789012:mapRun:", "arn:aws:states:us-east-1:123456789012:mapRun:m",
		"arn:aws:states:us-east-1:123456789012:mapRun:m/L", "arn:aws:states:us-east-1:123456789012:mapRun:/L:id",
		"arn:aws:states:us-east-1:123456789012:mapRun:m/L:", "arn:aws:lambda:us-east-1:123456789012:mapRun:m/L:id"}
	for _, arn := range bad {
		_, err := h.svc.DescribeMapRun(ctx, arn)
		wantCode(t, "describe "+arn, err, service.CodeInvalidArn)
		wantCode(t, "update "+arn, h.svc.UpdateMapRun(ctx, arn, store.MapRunUpdate{MaxConcurrency: ptr[int64](1)}), service.CodeInvalidArn)
		wantCode(t, "list executions of "+arn, h.svc.ListMapRunExecutions(ctx, arn), service.CodeInvalidArn)
	}
	long := mapRunPrefix + "m/L:" + strings.Repeat("x", 2000)
	_, err := h.svc.DescribeMapRun(ctx, long)
	wantCode(t, "describe a 2,000+ character ARN", err, service.CodeValidation)

	unknown := mapRunPrefix + "m/L:0b2f"
	_, err = h.svc.DescribeMapRun(ctx, unknown)
	wantCode(t, "describe unknown", err, service.CodeResourceNotFound)
	wantCode(t, "update unknown", h.svc.UpdateMapRun(ctx, unknown, store.MapRunUpdate{MaxConcurrency: ptr[int64](1)}), service.CodeResourceNotFound)
	wantCode(t, "list executions of unknown", h.svc.ListMapRunExecutions(ctx, unknown), service.CodeResourceNotFound)

	for _, arn := range []string{"nope", mapRunPrefix + "m/L:id"} {
		_, _, err = h.svc.ListMapRuns(ctx, arn, store.Page{})
		wantCode(t, "list map runs of "+arn, err, service.CodeInvalidArn)
	}
	_, _, err = h.svc.ListMapRuns(ctx, "arn:aws:states:us-east-1:123456789012:execution:m:nope", store.Page{})
	wantCode(t, "list map runs of an unknown execution", err, service.CodeExecutionDoesNotExist)
}

// TestUpdateMapRunChecks: UpdateMapRun's members against AWS's ranges,
// checked before the Map Run is looked up.
func TestUpdateMapRunChecks(t *testing.T) {
	h := start(t)
	arn := mapRunPrefix + "m/L:id"
	tests := []struct {
		name string
		u    store.MapRunUpdate
		msg  string // "" for a valid update (then ResourceNotFound)
	}{
		{"nothing", store.MapRunUpdate{}, "Must provide at least one of maxConcurrency, toleratedFailurePercentage or toleratedFailureCount"},
		{"negative concurrency", store.MapRunUpdate{MaxConcurrency: ptr[int64](-1)},
			"1 validation error detected: Value '-1' at 'maxConcurrency' failed to satisfy constraint: Member must have value greater than or equal to 0"},
		{"concurrency past Integer", store.MapRunUpdate{MaxConcurrency: ptr[int64](1 << 31)},
			"1 validation error detected: Value '2147483648' at 'maxConcurrency' failed to satisfy constraint: Member must have value less than or equal to 2147483647"},
		{"negative count", store.MapRunUpdate{ToleratedFailureCount: ptr[int64](-5)},
			"1 validation error detected: Value '-5' at 'toleratedFailureCount' failed to satisfy constraint: Member must have value greater than or equal to 0"},
		{"negative percentage", store.MapRunUpdate{ToleratedFailurePercentage: ptr(-0.5)},
			"1 validation error detected: Value '-0.5' at 'toleratedFailurePercentage' failed to satisfy constraint: Member must have value greater than or equal to 0"},
		{"percentage past 100", store.MapRunUpdate{ToleratedFailurePercentage: ptr(100.5)},
			"1 validation error detected: Value '100.5' at 'toleratedFailurePercentage' failed to satisfy constraint: Member must have value less than or equal to 100"},
		{"zero concurrency", store.MapRunUpdate{MaxConcurrency: ptr[int64](0)}, ""},
		{"edges", store.MapRunUpdate{ToleratedFailurePercentage: ptr(100.0), ToleratedFailureCount: ptr[int64](0)}, ""},
	}
	for _, tt := range tests {
		err := h.svc.UpdateMapRun(t.Context(), arn, tt.u)
		if tt.msg == "" {
			wantCode(t, tt.name, err, service.CodeResourceNotFound)
			continue
		}
		e, ok := service.AsError(err)
		if !ok || e.Code != service.CodeValidation || e.Message != tt.msg {
			t.Errorf("%s: got %v, want ValidationException: %s", tt.name, err, tt.msg)
		}
	}
}

// TestMapRunLifecycle: a distributed Map's run is listed and described
// while it runs and after, and UpdateMapRun raises its concurrency while
// it runs: three one-minute children, one at a time until the update,
// then the other two together.
func TestMapRunLifecycle(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		h := start(t)
		ctx := t.Context()
		sm := h.machine(t, "m", distributedWait, store.TypeStandard)
		e, err := h.svc.StartExecution(ctx, service.StartExecutionInput{StateMachineARN: sm, Name: "e", Input: `{"items":[1,2,3]}`})
		if err != nil {
			t.Fatal(err)
		}
		var runs []store.MapRun
		for range 100 {
			runs, _, err = h.svc.ListMapRuns(ctx, e.ARN, store.Page{})
			if err != nil {
				t.Fatal(err)
			}
			if len(runs) > 0 {
				break
			}
			time.Sleep(100 * time.Millisecond)
		}
		if len(runs) != 1 {
			t.Fatalf("map runs of the execution: %+v", runs)
		}
		run := runs[0]
		if !strings.HasPrefix(run.ARN, mapRunPrefix+"m/Lbl:") || run.ExecutionARN != e.ARN || run.StateMachineARN != sm {
			t.Errorf("listed map run %+v", run)
		}
		got, err := h.svc.DescribeMapRun(ctx, run.ARN)
		if err != nil {
			t.Fatal(err)
		}
		if got.Status != store.MapRunRunning || !got.StopDate.IsZero() || got.MaxConcurrency != 1 ||
			got.ToleratedFailurePercentage != 12.5 || got.ItemCounts.Total != 3 || got.ItemCounts.Running != 1 {
			t.Errorf("running map run %+v", got)
		}
		began := time.Now()
		if err := h.svc.UpdateMapRun(ctx, run.ARN, store.MapRunUpdate{MaxConcurrency: ptr[int64](3), ToleratedFailureCount: ptr[int64](2)}); err != nil {
			t.Fatal(err)
		}
		got, err = h.svc.DescribeMapRun(ctx, run.ARN)
		if err != nil {
			t.Fatal(err)
		}
		if got.MaxConcurrency != 3 || got.ToleratedFailureCount != 2 || got.ToleratedFailurePercentage != 12.5 || got.ItemCounts.Running != 3 {
			t.Errorf("map run after the update %+v", got)
		}
		wantCode(t, "list the run's executions", h.svc.ListMapRunExecutions(ctx, run.ARN), service.CodeValidation)

		done := h.wait(t, e.ARN)
		if done.Status != store.ExecutionSucceeded {
			t.Fatalf("execution %s %s %s", done.Status, done.Error, done.Cause)
		}
		// All three children had started by the update: 60 s, not 180 s.
		if took := time.Since(began); took > 90*time.Second {
			t.Errorf("the run took %v after the update, want about 60 s", took)
		}
		got, err = h.svc.DescribeMapRun(ctx, run.ARN)
		if err != nil {
			t.Fatal(err)
		}
		if got.Status != store.MapRunSucceeded || got.StopDate.IsZero() || got.StopDate.Before(got.StartDate) ||
			got.ItemCounts.Succeeded != 3 || got.ItemCounts.Total != 3 || got.ItemCounts.Running != 0 {
			t.Errorf("ended map run %+v", got)
		}
		wantCode(t, "update an ended run", h.svc.UpdateMapRun(ctx, run.ARN, store.MapRunUpdate{MaxConcurrency: ptr[int64](5)}), service.CodeValidation)

		runs, next, err := h.svc.ListMapRuns(ctx, e.ARN, store.Page{})
		if err != nil || len(runs) != 1 || next != "" || runs[0].StopDate.IsZero() {
			t.Errorf("map runs after the end: %+v %q %v", runs, next, err)
		}
		_, _, err = h.svc.ListMapRuns(ctx, e.ARN, store.Page{NextToken: "bad"})
		wantCode(t, "list with a bad token", err, service.CodeInvalidToken)
	})
}
