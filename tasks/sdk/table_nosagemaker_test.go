//go:build !stepwise_sagemaker

package sdk

// sagemakerCodecCases are SageMaker's cases: none in a build without its
// client.
var sagemakerCodecCases []codecCase
