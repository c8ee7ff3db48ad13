package api_test

import (
	"errors"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sfn"
	"github.com/aws/aws-sdk-go-v2/service/sfn/types"
	"github.com/aws/smithy-go"

	"stepwise/api"
)

// TestProtocolErrors checks the error responses of the protocol layer,
// sent without the SDK (which would refuse most of them client-side).
func TestProtocolErrors(t *testing.T) {
	s := startServer(t, api.Options{}, nil)
	tests := []struct {
		name   string
		action string
		body   string
		status int
		code   string
	}{
		{"unknown action", "Frobnicate", `{}`, 400, "UnknownOperationException"},
		{"no target", "", `{}`, 400, "UnknownOperationException"},
		{"malformed json", "ListStateMachines", `{"maxResults":`, 400, "SerializationException"},
		{"not an object", "ListStateMachines", `[1,2]`, 400, "SerializationException"},
		{"wrong type", "ListStateMachines", `{"maxResults":"ten"}`, 400, "SerializationException"},
		{"wrong nested type", "CreateActivity", `{"name":"a","tags":[{"key":1}]}`, 400, "SerializationException"},
		{"config not an object", "CreateStateMachine", `{"name":"a","definition":"{}","roleArn":"r","loggingConfiguration":3}`, 400, "SerializationException"},
		{"missing member", "DescribeStateMachine", `{}`, 400, "ValidationException"},
		{"missing output", "SendTaskSuccess", `{"taskToken":"x"}`, 400, "ValidationException"},
		{"maxResults too big", "ListActivities", `{"maxResults":1001}`, 400, "ValidationException"},
		{"bad status filter", "ListExecutions", `{"stateMachineArn":"arn:aws:states:us-east-1:123456789012:stateMachine:x","statusFilter":"NOPE"}`, 400, "ValidationException"},
		{"bad includedData", "DescribeExecution", `{"executionArn":"a","includedData":"SOME"}`, 400, "ValidationException"},
		{"bad token", "ListStateMachines", `{"nextToken":"garbage"}`, 400, "InvalidToken"},
		{"invalid arn", "DescribeStateMachine", `{"stateMachineArn":"not-an-arn"}`, 400, "InvalidArn"},
		{"empty body is an empty request", "DescribeActivity", ``, 400, "ValidationException"},
		{"oversized body", "CreateActivity", `{"name":"` + strings.Repeat("x", api.DefaultMaxBodyBytes) + `"}`, 413, "RequestEntityTooLargeException"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			status, body := rawCall(t, s.url, tt.action, []byte(tt.body))
			if status != tt.status || body["__type"] != tt.code {
				t.Errorf("got %d %v, want %d %s", status, body, tt.status, tt.code)
			}
			if msg, _ := body["message"].(string); msg == "" {
				t.Errorf("no message in %v", body)
			}
		})
	}
}

func TestNotPost(t *testing.T) {
	s := startServer(t, api.Options{}, nil)
	req, _ := http.NewRequestWithContext(t.Context(), http.MethodGet, s.url, nil)
	req.Header.Set("X-Amz-Target", "AWSStepFunctions.ListActivities")
	if status, body := do(t, req); status != http.StatusMethodNotAllowed || body["__type"] != "MethodNotAllowed" {
		t.Errorf("GET / = %d %v", status, body)
	}
}

func TestHealthAndMetrics(t *testing.T) {
	s := startServer(t, api.Options{Credentials: map[string]string{testKey: testSecret}}, nil)
	sm := createMachine(t, s, "counted", passMachine, types.StateMachineTypeExpress)
	if _, err := s.client.StartSyncExecution(t.Context(), &sfn.StartSyncExecutionInput{StateMachineArn: aws.String(sm), Input: aws.String(`{"n":1}`)}); err != nil {
		t.Fatal(err)
	}
	get := func(path string, signed bool) (int, string) {
		req, _ := http.NewRequestWithContext(t.Context(), http.MethodGet, s.url+path, nil)
		if signed {
			signRequest(t, req, nil, "us-east-1", "states")
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b)
	}
	// /healthz stays open when authentication is on; /metrics, which
	// names every state machine, needs a signature as the API does.
	if status, body := get("/healthz", false); status != 200 || body != `{"status":"ok"}`+"\n" {
		t.Errorf("/healthz = %d %q", status, body)
	}
	if status, body := get("/metrics", false); status != 400 || !strings.Contains(body, "InvalidSignatureException") || strings.Contains(body, sm) {
		t.Errorf("unsigned /metrics = %d %q, want 400 InvalidSignatureException", status, body)
	}
	status, body := get("/metrics", true)
	if status != 200 {
		t.Fatalf("/metrics = %d", status)
	}
	for _, want := range []string{
		`stepwise_executions_started_total{state_machine_arn="` + sm + `"} 1`,
		`stepwise_executions_finished_total{state_machine_arn="` + sm + `",status="SUCCEEDED"} 1`,
		`stepwise_api_requests_total{action="StartSyncExecution",code="",status="200"} 1`,
		`stepwise_api_request_duration_seconds_count{action="CreateStateMachine"} 1`,
	} {
		if !strings.Contains(body, want) {
			t.Errorf("/metrics lacks %s", want)
		}
	}
}

