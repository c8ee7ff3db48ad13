// Package awsservice carries out the AWS service integrations workflows
// call most, by speaking each service's wire protocol, SigV4-signed, to
// AWS or to any compatible endpoint configured per service (LocalStack,
// DynamoDB Local, ElasticMQ, ...):
//
//   - optimized integrations arn:aws:states:::dynamodb:getItem, putItem,
//     updateItem and deleteItem, arn:aws:states:::sqs:sendMessage,
//     arn:aws:states:::sns:publish and arn:aws:states:::events:putEvents;
//   - AWS SDK integrations arn:aws:states:::aws-sdk:SERVICE:ACTION for
//     dynamodb, sqs, sns (Publish), eventbridge (PutEvents) and sesv2
//     (SendEmail).
//
// Results and errors have the shapes AWS records
// (../shared/conformance/asl-tasks): optimized integrations add
// SdkHttpMetadata and SdkResponseMetadata to the response (except
// events:putEvents) and name errors like the AWS SDK for Java 1.x
// (DynamoDB.ConditionalCheckFailedException, with causes ending in
// "(Service: AmazonDynamoDBv2; Status Code: 400; Error Code: ...; Request
// ID: ...; Proxy: null)"); AWS SDK integrations return the bare response
// and name errors like the AWS SDK for Java 2.x (DynamoDb.…, SesV2.…).
//
// The requests are built from the task's parameters directly, since the
// parameters of these integrations are the services' own request shapes;
// the AWS SDK for Go's typed clients would need a conversion per action
// and would hide the error codes the Task must report.
package awsservice
