package httptask_test

import (
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"stepwise/tasks"
	"stepwise/tasks/httptask"
)

// recorder is a server that keeps every request it was sent.
type recorder struct {
	*httptest.Server
	mu   sync.Mutex // guards reqs
	reqs []recorded
}

// recorded is what a recorder kept of one request.
type recorded struct {
	path, query, body string
	header            http.Header
}

func (r *recorder) all() []recorded {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]recorded(nil), r.reqs...)
}

// newRecorder starts a recorder; handle, if not nil, answers the request
// after it is kept; otherwise the answer is {"ok":true}.
func newRecorder(t *testing.T, tls bool, handle http.HandlerFunc) *recorder {
	t.Helper()
	rec := &recorder{}
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		rec.mu.Lock()
		rec.reqs = append(rec.reqs, recorded{r.URL.Path, r.URL.RawQuery, string(b), r.Header.Clone()})
		rec.mu.Unlock()
		if handle != nil {
			handle(w, r)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		io.WriteString(w, `{"ok":true}`)
	})
	if tls {
		rec.Server = httptest.NewTLSServer(h)
	} else {
		rec.Server = httptest.NewServer(h)
	}
	t.Cleanup(rec.Close)
	return rec
}

// redirector answers /to/CODE?url=U with status CODE and Location U, and
// anything else with {"ok":true}.
func redirector(w http.ResponseWriter, r *http.Request) {
	code, ok := strings.CutPrefix(r.URL.Path, "/to/")
	if !ok {
		w.Header().Set("Content-Type", "application/json")
		io.WriteString(w, `{"ok":true}`)
		return
	}
	var n int
	fmt.Sscan(code, &n)
	w.Header().Set("Location", r.URL.Query().Get("url"))
	w.WriteHeader(n)
}

// secretConnections are connections of every authorization type whose
// every secret contains "s3cret"; oauthURL is the token endpoint.
func secretConnections(t *testing.T, oauthURL string) map[string]httptask.Connection {
	t.Helper()
	conns, err := httptask.ParseConnections([]byte(`{
	  "arn:key": {"AuthorizationType":"API_KEY","AuthParameters":{"ApiKeyAuthParameters":{"ApiKeyName":"X-Api-Key","ApiKeyValue":"s3cret-key"},
	     "InvocationHttpParameters":{"HeaderParameters":[{"Key":"X-Tenant","Value":"s3cret-tenant","IsValueSecret":true}],
	       "QueryStringParameters":[{"Key":"sig","Value":"s3cret-query","IsValueSecret":true}],
	       "BodyParameters":[{"Key":"extra","Value":"s3cret-body","IsValueSecret":true}]}}},
	  "arn:basic": {"AuthorizationType":"BASIC","AuthParameters":{"BasicAuthParameters":{"Username":"ada","Password":"s3cret-pw"}}},
	  "arn:oauth": {"AuthorizationType":"OAUTH_CLIENT_CREDENTIALS","AuthParameters":{"OAuthParameters":{
	     "AuthorizationEndpoint":"` + oauthURL + `","HttpMethod":"POST","ClientParameters":{"ClientID":"client","ClientSecret":"s3cret-client"}}}}
	}`))
	if err != nil {
		t.Fatal(err)
	}
	return conns
}

// leaked reports where a request carries a secret or a credential header.
func leaked(r recorded) string {
	for k, vs := range r.header {
		for _, v := range vs {
			if strings.Contains(v, "s3cret") || strings.Contains(v, "s3cr3t-token") {
				return "header " + k
			}
		}
	}
	for _, k := range []string{"Authorization", "X-Api-Key", "X-Tenant"} {
		if r.header.Get(k) != "" {
			return "header " + k
		}
	}
	if strings.Contains(r.query, "s3cret") {
		return "query"
	}
	if strings.Contains(r.body, "s3cret") {
		return "body"
	}
	return ""
}

