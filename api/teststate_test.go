package api_test

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"sync"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sfn"
	"github.com/aws/aws-sdk-go-v2/service/sfn/types"
	"github.com/aws/smithy-go"
	"github.com/google/go-cmp/cmp"

	"stepwise/api"
	"stepwise/jsonval"
	"stepwise/tasks"
)

// jsonOf parses a JSON document of a response for comparison.
func jsonOf(t *testing.T, s *string) any {
	t.Helper()
	if s == nil {
		return nil
	}
	var v any
	if err := json.Unmarshal([]byte(*s), &v); err != nil {
		t.Fatalf("%q is not JSON: %v", *s, err)
	}
	return v
}

func TestTestStatePass(t *testing.T) {
	s := startServer(t, api.Options{}, nil)
	out, err := s.client.TestState(t.Context(), &sfn.TestStateInput{
		Definition:      aws.String(`{"Type":"Pass","InputPath":"$.order","Parameters":{"id.$":"$.id","kind":"order"},"ResultPath":"$.summary","Next":"Ship"}`),
		Input:           aws.String(`{"order":{"id":7}}`),
		InspectionLevel: types.InspectionLevelDebug,
	})
	if err != nil {
		t.Fatalf("TestState: %v", err)
	}
	if out.Status != types.TestExecutionStatusSucceeded || aws.ToString(out.NextState) != "Ship" {
		t.Errorf("status %s, next state %q; want SUCCEEDED, Ship", out.Status, aws.ToString(out.NextState))
	}
	wantOut := map[string]any{"order": map[string]any{"id": 7.0}, "summary": map[string]any{"id": 7.0, "kind": "order"}}
	if d := cmp.Diff(any(wantOut), jsonOf(t, out.Output)); d != "" {
		t.Errorf("output (-want +got):\n%s", d)
	}
	insp := out.InspectionData
	if insp == nil {
		t.Fatal("no inspection data at DEBUG")
	}
	got := map[string]any{
		"input": jsonOf(t, insp.Input), "afterInputPath": jsonOf(t, insp.AfterInputPath),
		"afterParameters": jsonOf(t, insp.AfterParameters), "afterResultPath": jsonOf(t, insp.AfterResultPath),
	}
	want := map[string]any{
		"input": map[string]any{"order": map[string]any{"id": 7.0}}, "afterInputPath": map[string]any{"id": 7.0},
		"afterParameters": map[string]any{"id": 7.0, "kind": "order"}, "afterResultPath": wantOut,
	}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("inspection data (-want +got):\n%s", d)
	}

	// INFO, the default, shows no inspection data.
	out, err = s.client.TestState(t.Context(), &sfn.TestStateInput{Definition: aws.String(`{"Type":"Succeed"}`)})
	if err != nil {
		t.Fatalf("TestState: %v", err)
	}
	if out.InspectionData != nil || aws.ToString(out.Output) != "{}" || out.NextState != nil {
		t.Errorf("INFO response: output %q, next %v, inspection %+v", aws.ToString(out.Output), out.NextState, out.InspectionData)
	}
}

