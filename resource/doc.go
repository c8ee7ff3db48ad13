// Package resource parses the Resource of a Task state (and of a
// Distributed Map's ItemReader) into a typed value, once, when the
// definition is compiled. It is the one place in Stepwise that knows how
// AWS Step Functions spells its resource ARNs:
//
//   - activities, arn:PARTITION:states:REGION:ACCOUNT:activity:NAME;
//   - Lambda functions called directly,
//     arn:PARTITION:lambda:REGION:ACCOUNT:function:NAME[:QUALIFIER];
//   - service integrations, arn:PARTITION:states:::SERVICE:ACTION and
//     arn:PARTITION:states:::aws-sdk:SERVICE:ACTION, each with an optional
//     integration pattern suffix (.sync, .sync:2, .waitForTaskToken);
//   - any other ARN, and text that is no ARN at all (a placeholder that a
//     deployment tool replaces, say), which Stepwise accepts in a
//     definition and fails when the task runs.
//
// It also reads the function references Lambda's Invoke API takes in
// FunctionName ([ParseFunction]). The package imports only the standard
// library, so every layer (asl, engine, tasks, service, teststate) can use
// it.
package resource
