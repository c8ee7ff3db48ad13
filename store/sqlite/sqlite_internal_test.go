package sqlite

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"stepwise/store"
)

func open(t *testing.T, path string, opts Options) *Store {
	t.Helper()
	s, err := Open(t.Context(), path, opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// createMachine stores a state machine with this ARN: executions can only
// start on one that exists.
func createMachine(t *testing.T, s store.Store, arn string) {
	t.Helper()
	sm := store.StateMachine{ARN: arn, Name: strings.ReplaceAll(arn, ":", "-"), Type: store.TypeStandard, Definition: "{}", RevisionID: "r1"}
	if _, err := s.CreateStateMachine(t.Context(), sm, nil); err != nil && !errors.Is(err, store.ErrAlreadyExists) {
		t.Fatal(err)
	}
}

// TestPragmas checks the settings that make commits durable.
func TestPragmas(t *testing.T) {
	s := open(t, filepath.Join(t.TempDir(), "a", "b", "x.db"), Options{})
	tests := []struct {
		pragma string
		want   string
	}{
		{"journal_mode", "wal"},
		{"synchronous", "2"}, // FULL
		{"foreign_keys", "1"},
		{"busy_timeout", "5000"},
		// Each commit in a batch runs in a savepoint; its statement journal
		// must not go to a temporary file (a write syscall per page).
		{"temp_store", "2"},   // MEMORY
		{"user_version", "7"}, // the last migration, 0007_redrive.sql
	}
	for _, tt := range tests {
		var got string
		if err := s.db.QueryRowContext(t.Context(), "PRAGMA "+tt.pragma).Scan(&got); err != nil {
			t.Fatalf("%s: %v", tt.pragma, err)
		}
		if got != tt.want {
			t.Errorf("PRAGMA %s = %s, want %s", tt.pragma, got, tt.want)
		}
	}
}

// TestReopen checks that committed data survives Close and that migrations
// are applied once.
func TestReopen(t *testing.T) {
	path := filepath.Join(t.TempDir(), "x.db")
	ctx := t.Context()
	s := open(t, path, Options{})
	createMachine(t, s, "arn:m")
	e := store.Execution{ARN: "arn:e", StateMachineARN: "arn:m", Name: "e", StartDate: time.Unix(1, 2), State: []byte("s")}
	if err := s.Commit(ctx, store.Commit{Start: &e, Events: []store.Event{{ID: 1, Type: "ExecutionStarted", JSON: []byte("{}")}},
		AddWork: []store.WorkItem{{ID: "t", Kind: "timer", Due: time.Unix(100, 0)}}}); err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	s = open(t, path, Options{})
	got, err := s.GetExecution(ctx, "arn:e")
	if err != nil {
		t.Fatal(err)
	}
	e.Version, e.Status, e.StartDate = 1, store.ExecutionRunning, time.Unix(1, 2).UTC()
	if d := cmp.Diff(e, got); d != "" {
		t.Errorf("after reopen (-want +got):\n%s", d)
	}
	next, ok, err := s.NextWorkTime(ctx)
	if err != nil || !ok || !next.Equal(time.Unix(100, 0)) {
		t.Errorf("next work time %v %v %v", next, ok, err)
	}
}

// TestGroupCommit commits from many goroutines at once, half of them with a
// stale version: the stale ones fail alone, the others all apply, and they
// share transactions.
func TestGroupCommit(t *testing.T) {
	ctx := t.Context()
	s := open(t, filepath.Join(t.TempDir(), "x.db"), Options{BatchWindow: 5 * time.Millisecond})
	createMachine(t, s, "arn:m")
	const n = 64
	for i := range n {
		e := store.Execution{ARN: fmt.Sprint("arn:e", i), StateMachineARN: "arn:m", Name: fmt.Sprint(i)}
		if err := s.Commit(ctx, store.Commit{Start: &e}); err != nil {
			t.Fatal(err)
		}
	}
	b0 := s.batches.Load()
	errs := make([]error, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			version := int64(1)
			if i%2 == 1 {
				version = 7 // stale
			}
			errs[i] = s.Commit(ctx, store.Commit{ExecutionARN: fmt.Sprint("arn:e", i), ExpectedVersion: version,
				Events: []store.Event{{ID: 1, Type: "X", JSON: []byte("{}")}}})
		})
	}
	wg.Wait()
	for i, err := range errs {
		if want := i%2 == 1; errors.Is(err, store.ErrConflict) != want || (!want && err != nil) {
			t.Errorf("commit %d: %v, want conflict %v", i, err, want)
		}
		e, err := s.GetExecution(ctx, fmt.Sprint("arn:e", i))
		if err != nil {
			t.Fatal(err)
		}
		if wantV := int64(2 - i%2); e.Version != wantV {
			t.Errorf("execution %d: version %d, want %d", i, e.Version, wantV)
		}
	}
	if batches := s.batches.Load() - b0; batches >= n/2 {
		t.Errorf("%d commits took %d transactions; want them batched", n, batches)
	}
}

