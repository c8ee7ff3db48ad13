package resultmodel

import (
	"testing"

	"stepwise/resource"
)

// TestResultShapeByResource pins which resources' mocked results are
// checked against a known shape: request-response and .waitForTaskToken
// integrations, AWS SDK ones as their optimized twin (eventbridge as
// events), never .sync jobs, activities, functions or unknown patterns.
func TestResultShapeByResource(t *testing.T) {
	tests := []struct {
		res  string
		want string // the resultShapes key, "" for none
	}{
		{"arn:aws:states:::lambda:invoke", "lambda:invoke"},
		{"arn:aws:states:::lambda:invoke.waitForTaskToken", "lambda:invoke"},
		{"arn:aws-cn:states:::sqs:sendMessage", "sqs:sendMessage"},
		{"arn:aws:states:::aws-sdk:dynamodb:getItem", "dynamodb:getItem"},
		{"arn:aws:states:::aws-sdk:eventbridge:putEvents", "events:putEvents"},
		{"arn:aws:states:::states:startExecution", "states:startExecution"},
		{"arn:aws:states:::states:startExecution.sync", ""},
		{"arn:aws:states:::states:startExecution.sync:2", ""},
		{"arn:aws:states:::lambda:invoke.later", ""},
		{"arn:aws:states:::aws-sdk:s3:getObject", ""},
		{"arn:aws:states:us-east-1:123456789012:activity:a", ""},
		{"arn:aws:lambda:us-east-1:123456789012:function:invoke", ""},
		{"foo:bar", ""},
	}
	for _, tt := range tests {
		got := resultShape(resource.Parse(tt.res))
		if want := resultShapes[tt.want]; got != want || (tt.want != "" && got == nil) {
			t.Errorf("resultShape(%s) = %p, want %q's %p", tt.res, got, tt.want, want)
		}
	}
}
