package sqlite

import (
	"context"
	"fmt"
	"math"

	"stepwise/store"
)

// upsertMapRunSQL inserts a Map Run or replaces every field of the stored
// one, but only if the stored one belongs to the same execution: a row of
// another execution is left alone, and the caller sees no row changed.
const upsertMapRunSQL = `INSERT INTO map_runs (arn, exec_seq, state_machine_arn, status, start_date, stop_date, max_concurrency,
		tolerated_failure_percentage, tolerated_failure_count, item_counts, execution_counts, redrive_count, redrive_date)
	VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
	ON CONFLICT (arn) DO UPDATE SET state_machine_arn = excluded.state_machine_arn, status = excluded.status,
		start_date = excluded.start_date, stop_date = excluded.stop_date, max_concurrency = excluded.max_concurrency,
		tolerated_failure_percentage = excluded.tolerated_failure_percentage,
		tolerated_failure_count = excluded.tolerated_failure_count, item_counts = excluded.item_counts,
		execution_counts = excluded.execution_counts, redrive_count = excluded.redrive_count,
		redrive_date = excluded.redrive_date
	WHERE map_runs.exec_seq = excluded.exec_seq`

// upsertMapRuns writes a commit's Map Runs to the execution seq, arn.
// It runs inside the commit's savepoint, so an error undoes the commit.
func upsertMapRuns(w *wtx, seq int64, arn string, runs []store.MapRun) error {
	for _, r := range runs {
		res, err := w.exec(upsertMapRunSQL, r.ARN, seq, r.StateMachineARN, string(r.Status), store.UnixNanos(r.StartDate),
			store.UnixNanos(r.StopDate), r.MaxConcurrency, r.ToleratedFailurePercentage, r.ToleratedFailureCount,
			store.EncodeCounts(r.ItemCounts), store.EncodeCounts(r.ExecutionCounts), r.RedriveCount, store.UnixNanos(r.RedriveDate))
		if err != nil {
			return fmt.Errorf("map run %s: %w", r.ARN, err)
		}
		if n, err := res.RowsAffected(); err != nil || n != 1 {
			if err != nil {
				return fmt.Errorf("map run %s: %w", r.ARN, err)
			}
			return store.MapRunOwnerError(r.ARN, arn)
		}
	}
	return nil
}

const (
	mapRunColumns = `m.arn, e.arn, m.state_machine_arn, m.status, m.start_date, m.stop_date, m.max_concurrency,
	m.tolerated_failure_percentage, m.tolerated_failure_count, m.item_counts, m.execution_counts, m.redrive_count, m.redrive_date`
	getMapRunQuery = "SELECT " + mapRunColumns + " FROM map_runs m JOIN executions e ON e.seq = m.exec_seq WHERE m.arn = ?"
	// listMapRunsQuery resumes after the run at (start_date ?2, arn ?3).
	listMapRunsQuery = "SELECT " + mapRunColumns + ` FROM map_runs m JOIN executions e ON e.seq = m.exec_seq
	WHERE m.exec_seq = ?1 AND (m.start_date < ?2 OR (m.start_date = ?2 AND m.arn > ?3))
	ORDER BY m.start_date DESC, m.arn LIMIT ?4`
)

// GetMapRun implements [store.Executions].
func (s *Store) GetMapRun(ctx context.Context, arn string) (store.MapRun, error) {
	if err := s.enter(ctx); err != nil {
		return store.MapRun{}, err
	}
	defer s.pending.Done()
	r, err := store.ScanMapRun(s.queryRow(ctx, getMapRunQuery, arn))
	if err != nil {
		return store.MapRun{}, fmt.Errorf("get map run %s: %w", arn, notFound(err))
	}
	return r, nil
}

// ListMapRuns implements [store.Executions].
func (s *Store) ListMapRuns(ctx context.Context, executionARN string, p store.Page) ([]store.MapRun, string, error) {
	pos, key := int64(math.MaxInt64), ""
	if p.NextToken != "" {
		var err error
		if pos, key, err = store.DecodeKeyToken(store.TokenMapRuns, p.NextToken); err != nil {
			return nil, "", fmt.Errorf("list map runs %s: %w", executionARN, err)
		}
	}
	if err := s.enter(ctx); err != nil {
		return nil, "", err
	}
	defer s.pending.Done()
	// Executions are never deleted, so the two queries need no
	// transaction to agree.
	var seq int64
	if err := s.queryRow(ctx, "SELECT seq FROM executions WHERE arn = ?", executionARN).Scan(&seq); err != nil {
		return nil, "", fmt.Errorf("list map runs %s: %w", executionARN, notFound(err))
	}
	n := store.PageSize(p.MaxResults)
	rows, err := s.queryRows(ctx, listMapRunsQuery, seq, pos, key, n+1)
	if err != nil {
		return nil, "", fmt.Errorf("list map runs %s: %w", executionARN, err)
	}
	defer rows.Close()
	out, err := store.ScanAll(rows, func() (store.MapRun, error) { return store.ScanMapRun(rows) })
	if err != nil {
		return nil, "", fmt.Errorf("list map runs %s: %w", executionARN, err)
	}
	page, next := store.CutPage(out, n, func(last store.MapRun) string {
		return store.EncodeKeyToken(store.TokenMapRuns, store.UnixNanos(last.StartDate), last.ARN)
	})
	return page, next, nil
}
