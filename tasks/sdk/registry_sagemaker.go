//go:build stepwise_sagemaker

package sdk

import (
	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sagemaker"
)

// sagemakerService is SageMaker, linked only with the build tag
// stepwise_sagemaker for the size of its client (bench/RESULTS.md).
var sagemakerService = service{errorName: "SageMaker", ops: sagemakerOps, newClient: func(cfg aws.Config) any { return sagemaker.NewFromConfig(cfg) }}
