package httptask_test

import (
	"encoding/base64"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"go.uber.org/goleak"

	"stepwise/jsonval"
	"stepwise/tasks"
	"stepwise/tasks/httptask"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

// seen is what the echo server received.
type seen struct {
	method, path, query, body, contentType, auth, apiKey, userAgent string
}

// echoServer answers every request with JSON describing it; /status/NNN
// answers NNN.
func echoServer(t *testing.T) (*httptest.Server, *atomic.Pointer[seen]) {
	t.Helper()
	var last atomic.Pointer[seen]
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		last.Store(&seen{r.Method, r.URL.Path, r.URL.RawQuery, string(b), r.Header.Get("Content-Type"),
			r.Header.Get("Authorization"), r.Header.Get("X-Api-Key"), r.Header.Get("User-Agent")})
		if code, ok := strings.CutPrefix(r.URL.Path, "/status/"); ok {
			var n int
			fmt.Sscan(code, &n)
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(n)
			io.WriteString(w, `{"message":"nope"}`)
			return
		}
		if r.URL.Path == "/text" {
			io.WriteString(w, "plain")
			return
		}
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("X-Trace", "abc")
		fmt.Fprintf(w, `{"ok":true,"method":%q}`, r.Method)
	}))
	t.Cleanup(srv.Close)
	return srv, &last
}

func params(t *testing.T, format string, args ...any) any {
	t.Helper()
	v, err := jsonval.ParseString(fmt.Sprintf(format, args...))
	if err != nil {
		t.Fatal(err)
	}
	return v
}

