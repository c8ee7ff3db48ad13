package lambda_test

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"

	"stepwise/jsonval"
	"stepwise/tasks"
	"stepwise/tasks/lambda"
)

const (
	testKey    = "AKIDEXAMPLE"
	testSecret = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"
)

// verifySigV4 recomputes the signature of r with the test credentials and
// reports whether it matches the one r carries.
func verifySigV4(r *http.Request, body []byte) error {
	auth := r.Header.Get("Authorization")
	_, signed, ok := strings.Cut(auth, "SignedHeaders=")
	if !ok {
		return errString("no SignedHeaders in " + auth)
	}
	signed, _, _ = strings.Cut(signed, ",")
	when, err := time.Parse("20060102T150405Z", r.Header.Get("X-Amz-Date"))
	if err != nil {
		return err
	}
	re, err := http.NewRequest(r.Method, "http://"+r.Host+r.URL.RequestURI(), bytes.NewReader(body))
	if err != nil {
		return err
	}
	for _, h := range strings.Split(signed, ";") {
		if h != "host" && h != "content-length" {
			re.Header[http.CanonicalHeaderKey(h)] = r.Header.Values(h)
		}
	}
	re.Header.Del("X-Amz-Date")
	sum := sha256.Sum256(body)
	creds := aws.Credentials{AccessKeyID: testKey, SecretAccessKey: testSecret}
	if err := v4.NewSigner().SignHTTP(r.Context(), creds, re, hex.EncodeToString(sum[:]), "lambda", "eu-west-1", when); err != nil {
		return err
	}
	if got, want := auth, re.Header.Get("Authorization"); got != want {
		return errString("signature mismatch:\n got " + got + "\nwant " + want)
	}
	return nil
}

type errString string

func (e errString) Error() string { return string(e) }

// fakeLambda is a real HTTP server speaking the Invoke API: it checks the
// path and the signature, then answers as the function named in the path.
func fakeLambda(t *testing.T) *httptest.Server {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		if err := verifySigV4(r, body); err != nil {
			w.Header().Set("X-Amzn-ErrorType", "InvalidSignatureException")
			w.WriteHeader(http.StatusForbidden)
			io.WriteString(w, `{"message":"`+strings.ReplaceAll(err.Error(), "\n", " ")+`"}`)
			return
		}
		name, ok := strings.CutPrefix(r.URL.Path, "/2015-03-31/functions/")
		name, ok2 := strings.CutSuffix(name, "/invocations")
		if r.Method != http.MethodPost || !ok || !ok2 {
			http.Error(w, "bad path "+r.URL.Path, http.StatusBadRequest)
			return
		}
		w.Header().Set("X-Amzn-RequestId", "req-1")
		w.Header().Set("Content-Type", "application/json")
		if r.Header.Get("X-Amz-Invocation-Type") == "Event" {
			w.WriteHeader(http.StatusAccepted)
			return
		}
		switch name {
		case "echo":
			w.Header().Set("X-Amz-Executed-Version", "7")
			w.Write(body)
		case "qualified":
			io.WriteString(w, `"`+r.URL.Query().Get("Qualifier")+`"`)
		case "raise":
			w.Header().Set("X-Amz-Function-Error", "Unhandled")
			io.WriteString(w, `{"errorMessage":"Some exception was raised.","errorType":"Exception","requestId":"r","stackTrace":[]}`)
		case "oom":
			w.Header().Set("X-Amz-Function-Error", "Unhandled")
			io.WriteString(w, `{"errorMessage":"Runtime exited without providing a reason"}`)
		case "throttled":
			w.Header().Set("X-Amzn-ErrorType", "TooManyRequestsException:http://internal.amazon.com/coral/com.amazonaws.awslambda/")
			w.WriteHeader(http.StatusTooManyRequests)
			io.WriteString(w, `{"Type":"User","message":"Rate Exceeded."}`)
		case "broken":
			w.WriteHeader(http.StatusInternalServerError)
			io.WriteString(w, `{"Message":"internal"}`)
		default:
			w.Header().Set("X-Amzn-ErrorType", "ResourceNotFoundException")
			w.WriteHeader(http.StatusNotFound)
			io.WriteString(w, `{"Type":"User","Message":"Function not found: `+name+`"}`)
		}
	}))
	t.Cleanup(srv.Close)
	return srv
}

