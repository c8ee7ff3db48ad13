package postgres

import (
	"context"
	"errors"
	"fmt"
	"math"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"stepwise/store"
)

// Commit implements [store.Executions]. The commit is one transaction of
// its own, in four round trips: BEGIN; the statement that creates the
// execution or moves it to its next version; one batch of the rest; COMMIT.
// The second statement locks the execution's row until the transaction
// ends, so commits of one execution are applied one at a time, and a
// commit that fails it sends nothing more.
func (s *Store) Commit(ctx context.Context, c store.Commit) error {
	arn := c.ExecutionARN
	if c.Start != nil {
		arn = c.Start.ARN
	}
	if err := store.CheckMapRuns(arn, c.MapRuns); err != nil {
		return fmt.Errorf("commit %s: %w", arn, err)
	}
	var deleting string // the DELETING state machine of an execution this commit ends
	err := s.inTx(ctx, func(tx pgx.Tx) error {
		seq, err := startOrStep(ctx, tx, c)
		if err != nil {
			return err
		}
		deleting, err = writeStep(ctx, tx, seq, arn, c)
		return err
	})
	if err != nil {
		return fmt.Errorf("commit %s: %w", arn, err)
	}
	if deleting != "" {
		// The end is committed; deleting the machine is a transaction of
		// its own, which locks the machine so that of executions ending
		// at once the last to commit sees none running. If the process
		// dies first, Open finishes it.
		dctx := context.WithoutCancel(ctx)
		if err := s.inTx(dctx, func(tx pgx.Tx) error { return finishDelete(dctx, tx, deleting) }); err != nil {
			return fmt.Errorf("commit %s: finish deleting %s: %w", arn, deleting, err)
		}
	}
	return nil
}

const (
	startSQL = `INSERT INTO executions (arn, state_machine_arn, revision_id, name, status, input, output, error, cause,
		start_date, stop_date, state, version, parent_arn, redrive_count, test_case, version_arn, alias_arn)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, 1, $13, $14, $15, $16, $17)
		ON CONFLICT (arn) DO NOTHING RETURNING seq`
	// nextVersionSQL matches no row unless the version is the expected
	// one; if it waits for the row's lock, it checks the version committed
	// by the holder.
	machineForStartSQL = "SELECT status FROM state_machines WHERE arn = $1 FOR KEY SHARE"
	nextVersionSQL     = `UPDATE executions SET version = version + 1, state = coalesce($3::bytea, state)
		WHERE arn = $1 AND version = $2 RETURNING seq`
)

// startOrStep creates the execution of c.Start, or moves the execution c
// updates to its next version (checking ExpectedVersion), in both cases
// with c.State, and returns its seq. It returns ErrAlreadyExists,
// ErrNotFound or ErrConflict having written nothing.
func startOrStep(ctx context.Context, tx pgx.Tx, c store.Commit) (int64, error) {
	var seq int64
	e := c.Start
	if e == nil {
		err := tx.QueryRow(ctx, nextVersionSQL, c.ExecutionARN, c.ExpectedVersion, c.State).Scan(&seq)
		if errors.Is(err, pgx.ErrNoRows) {
			return 0, versionError(ctx, tx, c)
		}
		return seq, err
	}
	status := e.Status
	if status == "" {
		status = store.ExecutionRunning
	}
	state := e.State
	if c.State != nil {
		state = c.State
	}
	// FOR KEY SHARE holds off a DeleteStateMachine (FOR UPDATE) until this
	// start commits, so that it sees the execution; or waits for the delete
	// and reads the status it committed.
	var smStatus string
	if err := tx.QueryRow(ctx, machineForStartSQL, e.StateMachineARN).Scan(&smStatus); err != nil {
		return 0, fmt.Errorf("state machine %s: %w", e.StateMachineARN, notFound(err))
	}
	if smStatus == string(store.StatusDeleting) {
		return 0, fmt.Errorf("state machine %s: %w", e.StateMachineARN, store.ErrStateMachineDeleting)
	}
	// ON CONFLICT waits for a concurrent start of the same ARN to end, so a
	// lost race is reported like a plain duplicate.
	err := tx.QueryRow(ctx, startSQL, e.ARN, e.StateMachineARN, e.RevisionID, e.Name, string(status), e.Input, e.Output, e.Error, e.Cause,
		store.UnixNanos(e.StartDate), store.UnixNanos(e.StopDate), state, e.ParentExecutionARN, e.RedriveCount, e.TestCase,
		e.VersionARN, e.AliasARN).Scan(&seq)
	if errors.Is(err, pgx.ErrNoRows) {
		return 0, store.ErrAlreadyExists
	}
	return seq, err
}

