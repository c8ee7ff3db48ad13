// Package storetest is the contract suite every [store.Store] backend
// passes. A backend's tests call [Run] with a function that opens an empty
// store:
//
//	func TestStore(t *testing.T) {
//		storetest.Run(t, func(t *testing.T) store.Store {
//			s := memory.New()
//			t.Cleanup(func() { s.Close() })
//			return s
//		})
//	}
package storetest

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"stepwise/store"
)

// Run runs the contract suite. open must return a new, empty store each
// time it is called, and arrange for it to be closed when t ends (Run calls
// Close itself in some tests; Close is idempotent).
func Run(t *testing.T, open func(t *testing.T) store.Store) {
	tests := []struct {
		name string
		fn   func(t *testing.T, s store.Store)
	}{
		{"StateMachineCRUD", testStateMachineCRUD},
		{"StateMachineRevisions", testStateMachineRevisions},
		{"ListStateMachines", testListStateMachines},
		{"Activities", testActivities},
		{"Tags", testTags},
		{"ExecutionStart", testExecutionStart},
		{"CommitAtomic", testCommitAtomic},
		{"CommitEnd", testCommitEnd},
		{"ConcurrentCommitters", testConcurrentCommitters},
		{"ListExecutions", testListExecutions},
		{"History", testHistory},
		{"WorkDueOrder", testWorkDueOrder},
		{"WorkLeases", testWorkLeases},
		{"WorkReplaceAndList", testWorkReplaceAndList},
		{"WakeWork", testWakeWork},
		{"LeaseRace", testLeaseRace},
		{"Tasks", testTasks},
		{"ActivityTaskRace", testActivityTaskRace},
		{"ConcurrentMixed", testConcurrentMixed},
		{"Canceled", testCanceled},
		{"Close", testClose},
		{"StartNeedsMachine", testStartNeedsMachine},
		{"DeleteWhileRunning", testDeleteWhileRunning},
		{"DeleteRacingStarts", testDeleteRacingStarts},
		{"CloseTasks", testCloseTasks},
		{"ReleaseLeases", testReleaseLeases},
		{"ServerSecret", testServerSecret},
		{"MapRuns", testMapRuns},
		{"MapRunOwner", testMapRunOwner},
		{"ListMapRuns", testListMapRuns},
		{"MapRunsGroupCommit", testMapRunsGroupCommit},
		{"Versions", testVersions},
		{"VersionsConcurrent", testVersionsConcurrent},
		{"VersionQuota", testVersionQuota},
		{"Aliases", testAliases},
		{"AliasQuota", testAliasQuota},
		{"DeleteVersionRacingAlias", testDeleteVersionRacingAlias},
		{"ExecutionsOfVersions", testExecutionsOfVersions},
		{"EncryptionConfiguration", testEncryptionConfiguration},
		{"Redrive", testRedrive},
		{"ListRedriven", testListRedriven},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.fn(t, open(t))
		})
	}
}

// t0 is the suite's clock origin; it has nanoseconds so that backends that
// drop precision fail.
var t0 = time.Date(2025, 3, 4, 5, 6, 7, 890123456, time.UTC)

func at(sec int) time.Time { return t0.Add(time.Duration(sec) * time.Second) }

const (
	region  = "arn:aws:states:us-east-1:123456789012:"
	roleARN = "arn:aws:iam::123456789012:role/sfn"
)

func smARN(name string) string       { return region + "stateMachine:" + name }
func execARN(sm, name string) string { return region + "execution:" + sm + ":" + name }
func actARN(name string) string      { return region + "activity:" + name }

func machine(name string, created time.Time) store.StateMachine {
	return store.StateMachine{
		ARN:                  smARN(name),
		Name:                 name,
		Type:                 store.TypeStandard,
		Status:               store.StatusActive,
		Definition:           `{"StartAt":"P","States":{"P":{"Type":"Pass","End":true}}}`,
		RoleARN:              roleARN,
		Description:          "machine " + name,
		LoggingConfiguration: `{"level":"OFF"}`,
		TracingConfiguration: `{"enabled":false}`,
		RevisionID:           "rev-" + name + "-1",
		CreationDate:         created,
		UpdateDate:           created,
	}
}

func execution(sm, name string, started time.Time) store.Execution {
	return store.Execution{
		ARN:             execARN(sm, name),
		StateMachineARN: smARN(sm),
		RevisionID:      "rev-" + sm + "-1",
		Name:            name,
		Status:          store.ExecutionRunning,
		Input:           `{"n":1}`,
		StartDate:       started,
		State:           []byte("state-0"),
	}
}

func event(id int64, typ string) store.Event {
	return store.Event{ID: id, Time: at(int(id)), Type: typ, JSON: []byte(fmt.Sprintf(`{"id":%d,"type":%q}`, id, typ))}
}

// start creates an execution with a first step of two events and returns
// it as GetExecution will.
func start(t *testing.T, s store.Store, sm, name string, started time.Time) store.Execution {
	t.Helper()
	ensureMachine(t, s, sm)
	e := execution(sm, name, started)
	err := s.Commit(t.Context(), store.Commit{
		Start:  &e,
		Events: []store.Event{event(1, "ExecutionStarted"), event(2, "PassStateEntered")},
	})
	if err != nil {
		t.Fatalf("start %s: %v", name, err)
	}
	e.Version = 1
	return e
}

// ensureMachine creates the state machine sm unless it exists: executions
// start only on one that does.
func ensureMachine(t testing.TB, s store.Store, sm string) {
	t.Helper()
	if _, err := s.CreateStateMachine(t.Context(), machine(sm, at(0)), nil); err != nil && !errors.Is(err, store.ErrAlreadyExists) {
		t.Fatalf("create state machine %s: %v", sm, err)
	}
}

func wantErr(t *testing.T, what string, err, want error) {
	t.Helper()
	if !errors.Is(err, want) {
		t.Fatalf("%s: got error %v, want %v", what, err, want)
	}
}

func must(t *testing.T, what string, err error) {
	t.Helper()
	if err != nil {
		t.Fatalf("%s: %v", what, err)
	}
}

func diff(t *testing.T, what string, want, got any, opts ...cmp.Option) {
	t.Helper()
	if d := cmp.Diff(want, got, opts...); d != "" {
		t.Errorf("%s (-want +got):\n%s", what, d)
	}
}

var emptyBytes = cmpopts.EquateEmpty()

