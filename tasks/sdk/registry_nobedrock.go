//go:build !stepwise_bedrock

package sdk

import "reflect"

// MissingBedrock is the cause of an aws-sdk:bedrock:* Task's failure (and
// of arn:aws:states:::bedrock:createModelCustomizationJob, which calls
// it) in a binary built without the Bedrock control-plane client, which
// is left out of the default build for its size (bench/RESULTS.md).
// Bedrock Runtime (aws-sdk:bedrockruntime:*, bedrock:invokeModel) is in
// every build.
const MissingBedrock = "This stepwise binary was built without the Bedrock client; rebuild with go build -tags stepwise_bedrock ./cmd/stepwise, or mock the state with --mock-config"

// bedrockService is Bedrock known by name alone, so that its Tasks fail
// saying how to get it.
var bedrockService = service{errorName: "Bedrock", missing: MissingBedrock}

// bedrockUnions are Bedrock's unions: none in this build.
var bedrockUnions = map[reflect.Type]map[string]reflect.Type{}
