package apigw_test

import (
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/credentials"
	"go.uber.org/goleak"

	"stepwise/jsonval"
	"stepwise/resource"
	"stepwise/tasks"
	"stepwise/tasks/apigw"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

func obj(t *testing.T, s string) *jsonval.Object {
	t.Helper()
	v, err := jsonval.ParseString(s)
	if err != nil {
		t.Fatal(err)
	}
	return v.(*jsonval.Object)
}

// seen is what a test server received.
type seen struct {
	mu     sync.Mutex
	method string
	uri    string
	header http.Header
	body   string
	n      int
}

func (s *seen) record(r *http.Request) {
	b, _ := io.ReadAll(r.Body)
	s.mu.Lock()
	defer s.mu.Unlock()
	s.method, s.uri, s.header, s.body = r.Method, r.RequestURI, r.Header.Clone(), string(b)
	s.n++
}

// server is an API that records each request and answers with status,
// contentType and body.
func server(t *testing.T, status int, contentType, body string) (*httptest.Server, *seen) {
	t.Helper()
	s := &seen{}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.record(r)
		if contentType != "" {
			w.Header().Set("Content-Type", contentType)
		}
		w.Header()["x-amzn-RequestId"] = []string{"req-1"}
		w.Header().Add("X-Multi", "a")
		w.Header().Add("X-Multi", "b")
		w.WriteHeader(status)
		io.WriteString(w, body)
	}))
	t.Cleanup(srv.Close)
	return srv, s
}

func invoke(t *testing.T, iv *apigw.Invoker, params string) (any, error) {
	t.Helper()
	return iv.Invoke(t.Context(), tasks.Request{Resource: "arn:aws:states:::apigateway:invoke", Input: obj(t, params)})
}

func taskError(t *testing.T, err error) *tasks.Error {
	t.Helper()
	var te *tasks.Error
	if !errors.As(err, &te) {
		t.Fatalf("error %v, want a *tasks.Error", err)
	}
	return te
}

func TestInvoke(t *testing.T) {
	srv, got := server(t, 200, "application/json", `{"myBills": []}`)
	iv := apigw.New(apigw.Config{Endpoints: map[string]string{"abc123": srv.URL + "/base/"}})
	out, err := invoke(t, iv, `{"ApiEndpoint": "abc123.execute-api.us-east-1.amazonaws.com", "Method": "POST",
	  "Headers": {"X-Custom": ["v1", "v2"]}, "Stage": "prod", "Path": "bills/add me",
	  "QueryParameters": {"billId": ["123", "456"], "q": ["a&b"]},
	  "RequestBody": {"billId": "my-new-bill", "note": null, "items": [{"x": null}, null]}, "AuthType": "NO_AUTH"}`)
	if err != nil {
		t.Fatal(err)
	}
	if got.method != "POST" || got.uri != "/base/prod/bills/add%20me?billId=123&billId=456&q=a%26b" {
		t.Errorf("request %s %s", got.method, got.uri)
	}
	if v := got.header.Values("X-Custom"); !slices.Equal(v, []string{"v1", "v2"}) || got.header.Get("Authorization") != "" {
		t.Errorf("headers %v", got.header)
	}
	// AllowNullValues is false: null members are left out.
	if got.body != `{"billId":"my-new-bill","items":[{},null]}` || got.header.Get("Content-Type") != "application/json" {
		t.Errorf("body %s (%s)", got.body, got.header.Get("Content-Type"))
	}
	res := jsonval.MustMarshalString(out)
	var m map[string]any
	json.Unmarshal([]byte(res), &m)
	h := m["Headers"].(map[string]any)
	if !slices.Equal(keys(m), []string{"Headers", "ResponseBody", "StatusCode", "StatusText"}) ||
		m["StatusCode"] != 200.0 || m["StatusText"] != "OK" || jsonval.MustMarshalString(jsonval.FromGo(m["ResponseBody"])) != `{"myBills":[]}` {
		t.Errorf("result %s", res)
	}
	if jsonval.MustMarshalString(jsonval.FromGo(h["X-Multi"])) != `["a","b"]` || h["x-amzn-RequestId"] == nil || h["Content-Type"] == nil {
		t.Errorf("headers %s", res)
	}
}

