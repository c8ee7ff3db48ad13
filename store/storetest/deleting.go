package storetest

import (
	"errors"
	"fmt"
	"sync"
	"testing"

	"stepwise/store"
)

// This file checks how executions and the deletion of their state
// machine meet: AWS's DeleteStateMachine marks a machine DELETING while
// executions run, refuses new starts, and deletes it when the last one
// ends.

// end commits the end of an execution at its current version.
func end(t *testing.T, s store.Store, arn string) {
	t.Helper()
	e, err := s.GetExecution(t.Context(), arn)
	must(t, "get "+arn, err)
	must(t, "end "+arn, s.Commit(t.Context(), store.Commit{ExecutionARN: arn, ExpectedVersion: e.Version,
		End: &store.End{Status: store.ExecutionAborted, StopDate: at(9)}}))
}

func testStartNeedsMachine(t *testing.T, s store.Store) {
	ctx := t.Context()
	e := execution("nosuch", "e", at(0))
	wantErr(t, "start on a missing state machine", s.Commit(ctx, store.Commit{Start: &e}), store.ErrNotFound)
	_, err := s.GetExecution(ctx, e.ARN)
	wantErr(t, "get the refused start", err, store.ErrNotFound)
}

func testDeleteWhileRunning(t *testing.T, s store.Store) {
	ctx := t.Context()
	e1 := start(t, s, "m", "e1", at(0))
	e2 := start(t, s, "m", "e2", at(1))
	must(t, "tag", s.TagResource(ctx, smARN("m"), []store.Tag{{Key: "k", Value: "v"}}))
	end(t, s, e2.ARN)

	must(t, "delete", s.DeleteStateMachine(ctx, smARN("m")))
	sm, err := s.GetStateMachine(ctx, smARN("m"))
	must(t, "get while an execution runs", err)
	if sm.Status != store.StatusDeleting {
		t.Fatalf("status %s while an execution runs, want DELETING", sm.Status)
	}
	if _, err := s.GetStateMachineRevision(ctx, smARN("m"), e1.RevisionID); err != nil {
		t.Fatalf("the running execution's revision: %v", err)
	}
	late := execution("m", "late", at(2))
	wantErr(t, "start on a DELETING machine", s.Commit(ctx, store.Commit{Start: &late}), store.ErrStateMachineDeleting)
	must(t, "delete again", s.DeleteStateMachine(ctx, smARN("m")))

	end(t, s, e1.ARN)
	_, err = s.GetStateMachine(ctx, smARN("m"))
	wantErr(t, "get after the last execution ended", err, store.ErrNotFound)
	_, err = s.ListTags(ctx, smARN("m"))
	wantErr(t, "tags after the last execution ended", err, store.ErrNotFound)
	if _, err := s.GetExecution(ctx, e1.ARN); err != nil {
		t.Errorf("executions are kept: %v", err)
	}
	// The name is free again.
	must(t, "create again", func() error { _, err := s.CreateStateMachine(ctx, machine("m", at(3)), nil); return err }())

	// A machine with no running execution goes at once.
	start(t, s, "idle", "done", at(0))
	end(t, s, execARN("idle", "done"))
	must(t, "delete idle", s.DeleteStateMachine(ctx, smARN("idle")))
	_, err = s.GetStateMachine(ctx, smARN("idle"))
	wantErr(t, "get deleted idle machine", err, store.ErrNotFound)
	wantErr(t, "delete missing", s.DeleteStateMachine(ctx, smARN("idle")), store.ErrNotFound)
}

// testDeleteRacingStarts races starts of a machine's executions against
// its deletion: every start that succeeded must find its machine (and
// revision) while it runs, and once all of them have ended the machine is
// gone, never left DELETING.
func testDeleteRacingStarts(t *testing.T, s store.Store) {
	ctx := t.Context()
	const rounds, starters = 8, 12
	for r := range rounds {
		sm := fmt.Sprintf("race%d", r)
		ensureMachine(t, s, sm)
		var wg sync.WaitGroup
		var mu sync.Mutex
		var started []string
		for i := range starters {
			wg.Go(func() {
				e := execution(sm, fmt.Sprint("e", i), at(i))
				err := s.Commit(ctx, store.Commit{Start: &e, Events: []store.Event{event(1, "ExecutionStarted")}})
				switch {
				case err == nil:
					mu.Lock()
					started = append(started, e.ARN)
					mu.Unlock()
				case errors.Is(err, store.ErrStateMachineDeleting), errors.Is(err, store.ErrNotFound):
				default:
					t.Errorf("start %s: %v", e.ARN, err)
				}
			})
			if i == starters/2 {
				wg.Go(func() {
					if err := s.DeleteStateMachine(ctx, smARN(sm)); err != nil {
						t.Errorf("delete %s: %v", sm, err)
					}
				})
			}
		}
		wg.Wait()
		got, err := s.GetStateMachine(ctx, smARN(sm))
		switch {
		case len(started) > 0 && err != nil:
			t.Fatalf("round %d: %d executions started and run, but their machine: %v", r, len(started), err)
		case len(started) > 0 && got.Status != store.StatusDeleting:
			t.Fatalf("round %d: status %s after the delete, want DELETING", r, got.Status)
		case len(started) == 0 && !errors.Is(err, store.ErrNotFound):
			t.Fatalf("round %d: nothing runs, yet the machine: %+v, %v", r, got, err)
		}
		// Every start that got through ends: concurrently, so that the
		// last two may end at once.
		for _, arn := range started {
			wg.Go(func() {
				for {
					e, err := s.GetExecution(ctx, arn)
					if err != nil {
						t.Errorf("get %s: %v", arn, err)
						return
					}
					if _, err := s.GetStateMachineRevision(ctx, e.StateMachineARN, e.RevisionID); err != nil {
						t.Errorf("revision of running %s: %v", arn, err)
					}
					err = s.Commit(ctx, store.Commit{ExecutionARN: arn, ExpectedVersion: e.Version,
						End: &store.End{Status: store.ExecutionSucceeded, StopDate: at(60)}})
					if errors.Is(err, store.ErrConflict) {
						continue
					}
					if err != nil {
						t.Errorf("end %s: %v", arn, err)
					}
					return
				}
			})
		}
		wg.Wait()
		if _, err := s.GetStateMachine(ctx, smARN(sm)); !errors.Is(err, store.ErrNotFound) {
			t.Fatalf("round %d: after %d executions ended the machine is still there (%v)", r, len(started), err)
		}
	}
}

