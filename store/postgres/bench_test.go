package postgres_test

import (
	"strconv"
	"testing"

	"stepwise/store/postgres"
	"stepwise/store/postgres/pgtest"
	"stepwise/store/storetest"
)

// BenchmarkCommit runs storetest.BenchCommit from 1, 16 and 256
// concurrent committers against the test database (see pgtest.DSN) with
// the default pool size (Options.MaxConns 0). Commits are as durable as
// the server is configured to make them (fsync, synchronous_commit);
// PostgreSQL flushes the commits of concurrent transactions together.
func BenchmarkCommit(b *testing.B) {
	for _, n := range []int{1, 16, 256} {
		b.Run("committers="+strconv.Itoa(n), func(b *testing.B) {
			dsn := pgtest.DSN(b)
			s, err := postgres.Open(b.Context(), dsn, postgres.Options{Schema: pgtest.SchemaName(b, dsn)})
			if err != nil {
				b.Fatal(err)
			}
			defer s.Close()
			storetest.BenchCommit(b, s, n, nil)
		})
	}
}
