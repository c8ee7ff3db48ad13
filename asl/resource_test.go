package asl_test

import (
	"errors"
	"testing"

	"stepwise/asl"
	"stepwise/resource"
)

// TestTaskResourceParsed checks that a compiled Task state carries its
// Resource parsed, so that nothing downstream splits the ARN again
// (issue 15, item 3).
func TestTaskResourceParsed(t *testing.T) {
	for _, res := range []string{
		"arn:aws:states:::lambda:invoke.waitForTaskToken",
		"arn:aws:states:::aws-sdk:s3:getObject",
		"arn:aws:lambda:us-east-1:123456789012:function:f:prod",
		"arn:aws:states:us-east-1:123456789012:activity:a",
		"${lambdaArn}",
	} {
		s := flowState(t, `{"StartAt":"S","States":{"S":{"Type":"Task","Resource":"`+res+`","End":true}}}`)
		if got, want := s.Task.ParsedResource, resource.Parse(res); got != want {
			t.Errorf("%s: ParsedResource = %+v, want %+v", res, got, want)
		}
	}
}

// TestInvalidResource pins the INVALID_RESOURCE diagnostics of Task states
// and of ItemReaders, with AWS's wording.
func TestInvalidResource(t *testing.T) {
	task := func(res string) string {
		return `{"StartAt":"S","States":{"S":{"Type":"Task","Resource":"` + res + `","End":true}}}`
	}
	reader := func(res string) string {
		return `{"StartAt":"S","States":{"S":{"Type":"Map","ItemReader":{"Resource":"` + res + `"},
			"ItemProcessor":{"ProcessorConfig":{"Mode":"DISTRIBUTED","ExecutionType":"STANDARD"},"StartAt":"P","States":{"P":{"Type":"Pass","End":true}}},"End":true}}}`
	}
	tests := []struct {
		def, want string // want: the diagnostic's message, "" for none
	}{
		{task(""), "The resource must not be empty: ''"},
		{task("arn:aws:lambda"), "Value is not a valid resource ARN: 'arn:aws:lambda'"},
		{task("arn:aws:lambda:r:1:function:F:$*#"), "Value is not a valid Lambda function ARN: 'arn:aws:lambda:r:1:function:F:$*#'"},
		{task("arn:aws:lambda:r:1:function:"), "Value is not a valid Lambda function ARN: 'arn:aws:lambda:r:1:function:'"},
		{task("arn:aws:lambda:r:1:function:F:$LATEST"), ""},
		{task("{% $states.input.arn %}"), ""},
		{task("foo:bar"), ""},
		{reader("arn:aws:states:::"), "Value is not a valid resource ARN: 'arn:aws:states:::'"},
		{reader("arn:aws:states:::s3:getObject"), ""},
		// aws-sdk actions of included services (issue 16, item 1).
		{task("arn:aws:states:::aws-sdk:s3:getObject"), ""},
		{task("arn:aws:states:::aws-sdk:s3:getObject.waitForTaskToken"), ""},
		{task("arn:aws:states:::aws-sdk:sfn:startExecution"), ""},
		{task("arn:aws:states:::aws-sdk:lambda:invoke"), ""},
		{task("arn:aws:states:::aws-sdk:s3:getObjekt"), "The resource provided arn:aws:states:::aws-sdk:s3:getObjekt is not recognized. The value is not a valid resource ARN, or the resource is not available in this region."},
		{task("arn:aws:states:::aws-sdk:s3:GetObject"), "The resource provided arn:aws:states:::aws-sdk:s3:GetObject is not recognized. The value is not a valid resource ARN, or the resource is not available in this region."},
		{task("arn:aws:states:::aws-sdk:kms:"), "The resource provided arn:aws:states:::aws-sdk:kms: is not recognized. The value is not a valid resource ARN, or the resource is not available in this region."},
		// Issue 16, item 3: every included service's actions are known
		// (ec2's too, whether or not the binary links its client); a
		// service AWS does not have is refused; a real one Stepwise does
		// not include passes.
		{task("arn:aws:states:::aws-sdk:dynamodb:NoSuchAction"), "The resource provided arn:aws:states:::aws-sdk:dynamodb:NoSuchAction is not recognized. The value is not a valid resource ARN, or the resource is not available in this region."},
		{task("arn:aws:states:::aws-sdk:dynamodb:putItem"), ""},
		{task("arn:aws:states:::aws-sdk:ec2:describeInstances"), ""},
		{task("arn:aws:states:::aws-sdk:nosuchservice:foo"), "The resource provided arn:aws:states:::aws-sdk:nosuchservice:foo is not recognized. The value is not a valid resource ARN, or the resource is not available in this region."},
		{task("arn:aws:states:::aws-sdk:sagemaker:createTrainingJob"), ""},
	}
	for _, tt := range tests {
		_, err := asl.Parse([]byte(tt.def))
		var ide *asl.InvalidDefinitionError
		var got []string
		if errors.As(err, &ide) {
			for _, d := range ide.Diagnostics {
				if d.Code == asl.CodeInvalidResource {
					got = append(got, d.Message)
				}
			}
		}
		switch {
		case tt.want == "" && len(got) > 0:
			t.Errorf("%s: diagnostics %q, want none", tt.def, got)
		case tt.want != "" && (len(got) != 1 || got[0] != tt.want):
			t.Errorf("%s: diagnostics %q, want %q (err %v)", tt.def, got, tt.want, err)
		}
	}
}
