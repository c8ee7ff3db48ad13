package postgres_test

import (
	"context"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"go.uber.org/goleak"

	"stepwise/store"
	"stepwise/store/postgres"
	"stepwise/store/postgres/pgtest"
	"stepwise/store/storetest"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

// open opens a store on schema and closes it when t ends.
func open(t testing.TB, dsn, schema string) *postgres.Store {
	t.Helper()
	s, err := postgres.Open(t.Context(), dsn, postgres.Options{Schema: schema})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := s.Close(); err != nil {
			t.Errorf("close: %v", err)
		}
	})
	return s
}

// queryInt runs a query that returns one integer on its own connection
// to schema.
func queryInt(t *testing.T, dsn, schema, query string) int64 {
	t.Helper()
	conn, err := pgx.Connect(t.Context(), dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(context.Background())
	if _, err := conn.Exec(t.Context(), "SET search_path TO "+pgx.Identifier{schema}.Sanitize()); err != nil {
		t.Fatal(err)
	}
	var n int64
	if err := conn.QueryRow(t.Context(), query).Scan(&n); err != nil {
		t.Fatalf("%s: %v", query, err)
	}
	return n
}

func TestStore(t *testing.T) {
	dsn := pgtest.DSN(t)
	storetest.Run(t, func(t *testing.T) store.Store {
		return open(t, dsn, pgtest.SchemaName(t, dsn))
	})
}

// TestJSONVerbatim checks that JSON texts come back byte for byte, with
// their key order, spacing and number spelling (which jsonb would change).
func TestJSONVerbatim(t *testing.T) {
	dsn := pgtest.DSN(t)
	s := open(t, dsn, pgtest.SchemaName(t, dsn))
	ctx := t.Context()
	const doc = `{"z": 1.50, "a":[1e2, -0.0], "z2":"\u00e9"}`
	e := store.Execution{ARN: "arn:aws:states:us-east-1:123456789012:execution:m:e", StateMachineARN: "arn:aws:states:us-east-1:123456789012:stateMachine:m",
		RevisionID: "r", Name: "e", Input: doc, StartDate: time.Unix(0, 1)}
	createMachine(t, s, e.StateMachineARN)
	err := s.Commit(ctx, store.Commit{Start: &e,
		Events:   []store.Event{{ID: 1, Type: "ExecutionStarted", JSON: []byte(doc)}},
		AddWork:  []store.WorkItem{{ID: "w", Kind: "invoke", Payload: []byte(doc)}},
		AddTasks: []store.Task{{Token: "t", WorkID: "w", Input: doc}},
	})
	if err != nil {
		t.Fatal(err)
	}
	got, err := s.GetExecution(ctx, e.ARN)
	if err != nil || got.Input != doc {
		t.Errorf("input %q %v, want %q", got.Input, err, doc)
	}
	evs, _, err := s.History(ctx, store.HistoryQuery{ExecutionARN: e.ARN})
	if err != nil || len(evs) != 1 || string(evs[0].JSON) != doc {
		t.Errorf("history %+v %v, want one event %q", evs, err, doc)
	}
	work, err := s.ListWork(ctx, e.ARN)
	if err != nil || len(work) != 1 || string(work[0].Payload) != doc {
		t.Errorf("work %+v %v, want one item %q", work, err, doc)
	}
	task, err := s.GetTask(ctx, "t")
	if err != nil || task.Input != doc {
		t.Errorf("task input %q %v, want %q", task.Input, err, doc)
	}
}

// TestReopen checks that data survives Close and that a second Open of a
// migrated schema applies nothing.
func TestReopen(t *testing.T) {
	dsn := pgtest.DSN(t)
	schema := pgtest.SchemaName(t, dsn)
	ctx := t.Context()
	a := store.Activity{ARN: "arn:aws:states:us-east-1:123456789012:activity:a", Name: "a", CreationDate: time.Unix(1, 2).UTC()}
	s, err := postgres.Open(ctx, dsn, postgres.Options{Schema: schema})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.CreateActivity(ctx, a, nil); err != nil {
		t.Fatal(err)
	}
	s.Close()
	migrations := queryInt(t, dsn, schema, "SELECT count(*) FROM schema_migrations")

	s = open(t, dsn, schema)
	got, err := s.GetActivity(ctx, a.ARN)
	if err != nil || got != a {
		t.Errorf("activity after reopen: %+v %v, want %+v", got, err, a)
	}
	if n := queryInt(t, dsn, schema, "SELECT count(*) FROM schema_migrations"); n != migrations {
		t.Errorf("%d migrations recorded after reopen, want %d", n, migrations)
	}
}

func TestOpenBadDSN(t *testing.T) {
	if _, err := postgres.Open(t.Context(), "postgres://%zz", postgres.Options{}); err == nil {
		t.Error("Open of a malformed DSN: no error")
	}
}
