package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// writeNested writes a parent that starts a child with .sync:2 and a
// child beside it, and returns the folder.
func writeNested(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	files := map[string]string{
		"child.asl.json": `{"StartAt":"Double","States":{"Double":{"Type":"Pass","Parameters":{"n.$":"States.MathAdd($.n, $.n)"},"End":true}}}`,
		"parent.asl.json": `{"StartAt":"Call","States":{"Call":{"Type":"Task","Resource":"arn:aws:states:::states:startExecution.sync:2",
			"Parameters":{"StateMachineArn":"arn:aws:states:us-east-1:123456789012:stateMachine:child","Input":{"n.$":"$.n"}},
			"OutputPath":"$.Output","End":true}}}`,
		"tests.json": `{"Tests":[{"Name":"the child doubles","StateMachine":"parent","Input":{"n":21},"Output":{"n":42}}]}`,
	}
	for name, text := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// TestRunNestedLocal runs a parent whose child is the definition beside
// it, with stepwise run and stepwise test.
func TestRunNestedLocal(t *testing.T) {
	dir := writeNested(t)
	code, out, stderr := runCLI(t, "run", filepath.Join(dir, "parent.asl.json"), "--input", `{"n":21}`)
	if code != exitOK || !strings.Contains(out, `"n": 42`) {
		t.Fatalf("run: code %d\n%s\n%s", code, out, stderr)
	}
	code, out, stderr = runCLI(t, "test", dir)
	if code != exitOK || !strings.Contains(out, "ok: 1 test passed") {
		t.Fatalf("test: code %d\n%s\n%s", code, out, stderr)
	}
	// Without the child beside it, the start is refused as on AWS.
	if err := os.Remove(filepath.Join(dir, "child.asl.json")); err != nil {
		t.Fatal(err)
	}
	code, out, _ = runCLI(t, "run", filepath.Join(dir, "parent.asl.json"), "--input", `{"n":21}`)
	if code != exitFail || !strings.Contains(out, "StepFunctions.StateMachineDoesNotExistException") {
		t.Fatalf("run without the child: code %d\n%s", code, out)
	}
}
