package api_test

import (
	"encoding/json"
	"net/http"
	"testing"

	"stepwise/api"
)

// TestVersionShapes checks the JSON of the version and alias actions as
// AWS writes it: ConflictException answers 409, empty lists are [],
// encryptionConfiguration appears only once set, and the members the
// SDK requires are present.
func TestVersionShapes(t *testing.T) {
	s := startServer(t, api.Options{}, nil)
	arn := createMachine(t, s, "shapes", passMachine, "")
	body := func(v any) []byte {
		b, err := json.Marshal(v)
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	status, out := rawCall(t, s.url, "ListStateMachineVersions", body(map[string]any{"stateMachineArn": arn}))
	if status != http.StatusOK || out["stateMachineVersions"] == nil || len(out["stateMachineVersions"].([]any)) != 0 {
		t.Errorf("ListStateMachineVersions of none: %d %v", status, out)
	}
	status, out = rawCall(t, s.url, "ListStateMachineAliases", body(map[string]any{"stateMachineArn": arn}))
	if status != http.StatusOK || out["stateMachineAliases"] == nil {
		t.Errorf("ListStateMachineAliases of none: %d %v", status, out)
	}
	status, out = rawCall(t, s.url, "DescribeStateMachine", body(map[string]any{"stateMachineArn": arn}))
	if _, ok := out["encryptionConfiguration"]; status != http.StatusOK || ok {
		t.Errorf("DescribeStateMachine without encryption: %d %v", status, out)
	}
	status, out = rawCall(t, s.url, "PublishStateMachineVersion", body(map[string]any{"stateMachineArn": arn, "revisionId": "stale"}))
	if status != http.StatusConflict || out["__type"] != "ConflictException" {
		t.Errorf("a stale revisionId: %d %v", status, out)
	}
	status, out = rawCall(t, s.url, "UpdateStateMachine", body(map[string]any{"stateMachineArn": arn, "publish": true,
		"encryptionConfiguration": map[string]any{"type": "AWS_OWNED_KEY"}}))
	if status != http.StatusOK || out["stateMachineVersionArn"] != arn+":1" || out["revisionId"] == nil || out["updateDate"] == nil {
		t.Errorf("UpdateStateMachine with publish: %d %v", status, out)
	}
	status, out = rawCall(t, s.url, "DescribeStateMachine", body(map[string]any{"stateMachineArn": arn + ":1"}))
	enc, _ := out["encryptionConfiguration"].(map[string]any)
	if status != http.StatusOK || out["stateMachineArn"] != arn+":1" || enc["type"] != "AWS_OWNED_KEY" {
		t.Errorf("DescribeStateMachine of the version: %d %v", status, out)
	}
	status, out = rawCall(t, s.url, "CreateStateMachineAlias", body(map[string]any{"name": "live",
		"routingConfiguration": []any{map[string]any{"stateMachineVersionArn": arn + ":1"}}}))
	if status != http.StatusBadRequest || out["__type"] != "ValidationException" {
		t.Errorf("a routing item without weight: %d %v", status, out)
	}
	status, out = rawCall(t, s.url, "CreateStateMachineAlias", body(map[string]any{"name": "live",
		"routingConfiguration": []any{map[string]any{"stateMachineVersionArn": arn + ":1", "weight": 100}}}))
	if status != http.StatusOK || out["stateMachineAliasArn"] != arn+":live" || out["creationDate"] == nil {
		t.Errorf("CreateStateMachineAlias: %d %v", status, out)
	}
	status, out = rawCall(t, s.url, "DescribeStateMachineAlias", body(map[string]any{"stateMachineAliasArn": arn + ":live"}))
	if _, ok := out["description"]; status != http.StatusOK || ok || out["name"] != "live" || out["updateDate"] == nil {
		t.Errorf("DescribeStateMachineAlias: %d %v", status, out)
	}
	status, out = rawCall(t, s.url, "StartExecution", body(map[string]any{"stateMachineArn": arn + ":live", "input": `{"n":1}`}))
	if status != http.StatusOK {
		t.Fatalf("StartExecution on the alias: %d %v", status, out)
	}
	waitDone(t, s, out["executionArn"].(string))
	status, out = rawCall(t, s.url, "ListExecutions", body(map[string]any{"stateMachineArn": arn + ":live"}))
	list, _ := out["executions"].([]any)
	if status != http.StatusOK || len(list) != 1 {
		t.Fatalf("ListExecutions of the alias: %d %v", status, out)
	}
	item := list[0].(map[string]any)
	if item["stateMachineAliasArn"] != arn+":live" || item["stateMachineVersionArn"] != arn+":1" || item["stateMachineArn"] != arn {
		t.Errorf("listed %v", item)
	}
	status, out = rawCall(t, s.url, "DeleteStateMachineVersion", body(map[string]any{"stateMachineVersionArn": arn + ":1"}))
	if status != http.StatusConflict || out["__type"] != "ConflictException" {
		t.Errorf("deleting a routed version: %d %v", status, out)
	}
}
