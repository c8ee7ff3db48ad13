package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"math"
	"strings"

	"stepwise/store"
)

// Commit implements [store.Executions]. The commit runs in the writer
// goroutine, batched with concurrent ones into one transaction and one
// sync, inside its own savepoint.
func (s *Store) Commit(ctx context.Context, c store.Commit) error {
	arn := c.ExecutionARN
	if c.Start != nil {
		arn = c.Start.ARN
	}
	if err := store.CheckMapRuns(arn, c.MapRuns); err != nil {
		return fmt.Errorf("commit %s: %w", arn, err)
	}
	if err := s.write(ctx, func(w *wtx) error { return commitW(w, arn, c) }); err != nil {
		return fmt.Errorf("commit %s: %w", arn, err)
	}
	return nil
}

func commitW(w *wtx, arn string, c store.Commit) error {
	seq, err := startOrCheck(w, c)
	if err != nil {
		return err
	}
	if err := upsertMapRuns(w, seq, arn, c.MapRuns); err != nil {
		return err
	}
	if r := c.Redrive; r != nil {
		if _, err := w.exec(`UPDATE executions SET status = ?, output = '', error = '', cause = '', stop_date = 0,
			redrive_count = ?, redrive_date = ?, redrive_token = ? WHERE seq = ?`,
			string(store.ExecutionRunning), r.Count, store.UnixNanos(r.Date), r.Token, seq); err != nil {
			return err
		}
	}
	if e := c.End; e != nil {
		if _, err := w.exec("UPDATE executions SET status = ?, output = ?, error = ?, cause = ?, stop_date = ? WHERE seq = ?",
			string(e.Status), e.Output, e.Error, e.Cause, store.UnixNanos(e.StopDate), seq); err != nil {
			return err
		}
		if err := finishDeleteW(w, seq); err != nil {
			return err
		}
	}
	for _, tok := range c.CloseTasks {
		if err := w.execOne(store.ErrTaskClosed, "DELETE FROM tasks WHERE token = ? AND exec_seq = ?", tok, seq); err != nil {
			return err
		}
	}
	if err := insertEvents(w, seq, c.Events); err != nil {
		return err
	}
	for _, id := range c.DoneWork {
		if _, err := w.exec("DELETE FROM work WHERE exec_seq = ? AND id = ?", seq, id); err != nil {
			return err
		}
	}
	for _, it := range c.AddWork {
		due := store.UnixNanos(it.Due)
		if _, err := w.exec(`INSERT OR REPLACE INTO work (exec_seq, id, kind, payload, due, ready_at, owner, lease_expiry, claims)
			VALUES (?, ?, ?, ?, ?, ?, '', 0, 0)`, seq, it.ID, string(it.Kind), it.Payload, due, due); err != nil {
			return fmt.Errorf("work %s: %w", it.ID, err)
		}
	}
	for _, id := range c.WakeWork {
		if _, err := w.exec("UPDATE work SET due = 0, ready_at = 0, owner = '', lease_expiry = 0 WHERE exec_seq = ? AND id = ?", seq, id); err != nil {
			return err
		}
	}
	for _, tok := range c.DoneTasks {
		if _, err := w.exec("DELETE FROM tasks WHERE token = ?", tok); err != nil {
			return err
		}
	}
	for _, t := range c.AddTasks {
		_, err := w.exec(`INSERT INTO tasks (token, exec_seq, work_id, activity_arn, input, timeout_seconds, heartbeat_seconds,
			created, claimed, worker_name, claim_date) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			t.Token, seq, t.WorkID, t.ActivityARN, t.Input, t.TimeoutSeconds, t.HeartbeatSeconds,
			store.UnixNanos(t.Created), t.Claimed, t.WorkerName, store.UnixNanos(t.ClaimDate))
		if isConstraint(err) {
			return fmt.Errorf("task token: %w", store.ErrAlreadyExists)
		}
		if err != nil {
			return fmt.Errorf("task: %w", err)
		}
	}
	return nil
}

// eventsPerInsert is how many events one INSERT statement writes: one
// statement per row was the largest cost of a commit. Each row count has
// its own cached statement, so the count is bounded.
const eventsPerInsert = 16

// insertEvents appends events with multi-row INSERTs.
func insertEvents(w *wtx, seq int64, events []store.Event) error {
	for len(events) > 0 {
		n := min(len(events), eventsPerInsert)
		chunk := events[:n]
		events = events[n:]
		args := make([]any, 0, 5*n)
		for _, ev := range chunk {
			body := ev.JSON
			if body == nil {
				body = []byte{}
			}
			args = append(args, seq, ev.ID, store.UnixNanos(ev.Time), ev.Type, body)
		}
		_, err := w.exec(insertEventsSQL(n), args...)
		if isConstraint(err) {
			return fmt.Errorf("event %d..%d: %w", chunk[0].ID, chunk[n-1].ID, store.ErrAlreadyExists)
		}
		if err != nil {
			return fmt.Errorf("event %d..%d: %w", chunk[0].ID, chunk[n-1].ID, err)
		}
	}
	return nil
}

// insertEventsSQLs holds the INSERT statement text for 1..eventsPerInsert
// rows.
var insertEventsSQLs = func() [eventsPerInsert + 1]string {
	var out [eventsPerInsert + 1]string
	for n := 1; n <= eventsPerInsert; n++ {
		out[n] = "INSERT INTO events (exec_seq, id, time, type, body) VALUES " +
			strings.TrimSuffix(strings.Repeat("(?, ?, ?, ?, ?), ", n), ", ")
	}
	return out
}()

func insertEventsSQL(n int) string { return insertEventsSQLs[n] }

// startOrCheck creates the execution of c.Start, or moves the execution
// c updates to its next version (checking ExpectedVersion), in both cases
// with c.State, and returns its seq.
func startOrCheck(w *wtx, c store.Commit) (int64, error) {
	var seq int64
	if e := c.Start; e != nil {
		status := e.Status
		if status == "" {
			status = store.ExecutionRunning
		}
		state := e.State
		if c.State != nil {
			state = c.State
		}
		// The writer runs one write at a time, so the machine cannot become
		// DELETING between this check and the insert.
		var smStatus string
		if err := w.scanRow("SELECT status FROM state_machines WHERE arn = ?", []any{e.StateMachineARN}, &smStatus); err != nil {
			return 0, fmt.Errorf("state machine %s: %w", e.StateMachineARN, notFound(err))
		}
		if smStatus == string(store.StatusDeleting) {
			return 0, fmt.Errorf("state machine %s: %w", e.StateMachineARN, store.ErrStateMachineDeleting)
		}
		err := w.scanRow(`INSERT INTO executions (arn, state_machine_arn, revision_id, name, status, input, output, error, cause,
			start_date, stop_date, state, version, parent_arn, redrive_count, test_case, version_arn, alias_arn)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1, ?, ?, ?, ?, ?) RETURNING seq`,
			[]any{e.ARN, e.StateMachineARN, e.RevisionID, e.Name, string(status), e.Input, e.Output, e.Error, e.Cause,
				store.UnixNanos(e.StartDate), store.UnixNanos(e.StopDate), state, e.ParentExecutionARN, e.RedriveCount, e.TestCase,
				e.VersionARN, e.AliasARN}, &seq)
		if isConstraint(err) {
			return 0, store.ErrAlreadyExists
		}
		return seq, err
	}
	var err error
	if c.State != nil {
		err = w.scanRow("UPDATE executions SET version = version + 1, state = ? WHERE arn = ? AND version = ? RETURNING seq",
			[]any{c.State, c.ExecutionARN, c.ExpectedVersion}, &seq)
	} else {
		err = w.scanRow("UPDATE executions SET version = version + 1 WHERE arn = ? AND version = ? RETURNING seq",
			[]any{c.ExecutionARN, c.ExpectedVersion}, &seq)
	}
	if !errors.Is(err, sql.ErrNoRows) {
		return seq, err
	}
	// Either there is no such execution or its version differs.
	var version int64
	if err := w.scanRow("SELECT version FROM executions WHERE arn = ?", []any{c.ExecutionARN}, &version); err != nil {
		return 0, notFound(err)
	}
	return 0, fmt.Errorf("version %d, expected %d: %w", version, c.ExpectedVersion, store.ErrConflict)
}

const executionColumns = `seq, arn, state_machine_arn, revision_id, name, status, input, output, error, cause,
	start_date, stop_date, state, version, parent_arn, redrive_count, test_case, version_arn, alias_arn, redrive_date, redrive_token`

// listColumns are executionColumns without input, output and state.
const listColumns = `seq, arn, state_machine_arn, revision_id, name, status, '', '', error, cause,
	start_date, stop_date, NULL, version, parent_arn, redrive_count, test_case, version_arn, alias_arn, redrive_date, redrive_token`

func scanExecution(sc scanner) (store.Execution, int64, error) {
	var e store.Execution
	var seq, start, stop, redrive int64
	err := sc.Scan(&seq, &e.ARN, &e.StateMachineARN, &e.RevisionID, &e.Name, &e.Status, &e.Input, &e.Output, &e.Error, &e.Cause,
		&start, &stop, &e.State, &e.Version, &e.ParentExecutionARN, &e.RedriveCount, &e.TestCase, &e.VersionARN, &e.AliasARN, &redrive, &e.RedriveToken)
	e.StartDate, e.StopDate = store.FromUnixNanos(start), store.FromUnixNanos(stop)
	e.RedriveDate = store.FromUnixNanos(redrive)
	return e, seq, err
}

// GetExecution implements [store.Executions].
func (s *Store) GetExecution(ctx context.Context, arn string) (store.Execution, error) {
	if err := s.enter(ctx); err != nil {
		return store.Execution{}, err
	}
	defer s.pending.Done()
	e, _, err := scanExecution(s.queryRow(ctx, "SELECT "+executionColumns+" FROM executions WHERE arn = ?", arn))
	if err != nil {
		return store.Execution{}, fmt.Errorf("get execution %s: %w", arn, notFound(err))
	}
	return e, nil
}

// ListExecutions implements [store.Executions].
func (s *Store) ListExecutions(ctx context.Context, q store.ExecutionQuery) ([]store.Execution, string, error) {
	before, err := store.DecodeTokenAfter(store.TokenExecutions, q.NextToken, math.MaxInt64)
	if err != nil {
		return nil, "", err
	}
	if err := s.enter(ctx); err != nil {
		return nil, "", err
	}
	defer s.pending.Done()
	n := store.PageSize(q.MaxResults)
	var rows *sql.Rows
	key, byKey, byKeyStatus := q.StateMachineARN, listExecutionsQuery, listByStatusQuery
	switch {
	case q.VersionARN != "":
		key, byKey, byKeyStatus = q.VersionARN, listByVersionQuery, listByVersionStatusQuery
	case q.AliasARN != "":
		key, byKey, byKeyStatus = q.AliasARN, listByAliasQuery, listByAliasStatusQuery
	}
	lo, hi := q.Redrive.CountRange()
	if q.Status == "" {
		rows, err = s.queryRows(ctx, byKey, key, lo, hi, before, n+1)
	} else {
		rows, err = s.queryRows(ctx, byKeyStatus, key, string(q.Status), lo, hi, before, n+1)
	}
	if err != nil {
		return nil, "", fmt.Errorf("list executions: %w", err)
	}
	defer rows.Close()
	var out []store.Execution
	var seqs []int64
	for rows.Next() {
		e, seq, err := scanExecution(rows)
		if err != nil {
			return nil, "", fmt.Errorf("list executions: %w", err)
		}
		out, seqs = append(out, e), append(seqs, seq)
	}
	if err := rows.Err(); err != nil {
		return nil, "", fmt.Errorf("list executions: %w", err)
	}
	var next string
	if len(out) > n {
		out = out[:n]
		next = store.EncodeToken(store.TokenExecutions, seqs[n-1])
	}
	return out, next, nil
}

// History implements [store.Executions].
func (s *Store) History(ctx context.Context, q store.HistoryQuery) ([]store.Event, string, error) {
	none := int64(math.MinInt64)
	if q.Reverse {
		none = math.MaxInt64
	}
	pos, err := store.DecodeTokenAfter(store.TokenHistory, q.NextToken, none)
	if err != nil {
		return nil, "", err
	}
	if err := s.enter(ctx); err != nil {
		return nil, "", err
	}
	defer s.pending.Done()
	var seq int64
	if err := s.queryRow(ctx, "SELECT seq FROM executions WHERE arn = ?", q.ExecutionARN).Scan(&seq); err != nil {
		return nil, "", fmt.Errorf("history %s: %w", q.ExecutionARN, notFound(err))
	}
	n := store.PageSize(q.MaxResults)
	query := historyQuery
	if q.Reverse {
		query = historyReverseQuery
	}
	rows, err := s.queryRows(ctx, query, seq, pos, n+1)
	if err != nil {
		return nil, "", fmt.Errorf("history %s: %w", q.ExecutionARN, err)
	}
	defer rows.Close()
	out, next, err := store.HistoryPage(rows, n)
	if err != nil {
		return nil, "", fmt.Errorf("history %s: %w", q.ExecutionARN, err)
	}
	return out, next, nil
}