func keys(m map[string]any) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}

// TestRecordedError: a status outside 2xx is ApiGateway.<status> with
// the body as the cause (conformance case
// test_apigetway_task_service__TestTaskApiGateway__test_invoke_error).
func TestRecordedError(t *testing.T) {
	data, err := os.ReadFile("../../../shared/conformance/asl-tasks/cases/test_apigetway_task_service__TestTaskApiGateway__test_invoke_error--3c3e63f4.json")
	if err != nil {
		t.Fatal(err)
	}
	var c struct {
		Input    map[string]any
		Expected struct{ Error, Cause string }
	}
	if err := json.Unmarshal(data, &c); err != nil {
		t.Fatal(err)
	}
	srv, got := server(t, 403, "application/json", c.Expected.Cause)
	// The recording's endpoint placeholder, mapped like any ApiEndpoint.
	iv := apigw.New(apigw.Config{Endpoints: map[string]string{"<api-endpoint>": srv.URL}})
	_, err = iv.Invoke(t.Context(), tasks.Request{Resource: "arn:aws:states:::apigateway:invoke", Input: jsonval.FromGo(c.Input)})
	te := taskError(t, err)
	if te.Name != c.Expected.Error || te.Cause != c.Expected.Cause {
		t.Errorf("got %s %s, want %s %s", te.Name, te.Cause, c.Expected.Error, c.Expected.Cause)
	}
	// A string body goes as it is.
	if got.body != "HelloWorld" || got.uri != "/sfn-apigw-api/id_funcinvalid" {
		t.Errorf("request %s %q", got.uri, got.body)
	}
}

func TestBodies(t *testing.T) {
	tests := []struct{ name, params, wantBody, wantType string }{
		{"string", `"RequestBody": "plain text"`, "plain text", ""},
		{"nulls kept", `"RequestBody": {"a": null, "b": [null]}, "AllowNullValues": true`, `{"a":null,"b":[null]}`, "application/json"},
		{"nulls dropped", `"RequestBody": {"a": null, "b": {"c": null, "d": 1}}, "AllowNullValues": false`, `{"b":{"d":1}}`, "application/json"},
		{"own content type", `"RequestBody": {"a": 1}, "Headers": {"Content-Type": ["application/vnd.x+json"]}`, `{"a":1}`, "application/vnd.x+json"},
		{"no body", `"Method": "GET"`, "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv, got := server(t, 200, "text/plain", "ok")
			iv := apigw.New(apigw.Config{Endpoints: map[string]string{"abc": srv.URL}})
			params := `{"ApiEndpoint": "abc.execute-api.eu-west-1.amazonaws.com", "Method": "PUT", ` + tt.params + `}`
			if strings.Contains(tt.params, `"Method"`) {
				params = `{"ApiEndpoint": "abc.execute-api.eu-west-1.amazonaws.com", ` + tt.params + `}`
			}
			out, err := invoke(t, iv, params)
			if err != nil {
				t.Fatal(err)
			}
			if got.body != tt.wantBody || got.header.Get("Content-Type") != tt.wantType {
				t.Errorf("body %q (%q), want %q (%q)", got.body, got.header.Get("Content-Type"), tt.wantBody, tt.wantType)
			}
			if rb, _ := out.(*jsonval.Object).Get("ResponseBody"); rb != "ok" {
				t.Errorf("ResponseBody %v: text stays text", rb)
			}
		})
	}
}

