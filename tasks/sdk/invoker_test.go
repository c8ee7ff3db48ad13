package sdk

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"reflect"
	"strings"
	"sync"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"

	"stepwise/jsonval"
	"stepwise/tasks"
)

// fakeS3 is a tiny S3 endpoint, path-style, holding objects in memory; a
// missing key answers S3's NoSuchKey XML error.
type fakeS3 struct {
	mu      sync.Mutex // guards objects
	objects map[string]string
}

func (f *fakeS3) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	f.mu.Lock()
	defer f.mu.Unlock()
	w.Header().Set("X-Amz-Request-Id", "REQ123")
	w.Header().Set("X-Amz-Id-2", "HOST456")
	switch r.Method {
	case http.MethodPut:
		data, _ := io.ReadAll(r.Body)
		f.objects[r.URL.Path] = string(data)
		w.Header().Set("ETag", `"etag"`)
	case http.MethodHead:
		if _, ok := f.objects[r.URL.Path]; !ok {
			w.WriteHeader(http.StatusNotFound)
		}
	case http.MethodGet:
		body, ok := f.objects[r.URL.Path]
		if !ok {
			w.Header().Set("Content-Type", "application/xml")
			w.WriteHeader(http.StatusNotFound)
			io.WriteString(w, `<?xml version="1.0" encoding="UTF-8"?>
<Error><Code>NoSuchKey</Code><Message>The specified key does not exist.</Message><Key>missing</Key><RequestId>REQ123</RequestId><HostId>HOST456</HostId></Error>`)
			return
		}
		w.Header().Set("Content-Type", "binary/octet-stream")
		w.Header().Set("Last-Modified", "Thu, 06 Nov 2025 12:21:21 GMT")
		io.WriteString(w, body)
	default:
		w.WriteHeader(http.StatusMethodNotAllowed)
	}
}

func newInvoker(t *testing.T) *Invoker {
	t.Helper()
	srv := httptest.NewServer(&fakeS3{objects: map[string]string{}})
	t.Cleanup(srv.Close)
	return New(Config{Endpoints: map[string]string{"s3": srv.URL}, AccessKeyID: "k", SecretAccessKey: "s"})
}

func invoke(t *testing.T, iv *Invoker, resource, params string) (any, error) {
	t.Helper()
	return iv.Invoke(context.Background(), tasks.Request{StateName: "S", Resource: resource, Input: parse(t, params)})
}

// TestInvokePutThenGet puts an object and reads it back through the SDK
// client at a path-style endpoint: a JSON Body goes as its text and comes
// back as text (conformance test_s3_put_object[dict], test_s3_get_object).
func TestInvokePutThenGet(t *testing.T) {
	iv := newInvoker(t)
	out, err := invoke(t, iv, "arn:aws:states:::aws-sdk:s3:putObject", `{"Bucket":"b","Key":"k","Body":{"Dict":"Value"}}`)
	if err != nil {
		t.Fatal(err)
	}
	if got := jsonval.MustMarshalString(out); !strings.Contains(got, `"ETag":"\"etag\""`) {
		t.Errorf("putObject result %s, want the ETag", got)
	}
	out, err = invoke(t, iv, "arn:aws:states:::aws-sdk:s3:getObject", `{"Bucket":"b","Key":"k"}`)
	if err != nil {
		t.Fatal(err)
	}
	o := out.(*jsonval.Object)
	if got, want := jsonval.MustMarshalString(out), `{"ContentLength":16,"ContentType":"binary/octet-stream","LastModified":"2025-11-06T12:21:21Z","Metadata":{},"Body":"{\"Dict\":\"Value\"}"}`; got != want {
		t.Errorf("getObject result\n got %s\nwant %s", got, want)
	}
	if body, _ := o.Get("Body"); body != `{"Dict":"Value"}` {
		t.Errorf("Body %v, want the JSON text put", body)
	}
	if lm, _ := o.Get("LastModified"); lm != "2025-11-06T12:21:21Z" {
		t.Errorf("LastModified %v", lm)
	}
	if o.Has("ResultMetadata") {
		t.Error("ResultMetadata in the result")
	}
}

