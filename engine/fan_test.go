package engine_test

import (
	"fmt"
	"testing"

	"stepwise/asl"
	"stepwise/engine"
	"stepwise/engine/enginetest"
	"stepwise/history"
)

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
