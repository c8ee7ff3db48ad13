package resource

import (
	"errors"
	"slices"
	"testing"
)

func TestParse(t *testing.T) {
	tests := []struct {
		in   string
		want Resource // Text and problem are filled in from in and reason
		// reason is AWS's reason to refuse the resource, or "".
		reason string
	}{
		// Activities: any region and account, even empty ones.
		{"arn:aws:states:us-east-1:123456789012:activity:hello-world", Resource{Kind: Activity, Partition: "aws", Region: "us-east-1", Account: "123456789012",
			Service: "states", Name: "hello-world", HistoryType: "activity", HistoryName: "hello-world"}, ""},
		{"arn:aws:states:::activity:a", Resource{Kind: Activity, Partition: "aws", Service: "states", Name: "a", HistoryType: "activity", HistoryName: "a"}, ""},
		{"arn:aws:states:r:1:activity", Resource{Kind: Activity, Partition: "aws", Region: "r", Account: "1", Service: "states", HistoryType: "activity"}, ""},

		// Lambda functions called directly.
		{"arn:aws:lambda:us-east-1:123456789012:function:foo", Resource{Kind: Function, Partition: "aws", Region: "us-east-1", Account: "123456789012",
			Service: "lambda", Name: "foo", HistoryType: "function", HistoryName: "foo"}, ""},
		{"arn:aws:lambda:region-1:1234567890:function:FUNCTION_NAME:$LATEST", Resource{Kind: Function, Partition: "aws", Region: "region-1", Account: "1234567890",
			Service: "lambda", Name: "FUNCTION_NAME", Qualifier: "$LATEST", HistoryType: "function", HistoryName: "FUNCTION_NAME:$LATEST"}, ""},
		{"arn:aws:lambda:region-1:1234567890:function:F:AZaz12-_", Resource{Kind: Function, Partition: "aws", Region: "region-1", Account: "1234567890",
			Service: "lambda", Name: "F", Qualifier: "AZaz12-_", HistoryType: "function", HistoryName: "F:AZaz12-_"}, ""},
		{"arn:aws-cn:lambda:::function:f", Resource{Kind: Function, Partition: "aws-cn", Service: "lambda", Name: "f", HistoryType: "function", HistoryName: "f"}, ""},
		{"arn:aws:lambda:r:1:function:F:$*#$7485", Resource{Kind: Function, Partition: "aws", Region: "r", Account: "1",
			Service: "lambda", Name: "F", Qualifier: "$*#$7485", HistoryType: "function", HistoryName: "F:$*#$7485"}, reasonFunction},
		{"arn:aws:lambda:r:1:function:F:", Resource{Kind: Function, Partition: "aws", Region: "r", Account: "1",
			Service: "lambda", Name: "F", HistoryType: "function", HistoryName: "F:"}, reasonFunction},
		{"arn:aws:lambda:r:1:function:", Resource{Kind: Function, Partition: "aws", Region: "r", Account: "1",
			Service: "lambda", HistoryType: "function"}, reasonFunction},
		{"arn:aws:lambda:r:1:function:F:1:x", Resource{Kind: Function, Partition: "aws", Region: "r", Account: "1",
			Service: "lambda", Name: "F", Qualifier: "1", HistoryType: "function", HistoryName: "F:1:x"}, reasonFunction},
		// An ARN that stops at "function" has always been accepted.
		{"arn:aws:lambda:r:1:function", Resource{Kind: Function, Partition: "aws", Region: "r", Account: "1", Service: "lambda", HistoryType: "function"}, ""},

		// Optimized integrations and their patterns.
		{"arn:aws:states:::lambda:invoke", Resource{Kind: Integration, Partition: "aws", Service: "lambda", Action: "invoke",
			HistoryType: "lambda", HistoryName: "invoke"}, ""},
		{"arn:aws:states:::lambda:invoke.waitForTaskToken", Resource{Kind: Integration, Partition: "aws", Service: "lambda", Action: "invoke",
			Pattern: WaitForTaskToken, HistoryType: "lambda", HistoryName: "invoke.waitForTaskToken"}, ""},
		{"arn:aws:states:::states:startExecution.sync", Resource{Kind: Integration, Partition: "aws", Service: "states", Action: "startExecution",
			Pattern: Sync, HistoryType: "states", HistoryName: "startExecution.sync"}, ""},
		{"arn:aws:states:::states:startExecution.sync:2", Resource{Kind: Integration, Partition: "aws", Service: "states", Action: "startExecution",
			Pattern: Sync2, HistoryType: "states", HistoryName: "startExecution.sync:2"}, ""},
		{"arn:aws:states:::http:invoke", Resource{Kind: Integration, Partition: "aws", Service: "http", Action: "invoke",
			HistoryType: "http", HistoryName: "invoke"}, ""},
		{"arn:aws-us-gov:states:::batch:submitJob.sync", Resource{Kind: Integration, Partition: "aws-us-gov", Service: "batch", Action: "submitJob",
			Pattern: Sync, HistoryType: "batch", HistoryName: "submitJob.sync"}, ""},
		{"arn:aws:states:::lambda:invoke.later", Resource{Kind: Integration, Partition: "aws", Service: "lambda", Action: "invoke",
			Pattern: UnknownPattern, HistoryType: "lambda", HistoryName: "invoke.later"}, ""},
		{"arn:aws:states:::lambda:invoke.waitForTaskToken.sync", Resource{Kind: Integration, Partition: "aws", Service: "lambda", Action: "invoke",
			Pattern: UnknownPattern, HistoryType: "lambda", HistoryName: "invoke.waitForTaskToken.sync"}, ""},
		{"arn:aws:states:::sns", Resource{Kind: Integration, Partition: "aws", Service: "sns", HistoryType: "sns"}, ""},
		{"arn:aws:states:::a:b:c", Resource{Kind: Integration, Partition: "aws", Service: "a", Action: "b:c", HistoryType: "a", HistoryName: "b:c"}, ""},

		// AWS SDK integrations.
		{"arn:aws:states:::aws-sdk:s3:getObject", Resource{Kind: Integration, Partition: "aws", Service: "s3", SDK: true, Action: "getObject",
			HistoryType: "aws-sdk:s3", HistoryName: "getObject"}, ""},
		{"arn:aws:states:::aws-sdk:s3:listBuckets.waitForTaskToken", Resource{Kind: Integration, Partition: "aws", Service: "s3", SDK: true,
			Action: "listBuckets", Pattern: WaitForTaskToken, HistoryType: "aws-sdk:s3", HistoryName: "listBuckets.waitForTaskToken"}, ""},
		{"arn:aws:states:::aws-sdk:dynamodb", Resource{Kind: Integration, Partition: "aws", Service: "dynamodb", SDK: true,
			HistoryType: "aws-sdk", HistoryName: "dynamodb"}, ""},
		{"arn:aws:states:::aws-sdk:sfn:sync:2", Resource{Kind: Integration, Partition: "aws", Service: "sfn", SDK: true, Action: "sync:2",
			HistoryType: "aws-sdk:sfn:sync", HistoryName: "2"}, ""},

		// Other ARNs: not integrations, since they name a region or an
		// account, or another service.
		{"arn:aws:states:us-east-1:1:stateMachine:m", Resource{Kind: OtherARN, Partition: "aws", Region: "us-east-1", Account: "1",
			Service: "states", Name: "stateMachine:m", HistoryType: "stateMachine", HistoryName: "m"}, ""},
		{"arn:aws:swf:us-east-1:123456789012:task:X", Resource{Kind: OtherARN, Partition: "aws", Region: "us-east-1", Account: "123456789012",
			Service: "swf", Name: "task:X", HistoryType: "task", HistoryName: "X"}, ""},
		{"arn:aws:sqs:r:1:queue", Resource{Kind: OtherARN, Partition: "aws", Region: "r", Account: "1", Service: "sqs", Name: "queue", HistoryType: "queue"}, ""},
		{"arn:<partition>:lambda:<region>:111111111111:function:<name>", Resource{Kind: Function, Partition: "<partition>", Region: "<region>",
			Account: "111111111111", Service: "lambda", Name: "<name>", HistoryType: "function", HistoryName: "<name>"}, ""},

		// Malformed ARNs.
		{"arn:aws:lambda", Resource{Kind: OtherARN, Partition: "aws", Service: "lambda", HistoryName: "arn:aws:lambda"}, reasonARN},
		{"arn:", Resource{Kind: OtherARN, HistoryName: "arn:"}, reasonARN},
		{"arn::states:::lambda:invoke", Resource{Kind: Integration, Service: "lambda", Action: "invoke", HistoryType: "lambda", HistoryName: "invoke"}, reasonARN},
		{"arn:aws::r:1:x", Resource{Kind: OtherARN, Partition: "aws", Region: "r", Account: "1", Name: "x", HistoryType: "x"}, reasonARN},
		{"arn:aws:states:::", Resource{Kind: Integration, Partition: "aws"}, reasonARN},

		// Not ARNs: accepted, and fail when they run.
		{"", Resource{}, reasonEmpty},
		{"foo:bar", Resource{HistoryName: "foo:bar"}, ""},
		{"activity_arn", Resource{HistoryName: "activity_arn"}, ""},
		{"${lambdaArn}", Resource{HistoryName: "${lambdaArn}"}, ""},
		// A JSONata expression is not evaluated in Resource, which is no
		// expression field in either query language: it is text.
		{"{% $states.input.arn %}", Resource{HistoryName: "{% $states.input.arn %}"}, ""},
		{"ARN:aws:states:::lambda:invoke", Resource{HistoryType: "lambda", HistoryName: "invoke"}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			want := tt.want
			want.Text, want.problem = tt.in, tt.reason
			got := Parse(tt.in)
			if got != want {
				t.Errorf("Parse(%q) =\n %+v\nwant\n %+v", tt.in, got, want)
			}
			err := got.Err()
			if tt.reason == "" {
				if err != nil {
					t.Errorf("Err() = %v, want nil", err)
				}
				return
			}
			var re *Error
			if !errors.As(err, &re) || re.Reason != tt.reason || re.Resource != tt.in {
				t.Errorf("Err() = %#v, want reason %q", err, tt.reason)
			}
		})
	}
}

