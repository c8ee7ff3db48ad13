package api_test

import (
	"bufio"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
	"github.com/aws/aws-sdk-go-v2/service/sfn"
	"github.com/aws/aws-sdk-go-v2/service/sfn/types"

	"stepwise/api"
	"stepwise/service"
	"stepwise/store"
	"stepwise/store/memory"
)

// signRequest signs req with testKey and testSecret, with the real SDK
// signer, over body's hash, for region and service.
func signRequest(t *testing.T, req *http.Request, body []byte, region, service string) {
	t.Helper()
	signRequestHash(t, req, sha256Hex(body), region, service)
}

func signRequestHash(t *testing.T, req *http.Request, payloadHash, region, service string) {
	t.Helper()
	creds := aws.Credentials{AccessKeyID: testKey, SecretAccessKey: testSecret}
	if err := v4.NewSigner().SignHTTP(context.Background(), creds, req, payloadHash, service, region, time.Now()); err != nil {
		t.Fatal(err)
	}
}

func sha256Hex(b []byte) string {
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}

// TestSigV4Scope attacks the signature check the ways issue 14 lists: a
// key signed for another region or service, an unsigned payload, and a
// body other than the one signed. Only the correct signature passes.
func TestSigV4Scope(t *testing.T) {
	s := startServer(t, api.Options{Region: "eu-west-1", Credentials: map[string]string{testKey: testSecret}}, nil)
	signed := []byte(`{"maxResults":1}`)
	tests := []struct {
		name    string
		send    []byte            // body sent; nil means signed
		hash    string            // payload hash signed; empty means signed's
		headers map[string]string // set before signing
		region  string
		service string
		code    string // empty: accepted
		message string // part of the message
	}{
		{name: "good", region: "eu-west-1", service: "states"},
		{name: "good with content hash header", region: "eu-west-1", service: "states",
			headers: map[string]string{"X-Amz-Content-Sha256": sha256Hex(signed)}},
		{name: "wrong region", region: "us-east-1", service: "states",
			code: "InvalidSignatureException", message: "Credential should be scoped to a valid region, not 'us-east-1'. "},
		{name: "wrong service", region: "eu-west-1", service: "s3",
			code: "InvalidSignatureException", message: "Credential should be scoped to correct service: 'states'. "},
		{name: "unsigned payload", region: "eu-west-1", service: "states", hash: "UNSIGNED-PAYLOAD",
			headers: map[string]string{"X-Amz-Content-Sha256": "UNSIGNED-PAYLOAD"}, send: []byte(`{"maxResults":2}`),
			code: "InvalidSignatureException", message: "UNSIGNED-PAYLOAD"},
		{name: "unsigned payload without header", region: "eu-west-1", service: "states", hash: "UNSIGNED-PAYLOAD",
			code: "InvalidSignatureException", message: "signature we calculated does not match"},
		{name: "tampered body", region: "eu-west-1", service: "states", send: []byte(`{"maxResults":2}`),
			code: "InvalidSignatureException", message: "signature we calculated does not match"},
		{name: "tampered body with content hash header", region: "eu-west-1", service: "states", send: []byte(`{"maxResults":2}`),
			headers: map[string]string{"X-Amz-Content-Sha256": sha256Hex(signed)},
			code:    "InvalidSignatureException", message: "'x-amz-content-sha256' header does not match"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			send := signed
			if tt.send != nil {
				send = tt.send
			}
			req, _ := http.NewRequestWithContext(t.Context(), http.MethodPost, s.url, bytes.NewReader(send))
			req.Header.Set("Content-Type", "application/x-amz-json-1.0")
			req.Header.Set("X-Amz-Target", "AWSStepFunctions.ListStateMachines")
			for k, v := range tt.headers {
				req.Header.Set(k, v)
			}
			hash := tt.hash
			if hash == "" {
				hash = sha256Hex(signed)
			}
			signRequestHash(t, req, hash, tt.region, tt.service)
			status, out := do(t, req)
			if tt.code == "" {
				if status != 200 || out["__type"] != nil {
					t.Fatalf("got %d %v, want 200", status, out)
				}
				return
			}
			msg, _ := out["message"].(string)
			if status != 400 || out["__type"] != tt.code || !strings.Contains(msg, tt.message) {
				t.Errorf("got %d %v, want 400 %s with %q", status, out, tt.code, tt.message)
			}
		})
	}
}

