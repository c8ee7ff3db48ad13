package resource

import (
	"fmt"
	"strings"
	"testing"
)

// The functions below are the ones Resource replaces, as they were in
// engine, asl, tasks, service and teststate before issue 15 (item 3)
// moved resource parsing here. TestSameAsBefore checks that each reads
// every resource of a corpus as the Resource does, but for the
// deviations it lists.

func oldClassify(resource string) string { // engine.ClassifyResource
	parts := strings.SplitN(resource, ":", 7)
	if len(parts) >= 6 && parts[0] == "arn" {
		switch {
		case parts[2] == "lambda" && parts[5] == "function":
			return "lambda"
		case parts[2] == "states" && parts[5] == "activity":
			return "activity"
		}
	}
	return "service"
}

func oldServiceParts(resource string) (typ, name string) { // engine.serviceParts
	parts := strings.SplitN(resource, ":", 6)
	if len(parts) < 6 {
		return "", resource
	}
	rest := parts[5]
	if i := strings.LastIndex(rest, ":"); i >= 0 {
		if strings.HasPrefix(rest, "aws-sdk:") {
			return rest[:i], rest[i+1:]
		}
		if j := strings.Index(rest, ":"); j >= 0 {
			return rest[:j], rest[j+1:]
		}
	}
	return rest, ""
}

func oldCheck(s string) string { // asl.checkResource
	if s == "" {
		return reasonEmpty
	}
	if !strings.HasPrefix(s, "arn:") {
		return ""
	}
	p6 := strings.SplitN(s, ":", 6)
	if !(len(p6) == 6 && p6[0] == "arn" && p6[1] != "" && p6[2] != "" && p6[5] != "") {
		return reasonARN
	}
	parts := strings.Split(s, ":")
	if parts[2] == "lambda" && len(parts) >= 7 && parts[5] == "function" {
		if len(parts) > 8 || parts[6] == "" || (len(parts) == 8 && !validQualifier(parts[7])) {
			return reasonFunction
		}
	}
	return ""
}

func oldUsesToken(resource string) bool { // engine.usesToken, teststate.needsMock
	return oldClassify(resource) == "activity" || strings.HasSuffix(resource, ".waitForTaskToken") ||
		strings.HasSuffix(resource, ".sync") || strings.HasSuffix(resource, ".sync:2")
}

func oldRoute(resource string) string { // tasks.Router.route
	parts := strings.Split(resource, ":")
	isFn := (len(parts) == 7 || len(parts) == 8) && parts[0] == "arn" && parts[2] == "lambda" &&
		parts[5] == "function" && parts[6] != ""
	trimmed := resource
	for _, s := range []string{".waitForTaskToken", ".sync:2", ".sync"} {
		if r, ok := strings.CutSuffix(resource, s); ok {
			trimmed = r
			break
		}
	}
	switch {
	case isFn, trimmed == "arn:aws:states:::lambda:invoke":
		return "lambda"
	case resource == "arn:aws:states:::http:invoke":
		return "http"
	}
	return "other"
}

func newRoute(r Resource) string { // what tasks.Router.route does now
	switch {
	case r.Kind == Function && r.Name != "",
		r.Partition == "aws" && r.Is("lambda", "invoke") && r.Pattern != UnknownPattern:
		return "lambda"
	case r.Partition == "aws" && r.Is("http", "invoke") && r.Pattern == RequestResponse:
		return "http"
	}
	return "other"
}

func oldNested(resource string) string { // service.nestedResource
	parts := strings.SplitN(resource, ":", 6)
	if len(parts) != 6 || parts[0] != "arn" || parts[2] != "states" || parts[3] != "" || parts[4] != "" {
		return ""
	}
	switch parts[5] {
	case "states:startExecution", "states:startExecution.sync", "states:startExecution.sync:2", "states:startExecution.waitForTaskToken":
		return parts[5]
	}
	return ""
}

func newNested(r Resource) string {
	if !r.Is("states", "startExecution") || r.Pattern == UnknownPattern {
		return ""
	}
	return "states:startExecution" + patternSuffixes[r.Pattern]
}

func oldHTTP(resource string) bool { // teststate.isHTTPInvoke
	return strings.HasPrefix(resource, "arn:") && strings.HasSuffix(resource, ":states:::http:invoke")
}

