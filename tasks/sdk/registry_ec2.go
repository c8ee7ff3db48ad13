//go:build stepwise_ec2

package sdk

import (
	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
)

// ec2Service is EC2, linked only with the build tag stepwise_ec2: its
// client alone adds about 45 MB to the binary (bench/RESULTS.md).
var ec2Service = service{errorName: "Ec2", ops: ec2Ops, newClient: func(cfg aws.Config) any { return ec2.NewFromConfig(cfg) }}
