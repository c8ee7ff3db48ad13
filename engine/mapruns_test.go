package engine_test

import (
	"testing"
	"time"

	"stepwise/asl"
	"stepwise/engine"
	"stepwise/engine/enginetest"
)

func keyedExecution(input string) engine.Execution {
	e := testExecution(input)
	e.TokenKey = []byte(enginetest.TestTokenKey)
	return e
}

// mapRunDefinition is a distributed Map of three items, one at a time,
// whose children wait on a task.
const mapRunDefinition = `{"StartAt":"M","States":{"M":{"Type":"Map","MaxConcurrency":1,"ToleratedFailureCount":0,
	"ItemProcessor":{"ProcessorConfig":{"Mode":"DISTRIBUTED","ExecutionType":"STANDARD"},"StartAt":"T","States":{
		"T":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke","Parameters":{"FunctionName":"f","Payload.$":"$"},"End":true}}},
	"End":true}}}`

// invocations returns the ids of the task invocations out asks for.
func invocations(out engine.Output) []int64 {
	var ids []int64
	for _, c := range out.Commands {
		if c.Kind == engine.CommandInvoke {
			ids = append(ids, c.ID)
		}
	}
	return ids
}

func lastRun(t *testing.T, out engine.Output) engine.MapRunSummary {
	t.Helper()
	if len(out.MapRuns) == 0 {
		t.Fatalf("the step reported no Map Run")
	}
	return out.MapRuns[len(out.MapRuns)-1]
}

// TestMapRunSummaries checks what each step reports of a Map Run, and
// that UpdateMapRun raises its concurrency and lowers its tolerance.
func TestMapRunSummaries(t *testing.T) {
	sm, err := asl.Parse([]byte(mapRunDefinition))
	if err != nil {
		t.Fatal(err)
	}
	m := engine.NewMachine(sm, engine.Options{})
	now := time.Date(2026, 12, 3, 0, 0, 0, 0, time.UTC)
	st, out, err := m.Start(keyedExecution(`[1,2,3]`), 1, now)
	if err != nil {
		t.Fatal(err)
	}
	run := lastRun(t, out)
	want := engine.MapRunCounts{Pending: 2, Running: 1, Total: 3}
	if run.Status != engine.MapRunRunning || run.Executions != want || run.MaxConcurrency != 1 || !run.Start.Equal(now) || run.StateName != "M" {
		t.Fatalf("after start: %+v", run)
	}
	first := invocations(out)
	if len(first) != 1 {
		t.Fatalf("%d invocations at MaxConcurrency 1", len(first))
	}

	// Two at a time from now on.
	two := int64(2)
	out, err = m.Step(st, engine.Event{Kind: engine.UpdateMapRun, Time: now, MapRunARN: run.ARN, MapRunChange: &engine.MapRunChange{MaxConcurrency: &two}})
	if err != nil {
		t.Fatal(err)
	}
	run = lastRun(t, out)
	if run.MaxConcurrency != 2 || run.Executions != (engine.MapRunCounts{Pending: 1, Running: 2, Total: 3}) {
		t.Fatalf("after UpdateMapRun: %+v", run)
	}
	second := invocations(out)
	if len(second) != 1 {
		t.Fatalf("UpdateMapRun started %d iterations, want 1", len(second))
	}

	out, err = m.Step(st, engine.Event{Kind: engine.TaskSucceeded, Time: now.Add(time.Second), ID: first[0], Output: 1.0})
	if err != nil {
		t.Fatal(err)
	}
	if run = lastRun(t, out); run.Executions != (engine.MapRunCounts{Running: 2, Succeeded: 1, Total: 3}) {
		t.Fatalf("after one success: %+v", run)
	}
	third := invocations(out)

	// A failure beyond the tolerance fails the run; the child still
	// running is aborted.
	out, err = m.Step(st, engine.Event{Kind: engine.TaskFailed, Time: now.Add(2 * time.Second), ID: second[0], Error: "E"})
	if err != nil {
		t.Fatal(err)
	}
	run = lastRun(t, out)
	if run.Status != engine.MapRunFailed || !run.Stop.Equal(now.Add(2*time.Second)) ||
		run.Executions != (engine.MapRunCounts{Succeeded: 1, Failed: 1, Aborted: 1, Total: 3}) {
		t.Fatalf("after the failure: %+v", run)
	}
	if len(third) != 1 || st.Status != engine.StatusFailed || st.Error != "States.ExceedToleratedFailureThreshold" {
		t.Errorf("execution %s %s", st.Status, st.Error)
	}
}

// TestMapRunAbortedWithExecution checks that a Map Run still running when
// its execution is stopped is reported ABORTED.
func TestMapRunAbortedWithExecution(t *testing.T) {
	sm, err := asl.Parse([]byte(mapRunDefinition))
	if err != nil {
		t.Fatal(err)
	}
	m := engine.NewMachine(sm, engine.Options{})
	now := time.Now()
	st, _, err := m.Start(keyedExecution(`[1,2]`), 1, now)
	if err != nil {
		t.Fatal(err)
	}
	out, err := m.Step(st, engine.Event{Kind: engine.Stop, Time: now, Error: "Stopped"})
	if err != nil {
		t.Fatal(err)
	}
	if run := lastRun(t, out); run.Status != engine.MapRunAborted || run.Executions != (engine.MapRunCounts{Aborted: 2, Total: 2}) {
		t.Fatalf("%+v", run)
	}
}

// TestMapRunResultsWritten checks that a run whose ResultWriter wrote its
// results reports how many it wrote.
func TestMapRunResultsWritten(t *testing.T) {
	sm, err := asl.Parse([]byte(mapIODefinition))
	if err != nil {
		t.Fatal(err)
	}
	m := engine.NewMachine(sm, engine.Options{})
	now := time.Now()
	st, out, err := m.Start(keyedExecution(`{"key":"k","max":5}`), 1, now)
	if err != nil {
		t.Fatal(err)
	}
	read := invocations(out)
	if len(read) != 1 {
		t.Fatalf("%d invocations, want the reader's", len(read))
	}
	if out, err = m.Step(st, engine.Event{Kind: engine.TaskSucceeded, Time: now, ID: read[0], Output: []any{"a", "c"}}); err != nil {
		t.Fatal(err)
	}
	write := invocations(out)
	if len(write) != 1 {
		t.Fatalf("%d invocations, want the writer's", len(write))
	}
	if out, err = m.Step(st, engine.Event{Kind: engine.TaskSucceeded, Time: now, ID: write[0], Output: "written"}); err != nil {
		t.Fatal(err)
	}
	run := lastRun(t, out)
	if want := (engine.MapRunCounts{Succeeded: 2, Total: 2, ResultsWritten: 2}); run.Status != engine.MapRunSucceeded || run.Executions != want {
		t.Fatalf("%+v", run)
	}
}
