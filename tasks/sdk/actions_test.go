package sdk

import (
	"maps"
	"slices"
	"testing"

	"stepwise/resource"
)

// TestActionListInSync checks that the action list asl validates aws-sdk
// resources against (resource/sdkactions_gen.go) names exactly the
// operations this package can call, for every linked service, and that
// the services this build knows by name only (ec2 without its build tag)
// or leaves wholly to tasks/awsservice (dynamodb, sqs) are listed too:
// run go generate in tasks/sdk when it fails.
func TestActionListInSync(t *testing.T) {
	for name, svc := range services {
		got, ok := resource.SDKActions(name)
		if !ok {
			t.Errorf("%s: resource.SDKActions knows no such service; run go generate ./tasks/sdk", name)
			continue
		}
		if svc.missing != "" {
			if len(got) == 0 {
				t.Errorf("%s: resource.SDKActions lists no actions", name)
			}
			continue
		}
		if want := slices.Sorted(maps.Keys(svc.ops)); !slices.Equal(got, want) {
			t.Errorf("%s: resource.SDKActions has %d actions, the ops table %d; run go generate ./tasks/sdk", name, len(got), len(want))
		}
	}
	for _, name := range []string{"dynamodb", "sqs"} {
		if a, ok := resource.SDKActions(name); !ok || !slices.Contains(a, "sendMessage") && !slices.Contains(a, "putItem") {
			t.Errorf("resource.SDKActions(%q) = %d actions, %v; want its actions listed for validation", name, len(a), ok)
		}
		if _, ok := services[name]; ok {
			t.Errorf("%s is in the registry, but tasks/awsservice carries out all its actions", name)
		}
	}
	for _, name := range []string{"braket", "nosuchservice", ""} {
		if _, ok := resource.SDKActions(name); ok {
			t.Errorf("resource.SDKActions(%q) = true for a service Stepwise does not include", name)
		}
	}
	// Event-stream operations are not AWS SDK integrations.
	for service, action := range map[string]string{"kinesis": "subscribeToShard", "s3": "selectObjectContent", "bedrockruntime": "converseStream"} {
		if KnownAction(service, action) {
			t.Errorf("%s:%s, an event stream, is in the table", service, action)
		}
	}
}
