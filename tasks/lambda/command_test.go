package lambda_test

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"log/slog"
	"runtime"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"stepwise/jsonval"
	"stepwise/tasks"
	"stepwise/tasks/lambda"
)

func commandInvoker(t *testing.T, timeout time.Duration) *lambda.Invoker {
	t.Helper()
	return loggingInvoker(t, timeout, nil)
}

// loggingInvoker runs testdata/fn.sh MODE as the function named MODE and
// logs the commands' stderr to log.
func loggingInvoker(t *testing.T, timeout time.Duration, log *slog.Logger) *lambda.Invoker {
	t.Helper()
	fns := map[string]lambda.Function{}
	for _, mode := range []string{"echo", "raise", "exit", "sleep", "text", "stderr", "chatty", "logs", "huge"} {
		fns[mode] = lambda.Function{Command: []string{"/bin/sh", "testdata/fn.sh", mode}, Timeout: timeout}
	}
	return lambda.New(lambda.Config{Functions: fns, Logger: log}, nil)
}

func TestCommand(t *testing.T) {
	iv := commandInvoker(t, 0)
	arn := func(name string) string { return "arn:aws:lambda:us-east-1:123456789012:function:" + name }
	tests := []struct {
		resource string
		input    string
		want     string
		errName  string
		cause    string
	}{
		{arn("echo"), `{"email":"a@b.c"}`, `{"event":{"email":"a@b.c"},"name":"echo"}`, "", ""},
		{arn("raise"), `{}`, "", "ValidationError", `{"errorType":"ValidationError","errorMessage":"email is missing"}`},
		{arn("exit"), `{}`, "", "Runtime.ExitError", "Error: Runtime exited with error: exit status 3"},
		{arn("text"), `{}`, "", "Runtime.InvalidResponse", "not JSON"},
	}
	for _, tt := range tests {
		got, err := iv.Invoke(t.Context(), tasks.Request{Resource: tt.resource, Input: obj(t, tt.input)})
		if tt.errName != "" {
			if te := tasks.AsError(err); te.Name != tt.errName || !strings.Contains(te.Cause, tt.cause) {
				t.Errorf("%s: error %v, want %s containing %q", tt.resource, err, tt.errName, tt.cause)
			}
			continue
		}
		if err != nil {
			t.Errorf("%s: %v", tt.resource, err)
			continue
		}
		if s := jsonval.MustMarshalString(got); s != tt.want {
			t.Errorf("%s: got %s, want %s", tt.resource, s, tt.want)
		}
	}
}

func TestCommandInvokeShape(t *testing.T) {
	iv := commandInvoker(t, 0)
	got, err := iv.Invoke(t.Context(), tasks.Request{Resource: tasks.ResourceLambdaInvoke, Input: obj(t, `{"FunctionName":"echo","Payload":"hi"}`)})
	if err != nil {
		t.Fatal(err)
	}
	o := got.(*jsonval.Object)
	p, _ := o.Get("Payload")
	if s := jsonval.MustMarshalString(p); s != `{"event":"hi","name":"echo"}` {
		t.Errorf("Payload %s", s)
	}
	if sc, _ := o.Get("StatusCode"); jsonval.MustMarshalString(sc) != "200" {
		t.Errorf("StatusCode %v", sc)
	}
}

func TestCommandTimeout(t *testing.T) {
	iv := commandInvoker(t, 200*time.Millisecond)
	start := time.Now()
	_, err := iv.Invoke(t.Context(), tasks.Request{Resource: "arn:aws:lambda:us-east-1:123456789012:function:sleep"})
	if te := tasks.AsError(err); te.Name != "Sandbox.Timedout" || !strings.Contains(te.Cause, "Task timed out after 0.20 seconds") {
		t.Errorf("got %v", err)
	}
	if d := time.Since(start); d > 5*time.Second {
		t.Errorf("took %v: the command was not killed", d)
	}
}

func TestCommandCancel(t *testing.T) {
	iv := commandInvoker(t, 0)
	ctx, cancel := context.WithTimeout(t.Context(), 200*time.Millisecond)
	defer cancel()
	_, err := iv.Invoke(ctx, tasks.Request{Resource: tasks.ResourceLambdaInvoke, Input: obj(t, `{"FunctionName":"sleep"}`), TimeoutSeconds: 60})
	if err != context.DeadlineExceeded {
		t.Errorf("got %v, want the context's error", err)
	}
}

