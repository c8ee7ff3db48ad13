package main

import (
	"encoding/json"
	"io"
	"slices"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/sfn"

	"stepwise/internal/s3test"
)

// s3Workflow puts two objects, reads one back, lists them, and reads a
// missing key and lists a missing bucket, catching the errors by the names
// AWS gives them.
const s3Workflow = `{
  "StartAt": "PutHello",
  "States": {
    "PutHello": {"Type": "Task", "Resource": "arn:aws:states:::aws-sdk:s3:putObject",
      "Parameters": {"Bucket": "e2e-bucket", "Key": "greetings/hello.txt", "Body.$": "$.text"},
      "ResultPath": "$.put", "Next": "PutBye"},
    "PutBye": {"Type": "Task", "Resource": "arn:aws:states:::aws-sdk:s3:putObject",
      "Parameters": {"Bucket": "e2e-bucket", "Key": "greetings/bye.txt", "Body": "Goodbye"},
      "ResultPath": null, "Next": "Get"},
    "Get": {"Type": "Task", "Resource": "arn:aws:states:::aws-sdk:s3:getObject",
      "Parameters": {"Bucket": "e2e-bucket", "Key": "greetings/hello.txt"},
      "ResultPath": "$.get", "Next": "List"},
    "List": {"Type": "Task", "Resource": "arn:aws:states:::aws-sdk:s3:listObjectsV2",
      "Parameters": {"Bucket": "e2e-bucket", "Prefix": "greetings/"},
      "ResultPath": "$.list", "Next": "GetMissing"},
    "GetMissing": {"Type": "Task", "Resource": "arn:aws:states:::aws-sdk:s3:getObject",
      "Parameters": {"Bucket": "e2e-bucket", "Key": "no/such/key.txt"},
      "Catch": [{"ErrorEquals": ["S3.NoSuchKeyException"], "ResultPath": "$.missing", "Next": "ListMissingBucket"}],
      "ResultPath": "$.unexpected", "Next": "NotCaught"},
    "ListMissingBucket": {"Type": "Task", "Resource": "arn:aws:states:::aws-sdk:s3:listObjectsV2",
      "Parameters": {"Bucket": "no-such-bucket"},
      "Catch": [{"ErrorEquals": ["S3.NoSuchBucketException"], "ResultPath": "$.missingBucket", "Next": "Done"}],
      "ResultPath": "$.unexpected", "Next": "NotCaught"},
    "NotCaught": {"Type": "Fail", "Error": "Test.NotCaught", "Cause": "a read of a missing key or bucket succeeded"},
    "Done": {"Type": "Succeed"}
  }
}`

