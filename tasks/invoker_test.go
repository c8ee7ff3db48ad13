package tasks_test

import (
	"context"
	"errors"
	"testing"

	"stepwise/tasks"
)

func TestMemory(t *testing.T) {
	m := tasks.NewMemory()
	m.Register("double", func(_ context.Context, req tasks.Request) (any, error) {
		return req.Input.(float64) * 2, nil
	})
	m.Register("arn:aws:states:::sqs:sendMessage", func(context.Context, tasks.Request) (any, error) {
		return nil, &tasks.Error{Name: "SQS.QueueDoesNotExist", Cause: "no queue"}
	})
	tests := []struct {
		resource string
		want     any
		errName  string
	}{
		{"arn:aws:lambda:us-east-1:123456789012:function:double", 4.0, ""},
		{"double", 4.0, ""},
		{"arn:aws:states:::sqs:sendMessage", nil, "SQS.QueueDoesNotExist"},
		{"arn:aws:lambda:us-east-1:123456789012:function:other", nil, tasks.ErrorTaskFailed},
	}
	for _, tt := range tests {
		got, err := m.Invoke(context.Background(), tasks.Request{Resource: tt.resource, Input: 2.0})
		if tt.errName != "" {
			if tasks.AsError(err).Name != tt.errName {
				t.Errorf("%s: error %v, want %s", tt.resource, err, tt.errName)
			}
			continue
		}
		if err != nil || got != tt.want {
			t.Errorf("%s: got %v, %v; want %v", tt.resource, got, err, tt.want)
		}
	}
}

func TestAsError(t *testing.T) {
	if e := tasks.AsError(errors.New("boom")); e.Name != tasks.ErrorTaskFailed || e.Cause != "boom" {
		t.Errorf("AsError(plain) = %+v", e)
	}
	te := &tasks.Error{Name: "X", Cause: "y"}
	if tasks.AsError(te) != te {
		t.Error("AsError changed an *Error")
	}
}