func testStateMachineCRUD(t *testing.T, s store.Store) {
	ctx := t.Context()
	sm := machine("a", at(0))
	got, err := s.CreateStateMachine(ctx, sm, nil)
	must(t, "create", err)
	diff(t, "created", sm, got)

	got, err = s.GetStateMachine(ctx, sm.ARN)
	must(t, "get", err)
	diff(t, "get", sm, got)

	other := machine("a", at(5))
	other.Definition = "{}"
	got, err = s.CreateStateMachine(ctx, other, nil)
	wantErr(t, "create same name", err, store.ErrAlreadyExists)
	diff(t, "existing returned", sm, got)

	sameARN := machine("b", at(5))
	sameARN.ARN = sm.ARN
	_, err = s.CreateStateMachine(ctx, sameARN, nil)
	wantErr(t, "create same ARN", err, store.ErrAlreadyExists)

	_, err = s.GetStateMachine(ctx, smARN("nope"))
	wantErr(t, "get missing", err, store.ErrNotFound)
	_, err = s.GetStateMachineRevision(ctx, smARN("nope"), "r")
	wantErr(t, "get revision of missing", err, store.ErrNotFound)
	_, err = s.UpdateStateMachine(ctx, store.StateMachineUpdate{ARN: smARN("nope"), RevisionID: "r", Definition: new("{}")})
	wantErr(t, "update missing", err, store.ErrNotFound)
	wantErr(t, "delete missing", s.DeleteStateMachine(ctx, smARN("nope")), store.ErrNotFound)

	must(t, "delete", s.DeleteStateMachine(ctx, sm.ARN))
	_, err = s.GetStateMachine(ctx, sm.ARN)
	wantErr(t, "get deleted", err, store.ErrNotFound)
	_, err = s.GetStateMachineRevision(ctx, sm.ARN, sm.RevisionID)
	wantErr(t, "get revision of deleted", err, store.ErrNotFound)
	wantErr(t, "delete twice", s.DeleteStateMachine(ctx, sm.ARN), store.ErrNotFound)

	// The name is free again.
	_, err = s.CreateStateMachine(ctx, other, nil)
	must(t, "create again", err)
}

func testStateMachineRevisions(t *testing.T, s store.Store) {
	ctx := t.Context()
	sm := machine("m", at(0))
	_, err := s.CreateStateMachine(ctx, sm, nil)
	must(t, "create", err)

	v2 := sm
	v2.Definition = `{"StartAt":"W","States":{"W":{"Type":"Wait","Seconds":1,"End":true}}}`
	v2.RoleARN = roleARN + "2"
	v2.RevisionID = "rev-2"
	v2.UpdateDate = at(10)
	got, err := s.UpdateStateMachine(ctx, store.StateMachineUpdate{
		ARN: sm.ARN, RevisionID: "rev-2", UpdateDate: at(10),
		Definition: new(v2.Definition), RoleARN: new(v2.RoleARN),
	})
	must(t, "update", err)
	diff(t, "updated", v2, got)

	v3 := v2
	v3.LoggingConfiguration = `{"level":"ALL"}`
	v3.TracingConfiguration = `{"enabled":true}`
	v3.RevisionID = "rev-3"
	v3.UpdateDate = at(20)
	_, err = s.UpdateStateMachine(ctx, store.StateMachineUpdate{
		ARN: sm.ARN, RevisionID: "rev-3", UpdateDate: at(20),
		LoggingConfiguration: new(v3.LoggingConfiguration), TracingConfiguration: new(v3.TracingConfiguration),
	})
	must(t, "update 3", err)

	// A status change alone makes no revision.
	deleting := store.StatusDeleting
	got, err = s.UpdateStateMachine(ctx, store.StateMachineUpdate{ARN: sm.ARN, Status: &deleting})
	must(t, "update status", err)
	v3.Status = store.StatusDeleting
	diff(t, "after status update", v3, got)

	_, err = s.UpdateStateMachine(ctx, store.StateMachineUpdate{ARN: sm.ARN, RevisionID: "rev-2", Definition: new("{}")})
	wantErr(t, "update with taken revision id", err, store.ErrAlreadyExists)

	got, err = s.GetStateMachine(ctx, sm.ARN)
	must(t, "get latest", err)
	diff(t, "latest", v3, got)

	for _, want := range []store.StateMachine{sm, v2, v3} {
		want.Status = store.StatusDeleting
		got, err := s.GetStateMachineRevision(ctx, sm.ARN, want.RevisionID)
		must(t, "get revision "+want.RevisionID, err)
		diff(t, "revision "+want.RevisionID, want, got)
	}
	_, err = s.GetStateMachineRevision(ctx, sm.ARN, "rev-9")
	wantErr(t, "get missing revision", err, store.ErrNotFound)
}

func testListStateMachines(t *testing.T, s store.Store) {
	ctx := t.Context()
	// Created in an order that differs from name order.
	names := []string{"e", "c", "a", "d", "b"}
	var want []store.StateMachine
	for i, n := range names {
		sm := machine(n, at(i))
		_, err := s.CreateStateMachine(ctx, sm, nil)
		must(t, "create", err)
		sm.Definition = ""
		want = append(want, sm)
	}
	var got []store.StateMachine
	var tokens int
	p := store.Page{MaxResults: 2}
	for {
		page, next, err := s.ListStateMachines(ctx, p)
		must(t, "list", err)
		if len(page) > 2 {
			t.Fatalf("page of %d, want at most 2", len(page))
		}
		got = append(got, page...)
		if next == "" {
			break
		}
		tokens++
		p.NextToken = next
	}
	diff(t, "listed in creation order", want, got)
	if tokens != 2 {
		t.Errorf("got %d tokens, want 2", tokens)
	}

	all, next, err := s.ListStateMachines(ctx, store.Page{})
	must(t, "list all", err)
	if len(all) != 5 || next != "" {
		t.Errorf("default page: %d items, token %q; want 5 and none", len(all), next)
	}
	exact, next, err := s.ListStateMachines(ctx, store.Page{MaxResults: 5})
	must(t, "list exact", err)
	if len(exact) != 5 || next != "" {
		t.Errorf("exact page: %d items, token %q; want 5 and none", len(exact), next)
	}

	for _, tok := range []string{"garbage!", store.EncodeToken(store.TokenActivities, 1), "c20"} {
		_, _, err = s.ListStateMachines(ctx, store.Page{NextToken: tok})
		wantErr(t, "list with token "+tok, err, store.ErrInvalidToken)
	}

	// Deleting one does not disturb the order of the rest or tokens.
	_, next, err = s.ListStateMachines(ctx, store.Page{MaxResults: 2})
	must(t, "list", err)
	must(t, "delete", s.DeleteStateMachine(ctx, smARN("a")))
	rest, _, err := s.ListStateMachines(ctx, store.Page{NextToken: next})
	must(t, "list rest", err)
	diff(t, "after delete", []store.StateMachine{want[3], want[4]}, rest)
}

