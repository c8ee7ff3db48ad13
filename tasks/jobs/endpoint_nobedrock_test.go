//go:build !stepwise_bedrock

package jobs_test

import (
	"testing"

	"stepwise/tasks"
	"stepwise/tasks/sdk"
)

// TestBedrockNotBuilt: in a build without the Bedrock control-plane
// client, bedrock:createModelCustomizationJob fails with a cause saying
// how to rebuild; bedrock:invokeModel, which Bedrock Runtime carries
// out, is in every build (TestOptimizedMapping).
func TestBedrockNotBuilt(t *testing.T) {
	f := newFakeAWS(t, func(string, int) (int, string) { return 200, `{}` })
	iv := onEndpoint(t, f, "bedrock")
	_, err := iv.Invoke(t.Context(), tasks.Request{Resource: "arn:aws:states:::bedrock:createModelCustomizationJob", Input: obj(t, `{"JobName":"ft1"}`)})
	if te := taskError(t, err); te.Name != "States.TaskFailed" || te.Cause != sdk.MissingBedrock {
		t.Errorf("got %s %s, want States.TaskFailed %s", te.Name, te.Cause, sdk.MissingBedrock)
	}
}
