package postgres

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"stepwise/store"
)

const workColumns = `e.arn, w.id, w.kind, w.payload, w.due, w.owner, w.lease_expiry, w.claims`

func scanWork(sc scanner) (store.WorkItem, error) {
	var it store.WorkItem
	var kind string
	var due, lease int64
	err := sc.Scan(&it.ExecutionARN, &it.ID, &kind, &it.Payload, &due, &it.Owner, &lease, &it.Claims)
	it.Kind = store.WorkKind(kind)
	it.Due, it.LeaseExpiry = store.FromUnixNanos(due), store.FromUnixNanos(lease)
	return it, err
}

// claimWorkQuery leases the due items that no other transaction holds:
// FOR UPDATE SKIP LOCKED passes over rows a concurrent claim (or commit)
// has locked, and rechecks ready_at on rows changed since the query began,
// so an item just claimed by another node (ready_at now its lease expiry)
// is not taken again. The items are returned in the order they were
// chosen: earliest ready_at first, then oldest.
const claimWorkQuery = `WITH due AS (
		SELECT exec_seq, id, ready_at, seq FROM work
		WHERE ready_at <= $1 ORDER BY ready_at, seq LIMIT $2
		FOR UPDATE SKIP LOCKED
	), claimed AS (
		UPDATE work w SET owner = $3, lease_expiry = $4, ready_at = greatest(w.due, $4), claims = w.claims + 1
		FROM due WHERE w.exec_seq = due.exec_seq AND w.id = due.id
		RETURNING w.exec_seq, w.id, w.kind, w.payload, w.due, w.owner, w.lease_expiry, w.claims, due.ready_at, due.seq
	)
	SELECT ` + workColumns + ` FROM claimed w JOIN executions e ON e.seq = w.exec_seq
	ORDER BY w.ready_at, w.seq`

// ClaimWork implements [store.Work]. It is one statement, in a
// transaction of its own.
func (s *Store) ClaimWork(ctx context.Context, c store.Claim) ([]store.WorkItem, error) {
	if err := s.enter(ctx); err != nil {
		return nil, fmt.Errorf("claim work: %w", err)
	}
	defer s.pending.Done()
	rows, err := s.pool.Query(ctx, claimWorkQuery, store.UnixNanos(c.Now), max(c.Limit, 1), c.Owner, store.UnixNanos(c.Now.Add(c.Lease)))
	if err != nil {
		return nil, fmt.Errorf("claim work: %w", err)
	}
	out, err := collectWork(rows)
	if err != nil {
		return nil, fmt.Errorf("claim work: %w", err)
	}
	return out, nil
}

// collectWork scans and closes rows of workColumns.
func collectWork(rows pgx.Rows) ([]store.WorkItem, error) {
	defer rows.Close()
	out := []store.WorkItem{}
	for rows.Next() {
		it, err := scanWork(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, it)
	}
	return out, rows.Err()
}

const (
	// $1 execution ARN, $2 item id, $3 owner; the owner must not be empty
	// since an item nobody holds has the empty owner.
	leasedItem    = `FROM executions e WHERE e.seq = w.exec_seq AND e.arn = $1 AND w.id = $2 AND w.owner = $3 AND $3 <> ''`
	extendSQL     = `UPDATE work w SET lease_expiry = $4, ready_at = greatest(w.due, $4) ` + leasedItem
	releaseSQL    = `UPDATE work w SET owner = '', lease_expiry = 0, due = $4, ready_at = $4, claims = greatest(w.claims - 1, 0) ` + leasedItem
	itemExistsSQL = `SELECT EXISTS (SELECT 1 FROM work w JOIN executions e ON e.seq = w.exec_seq WHERE e.arn = $1 AND w.id = $2)`
)

// ExtendLease implements [store.Work].
func (s *Store) ExtendLease(ctx context.Context, executionARN, id, owner string, until time.Time) error {
	if err := s.updateLeased(ctx, extendSQL, executionARN, id, owner, store.UnixNanos(until)); err != nil {
		return fmt.Errorf("extend lease of %s %s: %w", executionARN, id, err)
	}
	return nil
}

// ReleaseWork implements [store.Work].
func (s *Store) ReleaseWork(ctx context.Context, executionARN, id, owner string, readyAt time.Time) error {
	if err := s.updateLeased(ctx, releaseSQL, executionARN, id, owner, store.UnixNanos(readyAt)); err != nil {
		return fmt.Errorf("release work %s %s: %w", executionARN, id, err)
	}
	return nil
}

// updateLeased runs query, an UPDATE of an item the owner holds. If it
// matches no row, it returns ErrNotFound if the item is gone and else
// ErrLeaseLost: an owner's lease is only ever ended by others, so the
// answer stays true after the UPDATE.
func (s *Store) updateLeased(ctx context.Context, query, executionARN, id, owner string, t int64) error {
	if err := s.enter(ctx); err != nil {
		return err
	}
	defer s.pending.Done()
	tag, err := s.pool.Exec(ctx, query, executionARN, id, owner, t)
	if err != nil {
		return err
	}
	if tag.RowsAffected() > 0 {
		return nil
	}
	var exists bool
	if err := s.pool.QueryRow(ctx, itemExistsSQL, executionARN, id).Scan(&exists); err != nil {
		return err
	}
	if !exists {
		return store.ErrNotFound
	}
	return store.ErrLeaseLost
}

