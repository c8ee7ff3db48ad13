// Package sqlite is the embedded default [store.Store]: one SQLite file,
// pure Go (modernc.org/sqlite), in WAL mode with synchronous=FULL, so a
// write is durable when it returns.
//
// Reads go through a pool of connections. Writes go through one writer
// goroutine owned by the store, which does group commit: it takes every
// write queued (up to [Options.MaxBatch], waiting up to
// [Options.BatchWindow] for more), runs them in one transaction, each
// inside its own savepoint so a failing write undoes only itself, syncs
// once, and then answers each caller. Writes that arrive while a batch is
// being synced form the next batch, so throughput grows with the number of
// concurrent writers.
//
// The schema is created and upgraded at [Open] from the SQL files embedded
// from migrations/; PRAGMA user_version records how many were applied.
package sqlite
