package enginetest

import (
	"fmt"
	"time"

	"stepwise/asl"
	"stepwise/engine"
	"stepwise/internal/conformance"
	"stepwise/jsonval"
)

// Account and region the recorded cases use.
const (
	conformanceAccount = "111111111111"
	conformanceRegion  = "us-east-1"
)

// CheckCase runs a recorded case and compares the outcome and, where one
// was recorded, the history with AWS's. It returns "" when they match, or
// the first difference.
func CheckCase(c conformance.Case) string {
	res, err := RunCase(c)
	if err != nil {
		return err.Error()
	}
	st := res.State
	m := conformance.NewMatcherFor(c)
	if d := m.Result(c, string(st.Status), st.Output, st.Error, st.Cause); d != "" {
		return d
	}
	if c.Expected.History == nil {
		return ""
	}
	actual, err := conformance.Actual(res.Events)
	if err != nil {
		return err.Error()
	}
	return m.History(c.Expected.History, actual)
}

// RunCase runs a recorded case on the engine: fast time, and Task
// invocations answered from the case's mocks in the order they are made.
// A case recorded on an Express state machine runs as an Express
// execution, as the server runs one: an Express ARN, the Express context
// object and no history (AWS keeps none for Express executions).
func RunCase(c conformance.Case) (Result, error) {
	return RunCaseWith(c, Run)
}

// RunCaseWith is RunCase with another driver, such as RunReloading.
func RunCaseWith(c conformance.Case, run func(*engine.Machine, engine.Execution, uint64, time.Time, Answer) (Result, error)) (Result, error) {
	def, err := asl.Parse(c.DefinitionJSON)
	if err != nil {
		return Result{}, fmt.Errorf("parse definition: %w", err)
	}
	express := c.Type == conformance.TypeExpress
	m := engine.NewMachine(def, engine.Options{NoHistory: express, ResourceKind: func(res string) engine.ResourceKind {
		// The recordings replaced activity ARNs with this placeholder.
		if res == "activity_arn" {
			return engine.ResourceActivity
		}
		return 0
	}})
	name := "StateMachine"
	exec := engine.Execution{
		ARN:              fmt.Sprintf("arn:aws:states:%s:%s:execution:%s:%s", conformanceRegion, conformanceAccount, name, c.ID),
		Name:             c.ID,
		StateMachineARN:  fmt.Sprintf("arn:aws:states:%s:%s:stateMachine:%s", conformanceRegion, conformanceAccount, name),
		StateMachineName: name,
		RoleARN:          fmt.Sprintf("arn:aws:iam::%s:role/StepFunctionsRole", conformanceAccount),
		Region:           conformanceRegion,
		Input:            c.Input,
		Express:          express,
	}
	if express {
		exec.ARN = fmt.Sprintf("arn:aws:states:%s:%s:express:%s:%s:%s", conformanceRegion, conformanceAccount, name, c.ID, expressID)
	}
	// Activity workers name themselves when they poll; the recording keeps
	// the names they gave, in order.
	var workers []string
	for _, e := range c.Expected.History {
		if obj, ok := e.(*jsonval.Object); ok {
			if typ, _ := obj.Get("type"); typ == "ActivityStarted" {
				d, _ := obj.Get("activityStartedEventDetails")
				name, _ := d.(*jsonval.Object).Get("workerName")
				s, _ := name.(string)
				workers = append(workers, s)
			}
		}
	}
	calls := map[string]int{}
	answer := func(inv *engine.Invocation) []engine.Event {
		mocks := c.Mocks[inv.StateName]
		n := calls[inv.StateName]
		calls[inv.StateName]++
		if n >= len(mocks) {
			return []engine.Event{{Kind: engine.TaskFailed, Error: "States.TaskFailed",
				Cause: fmt.Sprintf("no recorded answer for invocation %d of state %s", n+1, inv.StateName)}}
		}
		mock := mocks[n]
		var evs []engine.Event
		if inv.Kind == engine.ResourceActivity && !mock.Timeout {
			worker := ""
			if len(workers) > 0 {
				worker, workers = workers[0], workers[1:]
			}
			evs = append(evs, engine.Event{Kind: engine.TaskStarted, WorkerName: worker})
		}
		if mock.HasSubmitted {
			evs = append(evs, engine.Event{Kind: engine.TaskSubmitted, Output: mock.Submitted})
		}
		switch {
		case mock.Timeout:
		case mock.Throw != nil:
			evs = append(evs, engine.Event{Kind: engine.TaskFailed, Error: mock.Throw.Error, Cause: mock.Throw.Cause})
		default:
			evs = append(evs, engine.Event{Kind: engine.TaskSucceeded, Output: mock.Return})
		}
		return evs
	}
	start := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	return run(m, exec, 1, start, answer)
}

// expressID stands for the id AWS gives an Express execution, the last
// part of its ARN.
const expressID = "5e0c7a4c-1b0a-4c8e-9d7e-2f5c8a9b1d3e"

// Skipped lists recorded cases that are not expected to pass yet, with
// why: each needs something not built, or its recording disagrees with the
// other recordings. The conformance test and command skip them.
var Skipped = map[string]string{}