func TestIsAndUsesToken(t *testing.T) {
	tests := []struct {
		in              string
		lambdaInvoke    bool
		startExecution  bool
		usesToken       bool
		wantPatternText string
	}{
		{"arn:aws:states:::lambda:invoke", true, false, false, "request-response"},
		{"arn:aws:states:::lambda:invoke.waitForTaskToken", true, false, true, ".waitForTaskToken"},
		{"arn:aws:states:::lambda:invoke.later", true, false, false, "unknown pattern"},
		{"arn:aws:states:::aws-sdk:lambda:invoke", false, false, false, "request-response"},
		{"arn:aws:states:::states:startExecution.sync", false, true, true, ".sync"},
		{"arn:aws:states:::states:startExecution.sync:2", false, true, true, ".sync:2"},
		{"arn:aws:states:us-east-1:1:activity:a", false, false, true, "request-response"},
		{"arn:aws:lambda:us-east-1:1:function:invoke", false, false, false, "request-response"},
		// Only an integration has a pattern.
		{"${arn}.waitForTaskToken", false, false, false, "request-response"},
	}
	for _, tt := range tests {
		r := Parse(tt.in)
		if got := r.Is("lambda", "invoke"); got != tt.lambdaInvoke {
			t.Errorf("Parse(%q).Is(lambda, invoke) = %v", tt.in, got)
		}
		if got := r.Is("states", "startExecution"); got != tt.startExecution {
			t.Errorf("Parse(%q).Is(states, startExecution) = %v", tt.in, got)
		}
		if got := r.UsesToken(); got != tt.usesToken {
			t.Errorf("Parse(%q).UsesToken() = %v", tt.in, got)
		}
		if got := r.Pattern.String(); got != tt.wantPatternText {
			t.Errorf("Parse(%q).Pattern = %s, want %s", tt.in, got, tt.wantPatternText)
		}
	}
}

