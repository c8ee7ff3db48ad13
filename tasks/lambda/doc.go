// Package lambda carries out Task states that call AWS Lambda functions:
// Resource ARNs of the form arn:aws:lambda:REGION:ACCOUNT:function:NAME
// (the result is the function's payload) and the optimized integration
// arn:aws:states:::lambda:invoke (Parameters FunctionName, Payload,
// Qualifier, InvocationType, LogType, ClientContext; the result is AWS's
// {ExecutedVersion, Payload, SdkHttpMetadata, SdkResponseMetadata,
// StatusCode} object).
//
// Each function is answered by one of two back-ends, chosen per function
// in a [Config]:
//
//   - the Lambda Invoke API (POST /2015-03-31/functions/NAME/invocations),
//     SigV4-signed, at a configurable endpoint: AWS Lambda itself,
//     `sam local start-lambda`, or the Lambda runtime interface emulator;
//   - a local command that reads the JSON event on stdin and writes the
//     JSON result on stdout, killed when it outlives its timeout. Its
//     stderr is its log: each line goes to [Config.Logger], and the last
//     lines are the stackTrace of the error document when it fails.
//
// Failures become task errors with the names AWS gives them, so Retry and
// Catch match the same names as on AWS: a function error is named by its
// errorType (Lambda.Unknown when it has none) with the error document as
// the cause; a refusal by the Lambda service is Lambda.<ErrorCode>
// (Lambda.ResourceNotFoundException, Lambda.TooManyRequestsException,
// Lambda.ServiceException, Lambda.AWSLambdaException), and a request that
// never got an answer is Lambda.SdkClientException.
package lambda
