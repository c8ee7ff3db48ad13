package engine_test

import (
	"fmt"
	"strings"
	"testing"

	"stepwise/asl"
	"stepwise/engine"
	"stepwise/engine/enginetest"
	"stepwise/history"
)

// TestMapItemReaderResultWriterFail checks that a Map with an ItemReader or
// a ResultWriter, which Stepwise does not carry out yet, fails the
// execution with States.Runtime naming the field, even under a Catch,
// instead of iterating over the state's input or dropping its results
// (issue 14, item 14).
func TestMapItemReaderResultWriterFail(t *testing.T) {
	const processor = `"ItemProcessor":{"ProcessorConfig":{"Mode":"DISTRIBUTED","ExecutionType":"STANDARD"},"StartAt":"P","States":{"P":{"Type":"Pass","End":true}}}`
	tests := []struct{ name, field, def string }{
		{"JSONPath ItemReader", "ItemReader", `{"StartAt":"M","States":{"M":{"Type":"Map",
			"ItemReader":{"Resource":"arn:aws:states:::s3:getObject","ReaderConfig":{"InputType":"JSON"},"Parameters":{"Bucket":"b","Key":"k"}},` + processor + `,
			"Catch":[{"ErrorEquals":["States.ALL"],"Next":"S"}],"End":true},"S":{"Type":"Succeed"}}}`},
		{"JSONPath ResultWriter", "ResultWriter", `{"StartAt":"M","States":{"M":{"Type":"Map",
			"ResultWriter":{"Resource":"arn:aws:states:::s3:putObject","Parameters":{"Bucket":"b","Prefix":"p"}},` + processor + `,"End":true}}}`},
		{"JSONata ItemReader", "ItemReader", `{"QueryLanguage":"JSONata","StartAt":"M","States":{"M":{"Type":"Map",
			"ItemReader":{"Resource":"arn:aws:states:::s3:getObject","ReaderConfig":{"InputType":"JSON"},"Arguments":{"Bucket":"b","Key":"k"}},` + processor + `,"End":true}}}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			sm, err := asl.Parse([]byte(tt.def))
			if err != nil {
				t.Fatal(err)
			}
			res, err := enginetest.Run(engine.NewMachine(sm, engine.Options{}), testExecution(`[1,2,3]`), 1, start, answers(nil))
			if err != nil {
				t.Fatal(err)
			}
			st := res.State
			if st.Status != engine.StatusFailed || st.Error != "States.Runtime" || !strings.Contains(st.Cause, "'"+tt.field+"'") {
				t.Fatalf("got %s %s %q, want States.Runtime naming %s", st.Status, st.Error, st.Cause, tt.field)
			}
			for _, e := range res.Events {
				if e.Type == history.MapStateStarted || e.Type == history.MapRunStarted {
					t.Errorf("the Map started (%s)", e.Type)
				}
			}
		})
	}
}

// TestMapIterationsTimeOutTogether checks that a Map's iterations run at
// once, up to MaxConcurrency: their tasks are all scheduled before any of
// them times out, and all time out at the same moment. When the first
// failure fails the Map, every other iteration still running gets its
// MapIterationAborted event, and none starts after it (issue 14, item 17).
func TestMapIterationsTimeOutTogether(t *testing.T) {
	for _, tt := range []struct {
		name    string
		maxConc string
		started int // iterations started before the Map fails
		aborted []int
	}{
		{"unbounded", ``, 3, []int{1, 2}},
		{"MaxConcurrency 2", `"MaxConcurrency":2,`, 2, []int{1}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			sm, err := asl.Parse([]byte(`{"StartAt":"M","States":{"M":{"Type":"Map",` + tt.maxConc + `"ItemProcessor":{"StartAt":"T","States":{"T":{"Type":"Task",
				"Resource":"arn:aws:states:::lambda:invoke","TimeoutSeconds":5,"End":true}}},"End":true}}}`))
			if err != nil {
				t.Fatal(err)
			}
			res, err := enginetest.Run(engine.NewMachine(sm, engine.Options{}), testExecution(`[1,2,3]`), 1, start, answers(map[string][]engine.Event{"T": {hang, hang, hang}}))
			if err != nil {
				t.Fatal(err)
			}
			if st := res.State; st.Status != engine.StatusFailed || st.Error != "States.Timeout" {
				t.Fatalf("got %s %s", st.Status, st.Error)
			}
			var started, scheduled, timedOut int
			var aborted []int
			for _, e := range res.Events {
				switch e.Type {
				case history.MapIterationStarted:
					started++
				case history.TaskScheduled:
					scheduled++
					if e.Timestamp != start {
						t.Errorf("task %d scheduled at %v, after the Map started", scheduled, e.Timestamp)
					}
				case history.TaskTimedOut:
					timedOut++
					if scheduled != tt.started {
						t.Errorf("a task timed out with %d of %d scheduled", scheduled, tt.started)
					}
				case history.MapIterationAborted:
					aborted = append(aborted, e.Details.(*history.MapIterationEventDetails).Index)
				case history.MapStateFailed:
					if len(aborted) != len(tt.aborted) {
						t.Errorf("MapStateFailed before the aborted iterations' events")
					}
				}
			}
			if started != tt.started || timedOut != 1 {
				t.Errorf("%d iterations started, %d timed out; want %d and 1", started, timedOut, tt.started)
			}
			if fmt.Sprint(aborted) != fmt.Sprint(tt.aborted) {
				t.Errorf("aborted iterations %v, want %v", aborted, tt.aborted)
			}
		})
	}
}