func testActivities(t *testing.T, s store.Store) {
	ctx := t.Context()
	var want []store.Activity
	for i, n := range []string{"z", "y", "x"} {
		a := store.Activity{ARN: actARN(n), Name: n, CreationDate: at(i)}
		got, err := s.CreateActivity(ctx, a, nil)
		must(t, "create", err)
		diff(t, "created", a, got)
		want = append(want, a)
	}
	got, err := s.CreateActivity(ctx, store.Activity{ARN: actARN("z"), Name: "z", CreationDate: at(9)}, nil)
	wantErr(t, "create again", err, store.ErrAlreadyExists)
	diff(t, "create again returns existing", want[0], got)

	got, err = s.GetActivity(ctx, actARN("y"))
	must(t, "get", err)
	diff(t, "get", want[1], got)
	_, err = s.GetActivity(ctx, actARN("nope"))
	wantErr(t, "get missing", err, store.ErrNotFound)

	page, next, err := s.ListActivities(ctx, store.Page{MaxResults: 2})
	must(t, "list", err)
	diff(t, "page 1", want[:2], page)
	page, next2, err := s.ListActivities(ctx, store.Page{MaxResults: 2, NextToken: next})
	must(t, "list 2", err)
	diff(t, "page 2", want[2:], page)
	if next == "" || next2 != "" {
		t.Errorf("tokens %q, %q: want one then none", next, next2)
	}
	_, _, err = s.ListActivities(ctx, store.Page{NextToken: store.EncodeToken(store.TokenStateMachines, 1)})
	wantErr(t, "list with other token", err, store.ErrInvalidToken)

	must(t, "delete", s.DeleteActivity(ctx, actARN("y")))
	_, err = s.GetActivity(ctx, actARN("y"))
	wantErr(t, "get deleted", err, store.ErrNotFound)
	wantErr(t, "delete missing", s.DeleteActivity(ctx, actARN("y")), store.ErrNotFound)
	page, _, err = s.ListActivities(ctx, store.Page{})
	must(t, "list", err)
	diff(t, "after delete", []store.Activity{want[0], want[2]}, page)
}

func testTags(t *testing.T, s store.Store) {
	ctx := t.Context()
	sm := machine("tagged", at(0))
	_, err := s.CreateStateMachine(ctx, sm, []store.Tag{{Key: "b", Value: "2"}, {Key: "a", Value: "1"}})
	must(t, "create machine", err)
	act := store.Activity{ARN: actARN("tagged"), Name: "tagged", CreationDate: at(0)}
	_, err = s.CreateActivity(ctx, act, nil)
	must(t, "create activity", err)

	tags, err := s.ListTags(ctx, sm.ARN)
	must(t, "list", err)
	diff(t, "initial tags", []store.Tag{{Key: "a", Value: "1"}, {Key: "b", Value: "2"}}, tags)

	must(t, "tag", s.TagResource(ctx, sm.ARN, []store.Tag{{Key: "c", Value: "3"}, {Key: "a", Value: "one"}}))
	must(t, "untag", s.UntagResource(ctx, sm.ARN, []string{"b", "absent"}))
	tags, err = s.ListTags(ctx, sm.ARN)
	must(t, "list", err)
	diff(t, "after tag and untag", []store.Tag{{Key: "a", Value: "one"}, {Key: "c", Value: "3"}}, tags)

	tags, err = s.ListTags(ctx, act.ARN)
	must(t, "list activity", err)
	diff(t, "untagged activity", []store.Tag{}, tags, emptyBytes)
	must(t, "tag activity", s.TagResource(ctx, act.ARN, []store.Tag{{Key: "k", Value: "v"}}))
	tags, err = s.ListTags(ctx, act.ARN)
	must(t, "list activity", err)
	diff(t, "activity tags", []store.Tag{{Key: "k", Value: "v"}}, tags)

	missing := smARN("missing")
	wantErr(t, "tag missing", s.TagResource(ctx, missing, []store.Tag{{Key: "a", Value: "b"}}), store.ErrNotFound)
	wantErr(t, "untag missing", s.UntagResource(ctx, missing, []string{"a"}), store.ErrNotFound)
	_, err = s.ListTags(ctx, missing)
	wantErr(t, "list missing", err, store.ErrNotFound)

	// Tags go with their resource.
	must(t, "delete", s.DeleteStateMachine(ctx, sm.ARN))
	_, err = s.ListTags(ctx, sm.ARN)
	wantErr(t, "list deleted", err, store.ErrNotFound)
	_, err = s.CreateStateMachine(ctx, sm, nil)
	must(t, "recreate", err)
	tags, err = s.ListTags(ctx, sm.ARN)
	must(t, "list recreated", err)
	diff(t, "recreated has no tags", []store.Tag{}, tags, emptyBytes)
}

func testExecutionStart(t *testing.T, s store.Store) {
	ctx := t.Context()
	want := start(t, s, "m", "e1", at(0))
	got, err := s.GetExecution(ctx, want.ARN)
	must(t, "get", err)
	diff(t, "started", want, got)

	dup := execution("m", "e1", at(3))
	err = s.Commit(ctx, store.Commit{Start: &dup, Events: []store.Event{event(1, "X")}})
	wantErr(t, "start twice", err, store.ErrAlreadyExists)
	got, err = s.GetExecution(ctx, want.ARN)
	must(t, "get", err)
	diff(t, "unchanged by second start", want, got)

	_, err = s.GetExecution(ctx, execARN("m", "nope"))
	wantErr(t, "get missing", err, store.ErrNotFound)
	err = s.Commit(ctx, store.Commit{ExecutionARN: execARN("m", "nope"), ExpectedVersion: 1})
	wantErr(t, "commit missing", err, store.ErrNotFound)

	// Nested executions keep their parent; a start may carry work.
	child := execution("m", "child", at(1))
	child.ParentExecutionARN = want.ARN
	child.TestCase = "HappyPath"
	child.State = nil
	err = s.Commit(ctx, store.Commit{Start: &child, State: []byte("s1"), AddWork: []store.WorkItem{{ID: "w", Kind: "invoke", Due: at(1)}}})
	must(t, "start child", err)
	child.Version, child.State = 1, []byte("s1")
	got, err = s.GetExecution(ctx, child.ARN)
	must(t, "get child", err)
	diff(t, "child", child, got)
	work, err := s.ListWork(ctx, child.ARN)
	must(t, "list work", err)
	diff(t, "child work", []store.WorkItem{{ExecutionARN: child.ARN, ID: "w", Kind: "invoke", Due: at(1)}}, work, emptyBytes)
}

