package sdk

import (
	"errors"
	"fmt"
	"net/url"
	"strings"

	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
	"github.com/aws/smithy-go"

	"stepwise/tasks"
)

// serviceError names a failed call as Step Functions names AWS SDK
// integration errors: ServiceName.ErrorName, both PascalCase, with the
// Exception suffix added when the service's error code lacks it
// (S3.NoSuchKeyException, Sfn.InvalidTokenException), and the service's
// base exception for a code its model does not list
// (SecretsManager.SecretsManagerException). The cause is the
// service's message followed by "(Service: S3, Status Code: 404, Request
// ID: ..., Extended Request ID: ...) (SDK Attempt Count: 1)", as AWS
// recorded it in 2025 (conformance test_s3_no_such_key,
// test_sfn_send_task_outcome_with_no_such_token); attempts counts the
// HTTP requests the call made, retries included. A request that got no
// answer is ServiceName.SdkClientException.
func serviceError(svc service, action string, err error, attempts int) *tasks.Error {
	var api smithy.APIError
	if !errors.As(err, &api) {
		var ue *url.Error
		if errors.As(err, &ue) {
			err = ue.Err
		}
		return &tasks.Error{Name: svc.errorName + ".SdkClientException", Cause: "Unable to execute HTTP request: " + err.Error()}
	}
	code := api.ErrorCode()
	if i := strings.LastIndexByte(code, '#'); i >= 0 {
		code = code[i+1:]
	}
	if code == "" {
		code = "Unknown"
	}
	head := false
	if svc.errorName == "S3" && code == "NotFound" {
		head = true
		// A HEAD request's 404 has no body, so the SDK for Go can only
		// say NotFound; the SDK for Java names it by what is missing.
		switch action {
		case "headObject":
			code = "NoSuchKey"
		case "headBucket":
			code = "NoSuchBucket"
		}
	}
	name := code
	if !strings.HasSuffix(name, "Exception") {
		name += "Exception"
	}
	var generic *smithy.GenericAPIError
	if errors.As(err, &generic) {
		// A code the service's model does not list (Secrets Manager's
		// ValidationException for an invalid name) is, in the SDK for
		// Java, the service's base exception: AWS names it
		// SecretsManager.SecretsManagerException, S3.S3Exception
		// (conformance test_aws_sdk::test_invalid_secret_name). The SDK
		// for Go, built from the same models, returns a generic error for
		// exactly those codes.
		name = svc.errorName + "Exception"
	}
	msg := api.ErrorMessage()
	status, requestID := 0, ""
	var re *awshttp.ResponseError
	if errors.As(err, &re) {
		status, requestID = re.HTTPStatusCode(), re.ServiceRequestID()
	}
	if msg == "" && svc.errorName == "S3" {
		msg = s3Messages[code]
	}
	if msg == "" || head {
		// The SDK for Java behind Step Functions prints an absent
		// message as null (a HEAD request's error has no body).
		msg = "null"
	}
	cause := fmt.Sprintf("%s (Service: %s, Status Code: %d, Request ID: %s", msg, svc.errorName, status, requestID)
	// S3 answers with a host ID too, which AWS shows as the Extended
	// Request ID.
	var host interface{ ServiceHostID() string }
	if errors.As(err, &host) {
		cause += ", Extended Request ID: " + host.ServiceHostID()
	}
	cause += ")"
	if attempts > 0 {
		cause += fmt.Sprintf(" (SDK Attempt Count: %d)", attempts)
	}
	return &tasks.Error{Name: svc.errorName + "." + name, Cause: cause}
}

// s3Messages are the messages S3 sends with its commonest errors, for
// S3-compatible servers that send the code alone (gofakes3 does), so
// that causes read as on AWS.
var s3Messages = map[string]string{
	"NoSuchKey":    "The specified key does not exist.",
	"NoSuchBucket": "The specified bucket does not exist",
}