// TestSigV4SDKRegion checks the SDK end to end: a client of the server's
// region works, a client of another region is refused.
func TestSigV4SDKRegion(t *testing.T) {
	s := startServer(t, api.Options{Region: "eu-west-1", Credentials: map[string]string{testKey: testSecret}}, nil)
	good := sfn.New(sfn.Options{Region: "eu-west-1", BaseEndpoint: aws.String(s.url), RetryMaxAttempts: 1,
		Credentials: aws.CredentialsProviderFunc(func(context.Context) (aws.Credentials, error) {
			return aws.Credentials{AccessKeyID: testKey, SecretAccessKey: testSecret}, nil
		})})
	if _, err := good.ListStateMachines(t.Context(), &sfn.ListStateMachinesInput{}); err != nil {
		t.Fatalf("client of the server's region: %v", err)
	}
	// s.client signs for us-east-1.
	_, err := s.client.ListStateMachines(t.Context(), &sfn.ListStateMachinesInput{})
	if err == nil || !strings.Contains(err.Error(), "InvalidSignatureException") || !strings.Contains(err.Error(), "valid region") {
		t.Fatalf("client of another region: %v, want InvalidSignatureException", err)
	}
}

// TestMetricsHandler checks that Handler.Metrics serves the metrics
// without a signature (for a listen address of their own) while /metrics
// of the API's handler wants one.
func TestMetricsHandler(t *testing.T) {
	svc, err := service.Open(service.Config{Store: memory.New()})
	if err != nil {
		t.Fatal(err)
	}
	defer svc.Close()
	h := api.NewHandler(svc, api.Options{Credentials: map[string]string{testKey: testSecret}})
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(http.MethodPost, "/", nil)) // counted in the metrics
	rec = httptest.NewRecorder()
	h.Metrics().ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/metrics", nil))
	if rec.Code != 200 || !strings.Contains(rec.Body.String(), "stepwise_api_requests_total") {
		t.Errorf("Metrics() = %d %q", rec.Code, rec.Body.String())
	}
	rec = httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/metrics", nil))
	if rec.Code != 400 || !strings.Contains(rec.Body.String(), "InvalidSignatureException") {
		t.Errorf("unsigned /metrics = %d %q", rec.Code, rec.Body.String())
	}
}

// TestRestrictHosts sends requests with foreign and local Host headers,
// as a page that rebinds its own name to 127.0.0.1 would.
func TestRestrictHosts(t *testing.T) {
	s := startServer(t, api.Options{}, nil)
	svcHandler := api.NewHandler(s.svc, api.Options{})
	hs := httptest.NewServer(api.RestrictHosts(svcHandler, api.HostOptions{Listen: "10.1.2.3:8083",
		Allowed: []string{"stepwise.internal", ".corp.example", "192.0.2.7"}}))
	defer hs.Close()
	tests := []struct {
		host string
		ok   bool
	}{
		{"evil.example", false},
		{"evil.example:8083", false},
		{"localhost.evil.example", false},
		{"sync-evil.example", false},
		{"127.0.0.1.evil.example", false},
		{"stepwise.internal.evil.example", false},
		{"corp.example", false},
		{"10.1.2.4:8083", false},
		{"[::2]:8083", false},
		{"localhost", true},
		{"localhost:8083", true},
		{"LOCALHOST.:8083", true},
		{"sync-localhost:8083", true},
		{"app.localhost", true},
		{"127.0.0.1:8083", true},
		{"127.3.4.5", true},
		{"[::1]:8083", true},
		{"10.1.2.3:8083", true}, // the listen address
		{"stepwise.internal", true},
		{"sync-stepwise.internal:8083", true},
		{"a.corp.example", true},
		{"192.0.2.7:80", true},
	}
	for _, tt := range tests {
		t.Run(tt.host, func(t *testing.T) {
			req, _ := http.NewRequestWithContext(t.Context(), http.MethodPost, hs.URL, strings.NewReader("{}"))
			req.Host = tt.host
			req.Header.Set("Content-Type", "application/x-amz-json-1.0")
			req.Header.Set("X-Amz-Target", "AWSStepFunctions.ListStateMachines")
			status, out := do(t, req)
			if tt.ok && status != 200 {
				t.Errorf("Host %q: %d %v, want 200", tt.host, status, out)
			}
			if !tt.ok && (status != 403 || out["__type"] != "AccessDeniedException") {
				t.Errorf("Host %q: %d %v, want 403 AccessDeniedException", tt.host, status, out)
			}
		})
	}
	// /healthz answers probes that name the host by any address.
	req, _ := http.NewRequestWithContext(t.Context(), http.MethodGet, hs.URL+"/healthz", nil)
	req.Host = "10.9.9.9"
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 200 {
		t.Errorf("/healthz with a foreign host: %d", resp.StatusCode)
	}
	// AllowIPs lets any address through, never a foreign name.
	ips := httptest.NewServer(api.RestrictHosts(svcHandler, api.HostOptions{AllowIPs: true}))
	defer ips.Close()
	for host, want := range map[string]int{"10.9.9.9:9090": 200, "[2001:db8::1]:9090": 200, "evil.example": 403} {
		req, _ := http.NewRequestWithContext(t.Context(), http.MethodPost, ips.URL, strings.NewReader("{}"))
		req.Host = host
		req.Header.Set("X-Amz-Target", "AWSStepFunctions.ListStateMachines")
		if status, out := do(t, req); status != want {
			t.Errorf("AllowIPs, Host %q: %d %v, want %d", host, status, out, want)
		}
	}
	// "*" turns the check off.
	open := httptest.NewServer(api.RestrictHosts(svcHandler, api.HostOptions{Allowed: []string{"*"}}))
	defer open.Close()
	req, _ = http.NewRequestWithContext(t.Context(), http.MethodPost, open.URL, strings.NewReader("{}"))
	req.Host = "evil.example"
	req.Header.Set("X-Amz-Target", "AWSStepFunctions.ListStateMachines")
	if status, out := do(t, req); status != 200 {
		t.Errorf("allowed '*': %d %v", status, out)
	}
}