func testCommitAtomic(t *testing.T, s store.Store) {
	ctx := t.Context()
	e := start(t, s, "m", "e", at(0))
	step := store.Commit{
		ExecutionARN:    e.ARN,
		ExpectedVersion: 1,
		State:           []byte("state-1"),
		Events:          []store.Event{event(3, "PassStateExited"), event(4, "WaitStateEntered")},
		AddWork:         []store.WorkItem{{ID: "t1", Kind: "timer", Payload: []byte(`{"x":1}`), Due: at(60)}},
		AddTasks:        []store.Task{{Token: "tok-1", WorkID: "t1", Input: "{}", Created: at(4)}},
	}
	must(t, "commit", s.Commit(ctx, step))

	// A stale version writes nothing.
	stale := store.Commit{
		ExecutionARN:    e.ARN,
		ExpectedVersion: 1,
		State:           []byte("stale"),
		Events:          []store.Event{event(5, "Stale")},
		DoneWork:        []string{"t1"},
		AddWork:         []store.WorkItem{{ID: "t2", Kind: "timer", Due: at(1)}},
		DoneTasks:       []string{"tok-1"},
		AddTasks:        []store.Task{{Token: "tok-2", WorkID: "t2"}},
		End:             &store.End{Status: store.ExecutionFailed, StopDate: at(5)},
	}
	wantErr(t, "stale commit", s.Commit(ctx, stale), store.ErrConflict)

	// So does a commit that fails on a later part (a taken event id).
	dupEvent := stale
	dupEvent.ExpectedVersion = 2
	dupEvent.Events = []store.Event{event(5, "New"), event(4, "Taken")}
	wantErr(t, "commit with taken event id", s.Commit(ctx, dupEvent), store.ErrAlreadyExists)
	dupTask := stale
	dupTask.ExpectedVersion = 2
	dupTask.DoneTasks = nil
	dupTask.AddTasks = []store.Task{{Token: "tok-1", WorkID: "x"}}
	wantErr(t, "commit with taken token", s.Commit(ctx, dupTask), store.ErrAlreadyExists)

	want := e
	want.Version, want.State = 2, []byte("state-1")
	got, err := s.GetExecution(ctx, e.ARN)
	must(t, "get", err)
	diff(t, "execution after failed commits", want, got)
	evs, _, err := s.History(ctx, store.HistoryQuery{ExecutionARN: e.ARN})
	must(t, "history", err)
	diff(t, "history", []store.Event{event(1, "ExecutionStarted"), event(2, "PassStateEntered"), event(3, "PassStateExited"), event(4, "WaitStateEntered")}, evs)
	work, err := s.ListWork(ctx, e.ARN)
	must(t, "list work", err)
	diff(t, "work", []store.WorkItem{{ExecutionARN: e.ARN, ID: "t1", Kind: "timer", Payload: []byte(`{"x":1}`), Due: at(60)}}, work)
	task, err := s.GetTask(ctx, "tok-1")
	must(t, "get task", err)
	diff(t, "task", store.Task{Token: "tok-1", ExecutionARN: e.ARN, WorkID: "t1", Input: "{}", Created: at(4)}, task)
	_, err = s.GetTask(ctx, "tok-2")
	wantErr(t, "get task of failed commit", err, store.ErrNotFound)

	// The same commit with the right version applies everything.
	stale.ExpectedVersion = 2
	must(t, "commit", s.Commit(ctx, stale))
	want.Version, want.State = 3, []byte("stale")
	want.Status, want.StopDate = store.ExecutionFailed, at(5)
	got, err = s.GetExecution(ctx, e.ARN)
	must(t, "get", err)
	diff(t, "execution", want, got)
	work, err = s.ListWork(ctx, e.ARN)
	must(t, "list work", err)
	diff(t, "work", []store.WorkItem{{ExecutionARN: e.ARN, ID: "t2", Kind: "timer", Due: at(1)}}, work, emptyBytes)
	_, err = s.GetTask(ctx, "tok-1")
	wantErr(t, "get done task", err, store.ErrNotFound)

	// A nil State keeps the state; an empty commit still counts a version.
	must(t, "empty commit", s.Commit(ctx, store.Commit{ExecutionARN: e.ARN, ExpectedVersion: 3, DoneWork: []string{"t2", "absent"}}))
	got, err = s.GetExecution(ctx, e.ARN)
	must(t, "get", err)
	want.Version = 4
	diff(t, "after empty commit", want, got)
}

func testCommitEnd(t *testing.T, s store.Store) {
	ctx := t.Context()
	e := start(t, s, "m", "e", at(0))
	end := store.End{Status: store.ExecutionSucceeded, Output: `{"ok":true}`, StopDate: at(7)}
	must(t, "commit end", s.Commit(ctx, store.Commit{
		ExecutionARN: e.ARN, ExpectedVersion: 1, State: []byte("final"),
		Events: []store.Event{event(3, "ExecutionSucceeded")}, End: &end,
	}))
	want := e
	want.Version, want.State, want.Status, want.Output, want.StopDate = 2, []byte("final"), end.Status, end.Output, end.StopDate
	got, err := s.GetExecution(ctx, e.ARN)
	must(t, "get", err)
	diff(t, "ended", want, got)

	f := start(t, s, "m", "f", at(1))
	end = store.End{Status: store.ExecutionFailed, Error: "States.TaskFailed", Cause: "boom", StopDate: at(8)}
	must(t, "commit fail", s.Commit(ctx, store.Commit{ExecutionARN: f.ARN, ExpectedVersion: 1, End: &end}))
	got, err = s.GetExecution(ctx, f.ARN)
	must(t, "get", err)
	want = f
	want.Version, want.Status, want.Error, want.Cause, want.StopDate = 2, end.Status, end.Error, end.Cause, end.StopDate
	diff(t, "failed", want, got)
}

// testConcurrentCommitters races committers on one execution: each reads
// the version and commits the next event; exactly one commit wins per
// version and the history has no gaps.
func testConcurrentCommitters(t *testing.T, s store.Store) {
	ctx := t.Context()
	e := start(t, s, "m", "e", at(0))
	const workers, steps = 8, 20
	var mu sync.Mutex
	wins := map[int64]int{} // version committed on -> number of winners
	var wg sync.WaitGroup
	for w := range workers {
		wg.Go(func() {
			for {
				cur, err := s.GetExecution(ctx, e.ARN)
				if err != nil {
					t.Errorf("get: %v", err)
					return
				}
				if cur.Version > steps {
					return
				}
				id := cur.Version + 2
				err = s.Commit(ctx, store.Commit{
					ExecutionARN: e.ARN, ExpectedVersion: cur.Version,
					State:   []byte("by " + strconv.Itoa(w)),
					Events:  []store.Event{event(id, "Step")},
					AddWork: []store.WorkItem{{ID: "w" + strconv.FormatInt(id, 10), Kind: "invoke"}},
				})
				switch {
				case err == nil:
					mu.Lock()
					wins[cur.Version]++
					mu.Unlock()
				case errors.Is(err, store.ErrConflict):
				default:
					t.Errorf("commit: %v", err)
					return
				}
			}
		})
	}
	wg.Wait()
	for v := int64(1); v <= steps; v++ {
		if wins[v] != 1 {
			t.Errorf("version %d: %d winners, want 1", v, wins[v])
		}
	}
	got, err := s.GetExecution(ctx, e.ARN)
	must(t, "get", err)
	if got.Version != steps+1 {
		t.Errorf("version %d, want %d", got.Version, steps+1)
	}
	evs, _, err := s.History(ctx, store.HistoryQuery{ExecutionARN: e.ARN, Page: store.Page{MaxResults: 1000}})
	must(t, "history", err)
	if len(evs) != steps+2 {
		t.Fatalf("%d events, want %d", len(evs), steps+2)
	}
	for i, ev := range evs {
		if ev.ID != int64(i+1) {
			t.Fatalf("event %d has id %d", i, ev.ID)
		}
	}
	work, err := s.ListWork(ctx, e.ARN)
	must(t, "list work", err)
	if len(work) != steps {
		t.Errorf("%d work items, want %d", len(work), steps)
	}
}

