package sdk

import (
	"slices"
)

// Services returns the keys [Config.Endpoints] reads, sorted: the names
// of the registry's services this binary can call (s3, sfn, kms, ...),
// with eventbridge's endpoint under "events", the key tasks/awsservice's
// events:putEvents reads too; so that a command line can refuse a name no
// client would use.
func Services() []string {
	var names []string
	for name, svc := range services {
		if svc.newClient != nil {
			names = append(names, svc.endpointKey(name))
		}
	}
	slices.Sort(names)
	return slices.Compact(names)
}

// Included returns the aws-sdk names of the services this binary's
// AWS SDK integrations call, sorted: s3, not events, for eventbridge.
func Included() []string {
	var names []string
	for name, svc := range services {
		if svc.newClient != nil {
			names = append(names, name)
		}
	}
	slices.Sort(names)
	return names
}
