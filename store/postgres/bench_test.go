package postgres_test

import (
	"fmt"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"stepwise/store"
	"stepwise/store/postgres"
	"stepwise/store/postgres/pgtest"
)

// BenchmarkCommit measures durable commits per second of a small step (two
// history events, a state blob, one new work item replacing the consumed
// one) from 1, 16 and 256 concurrent committers, each on its own
// execution, against the test database (see pgtest.DSN) with the default
// pool size (Options.MaxConns 0). Commits are as durable as the server is
// configured to make them (fsync, synchronous_commit); PostgreSQL flushes
// the commits of concurrent transactions together.
//
// It hands out b.N commits to its own goroutines rather than using
// b.Loop, which drives a single goroutine.
func BenchmarkCommit(b *testing.B) {
	for _, n := range []int{1, 16, 256} {
		b.Run("committers="+strconv.Itoa(n), func(b *testing.B) {
			benchmarkCommit(b, n)
		})
	}
}

func benchmarkCommit(b *testing.B, committers int) {
	ctx := b.Context()
	dsn := pgtest.DSN(b)
	s, err := postgres.Open(ctx, dsn, postgres.Options{Schema: pgtest.SchemaName(b, dsn)})
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	t0 := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
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
