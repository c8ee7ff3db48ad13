//go:build !stepwise_sagemaker

package sdk

import "reflect"

// MissingSageMaker is the cause of an aws-sdk:sagemaker:* Task's failure
// (and of arn:aws:states:::sagemaker:* ones, which call it) in a binary
// built without the SageMaker client, which is left out of the default
// build for its size (bench/RESULTS.md).
const MissingSageMaker = "This stepwise binary was built without the SageMaker client; rebuild with go build -tags stepwise_sagemaker ./cmd/stepwise, or mock the state with --mock-config"

// sagemakerService is SageMaker known by name alone, so that its Tasks
// fail saying how to get it.
var sagemakerService = service{errorName: "SageMaker", missing: MissingSageMaker}

// sagemakerUnions are SageMaker's unions: none in this build.
var sagemakerUnions = map[reflect.Type]map[string]reflect.Type{}
