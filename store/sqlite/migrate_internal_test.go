package sqlite

import (
	"database/sql"
	"path/filepath"
	"testing"
	"time"

	"stepwise/store"
)

// TestMigrateFromVersion1 opens a database made before migration 0002
// (no test_case column): its executions are kept and new ones remember
// their test case.
func TestMigrateFromVersion1(t *testing.T) {
	path := filepath.Join(t.TempDir(), "old.db")
	ctx := t.Context()
	start := time.Date(2025, 1, 2, 3, 4, 5, 0, time.UTC)
	old := store.Execution{ARN: "arn:aws:states:us-east-1:123456789012:execution:m:old", StateMachineARN: "arn:aws:states:us-east-1:123456789012:stateMachine:m",
		RevisionID: "r1", Name: "old", Input: "{}", StartDate: start}
	s, err := Open(ctx, path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	createMachine(t, s, old.StateMachineARN)
	if err := s.Commit(ctx, store.Commit{Start: &old}); err != nil {
		t.Fatal(err)
	}
	s.Close()
	// Turn the file back into a version 1 database.
	db, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	for _, q := range []string{"ALTER TABLE executions DROP COLUMN test_case",
		// What 0006 adds, which ALTER TABLE cannot add twice.
		"DROP INDEX executions_by_version", "DROP INDEX executions_by_alias", "ALTER TABLE executions DROP COLUMN version_arn",
		"ALTER TABLE executions DROP COLUMN alias_arn", "DROP TABLE alias_routes", "DROP TABLE state_machine_aliases",
		"DROP TABLE state_machine_versions", "ALTER TABLE state_machines DROP COLUMN last_version",
		"ALTER TABLE state_machine_revisions DROP COLUMN encryption_configuration",
		// What 0007 adds.
		"ALTER TABLE executions DROP COLUMN redrive_date", "ALTER TABLE executions DROP COLUMN redrive_token",
		"PRAGMA user_version = 1"} {
		if _, err := db.ExecContext(ctx, q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	db.Close()

	s = open(t, path, Options{})
	got, err := s.GetExecution(ctx, old.ARN)
	if err != nil || got.Name != "old" || got.TestCase != "" {
		t.Fatalf("old execution after the migration: %+v %v", got, err)
	}
	mocked := old
	mocked.ARN, mocked.Name, mocked.TestCase = old.ARN+"2", "old2", "HappyPath"
	if err := s.Commit(ctx, store.Commit{Start: &mocked}); err != nil {
		t.Fatal(err)
	}
	if got, err := s.GetExecution(ctx, mocked.ARN); err != nil || got.TestCase != "HappyPath" {
		t.Errorf("new execution: %+v %v", got, err)
	}
}
