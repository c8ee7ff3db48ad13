package postgres_test

import (
	"errors"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"stepwise/store"
	"stepwise/store/postgres"
	"stepwise/store/postgres/pgtest"
)

// The tests in this file open several Stores on one schema, as several
// server nodes share one database.

var t0 = time.Date(2025, 3, 4, 5, 6, 7, 890123456, time.UTC)

func at(sec int) time.Time { return t0.Add(time.Duration(sec) * time.Second) }

const region = "arn:aws:states:us-east-1:123456789012:"

// startExecution creates execution name of machine m with the given work
// and tasks.
func startExecution(t *testing.T, s store.Store, name string, work []store.WorkItem, tasks []store.Task) string {
	t.Helper()
	e := store.Execution{ARN: region + "execution:m:" + name, StateMachineARN: region + "stateMachine:m",
		RevisionID: "r", Name: name, Input: "{}", StartDate: at(0)}
	createMachine(t, s, e.StateMachineARN)
	if err := s.Commit(t.Context(), store.Commit{Start: &e, AddWork: work, AddTasks: tasks}); err != nil {
		t.Fatalf("start %s: %v", name, err)
	}
	return e.ARN
}

// createMachine stores the state machine arn unless it exists: executions
// start only on one that does.
func createMachine(t *testing.T, s store.Store, arn string) {
	t.Helper()
	sm := store.StateMachine{ARN: arn, Name: arn[strings.LastIndex(arn, ":")+1:], Type: store.TypeStandard, Definition: "{}", RevisionID: "r"}
	if _, err := s.CreateStateMachine(t.Context(), sm, nil); err != nil && !errors.Is(err, store.ErrAlreadyExists) {
		t.Fatal(err)
	}
}

// nodes opens n stores on one fresh schema.
func nodes(t *testing.T, n int) []*postgres.Store {
	t.Helper()
	dsn := pgtest.DSN(t)
	schema := pgtest.SchemaName(t, dsn)
	out := make([]*postgres.Store, n)
	for i := range out {
		out[i] = open(t, dsn, schema)
	}
	return out
}

