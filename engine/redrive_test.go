package engine_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"stepwise/asl"
	"stepwise/engine"
	"stepwise/engine/enginetest"
	"stepwise/history"
	"stepwise/jsonval"
)

// byInput answers a task by its input's JSON text: the listed outcomes in
// order, then success with the input. It counts the calls per input.
type byInput struct {
	outcomes map[string][]engine.Event
	calls    map[string]int
}

func (b *byInput) answer(inv *engine.Invocation) []engine.Event {
	key := inv.StateName + " " + jsonval.MustMarshalString(inv.Input)
	if b.calls == nil {
		b.calls = map[string]int{}
	}
	n := b.calls[key]
	b.calls[key]++
	if list := b.outcomes[key]; n < len(list) {
		if list[n].Kind == 0 {
			return nil
		}
		return []engine.Event{list[n]}
	}
	return []engine.Event{{Kind: engine.TaskSucceeded, Output: inv.Input}}
}

// TestRedrive runs an execution to its unsuccessful end, redrives it
// (RedriveExecution: "continues the failed execution from the unsuccessful
// step and uses the same input ... doesn't rerun [the successful] steps";
// for Parallel and inline Map only "the iterations and branches that
// failed or aborted"), and checks what ran again and how it ended. Each
// case runs twice: straight, and with the State encoded and decoded
// between the end and each redrive, as the durable runtime keeps it.
func TestRedrive(t *testing.T) {
	tests := []struct {
		name     string
		def      string
		input    string
		outcomes map[string][]engine.Event
		// first is how the first run ends; then each redrive's ending,
		// the last one SUCCEEDED with output.
		first    engine.Status
		redrives []engine.Status
		output   string
		// calls are the invocations per "State input" after all runs.
		calls map[string]int
		// events are the event types of the last redrive.
		events string
	}{
		{
			name: "top-level task",
			def: `{"StartAt":"P","States":{"P":{"Type":"Pass","Result":"p","ResultPath":"$.p","Next":"T"},
				"T":{"Type":"Task","Resource":"` + lambda + `","Parameters":{"rc.$":"$$.Execution.RedriveCount"},"End":true}}}`,
			input:    `{}`,
			outcomes: map[string][]engine.Event{`T {"rc":0}`: {fail("Boom", "first")}},
			first:    engine.StatusFailed, redrives: []engine.Status{engine.StatusSucceeded},
			output: `{"rc":1}`,
			calls:  map[string]int{`T {"rc":0}`: 1, `T {"rc":1}`: 1},
			events: "ExecutionRedriven TaskStateEntered LambdaFunctionScheduled LambdaFunctionStarted LambdaFunctionSucceeded TaskStateExited ExecutionSucceeded",
		},
		{
			name: "parallel reruns only the failed branch",
			def: `{"StartAt":"Par","States":{"Par":{"Type":"Parallel","End":true,"Branches":[
				{"StartAt":"A","States":{"A":{"Type":"Task","Resource":"` + lambda + `","Parameters":{"a":1},"End":true}}},
				{"StartAt":"B","States":{"B":{"Type":"Task","Resource":"` + lambda + `","Parameters":{"b":2},"End":true}}}]}}}`,
			input:    `{}`,
			outcomes: map[string][]engine.Event{`B {"b":2}`: {fail("Boom", "")}},
			first:    engine.StatusFailed, redrives: []engine.Status{engine.StatusSucceeded},
			output: `[{"a":1},{"b":2}]`,
			calls:  map[string]int{`A {"a":1}`: 1, `B {"b":2}`: 2},
			events: "ExecutionRedriven TaskStateEntered LambdaFunctionScheduled LambdaFunctionStarted LambdaFunctionSucceeded TaskStateExited ParallelStateSucceeded ParallelStateExited ExecutionSucceeded",
		},
		{
			name: "inline map reruns only the failed iteration",
			def: `{"StartAt":"M","States":{"M":{"Type":"Map","End":true,"ItemProcessor":{"StartAt":"T","States":{
				"T":{"Type":"Task","Resource":"` + lambda + `","End":true}}}}}}`,
			input:    `[1,2,3]`,
			outcomes: map[string][]engine.Event{`T 2`: {fail("Boom", "")}},
			first:    engine.StatusFailed, redrives: []engine.Status{engine.StatusSucceeded},
			output: `[1,2,3]`,
			// Item 3 was running when item 2 failed the Map: it was
			// aborted, so it runs again too; item 1 had succeeded.
			calls: map[string]int{`T 1`: 1, `T 2`: 2, `T 3`: 2},
			events: "ExecutionRedriven MapIterationStarted MapIterationStarted TaskStateEntered LambdaFunctionScheduled LambdaFunctionStarted " +
				"TaskStateEntered LambdaFunctionScheduled LambdaFunctionStarted LambdaFunctionSucceeded TaskStateExited MapIterationSucceeded " +
				"LambdaFunctionSucceeded TaskStateExited MapIterationSucceeded MapStateSucceeded MapStateExited ExecutionSucceeded",
		},
		{
			name: "inline map one at a time starts the items not yet started",
			def: `{"StartAt":"M","States":{"M":{"Type":"Map","MaxConcurrency":1,"End":true,"ItemProcessor":{"StartAt":"T","States":{
				"T":{"Type":"Task","Resource":"` + lambda + `","End":true}}}}}}`,
			input:    `[1,2,3]`,
			outcomes: map[string][]engine.Event{`T 2`: {fail("Boom", "")}},
			first:    engine.StatusFailed, redrives: []engine.Status{engine.StatusSucceeded},
			output: `[1,2,3]`,
			calls:  map[string]int{`T 1`: 1, `T 2`: 2, `T 3`: 1},
		},
		{
			name: "map in a parallel branch, the other branch succeeded",
			def: `{"StartAt":"Par","States":{"Par":{"Type":"Parallel","End":true,"Branches":[
				{"StartAt":"A","States":{"A":{"Type":"Task","Resource":"` + lambda + `","Parameters":{"a":1},"End":true}}},
				{"StartAt":"M","States":{"M":{"Type":"Map","ItemsPath":"$.items","End":true,"ItemProcessor":{"StartAt":"T","States":{
					"T":{"Type":"Task","Resource":"` + lambda + `","End":true}}}}}}]}}}`,
			input:    `{"items":["x","y"]}`,
			outcomes: map[string][]engine.Event{`T "y"`: {fail("Boom", "")}},
			first:    engine.StatusFailed, redrives: []engine.Status{engine.StatusSucceeded},
			output: `[{"a":1},["x","y"]]`,
			calls:  map[string]int{`A {"a":1}`: 1, `T "x"`: 1, `T "y"`: 2},
		},
		{
			name: "a distributed map runs again whole",
			def: `{"StartAt":"M","States":{"M":{"Type":"Map","End":true,"ItemProcessor":{
				"ProcessorConfig":{"Mode":"DISTRIBUTED","ExecutionType":"STANDARD"},"StartAt":"T","States":{
				"T":{"Type":"Task","Resource":"` + lambda + `","End":true}}}}}}`,
			input:    `[1,2]`,
			outcomes: map[string][]engine.Event{`T 2`: {fail("Boom", "")}},
			first:    engine.StatusFailed, redrives: []engine.Status{engine.StatusSucceeded},
			output: `[1,2]`,
			calls:  map[string]int{`T 1`: 2, `T 2`: 2},
			events: "ExecutionRedriven MapStateEntered MapStateStarted MapRunStarted MapRunSucceeded MapStateSucceeded MapStateExited ExecutionSucceeded",
		},
		{
			name: "timed out",
			def: `{"TimeoutSeconds":10,"StartAt":"P","States":{"P":{"Type":"Pass","Next":"T"},
				"T":{"Type":"Task","Resource":"` + lambda + `","End":true}}}`,
			input:    `{"k":1}`,
			outcomes: map[string][]engine.Event{`T {"k":1}`: {hang}},
			first:    engine.StatusTimedOut, redrives: []engine.Status{engine.StatusSucceeded},
			output: `{"k":1}`,
			calls:  map[string]int{`T {"k":1}`: 2},
		},
		{
			name: "timed out again after the redrive",
			def: `{"TimeoutSeconds":10,"StartAt":"T","States":{
				"T":{"Type":"Task","Resource":"` + lambda + `","End":true}}}`,
			input:    `{"k":1}`,
			outcomes: map[string][]engine.Event{`T {"k":1}`: {hang, hang}},
			first:    engine.StatusTimedOut, redrives: []engine.Status{engine.StatusTimedOut, engine.StatusSucceeded},
			output: `{"k":1}`,
			calls:  map[string]int{`T {"k":1}`: 3},
		},
		{
			name: "a caught failure is not run again",
			def: `{"StartAt":"Par","States":{"Par":{"Type":"Parallel","Next":"Later","Catch":[{"ErrorEquals":["States.ALL"],"ResultPath":"$.err","Next":"Later"}],"Branches":[
				{"StartAt":"A","States":{"A":{"Type":"Task","Resource":"` + lambda + `","Parameters":{"a":1},"End":true}}}]},
				"Later":{"Type":"Task","Resource":"` + lambda + `","Parameters":{"later":true},"End":true}}}`,
			input: `{}`,
			outcomes: map[string][]engine.Event{
				`A {"a":1}`:            {fail("Caught", "")},
				`Later {"later":true}`: {fail("Boom", "")},
			},
			first: engine.StatusFailed, redrives: []engine.Status{engine.StatusSucceeded},
			output: `{"later":true}`,
			calls:  map[string]int{`A {"a":1}`: 1, `Later {"later":true}`: 2},
			events: "ExecutionRedriven TaskStateEntered LambdaFunctionScheduled LambdaFunctionStarted LambdaFunctionSucceeded TaskStateExited ExecutionSucceeded",
		},
		{
			name: "a retried branch keeps nothing from its failed attempt",
			def: `{"StartAt":"Par","States":{"Par":{"Type":"Parallel","End":true,"Retry":[{"ErrorEquals":["Once"],"MaxAttempts":1,"IntervalSeconds":1}],"Branches":[
				{"StartAt":"A","States":{"A":{"Type":"Task","Resource":"` + lambda + `","Parameters":{"a":1},"End":true}}},
				{"StartAt":"B","States":{"B":{"Type":"Task","Resource":"` + lambda + `","Parameters":{"b":2},"End":true}}}]}}}`,
			input:    `{}`,
			outcomes: map[string][]engine.Event{`B {"b":2}`: {fail("Once", ""), fail("Boom", "")}},
			first:    engine.StatusFailed, redrives: []engine.Status{engine.StatusSucceeded},
			output: `[{"a":1},{"b":2}]`,
			// A ran in both attempts of the first run, and not again.
			calls: map[string]int{`A {"a":1}`: 2, `B {"b":2}`: 3},
		},
		{
			name: "variables as the failed state was entered",
			def: `{"QueryLanguage":"JSONata","StartAt":"P","States":{"P":{"Type":"Pass","Assign":{"v":"set"},"Next":"T"},
				"T":{"Type":"Task","Resource":"` + lambda + `","Arguments":{"v":"{% $v %}"},"Assign":{"v":"changed"},"Output":"{% $v %}","End":true}}}`,
			input:    `{}`,
			outcomes: map[string][]engine.Event{`T {"v":"set"}`: {fail("Boom", "")}},
			first:    engine.StatusFailed, redrives: []engine.Status{engine.StatusSucceeded},
			output: `"set"`,
			calls:  map[string]int{`T {"v":"set"}`: 2},
		},
		{
			name:     "redriven twice",
			def:      `{"StartAt":"T","States":{"T":{"Type":"Task","Resource":"` + lambda + `","Parameters":{"n":1},"End":true}}}`,
			input:    `{}`,
			outcomes: map[string][]engine.Event{`T {"n":1}`: {fail("Boom", "1"), fail("Boom", "2")}},
			first:    engine.StatusFailed, redrives: []engine.Status{engine.StatusFailed, engine.StatusSucceeded},
			output: `{"n":1}`,
			calls:  map[string]int{`T {"n":1}`: 3},
		},
	}
	for _, tt := range tests {
		for _, reload := range []bool{false, true} {
			name := tt.name
			if reload {
				name += "/reloaded"
			}
			t.Run(name, func(t *testing.T) {
				def, err := asl.Parse([]byte(tt.def))
				if err != nil {
					t.Fatal(err)
				}
				m := engine.NewMachine(def, engine.Options{})
				b := &byInput{outcomes: tt.outcomes}
				res, err := enginetest.Run(m, testExecution(tt.input), 1, start, b.answer)
				if err != nil {
					t.Fatal(err)
				}
				st := res.State
				if st.Status != tt.first {
					t.Fatalf("first run: status %s, want %s", st.Status, tt.first)
				}
				total := int64(len(res.Events))
				now := start
				for i, want := range tt.redrives {
					if reload {
						st = reloadState(t, m, st)
					}
					now = now.Add(time.Hour)
					rr, err := enginetest.Redrive(m, st, now, b.answer)
					if err != nil {
						t.Fatalf("redrive %d: %v", i+1, err)
					}
					st = rr.State
					if st.Status != want {
						t.Fatalf("redrive %d: status %s (%s: %s), want %s", i+1, st.Status, st.Error, st.Cause, want)
					}
					if st.Exec.RedriveCount != i+1 {
						t.Errorf("redrive %d: RedriveCount %d", i+1, st.Exec.RedriveCount)
					}
					checkRedriveEvents(t, rr.Events, total, i+1)
					total += int64(len(rr.Events))
					if i == len(tt.redrives)-1 && tt.events != "" {
						if got := redriveTypes(rr.Events); got != tt.events {
							t.Errorf("events of the redrive:\n got %s\nwant %s", got, tt.events)
						}
					}
				}
				if got := jsonval.MustMarshalString(st.Output); got != tt.output {
					t.Errorf("output %s, want %s", got, tt.output)
				}
				if d := cmp.Diff(tt.calls, b.calls); d != "" {
					t.Errorf("calls (-want +got):\n%s", d)
				}
				if err := m.CheckRedrive(st); !errors.Is(err, engine.ErrNotRedrivable) {
					t.Errorf("CheckRedrive of a SUCCEEDED execution: %v", err)
				}
			})
		}
	}
}