// testCloseTasks checks that of commits closing one task token exactly
// one succeeds, and that a refused one writes nothing.
func testCloseTasks(t *testing.T, s store.Store) {
	ctx := t.Context()
	e := start(t, s, "m", "e", at(0))
	other := start(t, s, "m", "other", at(0))
	must(t, "add tasks", s.Commit(ctx, store.Commit{ExecutionARN: e.ARN, ExpectedVersion: 1,
		AddTasks: []store.Task{{Token: "tok", WorkID: "t1", Input: "{}", Created: at(1)}}}))
	must(t, "add other task", s.Commit(ctx, store.Commit{ExecutionARN: other.ARN, ExpectedVersion: 1,
		AddTasks: []store.Task{{Token: "tok-other", WorkID: "t1", Input: "{}", Created: at(1)}}}))

	wantErr(t, "close another execution's token", s.Commit(ctx, store.Commit{ExecutionARN: e.ARN, ExpectedVersion: 2,
		Events: []store.Event{event(3, "TaskSucceeded")}, CloseTasks: []string{"tok-other"}}), store.ErrTaskClosed)
	must(t, "close", s.Commit(ctx, store.Commit{ExecutionARN: e.ARN, ExpectedVersion: 2,
		Events: []store.Event{event(3, "TaskSucceeded")}, CloseTasks: []string{"tok"}}))
	_, err := s.GetTask(ctx, "tok")
	wantErr(t, "get closed task", err, store.ErrNotFound)
	wantErr(t, "close twice", s.Commit(ctx, store.Commit{ExecutionARN: e.ARN, ExpectedVersion: 3,
		Events: []store.Event{event(4, "TaskFailed")}, State: []byte("no"), CloseTasks: []string{"tok"}}), store.ErrTaskClosed)
	got, err := s.GetExecution(ctx, e.ARN)
	must(t, "get", err)
	if got.Version != 3 || string(got.State) == "no" {
		t.Errorf("a refused close wrote: version %d, state %q", got.Version, got.State)
	}
	evs, _, err := s.History(ctx, store.HistoryQuery{ExecutionARN: e.ARN})
	must(t, "history", err)
	if n := len(evs); n != 3 {
		t.Errorf("%d events after a refused close, want 3", n)
	}
	if _, err := s.GetTask(ctx, "tok-other"); err != nil {
		t.Errorf("the other execution's task: %v", err)
	}
}

// testReleaseLeases checks that a restarted owner gets its items back at
// once, and only its own unless it releases everyone's.
func testReleaseLeases(t *testing.T, s store.Store) {
	ctx := t.Context()
	e := start(t, s, "m", "e", at(0))
	addWork(t, s, &e, store.WorkItem{ID: "a", Kind: "invoke", Due: at(1)}, store.WorkItem{ID: "b", Kind: "invoke", Due: at(1)},
		store.WorkItem{ID: "later", Kind: "timer", Due: at(100)})
	ga, err := s.ClaimWork(ctx, store.Claim{Owner: "A", Now: at(2), Lease: 30e9})
	must(t, "claim A", err)
	gb, err := s.ClaimWork(ctx, store.Claim{Owner: "B", Now: at(2), Lease: 30e9})
	must(t, "claim B", err)
	if len(ga) != 1 || len(gb) != 1 {
		t.Fatalf("claims %v %v, want one each", ids(ga), ids(gb))
	}
	n, err := s.ReleaseLeases(ctx, "A")
	must(t, "release A", err)
	if n != 1 {
		t.Errorf("released %d of A's leases, want 1", n)
	}
	got, err := s.ClaimWork(ctx, store.Claim{Owner: "A2", Now: at(3), Lease: 30e9, Limit: 10})
	must(t, "claim after release", err)
	diff(t, "claimable after A released", ids(ga), ids(got))
	if len(got) == 1 && got[0].Claims != 2 {
		t.Errorf("claims %d after a release and a claim, want 2", got[0].Claims)
	}
	n, err = s.ReleaseLeases(ctx, "")
	must(t, "release all", err)
	if n != 2 {
		t.Errorf("released %d leases, want 2", n)
	}
	got, err = s.ClaimWork(ctx, store.Claim{Owner: "C", Now: at(3), Lease: 30e9, Limit: 10})
	must(t, "claim after releasing all", err)
	diff(t, "claimable after all released", []string{"e/a", "e/b"}, sortIDs(got))
}

func sortIDs(items []store.WorkItem) []string { return ids(sortByID(items)) }