// TestCloseDrains checks that Close waits for accepted writes and that the
// writer stops.
func TestCloseDrains(t *testing.T) {
	ctx := t.Context()
	s := open(t, filepath.Join(t.TempDir(), "x.db"), Options{})
	createMachine(t, s, "arn:m")
	var wg sync.WaitGroup
	errs := make([]error, 32)
	for i := range errs {
		wg.Go(func() {
			e := store.Execution{ARN: fmt.Sprint("arn:e", i), StateMachineARN: "arn:m", Name: fmt.Sprint(i)}
			errs[i] = s.Commit(ctx, store.Commit{Start: &e})
		})
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	wg.Wait()
	for i, err := range errs {
		if err != nil && !errors.Is(err, store.ErrClosed) {
			t.Errorf("commit %d: %v", i, err)
		}
	}
}

// TestPath checks that the path is a plain file name (no URI decoding) and
// that URIs and in-memory databases are refused.
func TestPath(t *testing.T) {
	p := filepath.Join(t.TempDir(), "a b", "x%20y#z.db")
	s := open(t, p, Options{})
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(p); err != nil {
		t.Errorf("database not at its path: %v", err)
	}
	for _, bad := range []string{"", ":memory:", "file:x.db", "x.db?mode=ro"} {
		if s, err := Open(t.Context(), bad, Options{}); err == nil {
			s.Close()
			t.Errorf("Open(%q) succeeded", bad)
		}
	}
}

// TestQueryPlans checks that the queries run against large tables (due
// work, executions of a machine, histories, activity queues) are answered
// from an index: no full scan and no sort.
func TestQueryPlans(t *testing.T) {
	s := open(t, filepath.Join(t.TempDir(), "x.db"), Options{})
	tests := []struct {
		name  string
		query string
		args  []any
	}{
		{"claim work", claimWorkQuery, []any{1, 10}},
		{"next work", nextWorkQuery, nil},
		{"claim activity task", claimActivityQuery, []any{"a"}},
		{"list executions", listExecutionsQuery, []any{"m", 0, 9, 5, 10}},
		{"list executions by status", listByStatusQuery, []any{"m", "RUNNING", 0, 9, 5, 10}},
		{"list executions of a version", listByVersionQuery, []any{"m:1", 0, 9, 5, 10}},
		{"list executions of an alias", listByAliasQuery, []any{"m:A", 0, 9, 5, 10}},
		{"list executions of a version by status", listByVersionStatusQuery, []any{"m:1", "RUNNING", 0, 9, 5, 10}},
		{"list executions of an alias by status", listByAliasStatusQuery, []any{"m:A", "RUNNING", 0, 9, 5, 10}},
		{"alias routes to a version", routedQuery, []any{"m:1"}},
		{"history", historyQuery, []any{1, 0, 10}},
		{"history reversed", historyReverseQuery, []any{1, 5, 10}},
		{"get map run", getMapRunQuery, []any{"r"}},
		{"list map runs", listMapRunsQuery, []any{1, 5, "r", 10}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rows, err := s.db.QueryContext(t.Context(), "EXPLAIN QUERY PLAN "+tt.query, tt.args...)
			if err != nil {
				t.Fatal(err)
			}
			defer rows.Close()
			for rows.Next() {
				var id, parent, unused int
				var detail string
				if err := rows.Scan(&id, &parent, &unused, &detail); err != nil {
					t.Fatal(err)
				}
				if strings.HasPrefix(detail, "SCAN") || strings.Contains(detail, "TEMP B-TREE") {
					t.Errorf("plan step %q", detail)
				}
			}
			if err := rows.Err(); err != nil {
				t.Fatal(err)
			}
		})
	}
}

// TestSecondOpenRefused checks that a database is used by one Store at a
// time: two servers on one data directory would each take the other's
// leases as its own (and a restarted one releases them all, see
// Exclusive). The lock goes with Close.
func TestSecondOpenRefused(t *testing.T) {
	path := filepath.Join(t.TempDir(), "x.db")
	s := open(t, path, Options{})
	if !s.Exclusive() {
		t.Error("Exclusive() = false")
	}
	_, err := Open(t.Context(), path, Options{})
	if !errors.Is(err, errLocked) || !strings.Contains(err.Error(), path+".lock") {
		t.Fatalf("second Open: %v, want the lock error naming %s.lock", err, path)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	open(t, path, Options{})
}
