package main

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"runtime/debug"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/sfn"
	"github.com/aws/aws-sdk-go-v2/service/sfn/types"
	"github.com/google/go-cmp/cmp"
)

func TestParseServer(t *testing.T) {
	defaults := serverOptions{listen: "127.0.0.1:8083", dataDir: ".stepwise", store: "sqlite", region: "us-east-1",
		account: "123456789012", logFormat: "text", logLevel: "info"}
	tests := []struct {
		name    string
		args    []string
		env     map[string]string
		want    func(o *serverOptions)
		wantErr string
	}{
		{name: "defaults", want: func(*serverOptions) {}},
		{name: "env", env: map[string]string{"STEPWISE_LISTEN": "127.0.0.1:9000", "STEPWISE_STORE": "memory",
			"STEPWISE_REGION": "eu-west-1", "STEPWISE_CREDENTIALS": "a:b", "STEPWISE_INSECURE": "true", "STEPWISE_LOG_FORMAT": "json"},
			want: func(o *serverOptions) {
				o.listen, o.store, o.region, o.credentials, o.insecure, o.logFormat = "127.0.0.1:9000", "memory", "eu-west-1", "a:b", true, "json"
			}},
		{name: "flags win", args: []string{"--listen", "127.0.0.1:9001", "--store", "sqlite", "--data-dir", "/tmp/x", "--account", "111122223333", "--log-level", "debug"},
			env: map[string]string{"STEPWISE_LISTEN": "127.0.0.1:9000", "STEPWISE_STORE": "memory"},
			want: func(o *serverOptions) {
				o.listen, o.dataDir, o.account, o.logLevel = "127.0.0.1:9001", "/tmp/x", "111122223333", "debug"
			}},
		{name: "task flags", args: []string{"--lambda-endpoint", "http://127.0.0.1:3001", "--aws-endpoint", "dynamodb=http://127.0.0.1:8000"},
			want: func(o *serverOptions) {
				o.invokers.lambdaEndpoint, o.invokers.awsEndpoints = "http://127.0.0.1:3001", endpointFlag{"dynamodb": "http://127.0.0.1:8000"}
			}},
		{name: "postgres", args: []string{"--store", "postgres"}, env: map[string]string{"STEPWISE_DATABASE_URL": "postgres://u@db:5432/sw"},
			want: func(o *serverOptions) { o.store, o.databaseURL = "postgres", "postgres://u@db:5432/sw" }},
		{name: "postgres without a database", args: []string{"--store", "postgres"}, wantErr: "--database-url"},
		{name: "bad store", args: []string{"--store", "mysql"}, wantErr: "--store"},
		{name: "bad log format", args: []string{"--log-format", "xml"}, wantErr: "--log-format"},
		{name: "bad log level", args: []string{"--log-level", "loud"}, wantErr: "--log-level"},
		{name: "stray argument", args: []string{"extra"}, wantErr: "unexpected argument"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var stderr bytes.Buffer
			got, err := parseServer(tt.args, func(k string) string { return tt.env[k] }, &stderr)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("error = %v, want %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			want := defaults
			tt.want(&want)
			if d := cmp.Diff(want, got, cmp.AllowUnexported(serverOptions{}, invokerOptions{}, serverTimeouts{})); d != "" {
				t.Errorf("options (-want +got):\n%s", d)
			}
		})
	}
}

func TestLoadCredentials(t *testing.T) {
	file := filepath.Join(t.TempDir(), "creds")
	os.WriteFile(file, []byte("# keys\nAKID1:secret1\n\n AKID2 : secret2 \n"), 0o600)
	got, err := loadCredentials(serverOptions{credentialsFile: file, credentials: "AKID3:s3,AKID4:s4"})
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{"AKID1": "secret1", "AKID2": "secret2", "AKID3": "s3", "AKID4": "s4"}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("credentials (-want +got):\n%s", d)
	}
	os.WriteFile(file, []byte("no-colon\n"), 0o600)
	if _, err := loadCredentials(serverOptions{credentialsFile: file}); err == nil || !strings.Contains(err.Error(), ":1:") {
		t.Errorf("bad line: %v", err)
	}
	if _, err := loadCredentials(serverOptions{credentialsFile: filepath.Join(t.TempDir(), "missing")}); err == nil {
		t.Errorf("missing file: no error")
	}
}

