package storetest

import (
	"fmt"
	"strconv"
	"sync"
	"testing"

	"stepwise/store"
)

func mapRunARN(sm, label, id string) string { return region + "mapRun:" + sm + "/" + label + ":" + id }

// mapRun is a running Map Run of the execution e, started at started.
func mapRun(e store.Execution, id string, started int) store.MapRun {
	return store.MapRun{
		ARN:                        mapRunARN("m", "Map", id),
		ExecutionARN:               e.ARN,
		StateMachineARN:            e.StateMachineARN,
		Status:                     store.MapRunRunning,
		StartDate:                  at(started),
		MaxConcurrency:             10,
		ToleratedFailurePercentage: 12.5,
		ToleratedFailureCount:      3,
		ItemCounts:                 store.MapRunCounts{Pending: 7, Running: 2, Succeeded: 1, Total: 10},
		ExecutionCounts:            store.MapRunCounts{Running: 2, Succeeded: 1, Total: 3},
	}
}

// testMapRuns: a commit's Map Runs are inserted, then replaced whole by a
// later commit naming the same ARN.
func testMapRuns(t *testing.T, s store.Store) {
	ctx := t.Context()
	ensureMachine(t, s, "m")
	e := execution("m", "e", at(0))
	run := mapRun(e, "r1", 1)
	must(t, "start with a map run", s.Commit(ctx, store.Commit{Start: &e, Events: []store.Event{event(1, "ExecutionStarted")}, MapRuns: []store.MapRun{run}}))
	got, err := s.GetMapRun(ctx, run.ARN)
	must(t, "get map run", err)
	diff(t, "map run after insert", run, got)

	ended := run
	ended.Status, ended.StopDate = store.MapRunSucceeded, at(9)
	ended.MaxConcurrency, ended.ToleratedFailurePercentage, ended.ToleratedFailureCount = 0, 100, 1<<40
	ended.ItemCounts = store.MapRunCounts{Pending: 1, Running: 2, Succeeded: 3, Failed: 4, TimedOut: 5, Aborted: 6, Total: 21,
		ResultsWritten: 7, FailuresNotRedrivable: 8, PendingRedrive: 9}
	ended.ExecutionCounts = store.MapRunCounts{Succeeded: 1 << 50, Total: 1 << 50}
	ended.RedriveCount, ended.RedriveDate = 2, at(8)
	second := mapRun(e, "r2", 5)
	must(t, "replace", s.Commit(ctx, store.Commit{ExecutionARN: e.ARN, ExpectedVersion: 1, MapRuns: []store.MapRun{ended, second}}))
	got, err = s.GetMapRun(ctx, run.ARN)
	must(t, "get replaced map run", err)
	diff(t, "map run after replace", ended, got)

	// Back to zero values: every field is replaced, none kept.
	zero := store.MapRun{ARN: run.ARN, ExecutionARN: e.ARN, Status: store.MapRunRunning}
	must(t, "replace with zeros", s.Commit(ctx, store.Commit{ExecutionARN: e.ARN, ExpectedVersion: 2, MapRuns: []store.MapRun{zero}}))
	got, err = s.GetMapRun(ctx, run.ARN)
	must(t, "get zeroed map run", err)
	diff(t, "map run after zeroing", zero, got)
	got, err = s.GetMapRun(ctx, second.ARN)
	must(t, "get second map run", err)
	diff(t, "second map run", second, got)

	_, err = s.GetMapRun(ctx, mapRunARN("m", "Map", "absent"))
	wantErr(t, "get unknown map run", err, store.ErrNotFound)

	// A failing commit writes none of its Map Runs.
	third := mapRun(e, "r3", 6)
	err = s.Commit(ctx, store.Commit{ExecutionARN: e.ARN, ExpectedVersion: 1, MapRuns: []store.MapRun{third}})
	wantErr(t, "stale commit with a map run", err, store.ErrConflict)
	_, err = s.GetMapRun(ctx, third.ARN)
	wantErr(t, "map run of a stale commit", err, store.ErrNotFound)
}