// TestServiceErrors checks that the service's errors reach the SDK as the
// error types of the sfn model.
func TestServiceErrors(t *testing.T) {
	s := startServer(t, api.Options{}, nil)
	ctx := t.Context()
	c := s.client
	sm := createMachine(t, s, "there", passMachine, types.StateMachineTypeStandard)
	missingSM := "arn:aws:states:us-east-1:123456789012:stateMachine:nope"
	missingExec := "arn:aws:states:us-east-1:123456789012:execution:nope:x"
	tests := []struct {
		name string
		call func() error
		want any
	}{
		{"InvalidArn", func() error {
			_, err := c.DescribeStateMachine(ctx, &sfn.DescribeStateMachineInput{StateMachineArn: aws.String("arn:bad")})
			return err
		}, new(*types.InvalidArn)},
		{"InvalidName", func() error {
			_, err := c.CreateStateMachine(ctx, &sfn.CreateStateMachineInput{Name: aws.String("has space"), Definition: aws.String(passMachine), RoleArn: aws.String(roleARN)})
			return err
		}, new(*types.InvalidName)},
		{"InvalidDefinition", func() error {
			_, err := c.CreateStateMachine(ctx, &sfn.CreateStateMachineInput{Name: aws.String("bad"), Definition: aws.String(`{"StartAt":"X"}`), RoleArn: aws.String(roleARN)})
			return err
		}, new(*types.InvalidDefinition)},
		{"StateMachineAlreadyExists", func() error {
			_, err := c.CreateStateMachine(ctx, &sfn.CreateStateMachineInput{Name: aws.String("there"), Definition: aws.String(waitMachine), RoleArn: aws.String(roleARN)})
			return err
		}, new(*types.StateMachineAlreadyExists)},
		{"StateMachineDoesNotExist", func() error {
			_, err := c.StartExecution(ctx, &sfn.StartExecutionInput{StateMachineArn: aws.String(missingSM)})
			return err
		}, new(*types.StateMachineDoesNotExist)},
		{"InvalidExecutionInput", func() error {
			_, err := c.StartExecution(ctx, &sfn.StartExecutionInput{StateMachineArn: aws.String(sm), Input: aws.String("{nope")})
			return err
		}, new(*types.InvalidExecutionInput)},
		{"ExecutionDoesNotExist", func() error {
			_, err := c.DescribeExecution(ctx, &sfn.DescribeExecutionInput{ExecutionArn: aws.String(missingExec)})
			return err
		}, new(*types.ExecutionDoesNotExist)},
		{"ExecutionDoesNotExist history", func() error {
			_, err := c.GetExecutionHistory(ctx, &sfn.GetExecutionHistoryInput{ExecutionArn: aws.String(missingExec)})
			return err
		}, new(*types.ExecutionDoesNotExist)},
		{"ActivityDoesNotExist", func() error {
			_, err := c.GetActivityTask(ctx, &sfn.GetActivityTaskInput{ActivityArn: aws.String("arn:aws:states:us-east-1:123456789012:activity:none")})
			return err
		}, new(*types.ActivityDoesNotExist)},
		{"TaskTimedOut", func() error {
			// A token of the right form that names no open task.
			_, err := c.SendTaskSuccess(ctx, &sfn.SendTaskSuccessInput{TaskToken: aws.String("no-such-token"), Output: aws.String("{}")})
			return err
		}, new(*types.TaskTimedOut)},
		{"InvalidToken", func() error {
			_, err := c.ListExecutions(ctx, &sfn.ListExecutionsInput{StateMachineArn: aws.String(sm), NextToken: aws.String("bogus")})
			return err
		}, new(*types.InvalidToken)},
		{"ResourceNotFound", func() error {
			_, err := c.ListTagsForResource(ctx, &sfn.ListTagsForResourceInput{ResourceArn: aws.String(missingSM)})
			return err
		}, new(*types.ResourceNotFound)},
		{"ValidationException", func() error {
			_, err := c.CreateStateMachine(ctx, &sfn.CreateStateMachineInput{Name: aws.String("typed"), Definition: aws.String(passMachine), RoleArn: aws.String(roleARN), Type: "BATCH"})
			return err
		}, new(*types.ValidationException)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.call()
			if !errors.As(err, tt.want) {
				t.Fatalf("error = %v, want %s", err, tt.name)
			}
			var ae smithy.APIError
			if !errors.As(err, &ae) || ae.ErrorMessage() == "" || ae.ErrorFault() != smithy.FaultClient {
				t.Errorf("error %v has no message or is not a client fault", err)
			}
		})
	}
}

// TestConcurrentConflicts starts the same execution name from many clients
// at once: exactly one execution exists afterwards and every caller gets
// it or ExecutionAlreadyExists.
func TestConcurrentConflicts(t *testing.T) {
	s := startServer(t, api.Options{}, nil)
	sm := createMachine(t, s, "racy", waitMachine, types.StateMachineTypeStandard)
	errs := make(chan error, 20)
	arns := make(chan string, 20)
	for i := range 20 {
		go func() {
			out, err := s.client.StartExecution(t.Context(), &sfn.StartExecutionInput{StateMachineArn: aws.String(sm), Name: aws.String("one"),
				Input: aws.String(`{"i":` + string(rune('0'+i%2)) + `}`)})
			if err != nil {
				errs <- err
				return
			}
			arns <- *out.ExecutionArn
		}()
	}
	for range 20 {
		select {
		case err := <-errs:
			var exists *types.ExecutionAlreadyExists
			if !errors.As(err, &exists) {
				t.Errorf("StartExecution: %v", err)
			}
		case arn := <-arns:
			if !strings.HasSuffix(arn, ":racy:one") {
				t.Errorf("arn = %s", arn)
			}
		}
	}
	if _, err := s.client.StopExecution(t.Context(), &sfn.StopExecutionInput{ExecutionArn: aws.String("arn:aws:states:us-east-1:123456789012:execution:racy:one")}); err != nil {
		t.Fatal(err)
	}
}
