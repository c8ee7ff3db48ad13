package main

import (
	"errors"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/sfn"
	"github.com/aws/aws-sdk-go-v2/service/sfn/types"
	"github.com/aws/smithy-go"
)

// TestServeMockTestCase runs a Step Functions Local mock test case through
// the server with the AWS SDK, as users of Step Functions Local do:
// StartExecution of STATE_MACHINE_ARN#TEST_CASE.
func TestServeMockTestCase(t *testing.T) {
	mocks := filepath.Join(t.TempDir(), "MockConfigFile.json")
	err := os.WriteFile(mocks, []byte(`{
	  "StateMachines": {"LambdaSQSIntegration": {"TestCases": {"HappyPath": {"LambdaState": "MockedLambdaSuccess", "SQSState": "MockedSQSSuccess"}}}},
	  "MockedResponses": {
	    "MockedLambdaSuccess": {"0": {"Return": {"StatusCode": 200, "Payload": {"statusCode": 200, "body": "Hello from Lambda!"}}}},
	    "MockedSQSSuccess": {"0": {"Return": {"MD5OfMessageBody": "3bcb6e8e-7h85-4375-b0bc-1a59812c6e51", "MessageId": "3bcb6e8e-8b51-4375-b0bc-1a59812c6e51"}}}
	  }}`), 0o644)
	if err != nil {
		t.Fatal(err)
	}
	o := serverOptions{listen: "127.0.0.1:0", store: "memory", logFormat: "text", logLevel: "warn", mockConfig: mocks}
	url, _, stop := startServe(t, o)
	defer stop()
	c := sfn.New(sfn.Options{Region: "us-east-1", BaseEndpoint: aws.String(url), RetryMaxAttempts: 1,
		Credentials: credentials.NewStaticCredentialsProvider("k", "s", "")})
	ctx := t.Context()
	sm, err := c.CreateStateMachine(ctx, &sfn.CreateStateMachineInput{Name: aws.String("LambdaSQSIntegration"), RoleArn: aws.String("arn:aws:iam::123456789012:role/r"),
		Definition: aws.String(`{"StartAt":"LambdaState","States":{
		  "LambdaState":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke","Parameters":{"FunctionName":"HelloWorldFunction"},"OutputPath":"$.Payload","Next":"SQSState"},
		  "SQSState":{"Type":"Task","Resource":"arn:aws:states:::sqs:sendMessage","Parameters":{"QueueUrl":"https://sqs.us-east-1.amazonaws.com/123456789012/myQueue","MessageBody.$":"$"},"End":true}}}`)})
	if err != nil {
		t.Fatal(err)
	}
	ex, err := c.StartExecution(ctx, &sfn.StartExecutionInput{StateMachineArn: aws.String(*sm.StateMachineArn + "#HappyPath"),
		Name: aws.String("executionWithHappyPathMockedServices")})
	if err != nil {
		t.Fatal(err)
	}
	if want := "arn:aws:states:us-east-1:123456789012:execution:LambdaSQSIntegration:executionWithHappyPathMockedServices"; aws.ToString(ex.ExecutionArn) != want {
		t.Errorf("execution ARN %s, want %s", aws.ToString(ex.ExecutionArn), want)
	}
	deadline := time.Now().Add(10 * time.Second)
	for {
		d, err := c.DescribeExecution(ctx, &sfn.DescribeExecutionInput{ExecutionArn: ex.ExecutionArn})
		if err != nil {
			t.Fatal(err)
		}
		if d.Status != types.ExecutionStatusRunning {
			want := `{"MD5OfMessageBody":"3bcb6e8e-7h85-4375-b0bc-1a59812c6e51","MessageId":"3bcb6e8e-8b51-4375-b0bc-1a59812c6e51"}`
			if d.Status != types.ExecutionStatusSucceeded || aws.ToString(d.Output) != want {
				t.Errorf("execution %s %s %s %s", d.Status, aws.ToString(d.Output), aws.ToString(d.Error), aws.ToString(d.Cause))
			}
			if aws.ToString(d.StateMachineArn) != aws.ToString(sm.StateMachineArn) {
				t.Errorf("state machine %s", aws.ToString(d.StateMachineArn))
			}
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("execution still running")
		}
		time.Sleep(5 * time.Millisecond)
	}
	hist, err := c.GetExecutionHistory(ctx, &sfn.GetExecutionHistoryInput{ExecutionArn: ex.ExecutionArn})
	if err != nil {
		t.Fatal(err)
	}
	var lambdaOut string
	for _, e := range hist.Events {
		if e.Type == types.HistoryEventTypeTaskSucceeded && aws.ToString(e.TaskSucceededEventDetails.Resource) == "invoke" {
			lambdaOut = aws.ToString(e.TaskSucceededEventDetails.Output)
		}
	}
	if lambdaOut != `{"StatusCode":200,"Payload":{"statusCode":200,"body":"Hello from Lambda!"}}` {
		t.Errorf("the Lambda state's output in the history: %s", lambdaOut)
	}

	_, err = c.StartExecution(ctx, &sfn.StartExecutionInput{StateMachineArn: aws.String(*sm.StateMachineArn + "#SadPath")})
	var apiErr smithy.APIError
	if !errors.As(err, &apiErr) || apiErr.ErrorCode() != "ValidationException" {
		t.Errorf("unknown test case: %v", err)
	}
}

func TestServeBadMockConfig(t *testing.T) {
	bad := filepath.Join(t.TempDir(), "mocks.json")
	if err := os.WriteFile(bad, []byte(`{"StateMachines": 3}`), 0o644); err != nil {
		t.Fatal(err)
	}
	o := serverOptions{listen: "127.0.0.1:0", store: "memory", logFormat: "text", logLevel: "warn", mockConfig: bad}
	var ue usageError
	if err := serve(t.Context(), o, new(syncBuffer), nil); !errors.As(err, &ue) {
		t.Errorf("serve with a broken mock config: %v, want a usage error", err)
	}
}
