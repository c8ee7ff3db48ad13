package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"stepwise/store"
)

const workColumns = `e.arn, w.id, w.kind, w.payload, w.due, w.owner, w.lease_expiry, w.claims`

// The queries that must stay fast with millions of rows; TestQueryPlans
// checks that each is answered from an index.
const (
	claimWorkQuery = `SELECT ` + workColumns + `, w.rowid FROM work w JOIN executions e ON e.seq = w.exec_seq
		WHERE w.ready_at <= ? ORDER BY w.ready_at, w.rowid LIMIT ?`
	nextWorkQuery       = "SELECT min(ready_at) FROM work"
	claimActivityQuery  = "SELECT seq FROM tasks WHERE activity_arn = ? AND claimed = 0 AND activity_arn <> '' ORDER BY seq LIMIT 1"
	listExecutionsQuery = "SELECT " + listColumns + " FROM executions WHERE state_machine_arn = ? AND redrive_count BETWEEN ? AND ? AND seq < ? ORDER BY seq DESC LIMIT ?"
	listByStatusQuery   = "SELECT " + listColumns + " FROM executions WHERE state_machine_arn = ? AND status = ? AND redrive_count BETWEEN ? AND ? AND seq < ? ORDER BY seq DESC LIMIT ?"
	listByVersionQuery  = "SELECT " + listColumns + " FROM executions WHERE version_arn = ? AND redrive_count BETWEEN ? AND ? AND seq < ? ORDER BY seq DESC LIMIT ?"
	listByAliasQuery    = "SELECT " + listColumns + " FROM executions WHERE alias_arn = ? AND redrive_count BETWEEN ? AND ? AND seq < ? ORDER BY seq DESC LIMIT ?"
	// By status within a version or alias: the index by key and seq, with
	// the status checked on each row.
	listByVersionStatusQuery = "SELECT " + listColumns + " FROM executions WHERE version_arn = ? AND status = ? AND redrive_count BETWEEN ? AND ? AND seq < ? ORDER BY seq DESC LIMIT ?"
	listByAliasStatusQuery   = "SELECT " + listColumns + " FROM executions WHERE alias_arn = ? AND status = ? AND redrive_count BETWEEN ? AND ? AND seq < ? ORDER BY seq DESC LIMIT ?"
	historyQuery             = "SELECT id, time, type, body FROM events WHERE exec_seq = ? AND id > ? ORDER BY id LIMIT ?"
	historyReverseQuery      = "SELECT id, time, type, body FROM events WHERE exec_seq = ? AND id < ? ORDER BY id DESC LIMIT ?"
)

func scanWork(sc scanner, extra ...any) (store.WorkItem, error) {
	var it store.WorkItem
	var due, lease int64
	err := sc.Scan(append([]any{&it.ExecutionARN, &it.ID, &it.Kind, &it.Payload, &due, &it.Owner, &lease, &it.Claims}, extra...)...)
	it.Due, it.LeaseExpiry = store.FromUnixNanos(due), store.FromUnixNanos(lease)
	return it, err
}