func oldAWSService(resource string) string { // awsservice.parse, up to its tables
	rest, found := strings.CutPrefix(resource, "arn:aws:states:::")
	if !found {
		return ""
	}
	rest = strings.TrimSuffix(rest, ".waitForTaskToken")
	if r, found := strings.CutPrefix(rest, "aws-sdk:"); found {
		name, act, found := strings.Cut(r, ":")
		if !found {
			return ""
		}
		return "sdk " + name + " " + act
	}
	if strings.Contains(rest, ".") { // no optimized integration's name has one
		return ""
	}
	svc, act, _ := strings.Cut(rest, ":")
	return svc + " " + act
}

func newAWSService(r Resource) string { // what awsservice.parse does now
	if r.Kind != Integration || r.Partition != "aws" || (r.Pattern != RequestResponse && r.Pattern != WaitForTaskToken) {
		return ""
	}
	if r.SDK {
		if r.Action == "" {
			return ""
		}
		return "sdk " + r.Service + " " + r.Action
	}
	return r.Service + " " + r.Action
}

func oldResolve(ref string) FunctionRef { // lambda.Invoker.resolve
	parts := strings.Split(ref, ":")
	var f FunctionRef
	switch {
	case len(parts) >= 7 && parts[0] == "arn":
		f.Form, f.Region, f.Account, f.Name = FullFunctionARN, parts[3], parts[4], parts[6]
		if len(parts) > 7 {
			f.Qualifier = parts[7]
		}
	case len(parts) >= 3 && parts[1] == "function":
		f.Form, f.Account, f.Name = PartialFunctionARN, parts[0], parts[2]
		if len(parts) > 3 {
			f.Qualifier = parts[3]
		}
	default:
		f.Name = parts[0]
		if len(parts) > 1 {
			f.Qualifier = parts[1]
		}
	}
	return f
}

var corpus = []string{
	"", "foo:bar", "activity_arn", "${lambdaArn}", "${lambdaArn", "{% $x %}", "arn:", "arn:aws", "arn:aws:lambda", "a:b:c:d:e:f:g",
	"arn:aws:states:::lambda:invoke", "arn:aws:states:::lambda:invoke.waitForTaskToken", "arn:aws:states:::lambda:invoke.sync",
	"arn:aws:states:::lambda:invoke.later", "arn:aws-cn:states:::lambda:invoke", "arn:aws:states:::aws-sdk:lambda:invoke",
	"arn:aws:states:::sns:publish", "arn:aws:states:::sqs:sendMessage.waitForTaskToken", "arn:aws:states:::sqs:sendMessage",
	"arn:aws:states:::dynamodb:putItem", "arn:aws:states:::dynamodb:getItem.sync", "arn:aws:states:::apigateway:invoke",
	"arn:aws:states:::states:startExecution", "arn:aws:states:::states:startExecution.sync", "arn:aws:states:::states:startExecution.sync:2",
	"arn:aws:states:::states:startExecution.waitForTaskToken", "arn:aws:states:::states:startExecution.later",
	"arn:aws-cn:states:::states:startExecution.sync", "arn:aws:states:us-east-1::states:startExecution",
	"arn:aws:states:::http:invoke", "arn:aws:states:::http:invoke.waitForTaskToken", "arn:aws-cn:states:::http:invoke",
	"arn:aws:states:::batch:submitJob.sync", "arn:aws:states:::events:putEvents", "arn:aws:states:::s3:getObject",
	"arn:aws:states:::aws-sdk:s3:getObject", "arn:aws:states:::aws-sdk:s3:listBuckets.waitForTaskToken",
	"arn:aws:states:::aws-sdk:dynamodb:putItem", "arn:aws:states:::aws-sdk:sfn:sendTaskSuccess", "arn:aws:states:::aws-sdk:eventbridge:putEvents",
	"arn:aws:states:::aws-sdk:dynamodb", "arn:aws:states:::aws-sdk", "arn:aws:states:::sns", "arn:aws:states:::a:b:c",
	"arn:aws:lambda:region-1:1234567890:function:FUNCTION_NAME", "arn:aws:lambda:us-east-1:123456789012:function:foo",
	"arn:aws:lambda:region-1:1234567890:function:FUNCTION_NAME:AZaz12-_", "arn:aws:lambda:region-1:1234567890:function:FUNCTION_NAME:$LATEST",
	"arn:aws:lambda:region-1:1234567890:function:FUNCTION_NAME:$*#$7485", "arn:aws:lambda:region-1:1234567890:function:FUNCTION_NAME:",
	"arn:aws:lambda:r:1:function:", "arn:aws:lambda:r:1:function", "arn:aws:lambda:r:1:function:F:1:x",
	"arn:<partition>:lambda:<region>:111111111111:function:<lambda_function_name>", "arn:aws:lambda:::function:publish-to-slack-lambda",
	"arn:aws:lambda:us-east-1::function:OnSecondMatch", "arn:aws:lambda:us-east-1:1:layer:x",
	"arn:aws:states:us-west-2:42:activity:a-task", "arn:aws:states:us-east-1:12345:activity:hello-world", "arn:aws:states:::activity:x",
	"arn:aws:states:r:1:activity", "arn:aws:states:us-east-1:1:stateMachine:m", "arn:aws:swf:us-east-1:123456789012:task:X",
	"arn:aws:sqs:r:1:queue", "arn::states:::lambda:invoke", "arn:aws::r:1:x", "arn:aws:states:::", "ARN:aws:states:::lambda:invoke",
}

