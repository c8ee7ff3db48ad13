package httptask_test

import (
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/google/go-cmp/cmp"

	"stepwise/tasks"
	"stepwise/tasks/httptask"
)

// received is a request as a server saw it.
type received struct {
	Method, URI string
	Header      http.Header
	Body        string
}

// recordServer records the last request it receives and answers 200.
func recordServer(t *testing.T) (*httptest.Server, *atomic.Pointer[received]) {
	t.Helper()
	var last atomic.Pointer[received]
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		h := r.Header.Clone()
		// What Go's transport adds on the wire, not the Task.
		h.Del("Accept-Encoding")
		h.Del("Content-Length")
		last.Store(&received{r.Method, r.RequestURI, h, string(b)})
	}))
	t.Cleanup(srv.Close)
	return srv, &last
}

// TestNewRequestIsWhatInvokeSends checks that NewRequest, which TestState's
// TRACE shows, describes the request the Invoker really sends: method,
// URL with the query, headers (but the User-Agent the Invoker adds) and
// body, for JSON, text and form bodies, array query values, non-string
// header values and a connection's additions (which NewRequest leaves
// out: they are the connection's secrets).
func TestNewRequestIsWhatInvokeSends(t *testing.T) {
	srv, last := recordServer(t)
	conns, err := httptask.ParseConnections([]byte(`{"arn:key": {"AuthorizationType":"API_KEY","AuthParameters":{
	  "ApiKeyAuthParameters":{"ApiKeyName":"X-Api-Key","ApiKeyValue":"s3cret-key"},
	  "InvocationHttpParameters":{"QueryStringParameters":[{"Key":"v","Value":"2"}],"BodyParameters":[{"Key":"extra","Value":"e"}]}}}}`))
	if err != nil {
		t.Fatal(err)
	}
	iv := httptask.New(httptask.Config{Connections: conns})
	tests := []struct {
		name, params string
		// added is what the sent request has beyond NewRequest's: the
		// query and body of a connection, its headers.
		addedQuery, addedBody string
		addedHeader           http.Header
	}{
		{name: "json", params: `{"ApiEndpoint":"%s/orders?b=2&a=1","Method":"post","Headers":{"x-trace":"1","X-N":7,"X-L":["a","b"]},
			"QueryParameters":{"q":"a b","tag":["x","y"],"n":1},"RequestBody":{"id":1}}`},
		{name: "text", params: `{"ApiEndpoint":"%s/t","Method":"PUT","Headers":{"Content-Type":"text/csv"},"RequestBody":"a,b"}`},
		{name: "form", params: `{"ApiEndpoint":"%s/f","Method":"PATCH","Transform":{"RequestBodyEncoding":"URL_ENCODED","RequestEncodingOptions":{"ArrayFormat":"COMMAS"}},
			"RequestBody":{"name":"Ada L","tags":["a","b"],"addr":{"city":"X"}}}`},
		{name: "no body", params: `{"ApiEndpoint":"%s/g","Method":"GET"}`},
		{name: "connection", params: `{"ApiEndpoint":"%s/c?k=1","Method":"POST","RequestBody":{"a":1},"Authentication":{"ConnectionArn":"arn:key"}}`,
			addedQuery: "v=2", addedBody: `,"extra":"e"`, addedHeader: http.Header{"X-Api-Key": {"s3cret-key"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := params(t, tt.params, srv.URL)
			built, err := httptask.NewRequest(p)
			if err != nil {
				t.Fatalf("NewRequest: %v", err)
			}
			if _, err := iv.Invoke(t.Context(), tasks.Request{Input: p}); err != nil {
				t.Fatalf("Invoke: %v", err)
			}
			got := last.Load()
			want := received{Method: built.Method, URI: built.URL.RequestURI(), Header: built.Header.Clone(), Body: string(built.Body)}
			want.Header.Set("User-Agent", "Amazon|StepFunctions|HttpInvoke|us-east-1")
			for k, v := range tt.addedHeader {
				want.Header[k] = v
			}
			if tt.addedQuery != "" {
				q := built.URL.Query()
				q.Set("v", "2")
				want.URI = built.URL.Path + "?" + q.Encode()
			}
			if tt.addedBody != "" {
				want.Body = strings.TrimSuffix(want.Body, "}") + tt.addedBody + "}"
			}
			if d := cmp.Diff(want, *got); d != "" {
				t.Errorf("sent request (-NewRequest +sent):\n%s", d)
			}
			if strings.Contains(built.URL.String()+string(built.Body)+strings.Join(built.Header.Values("X-Api-Key"), ""), "s3cret") {
				t.Errorf("NewRequest shows a connection's secret: %+v", built)
			}
		})
	}
}

// TestNewRequest pins the request an HTTP Task's parameters describe.
func TestNewRequest(t *testing.T) {
	r, err := httptask.NewRequest(params(t, `{"ApiEndpoint":"https://api.example.com/orders?b=2","Method":"post",
		"Headers":{"x-trace":"1","X-L":["a","b"]},"QueryParameters":{"q":"a b","tag":["x","y"]},"RequestBody":{"id":1}}`))
	if err != nil {
		t.Fatal(err)
	}
	got := received{Method: r.Method, URI: r.URL.String(), Header: r.Header, Body: string(r.Body)}
	want := received{Method: "POST", URI: "https://api.example.com/orders?b=2&q=a+b&tag=x&tag=y",
		Header: http.Header{"X-Trace": {"1"}, "X-L": {`["a","b"]`}, "Content-Type": {"application/json; charset=UTF-8"}},
		Body:   `{"id":1}`}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("NewRequest (-want +got):\n%s", d)
	}
	for _, bad := range []string{
		`{"Method":"GET"}`,
		`{"ApiEndpoint":"ftp://x/y","Method":"GET"}`,
		`{"ApiEndpoint":"https://x/y","Method":"G ET"}`,
		`{"ApiEndpoint":"https://x/y","Method":"POST","RequestBody":[1],"Transform":{"RequestBodyEncoding":"URL_ENCODED"}}`,
		`"not an object"`,
	} {
		if _, err := httptask.NewRequest(params(t, "%s", bad)); tasks.AsError(err).Name != tasks.ErrorRuntime {
			t.Errorf("NewRequest(%s) = %v, want States.Runtime", bad, err)
		}
	}
}

