//go:build !stepwise_ec2

package sdk

import (
	"context"
	"errors"
	"slices"
	"testing"

	"stepwise/jsonval"
	"stepwise/tasks"
)

// TestEC2NotBuilt checks the default build: aws-sdk:ec2:describeInstances
// fails with the cause that says how to get the EC2 client, and ec2 is
// neither an endpoint key nor an included service.
func TestEC2NotBuilt(t *testing.T) {
	iv := New(Config{AWS: true})
	_, err := iv.Invoke(context.Background(), tasks.Request{Resource: "arn:aws:states:::aws-sdk:ec2:describeInstances", Input: jsonval.NewObject(0)})
	var te *tasks.Error
	want := "This stepwise binary was built without the EC2 client; rebuild with go build -tags stepwise_ec2 ./cmd/stepwise, or mock the state with --mock-config"
	if !errors.As(err, &te) || te.Name != tasks.ErrorTaskFailed || te.Cause != want {
		t.Errorf("got %v, want States.TaskFailed: %s", err, want)
	}
	if slices.Contains(Services(), "ec2") || slices.Contains(Included(), "ec2") {
		t.Error("ec2 is listed as included in a build without it")
	}
}
