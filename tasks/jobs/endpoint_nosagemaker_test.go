//go:build !stepwise_sagemaker

package jobs_test

import (
	"testing"

	"stepwise/tasks"
	"stepwise/tasks/jobs"
	"stepwise/tasks/sdk"
)

// TestSageMakerNotBuilt: in a build without the SageMaker client, a
// sagemaker:* Task fails with a cause saying how to rebuild, even with
// an endpoint configured.
func TestSageMakerNotBuilt(t *testing.T) {
	f := newFakeAWS(t, func(string, int) (int, string) { return 200, `{}` })
	iv := onEndpoint(t, f, "sagemaker")
	_, err := iv.Invoke(t.Context(), tasks.Request{Resource: "arn:aws:states:::sagemaker:createTrainingJob.sync", Input: obj(t, `{"TrainingJobName":"job1"}`)})
	if te := taskError(t, err); te.Name != "States.TaskFailed" || te.Cause != sdk.MissingSageMaker {
		t.Errorf("got %s %s, want States.TaskFailed %s", te.Name, te.Cause, sdk.MissingSageMaker)
	}
	if len(f.keys()) != 0 {
		t.Errorf("calls %v, want none", f.keys())
	}
}

// TestMissingBeforeEndpoint: with Config.Missing (tasks/sdk's), a
// sagemaker:* Task in a build without the client says how to rebuild,
// not how to configure an endpoint the build could not use.
func TestMissingBeforeEndpoint(t *testing.T) {
	iv := newInvoker(t, t.TempDir(), "exit 0", func(c *jobs.Config) { c.Missing = sdk.Missing })
	_, err := iv.Invoke(t.Context(), tasks.Request{Resource: "arn:aws:states:::sagemaker:createModel", Input: obj(t, `{"ModelName":"m"}`)})
	if te := taskError(t, err); te.Name != "States.TaskFailed" || te.Cause != sdk.MissingSageMaker {
		t.Errorf("got %s %s, want States.TaskFailed %s", te.Name, te.Cause, sdk.MissingSageMaker)
	}
}
