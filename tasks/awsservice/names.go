package awsservice

import (
	"maps"
	"slices"
)

// Services returns the short names of the services an [Invoker] calls
// (dynamodb, events, sesv2, sns, sqs), sorted: the keys
// [Config.Endpoints] reads, so that a command line can refuse a name no
// integration would use.
func Services() []string {
	names := map[string]bool{}
	for _, s := range optimized {
		names[s.name] = true
	}
	for _, s := range sdkServices {
		names[s.svc.name] = true
	}
	return slices.Sorted(maps.Keys(names))
}
