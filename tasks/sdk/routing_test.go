package sdk

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"stepwise/jsonval"
	"stepwise/resource"
	"stepwise/tasks"
	"stepwise/tasks/awsservice"
)

// TestHandlesLeavesAWSServiceActions sends to tasks/sdk exactly the
// aws-sdk actions tasks/awsservice does not carry out: sns:listTopics
// here, sns:publish (and every dynamodb and sqs action) there.
func TestHandlesLeavesAWSServiceActions(t *testing.T) {
	for arn, want := range map[string]bool{
		"arn:aws:states:::aws-sdk:sns:listTopics":          true,
		"arn:aws:states:::aws-sdk:sns:publish":             false,
		"arn:aws:states:::aws-sdk:eventbridge:listRules":   true,
		"arn:aws:states:::aws-sdk:eventbridge:putEvents":   false,
		"arn:aws:states:::aws-sdk:sesv2:getAccount":        true,
		"arn:aws:states:::aws-sdk:sesv2:sendEmail":         false,
		"arn:aws:states:::aws-sdk:dynamodb:putItem":        false,
		"arn:aws:states:::aws-sdk:sqs:sendMessage":         false,
		"arn:aws:states:::aws-sdk:sqs:listQueues":          false,
		"arn:aws:states:::aws-sdk:athena:getQueryResults":  true,
		"arn:aws:states:::aws-sdk:ec2:describeInstances":   true,
		"arn:aws:states:::aws-sdk:braket:searchDevices":    false,
		"arn:aws:states:::aws-sdk:ecs:runTask.sync":        false,
		"arn:aws:states:::ecs:runTask":                     false,
		"arn:aws:states:::aws-sdk:cloudwatchlogs:getQuery": true, // validation refuses it; Invoke says it is unknown
	} {
		r := resource.Parse(arn)
		if got := Handles(r); got != want {
			t.Errorf("Handles(%s) = %v, want %v", arn, got, want)
		}
		if Handles(r) && awsservice.Handles(r) {
			t.Errorf("%s is handled by both tasks/sdk and tasks/awsservice", arn)
		}
	}
}

// TestNewServicesErrors names the errors of services new in issue 16 as
// AWS names them: the Java SDK 2.x client name (Ecs, CloudWatchLogs,
// Athena, Glue) and the error code with Exception, the base exception
// for a code the model does not list, and "(Service: Ecs, ...)" in the
// cause.
func TestNewServicesErrors(t *testing.T) {
	for _, tc := range []struct {
		service, action, params, errorType, body string
		want                                     tasks.Error
	}{
		{"ecs", "runTask", `{"Cluster":"nope","TaskDefinition":"t"}`, "ClusterNotFoundException", `{"message":"Cluster not found."}`,
			tasks.Error{Name: "Ecs.ClusterNotFoundException", Cause: "Cluster not found. (Service: Ecs, Status Code: 400, Request ID: REQ7) (SDK Attempt Count: 1)"}},
		{"cloudwatchlogs", "putLogEvents", `{"LogGroupName":"g","LogStreamName":"s","LogEvents":[{"Timestamp":1,"Message":"m"}]}`, "ResourceNotFoundException", `{"message":"The specified log group does not exist."}`,
			tasks.Error{Name: "CloudWatchLogs.ResourceNotFoundException", Cause: "The specified log group does not exist. (Service: CloudWatchLogs, Status Code: 400, Request ID: REQ7) (SDK Attempt Count: 1)"}},
		{"athena", "getQueryExecution", `{"QueryExecutionId":"q"}`, "InvalidRequestException", `{"Message":"QueryExecution q was not found"}`,
			tasks.Error{Name: "Athena.InvalidRequestException", Cause: "QueryExecution q was not found (Service: Athena, Status Code: 400, Request ID: REQ7) (SDK Attempt Count: 1)"}},
		{"glue", "getJobRun", `{"JobName":"j","RunId":"r"}`, "EntityNotFoundException", `{"Message":"Job run r not found"}`,
			tasks.Error{Name: "Glue.EntityNotFoundException", Cause: "Job run r not found (Service: Glue, Status Code: 400, Request ID: REQ7) (SDK Attempt Count: 1)"}},
		{"glue", "getJobRun", `{"JobName":"j","RunId":"r"}`, "SomethingNewException", `{"Message":"new"}`,
			tasks.Error{Name: "Glue.GlueException", Cause: "new (Service: Glue, Status Code: 400, Request ID: REQ7) (SDK Attempt Count: 1)"}},
	} {
		te, calls := serviceFailure(t, tc.service, "arn:aws:states:::aws-sdk:"+tc.service+":"+tc.action, tc.params, http.StatusBadRequest, tc.errorType, tc.body)
		if *te != tc.want {
			t.Errorf("%s:%s\n got %+v\nwant %+v", tc.service, tc.action, *te, tc.want)
		}
		if len(calls) != 1 || !strings.HasSuffix(calls[0].target, "."+strings.ToUpper(tc.action[:1])+tc.action[1:]) {
			t.Errorf("%s: requests %+v", tc.service, calls)
		}
	}
}

