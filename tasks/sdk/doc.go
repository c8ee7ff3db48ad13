// Package sdk carries out AWS SDK integrations,
// arn:aws:states:::aws-sdk:SERVICE:ACTION, for the services in its
// registry through the AWS SDK for Go v2's own clients, at AWS or at any
// compatible endpoint (MinIO, SeaweedFS, LocalStack, Stepwise): appconfig,
// athena, batch, bedrockruntime, cloudwatch, cloudwatchlogs, codebuild,
// cognitoidentityprovider, ecr, ecs, emr, eventbridge, firehose, glue,
// iam, kafka, kinesis, kms, lambda, rdsdata, s3, scheduler,
// secretsmanager, sesv2, sfn, sns, ssm and sts, every action of each but
// those over an event stream. Three clients are linked only with a build
// tag, for their size: ec2 (stepwise_ec2, about 45 MB), sagemaker
// (stepwise_sagemaker, 19 MB) and bedrock, Bedrock's control plane
// (stepwise_bedrock, 6.8 MB); a build without one fails its Tasks with a
// cause saying how to rebuild ([MissingEC2], [MissingSageMaker],
// [MissingBedrock], [Missing]), and validation knows their actions either
// way.
//
// The actions tasks/awsservice speaks to directly stay there ([Handles]):
// every dynamodb and sqs action, sns:publish, eventbridge:putEvents and
// sesv2:sendEmail. Lambda's optimized integration (lambda:invoke) and
// function ARNs are tasks/lambda's.
//
// It is built once, not per action: the action getObject is the client
// method GetObject, through a table generated from the clients
// (ops_gen.go, by internal/genops, which also writes the action lists the
// resource package validates against); the Task's parameters are decoded
// into that method's input struct, whose Go field names are AWS's
// PascalCase member names, and the output struct is encoded back the way
// Step Functions returns it ([Decode], [Encode]), with a service's own
// adjustments where the SDK for Go and Step Functions differ (Bedrock
// Runtime's InvokeModel Body and Lambda's Invoke Payload are JSON both
// ways, as AWS documents aws-sdk:lambda:invoke). Errors are named as AWS
// names them for SDK integrations, ServiceName.ErrorName with the
// Exception suffix always added (S3.NoSuchKeyException,
// Ecs.ClusterNotFoundException), ServiceName being the AWS SDK for Java
// 2.x client's name, with the service's message and AWS's "(Service: S3,
// Status Code: 404, Request ID: ...)" as the cause.
package sdk