func TestServeRefusesOpenAddressWithoutCredentials(t *testing.T) {
	o := serverOptions{listen: "0.0.0.0:0", store: "memory", logFormat: "text", logLevel: "info"}
	err := serve(t.Context(), o, new(bytes.Buffer), nil)
	var ue usageError
	if !errors.As(err, &ue) || !strings.Contains(err.Error(), "--insecure") {
		t.Fatalf("serve = %v, want a usage error naming --insecure", err)
	}
	var stderr bytes.Buffer
	if code := run(t.Context(), []string{"server", "--listen", ":0", "--store", "memory"}, nil, new(bytes.Buffer), &stderr); code != exitUsage {
		t.Errorf("exit code %d, want %d (%s)", code, exitUsage, stderr.String())
	}
}

func TestIsLoopback(t *testing.T) {
	for addr, want := range map[string]bool{
		"127.0.0.1:8083": true, "localhost:1": true, "[::1]:80": true, "127.9.9.9:1": true,
		":8083": false, "0.0.0.0:1": false, "192.168.1.1:1": false, "example.com:1": false, "bad": false,
	} {
		if got := isLoopback(addr); got != want {
			t.Errorf("isLoopback(%q) = %v", addr, got)
		}
	}
}

// startServe runs serve in the background and returns its address and a
// function that stops it (as SIGTERM would) and checks that it stopped
// cleanly; the server is also stopped when the test ends.
func startServe(t *testing.T, o serverOptions) (url string, logs *syncBuffer, stop func()) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	logs = &syncBuffer{}
	addrs := make(chan net.Addr, 1)
	done := make(chan error, 1)
	go func() { done <- serve(ctx, o, logs, func(a net.Addr) { addrs <- a }) }()
	var addr net.Addr
	select {
	case addr = <-addrs:
	case err := <-done:
		cancel()
		t.Fatalf("serve: %v\n%s", err, logs)
	}
	var once sync.Once
	stop = func() {
		once.Do(func() {
			cancel()
			if err := <-done; err != nil {
				t.Errorf("serve returned %v", err)
			}
		})
	}
	t.Cleanup(stop)
	return "http://" + addr.String(), logs, stop
}