// TestInvokeNoSuchKey names a missing key as AWS does, so a Catch on
// S3.NoSuchKeyException works unchanged (conformance
// test_aws_sdk::test_s3_no_such_key).
func TestInvokeNoSuchKey(t *testing.T) {
	_, err := invoke(t, newInvoker(t), "arn:aws:states:::aws-sdk:s3:getObject", `{"Bucket":"b","Key":"missing"}`)
	var te *tasks.Error
	if !errors.As(err, &te) {
		t.Fatalf("got %v, want a *tasks.Error", err)
	}
	want := tasks.Error{Name: "S3.NoSuchKeyException",
		Cause: "The specified key does not exist. (Service: S3, Status Code: 404, Request ID: REQ123, Extended Request ID: HOST456) (SDK Attempt Count: 1)"}
	if *te != want {
		t.Errorf("got  %+v\nwant %+v", *te, want)
	}
}

// TestInvokeHeadObjectMissing names a missing key of HeadObject, whose
// 404 has no body, S3.NoSuchKeyException as the SDK for Java does, with
// the absent message printed as null.
func TestInvokeHeadObjectMissing(t *testing.T) {
	_, err := invoke(t, newInvoker(t), "arn:aws:states:::aws-sdk:s3:headObject", `{"Bucket":"b","Key":"missing"}`)
	var te *tasks.Error
	if !errors.As(err, &te) || te.Name != "S3.NoSuchKeyException" || !strings.HasPrefix(te.Cause, "null (Service: S3, Status Code: 404, Request ID: REQ123") {
		t.Errorf("got %v, want S3.NoSuchKeyException with a null message", err)
	}
}

// TestInvokeRefuses fails, with States.Runtime and a cause naming what is
// wrong, an unknown action, an action not in camelCase and an unknown
// parameter.
func TestInvokeRefuses(t *testing.T) {
	iv := newInvoker(t)
	for _, c := range []struct{ resource, params, cause string }{
		{"arn:aws:states:::aws-sdk:s3:getObjekt", `{}`, "getObjekt is not an action of the s3 service"},
		{"arn:aws:states:::aws-sdk:s3:GetObject", `{}`, "GetObject is not an action of the s3 service"},
		{"arn:aws:states:::aws-sdk:s3:options", `{}`, "options is not an action of the s3 service"},
		{"arn:aws:states:::aws-sdk:s3:getObject", `{"Bucket":"b","Key":"k","Colour":"red"}`, "could not be used to start the Task: [The field 'Colour' is not supported by Step Functions]"},
		{"arn:aws:states:::aws-sdk:s3:getObject", `{"Bucket":"b","Key":7}`, "[The value of the field 'Key' has an invalid format (expected a string, got number)]"},
		{"arn:aws:states:::aws-sdk:nosuch:thing", `{}`, "is not recognized"},
	} {
		_, err := invoke(t, iv, c.resource, c.params)
		var te *tasks.Error
		if !errors.As(err, &te) || te.Name != tasks.ErrorRuntime || !strings.Contains(te.Cause, c.cause) {
			t.Errorf("%s %s: got %v, want States.Runtime with %q", c.resource, c.params, err, c.cause)
		}
	}
}

// TestInvokeNoEndpoint fails a service given no endpoint with
// States.TaskFailed and a cause saying how to give it one.
func TestInvokeNoEndpoint(t *testing.T) {
	_, err := invoke(t, newInvoker(t), "arn:aws:states:::aws-sdk:sfn:startExecution", `{}`)
	var te *tasks.Error
	if !errors.As(err, &te) || te.Name != tasks.ErrorTaskFailed || !strings.Contains(te.Cause, "start Stepwise with --aws-endpoint sfn=URL") {
		t.Errorf("got %v, want States.TaskFailed saying how to configure sfn", err)
	}
}

