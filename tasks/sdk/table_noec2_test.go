//go:build !stepwise_ec2

package sdk

// ec2CodecCases are EC2's cases: none in a build without its client.
var ec2CodecCases []codecCase
