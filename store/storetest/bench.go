package storetest

import (
	"fmt"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"stepwise/store"
)

// BenchCommit is the commit benchmark every backend runs (see
// bench/RESULTS.md): durable commits per second of one small execution
// step (two history events, a 512-byte state blob, one new work item
// replacing the consumed one) from committers goroutines, each on its own
// execution, reported as commits/s. started, when not nil, is called once
// the executions exist and just before the timed part, so that a backend
// can read its own counters there.
//
// It hands out b.N commits to its own goroutines rather than using
// b.Loop, which drives a single goroutine.
func BenchCommit(b *testing.B, s store.Store, committers int, started func()) {
	ctx := b.Context()
	t0 := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	if _, err := s.CreateStateMachine(ctx, store.StateMachine{ARN: "arn:aws:states:us-east-1:123456789012:stateMachine:bench",
		Name: "bench", Type: store.TypeStandard, Definition: "{}", RevisionID: "r1", CreationDate: t0}, nil); err != nil {
		b.Fatal(err)
	}
	arns := make([]string, committers)
	for i := range arns {
		e := store.Execution{
			ARN:             fmt.Sprintf("arn:aws:states:us-east-1:123456789012:execution:bench:e%d", i),
			StateMachineARN: "arn:aws:states:us-east-1:123456789012:stateMachine:bench",
			RevisionID:      "r1", Name: fmt.Sprintf("e%d", i), Input: "{}", StartDate: t0,
		}
		arns[i] = e.ARN
		if err := s.Commit(ctx, store.Commit{Start: &e, AddWork: []store.WorkItem{{ID: "0", Kind: "invoke"}}}); err != nil {
			b.Fatal(err)
		}
	}
	state := make([]byte, 512)
	event := []byte(`{"timestamp":1735689600.0,"type":"TaskStateEntered","id":1,"previousEventId":0,"stateEnteredEventDetails":{"name":"Work","input":"{}"}}`)
	if started != nil {
		started()
	}

	var ops atomic.Int64
	var wg sync.WaitGroup
	b.ReportAllocs()
	b.ResetTimer()
	for i := range committers {
		wg.Go(func() {
			version, id := int64(1), int64(0)
			for ops.Add(1) <= int64(b.N) {
				err := s.Commit(ctx, store.Commit{
					ExecutionARN: arns[i], ExpectedVersion: version, State: state,
					Events: []store.Event{
						{ID: 2*id + 1, Time: t0, Type: "TaskSucceeded", JSON: event},
						{ID: 2*id + 2, Time: t0, Type: "TaskStateExited", JSON: event},
					},
					DoneWork: []string{strconv.FormatInt(id, 10)},
					AddWork:  []store.WorkItem{{ID: strconv.FormatInt(id+1, 10), Kind: "invoke", Payload: event, Due: t0}},
				})
				if err != nil {
					b.Error(err)
					return
				}
				version++
				id++
			}
		})
	}
	wg.Wait()
	b.StopTimer()
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "commits/s")
}