func testListExecutions(t *testing.T, s store.Store) {
	ctx := t.Context()
	var want []store.Execution // newest first
	for i := range 7 {
		e := start(t, s, "m", "e"+strconv.Itoa(i), at(i))
		if i%3 == 0 {
			end := store.End{Status: store.ExecutionSucceeded, Output: "{}", StopDate: at(100)}
			must(t, "end", s.Commit(ctx, store.Commit{ExecutionARN: e.ARN, ExpectedVersion: 1, End: &end}))
			e.Status, e.StopDate, e.Version = end.Status, end.StopDate, 2
		}
		e.Input, e.State = "", nil
		want = append([]store.Execution{e}, want...)
	}
	start(t, s, "other", "x", at(3))

	list := func(q store.ExecutionQuery) []store.Execution {
		t.Helper()
		var all []store.Execution
		for {
			page, next, err := s.ListExecutions(ctx, q)
			must(t, "list", err)
			if q.MaxResults > 0 && len(page) > q.MaxResults {
				t.Fatalf("page of %d, want at most %d", len(page), q.MaxResults)
			}
			all = append(all, page...)
			if next == "" {
				return all
			}
			q.NextToken = next
		}
	}
	filter := func(st store.ExecutionStatus) []store.Execution {
		var out []store.Execution
		for _, e := range want {
			if e.Status == st {
				out = append(out, e)
			}
		}
		return out
	}
	tests := []struct {
		name string
		q    store.ExecutionQuery
		want []store.Execution
	}{
		{"all", store.ExecutionQuery{StateMachineARN: smARN("m")}, want},
		{"paged", store.ExecutionQuery{StateMachineARN: smARN("m"), Page: store.Page{MaxResults: 3}}, want},
		{"paged by one", store.ExecutionQuery{StateMachineARN: smARN("m"), Page: store.Page{MaxResults: 1}}, want},
		{"running", store.ExecutionQuery{StateMachineARN: smARN("m"), Status: store.ExecutionRunning, Page: store.Page{MaxResults: 2}}, filter(store.ExecutionRunning)},
		{"succeeded", store.ExecutionQuery{StateMachineARN: smARN("m"), Status: store.ExecutionSucceeded, Page: store.Page{MaxResults: 2}}, filter(store.ExecutionSucceeded)},
		{"none aborted", store.ExecutionQuery{StateMachineARN: smARN("m"), Status: store.ExecutionAborted}, nil},
		{"unknown machine", store.ExecutionQuery{StateMachineARN: smARN("nope")}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			diff(t, "executions", tt.want, list(tt.q), emptyBytes)
		})
	}
	_, _, err := s.ListExecutions(ctx, store.ExecutionQuery{StateMachineARN: smARN("m"), Page: store.Page{NextToken: "bad"}})
	wantErr(t, "bad token", err, store.ErrInvalidToken)
}

func testHistory(t *testing.T, s store.Store) {
	ctx := t.Context()
	e := start(t, s, "m", "e", at(0))
	var all []store.Event
	all = append(all, event(1, "ExecutionStarted"), event(2, "PassStateEntered"))
	for v := int64(1); v <= 3; v++ {
		evs := []store.Event{event(2*v+1, "A"), event(2*v+2, "B")}
		must(t, "commit", s.Commit(ctx, store.Commit{ExecutionARN: e.ARN, ExpectedVersion: v, Events: evs}))
		all = append(all, evs...)
	}
	reversed := make([]store.Event, len(all))
	for i, ev := range all {
		reversed[len(all)-1-i] = ev
	}
	page := func(q store.HistoryQuery) ([]store.Event, int) {
		var got []store.Event
		pages := 0
		for {
			evs, next, err := s.History(ctx, q)
			must(t, "history", err)
			pages++
			got = append(got, evs...)
			if next == "" {
				return got, pages
			}
			q.NextToken = next
		}
	}
	tests := []struct {
		name      string
		q         store.HistoryQuery
		want      []store.Event
		wantPages int
	}{
		{"forward", store.HistoryQuery{ExecutionARN: e.ARN}, all, 1},
		{"forward by 3", store.HistoryQuery{ExecutionARN: e.ARN, Page: store.Page{MaxResults: 3}}, all, 3},
		{"forward by 4", store.HistoryQuery{ExecutionARN: e.ARN, Page: store.Page{MaxResults: 4}}, all, 2},
		{"reverse", store.HistoryQuery{ExecutionARN: e.ARN, Reverse: true}, reversed, 1},
		{"reverse by 3", store.HistoryQuery{ExecutionARN: e.ARN, Reverse: true, Page: store.Page{MaxResults: 3}}, reversed, 3},
		{"reverse by 8", store.HistoryQuery{ExecutionARN: e.ARN, Reverse: true, Page: store.Page{MaxResults: 8}}, reversed, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, pages := page(tt.q)
			diff(t, "events", tt.want, got)
			if pages != tt.wantPages {
				t.Errorf("%d pages, want %d", pages, tt.wantPages)
			}
		})
	}
	_, _, err := s.History(ctx, store.HistoryQuery{ExecutionARN: execARN("m", "nope")})
	wantErr(t, "history of missing", err, store.ErrNotFound)
	_, _, err = s.History(ctx, store.HistoryQuery{ExecutionARN: e.ARN, Page: store.Page{NextToken: store.EncodeToken(store.TokenExecutions, 2)}})
	wantErr(t, "history with other token", err, store.ErrInvalidToken)

	empty := execution("m", "empty", at(0))
	must(t, "start without events", s.Commit(ctx, store.Commit{Start: &empty}))
	evs, next, err := s.History(ctx, store.HistoryQuery{ExecutionARN: empty.ARN})
	must(t, "empty history", err)
	if len(evs) != 0 || next != "" {
		t.Errorf("empty history: %d events, token %q", len(evs), next)
	}
}

func addWork(t *testing.T, s store.Store, e *store.Execution, items ...store.WorkItem) {
	t.Helper()
	must(t, "add work", s.Commit(t.Context(), store.Commit{ExecutionARN: e.ARN, ExpectedVersion: e.Version, AddWork: items}))
	e.Version++
}

func ids(items []store.WorkItem) []string {
	out := []string{}
	for _, it := range items {
		out = append(out, it.ExecutionARN[len(it.ExecutionARN)-1:]+"/"+it.ID)
	}
	return out
}

