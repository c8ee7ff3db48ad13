//go:build stepwise_bedrock

package sdk

import (
	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/bedrock"
	brtypes "github.com/aws/aws-sdk-go-v2/service/bedrock/types"
)

// bedrockCodecCases are Bedrock's cases, linked only with its build tag:
// CreateModelCustomizationJob's request and GetModelCustomizationJob's
// answer as the Bedrock API reference documents them.
var bedrockCodecCases = []codecCase{
	{service: "bedrock", action: "createModelCustomizationJob",
		params: `{"JobName":"ft1","CustomModelName":"m1","RoleArn":"arn:aws:iam::123456789012:role/br","BaseModelIdentifier":"amazon.titan-text-express-v1",` +
			`"TrainingDataConfig":{"S3Uri":"s3://b/train.jsonl"},"OutputDataConfig":{"S3Uri":"s3://b/out/"},"HyperParameters":{"epochCount":"1"}}`,
		want: &bedrock.CreateModelCustomizationJobInput{JobName: aws.String("ft1"), CustomModelName: aws.String("m1"), RoleArn: aws.String("arn:aws:iam::123456789012:role/br"),
			BaseModelIdentifier: aws.String("amazon.titan-text-express-v1"), TrainingDataConfig: &brtypes.TrainingDataConfig{S3Uri: aws.String("s3://b/train.jsonl")},
			OutputDataConfig: &brtypes.OutputDataConfig{S3Uri: aws.String("s3://b/out/")}, HyperParameters: map[string]string{"epochCount": "1"}},
		out:    &bedrock.CreateModelCustomizationJobOutput{JobArn: aws.String("arn:aws:bedrock:us-east-1:123456789012:model-customization-job/abc")},
		result: `{"JobArn":"arn:aws:bedrock:us-east-1:123456789012:model-customization-job/abc"}`},
	{service: "bedrock", action: "getModelCustomizationJob",
		params: `{"JobIdentifier":"arn:aws:bedrock:us-east-1:123456789012:model-customization-job/abc"}`,
		want:   &bedrock.GetModelCustomizationJobInput{JobIdentifier: aws.String("arn:aws:bedrock:us-east-1:123456789012:model-customization-job/abc")},
		out:    &bedrock.GetModelCustomizationJobOutput{JobName: aws.String("ft1"), Status: brtypes.ModelCustomizationJobStatusCompleted, CreationTime: &t0},
		result: `{"CreationTime":"2024-01-02T03:04:05Z","JobName":"ft1","Status":"Completed"}`},
}
