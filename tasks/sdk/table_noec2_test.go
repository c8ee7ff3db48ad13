//go:build !stepwise_ec2

package sdk

// optionalCodecCases are the cases of the services linked only with a
// build tag: none in this build.
var optionalCodecCases []codecCase