// TestBedrockRuntimeInvokeModel calls InvokeModel through the Bedrock
// Runtime client at a fake endpoint: the Task's JSON Body goes as the
// request body, and the model's JSON answer comes back as its text.
func TestBedrockRuntimeInvokeModel(t *testing.T) {
	var path, body string
	srv := newRecorder(t, &path, &body, `{"completion":"Hi"}`)
	iv := New(Config{Endpoints: map[string]string{"bedrockruntime": srv}})
	out, err := invoke(t, iv, "arn:aws:states:::aws-sdk:bedrockruntime:invokeModel", `{"ModelId":"m1","ContentType":"application/json","Body":{"prompt":"Hello"}}`)
	if err != nil {
		t.Fatal(err)
	}
	if path != "POST /model/m1/invoke" || body != `{"prompt":"Hello"}` {
		t.Errorf("request %s %s", path, body)
	}
	if b, _ := out.(*jsonval.Object).Get("Body"); b != `{"completion":"Hi"}` {
		t.Errorf("Body %v, want the model's JSON text", b)
	}
}

// TestNotBuiltService fails an action of a service this binary was
// built without with States.TaskFailed and the cause its registry entry
// gives, and an action that service does not have as unknown.
func TestNotBuiltService(t *testing.T) {
	for name, svc := range services {
		if svc.missing == "" {
			continue
		}
		actions, _ := resource.SDKActions(name)
		iv := New(Config{AWS: true})
		_, err := iv.Invoke(context.Background(), tasks.Request{Resource: "arn:aws:states:::aws-sdk:" + name + ":" + actions[0], Input: jsonval.NewObject(0)})
		var te *tasks.Error
		if !errors.As(err, &te) || te.Name != tasks.ErrorTaskFailed || te.Cause != svc.missing {
			t.Errorf("%s:%s: got %v, want States.TaskFailed: %s", name, actions[0], err, svc.missing)
		}
		_, err = iv.Invoke(context.Background(), tasks.Request{Resource: "arn:aws:states:::aws-sdk:" + name + ":NoSuchAction", Input: jsonval.NewObject(0)})
		if !errors.As(err, &te) || te.Name != tasks.ErrorRuntime {
			t.Errorf("%s:NoSuchAction: got %v, want States.Runtime", name, err)
		}
	}
}

// newRecorder starts a server that records each request's method, path
// and body and answers 200 with reply as JSON; it returns its URL.
func newRecorder(t *testing.T, path, body *string, reply string) string {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		data, _ := io.ReadAll(io.LimitReader(r.Body, 1<<20))
		*path, *body = r.Method+" "+r.URL.Path, string(data)
		w.Header().Set("Content-Type", "application/json")
		io.WriteString(w, reply)
	}))
	t.Cleanup(srv.Close)
	return srv.URL
}

// TestLambdaInvokePayload calls aws-sdk:lambda:invoke through the Lambda
// client at a fake endpoint: a JSON Payload goes as the request body, a
// string Payload as its text, and the function's result comes back as
// escaped JSON text.
func TestLambdaInvokePayload(t *testing.T) {
	var path, body string
	srv := newRecorder(t, &path, &body, `{"charged":true}`)
	iv := New(Config{Endpoints: map[string]string{"lambda": srv}})
	for params, sent := range map[string]string{
		`{"FunctionName":"charge","Payload":{"order":42}}`:      `{"order":42}`,
		`{"FunctionName":"charge","Payload":"{\"order\":42}"}`:  `{"order":42}`,
		`{"FunctionName":"charge","Payload":[1,"two",{"x":3}]}`: `[1,"two",{"x":3}]`,
	} {
		out, err := invoke(t, iv, "arn:aws:states:::aws-sdk:lambda:invoke", params)
		if err != nil {
			t.Fatal(err)
		}
		if path != "POST /2015-03-31/functions/charge/invocations" || body != sent {
			t.Errorf("%s: request %s %s, want the body %s", params, path, body, sent)
		}
		if p, _ := out.(*jsonval.Object).Get("Payload"); p != `{"charged":true}` {
			t.Errorf("%s: Payload %v, want the function's JSON text", params, p)
		}
	}
}
