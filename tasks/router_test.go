package tasks_test

import (
	"context"
	"testing"

	"stepwise/resource"
	"stepwise/tasks"
)

func named(name string) tasks.Func {
	return func(context.Context, tasks.Request) (any, error) { return name, nil }
}

func TestRouter(t *testing.T) {
	r := &tasks.Router{Lambda: named("lambda"), HTTP: named("http"), Fallback: named("fallback"),
		Routes: []tasks.Route{{Match: func(r resource.Resource) bool { return r.Kind == resource.Integration && r.Service == "dynamodb" }, Invoker: named("dynamodb")}}}
	tests := []struct {
		resource string
		want     string
	}{
		{"arn:aws:lambda:us-east-1:123456789012:function:greet", "lambda"},
		{"arn:aws:lambda:us-east-1:123456789012:function:greet:prod", "lambda"},
		{"arn:aws:states:::lambda:invoke", "lambda"},
		{"arn:aws:states:::lambda:invoke.waitForTaskToken", "lambda"},
		{"arn:aws:states:::http:invoke", "http"},
		{"arn:aws:states:::dynamodb:putItem", "dynamodb"},
		{"arn:aws:states:::sqs:sendMessage", "fallback"},
		{"arn:aws:lambda:us-east-1:123456789012:layer:x:1", "fallback"},
		{"arn:aws:states:us-east-1:123456789012:activity:work", "fallback"},
		// Every known pattern of lambda:invoke goes to Lambda; an unknown
		// one, another partition's, a function ARN without a name, and
		// http:invoke with a pattern do not.
		{"arn:aws:states:::lambda:invoke.sync", "lambda"},
		{"arn:aws:states:::lambda:invoke.sync:2", "lambda"},
		{"arn:aws:states:::lambda:invoke.later", "fallback"},
		{"arn:aws-cn:states:::lambda:invoke", "fallback"},
		{"arn:aws:states:::aws-sdk:lambda:invoke", "fallback"},
		{"arn:aws:lambda:us-east-1:123456789012:function:", "fallback"},
		{"arn:aws:lambda:us-east-1:123456789012:function", "fallback"},
		{"arn:aws-cn:lambda:cn-north-1:123456789012:function:greet", "lambda"},
		{"arn:aws:states:::http:invoke.waitForTaskToken", "fallback"},
		{"arn:aws-cn:states:::http:invoke", "fallback"},
		{"arn:aws:states:::dynamodb:putItem.waitForTaskToken", "dynamodb"},
		{"${lambdaArn}", "fallback"},
	}
	for _, tt := range tests {
		got, err := r.Invoke(t.Context(), tasks.Request{Resource: tt.resource})
		if err != nil || got != tt.want {
			t.Errorf("%s: got %v, %v; want %s", tt.resource, got, err, tt.want)
		}
	}
}

func TestRouterUnknown(t *testing.T) {
	r := &tasks.Router{}
	_, err := r.Invoke(t.Context(), tasks.Request{Resource: "arn:aws:states:::nope:doIt"})
	if te := tasks.AsError(err); te.Name != tasks.ErrorRuntime {
		t.Errorf("got %v, want %s", err, tasks.ErrorRuntime)
	}
	// A kind with no invoker of its own goes to the fallback.
	r = &tasks.Router{Fallback: named("fallback")}
	if got, _ := r.Invoke(t.Context(), tasks.Request{Resource: tasks.ResourceLambdaInvoke}); got != "fallback" {
		t.Errorf("lambda without a Lambda invoker: got %v", got)
	}
}