// testMapRunOwner: a commit naming a Map Run of another execution, by its
// ExecutionARN or by an ARN stored for another execution, fails and
// writes nothing.
func testMapRunOwner(t *testing.T, s store.Store) {
	ctx := t.Context()
	a := start(t, s, "m", "a", at(0))
	b := start(t, s, "m", "b", at(0))
	runA := mapRun(a, "ra", 1)
	must(t, "commit run of a", s.Commit(ctx, store.Commit{ExecutionARN: a.ARN, ExpectedVersion: 1, MapRuns: []store.MapRun{runA}}))

	tests := []struct {
		name string
		runs []store.MapRun
	}{
		{"another execution's ARN", []store.MapRun{mapRun(b, "ok", 2), mapRun(a, "rb", 2)}},
		{"an ARN stored for another execution", []store.MapRun{mapRun(b, "ok", 2), func() store.MapRun {
			r := mapRun(b, "ra", 3)
			r.Status = store.MapRunFailed
			return r
		}()}},
		{"no ARN", []store.MapRun{{ExecutionARN: b.ARN}}},
	}
	for _, tt := range tests {
		err := s.Commit(ctx, store.Commit{ExecutionARN: b.ARN, ExpectedVersion: 1, State: []byte("changed"),
			Events: []store.Event{event(3, "X")}, MapRuns: tt.runs})
		if err == nil {
			t.Fatalf("%s: commit succeeded, want an error", tt.name)
		}
		got, err := s.GetExecution(ctx, b.ARN)
		must(t, "get b", err)
		diff(t, tt.name+": execution b", b, got)
		evs, _, err := s.History(ctx, store.HistoryQuery{ExecutionARN: b.ARN})
		must(t, "history of b", err)
		if len(evs) != 2 {
			t.Errorf("%s: b has %d events, want 2", tt.name, len(evs))
		}
		_, err = s.GetMapRun(ctx, mapRunARN("m", "Map", "ok"))
		wantErr(t, tt.name+": map run of the failed commit", err, store.ErrNotFound)
		got2, err := s.GetMapRun(ctx, runA.ARN)
		must(t, "get run of a", err)
		diff(t, tt.name+": run of a", runA, got2)
		list, _, err := s.ListMapRuns(ctx, b.ARN, store.Page{})
		must(t, "list runs of b", err)
		if len(list) != 0 {
			t.Errorf("%s: b lists %d map runs, want none", tt.name, len(list))
		}
	}
	// A start whose Map Run names another execution creates nothing.
	c := execution("m", "c", at(0))
	if err := s.Commit(ctx, store.Commit{Start: &c, MapRuns: []store.MapRun{mapRun(a, "rc", 1)}}); err == nil {
		t.Fatal("start with another execution's map run succeeded")
	}
	_, err := s.GetExecution(ctx, c.ARN)
	wantErr(t, "execution of the failed start", err, store.ErrNotFound)
}