func testWorkDueOrder(t *testing.T, s store.Store) {
	ctx := t.Context()
	_, ok, err := s.NextWorkTime(ctx)
	must(t, "next work time", err)
	if ok {
		t.Errorf("next work time of empty store: ok")
	}
	a := start(t, s, "m", "a", at(0))
	b := start(t, s, "m", "b", at(0))
	addWork(t, s, &a, store.WorkItem{ID: "3", Kind: "timer", Due: at(3)}, store.WorkItem{ID: "10", Kind: "timer", Due: at(10)})
	addWork(t, s, &b, store.WorkItem{ID: "1", Kind: "timer", Due: at(1)}, store.WorkItem{ID: "2", Kind: "invoke", Due: at(2)})
	addWork(t, s, &a, store.WorkItem{ID: "5", Kind: "timer", Due: at(5)})

	next, ok, err := s.NextWorkTime(ctx)
	must(t, "next work time", err)
	if !ok || !next.Equal(at(1)) {
		t.Errorf("next work time %v %v, want %v", next, ok, at(1))
	}
	got, err := s.ClaimWork(ctx, store.Claim{Owner: "n1", Now: at(0), Lease: time.Minute, Limit: 10})
	must(t, "claim early", err)
	diff(t, "claimed before due", []string{}, ids(got))

	got, err = s.ClaimWork(ctx, store.Claim{Owner: "n1", Now: at(4), Lease: time.Minute, Limit: 2})
	must(t, "claim", err)
	diff(t, "claimed, limited", []string{"b/1", "b/2"}, ids(got))
	for _, it := range got {
		if it.Owner != "n1" || !it.LeaseExpiry.Equal(at(64)) || it.Claims != 1 {
			t.Errorf("claimed %s: owner %q, lease %v, claims %d", it.ID, it.Owner, it.LeaseExpiry, it.Claims)
		}
	}
	got, err = s.ClaimWork(ctx, store.Claim{Owner: "n2", Now: at(5), Lease: time.Minute, Limit: 10})
	must(t, "claim", err)
	diff(t, "claimed at due time, not leased ones", []string{"a/3", "a/5"}, ids(got))
	got, err = s.ClaimWork(ctx, store.Claim{Owner: "n2", Now: at(5), Lease: time.Minute})
	must(t, "claim", err)
	diff(t, "nothing left due", []string{}, ids(got))

	next, _, err = s.NextWorkTime(ctx)
	must(t, "next work time", err)
	if !next.Equal(at(10)) {
		t.Errorf("next work time %v, want %v", next, at(10))
	}
	// Limit 0 claims one.
	got, err = s.ClaimWork(ctx, store.Claim{Owner: "n3", Now: at(100), Lease: time.Minute})
	must(t, "claim", err)
	diff(t, "limit 0", []string{"a/10"}, ids(got))
}

func testWorkLeases(t *testing.T, s store.Store) {
	ctx := t.Context()
	e := start(t, s, "m", "e", at(0))
	addWork(t, s, &e, store.WorkItem{ID: "w", Kind: "invoke", Payload: []byte("p"), Due: at(0)})
	got, err := s.ClaimWork(ctx, store.Claim{Owner: "a", Now: at(1), Lease: 10 * time.Second, Limit: 5})
	must(t, "claim", err)
	diff(t, "claimed", []store.WorkItem{{ExecutionARN: e.ARN, ID: "w", Kind: "invoke", Payload: []byte("p"), Due: at(0), Owner: "a", LeaseExpiry: at(11), Claims: 1}}, got)

	// While the lease is live nobody else gets it.
	got, err = s.ClaimWork(ctx, store.Claim{Owner: "b", Now: at(10), Lease: 10 * time.Second})
	must(t, "claim", err)
	diff(t, "leased", []string{}, ids(got))

	must(t, "extend", s.ExtendLease(ctx, e.ARN, "w", "a", at(20)))
	got, err = s.ClaimWork(ctx, store.Claim{Owner: "b", Now: at(15), Lease: 10 * time.Second})
	must(t, "claim", err)
	diff(t, "extended", []string{}, ids(got))
	next, _, err := s.NextWorkTime(ctx)
	must(t, "next", err)
	if !next.Equal(at(20)) {
		t.Errorf("next work time %v, want lease expiry %v", next, at(20))
	}

	// Once it expires, another claimant takes it and the first loses it.
	got, err = s.ClaimWork(ctx, store.Claim{Owner: "b", Now: at(20), Lease: 10 * time.Second})
	must(t, "reclaim", err)
	diff(t, "reclaimed", []store.WorkItem{{ExecutionARN: e.ARN, ID: "w", Kind: "invoke", Payload: []byte("p"), Due: at(0), Owner: "b", LeaseExpiry: at(30), Claims: 2}}, got)
	wantErr(t, "extend lost lease", s.ExtendLease(ctx, e.ARN, "w", "a", at(40)), store.ErrLeaseLost)
	wantErr(t, "release lost lease", s.ReleaseWork(ctx, e.ARN, "w", "a", at(20)), store.ErrLeaseLost)

	// Releasing makes it claimable at the given time.
	must(t, "release", s.ReleaseWork(ctx, e.ARN, "w", "b", at(25)))
	wantErr(t, "extend released", s.ExtendLease(ctx, e.ARN, "w", "b", at(40)), store.ErrLeaseLost)
	got, err = s.ClaimWork(ctx, store.Claim{Owner: "c", Now: at(24), Lease: time.Second})
	must(t, "claim", err)
	diff(t, "released, not yet ready", []string{}, ids(got))
	got, err = s.ClaimWork(ctx, store.Claim{Owner: "c", Now: at(25), Lease: time.Second})
	must(t, "claim", err)
	diff(t, "released and ready", []string{"e/w"}, ids(got))

	wantErr(t, "extend missing", s.ExtendLease(ctx, e.ARN, "nope", "c", at(40)), store.ErrNotFound)
	wantErr(t, "release missing", s.ReleaseWork(ctx, execARN("m", "nope"), "w", "c", at(40)), store.ErrNotFound)

	// Consuming the item ends the lease: it is gone.
	must(t, "consume", s.Commit(ctx, store.Commit{ExecutionARN: e.ARN, ExpectedVersion: e.Version, DoneWork: []string{"w"}}))
	wantErr(t, "extend consumed", s.ExtendLease(ctx, e.ARN, "w", "c", at(40)), store.ErrNotFound)
	_, ok, err := s.NextWorkTime(ctx)
	must(t, "next", err)
	if ok {
		t.Errorf("next work time after consume: ok")
	}
}

func testWorkReplaceAndList(t *testing.T, s store.Store) {
	ctx := t.Context()
	e := start(t, s, "m", "e", at(0))
	addWork(t, s, &e, store.WorkItem{ID: "b", Kind: "timer", Due: at(5)}, store.WorkItem{ID: "a", Kind: "invoke", Payload: []byte("x")})
	got, err := s.ClaimWork(ctx, store.Claim{Owner: "o", Now: at(10), Lease: time.Minute, Limit: 5})
	must(t, "claim", err)
	// A zero Due is due at once, so it comes first.
	diff(t, "claimed", []string{"e/a", "e/b"}, ids(got))

	// Replacing an item drops its lease.
	addWork(t, s, &e, store.WorkItem{ID: "b", Kind: "timer", Payload: []byte("again"), Due: at(20)})
	work, err := s.ListWork(ctx, e.ARN)
	must(t, "list", err)
	diff(t, "work", []store.WorkItem{
		{ExecutionARN: e.ARN, ID: "a", Kind: "invoke", Payload: []byte("x"), Owner: "o", LeaseExpiry: at(70), Claims: 1},
		{ExecutionARN: e.ARN, ID: "b", Kind: "timer", Payload: []byte("again"), Due: at(20)},
	}, work)
	wantErr(t, "extend replaced", s.ExtendLease(ctx, e.ARN, "b", "o", at(100)), store.ErrLeaseLost)

	// Delete and re-add in one commit.
	must(t, "commit", s.Commit(ctx, store.Commit{ExecutionARN: e.ARN, ExpectedVersion: e.Version,
		DoneWork: []string{"a", "b"}, AddWork: []store.WorkItem{{ID: "a", Kind: "timer", Due: at(1)}}}))
	work, err = s.ListWork(ctx, e.ARN)
	must(t, "list", err)
	diff(t, "work", []store.WorkItem{{ExecutionARN: e.ARN, ID: "a", Kind: "timer", Due: at(1)}}, work, emptyBytes)

	work, err = s.ListWork(ctx, execARN("m", "nope"))
	must(t, "list missing", err)
	diff(t, "work of missing", []store.WorkItem{}, work, emptyBytes)
}

