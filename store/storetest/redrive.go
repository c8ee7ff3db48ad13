package storetest

import (
	"errors"
	"strconv"
	"sync"
	"testing"

	"stepwise/store"
)

// testRedrive checks a redrive commit: the ended execution is RUNNING
// again with no output, error, cause or stop date, its redrive count, date
// and token set, in the same transaction as the step's events and state;
// a commit can redrive and end an execution at once; and of two redrives
// of one version only one commits.
func testRedrive(t *testing.T, s store.Store) {
	ctx := t.Context()
	e := start(t, s, "m", "e", at(0))
	end := store.End{Status: store.ExecutionFailed, Error: "Boom", Cause: "why", StopDate: at(5)}
	must(t, "fail", s.Commit(ctx, store.Commit{ExecutionARN: e.ARN, ExpectedVersion: 1, End: &end,
		Events: []store.Event{event(3, "ExecutionFailed")}}))

	r := store.Redrive{Count: 1, Date: at(9), Token: "tok-1"}
	must(t, "redrive", s.Commit(ctx, store.Commit{ExecutionARN: e.ARN, ExpectedVersion: 2, Redrive: &r,
		State: []byte("redriven"), Events: []store.Event{event(4, "ExecutionRedriven"), event(5, "TaskStateEntered")}}))
	got, err := s.GetExecution(ctx, e.ARN)
	must(t, "get", err)
	want := e
	want.Version, want.State, want.RedriveCount, want.RedriveDate, want.RedriveToken = 3, []byte("redriven"), 1, at(9), "tok-1"
	diff(t, "redriven", want, got)
	evs, _, err := s.History(ctx, store.HistoryQuery{ExecutionARN: e.ARN})
	must(t, "history", err)
	if len(evs) != 5 || evs[3].Type != "ExecutionRedriven" {
		t.Errorf("history after the redrive: %d events", len(evs))
	}

	// It ends again, then a second redrive ends in its own commit.
	end = store.End{Status: store.ExecutionTimedOut, Error: "States.Timeout", StopDate: at(20)}
	must(t, "time out", s.Commit(ctx, store.Commit{ExecutionARN: e.ARN, ExpectedVersion: 3, End: &end}))
	r = store.Redrive{Count: 2, Date: at(30)}
	end = store.End{Status: store.ExecutionFailed, Error: "Again", StopDate: at(30)}
	must(t, "redrive and fail", s.Commit(ctx, store.Commit{ExecutionARN: e.ARN, ExpectedVersion: 4, Redrive: &r, End: &end}))
	got, err = s.GetExecution(ctx, e.ARN)
	must(t, "get", err)
	want.Version, want.Status, want.Error, want.Cause, want.StopDate = 5, store.ExecutionFailed, "Again", "", at(30)
	want.RedriveCount, want.RedriveDate, want.RedriveToken = 2, at(30), ""
	diff(t, "redriven and failed", want, got)

	// Two redrives of the same version: exactly one wins.
	var wg sync.WaitGroup
	errs := make([]error, 2)
	for i := range errs {
		wg.Go(func() {
			r := store.Redrive{Count: 3, Date: at(40 + i), Token: "race-" + strconv.Itoa(i)}
			errs[i] = s.Commit(ctx, store.Commit{ExecutionARN: e.ARN, ExpectedVersion: 5, Redrive: &r,
				Events: []store.Event{event(6, "ExecutionRedriven")}})
		})
	}
	wg.Wait()
	won := 0
	for _, err := range errs {
		switch {
		case err == nil:
			won++
		case !errors.Is(err, store.ErrConflict):
			t.Errorf("losing redrive: %v, want ErrConflict", err)
		}
	}
	if won != 1 {
		t.Errorf("%d of 2 concurrent redrives committed, want 1", won)
	}
	got, err = s.GetExecution(ctx, e.ARN)
	must(t, "get", err)
	if got.Status != store.ExecutionRunning || got.RedriveCount != 3 || got.Version != 6 {
		t.Errorf("after the race: status %s, redrive count %d, version %d", got.Status, got.RedriveCount, got.Version)
	}
}

// testListRedriven checks ListExecutions' redrive filter, with paging and
// with a status filter.
func testListRedriven(t *testing.T, s store.Store) {
	ctx := t.Context()
	var redriven, not []string // newest first
	for i := range 6 {
		e := start(t, s, "m", "e"+strconv.Itoa(i), at(i))
		end := store.End{Status: store.ExecutionFailed, Error: "E", StopDate: at(10)}
		must(t, "fail", s.Commit(ctx, store.Commit{ExecutionARN: e.ARN, ExpectedVersion: 1, End: &end}))
		if i%2 == 0 {
			r := store.Redrive{Count: 1, Date: at(20)}
			must(t, "redrive", s.Commit(ctx, store.Commit{ExecutionARN: e.ARN, ExpectedVersion: 2, Redrive: &r}))
			redriven = append([]string{e.ARN}, redriven...)
		} else {
			not = append([]string{e.ARN}, not...)
		}
	}
	list := func(q store.ExecutionQuery) []string {
		t.Helper()
		var all []string
		for {
			page, next, err := s.ListExecutions(ctx, q)
			must(t, "list", err)
			for _, e := range page {
				all = append(all, e.ARN)
			}
			if next == "" {
				return all
			}
			q.NextToken = next
		}
	}
	m := smARN("m")
	diff(t, "redriven", redriven, list(store.ExecutionQuery{StateMachineARN: m, Redrive: store.RedriveFilterRedriven, Page: store.Page{MaxResults: 2}}))
	diff(t, "not redriven", not, list(store.ExecutionQuery{StateMachineARN: m, Redrive: store.RedriveFilterNotRedriven, Page: store.Page{MaxResults: 2}}))
	diff(t, "redriven and running", redriven, list(store.ExecutionQuery{StateMachineARN: m, Status: store.ExecutionRunning, Redrive: store.RedriveFilterRedriven}))
	diff(t, "not redriven and running", []string(nil), list(store.ExecutionQuery{StateMachineARN: m, Status: store.ExecutionRunning, Redrive: store.RedriveFilterNotRedriven}))
	if all := list(store.ExecutionQuery{StateMachineARN: m}); len(all) != 6 {
		t.Errorf("unfiltered: %d executions, want 6", len(all))
	}
}