// TestRedirectToAnotherHostDropsCredentials attacks the way issue 14 item
// 2 describes: the Task names one host, which redirects to a second host
// on another port. The second host must see no credential of the
// connection, whatever the redirect status and authorization type.
func TestRedirectToAnotherHostDropsCredentials(t *testing.T) {
	oauth := newRecorder(t, false, func(w http.ResponseWriter, r *http.Request) {
		io.WriteString(w, `{"access_token":"s3cr3t-token","expires_in":3600}`)
	})
	first := newRecorder(t, false, redirector)
	other := newRecorder(t, false, nil)
	iv := httptask.New(httptask.Config{Connections: secretConnections(t, oauth.URL)})
	for _, code := range []int{301, 302, 303, 307, 308} {
		for _, arn := range []string{"arn:key", "arn:basic", "arn:oauth"} {
			t.Run(fmt.Sprintf("%d %s", code, arn), func(t *testing.T) {
				before := len(other.all())
				p := params(t, `{"ApiEndpoint":"%s/to/%d","QueryParameters":{"url":"%s/landing"},"Method":"POST",
				  "RequestBody":{"a":1},"Authentication":{"ConnectionArn":%q}}`, first.URL, code, other.URL, arn)
				if _, err := iv.Invoke(t.Context(), tasks.Request{Input: p}); err != nil {
					t.Fatalf("Invoke: %v", err)
				}
				// The first host got the credentials.
				reqs := first.all()
				if last := reqs[len(reqs)-1]; leaked(last) == "" {
					t.Errorf("the named host got no credentials: %+v", last)
				}
				got := other.all()[before:]
				if len(got) != 1 {
					t.Fatalf("the other host got %d requests, want 1", len(got))
				}
				if where := leaked(got[0]); where != "" {
					t.Errorf("the other host got a credential in its %s: %+v", where, got[0])
				}
				if code == 307 || code == 308 {
					if got[0].body != `{"a":1}` {
						t.Errorf("the other host got body %q, want the Task's own body", got[0].body)
					}
				}
			})
		}
	}
}

// TestRedirectSameOriginKeepsCredentials: a redirect within the host the
// Task names is still the API the connection is for.
func TestRedirectSameOriginKeepsCredentials(t *testing.T) {
	first := newRecorder(t, false, redirector)
	iv := httptask.New(httptask.Config{Connections: secretConnections(t, "http://127.0.0.1:1/unused")})
	for _, code := range []int{302, 307} {
		p := params(t, `{"ApiEndpoint":"%s/to/%d","QueryParameters":{"url":"/landing"},"Method":"POST",
		  "RequestBody":{"a":1},"Authentication":{"ConnectionArn":"arn:key"}}`, first.URL, code)
		if _, err := iv.Invoke(t.Context(), tasks.Request{Input: p}); err != nil {
			t.Fatalf("%d: %v", code, err)
		}
		reqs := first.all()
		last := reqs[len(reqs)-1]
		if last.path != "/landing" || last.header.Get("X-Api-Key") != "s3cret-key" || last.header.Get("X-Tenant") != "s3cret-tenant" {
			t.Errorf("%d: the same-origin hop lost its credentials: %+v", code, last)
		}
		if code == 307 && last.body != `{"a":1,"extra":"s3cret-body"}` {
			t.Errorf("%d: the same-origin hop got body %q", code, last.body)
		}
	}
}

// TestRedirectBackToOriginAfterLeaving: once a redirect left the named
// origin, that other host chooses where the request goes next, so a hop
// back to the named host carries no credentials either (as net/http keeps
// Authorization stripped once it has stripped it).
func TestRedirectBackToOriginAfterLeaving(t *testing.T) {
	first := newRecorder(t, false, redirector)
	other := newRecorder(t, false, redirector)
	iv := httptask.New(httptask.Config{Connections: secretConnections(t, "http://127.0.0.1:1/unused")})
	back := first.URL + "/landing"
	p := params(t, `{"ApiEndpoint":"%s/to/302","QueryParameters":{"url":"%s/to/302?url=%s"},"Method":"GET",
	  "Authentication":{"ConnectionArn":"arn:key"}}`, first.URL, other.URL, back)
	if _, err := iv.Invoke(t.Context(), tasks.Request{Input: p}); err != nil {
		t.Fatal(err)
	}
	reqs := first.all()
	if len(reqs) != 2 || reqs[1].path != "/landing" {
		t.Fatalf("the named host got %+v", reqs)
	}
	if where := leaked(reqs[1]); where != "" {
		t.Errorf("the hop back got a credential in its %s", where)
	}
}