// A Task's TimeoutSeconds beyond what a time.Duration holds must not wrap
// around: 18446744074 s in nanoseconds wraps to 0.29 s, and the command
// timed out then. Now it runs until the caller gives up.
func TestCommandHugeTimeout(t *testing.T) {
	iv := commandInvoker(t, 0)
	ctx, cancel := context.WithTimeout(t.Context(), 2*time.Second)
	defer cancel()
	_, err := iv.Invoke(ctx, tasks.Request{Resource: "arn:aws:lambda:us-east-1:123456789012:function:sleep",
		Input: obj(t, `{}`), TimeoutSeconds: 18446744074})
	if err != context.DeadlineExceeded {
		t.Errorf("got %v, want the context's error (the command's own timeout is years away)", err)
	}
}

// causeDocument decodes a Runtime.* cause: the error document of a Lambda
// runtime.
func causeDocument(t *testing.T, err error) (errorType, errorMessage string, stackTrace []string) {
	t.Helper()
	te := tasks.AsError(err)
	if te == nil {
		t.Fatalf("got %v, want a task error", err)
	}
	var doc struct {
		ErrorType    string   `json:"errorType"`
		ErrorMessage string   `json:"errorMessage"`
		StackTrace   []string `json:"stackTrace"`
	}
	if err := json.Unmarshal([]byte(te.Cause), &doc); err != nil {
		t.Fatalf("cause %q is not a JSON error document: %v", te.Cause, err)
	}
	if te.Name != doc.ErrorType {
		t.Errorf("error %s, cause's errorType %s", te.Name, doc.ErrorType)
	}
	return doc.ErrorType, doc.ErrorMessage, doc.StackTrace
}

// A command that fails shows the last lines of its stderr in the cause,
// in the stackTrace of the runtime's error document; errorType and
// errorMessage stay what AWS's runtime reports.
func TestCommandStderrInCause(t *testing.T) {
	iv := commandInvoker(t, 0)
	_, err := iv.Invoke(t.Context(), tasks.Request{Resource: "arn:aws:lambda:us-east-1:123456789012:function:stderr", Input: obj(t, `{}`)})
	typ, msg, trace := causeDocument(t, err)
	if typ != "Runtime.ExitError" || !strings.HasSuffix(msg, "Error: Runtime exited with error: exit status 4") {
		t.Errorf("errorType %q, errorMessage %q", typ, msg)
	}
	var want []string
	for i := 11; i <= 30; i++ {
		want = append(want, fmt.Sprintf("line %d", i))
	}
	if d := cmp.Diff(want, trace); d != "" {
		t.Errorf("stackTrace (-want +got):\n%s", d)
	}
}

// Timeouts and invalid output show the stderr tail too; a command that
// printed its own error document keeps it as it is.
func TestCommandStderrInOtherFailures(t *testing.T) {
	iv := commandInvoker(t, 300*time.Millisecond)
	_, err := iv.Invoke(t.Context(), tasks.Request{Resource: "arn:aws:lambda:us-east-1:123456789012:function:sleep", Input: obj(t, `{}`)})
	if typ, _, trace := causeDocument(t, err); typ != "Sandbox.Timedout" || !slices.Equal(trace, []string{"waiting for the database"}) {
		t.Errorf("timeout: errorType %q, stackTrace %q", typ, trace)
	}
	_, err = iv.Invoke(t.Context(), tasks.Request{Resource: "arn:aws:lambda:us-east-1:123456789012:function:exit", Input: obj(t, `{}`)})
	if typ, _, trace := causeDocument(t, err); typ != "Runtime.ExitError" || !slices.Equal(trace, []string{"boom"}) {
		t.Errorf("exit: errorType %q, stackTrace %q", typ, trace)
	}
	_, err = iv.Invoke(t.Context(), tasks.Request{Resource: "arn:aws:lambda:us-east-1:123456789012:function:raise", Input: obj(t, `{}`)})
	if te := tasks.AsError(err); te.Cause != `{"errorType":"ValidationError","errorMessage":"email is missing"}` {
		t.Errorf("raise: cause %s, want the command's own document", te.Cause)
	}
}

