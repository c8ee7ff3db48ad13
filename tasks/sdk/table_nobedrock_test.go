//go:build !stepwise_bedrock

package sdk

// bedrockCodecCases are Bedrock's cases: none in a build without its
// client.
var bedrockCodecCases []codecCase