func TestParseFunction(t *testing.T) {
	tests := []struct {
		in   string
		want FunctionRef
	}{
		{"my-function", FunctionRef{Name: "my-function"}},
		{"my-function:v1", FunctionRef{Name: "my-function", Qualifier: "v1"}},
		{"123456789012:function:my-function", FunctionRef{Form: PartialFunctionARN, Account: "123456789012", Name: "my-function"}},
		{"123456789012:function:my-function:7", FunctionRef{Form: PartialFunctionARN, Account: "123456789012", Name: "my-function", Qualifier: "7"}},
		{"arn:aws:lambda:us-west-2:123456789012:function:my-function", FunctionRef{Form: FullFunctionARN, Region: "us-west-2",
			Account: "123456789012", Name: "my-function"}},
		{"arn:aws:lambda:us-west-2:123456789012:function:my-function:blue", FunctionRef{Form: FullFunctionARN, Region: "us-west-2",
			Account: "123456789012", Name: "my-function", Qualifier: "blue"}},
		{"arn:aws:lambda:us-east-1::function:OnFirstMatch", FunctionRef{Form: FullFunctionARN, Region: "us-east-1", Name: "OnFirstMatch"}},
		{"", FunctionRef{}},
		{"arn:aws:lambda", FunctionRef{Name: "arn", Qualifier: "aws"}},
	}
	for _, tt := range tests {
		if got := ParseFunction(tt.in); got != tt.want {
			t.Errorf("ParseFunction(%q) = %+v, want %+v", tt.in, got, tt.want)
		}
	}
}