func TestTestStateMockedTask(t *testing.T) {
	s := startServer(t, api.Options{}, nil)
	const task = `{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke","Parameters":{"FunctionName":"charge","Payload.$":"$"},
		"Retry":[{"ErrorEquals":["Lambda.TooManyRequestsException"],"IntervalSeconds":2,"MaxAttempts":2,"BackoffRate":3}],
		"Catch":[{"ErrorEquals":["States.ALL"],"ResultPath":"$.error","Next":"Refund"}],"Next":"Done"}`
	tests := []struct {
		name      string
		mock      *types.MockInput
		retries   int32
		status    types.TestExecutionStatus
		next      string
		output    string
		retryIdx  *int32
		backoff   *int32
		catchIdx  *int32
		errorName string
	}{
		{name: "result", mock: &types.MockInput{Result: aws.String(`{"Payload":{"ok":true}}`)},
			status: types.TestExecutionStatusSucceeded, next: "Done", output: `{"Payload":{"ok":true}}`},
		{name: "retried error", mock: &types.MockInput{ErrorOutput: &types.MockErrorOutput{Error: aws.String("Lambda.TooManyRequestsException"), Cause: aws.String("busy")}},
			retries: 1, status: types.TestExecutionStatusRetriable, retryIdx: aws.Int32(0), backoff: aws.Int32(6), errorName: "Lambda.TooManyRequestsException"},
		{name: "caught error", mock: &types.MockInput{ErrorOutput: &types.MockErrorOutput{Error: aws.String("Lambda.TooManyRequestsException"), Cause: aws.String("busy")}},
			retries: 2, status: types.TestExecutionStatusCaughtError, next: "Refund", catchIdx: aws.Int32(0), errorName: "Lambda.TooManyRequestsException",
			output: `{"amount":5,"error":{"Error":"Lambda.TooManyRequestsException","Cause":"busy"}}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out, err := s.client.TestState(t.Context(), &sfn.TestStateInput{
				Definition: aws.String(task), Input: aws.String(`{"amount":5}`), InspectionLevel: types.InspectionLevelDebug,
				Mock: tt.mock, StateConfiguration: &types.TestStateConfiguration{RetrierRetryCount: aws.Int32(tt.retries)},
			})
			if err != nil {
				t.Fatalf("TestState: %v", err)
			}
			if out.Status != tt.status || aws.ToString(out.NextState) != tt.next || aws.ToString(out.Error) != tt.errorName {
				t.Errorf("got status %s, next %q, error %q; want %s, %q, %q", out.Status, aws.ToString(out.NextState), aws.ToString(out.Error), tt.status, tt.next, tt.errorName)
			}
			if tt.output != "" {
				if d := cmp.Diff(jsonOf(t, &tt.output), jsonOf(t, out.Output)); d != "" {
					t.Errorf("output (-want +got):\n%s", d)
				}
			} else if out.Output != nil {
				t.Errorf("output %q, want none", *out.Output)
			}
			var d types.InspectionErrorDetails
			if out.InspectionData.ErrorDetails != nil {
				d = *out.InspectionData.ErrorDetails
			}
			if diff := cmp.Diff([]*int32{tt.retryIdx, tt.backoff, tt.catchIdx}, []*int32{d.RetryIndex, d.RetryBackoffIntervalSeconds, d.CatchIndex}); diff != "" {
				t.Errorf("error details [retryIndex backoff catchIndex] (-want +got):\n%s", diff)
			}
		})
	}
}

func TestTestStateInvokesTask(t *testing.T) {
	inv := tasks.NewMemory()
	var mu sync.Mutex
	var got []string
	inv.Register("price", func(_ context.Context, req tasks.Request) (any, error) {
		mu.Lock()
		got = append(got, jsonval.MustMarshalString(req.Input))
		mu.Unlock()
		return jsonval.ParseString(`{"total":12}`)
	})
	inv.Register("broken", func(context.Context, tasks.Request) (any, error) {
		return nil, &tasks.Error{Name: "Custom.Broken", Cause: "no prices today"}
	})
	s := startServer(t, api.Options{}, inv)
	out, err := s.client.TestState(t.Context(), &sfn.TestStateInput{
		Definition: aws.String(`{"Type":"Task","QueryLanguage":"JSONata","Resource":"arn:aws:lambda:us-east-1:123456789012:function:price",
			"Arguments":{"items":"{% $states.input.items %}","by":"{% $user %}"},
			"Assign":{"total":"{% $states.result.total %}"},"Output":{"total":"{% $states.result.total %}"},"End":true}`),
		RoleArn:         aws.String(roleARN),
		Input:           aws.String(`{"items":[1,2]}`),
		Variables:       aws.String(`{"user":"ada"}`),
		InspectionLevel: types.InspectionLevelTrace,
	})
	if err != nil {
		t.Fatalf("TestState: %v", err)
	}
	if out.Status != types.TestExecutionStatusSucceeded || aws.ToString(out.Output) != `{"total":12}` {
		t.Errorf("got %s %q, want SUCCEEDED {\"total\":12}", out.Status, aws.ToString(out.Output))
	}
	if d := cmp.Diff([]string{`{"items":[1,2],"by":"ada"}`}, got); d != "" {
		t.Errorf("invocations (-want +got):\n%s", d)
	}
	if insp := out.InspectionData; insp == nil || aws.ToString(insp.AfterArguments) != `{"items":[1,2],"by":"ada"}` ||
		aws.ToString(insp.Result) != `{"total":12}` || aws.ToString(insp.Variables) != `{"user":"ada","total":12}` {
		t.Errorf("inspection data %+v", insp)
	}

	out, err = s.client.TestState(t.Context(), &sfn.TestStateInput{
		Definition: aws.String(`{"Type":"Task","Resource":"arn:aws:lambda:us-east-1:123456789012:function:broken","End":true}`),
		RoleArn:    aws.String(roleARN),
	})
	if err != nil {
		t.Fatalf("TestState: %v", err)
	}
	if out.Status != types.TestExecutionStatusFailed || aws.ToString(out.Error) != "Custom.Broken" || aws.ToString(out.Cause) != "no prices today" {
		t.Errorf("got %s %q %q, want FAILED Custom.Broken", out.Status, aws.ToString(out.Error), aws.ToString(out.Cause))
	}
}

func TestTestStateWholeDefinition(t *testing.T) {
	s := startServer(t, api.Options{}, nil)
	out, err := s.client.TestState(t.Context(), &sfn.TestStateInput{
		Definition: aws.String(`{"QueryLanguage":"JSONata","StartAt":"Check","States":{
			"Check":{"Type":"Choice","Choices":[{"Condition":"{% $states.input.cost < 10 %}","Next":"Approve"}],"Default":"Ask"},
			"Ask":{"Type":"Task","Resource":"arn:aws:states:::http:invoke","Arguments":{"ApiEndpoint":"https://example.com","Method":"POST"},
				"Output":{"approved":"{% $states.result.ResponseBody.ok %}","exec":"{% $states.context.Execution.Name %}"},"Next":"Approve"},
			"Approve":{"Type":"Succeed"}}}`),
		StateName: aws.String("Ask"),
		Input:     aws.String(`{"cost":10}`),
		Mock:      &types.MockInput{Result: aws.String(`{"ResponseBody":{"ok":true},"StatusCode":200}`), FieldValidationMode: types.MockResponseValidationModeNone},
		Context:   aws.String(`{"Execution":{"Name":"my-run"}}`),
	})
	if err != nil {
		t.Fatalf("TestState: %v", err)
	}
	if out.Status != types.TestExecutionStatusSucceeded || aws.ToString(out.NextState) != "Approve" || aws.ToString(out.Output) != `{"approved":true,"exec":"my-run"}` {
		t.Errorf("got %s %q %q", out.Status, aws.ToString(out.NextState), aws.ToString(out.Output))
	}
}

func TestTestStateRefused(t *testing.T) {
	s := startServer(t, api.Options{}, nil)
	tests := []struct {
		name string
		in   *sfn.TestStateInput
		code string
		msg  string
	}{
		{"mock on a Pass state", &sfn.TestStateInput{Definition: aws.String(`{"Type":"Pass","End":true}`), Mock: &types.MockInput{Result: aws.String(`{}`)}},
			"ValidationException", "State type 'Pass' is not supported when a mock is specified"},
		{"Map without a mock", &sfn.TestStateInput{Definition: aws.String(`{"Type":"Map","End":true,"ItemProcessor":{"StartAt":"P","States":{"P":{"Type":"Pass","End":true}}}}`)},
			"InvalidDefinition", "TestState API does not support Map or Parallel states. Supported state types include: [Task, Wait, Pass, Succeed, Fail, Choice]"},
		{"invalid definition", &sfn.TestStateInput{Definition: aws.String(`{"Type":"Pass"}`)}, "InvalidDefinition", ""},
		{"input that is not JSON", &sfn.TestStateInput{Definition: aws.String(`{"Type":"Pass","End":true}`), Input: aws.String("{")}, "InvalidExecutionInput", ""},
		{"bad role ARN", &sfn.TestStateInput{Definition: aws.String(`{"Type":"Pass","End":true}`), RoleArn: aws.String("role")}, "InvalidArn", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := s.client.TestState(t.Context(), tt.in)
			var ae smithy.APIError
			if !errors.As(err, &ae) {
				t.Fatalf("err = %v, want an API error", err)
			}
			if ae.ErrorCode() != tt.code || (tt.msg != "" && ae.ErrorMessage() != tt.msg) {
				t.Errorf("got %s: %s; want %s: %s", ae.ErrorCode(), ae.ErrorMessage(), tt.code, tt.msg)
			}
		})
	}
}

// TestTestStateWire checks the JSON of a response as the protocol sends
// it: members named as AWS names them, documents as JSON text.
func TestTestStateWire(t *testing.T) {
	s := startServer(t, api.Options{}, nil)
	status, body := rawCall(t, s.url, "TestState", []byte(`{
		"definition": "{\"Type\":\"Task\",\"Resource\":\"arn:aws:states:::sqs:sendMessage\",\"End\":true,\"Catch\":[{\"ErrorEquals\":[\"States.ALL\"],\"Next\":\"H\"}]}",
		"input": "{\"a\":1}", "inspectionLevel": "DEBUG",
		"mock": {"errorOutput": {"error": "SQS.QueueDoesNotExistException", "cause": "gone"}}}`))
	if status != http.StatusOK {
		t.Fatalf("status %d: %v", status, body)
	}
	want := map[string]any{
		"status": "CAUGHT_ERROR", "error": "SQS.QueueDoesNotExistException", "cause": "gone", "nextState": "H",
		"output": `{"Error":"SQS.QueueDoesNotExistException","Cause":"gone"}`,
		"inspectionData": map[string]any{
			"input": `{"a":1}`, "afterInputPath": `{"a":1}`, "afterParameters": `{"a":1}`,
			"afterResultPath": `{"Error":"SQS.QueueDoesNotExistException","Cause":"gone"}`,
			"errorDetails":    map[string]any{"catchIndex": 0.0},
		},
	}
	if d := cmp.Diff(any(want), any(body)); d != "" {
		t.Errorf("response (-want +got):\n%s", d)
	}

	status, body = rawCall(t, s.url, "TestState", []byte(`{"input":"{}"}`))
	if status != http.StatusBadRequest || body["__type"] != "ValidationException" {
		t.Errorf("without a definition: %d %v", status, body)
	}
}