// TestRunS3EndToEnd runs a workflow's aws-sdk:s3 Tasks against an
// S3-compatible server running as its own process (issue 16, first "Done
// when" bullet): the objects it puts are there for another client, the
// Body comes back as text as AWS returns it, and a missing key is
// S3.NoSuchKeyException, the name Step Functions gives S3's NoSuchKey (AWS
// adds the Exception suffix to SDK integration errors that lack it); a
// missing bucket likewise is S3.NoSuchBucketException.
func TestRunS3EndToEnd(t *testing.T) {
	endpoint := s3test.Start(t, "e2e-bucket")
	def := writeFile(t, "s3.asl.json", s3Workflow)
	code, out, stderr := runCLI(t, "run", def, "--input", `{"text":"Hello, S3!"}`, "--aws-endpoint", "s3="+endpoint)
	r := decodeRun(t, out)
	if code != exitOK || r.Status != "SUCCEEDED" {
		t.Fatalf("code %d, %+v, stderr %s", code, r, stderr)
	}
	var got struct {
		Put struct{ ETag string }
		Get struct {
			Body          string
			ETag          string
			ContentLength float64
		}
		List struct {
			KeyCount float64
			Contents []struct {
				Key  string
				Size float64
			}
		}
		Missing       struct{ Error, Cause string }
		MissingBucket struct{ Error, Cause string }
	}
	remarshal(t, r.Output, &got)

	if got.Get.Body != "Hello, S3!" || got.Get.ContentLength != float64(len("Hello, S3!")) {
		t.Errorf("getObject: Body %q, ContentLength %v; want the text put", got.Get.Body, got.Get.ContentLength)
	}
	if got.Put.ETag == "" || got.Get.ETag != got.Put.ETag {
		t.Errorf("ETag: putObject %q, getObject %q; want one, the same", got.Put.ETag, got.Get.ETag)
	}
	var keys []string
	for _, c := range got.List.Contents {
		keys = append(keys, c.Key)
	}
	if want := []string{"greetings/bye.txt", "greetings/hello.txt"}; !slices.Equal(keys, want) || got.List.KeyCount != 2 {
		t.Errorf("listObjectsV2: keys %q, KeyCount %v; want %q", keys, got.List.KeyCount, want)
	}
	if got.Missing.Error != "S3.NoSuchKeyException" {
		t.Errorf("missing key: Error %q, want S3.NoSuchKeyException", got.Missing.Error)
	}
	for _, want := range []string{"The specified key does not exist.", "Service: S3, Status Code: 404"} {
		if !strings.Contains(got.Missing.Cause, want) {
			t.Errorf("missing key: Cause %q lacks %q", got.Missing.Cause, want)
		}
	}

	if got.MissingBucket.Error != "S3.NoSuchBucketException" || !strings.Contains(got.MissingBucket.Cause, "The specified bucket does not exist") {
		t.Errorf("missing bucket: %+v, want S3.NoSuchBucketException", got.MissingBucket)
	}

	// The object is on the server, for any client to read.
	c := s3.New(s3.Options{Region: "us-east-1", BaseEndpoint: aws.String(endpoint), UsePathStyle: true,
		Credentials: credentials.NewStaticCredentialsProvider("AKIDTEST", "sekrit", "")})
	obj, err := c.GetObject(t.Context(), &s3.GetObjectInput{Bucket: aws.String("e2e-bucket"), Key: aws.String("greetings/bye.txt")})
	if err != nil {
		t.Fatalf("GetObject from the server: %v", err)
	}
	defer obj.Body.Close()
	if b, err := io.ReadAll(obj.Body); err != nil || string(b) != "Goodbye" {
		t.Errorf("the server has %q, %v; want Goodbye", b, err)
	}
}

// sfnWorkflow starts an execution of the state machine in its input and
// describes it until it is no longer running (TimeoutSeconds bounds the
// loop), then describes a missing execution, catching the error by the
// name AWS gives it.
const sfnWorkflow = `{
  "StartAt": "Start",
  "TimeoutSeconds": 60,
  "States": {
    "Start": {"Type": "Task", "Resource": "arn:aws:states:::aws-sdk:sfn:startExecution",
      "Parameters": {"StateMachineArn.$": "$.machine", "Name": "child-1", "Input": "{\"who\":\"child\"}"},
      "ResultPath": "$.started", "Next": "Describe"},
    "Describe": {"Type": "Task", "Resource": "arn:aws:states:::aws-sdk:sfn:describeExecution",
      "Parameters": {"ExecutionArn.$": "$.started.ExecutionArn"},
      "ResultPath": "$.described", "Next": "Finished?"},
    "Finished?": {"Type": "Choice",
      "Choices": [{"Variable": "$.described.Status", "StringEquals": "RUNNING", "Next": "Wait"}],
      "Default": "DescribeMissing"},
    "Wait": {"Type": "Wait", "Seconds": 1, "Next": "Describe"},
    "DescribeMissing": {"Type": "Task", "Resource": "arn:aws:states:::aws-sdk:sfn:describeExecution",
      "Parameters": {"ExecutionArn.$": "States.Format('{}-nope', $.started.ExecutionArn)"},
      "Catch": [{"ErrorEquals": ["Sfn.ExecutionDoesNotExistException"], "ResultPath": "$.missing", "Next": "Done"}],
      "ResultPath": "$.unexpected", "Next": "NotCaught"},
    "NotCaught": {"Type": "Fail", "Error": "Test.NotCaught", "Cause": "describeExecution of a missing execution succeeded"},
    "Done": {"Type": "Succeed"}
  }
}`