// testWakeWork parks items with a far Due and wakes them: a woken item is
// claimable at once with its kind and payload, and loses any lease.
func testWakeWork(t *testing.T, s store.Store) {
	ctx := t.Context()
	e := start(t, s, "m", "e", at(0))
	addWork(t, s, &e, store.WorkItem{ID: "park", Kind: "child", Payload: []byte("p"), Due: at(100000)},
		store.WorkItem{ID: "other", Kind: "timer", Due: at(5)})
	got, err := s.ClaimWork(ctx, store.Claim{Owner: "n1", Now: at(10), Lease: time.Minute, Limit: 5})
	must(t, "claim", err)
	diff(t, "claimed before waking", []string{"e/other"}, ids(got))

	must(t, "wake", s.Commit(ctx, store.Commit{ExecutionARN: e.ARN, ExpectedVersion: e.Version, WakeWork: []string{"park", "other", "missing"}}))
	e.Version++
	next, ok, err := s.NextWorkTime(ctx)
	must(t, "next work time", err)
	if !ok || !next.IsZero() {
		t.Errorf("next work time after waking %v %v, want zero", next, ok)
	}
	got, err = s.ClaimWork(ctx, store.Claim{Owner: "n2", Now: at(11), Lease: time.Minute, Limit: 5})
	must(t, "claim woken", err)
	diff(t, "claimed after waking", []store.WorkItem{
		{ExecutionARN: e.ARN, ID: "other", Kind: "timer", Owner: "n2", LeaseExpiry: at(71), Claims: 2},
		{ExecutionARN: e.ARN, ID: "park", Kind: "child", Payload: []byte("p"), Owner: "n2", LeaseExpiry: at(71), Claims: 1},
	}, sortByID(got), emptyBytes)
	wantErr(t, "extend the lease woken away", s.ExtendLease(ctx, e.ARN, "other", "n1", at(100)), store.ErrLeaseLost)

	// Waking and deleting in one commit: the item is gone.
	must(t, "wake deleted", s.Commit(ctx, store.Commit{ExecutionARN: e.ARN, ExpectedVersion: e.Version,
		DoneWork: []string{"park"}, WakeWork: []string{"park"}}))
	work, err := s.ListWork(ctx, e.ARN)
	must(t, "list", err)
	diff(t, "work", []string{"e/other"}, ids(work))
}

func sortByID(items []store.WorkItem) []store.WorkItem {
	out := slices.Clone(items)
	slices.SortFunc(out, func(a, b store.WorkItem) int { return strings.Compare(a.ID, b.ID) })
	return out
}