// TestIAMRole: IAM_ROLE signs with SigV4 for execute-api in the region
// the endpoint names; NO_AUTH never signs.
func TestIAMRole(t *testing.T) {
	srv, got := server(t, 200, "application/json", `{}`)
	iv := apigw.New(apigw.Config{Endpoints: map[string]string{"abc.execute-api.eu-west-1.amazonaws.com": srv.URL},
		Credentials: credentials.NewStaticCredentialsProvider("AKIDEXAMPLE", "secret", "session")})
	for _, auth := range []string{"IAM_ROLE", "RESOURCE_POLICY"} {
		if _, err := invoke(t, iv, `{"ApiEndpoint": "abc.execute-api.eu-west-1.amazonaws.com", "Method": "GET", "AuthType": "`+auth+`"}`); err != nil {
			t.Fatal(err)
		}
		a := got.header.Get("Authorization")
		if !strings.HasPrefix(a, "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/") || !strings.Contains(a, "/eu-west-1/execute-api/aws4_request") ||
			got.header.Get("X-Amz-Security-Token") != "session" {
			t.Errorf("%s: Authorization %q", auth, a)
		}
	}
	if _, err := invoke(t, iv, `{"ApiEndpoint": "abc.execute-api.eu-west-1.amazonaws.com", "Method": "GET"}`); err != nil {
		t.Fatal(err)
	}
	if got.header.Get("Authorization") != "" {
		t.Errorf("NO_AUTH sent Authorization %q", got.header.Get("Authorization"))
	}
	noCreds := apigw.New(apigw.Config{Endpoints: map[string]string{"abc": srv.URL}})
	_, err := invoke(t, noCreds, `{"ApiEndpoint": "abc.execute-api.eu-west-1.amazonaws.com", "Method": "GET", "AuthType": "IAM_ROLE"}`)
	if te := taskError(t, err); !strings.Contains(te.Cause, "AWS_ACCESS_KEY_ID") {
		t.Errorf("no credentials: %v", te)
	}
}

// TestNoRedirects: a redirect is the API's answer; the signed request
// never goes to the host it points to.
func TestNoRedirects(t *testing.T) {
	other, otherSeen := server(t, 200, "", "")
	redirect := httptest.NewServer(http.RedirectHandler(other.URL+"/stolen", http.StatusFound))
	defer redirect.Close()
	iv := apigw.New(apigw.Config{Endpoints: map[string]string{"abc": redirect.URL},
		Credentials: credentials.NewStaticCredentialsProvider("AKID", "secret", "")})
	_, err := invoke(t, iv, `{"ApiEndpoint": "abc.execute-api.us-east-1.amazonaws.com", "Method": "GET", "AuthType": "IAM_ROLE"}`)
	if te := taskError(t, err); te.Name != "ApiGateway.302" {
		t.Errorf("redirect: %v", te)
	}
	if otherSeen.n != 0 {
		t.Errorf("the redirect was followed")
	}
}