// claimAll has workers on every node claim at now until none of them
// finds anything, and returns who got each item. It fails t if an item
// is handed out twice.
func claimAll(t *testing.T, nodes []*postgres.Store, workersPerNode, limit int, now time.Time) map[string]string {
	t.Helper()
	var mu sync.Mutex
	owner := map[string]string{}
	var wg sync.WaitGroup
	for n, s := range nodes {
		for w := range workersPerNode {
			name := "node" + strconv.Itoa(n) + "/worker" + strconv.Itoa(w) + "@" + now.Format(time.RFC3339)
			wg.Go(func() {
				for {
					got, err := s.ClaimWork(t.Context(), store.Claim{Owner: name, Now: now, Lease: time.Hour, Limit: limit})
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
	}
	wg.Wait()
	return owner
}

// TestNodesClaimWork has workers on two nodes race for due work items:
// each item goes to exactly one worker, first while never claimed, then
// again once every lease has expired.
func TestNodesClaimWork(t *testing.T) {
	ns := nodes(t, 2)
	const executions, perExecution = 8, 50
	for i := range executions {
		var work []store.WorkItem
		for j := range perExecution {
			work = append(work, store.WorkItem{ID: strconv.Itoa(j), Kind: "timer", Due: at(j % 7)})
		}
		startExecution(t, ns[i%2], "e"+strconv.Itoa(i), work, nil)
	}
	if got := claimAll(t, ns, 4, 3, at(10)); len(got) != executions*perExecution {
		t.Errorf("%d items claimed, want %d", len(got), executions*perExecution)
	}
	// The leases last an hour; two hours later every item is claimable
	// again.
	if got := claimAll(t, ns, 4, 7, at(10).Add(2*time.Hour)); len(got) != executions*perExecution {
		t.Errorf("%d items reclaimed, want %d", len(got), executions*perExecution)
	}
}

// TestNodesClaimActivityTasks has workers on two nodes race for the tasks
// of an activity: each task goes to exactly one worker.
func TestNodesClaimActivityTasks(t *testing.T) {
	ns := nodes(t, 2)
	act := region + "activity:race"
	const n = 200
	var tasks []store.Task
	for i := range n {
		tasks = append(tasks, store.Task{Token: "tok" + strconv.Itoa(i), WorkID: strconv.Itoa(i), ActivityARN: act, Created: at(i)})
	}
	startExecution(t, ns[0], "e", nil, tasks)

	var mu sync.Mutex
	got := map[string]string{}
	var wg sync.WaitGroup
	for i, s := range ns {
		for w := range 4 {
			name := "node" + strconv.Itoa(i) + "/worker" + strconv.Itoa(w)
			wg.Go(func() {
				for {
					task, err := s.ClaimActivityTask(t.Context(), act, name, at(100))
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
	}
	wg.Wait()
	if len(got) != n {
		t.Errorf("%d tasks claimed, want %d", len(got), n)
	}
}

// TestNodesCommit has committers on two nodes race to step one execution:
// exactly one commit wins per version.
func TestNodesCommit(t *testing.T) {
	ns := nodes(t, 2)
	arn := startExecution(t, ns[0], "e", nil, nil)
	const steps = 30
	var mu sync.Mutex
	wins := map[int64]int{}
	var wg sync.WaitGroup
	for i := range 8 {
		s := ns[i%2]
		wg.Go(func() {
			for {
				cur, err := s.GetExecution(t.Context(), arn)
				if err != nil {
					t.Errorf("get: %v", err)
					return
				}
				if cur.Version > steps {
					return
				}
				err = s.Commit(t.Context(), store.Commit{ExecutionARN: arn, ExpectedVersion: cur.Version,
					Events: []store.Event{{ID: cur.Version, Time: at(int(cur.Version)), Type: "Step", JSON: []byte("{}")}}})
				switch {
				case err == nil:
					mu.Lock()
					wins[cur.Version]++
					mu.Unlock()
				case !errors.Is(err, store.ErrConflict):
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
	evs, _, err := ns[1].History(t.Context(), store.HistoryQuery{ExecutionARN: arn})
	if err != nil || len(evs) != steps {
		t.Errorf("history: %d events %v, want %d", len(evs), err, steps)
	}
}

// TestMigrateRace opens several stores on a new schema at once: every
// Open succeeds, and each migration is applied once.
func TestMigrateRace(t *testing.T) {
	dsn := pgtest.DSN(t)
	schema := pgtest.SchemaName(t, dsn)
	const n = 6
	stores := make([]*postgres.Store, n)
	errs := make([]error, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			stores[i], errs[i] = postgres.Open(t.Context(), dsn, postgres.Options{Schema: schema})
		})
	}
	wg.Wait()
	for i, s := range stores {
		if errs[i] != nil {
			t.Errorf("open %d: %v", i, errs[i])
			continue
		}
		t.Cleanup(func() { s.Close() })
	}
	if t.Failed() {
		return
	}
	files, err := filepath.Glob(filepath.Join("migrations", "*.sql"))
	if err != nil || len(files) == 0 {
		t.Fatalf("migration files: %v %v", files, err)
	}
	if got := queryInt(t, dsn, schema, "SELECT count(*) FROM schema_migrations"); got != int64(len(files)) {
		t.Errorf("%d migrations recorded, want %d", got, len(files))
	}
	// The stores share one set of tables.
	a := store.Activity{ARN: region + "activity:a", Name: "a", CreationDate: at(0)}
	if _, err := stores[0].CreateActivity(t.Context(), a, nil); err != nil {
		t.Fatal(err)
	}
	if got, err := stores[n-1].GetActivity(t.Context(), a.ARN); err != nil || got != a {
		t.Errorf("activity from another store: %+v %v", got, err)
	}
}
