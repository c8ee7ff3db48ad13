package resultmodel_test

import (
	"testing"

	"stepwise/jsonval"
	"stepwise/resource"
	"stepwise/tasks/resultmodel"
)

// TestCheck checks results against the API models of the integrations'
// results as AWS's fieldValidationMode describes: STRICT (the default)
// needs required fields, STRICT and PRESENT check the type of every
// field the model knows, NONE checks nothing, unknown fields pass.
func TestCheck(t *testing.T) {
	tests := []struct {
		resource, mode, result, want string
	}{
		{"arn:aws:states:::lambda:invoke", "", `{"StatusCode":"200"}`, "Mock result schema validation error: Field 'StatusCode' must be a number"},
		{"arn:aws:states:::lambda:invoke", "STRICT", `{"StatusCode":200.5}`, "Mock result schema validation error: Field 'StatusCode' must be a number"},
		{"arn:aws:states:::lambda:invoke", "", `{"Payload":{"any":["thing"]},"StatusCode":200,"SdkHttpMetadata":{}}`, ""},
		{"arn:aws:states:::aws-sdk:dynamodb:getItem", "PRESENT", `{"Item":{"id":{"M":{"n":{"N":1}}}}}`, "Mock result schema validation error: Field 'N' must be a string"},
		{"arn:aws:states:::dynamodb:putItem", "STRICT", `{"Attributes":{"id":{"S":"1"},"tags":{"SS":["a"]},"m":{"M":{"x":{"NULL":true}}}}}`, ""},
		{"arn:aws:states:::dynamodb:updateItem", "STRICT", `{"Attributes":{"l":{"L":[{"BOOL":"yes"}]}}}`, "Mock result schema validation error: Field 'BOOL' must be a boolean"},
		{"arn:aws:states:::states:startExecution", "", `{"ExecutionArn":"a"}`, "Mock result schema validation error: Required field 'StartDate' is missing"},
		{"arn:aws:states:::states:startExecution", "PRESENT", `{"ExecutionArn":"a"}`, ""},
		{"arn:aws:states:::states:startExecution", "NONE", `{"ExecutionArn":1}`, ""},
		{"arn:aws:states:::states:startExecution.waitForTaskToken", "STRICT", `{"ExecutionArn":"a","StartDate":1700000000}`, ""},
		{"arn:aws:states:::states:startExecution.sync:2", "STRICT", `{"Status":"SUCCEEDED"}`, ""},
		{"arn:aws:states:::sns:publish", "", `[]`, "Mock result schema validation error: The mocked result must be a JSON object"},
		{"arn:aws:states:::events:putEvents", "", `{"Entries":{"EventId":"e"}}`, "Mock result schema validation error: Field 'Entries' must be an array"},
		{"arn:aws:states:::aws-sdk:eventbridge:putEvents", "", `{"FailedEntryCount":"0"}`, "Mock result schema validation error: Field 'FailedEntryCount' must be a number"},
		{"arn:aws:states:::aws-sdk:s3:getObject", "STRICT", `"body"`, ""},
		{"arn:aws:lambda:us-east-1:123456789012:function:f", "STRICT", `"anything"`, ""},
	}
	for _, tt := range tests {
		v, err := jsonval.ParseString(tt.result)
		if err != nil {
			t.Fatal(err)
		}
		err = resultmodel.Check(resource.Parse(tt.resource), tt.mode, v)
		got := ""
		if err != nil {
			got = err.Error()
		}
		if got != tt.want {
			t.Errorf("Check(%s, %q, %s) = %q, want %q", tt.resource, tt.mode, tt.result, got, tt.want)
		}
	}
}
