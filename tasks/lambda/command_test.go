package lambda_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"stepwise/jsonval"
	"stepwise/tasks"
	"stepwise/tasks/lambda"
)

func commandInvoker(t *testing.T, timeout time.Duration) *lambda.Invoker {
	t.Helper()
	fns := map[string]lambda.Function{}
	for _, mode := range []string{"echo", "raise", "exit", "sleep", "text"} {
		fns[mode] = lambda.Function{Command: []string{"/bin/sh", "testdata/fn.sh", mode}, Timeout: timeout}
	}
	return lambda.New(lambda.Config{Functions: fns}, nil)
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