func TestInvoke(t *testing.T) {
	srv, last := echoServer(t)
	iv := httptask.New(httptask.Config{})
	tests := []struct {
		name   string
		params string
		want   seen
		result string // compact JSON of ResponseBody
	}{
		{"get with query", `{"ApiEndpoint":"%s/items?fixed=1","Method":"GET","QueryParameters":{"q":"a b","tag":["x","y"]}}`,
			seen{method: "GET", path: "/items", query: "fixed=1&q=a+b&tag=x&tag=y"}, `{"ok":true,"method":"GET"}`},
		{"post json", `{"ApiEndpoint":"%s/items","Method":"POST","RequestBody":{"name":"Ada","n":[1,2]}}`,
			seen{method: "POST", path: "/items", body: `{"name":"Ada","n":[1,2]}`, contentType: "application/json; charset=UTF-8"}, `{"ok":true,"method":"POST"}`},
		{"custom content type", `{"ApiEndpoint":"%s/items","Method":"PUT","Headers":{"Content-Type":"application/vnd.x+json"},"RequestBody":{"a":1}}`,
			seen{method: "PUT", path: "/items", body: `{"a":1}`, contentType: "application/vnd.x+json"}, `{"ok":true,"method":"PUT"}`},
		{"text response", `{"ApiEndpoint":"%s/text","Method":"GET"}`, seen{method: "GET", path: "/text"}, `"plain"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := iv.Invoke(t.Context(), tasks.Request{Resource: tasks.ResourceHTTPInvoke, Input: params(t, tt.params, srv.URL)})
			if err != nil {
				t.Fatal(err)
			}
			s := *last.Load()
			s.userAgent, s.auth, s.apiKey = "", "", ""
			if s != tt.want {
				t.Errorf("server saw %+v, want %+v", s, tt.want)
			}
			o := got.(*jsonval.Object)
			if keys := strings.Join(o.Keys(), ","); keys != "Headers,ResponseBody,StatusCode,StatusText" {
				t.Errorf("result keys %s", keys)
			}
			rb, _ := o.Get("ResponseBody")
			if s := jsonval.MustMarshalString(rb); s != tt.result {
				t.Errorf("ResponseBody %s, want %s", s, tt.result)
			}
			sc, _ := o.Get("StatusCode")
			st, _ := o.Get("StatusText")
			if jsonval.MustMarshalString(sc) != "200" || st != "OK" {
				t.Errorf("status %v %v", sc, st)
			}
		})
	}
	if ua := last.Load().userAgent; ua != "Amazon|StepFunctions|HttpInvoke|us-east-1" {
		t.Errorf("User-Agent %q", ua)
	}
}

func TestInvokeHeadersShape(t *testing.T) {
	srv, _ := echoServer(t)
	got, err := httptask.New(httptask.Config{}).Invoke(t.Context(), tasks.Request{Input: params(t, `{"ApiEndpoint":"%s","Method":"GET"}`, srv.URL)})
	if err != nil {
		t.Fatal(err)
	}
	h, _ := got.(*jsonval.Object).Get("Headers")
	v, _ := h.(*jsonval.Object).Get("x-trace")
	if jsonval.MustMarshalString(v) != `["abc"]` {
		t.Errorf("Headers = %s", jsonval.MustMarshalString(h))
	}
}

func TestURLEncoded(t *testing.T) {
	srv, last := echoServer(t)
	iv := httptask.New(httptask.Config{})
	tests := []struct {
		format string
		want   string
	}{
		{"BRACKETS", "a[]=x&a[]=y+z&n=1&o[k]=v"},
		{"COMMAS", "a=x,y+z&n=1&o[k]=v"},
		{"REPEAT", "a=x&a=y+z&n=1&o[k]=v"},
		{"INDICES", "a[0]=x&a[1]=y+z&n=1&o[k]=v"},
	}
	for _, tt := range tests {
		p := params(t, `{"ApiEndpoint":"%s","Method":"POST","RequestBody":{"a":["x","y z"],"n":1,"o":{"k":"v"}},
		  "Transform":{"RequestBodyEncoding":"URL_ENCODED","RequestEncodingOptions":{"ArrayFormat":%q}}}`, srv.URL, tt.format)
		if _, err := iv.Invoke(t.Context(), tasks.Request{Input: p}); err != nil {
			t.Fatal(err)
		}
		if s := last.Load(); s.body != tt.want || s.contentType != "application/x-www-form-urlencoded" {
			t.Errorf("%s: body %q (%s), want %q", tt.format, s.body, s.contentType, tt.want)
		}
	}
}

func TestErrors(t *testing.T) {
	srv, _ := echoServer(t)
	closed := httptest.NewServer(http.NotFoundHandler())
	closedURL := closed.URL
	closed.Close()
	slow := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-r.Context().Done():
		case <-time.After(10 * time.Second):
		}
	}))
	defer slow.Close()

	tests := []struct {
		name    string
		timeout time.Duration
		params  string
		errName string
		cause   string
	}{
		{"404", 0, `{"ApiEndpoint":"` + srv.URL + `/status/404","Method":"GET"}`, "States.Http.StatusCode.404",
			`"ResponseBody":{"message":"nope"},"StatusCode":404,"StatusText":"Not Found"}`},
		{"503", 0, `{"ApiEndpoint":"` + srv.URL + `/status/503","Method":"GET"}`, "States.Http.StatusCode.503", `"StatusCode":503`},
		{"refused", 0, `{"ApiEndpoint":"` + closedURL + `","Method":"GET"}`, httptask.ErrorSocket, "The request failed"},
		{"timeout", 100 * time.Millisecond, `{"ApiEndpoint":"` + slow.URL + `","Method":"GET"}`, httptask.ErrorSocket, "timed out"},
		{"no method", 0, `{"ApiEndpoint":"` + srv.URL + `"}`, tasks.ErrorRuntime, "Method"},
		{"unknown connection", 0, `{"ApiEndpoint":"` + srv.URL + `","Method":"GET","Authentication":{"ConnectionArn":"arn:x"}}`,
			"Events.ConnectionResource.ResourceNotFoundException", "arn:x"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			iv := httptask.New(httptask.Config{Timeout: tt.timeout})
			_, err := iv.Invoke(t.Context(), tasks.Request{Input: params(t, "%s", tt.params)})
			if te := tasks.AsError(err); te.Name != tt.errName || !strings.Contains(te.Cause, tt.cause) {
				t.Errorf("got %v; want %s containing %q", err, tt.errName, tt.cause)
			}
		})
	}
}

func TestConnections(t *testing.T) {
	srv, last := echoServer(t)
	var tokenCalls atomic.Int32
	oauth := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		tokenCalls.Add(1)
		id, secret, _ := r.BasicAuth()
		r.ParseForm()
		if id != "client" || secret != "s3cret-client" || r.PostForm.Get("grant_type") != "client_credentials" || r.PostForm.Get("audience") != "api" {
			w.WriteHeader(http.StatusUnauthorized)
			return
		}
		io.WriteString(w, `{"access_token":"tok-123","expires_in":3600}`)
	}))
	defer oauth.Close()
	conns, err := httptask.ParseConnections([]byte(`{
	  "arn:key": {"AuthorizationType":"API_KEY","AuthParameters":{"ApiKeyAuthParameters":{"ApiKeyName":"X-Api-Key","ApiKeyValue":"s3cret-key"},
	     "InvocationHttpParameters":{"QueryStringParameters":[{"Key":"v","Value":"2"}],"BodyParameters":[{"Key":"extra","Value":"e"}]}}},
	  "arn:basic": {"AuthorizationType":"BASIC","AuthParameters":{"BasicAuthParameters":{"Username":"ada","Password":"s3cret-pw"}}},
	  "arn:oauth": {"AuthorizationType":"OAUTH_CLIENT_CREDENTIALS","AuthParameters":{"OAuthParameters":{
	     "AuthorizationEndpoint":"` + oauth.URL + `","HttpMethod":"POST","ClientParameters":{"ClientID":"client","ClientSecret":"s3cret-client"},
	     "OAuthHttpParameters":{"BodyParameters":[{"Key":"audience","Value":"api"}]}}}},
	  "arn:badoauth": {"AuthorizationType":"OAUTH_CLIENT_CREDENTIALS","AuthParameters":{"OAuthParameters":{
	     "AuthorizationEndpoint":"` + oauth.URL + `","HttpMethod":"POST","ClientParameters":{"ClientID":"client","ClientSecret":"wrong-s3cret"}}}}
	}`))
	if err != nil {
		t.Fatal(err)
	}
	iv := httptask.New(httptask.Config{Connections: conns})
	call := func(arn string) (any, error) {
		return iv.Invoke(t.Context(), tasks.Request{Input: params(t,
			`{"ApiEndpoint":"%s/x","Method":"POST","RequestBody":{"a":1},"Authentication":{"ConnectionArn":%q}}`, srv.URL, arn)})
	}
	noSecret := func(v any, err error) {
		t.Helper()
		text := fmt.Sprint(err)
		if v != nil {
			text += jsonval.MustMarshalString(v)
		}
		if strings.Contains(text, "s3cret") || strings.Contains(text, "tok-123") {
			t.Errorf("a secret leaked: %s", text)
		}
	}

	v, err := call("arn:key")
	noSecret(v, err)
	if s := last.Load(); err != nil || s.apiKey != "s3cret-key" || s.query != "v=2" || s.body != `{"a":1,"extra":"e"}` {
		t.Errorf("API key: %v, saw %+v", err, s)
	}
	v, err = call("arn:basic")
	noSecret(v, err)
	if s := last.Load(); err != nil || s.auth != "Basic "+base64.StdEncoding.EncodeToString([]byte("ada:s3cret-pw")) {
		t.Errorf("basic: %v, saw %+v", err, s)
	}
	for range 2 {
		v, err = call("arn:oauth")
		noSecret(v, err)
		if s := last.Load(); err != nil || s.auth != "Bearer tok-123" {
			t.Errorf("oauth: %v, saw %+v", err, s)
		}
	}
	if n := tokenCalls.Load(); n != 1 {
		t.Errorf("%d token requests, want 1 (cached)", n)
	}
	v, err = call("arn:badoauth")
	noSecret(v, err)
	if te := tasks.AsError(err); te.Name != "Events.ConnectionResource.InvalidConnectionState" {
		t.Errorf("bad oauth: %v", err)
	}
}