// TestKnownAction tells the actions of the registry's clients from
// anything else.
func TestKnownAction(t *testing.T) {
	for _, c := range []struct {
		service, action string
		want            bool
	}{
		{"s3", "listObjectsV2", true}, {"s3", "putObject", true}, {"sfn", "describeExecution", true},
		{"sfn", "sendTaskSuccess", true}, {"s3", "ListObjectsV2", false}, {"s3", "", false}, {"s3", "options", false},
		{"sqs", "sendMessage", false},
	} {
		if got := KnownAction(c.service, c.action); got != c.want {
			t.Errorf("KnownAction(%q, %q) = %v", c.service, c.action, got)
		}
	}
}

// TestInvokeSfnError names a Step Functions refusal as AWS does
// (conformance test_sfn_send_task_outcome_with_no_such_token:
// Sfn.InvalidTokenException, "Invalid Token: 'Invalid token' (Service:
// Sfn, Status Code: 400, Request ID: ...) (SDK Attempt Count: 1)"), the
// request being the AWS JSON 1.0 call Stepwise's own API serves.
func TestInvokeSfnError(t *testing.T) {
	var target string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		target = r.Header.Get("X-Amz-Target")
		w.Header().Set("X-Amzn-Requestid", "REQ9")
		w.Header().Set("Content-Type", "application/x-amz-json-1.0")
		w.WriteHeader(http.StatusBadRequest)
		io.WriteString(w, `{"__type":"com.amazonaws.swf.service.v2.model#InvalidToken","message":"Invalid Token: 'Invalid token'"}`)
	}))
	defer srv.Close()
	iv := New(Config{Endpoints: map[string]string{"sfn": srv.URL}})
	_, err := invoke(t, iv, "arn:aws:states:::aws-sdk:sfn:sendTaskSuccess", `{"Output":"ParameterOutput","TaskToken":"tok"}`)
	var te *tasks.Error
	if !errors.As(err, &te) {
		t.Fatalf("got %v, want a *tasks.Error", err)
	}
	want := tasks.Error{Name: "Sfn.InvalidTokenException",
		Cause: "Invalid Token: 'Invalid token' (Service: Sfn, Status Code: 400, Request ID: REQ9) (SDK Attempt Count: 1)"}
	if *te != want || target != "AWSStepFunctions.SendTaskSuccess" {
		t.Errorf("got  %+v (target %q)\nwant %+v", *te, target, want)
	}
}

// TestCallRecovers turns a panic in a client method into an error.
func TestCallRecovers(t *testing.T) {
	type in struct{}
	boom := op(func(*struct{}, context.Context, *in, ...func(*struct{})) (*struct{}, error) { panic("boom") })
	_, _, err := call(context.Background(), boom, &struct{}{}, &in{})
	if err == nil || !strings.Contains(err.Error(), "boom") {
		t.Errorf("got %v, want the panic as an error", err)
	}
}

// TestOpsCoverClients checks the generated table against the clients'
// method sets: every method with an operation's shape is in it under its
// camelCase name, with its input type (go generate ./tasks/sdk after an
// SDK upgrade), except operations over an event stream (their output has
// a GetStream method), which AWS SDK integrations do not offer.
func TestOpsCoverClients(t *testing.T) {
	for name, svc := range services {
		if svc.newClient == nil {
			continue
		}
		ct := reflect.TypeOf(svc.newClient(aws.Config{BaseEndpoint: aws.String("http://localhost")}))
		n := 0
		for i := range ct.NumMethod() {
			m := ct.Method(i)
			ft := m.Type
			if ft.NumIn() != 4 || !ft.IsVariadic() || ft.In(1) != reflect.TypeFor[context.Context]() || ft.NumOut() != 2 {
				continue
			}
			if _, stream := ft.Out(0).MethodByName("GetStream"); stream {
				continue
			}
			n++
			action := strings.ToLower(m.Name[:1]) + m.Name[1:]
			op, ok := svc.ops[action]
			if !ok || reflect.PointerTo(op.input) != ft.In(2) {
				t.Errorf("%s: %s missing from the table or with the wrong input", name, action)
			}
		}
		if n != len(svc.ops) || n == 0 {
			t.Errorf("%s: %d operations on the client, %d in the table", name, n, len(svc.ops))
		}
	}
}
