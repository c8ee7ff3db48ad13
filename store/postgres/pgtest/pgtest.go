// Package pgtest gives tests a PostgreSQL database to run against: the
// database of $STEPWISE_TEST_POSTGRES, else the local PostgreSQL on
// 127.0.0.1:5432 (database test, user postgres), and fresh schemas in it
// that are dropped when the test ends.
//
// A database that cannot be reached fails the test (STYLE.md §6):
// PostgreSQL is part of the machines the tests run on.
// STEPWISE_TEST_POSTGRES=off skips such tests instead, on a machine without
// one.
package pgtest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
)

// DefaultDSN is the database used when STEPWISE_TEST_POSTGRES is not set.
const DefaultDSN = "postgres://postgres@127.0.0.1:5432/test?sslmode=disable"

// DSN returns the connection string of the test database, after checking
// that it answers.
func DSN(t testing.TB) string {
	t.Helper()
	dsn := os.Getenv("STEPWISE_TEST_POSTGRES")
	if dsn == "off" {
		t.Skip("STEPWISE_TEST_POSTGRES=off")
	}
	if dsn == "" {
		dsn = DefaultDSN
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	conn, err := pgx.Connect(ctx, dsn)
	if err != nil {
		t.Fatalf("no PostgreSQL at %s (set STEPWISE_TEST_POSTGRES to another database, or to off to skip): %v", dsn, err)
	}
	conn.Close(ctx)
	return dsn
}

// SchemaName returns a new schema name, not yet created, and drops the
// schema of that name when t ends (after the stores opened on it were
// closed by cleanups registered later).
func SchemaName(t testing.TB, dsn string) string {
	t.Helper()
	var b [8]byte
	_, _ = rand.Read(b[:])
	schema := "stepwise_test_" + hex.EncodeToString(b[:])
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		if err := exec(ctx, dsn, "DROP SCHEMA IF EXISTS "+pgx.Identifier{schema}.Sanitize()+" CASCADE"); err != nil {
			t.Errorf("drop schema %s: %v", schema, err)
		}
	})
	return schema
}

// Schema creates a new schema, dropped when t ends, and returns a
// connection string whose search_path is that schema alone, for code
// that takes nothing but a URL.
func Schema(t testing.TB) string {
	t.Helper()
	dsn := DSN(t)
	schema := SchemaName(t, dsn)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if err := exec(ctx, dsn, "CREATE SCHEMA "+pgx.Identifier{schema}.Sanitize()); err != nil {
		t.Fatalf("create schema %s: %v", schema, err)
	}
	sep := "?"
	if strings.Contains(dsn, "?") {
		sep = "&"
	}
	return dsn + sep + "search_path=" + schema
}

func exec(ctx context.Context, dsn, sql string) error {
	conn, err := pgx.Connect(ctx, dsn)
	if err != nil {
		return err
	}
	defer conn.Close(ctx)
	_, err = conn.Exec(ctx, sql)
	return err
}
