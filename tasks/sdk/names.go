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

// Missing reports why this binary cannot call service, a service of the
// registry left out of its build (ec2 without -tags stepwise_ec2,
// sagemaker without -tags stepwise_sagemaker, bedrock without -tags
// stepwise_bedrock): the cause its Tasks fail with, which says how to
// rebuild. ok is false for a service this binary calls or does not know.
func Missing(service string) (cause string, ok bool) {
	svc, found := services[service]
	return svc.missing, found && svc.missing != ""
}
