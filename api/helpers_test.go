package api_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/sfn"
	"github.com/aws/aws-sdk-go-v2/service/sfn/types"
	"github.com/aws/smithy-go/middleware"
	smithyhttp "github.com/aws/smithy-go/transport/http"

	"stepwise/api"
	"stepwise/service"
	"stepwise/store/memory"
	"stepwise/tasks"
)

const (
	testKey    = "AKIDSTEPWISETEST"
	testSecret = "stepwise-test-secret"
	roleARN    = "arn:aws:iam::123456789012:role/stepwise"
)

// server is an API server on a random loopback port, backed by a service
// on the memory store, with its workers running.
type server struct {
	url    string
	svc    *service.Service
	client *sfn.Client
}

// startServer starts a server; it is stopped when the test ends. With
// opts.Credentials set, the client signs with testKey and testSecret.
func startServer(t *testing.T, opts api.Options, inv tasks.Invoker) *server {
	t.Helper()
	st := memory.New()
	svc, err := service.Open(service.Config{Store: st, Invoker: inv})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	var wg sync.WaitGroup
	wg.Go(func() { _ = svc.Run(ctx) })
	hs := httptest.NewServer(api.NewHandler(svc, opts))
	t.Cleanup(func() {
		hs.Close()
		cancel()
		wg.Wait()
		_ = svc.Close()
		_ = st.Close()
	})
	return &server{url: hs.URL, svc: svc, client: newClient(hs.URL, testKey, testSecret)}
}

// newClient returns an SDK client for a Stepwise endpoint. The option that
// matters is the one that keeps StartSyncExecution from prepending "sync-"
// to the endpoint's host name.
func newClient(url, key, secret string) *sfn.Client {
	return sfn.New(sfn.Options{
		Region:           "us-east-1",
		BaseEndpoint:     aws.String(url),
		Credentials:      credentials.NewStaticCredentialsProvider(key, secret, ""),
		RetryMaxAttempts: 1,
		APIOptions:       []func(*middleware.Stack) error{disableHostPrefix},
	})
}

// disableHostPrefix turns off the SDK's endpoint host prefixes (the "sync-"
// of StartSyncExecution), as the README shows.
func disableHostPrefix(stack *middleware.Stack) error {
	return stack.Initialize.Add(middleware.InitializeMiddlewareFunc("StepwiseDisableHostPrefix",
		func(ctx context.Context, in middleware.InitializeInput, next middleware.InitializeHandler) (middleware.InitializeOutput, middleware.Metadata, error) {
			return next.HandleInitialize(smithyhttp.DisableEndpointHostPrefix(ctx, true), in)
		}), middleware.Before)
}

// rawCall posts body to the API with the given action and returns the
// status and decoded JSON body.
func rawCall(t *testing.T, url, action string, body []byte) (int, map[string]any) {
	t.Helper()
	req, err := http.NewRequestWithContext(t.Context(), http.MethodPost, url, bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-amz-json-1.0")
	if action != "" {
		req.Header.Set("X-Amz-Target", "AWSStepFunctions."+action)
	}
	return do(t, req)
}

func do(t *testing.T, req *http.Request) (int, map[string]any) {
	t.Helper()
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	var out map[string]any
	if err := json.Unmarshal(b, &out); err != nil {
		t.Fatalf("response %q is not a JSON object: %v", b, err)
	}
	return resp.StatusCode, out
}

// createMachine creates a state machine and returns its ARN.
func createMachine(t *testing.T, s *server, name, def string, typ types.StateMachineType) string {
	t.Helper()
	out, err := s.client.CreateStateMachine(t.Context(), &sfn.CreateStateMachineInput{
		Name: aws.String(name), Definition: aws.String(def), RoleArn: aws.String(roleARN), Type: typ,
	})
	if err != nil {
		t.Fatalf("CreateStateMachine %s: %v", name, err)
	}
	return *out.StateMachineArn
}

// waitDone polls DescribeExecution until the execution is no longer
// running, for up to 10 seconds.
func waitDone(t *testing.T, s *server, arn string) *sfn.DescribeExecutionOutput {
	t.Helper()
	deadline := time.After(10 * time.Second)
	tick := time.NewTicker(5 * time.Millisecond)
	defer tick.Stop()
	for {
		out, err := s.client.DescribeExecution(t.Context(), &sfn.DescribeExecutionInput{ExecutionArn: aws.String(arn)})
		if err != nil {
			t.Fatalf("DescribeExecution: %v", err)
		}
		if out.Status != types.ExecutionStatusRunning {
			return out
		}
		select {
		case <-deadline:
			t.Fatalf("execution %s still running", arn)
		case <-tick.C:
		}
	}
}

const passMachine = `{
  "StartAt": "A",
  "States": {
    "A": {"Type": "Pass", "Result": {"a": 1}, "ResultPath": "$.a", "Next": "B"},
    "B": {"Type": "Pass", "Parameters": {"sum.$": "States.MathAdd($.a.a, $.n)"}, "Next": "C"},
    "C": {"Type": "Pass", "End": true}
  }
}`

const waitMachine = `{"StartAt": "W", "States": {"W": {"Type": "Wait", "Seconds": 3600, "End": true}}}`

const failMachine = `{"StartAt": "F", "States": {"F": {"Type": "Fail", "Error": "Boom", "Cause": "it broke"}}}`
