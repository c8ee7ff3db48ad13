//go:build stepwise_bedrock

package sdk

import (
	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/bedrock"
)

// bedrockService is Amazon Bedrock's control plane (model customization
// jobs, provisioned throughput, ...), linked only with the build tag
// stepwise_bedrock for the size of its client (bench/RESULTS.md).
// Bedrock Runtime (invokeModel, converse) is in every build.
var bedrockService = service{errorName: "Bedrock", ops: bedrockOps, newClient: func(cfg aws.Config) any { return bedrock.NewFromConfig(cfg) }}