// checkRedriveEvents checks that a redrive's events go on numbering the
// history and begin with ExecutionRedriven after the final event.
func checkRedriveEvents(t *testing.T, evs []history.Event, before int64, count int) {
	t.Helper()
	if len(evs) == 0 || evs[0].Type != history.ExecutionRedriven {
		t.Fatalf("redrive %d: events do not begin with ExecutionRedriven: %s", count, redriveTypes(evs))
	}
	d, ok := evs[0].Details.(*history.ExecutionRedrivenEventDetails)
	if !ok || d.RedriveCount != count {
		t.Errorf("redrive %d: ExecutionRedriven details %#v", count, evs[0].Details)
	}
	if evs[0].ID != before+1 || evs[0].PreviousEventID != before {
		t.Errorf("redrive %d: ExecutionRedriven id %d previous %d, want %d and %d", count, evs[0].ID, evs[0].PreviousEventID, before+1, before)
	}
	for i, e := range evs {
		if e.ID != before+1+int64(i) {
			t.Fatalf("redrive %d: event %d has id %d", count, i, e.ID)
		}
	}
}

func redriveTypes(evs []history.Event) string {
	names := make([]string, len(evs))
	for i, e := range evs {
		names[i] = string(e.Type)
	}
	return strings.Join(names, " ")
}

