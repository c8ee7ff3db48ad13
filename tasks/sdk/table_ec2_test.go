//go:build stepwise_ec2

package sdk

import (
	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	ec2types "github.com/aws/aws-sdk-go-v2/service/ec2/types"
)

// ec2CodecCases are EC2's cases, linked only with its build tag. EC2's list parameters are plural in Step Functions (Filters
// for the query protocol's Filter.N), as the SDK's member names are.
var ec2CodecCases = []codecCase{
	{service: "ec2", action: "describeInstances",
		params: `{"Filters":[{"Name":"instance-type","Values":["t2.micro"]}],"MaxResults":5}`,
		want:   &ec2.DescribeInstancesInput{Filters: []ec2types.Filter{{Name: aws.String("instance-type"), Values: []string{"t2.micro"}}}, MaxResults: aws.Int32(5)},
		out: &ec2.DescribeInstancesOutput{Reservations: []ec2types.Reservation{{ReservationId: aws.String("r-1234567890abcdef0"), OwnerId: aws.String("123456789012"),
			Instances: []ec2types.Instance{{InstanceId: aws.String("i-1234567890abcdef0"), InstanceType: ec2types.InstanceTypeT2Micro, LaunchTime: &t0,
				State: &ec2types.InstanceState{Code: aws.Int32(16), Name: ec2types.InstanceStateNameRunning}}}}}},
		result: `{"Reservations":[{"Instances":[{"InstanceId":"i-1234567890abcdef0","InstanceType":"t2.micro","LaunchTime":"2024-01-02T03:04:05Z",` +
			`"State":{"Code":16,"Name":"running"}}],"OwnerId":"123456789012","ReservationId":"r-1234567890abcdef0"}]}`},
}