// versionError tells why the version check of c matched no row.
func versionError(ctx context.Context, tx pgx.Tx, c store.Commit) error {
	var version int64
	if err := tx.QueryRow(ctx, "SELECT version FROM executions WHERE arn = $1", c.ExecutionARN).Scan(&version); err != nil {
		return notFound(err)
	}
	return fmt.Errorf("version %d, expected %d: %w", version, c.ExpectedVersion, store.ErrConflict)
}

// The statements of writeStep; $1 is the execution's seq.
const (
	redriveSQL = `UPDATE executions SET status = $2, output = '', error = '', cause = '', stop_date = 0,
		redrive_count = $3, redrive_date = $4, redrive_token = $5 WHERE seq = $1`
	endSQL = "UPDATE executions SET status = $2, output = $3, error = $4, cause = $5, stop_date = $6 WHERE seq = $1"
	// endMachineSQL locks the ended execution's state machine against a
	// DeleteStateMachine until the end commits (see finishDelete).
	endMachineSQL = `SELECT m.arn, m.status FROM state_machines m JOIN executions e ON e.state_machine_arn = m.arn
		WHERE e.seq = $1 FOR KEY SHARE OF m`
	closeTasksSQL = "DELETE FROM tasks WHERE exec_seq = $1 AND token = ANY ($2::text[])"
	addEventsSQL  = `INSERT INTO events (exec_seq, id, time, type, body)
		SELECT $1, u.id, u.time, u.type, u.body
		FROM unnest($2::bigint[], $3::bigint[], $4::text[], $5::bytea[]) AS u (id, time, type, body)
		ON CONFLICT DO NOTHING`
	doneWorkSQL = "DELETE FROM work WHERE exec_seq = $1 AND id = ANY ($2::text[])"
	// addWorkSQL gives a replaced item a new seq, as if it were deleted
	// and added.
	addWorkSQL = `INSERT INTO work (exec_seq, id, kind, payload, due, ready_at, owner, lease_expiry, claims)
		SELECT $1, u.id, u.kind, u.payload, u.due, u.due, '', 0, 0
		FROM unnest($2::text[], $3::text[], $4::bytea[], $5::bigint[]) AS u (id, kind, payload, due)
		ON CONFLICT (exec_seq, id) DO UPDATE SET seq = DEFAULT, kind = excluded.kind, payload = excluded.payload,
			due = excluded.due, ready_at = excluded.ready_at, owner = '', lease_expiry = 0, claims = 0`
	wakeWorkSQL  = "UPDATE work SET due = 0, ready_at = 0, owner = '', lease_expiry = 0 WHERE exec_seq = $1 AND id = ANY ($2::text[])"
	doneTasksSQL = "DELETE FROM tasks WHERE token = ANY ($1::text[])"
	addTasksSQL  = `INSERT INTO tasks (token, exec_seq, work_id, activity_arn, input, timeout_seconds, heartbeat_seconds,
			created, claimed, worker_name, claim_date)
		SELECT u.token, $1, u.work_id, u.activity_arn, u.input, u.timeout_seconds, u.heartbeat_seconds,
			u.created, u.claimed, u.worker_name, u.claim_date
		FROM unnest($2::text[], $3::text[], $4::text[], $5::text[], $6::bigint[], $7::bigint[], $8::bigint[],
			$9::boolean[], $10::text[], $11::bigint[])
			AS u (token, work_id, activity_arn, input, timeout_seconds, heartbeat_seconds, created, claimed, worker_name, claim_date)
		ON CONFLICT (token) DO NOTHING`
)

