package main

import (
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
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

// TestRunMockedNestedLocal mocks a parent's states:startExecution Task:
// stepwise run (--mock-config, --test-case) and stepwise test
// (MockConfigFile.json, TestCase) answer it with the mocked response, as
// the server does, and never run the child, which here would fail.
func TestRunMockedNestedLocal(t *testing.T) {
	for _, suffix := range []string{"", ".sync", ".sync:2"} {
		t.Run("startExecution"+suffix, func(t *testing.T) {
			dir := t.TempDir()
			files := map[string]string{
				"child.asl.json": `{"StartAt":"Boom","States":{"Boom":{"Type":"Fail","Error":"ChildRan","Cause":"the child was started"}}}`,
				"parent.asl.json": `{"StartAt":"Call","States":{"Call":{"Type":"Task","Resource":"arn:aws:states:::states:startExecution` + suffix + `",
					"Parameters":{"StateMachineArn":"arn:aws:states:us-east-1:123456789012:stateMachine:child","Input":{"n.$":"$.n"}},
					"ResultSelector":{"arn.$":"$.ExecutionArn","out.$":"$.Output"},"End":true}}}`,
				"MockConfigFile.json": `{"StateMachines":{"parent":{"TestCases":{"Mocked":{"Call":"ChildDone"}}}},
					"MockedResponses":{"ChildDone":{"0":{"Return":{"ExecutionArn":"arn:aws:states:us-east-1:123456789012:execution:child:mocked","Output":{"n":42}}}}}}`,
				"tests.json": `{"Tests":[{"Name":"mocked child","StateMachine":"parent","TestCase":"Mocked","Input":{"n":21},
					"Output":{"arn":"arn:aws:states:us-east-1:123456789012:execution:child:mocked","out":{"n":42}}}]}`,
			}
			for name, text := range files {
				if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			code, out, stderr := runCLI(t, "run", filepath.Join(dir, "parent.asl.json"), "--input", `{"n":21}`,
				"--mock-config", filepath.Join(dir, "MockConfigFile.json"), "--test-case", "Mocked")
			r := decodeRun(t, out)
			got, _ := r.Output.(map[string]any)
			if code != exitOK || r.Status != "SUCCEEDED" || got["arn"] != "arn:aws:states:us-east-1:123456789012:execution:child:mocked" {
				t.Errorf("run: code %d, %+v, stderr %s", code, r, stderr)
			}
			code, out, stderr = runCLI(t, "test", dir)
			if code != exitOK || !strings.Contains(out, "ok: 1 test passed") {
				t.Errorf("test: code %d\n%s\n%s", code, out, stderr)
			}
		})
	}
}

// TestRunNestedSharedClock runs, with --fast-time, a parent whose .sync:2
// child waits 60 s: parent and child run on one clock, so the child
// starts when the parent's task starts it, stops 60 s later, and the
// parent's task succeeds then, as on AWS, where the parent waits for the
// child in real time.
func TestRunNestedSharedClock(t *testing.T) {
	dir := t.TempDir()
	files := map[string]string{
		"child.asl.json": `{"StartAt":"W","States":{"W":{"Type":"Wait","Seconds":60,"End":true}}}`,
		"parent.asl.json": `{"StartAt":"Call","States":{"Call":{"Type":"Task","Resource":"arn:aws:states:::states:startExecution.sync:2",
			"Parameters":{"StateMachineArn":"arn:aws:states:us-east-1:123456789012:stateMachine:child","Input":{}},"End":true}}}`,
	}
	for name, text := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	began := time.Now()
	code, out, stderr := runCLI(t, "run", filepath.Join(dir, "parent.asl.json"), "--fast-time", "--history")
	if code != exitOK {
		t.Fatalf("code %d\n%s\n%s", code, out, stderr)
	}
	if took := time.Since(began); took > 30*time.Second {
		t.Errorf("took %v: the child's Wait was not skipped", took)
	}
	var r struct {
		Output struct {
			StartDate, StopDate int64
		}
		History []struct {
			Type      string
			Timestamp float64
		}
	}
	if err := json.Unmarshal([]byte(out), &r); err != nil {
		t.Fatalf("output is not JSON: %v\n%s", err, out)
	}
	at := map[string]int64{} // event type -> its time in epoch milliseconds
	var types []string
	for _, e := range r.History {
		at[e.Type] = int64(math.Round(e.Timestamp * 1000))
		types = append(types, e.Type)
	}
	// As on AWS and the server: the start's response comes first.
	if want := "ExecutionStarted TaskStateEntered TaskScheduled TaskStarted TaskSubmitted TaskSucceeded TaskStateExited ExecutionSucceeded"; strings.Join(types, " ") != want {
		t.Errorf("history %v, want %s", types, want)
	}
	if at["TaskSubmitted"] != r.Output.StartDate {
		t.Errorf("TaskSubmitted at %d, the child's start at %d: want the same time", at["TaskSubmitted"], r.Output.StartDate)
	}
	// The clocks are one, but the parent's events and the child's dates
	// are read at slightly different instants of real time.
	near := func(what string, got, want int64) {
		if got < want || got > want+1000 {
			t.Errorf("%s at %d, want within a second after %d", what, got, want)
		}
	}
	near("the child's stop", r.Output.StopDate, r.Output.StartDate+60000)
	near("the child's start", r.Output.StartDate, at["TaskStarted"])
	near("the parent's TaskSucceeded", at["TaskSucceeded"], at["ExecutionStarted"]+60000)
	near("the parent's TaskSucceeded", at["TaskSucceeded"], r.Output.StopDate)
}

// On one fast clock, a parent's task timeout fires when a nested child's
// Wait moves the clock past it, as on AWS, where the parent's .sync task
// times out after TimeoutSeconds whatever its child does.
func TestRunNestedTimeoutSharedClock(t *testing.T) {
	dir := t.TempDir()
	files := map[string]string{
		"child.asl.json": `{"StartAt":"W","States":{"W":{"Type":"Wait","Seconds":60,"End":true}}}`,
		"parent.asl.json": `{"StartAt":"Call","States":{"Call":{"Type":"Task","Resource":"arn:aws:states:::states:startExecution.sync:2",
			"TimeoutSeconds":10,"Parameters":{"StateMachineArn":"arn:aws:states:us-east-1:123456789012:stateMachine:child","Input":{}},"End":true}}}`,
	}
	for name, text := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	began := time.Now()
	_, out, stderr := runCLI(t, "run", filepath.Join(dir, "parent.asl.json"), "--fast-time", "--history")
	if took := time.Since(began); took > 8*time.Second {
		t.Errorf("took %v: the timeout waited in real time", took)
	}
	var r struct {
		Status, Error string
		History       []struct {
			Type      string
			Timestamp float64
		}
	}
	if err := json.Unmarshal([]byte(out), &r); err != nil {
		t.Fatalf("output is not JSON: %v\n%s\n%s", err, out, stderr)
	}
	if r.Status != "FAILED" || r.Error != "States.Timeout" {
		t.Fatalf("status %s, error %s, want FAILED with States.Timeout\n%s", r.Status, r.Error, out)
	}
	at := map[string]int64{}
	for _, e := range r.History {
		at[e.Type] = int64(math.Round(e.Timestamp * 1000))
	}
	if got := at["TaskTimedOut"] - at["TaskStarted"]; got != 10000 {
		t.Errorf("TaskTimedOut %d ms after TaskStarted, want 10000", got)
	}
}
