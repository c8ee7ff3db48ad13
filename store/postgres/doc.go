// Package postgres is the scale-out [store.Store]: every Stepwise server
// node opens the same PostgreSQL database (github.com/jackc/pgx/v5 with its
// pgxpool), so nodes share state machines, executions, work and tasks.
//
// Each write is one plain transaction on a pooled connection; PostgreSQL
// flushes the commits of concurrent transactions together, so throughput
// grows with the number of concurrent writers (up to the pool size).
// A Commit's version check is an UPDATE of the execution's row, which
// holds the row's lock until the transaction ends, so concurrent commits
// of one execution are serialized and all but one of those expecting the
// same Version fail with [store.ErrConflict]; once it passed, the rest of
// the commit goes to the server in one pipelined batch.
//
// Claims (ClaimWork, ClaimActivityTask) are single statements that lock the
// rows they take with FOR UPDATE SKIP LOCKED and move them out of reach
// (a lease expiry in the future, a claimed flag) before the lock is
// released, so no two claimants, on one node or many, get the same item.
//
// The schema is created and upgraded at [Open] from the SQL files embedded
// from migrations/, in one transaction that holds an advisory lock, so
// nodes that start at once apply them once; the schema_migrations table
// records which were applied.
package postgres