// TestRedirectsBounded: a redirect loop ends at the tenth redirect
// response, as net/http's default policy ends it (ten requests in all),
// with States.Http.Socket; the bound holds whatever the configured client's
// own redirect policy is.
func TestRedirectsBounded(t *testing.T) {
	var n atomic.Int32
	var loop *httptest.Server
	loop = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n.Add(1)
		http.Redirect(w, r, loop.URL+"/again", http.StatusFound)
	}))
	defer loop.Close()
	unbounded := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return nil }}
	iv := httptask.New(httptask.Config{Client: unbounded})
	_, err := iv.Invoke(t.Context(), tasks.Request{Input: params(t, `{"ApiEndpoint":"%s","Method":"GET"}`, loop.URL)})
	if err == nil {
		t.Fatal("a redirect loop succeeded")
	}
	if te := tasks.AsError(err); te.Name != httptask.ErrorSocket || !strings.Contains(te.Cause, "10 redirects") {
		t.Errorf("got %v, want %s after 10 redirects", err, httptask.ErrorSocket)
	}
	if got := n.Load(); got != 10 {
		t.Errorf("%d requests, want 10", got)
	}
}

// TestRedirectHTTPSToHTTPRefused: a connection's request never drops to
// plain HTTP, where anyone on the path could read it.
func TestRedirectHTTPSToHTTPRefused(t *testing.T) {
	plain := newRecorder(t, false, nil)
	secure := newRecorder(t, true, redirector)
	iv := httptask.New(httptask.Config{Client: secure.Client(), Connections: secretConnections(t, "http://127.0.0.1:1/unused")})
	p := params(t, `{"ApiEndpoint":"%s/to/307","QueryParameters":{"url":"%s/landing"},"Method":"GET","Authentication":{"ConnectionArn":"arn:basic"}}`,
		secure.URL, plain.URL)
	_, err := iv.Invoke(t.Context(), tasks.Request{Input: p})
	if err == nil {
		t.Fatal("the redirect to http was followed")
	}
	if te := tasks.AsError(err); te.Name != httptask.ErrorSocket || !strings.Contains(te.Cause, "https to http") {
		t.Errorf("got %v, want %s refusing https to http", err, httptask.ErrorSocket)
	}
	if got := plain.all(); len(got) != 0 {
		t.Errorf("the http host got %d requests", len(got))
	}
	// Without a connection there is nothing to protect: the redirect is
	// followed.
	p = params(t, `{"ApiEndpoint":"%s/to/307","QueryParameters":{"url":"%s/landing"},"Method":"GET"}`, secure.URL, plain.URL)
	if _, err := iv.Invoke(t.Context(), tasks.Request{Input: p}); err != nil {
		t.Errorf("without a connection: %v", err)
	}
}

// TestOAuthTokenRedirectDropsClientSecret: the token endpoint's redirect
// to another host must not carry the client credentials or the
// connection's OAuth parameters.
func TestOAuthTokenRedirectDropsClientSecret(t *testing.T) {
	other := newRecorder(t, false, func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusUnauthorized)
	})
	token := newRecorder(t, false, redirector)
	endpoint := fmt.Sprintf("%s/to/307?url=%s/token", token.URL, other.URL)
	conns, err := httptask.ParseConnections([]byte(`{"arn:oauth": {"AuthorizationType":"OAUTH_CLIENT_CREDENTIALS","AuthParameters":{"OAuthParameters":{
	  "AuthorizationEndpoint":"` + endpoint + `","HttpMethod":"POST","ClientParameters":{"ClientID":"client","ClientSecret":"s3cret-client"},
	  "OAuthHttpParameters":{"HeaderParameters":[{"Key":"X-Tenant","Value":"s3cret-tenant","IsValueSecret":true}],
	    "BodyParameters":[{"Key":"client_assertion","Value":"s3cret-assertion","IsValueSecret":true}]}}}}}`))
	if err != nil {
		t.Fatal(err)
	}
	api := newRecorder(t, false, nil)
	iv := httptask.New(httptask.Config{Connections: conns})
	_, err = iv.Invoke(t.Context(), tasks.Request{Input: params(t,
		`{"ApiEndpoint":"%s","Method":"GET","Authentication":{"ConnectionArn":"arn:oauth"}}`, api.URL)})
	if te := tasks.AsError(err); te.Name != "Events.ConnectionResource.InvalidConnectionState" {
		t.Errorf("got %v, want InvalidConnectionState", err)
	}
	if reqs := token.all(); len(reqs) != 1 || reqs[0].header.Get("Authorization") == "" {
		t.Errorf("the token endpoint got %+v, want one request with the client credentials", reqs)
	}
	got := other.all()
	if len(got) != 1 {
		t.Fatalf("the other host got %d requests, want 1", len(got))
	}
	if where := leaked(got[0]); where != "" {
		t.Errorf("the other host got a credential in its %s: %+v", where, got[0])
	}
	if !strings.Contains(got[0].body, "grant_type=client_credentials") {
		t.Errorf("the other host got body %q, want the grant without the connection's parameters", got[0].body)
	}
}