func reloadState(t *testing.T, m *engine.Machine, st *engine.State) *engine.State {
	t.Helper()
	data, err := engine.MarshalState(st)
	if err != nil {
		t.Fatal(err)
	}
	st, err = m.LoadState(data)
	if err != nil {
		t.Fatal(err)
	}
	return st
}

// TestRedriveRefused checks that only an execution that ended FAILED,
// TIMED_OUT or ABORTED can be redriven.
func TestRedriveRefused(t *testing.T) {
	def, err := asl.Parse([]byte(`{"StartAt":"T","States":{"T":{"Type":"Task","Resource":"` + lambda + `","End":true}}}`))
	if err != nil {
		t.Fatal(err)
	}
	m := engine.NewMachine(def, engine.Options{})
	exec := testExecution(`{}`)
	exec.TokenKey = []byte(enginetest.TestTokenKey)
	st, _, err := m.Start(exec, 1, start)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := m.Redrive(st, start); !errors.Is(err, engine.ErrNotRedrivable) || !strings.Contains(err.Error(), "RUNNING") {
		t.Errorf("redrive of a running execution: %v", err)
	}
	// Stopped, it can be redriven, and runs its task again.
	if _, err := m.Step(st, engine.Event{Kind: engine.Stop, Time: start, Error: "E", Cause: "C"}); err != nil {
		t.Fatal(err)
	}
	if st.Status != engine.StatusAborted {
		t.Fatalf("status %s", st.Status)
	}
	out, err := m.Redrive(st, start.Add(time.Minute))
	if err != nil {
		t.Fatal(err)
	}
	if st.Status != engine.StatusRunning || st.Error != "" || st.Cause != "" {
		t.Errorf("after redrive: status %s error %q cause %q", st.Status, st.Error, st.Cause)
	}
	invokes := 0
	for _, c := range out.Commands {
		if c.Kind == engine.CommandInvoke {
			invokes++
		}
	}
	if invokes != 1 || redriveTypes(out.Events) != "ExecutionRedriven TaskStateEntered LambdaFunctionScheduled LambdaFunctionStarted" {
		t.Errorf("redrive of an aborted execution: %d invocations, events %s", invokes, redriveTypes(out.Events))
	}

	express := testExecution(`{}`)
	express.Express = true
	res, err := enginetest.Run(m, express, 1, start, func(*engine.Invocation) []engine.Event { return []engine.Event{fail("E", "")} })
	if err != nil {
		t.Fatal(err)
	}
	if _, err := m.Redrive(res.State, start); !errors.Is(err, engine.ErrNotRedrivable) {
		t.Errorf("redrive of an Express execution: %v", err)
	}

	small := engine.NewMachine(def, engine.Options{MaxEvents: 7})
	res, err = enginetest.Run(small, testExecution(`{}`), 1, start, func(*engine.Invocation) []engine.Event { return []engine.Event{fail("E", "")} })
	if err != nil {
		t.Fatal(err)
	}
	if _, err := small.Redrive(res.State, start); !errors.Is(err, engine.ErrNotRedrivable) || !errors.Is(err, engine.ErrHistoryFull) {
		t.Errorf("redrive at the history limit: %v (history %d events)", err, len(res.Events))
	}
}