// ClaimWork implements [store.Work]. Claims go through the writer, so two
// claimants are serialized and never get the same item.
func (s *Store) ClaimWork(ctx context.Context, c store.Claim) ([]store.WorkItem, error) {
	limit := max(c.Limit, 1)
	now := store.UnixNanos(c.Now)
	expiry := store.UnixNanos(c.Now.Add(c.Lease))
	var out []store.WorkItem
	err := s.write(ctx, func(w *wtx) error {
		out = out[:0]
		rows, err := w.query(claimWorkQuery, now, limit)
		if err != nil {
			return err
		}
		var rowids []int64
		for rows.Next() {
			var rowid int64
			it, err := scanWork(rows, &rowid)
			if err != nil {
				rows.Close()
				return err
			}
			it.Owner, it.LeaseExpiry = c.Owner, store.FromUnixNanos(expiry)
			it.Claims++
			out, rowids = append(out, it), append(rowids, rowid)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		for _, id := range rowids {
			if _, err := w.exec("UPDATE work SET owner = ?, lease_expiry = ?, ready_at = max(due, ?), claims = claims + 1 WHERE rowid = ?",
				c.Owner, expiry, expiry, id); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("claim work: %w", err)
	}
	if out == nil {
		out = []store.WorkItem{}
	}
	return out, nil
}

// leasedW returns the rowid of an item the owner holds, or ErrNotFound or
// ErrLeaseLost.
func leasedW(w *wtx, executionARN, id, owner string) (int64, error) {
	var rowid int64
	var holder string
	err := w.scanRow(`SELECT w.rowid, w.owner FROM work w JOIN executions e ON e.seq = w.exec_seq
		WHERE e.arn = ? AND w.id = ?`, []any{executionARN, id}, &rowid, &holder)
	if err != nil {
		return 0, notFound(err)
	}
	if holder != owner || owner == "" {
		return 0, store.ErrLeaseLost
	}
	return rowid, nil
}

// ExtendLease implements [store.Work].
func (s *Store) ExtendLease(ctx context.Context, executionARN, id, owner string, until time.Time) error {
	err := s.write(ctx, func(w *wtx) error {
		rowid, err := leasedW(w, executionARN, id, owner)
		if err != nil {
			return err
		}
		_, err = w.exec("UPDATE work SET lease_expiry = ?1, ready_at = max(due, ?1) WHERE rowid = ?2", store.UnixNanos(until), rowid)
		return err
	})
	if err != nil {
		return fmt.Errorf("extend lease of %s %s: %w", executionARN, id, err)
	}
	return nil
}

// ReleaseWork implements [store.Work].
func (s *Store) ReleaseWork(ctx context.Context, executionARN, id, owner string, readyAt time.Time) error {
	err := s.write(ctx, func(w *wtx) error {
		rowid, err := leasedW(w, executionARN, id, owner)
		if err != nil {
			return err
		}
		_, err = w.exec("UPDATE work SET owner = '', lease_expiry = 0, due = ?1, ready_at = ?1, claims = max(claims - 1, 0) WHERE rowid = ?2", store.UnixNanos(readyAt), rowid)
		return err
	})
	if err != nil {
		return fmt.Errorf("release work %s %s: %w", executionARN, id, err)
	}
	return nil
}

// ReleaseLeases implements [store.Work].
func (s *Store) ReleaseLeases(ctx context.Context, owner string) (int, error) {
	var n int64
	err := s.write(ctx, func(w *wtx) error {
		res, err := w.exec(`UPDATE work SET owner = '', lease_expiry = 0, ready_at = due
			WHERE owner <> '' AND (?1 = '' OR owner = ?1)`, owner)
		if err != nil {
			return err
		}
		n, err = res.RowsAffected()
		return err
	})
	if err != nil {
		return 0, fmt.Errorf("release leases of %q: %w", owner, err)
	}
	return int(n), nil
}

// NextWorkTime implements [store.Work].
func (s *Store) NextWorkTime(ctx context.Context) (time.Time, bool, error) {
	if err := s.enter(ctx); err != nil {
		return time.Time{}, false, err
	}
	defer s.pending.Done()
	var next sql.NullInt64
	if err := s.queryRow(ctx, nextWorkQuery).Scan(&next); err != nil {
		return time.Time{}, false, fmt.Errorf("next work time: %w", err)
	}
	return store.FromUnixNanos(next.Int64), next.Valid, nil
}

// ListWork implements [store.Work].
func (s *Store) ListWork(ctx context.Context, executionARN string) ([]store.WorkItem, error) {
	if err := s.enter(ctx); err != nil {
		return nil, err
	}
	defer s.pending.Done()
	rows, err := s.queryRows(ctx, `SELECT `+workColumns+` FROM work w JOIN executions e ON e.seq = w.exec_seq
		WHERE e.arn = ? ORDER BY w.id`, executionARN)
	if err != nil {
		return nil, fmt.Errorf("list work %s: %w", executionARN, err)
	}
	defer rows.Close()
	out := []store.WorkItem{}
	for rows.Next() {
		it, err := scanWork(rows)
		if err != nil {
			return nil, fmt.Errorf("list work %s: %w", executionARN, err)
		}
		out = append(out, it)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("list work %s: %w", executionARN, err)
	}
	// SQLite orders TEXT by bytes, as Go does; sort anyway to not depend on it.
	slices.SortFunc(out, func(a, b store.WorkItem) int { return strings.Compare(a.ID, b.ID) })
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
		return store.Task{}, err
	}
	defer s.pending.Done()
	t, err := scanTask(s.queryRow(ctx, "SELECT "+taskColumns+
		" FROM tasks t JOIN executions e ON e.seq = t.exec_seq WHERE t.token = ?", token))
	if err != nil {
		return store.Task{}, fmt.Errorf("get task: %w", notFound(err))
	}
	return t, nil
}

// ClaimActivityTask implements [store.Work]. Claims go through the writer,
// so two workers never get the same task.
func (s *Store) ClaimActivityTask(ctx context.Context, activityARN, workerName string, now time.Time) (store.Task, error) {
	var t store.Task
	err := s.write(ctx, func(w *wtx) error {
		var seq int64
		err := w.scanRow(claimActivityQuery, []any{activityARN}, &seq)
		if errors.Is(err, sql.ErrNoRows) {
			return store.ErrNotFound
		}
		if err != nil {
			return err
		}
		if _, err := w.exec("UPDATE tasks SET claimed = 1, worker_name = ?, claim_date = ? WHERE seq = ?", workerName, store.UnixNanos(now), seq); err != nil {
			return err
		}
		st, err := w.stmt("SELECT " + taskColumns + " FROM tasks t JOIN executions e ON e.seq = t.exec_seq WHERE t.seq = ?")
		if err != nil {
			return err
		}
		t, err = scanTask(st.QueryRowContext(w.ctx, seq))
		return err
	})
	if err != nil {
		return store.Task{}, fmt.Errorf("claim activity task %s: %w", activityARN, err)
	}
	return t, nil
}