func TestRefusals(t *testing.T) {
	iv := apigw.New(apigw.Config{Endpoints: map[string]string{"abc": "http://127.0.0.1:1"}})
	tests := []struct{ name, params, wantName, wantCause string }{
		{"forbidden header", `{"ApiEndpoint": "abc.execute-api.us-east-1.amazonaws.com", "Method": "GET", "Headers": {"X-Amz-Date": ["x"]}}`, "States.Runtime", "'X-Amz-Date' is not permitted"},
		{"authorization header", `{"ApiEndpoint": "abc.execute-api.us-east-1.amazonaws.com", "Method": "GET", "Headers": {"authorization": ["Bearer x"]}}`, "States.Runtime", "not permitted"},
		{"single string header", `{"ApiEndpoint": "abc.execute-api.us-east-1.amazonaws.com", "Method": "GET", "Headers": {"h": "v"}}`, "States.Runtime", "The value of the field 'Headers' has an invalid format"},
		{"bad method", `{"ApiEndpoint": "abc.execute-api.us-east-1.amazonaws.com", "Method": "TRACE"}`, "States.Runtime", "'Method' has an invalid format"},
		{"no endpoint", `{"Method": "GET"}`, "States.Runtime", "'ApiEndpoint' is required"},
		{"endpoint with scheme", `{"ApiEndpoint": "https://abc.execute-api.us-east-1.amazonaws.com", "Method": "GET"}`, "States.Runtime", "'ApiEndpoint' has an invalid format"},
		{"dot segment", `{"ApiEndpoint": "abc.execute-api.us-east-1.amazonaws.com", "Method": "GET", "Stage": "prod", "Path": "../admin"}`, "States.Runtime", "'Path'"},
		{"auth type", `{"ApiEndpoint": "abc.execute-api.us-east-1.amazonaws.com", "Method": "GET", "AuthType": "IAM_AUTH"}`, "States.Runtime", "'AuthType'"},
		{"unknown field", `{"ApiEndpoint": "abc.execute-api.us-east-1.amazonaws.com", "Method": "GET", "Body": "x"}`, "States.Runtime", "'Body' is not supported"},
		{"not API Gateway", `{"ApiEndpoint": "internal.example.com", "Method": "GET"}`, "States.TaskFailed", "--apigateway-endpoint internal.example.com=URL"},
		{"refused connection", `{"ApiEndpoint": "abc.execute-api.us-east-1.amazonaws.com", "Method": "GET"}`, "ApiGateway.ConnectException", "refused"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := invoke(t, iv, tt.params)
			if te := taskError(t, err); te.Name != tt.wantName || !strings.Contains(te.Cause, tt.wantCause) {
				t.Errorf("got %s: %s\nwant %s containing %q", te.Name, te.Cause, tt.wantName, tt.wantCause)
			}
		})
	}
}

func TestTimeoutAndSize(t *testing.T) {
	block := make(chan struct{})
	slow := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-r.Context().Done():
		case <-block:
		}
	}))
	defer slow.Close()
	defer close(block)
	big := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Write(make([]byte, apigw.MaxResponse+1))
	}))
	defer big.Close()
	iv := apigw.New(apigw.Config{Endpoints: map[string]string{"slow": slow.URL, "big": big.URL}, Timeout: 100 * time.Millisecond})
	_, err := invoke(t, iv, `{"ApiEndpoint": "slow.execute-api.us-east-1.amazonaws.com", "Method": "GET"}`)
	if te := taskError(t, err); te.Name != "ApiGateway.SocketTimeoutException" {
		t.Errorf("slow: %v", te)
	}
	iv = apigw.New(apigw.Config{Endpoints: map[string]string{"big": big.URL}})
	_, err = invoke(t, iv, `{"ApiEndpoint": "big.execute-api.us-east-1.amazonaws.com", "Method": "GET"}`)
	if te := taskError(t, err); te.Name != "ApiGateway.IOException" || !strings.Contains(te.Cause, "larger than") {
		t.Errorf("big: %v", te)
	}
}

func TestHandles(t *testing.T) {
	for res, want := range map[string]bool{
		"arn:aws:states:::apigateway:invoke":                  true,
		"arn:aws:states:::apigateway:invoke.waitForTaskToken": true,
		"arn:aws:states:::apigateway:invoke.sync":             false,
		"arn:aws:states:::aws-sdk:apigateway:getRestApis":     false,
		"arn:aws:states:::http:invoke":                        false,
	} {
		if got := apigw.Handles(resource.Parse(res)); got != want {
			t.Errorf("Handles(%s) = %v, want %v", res, got, want)
		}
	}
}

func TestCheckEndpoint(t *testing.T) {
	for _, tt := range []struct {
		key, url string
		ok       bool
	}{
		{"abc123", "http://127.0.0.1:3000", true},
		{"abc123.execute-api.us-east-1.amazonaws.com", "https://api.internal/v1", true},
		{"", "http://x", false},
		{"abc", "ftp://x", false},
		{"abc", "http://u:p@x", false},
		{"a/b", "http://x", false},
	} {
		if err := apigw.CheckEndpoint(tt.key, tt.url); (err == nil) != tt.ok {
			t.Errorf("CheckEndpoint(%q, %q) = %v", tt.key, tt.url, err)
		}
	}
}