// A command that writes 10 MB to stderr costs a bounded buffer, not 10 MB,
// and its cause holds only the last lines.
func TestCommandChattyStderrStaysBounded(t *testing.T) {
	iv := commandInvoker(t, 0)
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	_, err := iv.Invoke(t.Context(), tasks.Request{Resource: "arn:aws:lambda:us-east-1:123456789012:function:chatty", Input: obj(t, `{}`)})
	runtime.ReadMemStats(&after)
	typ, _, trace := causeDocument(t, err)
	if typ != "Runtime.ExitError" {
		t.Errorf("errorType %q", typ)
	}
	if len(trace) != 20 || trace[19] != "last words" || trace[0] != "chatter chatter chatter" {
		t.Errorf("stackTrace %q, want 19 chatter lines and the last words", trace)
	}
	if n := len(tasks.AsError(err).Cause); n > 5000 {
		t.Errorf("cause is %d bytes, want the tail only", n)
	}
	// Reading 10 MB through 32 KiB copy buffers allocates little; keeping
	// it allocates more than 10 MB.
	if alloc := after.TotalAlloc - before.TotalAlloc; alloc > 4<<20 {
		t.Errorf("the invocation allocated %d bytes for 10 MB of stderr", alloc)
	}
}

// Each stderr line reaches the server's log with the function's name, the
// request ID the invocation answered with and the Task state's name; LogType Tail returns the
// log's tail as LogResult.
func TestCommandStderrLogged(t *testing.T) {
	var logs bytes.Buffer
	iv := loggingInvoker(t, 0, slog.New(slog.NewJSONHandler(&logs, nil)))
	got, err := iv.Invoke(t.Context(), tasks.Request{StateName: "Validate", Resource: tasks.ResourceLambdaInvoke,
		Input: obj(t, `{"FunctionName":"logs","Payload":{},"LogType":"Tail"}`)})
	if err != nil {
		t.Fatal(err)
	}
	o := got.(*jsonval.Object)
	meta, _ := o.Get("SdkResponseMetadata")
	requestID, _ := meta.(*jsonval.Object).Get("RequestId")
	var records []map[string]any
	for line := range strings.Lines(logs.String()) {
		var r map[string]any
		if err := json.Unmarshal([]byte(line), &r); err != nil {
			t.Fatalf("log line %q: %v", line, err)
		}
		delete(r, "time")
		records = append(records, r)
	}
	want := []map[string]any{
		{"level": "INFO", "msg": "lambda function log", "function": "logs", "request_id": requestID, "state": "Validate", "line": "starting"},
		{"level": "INFO", "msg": "lambda function log", "function": "logs", "request_id": requestID, "state": "Validate", "line": "done"},
	}
	if d := cmp.Diff(want, records); d != "" {
		t.Errorf("log records (-want +got):\n%s", d)
	}
	lr, _ := o.Get("LogResult")
	s, _ := lr.(string)
	if b, err := base64.StdEncoding.DecodeString(s); err != nil || string(b) != "starting\ndone\n" {
		t.Errorf("LogResult %q decodes to %q, %v", s, b, err)
	}
}

// A result larger than Lambda's 6 MB response limit is
// Function.ResponseSizeTooLarge, as on AWS, and costs no more than the
// limit to read.
func TestCommandResponseSizeTooLarge(t *testing.T) {
	iv := commandInvoker(t, 0)
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	_, err := iv.Invoke(t.Context(), tasks.Request{Resource: "arn:aws:lambda:us-east-1:123456789012:function:huge", Input: obj(t, `{}`)})
	runtime.ReadMemStats(&after)
	typ, msg, _ := causeDocument(t, err)
	if typ != "Function.ResponseSizeTooLarge" || msg != "Response payload size exceeded maximum allowed payload size (6291556 bytes)." {
		t.Errorf("errorType %q, errorMessage %q", typ, msg)
	}
	// bytes.Buffer doubles up to the 6 MB it keeps: about 17 MB in all;
	// keeping the 20 MB would take more than 40. TotalAlloc also counts
	// what the process's other goroutines allocate meanwhile (25 MB was
	// seen under load), so the bound sits between the two.
	if alloc := after.TotalAlloc - before.TotalAlloc; alloc > 32<<20 {
		t.Errorf("the invocation allocated %d bytes for a 20 MB result", alloc)
	}
}
