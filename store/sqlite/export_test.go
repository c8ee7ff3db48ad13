package sqlite

import "database/sql"

// DB exposes the connection pool to tests.
func (s *Store) DB() *sql.DB { return s.db }

// Batches returns how many transactions the writer committed and how many
// writes they held.
func (s *Store) Batches() (batches, writes int64) { return s.batches.Load(), s.writes.Load() }
