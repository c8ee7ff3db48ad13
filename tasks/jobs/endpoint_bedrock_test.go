//go:build stepwise_bedrock

package jobs_test

import (
	"net/url"
	"testing"

	"stepwise/jsonval"
	"stepwise/tasks"
)

// TestBedrockCustomizationSyncOnEndpoint runs
// bedrock:createModelCustomizationJob.sync against a Bedrock endpoint
// through the Bedrock client (built with -tags stepwise_bedrock):
// CreateModelCustomizationJob, then GetModelCustomizationJob by the job's
// ARN until Status ends; the result is the job as Get describes it.
func TestBedrockCustomizationSyncOnEndpoint(t *testing.T) {
	const arn = "arn:aws:bedrock:us-east-1:123456789012:model-customization-job/abc"
	get := "GET /model-customization-jobs/" + arn
	f := newFakeAWS(t, func(key string, n int) (int, string) {
		switch {
		case key == "POST /model-customization-jobs":
			return 201, `{"jobArn":"` + arn + `"}`
		case key == get && n < 2:
			return 200, `{"jobArn":"` + arn + `","jobName":"ft1","status":"InProgress"}`
		case key == get:
			return 200, `{"jobArn":"` + arn + `","jobName":"ft1","status":"Completed"}`
		}
		return 400, `{"message":"unexpected ` + url.PathEscape(key) + `"}`
	})
	iv := onEndpoint(t, f, "bedrock")
	out, err := iv.Invoke(t.Context(), tasks.Request{Resource: "arn:aws:states:::bedrock:createModelCustomizationJob.sync", Input: obj(t,
		`{"JobName":"ft1","CustomModelName":"m1","RoleArn":"arn:aws:iam::123456789012:role/br","BaseModelIdentifier":"amazon.titan-text-express-v1",`+
			`"TrainingDataConfig":{"S3Uri":"s3://b/train.jsonl"},"OutputDataConfig":{"S3Uri":"s3://b/out/"},"HyperParameters":{"epochCount":"1"}}`)})
	if err != nil {
		t.Fatalf("%v (calls %v)", err, f.keys())
	}
	if got := jsonval.MustMarshalString(out); got != `{"JobArn":"`+arn+`","JobName":"ft1","Status":"Completed"}` {
		t.Errorf("result %s", got)
	}
}
