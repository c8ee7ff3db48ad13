//go:build !stepwise_ec2

package sdk

import "reflect"

// MissingEC2 is the cause of an aws-sdk:ec2:* Task's failure in a binary
// built without the EC2 client, which is left out of the default build
// for its size (about 45 MB; bench/RESULTS.md).
const MissingEC2 = "This stepwise binary was built without the EC2 client; rebuild with go build -tags stepwise_ec2 ./cmd/stepwise, or mock the state with --mock-config"

// optionalServices are the services linked only with a build tag; this
// build knows them by name alone, so that their Tasks fail saying how to
// get them.
var optionalServices = map[string]service{
	"ec2": {errorName: "Ec2", missing: MissingEC2},
}

// optionalUnions are the unions of the services linked only with a build
// tag: none in this build.
var optionalUnions = map[reflect.Type]map[string]reflect.Type{}