// writeStep writes the rest of c to the execution seq, in one batch (a
// round trip). Taken event ids and task tokens are found by counting the
// rows inserted rather than by unique violations, since pgx forgets the
// prepared statements of a batch that fails; the caller rolls back. It
// returns the ARN of the state machine of an execution c ends if that
// machine is DELETING.
func writeStep(ctx context.Context, tx pgx.Tx, seq int64, arn string, c store.Commit) (string, error) {
	var events, tasks, closed int64
	var notWritten string // a Map Run stored for another execution
	var deleting string
	b := &pgx.Batch{}
	if r := c.Redrive; r != nil {
		b.Queue(redriveSQL, seq, string(store.ExecutionRunning), r.Count, store.UnixNanos(r.Date), r.Token)
	}
	if e := c.End; e != nil {
		b.Queue(endSQL, seq, string(e.Status), e.Output, e.Error, e.Cause, store.UnixNanos(e.StopDate))
		b.Queue(endMachineSQL, seq).Query(func(rows pgx.Rows) error {
			for rows.Next() {
				var arn, status string
				if err := rows.Scan(&arn, &status); err != nil {
					return err
				}
				if status == string(store.StatusDeleting) {
					deleting = arn
				}
			}
			return rows.Err()
		})
	}
	if len(c.CloseTasks) > 0 {
		b.Queue(closeTasksSQL, seq, c.CloseTasks).Exec(func(ct pgconn.CommandTag) error {
			closed = ct.RowsAffected()
			return nil
		})
	}
	if len(c.Events) > 0 {
		queueEvents(b, seq, c.Events).Exec(func(ct pgconn.CommandTag) error {
			events = ct.RowsAffected()
			return nil
		})
	}
	if len(c.DoneWork) > 0 {
		b.Queue(doneWorkSQL, seq, c.DoneWork)
	}
	if len(c.AddWork) > 0 {
		queueWork(b, seq, c.AddWork)
	}
	if len(c.WakeWork) > 0 {
		b.Queue(wakeWorkSQL, seq, c.WakeWork)
	}
	if len(c.DoneTasks) > 0 {
		b.Queue(doneTasksSQL, c.DoneTasks)
	}
	if len(c.AddTasks) > 0 {
		queueTasks(b, seq, c.AddTasks).Exec(func(ct pgconn.CommandTag) error {
			tasks = ct.RowsAffected()
			return nil
		})
	}
	queueMapRuns(b, seq, c.MapRuns, &notWritten)
	if b.Len() == 0 {
		return "", nil
	}
	if err := tx.SendBatch(ctx, b).Close(); err != nil {
		return "", err
	}
	if events != int64(len(c.Events)) {
		return "", fmt.Errorf("event %d..%d: an id is taken: %w", c.Events[0].ID, c.Events[len(c.Events)-1].ID, store.ErrAlreadyExists)
	}
	if tasks != int64(len(c.AddTasks)) {
		return "", fmt.Errorf("task token taken: %w", store.ErrAlreadyExists)
	}
	if closed != int64(len(c.CloseTasks)) {
		// Another commit deleted the token first (this one waited for its
		// row lock, then found the row gone), or a token is listed twice.
		return "", fmt.Errorf("close task: %w", store.ErrTaskClosed)
	}
	if notWritten != "" {
		return "", store.MapRunOwnerError(notWritten, arn)
	}
	return deleting, nil
}

func queueEvents(b *pgx.Batch, seq int64, events []store.Event) *pgx.QueuedQuery {
	ids := make([]int64, len(events))
	times := make([]int64, len(events))
	types := make([]string, len(events))
	bodies := make([][]byte, len(events))
	for i, ev := range events {
		ids[i], times[i], types[i], bodies[i] = ev.ID, store.UnixNanos(ev.Time), ev.Type, ev.JSON
		if bodies[i] == nil {
			bodies[i] = []byte{}
		}
	}
	return b.Queue(addEventsSQL, seq, ids, times, types, bodies)
}

