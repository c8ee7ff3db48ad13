//go:build stepwise_ec2

package sdk

import (
	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
)

// optionalServices are the services linked only with a build tag: EC2's
// client alone adds about 45 MB to the binary (bench/RESULTS.md).
var optionalServices = map[string]service{
	"ec2": {errorName: "Ec2", ops: ec2Ops, newClient: func(cfg aws.Config) any { return ec2.NewFromConfig(cfg) }},
}