// ReleaseLeases implements [store.Work].
func (s *Store) ReleaseLeases(ctx context.Context, owner string) (int, error) {
	if err := s.enter(ctx); err != nil {
		return 0, err
	}
	defer s.pending.Done()
	tag, err := s.pool.Exec(ctx, `UPDATE work SET owner = '', lease_expiry = 0, ready_at = due
		WHERE owner <> '' AND ($1 = '' OR owner = $1)`, owner)
	if err != nil {
		return 0, fmt.Errorf("release leases of %q: %w", owner, err)
	}
	return int(tag.RowsAffected()), nil
}

// NextWorkTime implements [store.Work].
func (s *Store) NextWorkTime(ctx context.Context) (time.Time, bool, error) {
	if err := s.enter(ctx); err != nil {
		return time.Time{}, false, fmt.Errorf("next work time: %w", err)
	}
	defer s.pending.Done()
	var next *int64
	if err := s.pool.QueryRow(ctx, "SELECT min(ready_at) FROM work").Scan(&next); err != nil {
		return time.Time{}, false, fmt.Errorf("next work time: %w", err)
	}
	if next == nil {
		return time.Time{}, false, nil
	}
	return store.FromUnixNanos(*next), true, nil
}

// ListWork implements [store.Work].
func (s *Store) ListWork(ctx context.Context, executionARN string) ([]store.WorkItem, error) {
	if err := s.enter(ctx); err != nil {
		return nil, fmt.Errorf("list work %s: %w", executionARN, err)
	}
	defer s.pending.Done()
	// work.id has the "C" collation, so the order is Go's.
	rows, err := s.pool.Query(ctx, `SELECT `+workColumns+` FROM work w JOIN executions e ON e.seq = w.exec_seq
		WHERE e.arn = $1 ORDER BY w.id`, executionARN)
	if err != nil {
		return nil, fmt.Errorf("list work %s: %w", executionARN, err)
	}
	out, err := collectWork(rows)
	if err != nil {
		return nil, fmt.Errorf("list work %s: %w", executionARN, err)
	}
	return out, nil
}

const taskColumns = `t.token, e.arn, t.work_id, t.activity_arn, t.input, t.timeout_seconds, t.heartbeat_seconds,
	t.created, t.claimed, t.worker_name, t.claim_date`

func scanTask(sc scanner) (store.Task, error) {
	var t store.Task
	var created, claimed int64
	err := sc.Scan(&t.Token, &t.ExecutionARN, &t.WorkID, &t.ActivityARN, &t.Input, &t.TimeoutSeconds, &t.HeartbeatSeconds,
		&created, &t.Claimed, &t.WorkerName, &claimed)
	t.Created, t.ClaimDate = store.FromUnixNanos(created), store.FromUnixNanos(claimed)
	return t, err
}

// GetTask implements [store.Work].
func (s *Store) GetTask(ctx context.Context, token string) (store.Task, error) {
	if err := s.enter(ctx); err != nil {
		return store.Task{}, fmt.Errorf("get task: %w", err)
	}
	defer s.pending.Done()
	t, err := scanTask(s.pool.QueryRow(ctx, "SELECT "+taskColumns+
		" FROM tasks t JOIN executions e ON e.seq = t.exec_seq WHERE t.token = $1", token))
	if err != nil {
		return store.Task{}, fmt.Errorf("get task: %w", notFound(err))
	}
	return t, nil
}

// claimActivityQuery takes the oldest unclaimed task of an activity that
// no other transaction holds; see claimWorkQuery for why SKIP LOCKED never
// hands one task to two workers.
const claimActivityQuery = `WITH next AS (
		SELECT seq FROM tasks WHERE activity_arn = $1 AND activity_arn <> '' AND NOT claimed
		ORDER BY seq LIMIT 1
		FOR UPDATE SKIP LOCKED
	), claimed AS (
		UPDATE tasks t SET claimed = true, worker_name = $2, claim_date = $3
		FROM next WHERE t.seq = next.seq
		RETURNING t.*
	)
	SELECT ` + taskColumns + ` FROM claimed t JOIN executions e ON e.seq = t.exec_seq`

// ClaimActivityTask implements [store.Work]. It is one statement, in a
// transaction of its own.
func (s *Store) ClaimActivityTask(ctx context.Context, activityARN, workerName string, now time.Time) (store.Task, error) {
	if err := s.enter(ctx); err != nil {
		return store.Task{}, fmt.Errorf("claim activity task %s: %w", activityARN, err)
	}
	defer s.pending.Done()
	t, err := scanTask(s.pool.QueryRow(ctx, claimActivityQuery, activityARN, workerName, store.UnixNanos(now)))
	if errors.Is(err, pgx.ErrNoRows) {
		err = store.ErrNotFound
	}
	if err != nil {
		return store.Task{}, fmt.Errorf("claim activity task %s: %w", activityARN, err)
	}
	return t, nil
}