// deviations lists, by check and resource, where a caller now reads a
// resource differently from before; each is a resource AWS refuses in a
// definition (asl refuses the Lambda ones too).
var deviations = map[string]bool{
	// A pattern is only an integration's; and an unknown suffix is no
	// pattern even when it ends in one.
	"usesToken ${lambdaArn}.sync": true,
	// A function ARN with extra fields, which asl refuses, is a function.
	"route arn:aws:lambda:r:1:function:F:1:x": true,
	// An AWS SDK integration has no .sync pattern, nor an empty action.
	"awsservice arn:aws:states:::aws-sdk:s3:getObject.sync": true,
	"awsservice arn:aws:states:::aws-sdk:dynamodb:":         true,
	// An activity is no integration (no table of awsservice holds
	// "activity" either, so it refused this one before too).
	"awsservice arn:aws:states:::activity:x": true,
}

func TestSameAsBefore(t *testing.T) {
	extra := []string{"${lambdaArn}.sync", "arn:aws:states:::aws-sdk:s3:getObject.sync", "arn:aws:states:::aws-sdk:dynamodb:"}
	for _, s := range append(corpus, extra...) {
		r := Parse(s)
		newKind := map[Kind]string{Function: "lambda", Activity: "activity", Integration: "service"}[r.TaskKind()]
		typ, name := oldServiceParts(s)
		reason := ""
		if err := r.Err(); err != nil {
			reason = err.(*Error).Reason
		}
		checks := []struct {
			name     string
			old, new any
		}{
			{"classify", oldClassify(s), newKind},
			{"serviceParts", typ + "|" + name, r.HistoryType + "|" + r.HistoryName},
			{"check", oldCheck(s), reason},
			{"usesToken", oldUsesToken(s), r.UsesToken()},
			{"route", oldRoute(s), newRoute(r)},
			{"nested", oldNested(s), newNested(r)},
			{"isActivity", oldClassify(s) == "activity", r.Kind == Activity},
			{"isHTTPInvoke", oldHTTP(s), r.Is("http", "invoke") && r.Pattern == RequestResponse},
			{"awsservice", oldAWSService(s), newAWSService(r)},
			{"resolve", oldResolve(s), ParseFunction(s)},
		}
		for _, c := range checks {
			key := c.name + " " + s
			same := fmt.Sprint(c.old) == fmt.Sprint(c.new)
			if same == deviations[key] {
				t.Errorf("%s(%q): before %v, now %v (listed as a deviation: %v)", c.name, s, c.old, c.new, deviations[key])
			}
		}
	}
}

// FuzzParse checks that Parse never panics, that what it reports for
// history is what the engine reported before, and that its fields agree
// with its Kind.
func FuzzParse(f *testing.F) {
	for _, s := range corpus {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		r := Parse(s)
		if typ, name := oldServiceParts(s); r.HistoryType != typ || r.HistoryName != name {
			t.Errorf("history parts of %q: %q %q, want %q %q", s, r.HistoryType, r.HistoryName, typ, name)
		}
		if got, want := map[Kind]string{Function: "lambda", Activity: "activity"}[r.Kind], oldClassify(s); want != "service" && got != want {
			t.Errorf("kind of %q: %v, want %s", s, r.Kind, want)
		}
		if reason := oldCheck(s); (reason == "") != (r.Err() == nil) {
			t.Errorf("Err of %q: %v, want %q", s, r.Err(), reason)
		}
		if r.Kind == Integration && (r.Region != "" || r.Account != "") {
			t.Errorf("integration %q names a region or account", s)
		}
		if r.Kind != Integration && (r.Pattern != RequestResponse || r.SDK || r.Action != "") {
			t.Errorf("%v %q has integration fields: %+v", r.Kind, s, r)
		}
		if r.Text != s {
			t.Errorf("Text = %q, want %q", r.Text, s)
		}
		_ = ParseFunction(s)
	})
}
