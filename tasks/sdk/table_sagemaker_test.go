//go:build stepwise_sagemaker

package sdk

import (
	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sagemaker"
	smtypes "github.com/aws/aws-sdk-go-v2/service/sagemaker/types"
)

// sagemakerCodecCases are SageMaker's cases, linked only with its build
// tag: CreateTrainingJob's request and DescribeTrainingJob's answer as
// the SageMaker API reference documents them.
var sagemakerCodecCases = []codecCase{
	{service: "sagemaker", action: "createTrainingJob",
		params: `{"TrainingJobName":"job1","RoleArn":"arn:aws:iam::123456789012:role/sm","AlgorithmSpecification":{"TrainingImage":"img","TrainingInputMode":"File"},` +
			`"OutputDataConfig":{"S3OutputPath":"s3://b/out"},"ResourceConfig":{"InstanceCount":1,"InstanceType":"ml.m5.large","VolumeSizeInGB":10},"StoppingCondition":{"MaxRuntimeInSeconds":3600},"HyperParameters":{"epochs":"2"}}`,
		want: &sagemaker.CreateTrainingJobInput{TrainingJobName: aws.String("job1"), RoleArn: aws.String("arn:aws:iam::123456789012:role/sm"),
			AlgorithmSpecification: &smtypes.AlgorithmSpecification{TrainingImage: aws.String("img"), TrainingInputMode: smtypes.TrainingInputModeFile},
			OutputDataConfig:       &smtypes.OutputDataConfig{S3OutputPath: aws.String("s3://b/out")},
			ResourceConfig:         &smtypes.ResourceConfig{InstanceCount: aws.Int32(1), InstanceType: smtypes.TrainingInstanceTypeMlM5Large, VolumeSizeInGB: aws.Int32(10)},
			StoppingCondition:      &smtypes.StoppingCondition{MaxRuntimeInSeconds: aws.Int32(3600)}, HyperParameters: map[string]string{"epochs": "2"}},
		out:    &sagemaker.CreateTrainingJobOutput{TrainingJobArn: aws.String("arn:aws:sagemaker:us-east-1:123456789012:training-job/job1")},
		result: `{"TrainingJobArn":"arn:aws:sagemaker:us-east-1:123456789012:training-job/job1"}`},
	{service: "sagemaker", action: "describeTrainingJob",
		params: `{"TrainingJobName":"job1"}`,
		want:   &sagemaker.DescribeTrainingJobInput{TrainingJobName: aws.String("job1")},
		out: &sagemaker.DescribeTrainingJobOutput{TrainingJobName: aws.String("job1"), TrainingJobStatus: smtypes.TrainingJobStatusCompleted,
			SecondaryStatus: smtypes.SecondaryStatusCompleted, CreationTime: &t0},
		result: `{"CreationTime":"2024-01-02T03:04:05Z","SecondaryStatus":"Completed","TrainingJobName":"job1","TrainingJobStatus":"Completed"}`},
}
