package main

import (
	"bufio"
	"bytes"
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/json"
	"encoding/pem"
	"errors"
	"io"
	"math/big"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/sfn"
)

// hostRequest sends a request to url with the given Host header: a POST
// of an API action, or a GET of path (the console) when action is empty.
func hostRequest(t *testing.T, url, host, action, path string) (int, string) {
	t.Helper()
	method, body := http.MethodGet, io.Reader(nil)
	if action != "" {
		method, body = http.MethodPost, strings.NewReader("{}")
	}
	req, err := http.NewRequestWithContext(t.Context(), method, url+path, body)
	if err != nil {
		t.Fatal(err)
	}
	req.Host = host
	if action != "" {
		req.Header.Set("X-Amz-Target", "AWSStepFunctions."+action)
		req.Header.Set("Content-Type", "application/x-amz-json-1.0")
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

// TestServeRefusesForeignHost is DNS rebinding against a server without
// credentials: a page whose name resolves to 127.0.0.1 sends its requests
// with its own name as Host. The API and the console on the same port
// refuse them; loopback names, the listen address and --allowed-hosts
// pass.
func TestServeRefusesForeignHost(t *testing.T) {
	o := serverOptions{listen: "127.0.0.1:0", store: "memory", region: "us-east-1", account: "123456789012",
		logFormat: "text", logLevel: "error", allowedHosts: "stepwise.test, .corp.test"}
	url, _, _ := startServe(t, o)
	port := url[strings.LastIndex(url, ":")+1:]
	for _, host := range []string{"evil.example", "evil.example:" + port, "sync-evil.example:" + port, "localhost.evil.example"} {
		status, body := hostRequest(t, url, host, "ListStateMachines", "/")
		var e struct {
			Type    string `json:"__type"`
			Message string `json:"message"`
		}
		if err := json.Unmarshal([]byte(body), &e); err != nil || status != 403 || e.Type != "AccessDeniedException" || e.Message == "" {
			t.Errorf("API with Host %q: %d %s, want 403 AccessDeniedException", host, status, body)
		}
		if status, body := hostRequest(t, url, host, "", "/executions"); status != 403 || !strings.Contains(body, "AccessDeniedException") {
			t.Errorf("console with Host %q: %d %.80s, want 403", host, status, body)
		}
		if status, _ := hostRequest(t, url, host, "", "/metrics"); status != 403 {
			t.Errorf("/metrics with Host %q: %d, want 403", host, status)
		}
	}
	for _, host := range []string{"localhost:" + port, "sync-localhost:" + port, "127.0.0.1:" + port, "[::1]:" + port,
		"stepwise.test:" + port, "sync-stepwise.test:" + port, "ci.corp.test"} {
		if status, body := hostRequest(t, url, host, "ListStateMachines", "/"); status != 200 {
			t.Errorf("API with Host %q: %d %s, want 200", host, status, body)
		}
		if status, _ := hostRequest(t, url, host, "", "/executions"); status != 200 {
			t.Errorf("console with Host %q: %d, want 200", host, status)
		}
	}
}

// TestServeForeignHostWithCredentials checks that with credentials the
// Host is not restricted (a signature is the proof, and a rebinding page
// has none): a signed request for any name is served.
func TestServeForeignHostWithCredentials(t *testing.T) {
	o := serverOptions{listen: "127.0.0.1:0", store: "memory", region: "us-east-1", account: "123456789012",
		logFormat: "text", logLevel: "error", credentials: "AKIDTEST:sekrit"}
	url, _, _ := startServe(t, o)
	// The SDK signs the Host it sends; the endpoint names the server by a
	// name a rebinding page might use, resolved by the test's dialer.
	dialer := &net.Dialer{}
	addr := strings.TrimPrefix(url, "http://")
	hc := &http.Client{Transport: &http.Transport{DialContext: func(ctx context.Context, network, _ string) (net.Conn, error) {
		return dialer.DialContext(ctx, network, addr)
	}}}
	c := sfn.New(sfn.Options{Region: "us-east-1", BaseEndpoint: aws.String("http://stepwise.example:8083"), RetryMaxAttempts: 1, HTTPClient: hc,
		Credentials: credentials.NewStaticCredentialsProvider("AKIDTEST", "sekrit", "")})
	if _, err := c.ListStateMachines(t.Context(), &sfn.ListStateMachinesInput{}); err != nil {
		t.Fatalf("signed request for another host name: %v", err)
	}
	if status, _ := hostRequest(t, url, "evil.example", "ListStateMachines", "/"); status != 400 {
		t.Errorf("unsigned request: %d, want 400 (a missing signature)", status)
	}
}

// TestServeSlowLoris sends a request's headers one byte at a time: the
// server closes the connection once the header timeout has passed
// instead of waiting forever.
func TestServeSlowLoris(t *testing.T) {
	o := serverOptions{listen: "127.0.0.1:0", store: "memory", region: "us-east-1", account: "123456789012",
		logFormat: "text", logLevel: "error", timeouts: serverTimeouts{readHeader: 200 * time.Millisecond}}
	url, _, _ := startServe(t, o)
	trickle(t, url, nil, []byte("POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Amz-Target: AWSStepFunctions.ListStateMachines\r\nX-Padding: "+strings.Repeat("a", 10000)))
}

// TestServeSlowBody sends whole headers and then a body one byte at a
// time: the server stops waiting for the body after the body timeout and
// closes the connection.
func TestServeSlowBody(t *testing.T) {
	o := serverOptions{listen: "127.0.0.1:0", store: "memory", region: "us-east-1", account: "123456789012",
		logFormat: "text", logLevel: "error", timeouts: serverTimeouts{body: 200 * time.Millisecond}}
	url, _, _ := startServe(t, o)
	trickle(t, url, []byte("POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Amz-Target: AWSStepFunctions.ListStateMachines\r\nContent-Length: 100000\r\n\r\n"),
		bytes.Repeat([]byte(" "), 100000))
}

// trickle connects to url's server, writes head at once and then slow one
// byte at a time, and returns when the server closes the connection. It
// fails the test if the server still holds the connection after 30 s.
func trickle(t *testing.T, url string, head, slow []byte) {
	t.Helper()
	conn, err := net.Dial("tcp", strings.TrimPrefix(url, "http://"))
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	closed := make(chan struct{})
	go func() {
		_, _ = io.Copy(io.Discard, bufio.NewReader(conn))
		close(closed)
	}()
	if _, err := conn.Write(head); err != nil {
		t.Fatal(err)
	}
	tick := time.NewTicker(20 * time.Millisecond)
	defer tick.Stop()
	deadline := time.After(30 * time.Second)
	for i := 0; ; i++ {
		select {
		case <-closed:
			return
		case <-tick.C:
			if i < len(slow) {
				_, _ = conn.Write(slow[i : i+1])
			}
		case <-deadline:
			t.Fatal("the connection of a client trickling its request is still open after 30 s")
		}
	}
}

// TestServeMetricsAddr checks --metrics-addr with credentials on: the
// API's /metrics wants a signature, the metrics address serves them
// without one.
func TestServeMetricsAddr(t *testing.T) {
	o := serverOptions{listen: "127.0.0.1:0", store: "memory", region: "us-east-1", account: "123456789012",
		logFormat: "json", logLevel: "info", credentials: "AKIDTEST:sekrit", metricsAddr: "127.0.0.1:0"}
	url, logs, _ := startServe(t, o)
	m := regexp.MustCompile(`"msg":"metrics listening","addr":"(http://[^"]+)/metrics"`).FindStringSubmatch(logs.String())
	if m == nil {
		t.Fatalf("no metrics address in the log:\n%s", logs)
	}
	if status, body := hostRequest(t, url, "127.0.0.1", "", "/metrics"); status != 400 || !strings.Contains(body, "InvalidSignatureException") {
		t.Errorf("unsigned /metrics on the API's port: %d %.100s", status, body)
	}
	if text := metricsText(t, url, "AKIDTEST", "sekrit", "us-east-1"); !strings.Contains(text, "go_goroutines") {
		t.Errorf("signed /metrics on the API's port lacks go_goroutines")
	}
	if text := metricsText(t, m[1]); !strings.Contains(text, "go_goroutines") {
		t.Errorf("/metrics on --metrics-addr lacks go_goroutines")
	}
	// The metrics port serves only metrics and health.
	if status, _ := hostRequest(t, m[1], "127.0.0.1", "ListStateMachines", "/"); status != 404 && status != 405 {
		t.Errorf("API call on the metrics port: %d, want 404 or 405", status)
	}
	if status, _ := hostRequest(t, m[1], "evil.example", "", "/metrics"); status != 403 {
		t.Errorf("/metrics on the metrics port for a foreign name: %d, want 403", status)
	}
}

// TestServeNextTokenAcrossRestart checks that a nextToken survives a
// restart of a SQLite server: its key is the store's server secret.
func TestServeNextTokenAcrossRestart(t *testing.T) {
	o := serverOptions{listen: "127.0.0.1:0", dataDir: t.TempDir(), store: "sqlite", region: "us-east-1", account: "123456789012",
		logFormat: "text", logLevel: "error"}
	url, _, stop := startServe(t, o)
	c := sfn.New(sfn.Options{Region: "us-east-1", BaseEndpoint: aws.String(url), RetryMaxAttempts: 1,
		Credentials: credentials.NewStaticCredentialsProvider("local", "local", "")})
	for _, name := range []string{"a", "b"} {
		if _, err := c.CreateStateMachine(t.Context(), &sfn.CreateStateMachineInput{Name: aws.String(name), RoleArn: aws.String("arn:aws:iam::123456789012:role/r"),
			Definition: aws.String(`{"StartAt":"A","States":{"A":{"Type":"Pass","End":true}}}`)}); err != nil {
			t.Fatal(err)
		}
	}
	page, err := c.ListStateMachines(t.Context(), &sfn.ListStateMachinesInput{MaxResults: 1})
	if err != nil || page.NextToken == nil {
		t.Fatalf("first page: %v %v", page, err)
	}
	stop()
	url, _, _ = startServe(t, o)
	c = sfn.New(sfn.Options{Region: "us-east-1", BaseEndpoint: aws.String(url), RetryMaxAttempts: 1,
		Credentials: credentials.NewStaticCredentialsProvider("local", "local", "")})
	next, err := c.ListStateMachines(t.Context(), &sfn.ListStateMachinesInput{NextToken: page.NextToken})
	if err != nil || len(next.StateMachines) != 1 || aws.ToString(next.StateMachines[0].Name) != "b" {
		t.Fatalf("second page after a restart: %v %v", next, err)
	}
}

// TestParseServerTLS checks that --tls-cert and --tls-key go together.
func TestParseServerTLS(t *testing.T) {
	for _, args := range [][]string{{"--tls-cert", "c.pem"}, {"--tls-key", "k.pem"}} {
		if _, err := parseServer(args, func(string) string { return "" }, new(bytes.Buffer)); err == nil || !strings.Contains(err.Error(), "--tls-cert and --tls-key go together") {
			t.Errorf("%v: %v, want the both-or-neither error", args, err)
		}
	}
	o, err := parseServer(nil, func(k string) string {
		return map[string]string{"STEPWISE_TLS_CERT": "c.pem", "STEPWISE_TLS_KEY": "k.pem", "STEPWISE_ALLOWED_HOSTS": "a,b", "STEPWISE_METRICS_ADDR": ":9090"}[k]
	}, new(bytes.Buffer))
	if err != nil || o.tlsCert != "c.pem" || o.tlsKey != "k.pem" || o.allowedHosts != "a,b" || o.metricsAddr != ":9090" {
		t.Errorf("from the environment: %+v %v", o, err)
	}
	// A key that is not the certificate's is a usage error at start.
	dir := t.TempDir()
	cert, _ := writeSelfSigned(t, dir)
	_, otherKey := writeSelfSigned(t, t.TempDir())
	err = serve(t.Context(), serverOptions{listen: "127.0.0.1:0", store: "memory", logFormat: "text", logLevel: "error", tlsCert: cert, tlsKey: otherKey}, new(bytes.Buffer), nil)
	var ue usageError
	if !errors.As(err, &ue) || !strings.Contains(err.Error(), "--tls-cert") {
		t.Errorf("mismatched key: %v, want a usage error naming --tls-cert", err)
	}
}

// writeSelfSigned writes a self-signed certificate for 127.0.0.1 and
// localhost and its key into dir, and returns their paths.
func writeSelfSigned(t *testing.T, dir string) (certFile, keyFile string) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1),
		Subject:      pkix.Name{CommonName: "stepwise test"},
		NotBefore:    time.Now().Add(-time.Hour),
		NotAfter:     time.Now().Add(time.Hour),
		KeyUsage:     x509.KeyUsageDigitalSignature,
		ExtKeyUsage:  []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		DNSNames:     []string{"localhost"},
		IPAddresses:  []net.IP{net.IPv4(127, 0, 0, 1)},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	keyDER, err := x509.MarshalPKCS8PrivateKey(key)
	if err != nil {
		t.Fatal(err)
	}
	certFile, keyFile = filepath.Join(dir, "cert.pem"), filepath.Join(dir, "key.pem")
	if err := os.WriteFile(certFile, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(keyFile, pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: keyDER}), 0o600); err != nil {
		t.Fatal(err)
	}
	return certFile, keyFile
}

