package api

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"stepwise/service"
)

// TestPanicRecovered checks that a panic in an action is logged with its
// stack and answered with an AWS-shaped 500 that reveals nothing.
func TestPanicRecovered(t *testing.T) {
	var logs bytes.Buffer
	h := NewHandler(nil, Options{Logger: slog.New(slog.NewTextHandler(&logs, nil))})
	h.actions["ListStateMachines"] = func(context.Context, []byte) (any, error) { panic("secret detail") }
	req := httptest.NewRequest(http.MethodPost, "/", strings.NewReader(`{}`))
	req.Header.Set("X-Amz-Target", "AWSStepFunctions.ListStateMachines")
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	var body errorBody
	if err := json.Unmarshal(rec.Body.Bytes(), &body); err != nil {
		t.Fatal(err)
	}
	if rec.Code != 500 || body.Type != "InternalFailure" || strings.Contains(body.Message, "secret") {
		t.Errorf("got %d %+v", rec.Code, body)
	}
	if rec.Header().Get("X-Amzn-Errortype") != "InternalFailure" || rec.Header().Get("Content-Type") != contentType {
		t.Errorf("headers = %v", rec.Header())
	}
	if !strings.Contains(logs.String(), "secret detail") || !strings.Contains(logs.String(), "stack=") {
		t.Errorf("the panic was not logged with its stack: %s", logs.String())
	}
}

func TestClassify(t *testing.T) {
	tests := []struct {
		name    string
		err     error
		code    string
		message string
		status  int
	}{
		{"service error", &service.Error{Code: "ExecutionDoesNotExist", Message: "gone"}, "ExecutionDoesNotExist", "gone", 400},
		{"wrapped service error", fmt.Errorf("start: %w", &service.Error{Code: "InvalidName", Message: "bad"}), "InvalidName", "bad", 400},
		{"protocol error", errorf(codeRequestTooLarge, "big"), codeRequestTooLarge, "big", 413},
		{"service unavailable", &service.Error{Code: service.CodeServiceUnavailable, Message: "later"}, service.CodeServiceUnavailable, "later", 503},
		{"internal error hides its text", errors.New("disk on fire"), "InternalFailure", "An internal error occurred", 500},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, message, status := classify(tt.err)
			if code != tt.code || message != tt.message || status != tt.status {
				t.Errorf("classify = %s %q %d, want %s %q %d", code, message, status, tt.code, tt.message, tt.status)
			}
		})
	}
}

func TestEpochAndBilling(t *testing.T) {
	tests := []struct {
		ms   int64
		want string
	}{{1700000000123, "1700000000.123"}, {1700000000000, "1700000000"}, {1700000000100, "1700000000.1"}}
	for _, tt := range tests {
		b, _ := epochFromMillis(tt.ms).MarshalJSON()
		if string(b) != tt.want {
			t.Errorf("epoch(%d) = %s, want %s", tt.ms, b, tt.want)
		}
	}
	for d, want := range map[int64]int64{0: 100, 1: 100, 100: 100, 101: 200, 950: 1000} {
		if got := billing(msDuration(d)).BilledDurationInMilliseconds; got != want {
			t.Errorf("billing(%d ms) = %d, want %d", d, got, want)
		}
	}
}

func TestRequestID(t *testing.T) {
	id := newRequestID()
	if len(id) != 36 || strings.Count(id, "-") != 4 || id == newRequestID() {
		t.Errorf("request id %q", id)
	}
}

func epochFromMillis(ms int64) epoch { return epoch(time.UnixMilli(ms)) }

func msDuration(ms int64) time.Duration { return time.Duration(ms) * time.Millisecond }