func TestKindString(t *testing.T) {
	for k, want := range map[Kind]string{NotARN: "not an ARN", Integration: "service integration", Kind(9): "Kind(9)"} {
		if got := k.String(); got != want {
			t.Errorf("Kind(%d).String() = %q, want %q", int(k), got, want)
		}
	}
}

// TestUnknownSDKAction checks which aws-sdk resources AWS refuses: an
// action its included service lacks (issue 16, item 1), or a service AWS
// has no aws-sdk integration for (item 3); an action of a real service
// Stepwise does not include passes.
func TestUnknownSDKAction(t *testing.T) {
	for res, want := range map[string]bool{
		"arn:aws:states:::aws-sdk:s3:getObject":                    false,
		"arn:aws:states:::aws-sdk:s3:putObject.waitForTaskToken":   false,
		"arn:aws:states:::aws-sdk:secretsmanager:getSecretValue":   false,
		"arn:aws:states:::aws-sdk:s3:GetObject":                    true,
		"arn:aws:states:::aws-sdk:s3:getobject":                    true,
		"arn:aws:states:::aws-sdk:ssm:nope":                        true,
		"arn:aws:states:::aws-sdk:dynamodb:putItem":                false,
		"arn:aws:states:::aws-sdk:dynamodb:anything":               true,
		"arn:aws:states:::aws-sdk:sqs:sendMessage":                 false,
		"arn:aws:states:::aws-sdk:ec2:describeInstances":           false,
		"arn:aws:states:::aws-sdk:ec2:describeInstance":            true,
		"arn:aws:states:::aws-sdk:bedrockruntime:invokeModel":      false,
		"arn:aws:states:::aws-sdk:cloudwatchlogs:putLogEvents":     false,
		"arn:aws:states:::aws-sdk:kinesis:subscribeToShard":        true,
		"arn:aws:states:::aws-sdk:sagemaker:createTrainingJob":     false,
		"arn:aws:states:::aws-sdk:sagemaker:anything":              true,
		"arn:aws:states:::aws-sdk:braket:anything":                 false,
		"arn:aws:states:::aws-sdk:nosuchservice:foo":               true,
		"arn:aws:states:::aws-sdk:logs:putLogEvents":               true,
		"arn:aws:states:::aws-sdk:S3:getObject":                    true,
		"arn:aws:states:::lambda:invoke":                           false,
		"arn:aws:states:::s3:GetObject":                            false,
		"arn:aws:lambda:us-east-1:123456789012:function:getObjekt": false,
	} {
		if got := Parse(res).UnknownSDKAction(); got != want {
			t.Errorf("Parse(%q).UnknownSDKAction() = %v, want %v", res, got, want)
		}
	}
}

// TestSDKServicesSorted checks that the list of AWS's aws-sdk services is
// sorted without repeats (IsSDKService searches it) and holds every
// service Stepwise includes.
func TestSDKServicesSorted(t *testing.T) {
	if !slices.IsSorted(awsSDKServices) || len(slices.Compact(slices.Clone(awsSDKServices))) != len(awsSDKServices) {
		t.Error("awsSDKServices is not sorted or has repeats")
	}
	for name := range sdkActions {
		if !IsSDKService(name) {
			t.Errorf("included service %s is not in awsSDKServices", name)
		}
	}
}
