//go:build stepwise_sagemaker

package jobs_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"stepwise/jsonval"
	"stepwise/tasks"
)

// TestSageMakerSyncOnEndpoint runs sagemaker:createTrainingJob.sync
// against a SageMaker endpoint through the SageMaker client (built with
// -tags stepwise_sagemaker): CreateTrainingJob, then DescribeTrainingJob
// by the Task's TrainingJobName until TrainingJobStatus ends; the result
// is the description; Failed fails the task with it as the cause; a
// cancelled task calls StopTrainingJob.
func TestSageMakerSyncOnEndpoint(t *testing.T) {
	status := "Completed"
	f := newFakeAWS(t, func(key string, n int) (int, string) {
		switch {
		case key == "SageMaker.CreateTrainingJob":
			return 200, `{"TrainingJobArn":"arn:aws:sagemaker:us-east-1:123456789012:training-job/job1"}`
		case key == "SageMaker.DescribeTrainingJob" && (n%2 == 1 || status == "InProgress"):
			return 200, `{"TrainingJobName":"job1","TrainingJobStatus":"InProgress","SecondaryStatus":"Training"}`
		case key == "SageMaker.DescribeTrainingJob":
			return 200, `{"TrainingJobName":"job1","TrainingJobStatus":"` + status + `","SecondaryStatus":"` + status + `"}`
		case key == "SageMaker.StopTrainingJob":
			return 200, `{}`
		}
		return 400, `{"__type":"ValidationException","Message":"unexpected"}`
	})
	iv := onEndpoint(t, f, "sagemaker")
	params := `{"TrainingJobName":"job1","RoleArn":"arn:aws:iam::123456789012:role/sm","AlgorithmSpecification":{"TrainingImage":"img","TrainingInputMode":"File"},` +
		`"OutputDataConfig":{"S3OutputPath":"s3://b/out"},"ResourceConfig":{"InstanceCount":1,"InstanceType":"ml.m5.large","VolumeSizeInGB":10},"StoppingCondition":{"MaxRuntimeInSeconds":3600}}`
	out, err := iv.Invoke(t.Context(), tasks.Request{Resource: "arn:aws:states:::sagemaker:createTrainingJob.sync", Input: obj(t, params)})
	if err != nil {
		t.Fatal(err)
	}
	if got := jsonval.MustMarshalString(out); got != `{"SecondaryStatus":"Completed","TrainingJobName":"job1","TrainingJobStatus":"Completed"}` {
		t.Errorf("result %s", got)
	}
	if got := f.call(1); got != `SageMaker.DescribeTrainingJob {"TrainingJobName":"job1"}` {
		t.Errorf("describe %s", got)
	}
	status = "Failed"
	_, err = iv.Invoke(t.Context(), tasks.Request{Resource: "arn:aws:states:::sagemaker:createTrainingJob.sync", Input: obj(t, params)})
	if te := taskError(t, err); te.Name != "States.TaskFailed" || te.Cause != `{"SecondaryStatus":"Failed","TrainingJobName":"job1","TrainingJobStatus":"Failed"}` {
		t.Errorf("failed job: %s %s", te.Name, te.Cause)
	}

	status = "InProgress"
	for len(f.seen) > 0 {
		<-f.seen
	}
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	done := make(chan error, 1)
	go func() {
		_, err := iv.Invoke(ctx, tasks.Request{Resource: "arn:aws:states:::sagemaker:createTrainingJob.sync", Input: obj(t, params)})
		done <- err
	}()
	for k := ""; k != "SageMaker.DescribeTrainingJob"; {
		select {
		case k = <-f.seen:
		case <-time.After(10 * time.Second):
			t.Fatal("no polls")
		}
	}
	cancel()
	if err := <-done; !errors.Is(err, context.Canceled) {
		t.Errorf("error %v (%T), want context.Canceled", err, err)
	}
	keys := f.keys()
	if got := f.call(len(keys) - 1); got != `SageMaker.StopTrainingJob {"TrainingJobName":"job1"}` {
		t.Errorf("last call %s, want StopTrainingJob (calls %s)", got, strings.Join(keys, " "))
	}
}