type syncBuffer struct {
	mu sync.Mutex // guards b
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// TestServeSQLite drives a server on the SQLite store with SigV4 on
// through the SDK, and checks that a long poll does not hold up shutdown.
func TestServeSQLite(t *testing.T) {
	dir := t.TempDir()
	o := serverOptions{listen: "127.0.0.1:0", dataDir: dir, store: "sqlite", region: "eu-west-1", account: "111122223333",
		credentials: "AKIDTEST:sekrit", logFormat: "json", logLevel: "info"}
	url, logs, stop := startServe(t, o)
	if !strings.Contains(logs.String(), `"addr":"`+url+`"`) {
		t.Errorf("the log does not name the address %s:\n%s", url, logs)
	}
	if _, err := os.Stat(filepath.Join(dir, "stepwise.db")); err != nil {
		t.Errorf("no SQLite file: %v", err)
	}
	c := sfn.New(sfn.Options{Region: "eu-west-1", BaseEndpoint: aws.String(url), RetryMaxAttempts: 1,
		Credentials: credentials.NewStaticCredentialsProvider("AKIDTEST", "sekrit", "")})
	ctx := t.Context()
	sm, err := c.CreateStateMachine(ctx, &sfn.CreateStateMachineInput{Name: aws.String("hello"), RoleArn: aws.String("arn:aws:iam::111122223333:role/r"),
		Definition: aws.String(`{"StartAt":"A","States":{"A":{"Type":"Pass","Result":"hi","End":true}}}`)})
	if err != nil {
		t.Fatal(err)
	}
	if want := "arn:aws:states:eu-west-1:111122223333:stateMachine:hello"; *sm.StateMachineArn != want {
		t.Errorf("arn = %s, want %s", *sm.StateMachineArn, want)
	}
	ex, err := c.StartExecution(ctx, &sfn.StartExecutionInput{StateMachineArn: sm.StateMachineArn})
	if err != nil {
		t.Fatal(err)
	}
	d, err := c.DescribeExecution(ctx, &sfn.DescribeExecutionInput{ExecutionArn: ex.ExecutionArn})
	if err != nil {
		t.Fatal(err)
	}
	if d.Status != types.ExecutionStatusSucceeded || aws.ToString(d.Output) != `"hi"` {
		t.Errorf("execution %s %s", d.Status, aws.ToString(d.Output))
	}
	// Unsigned requests are refused.
	bad := sfn.New(sfn.Options{Region: "eu-west-1", BaseEndpoint: aws.String(url), RetryMaxAttempts: 1,
		Credentials: credentials.NewStaticCredentialsProvider("AKIDTEST", "wrong", "")})
	if _, err := bad.ListStateMachines(ctx, &sfn.ListStateMachinesInput{}); err == nil {
		t.Errorf("a wrongly signed request was accepted")
	}
	// A worker long-polling an activity when the server stops.
	act, err := c.CreateActivity(ctx, &sfn.CreateActivityInput{Name: aws.String("idle")})
	if err != nil {
		t.Fatal(err)
	}
	polled := make(chan error, 1)
	go func() {
		_, err := c.GetActivityTask(context.Background(), &sfn.GetActivityTaskInput{ActivityArn: act.ActivityArn})
		polled <- err
	}()
	// Stop once the poll is under way.
	tick := time.NewTicker(5 * time.Millisecond)
	defer tick.Stop()
	deadline := time.After(10 * time.Second)
	for !strings.Contains(metricsText(t, url, "AKIDTEST", "sekrit", "eu-west-1"), `stepwise_api_requests_in_flight{action="GetActivityTask"} 1`) {
		select {
		case <-tick.C:
		case <-deadline:
			t.Fatal("the GetActivityTask poll never reached the server")
		}
	}
	stopped := make(chan struct{})
	go func() { stop(); close(stopped) }()
	select {
	case err := <-polled:
		if err != nil {
			t.Errorf("GetActivityTask at shutdown: %v", err)
		}
	case <-time.After(10 * time.Second):
		t.Errorf("GetActivityTask still waiting 10 s after shutdown began")
	}
	<-stopped
}

// metricsText reads /metrics; with credentials (key, secret and region)
// it signs the request, as a server with credentials requires.
func metricsText(t *testing.T, url string, creds ...string) string {
	t.Helper()
	req, err := http.NewRequestWithContext(t.Context(), http.MethodGet, url+"/metrics", nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(creds) == 3 {
		sum := sha256.Sum256(nil)
		if err := v4.NewSigner().SignHTTP(t.Context(), aws.Credentials{AccessKeyID: creds[0], SecretAccessKey: creds[1]}, req,
			hex.EncodeToString(sum[:]), "states", creds[2], time.Now()); err != nil {
			t.Fatal(err)
		}
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return string(b)
}

// TestAWSCLI is the script test: the AWS CLI creates a state machine from
// a file, starts an execution, waits for it and reads its history.
func TestAWSCLI(t *testing.T) {
	cli := "/usr/bin/aws" // Debian's awscli package: the AWS CLI v2
	if _, err := os.Stat(cli); err != nil {
		if cli, err = exec.LookPath("aws"); err != nil {
			t.Skip("the AWS CLI is not installed (.ci/run installs Debian's awscli)")
		}
	}
	url, _, _ := startServe(t, serverOptions{listen: "127.0.0.1:0", store: "memory", credentials: "AKIDCLI:clisecret", logFormat: "text", logLevel: "warn"})
	dir := t.TempDir()
	def := filepath.Join(dir, "hello.asl.json")
	os.WriteFile(def, []byte(`{"StartAt":"Greet","States":{"Greet":{"Type":"Pass","Parameters":{"greeting.$":"States.Format('hello {}', $.who)"},"Next":"Done"},"Done":{"Type":"Succeed"}}}`), 0o644)
	env := append(os.Environ(), "AWS_ACCESS_KEY_ID=AKIDCLI", "AWS_SECRET_ACCESS_KEY=clisecret", "AWS_DEFAULT_REGION=us-east-1",
		"AWS_CONFIG_FILE="+filepath.Join(dir, "none"), "AWS_SHARED_CREDENTIALS_FILE="+filepath.Join(dir, "none"), "AWS_PAGER=",
		"AWS_DISABLE_HOST_PREFIX_INJECTION=true")
	aws := func(args ...string) map[string]any {
		t.Helper()
		cmd := exec.CommandContext(t.Context(), cli, append([]string{"stepfunctions"}, append(args, "--endpoint-url", url, "--output", "json")...)...)
		cmd.Env = env
		out, err := cmd.Output()
		if err != nil {
			var ee *exec.ExitError
			if errors.As(err, &ee) {
				t.Fatalf("aws %s: %v\n%s", strings.Join(args, " "), err, ee.Stderr)
			}
			t.Fatalf("aws %s: %v", strings.Join(args, " "), err)
		}
		var m map[string]any
		if err := json.Unmarshal(out, &m); err != nil {
			t.Fatalf("aws %s printed %q", args[0], out)
		}
		return m
	}
	created := aws("create-state-machine", "--name", "hello", "--definition", "file://"+def, "--role-arn", "arn:aws:iam::123456789012:role/r")
	smARN, _ := created["stateMachineArn"].(string)
	started := aws("start-execution", "--state-machine-arn", smARN, "--name", "first", "--input", `{"who":"world"}`)
	exARN, _ := started["executionArn"].(string)
	var desc map[string]any
	deadline := time.Now().Add(20 * time.Second)
	for desc = aws("describe-execution", "--execution-arn", exARN); desc["status"] == "RUNNING" && time.Now().Before(deadline); {
		desc = aws("describe-execution", "--execution-arn", exARN)
	}
	if desc["status"] != "SUCCEEDED" || desc["output"] != `{"greeting":"hello world"}` {
		t.Errorf("describe-execution = %v", desc)
	}
	hist := aws("get-execution-history", "--execution-arn", exARN)
	events, _ := hist["events"].([]any)
	var kinds []string
	for _, e := range events {
		kinds = append(kinds, e.(map[string]any)["type"].(string))
	}
	if len(kinds) == 0 || kinds[0] != "ExecutionStarted" || kinds[len(kinds)-1] != "ExecutionSucceeded" {
		t.Errorf("history = %v", kinds)
	}

	t.Run("StartSyncExecution", func(t *testing.T) {
		// As the README says for the CLI v2 from Debian, which always
		// prepends "sync-" to the host: the endpoint is localhost and
		// sync-localhost resolves through /etc/hosts (.ci/run adds it).
		if addrs, err := net.DefaultResolver.LookupHost(t.Context(), "sync-localhost"); err != nil || len(addrs) == 0 {
			t.Skip("sync-localhost does not resolve; add '127.0.0.1 sync-localhost' to /etc/hosts (.ci/run does)")
		}
		local := strings.Replace(url, "127.0.0.1", "localhost", 1)
		aws("create-state-machine", "--name", "fast", "--type", "EXPRESS", "--definition", "file://"+def, "--role-arn", "arn:aws:iam::123456789012:role/r")
		cmd := exec.CommandContext(t.Context(), cli, "stepfunctions", "start-sync-execution", "--endpoint-url", local, "--output", "json",
			"--state-machine-arn", strings.Replace(smARN, ":hello", ":fast", 1), "--input", `{"who":"sync"}`)
		cmd.Env = slices.DeleteFunc(slices.Clone(env), func(kv string) bool { return strings.HasPrefix(kv, "AWS_DISABLE_HOST_PREFIX_INJECTION=") })
		out, err := cmd.Output()
		if err != nil {
			var ee *exec.ExitError
			if errors.As(err, &ee) {
				t.Fatalf("start-sync-execution: %v\n%s", err, ee.Stderr)
			}
			t.Fatal(err)
		}
		var res map[string]any
		if err := json.Unmarshal(out, &res); err != nil {
			t.Fatalf("start-sync-execution printed %q", out)
		}
		if res["status"] != "SUCCEEDED" || res["output"] != `{"greeting":"hello sync"}` {
			t.Errorf("start-sync-execution = %v", res)
		}
	})

	t.Run("DisableHostPrefixInjection", func(t *testing.T) {
		// A CLI with a recent botocore (v1 from pip, as on this machine's
		// PATH) honours AWS_DISABLE_HOST_PREFIX_INJECTION, as the README says.
		v1, err := exec.LookPath("aws")
		if err != nil || v1 == cli {
			t.Skip("no second AWS CLI (pip's awscli) on PATH")
		}
		aws("create-state-machine", "--name", "fast2", "--type", "EXPRESS", "--definition", "file://"+def, "--role-arn", "arn:aws:iam::123456789012:role/r")
		cmd := exec.CommandContext(t.Context(), v1, "stepfunctions", "start-sync-execution", "--endpoint-url", url, "--output", "json",
			"--state-machine-arn", strings.Replace(smARN, ":hello", ":fast2", 1), "--input", `{"who":"v1"}`)
		cmd.Env = env
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("%s start-sync-execution: %v\n%s", v1, err, out)
		}
		var res map[string]any
		if err := json.Unmarshal(out, &res); err != nil || res["output"] != `{"greeting":"hello v1"}` {
			t.Errorf("start-sync-execution printed %s", out)
		}
	})
}

// TestServeLambdaEndpoint checks that the server's Task states reach
// Lambda through --lambda-endpoint, like `stepwise run`.
func TestServeLambdaEndpoint(t *testing.T) {
	lam := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !strings.Contains(r.URL.Path, "/functions/echo/invocations") {
			http.NotFound(w, r)
			return
		}
		body, _ := io.ReadAll(r.Body)
		w.Write([]byte(`{"echoed":` + string(body) + `}`))
	}))
	defer lam.Close()
	o := serverOptions{listen: "127.0.0.1:0", store: "memory", logFormat: "text", logLevel: "warn",
		invokers: invokerOptions{lambdaEndpoint: lam.URL}}
	url, _, stop := startServe(t, o)
	defer stop()
	c := sfn.New(sfn.Options{Region: "us-east-1", BaseEndpoint: aws.String(url), RetryMaxAttempts: 1,
		Credentials: credentials.NewStaticCredentialsProvider("k", "s", "")})
	ctx := t.Context()
	sm, err := c.CreateStateMachine(ctx, &sfn.CreateStateMachineInput{Name: aws.String("calls"), RoleArn: aws.String("arn:aws:iam::123456789012:role/r"),
		Definition: aws.String(`{"StartAt":"T","States":{"T":{"Type":"Task","Resource":"arn:aws:lambda:us-east-1:123456789012:function:echo","End":true}}}`)})
	if err != nil {
		t.Fatal(err)
	}
	ex, err := c.StartExecution(ctx, &sfn.StartExecutionInput{StateMachineArn: sm.StateMachineArn, Input: aws.String(`{"x":1}`)})
	if err != nil {
		t.Fatal(err)
	}
	tick := time.NewTicker(5 * time.Millisecond)
	defer tick.Stop()
	deadline := time.After(10 * time.Second)
	for {
		d, err := c.DescribeExecution(ctx, &sfn.DescribeExecutionInput{ExecutionArn: ex.ExecutionArn})
		if err != nil {
			t.Fatal(err)
		}
		if d.Status != types.ExecutionStatusRunning {
			if d.Status != types.ExecutionStatusSucceeded || aws.ToString(d.Output) != `{"echoed":{"x":1}}` {
				t.Errorf("execution %s %s %s %s", d.Status, aws.ToString(d.Output), aws.ToString(d.Error), aws.ToString(d.Cause))
			}
			return
		}
		select {
		case <-tick.C:
		case <-deadline:
			t.Fatal("execution still running")
		}
	}
}