// TestRunSfnEndToEnd runs aws-sdk:sfn Tasks against Stepwise's own API, a
// stepwise server, as a workflow on AWS calls Step Functions itself; the
// API's ExecutionDoesNotExist is Sfn.ExecutionDoesNotExistException, with
// the Exception suffix AWS adds to SDK integration errors.
func TestRunSfnEndToEnd(t *testing.T) {
	url, _, _ := startServe(t, serverOptions{listen: "127.0.0.1:0", store: "memory", region: "us-east-1", account: "123456789012",
		logFormat: "text", logLevel: "warn"})
	c := sfn.New(sfn.Options{Region: "us-east-1", BaseEndpoint: aws.String(url), RetryMaxAttempts: 1,
		Credentials: credentials.NewStaticCredentialsProvider("AKIDTEST", "sekrit", "")})
	sm, err := c.CreateStateMachine(t.Context(), &sfn.CreateStateMachineInput{Name: aws.String("child"),
		RoleArn:    aws.String("arn:aws:iam::123456789012:role/r"),
		Definition: aws.String(`{"StartAt":"P","States":{"P":{"Type":"Pass","Parameters":{"hello.$":"$.who"},"End":true}}}`)})
	if err != nil {
		t.Fatal(err)
	}
	machine := aws.ToString(sm.StateMachineArn)

	def := writeFile(t, "sfn.asl.json", sfnWorkflow)
	input, _ := json.Marshal(map[string]string{"machine": machine})
	code, out, stderr := runCLI(t, "run", def, "--input", string(input), "--aws-endpoint", "sfn="+url)
	r := decodeRun(t, out)
	if code != exitOK || r.Status != "SUCCEEDED" {
		t.Fatalf("code %d, %+v, stderr %s", code, r, stderr)
	}
	var got struct {
		Started   struct{ ExecutionArn string }
		Described struct{ ExecutionArn, StateMachineArn, Name, Status, Input, Output string }
		Missing   struct{ Error, Cause string }
	}
	remarshal(t, r.Output, &got)
	wantArn := "arn:aws:states:us-east-1:123456789012:execution:child:child-1"
	if got.Started.ExecutionArn != wantArn {
		t.Errorf("startExecution: ExecutionArn %q, want %q", got.Started.ExecutionArn, wantArn)
	}
	d := got.Described
	if d.ExecutionArn != wantArn || d.StateMachineArn != machine || d.Name != "child-1" || d.Status != "SUCCEEDED" ||
		d.Input != `{"who":"child"}` || d.Output != `{"hello":"child"}` {
		t.Errorf("describeExecution: %+v", d)
	}

	if got.Missing.Error != "Sfn.ExecutionDoesNotExistException" || !strings.Contains(got.Missing.Cause, "Service: Sfn, Status Code: 400") {
		t.Errorf("missing execution: %+v, want Sfn.ExecutionDoesNotExistException", got.Missing)
	}

	// The execution is the server's, for any client to see.
	ex, err := c.DescribeExecution(t.Context(), &sfn.DescribeExecutionInput{ExecutionArn: aws.String(wantArn)})
	if err != nil || ex.Status != "SUCCEEDED" {
		t.Errorf("DescribeExecution on the server: %+v, %v", ex, err)
	}
}

// remarshal decodes a run's output into the struct v.
func remarshal(t *testing.T, from, v any) {
	t.Helper()
	b, err := json.Marshal(from)
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, v); err != nil {
		t.Fatalf("output %s: %v", b, err)
	}
}