// queueWork queues the insertion of items. Of items with the same id the
// last wins, as if they were added one after the other: one INSERT may
// not update a row twice.
func queueWork(b *pgx.Batch, seq int64, items []store.WorkItem) {
	last := make(map[string]int, len(items))
	for i, it := range items {
		last[it.ID] = i
	}
	var ids, kinds []string
	var payloads [][]byte
	var dues []int64
	for i, it := range items {
		if last[it.ID] != i {
			continue
		}
		ids, kinds = append(ids, it.ID), append(kinds, string(it.Kind))
		payloads, dues = append(payloads, it.Payload), append(dues, store.UnixNanos(it.Due))
	}
	b.Queue(addWorkSQL, seq, ids, kinds, payloads, dues)
}

func queueTasks(b *pgx.Batch, seq int64, tasks []store.Task) *pgx.QueuedQuery {
	n := len(tasks)
	tokens, workIDs, activities, inputs, workers := make([]string, n), make([]string, n), make([]string, n), make([]string, n), make([]string, n)
	timeouts, heartbeats, created, claimDates := make([]int64, n), make([]int64, n), make([]int64, n), make([]int64, n)
	claimed := make([]bool, n)
	for i, t := range tasks {
		tokens[i], workIDs[i], activities[i], inputs[i], workers[i] = t.Token, t.WorkID, t.ActivityARN, t.Input, t.WorkerName
		timeouts[i], heartbeats[i], created[i], claimDates[i] = t.TimeoutSeconds, t.HeartbeatSeconds, store.UnixNanos(t.Created), store.UnixNanos(t.ClaimDate)
		claimed[i] = t.Claimed
	}
	return b.Queue(addTasksSQL, seq, tokens, workIDs, activities, inputs, timeouts, heartbeats, created, claimed, workers, claimDates)
}

const executionColumns = `seq, arn, state_machine_arn, revision_id, name, status, input, output, error, cause,
	start_date, stop_date, state, version, parent_arn, redrive_count, test_case, version_arn, alias_arn, redrive_date, redrive_token`

// listColumns are executionColumns without input, output and state.
const listColumns = `seq, arn, state_machine_arn, revision_id, name, status, '', '', error, cause,
	start_date, stop_date, NULL::bytea, version, parent_arn, redrive_count, test_case, version_arn, alias_arn, redrive_date, redrive_token`

func scanExecution(sc scanner) (store.Execution, int64, error) {
	var e store.Execution
	var seq, start, stop, redrive int64
	var status string
	err := sc.Scan(&seq, &e.ARN, &e.StateMachineARN, &e.RevisionID, &e.Name, &status, &e.Input, &e.Output, &e.Error, &e.Cause,
		&start, &stop, &e.State, &e.Version, &e.ParentExecutionARN, &e.RedriveCount, &e.TestCase, &e.VersionARN, &e.AliasARN, &redrive, &e.RedriveToken)
	e.Status = store.ExecutionStatus(status)
	e.StartDate, e.StopDate = store.FromUnixNanos(start), store.FromUnixNanos(stop)
	e.RedriveDate = store.FromUnixNanos(redrive)
	return e, seq, err
}

// GetExecution implements [store.Executions].
func (s *Store) GetExecution(ctx context.Context, arn string) (store.Execution, error) {
	if err := s.enter(ctx); err != nil {
		return store.Execution{}, fmt.Errorf("get execution %s: %w", arn, err)
	}
	defer s.pending.Done()
	e, _, err := scanExecution(s.pool.QueryRow(ctx, "SELECT "+executionColumns+" FROM executions WHERE arn = $1", arn))
	if err != nil {
		return store.Execution{}, fmt.Errorf("get execution %s: %w", arn, notFound(err))
	}
	return e, nil
}