// TestReadResultIsWhatInvokeGot checks that ReadResult reads back, from
// the result object Invoke returns, the response the server sent: status,
// headers (with every value) and body. TestState's TRACE shows it.
func TestReadResultIsWhatInvokeGot(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.Header().Add("X-Multi", "a")
		w.Header().Add("X-Multi", "b")
		w.WriteHeader(http.StatusCreated)
		io.WriteString(w, `{"ok":true}`)
	}))
	defer srv.Close()
	out, err := httptask.New(httptask.Config{}).Invoke(t.Context(), tasks.Request{Input: params(t, `{"ApiEndpoint":"%s","Method":"POST"}`, srv.URL)})
	if err != nil {
		t.Fatal(err)
	}
	got, ok := httptask.ReadResult(out)
	if !ok {
		t.Fatalf("ReadResult(%v) found no response", out)
	}
	delete(got.Header, "date") // the result keeps header names in lower case
	want := &httptask.Response{StatusCode: "201", StatusText: "Created", Body: `{"ok":true}`, Header: http.Header{
		"content-type": {"application/json"}, "content-length": {"11"}, "x-multi": {"a", "b"}}}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("ReadResult (-want +got):\n%s", d)
	}
}

// TestReadResult reads result objects that a mock may stand for: any
// status code, headers with single values, a text body, members missing.
func TestReadResult(t *testing.T) {
	tests := []struct {
		result string
		want   *httptask.Response
	}{
		{`{"StatusCode":200.0,"StatusText":"OK","Headers":{"a":"1","b":[2,"x"]},"ResponseBody":"plain"}`,
			&httptask.Response{StatusCode: "200", StatusText: "OK", Header: http.Header{"a": {"1"}, "b": {"2", "x"}}, Body: "plain"}},
		{`{"StatusCode":"teapot","StatusText":7,"ResponseBody":[1]}`, &httptask.Response{StatusCode: "teapot", Body: "[1]"}},
		{`{"Headers":{}}`, &httptask.Response{Header: http.Header{}}},
		{`{}`, &httptask.Response{}},
	}
	for _, tt := range tests {
		got, ok := httptask.ReadResult(params(t, "%s", tt.result))
		if d := cmp.Diff(tt.want, got); !ok || d != "" {
			t.Errorf("ReadResult(%s) (-want +got):\n%s", tt.result, d)
		}
	}
	if _, ok := httptask.ReadResult(params(t, `[1]`)); ok {
		t.Errorf("ReadResult([1]) found a response")
	}
}