// TestNextTokenBound pages with a token of one query in another, forges
// and edits tokens, and checks that AWS's InvalidToken refuses them all
// while the query that made a token goes on with it.
func TestNextTokenBound(t *testing.T) {
	st := memory.New()
	svc, err := service.Open(service.Config{Store: st})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { _ = svc.Run(ctx); close(done) }()
	key := bytes.Repeat([]byte{7}, 32)
	hs := httptest.NewServer(api.NewHandler(svc, api.Options{TokenKey: key}))
	// Another node sharing the store and the key, and one with its own key.
	peer := httptest.NewServer(api.NewHandler(svc, api.Options{TokenKey: key}))
	stranger := httptest.NewServer(api.NewHandler(svc, api.Options{}))
	t.Cleanup(func() {
		hs.Close()
		peer.Close()
		stranger.Close()
		cancel()
		<-done
		_ = svc.Close()
		_ = st.Close()
	})
	s := &server{url: hs.URL, svc: svc, client: newClient(hs.URL, testKey, testSecret)}
	smA := createMachine(t, s, "a", passMachine, types.StateMachineTypeStandard)
	smB := createMachine(t, s, "b", passMachine, types.StateMachineTypeStandard)
	createMachine(t, s, "c", passMachine, types.StateMachineTypeStandard)
	for _, sm := range []string{smA, smA, smA, smB, smB} {
		if _, err := s.client.StartExecution(t.Context(), &sfn.StartExecutionInput{StateMachineArn: aws.String(sm)}); err != nil {
			t.Fatal(err)
		}
	}
	for range 2 {
		if _, err := s.client.CreateActivity(t.Context(), &sfn.CreateActivityInput{Name: aws.String(fmt.Sprintf("act%d", time.Now().UnixNano()))}); err != nil {
			t.Fatal(err)
		}
	}
	call := func(url, action string, req map[string]any) (int, map[string]any) {
		t.Helper()
		b, _ := json.Marshal(req)
		return rawCall(t, url, action, b)
	}
	firstToken := func(action string, req map[string]any) string {
		t.Helper()
		req["maxResults"] = 1
		status, out := call(hs.URL, action, req)
		tok, _ := out["nextToken"].(string)
		if status != 200 || tok == "" {
			t.Fatalf("%s %v: %d %v, want a nextToken", action, req, status, out)
		}
		delete(req, "maxResults")
		return tok
	}
	machines := firstToken("ListStateMachines", map[string]any{})
	activities := firstToken("ListActivities", map[string]any{})
	execsA := firstToken("ListExecutions", map[string]any{"stateMachineArn": smA})
	exec, err := s.client.ListExecutions(t.Context(), &sfn.ListExecutionsInput{StateMachineArn: aws.String(smA), MaxResults: 1})
	if err != nil {
		t.Fatal(err)
	}
	execARN := aws.ToString(exec.Executions[0].ExecutionArn)
	history := firstToken("GetExecutionHistory", map[string]any{"executionArn": execARN})
	storeToken, _, _ := strings.Cut(machines, ".")

	refused := []struct {
		name   string
		url    string
		action string
		req    map[string]any
	}{
		{"machines token for activities", hs.URL, "ListActivities", map[string]any{"nextToken": machines}},
		{"activities token for machines", hs.URL, "ListStateMachines", map[string]any{"nextToken": activities}},
		{"executions of A for B", hs.URL, "ListExecutions", map[string]any{"stateMachineArn": smB, "nextToken": execsA}},
		{"executions with another status", hs.URL, "ListExecutions", map[string]any{"stateMachineArn": smA, "statusFilter": "SUCCEEDED", "nextToken": execsA}},
		{"executions token for history", hs.URL, "GetExecutionHistory", map[string]any{"executionArn": execARN, "nextToken": execsA}},
		{"history in reverse", hs.URL, "GetExecutionHistory", map[string]any{"executionArn": execARN, "reverseOrder": true, "nextToken": history}},
		{"the store's bare token", hs.URL, "ListStateMachines", map[string]any{"nextToken": storeToken}},
		{"a forged position", hs.URL, "ListStateMachines", map[string]any{"nextToken": store.EncodeToken(store.TokenStateMachines, 2) + machines[len(storeToken):]}},
		{"an edited tag", hs.URL, "ListStateMachines", map[string]any{"nextToken": machines[:len(machines)-2] + "AA"}},
		{"garbage", hs.URL, "ListStateMachines", map[string]any{"nextToken": "not.a-token"}},
		{"a node with another key", stranger.URL, "ListStateMachines", map[string]any{"nextToken": machines}},
	}
	for _, tt := range refused {
		t.Run(tt.name, func(t *testing.T) {
			status, out := call(tt.url, tt.action, tt.req)
			msg, _ := out["message"].(string)
			if status != 400 || out["__type"] != "InvalidToken" || !strings.HasPrefix(msg, "Invalid Token: '") {
				t.Errorf("%s %v: %d %v, want 400 InvalidToken", tt.action, tt.req, status, out)
			}
		})
	}
	accepted := []struct {
		name   string
		url    string
		action string
		req    map[string]any
		list   string
	}{
		{"machines", hs.URL, "ListStateMachines", map[string]any{"nextToken": machines}, "stateMachines"},
		{"machines on a peer", peer.URL, "ListStateMachines", map[string]any{"nextToken": machines}, "stateMachines"},
		{"activities", hs.URL, "ListActivities", map[string]any{"nextToken": activities}, "activities"},
		{"executions of A", hs.URL, "ListExecutions", map[string]any{"stateMachineArn": smA, "nextToken": execsA}, "executions"},
		{"executions with another page size", hs.URL, "ListExecutions", map[string]any{"stateMachineArn": smA, "maxResults": 5, "nextToken": execsA}, "executions"},
		{"history", hs.URL, "GetExecutionHistory", map[string]any{"executionArn": execARN, "includeExecutionData": false, "nextToken": history}, "events"},
	}
	for _, tt := range accepted {
		t.Run(tt.name, func(t *testing.T) {
			status, out := call(tt.url, tt.action, tt.req)
			items, _ := out[tt.list].([]any)
			if status != 200 || len(items) == 0 {
				t.Errorf("%s %v: %d %v, want the next page", tt.action, tt.req, status, out)
			}
		})
	}
	// The SDK's paginator walks every page.
	var n int
	for p := sfn.NewListExecutionsPaginator(s.client, &sfn.ListExecutionsInput{StateMachineArn: aws.String(smA), MaxResults: 1}); p.HasMorePages(); {
		page, err := p.NextPage(t.Context())
		if err != nil {
			t.Fatal(err)
		}
		n += len(page.Executions)
	}
	if n != 3 {
		t.Errorf("paginator saw %d executions of A, want 3", n)
	}
}

