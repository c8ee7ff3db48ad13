package api_test

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sfn"
	"github.com/aws/aws-sdk-go-v2/service/sfn/types"

	"stepwise/api"
	"stepwise/tasks"
)

// oneMapRun is a distributed Map whose only child waits an hour, so that
// its run stays RUNNING for the test.
const oneMapRun = `{"StartAt":"M","States":{"M":{"Type":"Map","ItemsPath":"$.items",
	"ItemProcessor":{"ProcessorConfig":{"Mode":"DISTRIBUTED","ExecutionType":"STANDARD"},
		"StartAt":"W","States":{"W":{"Type":"Wait","Seconds":3600,"End":true}}},"End":true}}}`

// TestMapRunShapes checks the JSON of DescribeMapRun, ListMapRuns and
// UpdateMapRun as AWS's API reference gives it: stopDate and redriveDate
// only when set, all ten counts, an empty object from UpdateMapRun, and
// AWS's error types.
func TestMapRunShapes(t *testing.T) {
	s := startServer(t, api.Options{}, tasks.NewMemory())
	ctx := t.Context()
	sm := createMachine(t, s, "m", oneMapRun, types.StateMachineTypeStandard)
	ex, err := s.client.StartExecution(ctx, &sfn.StartExecutionInput{StateMachineArn: aws.String(sm), Input: aws.String(`{"items":[1]}`)})
	if err != nil {
		t.Fatal(err)
	}
	execBody, _ := json.Marshal(map[string]any{"executionArn": *ex.ExecutionArn})
	var list map[string]any
	for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(5 * time.Millisecond) {
		var status int
		status, list = rawCall(t, s.url, "ListMapRuns", execBody)
		if status != 200 {
			t.Fatalf("ListMapRuns: %d %v", status, list)
		}
		if runs, _ := list["mapRuns"].([]any); len(runs) > 0 || time.Now().After(deadline) {
			break
		}
	}
	runs, _ := list["mapRuns"].([]any)
	if len(runs) != 1 {
		t.Fatalf("ListMapRuns: %v", list)
	}
	item := runs[0].(map[string]any)
	if got := keys(item); !slices.Equal(got, []string{"executionArn", "mapRunArn", "startDate", "stateMachineArn"}) {
		t.Errorf("list item keys %v, want no stopDate while running", got)
	}
	if _, ok := list["nextToken"]; ok {
		t.Errorf("ListMapRuns has a nextToken: %v", list)
	}
	runARN := item["mapRunArn"].(string)
	if !strings.HasPrefix(runARN, "arn:aws:states:us-east-1:123456789012:mapRun:m/M:") || item["stateMachineArn"] != sm {
		t.Errorf("list item %v", item)
	}
	runBody, _ := json.Marshal(map[string]any{"mapRunArn": runARN})
	status, d := rawCall(t, s.url, "DescribeMapRun", runBody)
	if status != 200 {
		t.Fatalf("DescribeMapRun: %d %v", status, d)
	}
	wantKeys := []string{"executionArn", "executionCounts", "itemCounts", "mapRunArn", "maxConcurrency", "redriveCount", "startDate",
		"status", "toleratedFailureCount", "toleratedFailurePercentage"}
	if got := keys(d); !slices.Equal(got, wantKeys) {
		t.Errorf("DescribeMapRun keys %v, want %v", got, wantKeys)
	}
	counts := []string{"aborted", "failed", "failuresNotRedrivable", "pending", "pendingRedrive", "resultsWritten", "running", "succeeded", "timedOut", "total"}
	for _, k := range []string{"itemCounts", "executionCounts"} {
		c, _ := d[k].(map[string]any)
		if got := keys(c); !slices.Equal(got, counts) {
			t.Errorf("%s keys %v", k, got)
		}
	}
	if d["status"] != "RUNNING" || d["executionArn"] != *ex.ExecutionArn || d["itemCounts"].(map[string]any)["total"] != 1.0 {
		t.Errorf("DescribeMapRun %v", d)
	}
	if _, ok := d["startDate"].(float64); !ok {
		t.Errorf("startDate %v is not epoch seconds", d["startDate"])
	}

	status, u := rawCall(t, s.url, "UpdateMapRun", []byte(`{"mapRunArn":"`+runARN+`","toleratedFailurePercentage":50}`))
	if status != 200 || len(u) != 0 {
		t.Errorf("UpdateMapRun: %d %v, want 200 {}", status, u)
	}
	_, d = rawCall(t, s.url, "DescribeMapRun", runBody)
	if d["toleratedFailurePercentage"] != 50.0 {
		t.Errorf("toleratedFailurePercentage after the update: %v", d["toleratedFailurePercentage"])
	}

	tests := []struct {
		action, body, code string
	}{
		{"DescribeMapRun", `{}`, "ValidationException"},
		{"DescribeMapRun", `{"mapRunArn":"nope"}`, "InvalidArn"},
		{"DescribeMapRun", `{"mapRunArn":"arn:aws:states:us-east-1:123456789012:mapRun:m/M:absent"}`, "ResourceNotFound"},
		{"ListMapRuns", `{}`, "ValidationException"},
		{"ListMapRuns", `{"executionArn":"nope"}`, "InvalidArn"},
		{"ListMapRuns", `{"executionArn":"arn:aws:states:us-east-1:123456789012:execution:m:absent"}`, "ExecutionDoesNotExist"},
		{"ListMapRuns", `{"executionArn":"` + *ex.ExecutionArn + `","nextToken":"forged"}`, "InvalidToken"},
		{"ListMapRuns", `{"executionArn":"` + *ex.ExecutionArn + `","maxResults":1001}`, "ValidationException"},
		{"UpdateMapRun", `{"maxConcurrency":1}`, "ValidationException"},
		{"UpdateMapRun", `{"mapRunArn":"` + runARN + `"}`, "ValidationException"},
		{"UpdateMapRun", `{"mapRunArn":"` + runARN + `","maxConcurrency":-1}`, "ValidationException"},
		{"UpdateMapRun", `{"mapRunArn":"` + runARN + `","maxConcurrency":1.5}`, "SerializationException"},
		{"UpdateMapRun", `{"mapRunArn":"arn:aws:states:us-east-1:123456789012:mapRun:m/M:absent","maxConcurrency":1}`, "ResourceNotFound"},
		{"ListExecutions", `{"mapRunArn":"` + runARN + `"}`, "ValidationException"},
		{"ListExecutions", `{"mapRunArn":"` + runARN + `","stateMachineArn":"` + sm + `"}`, "ValidationException"},
		{"ListExecutions", `{"mapRunArn":"arn:aws:states:us-east-1:123456789012:mapRun:m/M:absent"}`, "ResourceNotFound"},
		{"ListExecutions", `{"mapRunArn":"nope"}`, "InvalidArn"},
		{"ListExecutions", `{}`, "ValidationException"},
	}
	for _, tt := range tests {
		status, body := rawCall(t, s.url, tt.action, []byte(tt.body))
		if status != 400 || body["__type"] != tt.code {
			t.Errorf("%s %s: %d %v, want 400 %s", tt.action, tt.body, status, body, tt.code)
		}
	}
	if _, body := rawCall(t, s.url, "ListExecutions", []byte(`{"mapRunArn":"`+runARN+`"}`)); !strings.Contains(body["message"].(string), "inside the parent execution") {
		t.Errorf("ListExecutions with a mapRunArn says %q", body["message"])
	}
	if _, err := s.client.StopExecution(ctx, &sfn.StopExecutionInput{ExecutionArn: ex.ExecutionArn}); err != nil {
		t.Fatal(err)
	}
	_, d = rawCall(t, s.url, "DescribeMapRun", runBody)
	if d["status"] != "ABORTED" || d["stopDate"] == nil {
		t.Errorf("map run of a stopped execution: %v", d)
	}
}

func keys(m map[string]any) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}