// testListMapRuns: an execution's Map Runs, latest start first and then
// by ARN, in pages whose tokens resume where the last page ended.
func testListMapRuns(t *testing.T, s store.Store) {
	ctx := t.Context()
	e := start(t, s, "m", "e", at(0))
	other := start(t, s, "m", "other", at(0))
	empty := start(t, s, "m", "empty", at(0))
	// Started at 3, 1, 4, 1, 5, 9, 2, 6 seconds; two at 1 s ordered by ARN.
	starts := []int{3, 1, 4, 1, 5, 9, 2, 6}
	var runs []store.MapRun
	for i, sec := range starts {
		runs = append(runs, mapRun(e, "r"+strconv.Itoa(i), sec))
	}
	// One commit per run, to show that listing does not follow commit order.
	for i, r := range runs {
		must(t, "commit", s.Commit(ctx, store.Commit{ExecutionARN: e.ARN, ExpectedVersion: int64(1 + i), MapRuns: []store.MapRun{r}}))
	}
	must(t, "commit other", s.Commit(ctx, store.Commit{ExecutionARN: other.ARN, ExpectedVersion: 1, MapRuns: []store.MapRun{mapRun(other, "x", 100)}}))
	want := []store.MapRun{runs[5], runs[7], runs[4], runs[2], runs[0], runs[6], runs[1], runs[3]}

	all, next, err := s.ListMapRuns(ctx, e.ARN, store.Page{})
	must(t, "list", err)
	diff(t, "all map runs", want, all)
	if next != "" {
		t.Errorf("next token after the only page = %q, want empty", next)
	}
	for _, size := range []int{1, 2, 3, 7, 8} {
		var got []store.MapRun
		tok := ""
		for pages := 0; ; pages++ {
			if pages > len(want) {
				t.Fatalf("page size %d: more pages than map runs", size)
			}
			page, next, err := s.ListMapRuns(ctx, e.ARN, store.Page{MaxResults: size, NextToken: tok})
			must(t, "list page", err)
			if len(page) > size {
				t.Fatalf("page size %d: got %d map runs", size, len(page))
			}
			got = append(got, page...)
			if next == "" {
				break
			}
			tok = next
		}
		diff(t, fmt.Sprintf("map runs in pages of %d", size), want, got)
	}

	list, next, err := s.ListMapRuns(ctx, empty.ARN, store.Page{})
	must(t, "list of an execution without map runs", err)
	if len(list) != 0 || next != "" {
		t.Errorf("execution without map runs: got %d runs, token %q", len(list), next)
	}
	_, _, err = s.ListMapRuns(ctx, execARN("m", "absent"), store.Page{})
	wantErr(t, "list of an unknown execution", err, store.ErrNotFound)
	for _, tok := range []string{"garbage!", store.EncodeToken(store.TokenExecutions, 5), store.EncodeToken(store.TokenMapRuns, 5),
		store.EncodeKeyToken(store.TokenHistory, 5, "x")} {
		_, _, err = s.ListMapRuns(ctx, e.ARN, store.Page{NextToken: tok})
		wantErr(t, "list with token "+tok, err, store.ErrInvalidToken)
	}
	// A Map Run token is no token of another listing.
	_, _, err = s.ListExecutions(ctx, store.ExecutionQuery{StateMachineARN: smARN("m"), Page: store.Page{NextToken: store.EncodeKeyToken(store.TokenMapRuns, 5, "x")}})
	wantErr(t, "list executions with a map run token", err, store.ErrInvalidToken)
}

// testMapRunsGroupCommit: of concurrent commits, one naming another
// execution's Map Run fails alone; the others are written (backends that
// batch commits must keep them apart).
func testMapRunsGroupCommit(t *testing.T, s store.Store) {
	ctx := t.Context()
	const n = 16
	execs := make([]store.Execution, n)
	for i := range execs {
		execs[i] = start(t, s, "m", "e"+strconv.Itoa(i), at(0))
	}
	for round := range 3 {
		errs := make([]error, n)
		var wg sync.WaitGroup
		for i := range n {
			wg.Go(func() {
				e := execs[i]
				r := mapRun(e, fmt.Sprintf("r%d-%d", round, i), round)
				if i%5 == round {
					r.ExecutionARN = execs[(i+1)%n].ARN // refused
				}
				errs[i] = s.Commit(ctx, store.Commit{ExecutionARN: e.ARN, ExpectedVersion: e.Version,
					Events: []store.Event{event(int64(3+round), "Step")}, MapRuns: []store.MapRun{r}})
			})
		}
		wg.Wait()
		for i := range n {
			bad := i%5 == round
			if bad != (errs[i] != nil) {
				t.Fatalf("round %d, commit %d: error %v, want one: %v", round, i, errs[i], bad)
			}
			got, err := s.GetExecution(ctx, execs[i].ARN)
			must(t, "get", err)
			want := execs[i].Version
			if !bad {
				want++
			}
			if got.Version != want {
				t.Errorf("round %d, execution %d: version %d, want %d", round, i, got.Version, want)
			}
			execs[i].Version = got.Version
			_, err = s.GetMapRun(ctx, mapRunARN("m", "Map", fmt.Sprintf("r%d-%d", round, i)))
			if bad {
				wantErr(t, "map run of a refused commit", err, store.ErrNotFound)
			} else {
				must(t, "map run of a good commit", err)
			}
		}
		// The next round's events must be new for the refused ones too.
		for i := range n {
			if i%5 == round {
				must(t, "catch up", s.Commit(ctx, store.Commit{ExecutionARN: execs[i].ARN, ExpectedVersion: execs[i].Version,
					Events: []store.Event{event(int64(3+round), "Step")}}))
				execs[i].Version++
			}
		}
	}
}