// testLeaseRace has claimants race for due items: each item goes to
// exactly one of them.
func testLeaseRace(t *testing.T, s store.Store) {
	ctx := t.Context()
	const items, claimants = 60, 6
	for i := range 3 {
		e := start(t, s, "m", "e"+strconv.Itoa(i), at(0))
		var add []store.WorkItem
		for j := range items / 3 {
			add = append(add, store.WorkItem{ID: strconv.Itoa(j), Kind: "timer", Due: at(j % 7)})
		}
		addWork(t, s, &e, add...)
	}
	var mu sync.Mutex
	owner := map[string]string{}
	var wg sync.WaitGroup
	for c := range claimants {
		name := "c" + strconv.Itoa(c)
		wg.Go(func() {
			for {
				got, err := s.ClaimWork(ctx, store.Claim{Owner: name, Now: at(10), Lease: time.Hour, Limit: 3})
				if err != nil {
					t.Errorf("claim: %v", err)
					return
				}
				if len(got) == 0 {
					return
				}
				mu.Lock()
				for _, it := range got {
					key := it.ExecutionARN + "/" + it.ID
					if prev, ok := owner[key]; ok {
						t.Errorf("%s claimed by %s and %s", key, prev, name)
					}
					owner[key] = name
				}
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	if len(owner) != items {
		t.Errorf("%d items claimed, want %d", len(owner), items)
	}
	// Two claimants for one expired lease: exactly one wins.
	var winners sync.WaitGroup
	results := make([][]store.WorkItem, 2)
	for i := range results {
		winners.Go(func() {
			got, err := s.ClaimWork(ctx, store.Claim{Owner: "late" + strconv.Itoa(i), Now: at(10).Add(2 * time.Hour), Lease: time.Hour, Limit: items})
			if err != nil {
				t.Errorf("claim: %v", err)
			}
			results[i] = got
		})
	}
	winners.Wait()
	if n := len(results[0]) + len(results[1]); n != items {
		t.Errorf("reclaimed %d items in all, want %d", n, items)
	}
}

func testTasks(t *testing.T, s store.Store) {
	ctx := t.Context()
	act := actARN("act")
	_, err := s.CreateActivity(ctx, store.Activity{ARN: act, Name: "act", CreationDate: at(0)}, nil)
	must(t, "create activity", err)
	e := start(t, s, "m", "e", at(0))
	tasks := []store.Task{
		{Token: "t1", WorkID: "w1", ActivityARN: act, Input: `{"a":1}`, TimeoutSeconds: 60, HeartbeatSeconds: 10, Created: at(1)},
		{Token: "cb", WorkID: "w2", Input: `{}`, Created: at(1)},
		{Token: "t2", WorkID: "w3", ActivityARN: act, Input: `{"a":2}`, Created: at(2)},
	}
	must(t, "commit", s.Commit(ctx, store.Commit{ExecutionARN: e.ARN, ExpectedVersion: 1, AddTasks: tasks}))
	for i := range tasks {
		tasks[i].ExecutionARN = e.ARN
	}
	got, err := s.GetTask(ctx, "cb")
	must(t, "get callback", err)
	diff(t, "callback", tasks[1], got)

	got, err = s.ClaimActivityTask(ctx, act, "worker-1", at(5))
	must(t, "claim", err)
	want := tasks[0]
	want.Claimed, want.WorkerName, want.ClaimDate = true, "worker-1", at(5)
	diff(t, "first claim gets oldest", want, got)
	got, err = s.GetTask(ctx, "t1")
	must(t, "get claimed", err)
	diff(t, "claimed task", want, got)

	got, err = s.ClaimActivityTask(ctx, act, "", at(6))
	must(t, "claim", err)
	want = tasks[2]
	want.Claimed, want.ClaimDate = true, at(6)
	diff(t, "second claim", want, got)
	_, err = s.ClaimActivityTask(ctx, act, "w", at(7))
	wantErr(t, "claim empty queue", err, store.ErrNotFound)
	_, err = s.ClaimActivityTask(ctx, actARN("other"), "w", at(7))
	wantErr(t, "claim other activity", err, store.ErrNotFound)

	// Finishing a task removes its token.
	must(t, "commit", s.Commit(ctx, store.Commit{ExecutionARN: e.ARN, ExpectedVersion: 2, DoneTasks: []string{"t1", "cb", "absent"}}))
	for _, tok := range []string{"t1", "cb", "absent"} {
		_, err = s.GetTask(ctx, tok)
		wantErr(t, "get finished "+tok, err, store.ErrNotFound)
	}
	got, err = s.GetTask(ctx, "t2")
	must(t, "get t2", err)
	diff(t, "t2 remains", want, got)

	// A finished but unclaimed task is not handed out.
	must(t, "commit", s.Commit(ctx, store.Commit{ExecutionARN: e.ARN, ExpectedVersion: 3, AddTasks: []store.Task{{Token: "t3", ActivityARN: act, WorkID: "w4"}}}))
	must(t, "commit", s.Commit(ctx, store.Commit{ExecutionARN: e.ARN, ExpectedVersion: 4, DoneTasks: []string{"t3"}}))
	_, err = s.ClaimActivityTask(ctx, act, "w", at(7))
	wantErr(t, "claim finished", err, store.ErrNotFound)
	// Token reuse after finishing is allowed.
	must(t, "commit", s.Commit(ctx, store.Commit{ExecutionARN: e.ARN, ExpectedVersion: 5, AddTasks: []store.Task{{Token: "t3", ActivityARN: act, WorkID: "w5"}}}))
	got, err = s.ClaimActivityTask(ctx, act, "w", at(8))
	must(t, "claim reused", err)
	if got.WorkID != "w5" {
		t.Errorf("claimed %+v, want work w5", got)
	}
}

func testActivityTaskRace(t *testing.T, s store.Store) {
	ctx := t.Context()
	act := actARN("race")
	e := start(t, s, "m", "e", at(0))
	const n, workers = 40, 6
	var tasks []store.Task
	for i := range n {
		tasks = append(tasks, store.Task{Token: "tok" + strconv.Itoa(i), WorkID: strconv.Itoa(i), ActivityARN: act, Created: at(i)})
	}
	must(t, "commit", s.Commit(ctx, store.Commit{ExecutionARN: e.ARN, ExpectedVersion: 1, AddTasks: tasks}))
	var mu sync.Mutex
	got := map[string]string{}
	var wg sync.WaitGroup
	for w := range workers {
		name := "w" + strconv.Itoa(w)
		wg.Go(func() {
			for {
				task, err := s.ClaimActivityTask(ctx, act, name, at(100))
				if errors.Is(err, store.ErrNotFound) {
					return
				}
				if err != nil {
					t.Errorf("claim: %v", err)
					return
				}
				mu.Lock()
				if prev, ok := got[task.Token]; ok {
					t.Errorf("%s claimed by %s and %s", task.Token, prev, name)
				}
				got[task.Token] = name
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	if len(got) != n {
		t.Errorf("%d tasks claimed, want %d", len(got), n)
	}
}

// testConcurrentMixed runs independent executions from many goroutines,
// each with reads, steps, claims and an end, to give -race something to
// find.
func testConcurrentMixed(t *testing.T, s store.Store) {
	ctx := t.Context()
	_, err := s.CreateStateMachine(ctx, machine("m", at(0)), nil)
	must(t, "create", err)
	const goroutines, steps = 8, 5
	var wg sync.WaitGroup
	for g := range goroutines {
		wg.Go(func() {
			if err := runOne(ctx, s, g, steps); err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()
	page, _, err := s.ListExecutions(ctx, store.ExecutionQuery{StateMachineARN: smARN("m"), Status: store.ExecutionSucceeded})
	must(t, "list", err)
	if len(page) != goroutines {
		t.Errorf("%d succeeded executions, want %d", len(page), goroutines)
	}
}

func runOne(ctx context.Context, s store.Store, g, steps int) error {
	name := "g" + strconv.Itoa(g)
	e := execution("m", name, at(g))
	if err := s.Commit(ctx, store.Commit{Start: &e, Events: []store.Event{event(1, "ExecutionStarted")},
		AddWork: []store.WorkItem{{ID: "0", Kind: "invoke"}}}); err != nil {
		return fmt.Errorf("start %s: %w", name, err)
	}
	for v := int64(1); v <= int64(steps); v++ {
		if _, err := s.GetStateMachine(ctx, smARN("m")); err != nil {
			return err
		}
		if _, _, err := s.History(ctx, store.HistoryQuery{ExecutionARN: e.ARN, Reverse: true, Page: store.Page{MaxResults: 2}}); err != nil {
			return err
		}
		if _, err := s.ClaimWork(ctx, store.Claim{Owner: name, Now: at(1000), Lease: time.Millisecond, Limit: 2}); err != nil {
			return err
		}
		c := store.Commit{ExecutionARN: e.ARN, ExpectedVersion: v, State: []byte(name),
			Events:   []store.Event{event(v+1, "Step")},
			DoneWork: []string{strconv.FormatInt(v-1, 10)},
			AddWork:  []store.WorkItem{{ID: strconv.FormatInt(v, 10), Kind: "invoke"}},
		}
		if v == int64(steps) {
			c.End = &store.End{Status: store.ExecutionSucceeded, Output: "{}", StopDate: at(100)}
			c.AddWork = nil
		}
		if err := s.Commit(ctx, c); err != nil {
			return fmt.Errorf("commit %s v%d: %w", name, v, err)
		}
	}
	got, err := s.GetExecution(ctx, e.ARN)
	if err != nil {
		return err
	}
	if got.Version != int64(steps)+1 || string(got.State) != name {
		return fmt.Errorf("%s: version %d state %q", name, got.Version, got.State)
	}
	work, err := s.ListWork(ctx, e.ARN)
	if err != nil {
		return err
	}
	if len(work) != 0 {
		return fmt.Errorf("%s: %d work items left", name, len(work))
	}
	return nil
}

func testCanceled(t *testing.T, s store.Store) {
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	e := execution("m", "e", at(0))
	wantErr(t, "commit", s.Commit(ctx, store.Commit{Start: &e}), context.Canceled)
	_, err := s.GetExecution(ctx, e.ARN)
	wantErr(t, "get", err, context.Canceled)
	_, err = s.ClaimWork(ctx, store.Claim{Owner: "o", Now: at(0)})
	wantErr(t, "claim", err, context.Canceled)
	_, err = s.GetExecution(t.Context(), e.ARN)
	wantErr(t, "get after canceled commit", err, store.ErrNotFound)
}

func testClose(t *testing.T, s store.Store) {
	ctx := t.Context()
	_, err := s.CreateStateMachine(ctx, machine("m", at(0)), nil)
	must(t, "create", err)
	must(t, "close", s.Close())
	must(t, "close again", s.Close())
	_, err = s.GetStateMachine(ctx, smARN("m"))
	wantErr(t, "get after close", err, store.ErrClosed)
	e := execution("m", "e", at(0))
	wantErr(t, "commit after close", s.Commit(ctx, store.Commit{Start: &e}), store.ErrClosed)
	_, err = s.ClaimWork(ctx, store.Claim{Owner: "o", Now: at(0)})
	wantErr(t, "claim after close", err, store.ErrClosed)
}