func apiInvoker(endpoint string) *lambda.Invoker {
	fn := lambda.Function{Endpoint: endpoint, Region: "eu-west-1", AccessKeyID: testKey, SecretAccessKey: testSecret}
	return lambda.New(lambda.Config{Default: &fn}, nil)
}

func obj(t *testing.T, text string) any {
	t.Helper()
	v, err := jsonval.ParseString(text)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

func TestInvokeAPI(t *testing.T) {
	srv := fakeLambda(t)
	iv := apiInvoker(srv.URL)
	fnARN := func(name string) string { return "arn:aws:lambda:eu-west-1:123456789012:function:" + name }
	tests := []struct {
		name     string
		resource string
		input    string
		want     string // compact JSON of the result
		errName  string
		cause    string // substring of the cause
	}{
		{"arn payload", fnARN("echo"), `{"a":[1,2]}`, `{"a":[1,2]}`, "", ""},
		{"arn qualifier", fnARN("qualified") + ":prod", `{}`, `"prod"`, "", ""},
		{"arn function error", fnARN("raise"), `{}`, "", "Exception", `"errorMessage":"Some exception was raised."`},
		{"no errorType", fnARN("oom"), `{}`, "", "Lambda.Unknown", "Runtime exited without providing a reason"},
		{"throttled", fnARN("throttled"), `{}`, "", "Lambda.TooManyRequestsException",
			"Rate Exceeded. (Service: AWSLambda; Status Code: 429; Error Code: TooManyRequestsException; Request ID: req-1; Proxy: null)"},
		{"5xx", fnARN("broken"), `{}`, "", "Lambda.ServiceException", "Status Code: 500"},
		{"not found", tasks.ResourceLambdaInvoke, `{"FunctionName":"nope","Payload":{}}`, "", "Lambda.ResourceNotFoundException", "Function not found: nope"},
		{"invoke function error", tasks.ResourceLambdaInvoke, `{"FunctionName":"raise","Payload":null}`, "", "Exception", `"errorType":"Exception"`},
		{"invoke qualifier in name", tasks.ResourceLambdaInvoke, `{"FunctionName":"` + fnARN("qualified") + `:blue"}`, "", "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := iv.Invoke(t.Context(), tasks.Request{Resource: tt.resource, Input: obj(t, tt.input)})
			if tt.errName != "" {
				te := tasks.AsError(err)
				if te.Name != tt.errName || !strings.Contains(te.Cause, tt.cause) {
					t.Fatalf("error %v; want %s containing %q", err, tt.errName, tt.cause)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if tt.want != "" {
				if s := jsonval.MustMarshalString(got); s != tt.want {
					t.Errorf("got %s, want %s", s, tt.want)
				}
			}
		})
	}
}

// TestInvokeResultShape pins the lambda:invoke result object (conformance
// case test_lambda_task_service__TestTaskServiceLambda__test_invoke).
func TestInvokeResultShape(t *testing.T) {
	srv := fakeLambda(t)
	iv := apiInvoker(srv.URL)
	got, err := iv.Invoke(t.Context(), tasks.Request{Resource: tasks.ResourceLambdaInvoke,
		Input: obj(t, `{"FunctionName":"arn:aws:lambda:eu-west-1:123456789012:function:echo","Payload":{"x":"HelloWorld"}}`)})
	if err != nil {
		t.Fatal(err)
	}
	o := got.(*jsonval.Object)
	if keys := strings.Join(o.Keys(), ","); keys != "ExecutedVersion,Payload,SdkHttpMetadata,SdkResponseMetadata,StatusCode" {
		t.Errorf("keys %s", keys)
	}
	for path, want := range map[string]string{
		"ExecutedVersion":     `"7"`,
		"Payload":             `{"x":"HelloWorld"}`,
		"StatusCode":          `200`,
		"SdkResponseMetadata": `{"RequestId":"req-1"}`,
	} {
		v, _ := o.Get(path)
		if s := jsonval.MustMarshalString(v); s != want {
			t.Errorf("%s = %s, want %s", path, s, want)
		}
	}
	meta, _ := o.Get("SdkHttpMetadata")
	m := meta.(*jsonval.Object)
	all, _ := m.Get("AllHttpHeaders")
	flat, _ := m.Get("HttpHeaders")
	status, _ := m.Get("HttpStatusCode")
	if v, _ := all.(*jsonval.Object).Get("x-amzn-RequestId"); jsonval.MustMarshalString(v) != `["req-1"]` {
		t.Errorf("AllHttpHeaders x-amzn-RequestId = %v", v)
	}
	if v, _ := flat.(*jsonval.Object).Get("Content-Type"); v != "application/json" {
		t.Errorf("HttpHeaders Content-Type = %v", v)
	}
	if jsonval.MustMarshalString(status) != "200" {
		t.Errorf("HttpStatusCode = %v", status)
	}
}

func TestInvokeBadSignature(t *testing.T) {
	srv := fakeLambda(t)
	fn := lambda.Function{Endpoint: srv.URL, Region: "eu-west-1", AccessKeyID: testKey, SecretAccessKey: "wrong"}
	iv := lambda.New(lambda.Config{Default: &fn}, nil)
	_, err := iv.Invoke(t.Context(), tasks.Request{Resource: "arn:aws:lambda:eu-west-1:123456789012:function:echo", Input: nil})
	if te := tasks.AsError(err); te.Name != "Lambda.InvalidSignatureException" {
		t.Errorf("got %v", err)
	}
}

func TestInvokeUnreachable(t *testing.T) {
	srv := httptest.NewServer(http.NotFoundHandler())
	url := srv.URL
	srv.Close()
	_, err := apiInvoker(url).Invoke(t.Context(), tasks.Request{Resource: "arn:aws:lambda:eu-west-1:123456789012:function:echo"})
	if te := tasks.AsError(err); te.Name != "Lambda.SdkClientException" || !strings.HasPrefix(te.Cause, "Unable to execute HTTP request") {
		t.Errorf("got %v", err)
	}
}

func TestUnconfiguredFunction(t *testing.T) {
	iv := lambda.New(lambda.Config{}, nil)
	_, err := iv.Invoke(t.Context(), tasks.Request{Resource: tasks.ResourceLambdaInvoke, Input: obj(t, `{"FunctionName":"missing"}`)})
	te := tasks.AsError(err)
	want := "Function not found: arn:aws:lambda:us-east-1:123456789012:function:missing:$LATEST (Service: AWSLambda; Status Code: 404; Error Code: ResourceNotFoundException; Request ID: "
	if te.Name != "Lambda.ResourceNotFoundException" || !strings.HasPrefix(te.Cause, want) {
		t.Errorf("got %v", err)
	}
}

// TestInvokeAsync: InvocationType Event answers 202 with an empty Payload.
func TestInvokeAsync(t *testing.T) {
	srv := fakeLambda(t)
	got, err := apiInvoker(srv.URL).Invoke(t.Context(), tasks.Request{Resource: tasks.ResourceLambdaInvoke,
		Input: obj(t, `{"FunctionName":"echo","InvocationType":"Event","Payload":{}}`)})
	if err != nil {
		t.Fatal(err)
	}
	o := got.(*jsonval.Object)
	p, _ := o.Get("Payload")
	sc, _ := o.Get("StatusCode")
	if p != "" || jsonval.MustMarshalString(sc) != "202" {
		t.Errorf("Payload %v, StatusCode %v", p, sc)
	}
}
