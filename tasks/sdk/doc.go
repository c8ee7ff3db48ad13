// Package sdk carries out AWS SDK integrations,
// arn:aws:states:::aws-sdk:SERVICE:ACTION, for the services in its
// registry (s3, sfn, secretsmanager, ssm, kms, sts, lambda) through the
// AWS SDK for Go v2's own clients, at AWS or at any compatible endpoint
// (MinIO, SeaweedFS, LocalStack, Stepwise). Lambda's optimized
// integration (lambda:invoke) and function ARNs are tasks/lambda's.
//
// It is built once, not per action: the action getObject is the client
// method GetObject, through a table generated from the clients
// (ops_gen.go, by internal/genops); the Task's parameters are decoded
// into that method's input struct, whose Go field names are AWS's
// PascalCase member names, and the output struct is encoded back the way
// Step Functions returns it ([Decode], [Encode]). Errors are named as AWS
// names them for SDK integrations, ServiceName.ErrorName with the
// Exception suffix always added (S3.NoSuchKeyException), with the
// service's message and AWS's "(Service: S3, Status Code: 404, Request
// ID: ...)" as the cause.
//
// The services tasks/awsservice speaks to directly (dynamodb, sqs, sns,
// eventbridge, sesv2) stay there.
package sdk