// TestSlowBody sends a request whose body trickles in: the handler stops
// waiting for it once BodyReadTimeout has passed, and the connection is
// answered and closed instead of being held.
func TestSlowBody(t *testing.T) {
	svc, err := service.Open(service.Config{Store: memory.New()})
	if err != nil {
		t.Fatal(err)
	}
	defer svc.Close()
	hs := httptest.NewServer(api.NewHandler(svc, api.Options{BodyReadTimeout: 100 * time.Millisecond}))
	defer hs.Close()
	conn, err := net.Dial("tcp", hs.Listener.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	fmt.Fprintf(conn, "POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Amz-Target: AWSStepFunctions.ListStateMachines\r\nContent-Length: 1000\r\n\r\n{")
	closed := make(chan error, 1)
	go func() {
		_, err := io.Copy(io.Discard, bufio.NewReader(conn))
		closed <- err
	}()
	tick := time.NewTicker(20 * time.Millisecond)
	defer tick.Stop()
	deadline := time.After(20 * time.Second)
	for {
		select {
		case <-closed:
			return // the server gave up on the body and closed the connection
		case <-tick.C:
			_, _ = conn.Write([]byte(" ")) // one byte at a time, never the whole body
		case <-deadline:
			t.Fatal("the server still waits for a trickling body after 20 s")
		}
	}
}
