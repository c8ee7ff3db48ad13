package api_test

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"stepwise/api"
	"stepwise/service"
	"stepwise/store/memory"
)

// actions are the names FuzzAPIDecode sends bodies to, in the order of the
// fuzzer's action index.
var actions = []string{
	"CreateStateMachine", "DescribeStateMachine", "UpdateStateMachine", "DeleteStateMachine", "ListStateMachines",
	"ValidateStateMachineDefinition", "StartExecution", "StartSyncExecution", "StopExecution", "DescribeExecution",
	"ListExecutions", "GetExecutionHistory", "DescribeStateMachineForExecution", "CreateActivity", "DescribeActivity",
	"DeleteActivity", "ListActivities", "GetActivityTask", "SendTaskSuccess", "SendTaskFailure", "SendTaskHeartbeat",
	"TagResource", "UntagResource", "ListTagsForResource", "NoSuchAction",
}

// FuzzAPIDecode sends arbitrary bodies to every action. Properties: the
// handler never panics (a recovered panic would be a 500), never answers
// 5xx, and always answers a JSON object, with __type and message when the
// status is not 200.
func FuzzAPIDecode(f *testing.F) {
	sm := "arn:aws:states:us-east-1:123456789012:stateMachine:fz"
	seeds := []string{
		``, `{}`, `null`, `[]`, `"x"`, `{"maxResults":5}`, `{"maxResults":-1}`, `{"nextToken":""}`,
		`{"name":"fz","definition":` + jsonString(passMachine) + `,"roleArn":"` + roleARN + `","type":"EXPRESS"}`,
		`{"name":"fz","definition":"{}","roleArn":"r","loggingConfiguration":{"level":"ALL"},"tags":[{"key":"a","value":"b"}]}`,
		`{"stateMachineArn":"` + sm + `","input":"{\"n\":1}"}`,
		`{"stateMachineArn":"` + sm + `","input":"{","name":"a b"}`,
		`{"executionArn":"arn:aws:states:us-east-1:123456789012:execution:fz:x","includeExecutionData":false,"reverseOrder":true}`,
		`{"activityArn":"arn:aws:states:us-east-1:123456789012:activity:a","workerName":"w"}`,
		`{"taskToken":"t","output":"{}","error":"E","cause":"C"}`,
		`{"resourceArn":"` + sm + `","tags":[{"key":null}],"tagKeys":["a"]}`,
		`{"definition":"{\"StartAt\":1}","severity":"WARNING","maxResults":1}`,
		`{"stateMachineArn":{"nested":[1,2,{"x":null}]}}`,
	}
	for i, s := range seeds {
		for a := range actions {
			if (i+a)%3 == 0 {
				f.Add(uint8(a), []byte(s))
			}
		}
	}
	st := memory.New()
	svc, err := service.Open(service.Config{Store: st})
	if err != nil {
		f.Fatal(err)
	}
	f.Cleanup(func() { _ = svc.Close(); _ = st.Close() })
	h := api.NewHandler(svc, api.Options{})
	f.Fuzz(func(t *testing.T, action uint8, body []byte) {
		// A short deadline ends GetActivityTask's long poll.
		ctx, cancel := context.WithTimeout(context.Background(), 20*time.Millisecond)
		defer cancel()
		req := httptest.NewRequestWithContext(ctx, http.MethodPost, "/", bytes.NewReader(body))
		req.Header.Set("X-Amz-Target", "AWSStepFunctions."+actions[int(action)%len(actions)])
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		if rec.Code >= 500 {
			t.Fatalf("status %d: %s", rec.Code, rec.Body)
		}
		var out map[string]any
		if err := json.Unmarshal(rec.Body.Bytes(), &out); err != nil {
			t.Fatalf("response %q is not a JSON object", rec.Body)
		}
		if rec.Code != http.StatusOK && (out["__type"] == nil || out["message"] == nil) {
			t.Fatalf("error response without __type and message: %s", rec.Body)
		}
	})
}

func jsonString(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}