const (
	listExecutionsQuery = "SELECT " + listColumns + ` FROM executions
		WHERE state_machine_arn = $1 AND redrive_count BETWEEN $4 AND $5 AND seq < $2 ORDER BY seq DESC LIMIT $3`
	listByStatusQuery = "SELECT " + listColumns + ` FROM executions
		WHERE state_machine_arn = $1 AND status = $6 AND redrive_count BETWEEN $4 AND $5 AND seq < $2 ORDER BY seq DESC LIMIT $3`
	listByVersionQuery = "SELECT " + listColumns + ` FROM executions
		WHERE version_arn = $1 AND redrive_count BETWEEN $4 AND $5 AND seq < $2 ORDER BY seq DESC LIMIT $3`
	listByVersionStatusQuery = "SELECT " + listColumns + ` FROM executions
		WHERE version_arn = $1 AND status = $6 AND redrive_count BETWEEN $4 AND $5 AND seq < $2 ORDER BY seq DESC LIMIT $3`
	listByAliasQuery = "SELECT " + listColumns + ` FROM executions
		WHERE alias_arn = $1 AND redrive_count BETWEEN $4 AND $5 AND seq < $2 ORDER BY seq DESC LIMIT $3`
	listByAliasStatusQuery = "SELECT " + listColumns + ` FROM executions
		WHERE alias_arn = $1 AND status = $6 AND redrive_count BETWEEN $4 AND $5 AND seq < $2 ORDER BY seq DESC LIMIT $3`
)

// ListExecutions implements [store.Executions].
func (s *Store) ListExecutions(ctx context.Context, q store.ExecutionQuery) ([]store.Execution, string, error) {
	before, err := store.DecodeTokenAfter(store.TokenExecutions, q.NextToken, math.MaxInt64)
	if err != nil {
		return nil, "", fmt.Errorf("list executions: %w", err)
	}
	if err := s.enter(ctx); err != nil {
		return nil, "", fmt.Errorf("list executions: %w", err)
	}
	defer s.pending.Done()
	n := store.PageSize(q.MaxResults)
	lo, hi := q.Redrive.CountRange()
	args := []any{q.StateMachineARN, before, n + 1, lo, hi}
	query, byStatus := listExecutionsQuery, listByStatusQuery
	switch {
	case q.VersionARN != "":
		args[0], query, byStatus = q.VersionARN, listByVersionQuery, listByVersionStatusQuery
	case q.AliasARN != "":
		args[0], query, byStatus = q.AliasARN, listByAliasQuery, listByAliasStatusQuery
	}
	if q.Status != "" {
		query, args = byStatus, append(args, string(q.Status))
	}
	rows, err := s.pool.Query(ctx, query, args...)
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

const (
	historyQuery        = "SELECT id, time, type, body FROM events WHERE exec_seq = $1 AND id > $2 ORDER BY id LIMIT $3"
	historyReverseQuery = "SELECT id, time, type, body FROM events WHERE exec_seq = $1 AND id < $2 ORDER BY id DESC LIMIT $3"
)

// History implements [store.Executions].
func (s *Store) History(ctx context.Context, q store.HistoryQuery) ([]store.Event, string, error) {
	none := int64(math.MinInt64)
	query := historyQuery
	if q.Reverse {
		none, query = math.MaxInt64, historyReverseQuery
	}
	pos, err := store.DecodeTokenAfter(store.TokenHistory, q.NextToken, none)
	if err != nil {
		return nil, "", fmt.Errorf("history %s: %w", q.ExecutionARN, err)
	}
	if err := s.enter(ctx); err != nil {
		return nil, "", fmt.Errorf("history %s: %w", q.ExecutionARN, err)
	}
	defer s.pending.Done()
	// Executions are never deleted, so the two queries need no
	// transaction to agree.
	var seq int64
	if err := s.pool.QueryRow(ctx, "SELECT seq FROM executions WHERE arn = $1", q.ExecutionARN).Scan(&seq); err != nil {
		return nil, "", fmt.Errorf("history %s: %w", q.ExecutionARN, notFound(err))
	}
	n := store.PageSize(q.MaxResults)
	rows, err := s.pool.Query(ctx, query, seq, pos, n+1)
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
