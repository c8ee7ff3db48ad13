package lambda

import (
	"bytes"
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math"
	"net/http"
	"os"
	"os/exec"
	"time"

	"stepwise/internal/linelog"
	"stepwise/jsonval"
)

// runCommand runs fn.Command with c's payload on stdin and describes its
// outcome as the Invoke API would: a result, or a function error whose
// document is what the Lambda runtime reports (Runtime.ExitError for a
// non-zero exit, Sandbox.Timedout for a timeout, Runtime.InvalidResponse
// for output that is not JSON) or the error object the command printed.
// Each line of the command's stderr goes to log; the documents Stepwise
// writes carry its last lines as their stackTrace, and LogType Tail gets
// its last 4 KB as LogResult.
func runCommand(ctx context.Context, log *slog.Logger, fn Function, c call) (response, error) {
	timeout := fn.Timeout
	if timeout <= 0 && c.timeout > 0 {
		// Saturate: TimeoutSeconds may exceed what a Duration holds.
		timeout = time.Duration(min(c.timeout, math.MaxInt64/int64(time.Second))) * time.Second
	}
	if timeout <= 0 {
		timeout = DefaultTimeout
	}
	requestID := newRequestID()
	cctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	cmd := exec.CommandContext(cctx, fn.Command[0], fn.Command[1:]...)
	cmd.Dir = fn.Dir
	cmd.Env = append(os.Environ(),
		"AWS_LAMBDA_FUNCTION_NAME="+c.name,
		"AWS_REGION="+c.region,
		"AWS_LAMBDA_REQUEST_ID="+requestID)
	cmd.Env = append(cmd.Env, fn.Env...)
	cmd.Stdin = bytes.NewReader(c.payload)
	stdout := &capped{max: maxResponseBytes}
	cmd.Stdout = stdout
	tail := newRing(logTailBytes)
	lines := linelog.New(log, "lambda function log", "function", c.name, "request_id", requestID, "state", c.state)
	cmd.Stderr = io.MultiWriter(tail, lines)
	// The process is killed on timeout or cancel; don't wait for pipes
	// held open by its children for long after that.
	cmd.WaitDelay = time.Second
	err := cmd.Run()
	lines.Flush()
	logTail, dropped := tail.Bytes()
	trace := tailLines(logTail, dropped, logTailLines)

	header := http.Header{}
	header.Set("Content-Type", "application/json")
	header.Set("Date", time.Now().UTC().Format(http.TimeFormat))
	header.Set("X-Amz-Executed-Version", "$LATEST")
	header.Set("X-Amzn-Requestid", requestID)
	if c.logType == "Tail" {
		header.Set("X-Amz-Log-Result", base64.StdEncoding.EncodeToString(logTail))
	}
	resp := response{status: http.StatusOK, header: header}
	switch {
	case ctx.Err() != nil:
		return response{}, ctx.Err()
	case cctx.Err() != nil:
		resp.body = errorDocument("Sandbox.Timedout",
			fmt.Sprintf("RequestId: %s Error: Task timed out after %.2f seconds", requestID, timeout.Seconds()), trace)
		header.Set("X-Amz-Function-Error", "Unhandled")
	case stdout.over:
		resp.body = errorDocument("Function.ResponseSizeTooLarge",
			fmt.Sprintf("Response payload size exceeded maximum allowed payload size (%d bytes).", maxResponseBytes), trace)
		header.Set("X-Amz-Function-Error", "Unhandled")
	case err != nil && isErrorObject(stdout.Bytes()):
		resp.body = bytes.TrimSpace(stdout.Bytes())
		header.Set("X-Amz-Function-Error", "Unhandled")
	case err != nil:
		var ee *exec.ExitError
		msg := err.Error()
		if errors.As(err, &ee) {
			msg = "Runtime exited with error: " + ee.ProcessState.String()
		}
		resp.body = errorDocument("Runtime.ExitError", fmt.Sprintf("RequestId: %s Error: %s", requestID, msg), trace)
		header.Set("X-Amz-Function-Error", "Unhandled")
	case isErrorObject(stdout.Bytes()):
		resp.body = bytes.TrimSpace(stdout.Bytes())
		header.Set("X-Amz-Function-Error", "Unhandled")
	default:
		resp.body = bytes.TrimSpace(stdout.Bytes())
		if len(resp.body) == 0 {
			resp.body = []byte("null")
		}
		if _, err := jsonval.Parse(resp.body); err != nil {
			resp.body = errorDocument("Runtime.InvalidResponse",
				fmt.Sprintf("RequestId: %s Error: the command's output is not JSON: %v", requestID, err), trace)
			header.Set("X-Amz-Function-Error", "Unhandled")
		}
	}
	header.Set("Content-Length", itoa(len(resp.body)))
	return resp, nil
}

// isErrorObject reports whether out is a JSON object with a string
// errorType: the error document of a Lambda runtime.
func isErrorObject(out []byte) bool {
	o, ok := decodePayload(out).(*jsonval.Object)
	if !ok {
		return false
	}
	t, ok := get(o, "errorType").(string)
	return ok && t != ""
}

// errorDocument is a Lambda runtime's error document. errorType and
// errorMessage are what AWS's runtime reports; trace, the last lines of
// the command's stderr, goes in stackTrace, the key AWS's runtimes give
// the lines that explain an error, so that the cause stays the JSON
// object AWS's cause is and errorMessage stays AWS's text. No trace, no
// stackTrace.
func errorDocument(errorType, msg string, trace []string) []byte {
	o := jsonval.NewObject(3)
	o.Set("errorType", errorType)
	o.Set("errorMessage", msg)
	if len(trace) > 0 {
		list := make([]any, len(trace))
		for i, l := range trace {
			list[i] = l
		}
		o.Set("stackTrace", list)
	}
	b, _ := jsonval.Marshal(o)
	return b
}

// maxResponseBytes is the largest result a function may return, as Lambda
// enforces it for synchronous invocations: "6 MB" in AWS's quotas,
// 6291556 bytes in its Function.ResponseSizeTooLarge message.
const maxResponseBytes = 6291556

// capped is an io.Writer that keeps the first max bytes written to it and
// counts the rest as over, so that a command writing without end costs at
// most max bytes while it still drains its pipe. It is not safe for
// concurrent use.
type capped struct {
	buf  bytes.Buffer
	max  int
	over bool
}

func (w *capped) Write(p []byte) (int, error) {
	n := len(p)
	if room := w.max - w.buf.Len(); len(p) > room {
		w.over = true
		p = p[:max(room, 0)]
	}
	w.buf.Write(p)
	return n, nil
}

// Bytes returns what w kept; it is w's own buffer.
func (w *capped) Bytes() []byte { return w.buf.Bytes() }
