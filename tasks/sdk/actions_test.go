package sdk

import (
	"maps"
	"slices"
	"testing"

	"stepwise/resource"
)

// TestActionListInSync checks that the action list asl validates aws-sdk
// resources against (resource/sdkactions_gen.go) names exactly the
// operations this package can call, for every registered service: run
// go generate in tasks/sdk when it fails.
func TestActionListInSync(t *testing.T) {
	for name, svc := range services {
		want := slices.Sorted(maps.Keys(svc.ops))
		got, ok := resource.SDKActions(name)
		if !ok {
			t.Errorf("%s: resource.SDKActions knows no such service; run go generate ./tasks/sdk", name)
			continue
		}
		if !slices.Equal(got, want) {
			t.Errorf("%s: resource.SDKActions has %d actions, the ops table %d; run go generate ./tasks/sdk", name, len(got), len(want))
		}
	}
	for _, name := range []string{"dynamodb", "ec2", ""} {
		if _, ok := resource.SDKActions(name); ok {
			t.Errorf("resource.SDKActions(%q) = true for a service the registry does not include", name)
		}
	}
}