// TestServeTLS serves HTTPS with a self-signed certificate and drives it
// with an SDK client that trusts that certificate, with SigV4 on.
func TestServeTLS(t *testing.T) {
	dir := t.TempDir()
	certFile, keyFile := writeSelfSigned(t, dir)
	o := serverOptions{listen: "127.0.0.1:0", store: "memory", region: "us-east-1", account: "123456789012",
		logFormat: "json", logLevel: "info", credentials: "AKIDTEST:sekrit", tlsCert: certFile, tlsKey: keyFile}
	url, logs, _ := startServe(t, o)
	httpsURL := "https://" + strings.TrimPrefix(url, "http://")
	if !strings.Contains(logs.String(), `"addr":"`+httpsURL+`"`) {
		t.Errorf("the log does not name %s:\n%s", httpsURL, logs)
	}
	pemBytes, err := os.ReadFile(certFile)
	if err != nil {
		t.Fatal(err)
	}
	pool := x509.NewCertPool()
	pool.AppendCertsFromPEM(pemBytes)
	hc := &http.Client{Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: pool, MinVersion: tls.VersionTLS12}}}
	c := sfn.New(sfn.Options{Region: "us-east-1", BaseEndpoint: aws.String(httpsURL), RetryMaxAttempts: 1, HTTPClient: hc,
		Credentials: credentials.NewStaticCredentialsProvider("AKIDTEST", "sekrit", "")})
	sm, err := c.CreateStateMachine(t.Context(), &sfn.CreateStateMachineInput{Name: aws.String("tls"), RoleArn: aws.String("arn:aws:iam::123456789012:role/r"),
		Definition: aws.String(`{"StartAt":"A","States":{"A":{"Type":"Pass","End":true}}}`)})
	if err != nil {
		t.Fatalf("CreateStateMachine over HTTPS: %v", err)
	}
	if d, err := c.DescribeStateMachine(t.Context(), &sfn.DescribeStateMachineInput{StateMachineArn: sm.StateMachineArn}); err != nil || aws.ToString(d.Name) != "tls" {
		t.Fatalf("DescribeStateMachine over HTTPS: %v %v", d, err)
	}
	// A client that does not trust the certificate is refused by TLS.
	untrusting := sfn.New(sfn.Options{Region: "us-east-1", BaseEndpoint: aws.String(httpsURL), RetryMaxAttempts: 1,
		Credentials: credentials.NewStaticCredentialsProvider("AKIDTEST", "sekrit", "")})
	if _, err := untrusting.ListStateMachines(t.Context(), &sfn.ListStateMachinesInput{}); err == nil || !strings.Contains(err.Error(), "certificate") {
		t.Errorf("client without the certificate: %v, want a certificate error", err)
	}
	// Plain HTTP to the HTTPS port gets no API answer.
	if resp, err := http.Get(url + "/healthz"); err == nil {
		resp.Body.Close()
		if resp.StatusCode == 200 {
			t.Errorf("plain HTTP to the HTTPS port answered 200")
		}
	}
}