// TestServeConsole checks that the server answers browsers with the console
// and API calls with the API, on one port.
func TestServeConsole(t *testing.T) {
	o := serverOptions{listen: "127.0.0.1:0", dataDir: t.TempDir(), store: "memory", region: "us-east-1", account: "123456789012",
		logFormat: "text", logLevel: "error"}
	url, _, stop := startServe(t, o)
	defer stop()
	resp, err := http.Get(url + "/executions")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 200 || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/html") {
		t.Errorf("GET /executions: %d %s, want the console's page", resp.StatusCode, resp.Header.Get("Content-Type"))
	}
	req, _ := http.NewRequest("POST", url+"/", strings.NewReader("{}"))
	req.Header.Set("X-Amz-Target", "AWSStepFunctions.ListActivities")
	req.Header.Set("Content-Type", "application/x-amz-json-1.0")
	resp, err = http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 200 || resp.Header.Get("Content-Type") != "application/x-amz-json-1.0" {
		t.Errorf("API call: %d %s", resp.StatusCode, resp.Header.Get("Content-Type"))
	}
}

// TestServeMetrics checks that /metrics reports what the service did.
func TestServeMetrics(t *testing.T) {
	o := serverOptions{listen: "127.0.0.1:0", dataDir: t.TempDir(), store: "memory", region: "us-east-1", account: "123456789012",
		logFormat: "text", logLevel: "error"}
	url, _, stop := startServe(t, o)
	defer stop()
	call := func(action, body string) {
		req, _ := http.NewRequest("POST", url+"/", strings.NewReader(body))
		req.Header.Set("X-Amz-Target", "AWSStepFunctions."+action)
		req.Header.Set("Content-Type", "application/x-amz-json-1.0")
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != 200 {
			t.Fatalf("%s: %d", action, resp.StatusCode)
		}
	}
	call("CreateStateMachine", `{"name":"m","roleArn":"arn:aws:iam::123456789012:role/r","definition":"{\"StartAt\":\"A\",\"States\":{\"A\":{\"Type\":\"Pass\",\"Next\":\"B\"},\"B\":{\"Type\":\"Succeed\"}}}"}`)
	call("StartExecution", `{"stateMachineArn":"arn:aws:states:us-east-1:123456789012:stateMachine:m"}`)
	resp, err := http.Get(url + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	for _, want := range []string{
		`stepwise_service_executions_ended_total{state_machine_arn="arn:aws:states:us-east-1:123456789012:stateMachine:m",status="SUCCEEDED"} 1`,
		`stepwise_service_state_transitions_total{state_machine_arn="arn:aws:states:us-east-1:123456789012:stateMachine:m"} 2`,
		`stepwise_service_executions_open 0`,
		`stepwise_service_commit_duration_seconds_count{outcome="ok"} 1`,
		`go_goroutines`,
	} {
		if !strings.Contains(string(body), want) {
			t.Errorf("/metrics lacks %s", want)
		}
	}
}

// TestTuneGC checks that the server raises the GC target only when the
// user has not chosen one with GOGC.
func TestTuneGC(t *testing.T) {
	orig := debug.SetGCPercent(100)
	defer debug.SetGCPercent(orig)
	for _, tt := range []struct {
		gogc string
		want int
	}{
		{"", serverGCPercent},
		{"100", 100},
		{"off", 100},
	} {
		debug.SetGCPercent(100)
		tuneGC(func(k string) string {
			if k == "GOGC" {
				return tt.gogc
			}
			return ""
		})
		if got := debug.SetGCPercent(100); got != tt.want {
			t.Errorf("GOGC=%q: GC percent %d, want %d", tt.gogc, got, tt.want)
		}
	}
}

func TestNodeName(t *testing.T) {
	host := func() (string, error) { return "box", nil }
	tests := []struct{ given, listen, want string }{
		{"", "127.0.0.1:8083", "box:8083"},
		{"", "[::1]:9000", "box:9000"},
		{"n1", "127.0.0.1:8083", "n1"},
		{"", "127.0.0.1:0", ""}, // a new port each start: a random name
	}
	for _, tt := range tests {
		if got := nodeName(tt.given, tt.listen, host); got != tt.want {
			t.Errorf("nodeName(%q, %q) = %q, want %q", tt.given, tt.listen, got, tt.want)
		}
	}
	if got := nodeName("", "127.0.0.1:8083", func() (string, error) { return "", errors.New("no name") }); got != "localhost:8083" {
		t.Errorf("without a host name: %q", got)
	}
}
