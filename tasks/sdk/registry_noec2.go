//go:build !stepwise_ec2

package sdk

import "reflect"

// MissingEC2 is the cause of an aws-sdk:ec2:* Task's failure in a binary
// built without the EC2 client, which is left out of the default build
// for its size (about 45 MB; bench/RESULTS.md).
const MissingEC2 = "This stepwise binary was built without the EC2 client; rebuild with go build -tags stepwise_ec2 ./cmd/stepwise, or mock the state with --mock-config"

// ec2Service is EC2 known by name alone, so that its Tasks fail saying
// how to get it.
var ec2Service = service{errorName: "Ec2", missing: MissingEC2}

// ec2Unions are EC2's unions: none in this build.
var ec2Unions = map[reflect.Type]map[string]reflect.Type{}
