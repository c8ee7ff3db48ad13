package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"stepwise/store"
)

const machineColumns = `m.arn, m.name, m.type, m.status, r.definition, r.role_arn, m.description,
	r.logging_configuration, r.tracing_configuration, r.revision_id, m.creation_date, r.update_date, r.encryption_configuration`

// latestJoin selects state machines with their latest revision.
const latestJoin = ` FROM state_machines m JOIN state_machine_revisions r
	ON r.machine_seq = m.seq AND r.revision_id = m.revision_id`

type scanner interface{ Scan(dest ...any) error }

func scanMachine(sc scanner) (store.StateMachine, error) {
	var sm store.StateMachine
	var created, updated int64
	err := sc.Scan(&sm.ARN, &sm.Name, &sm.Type, &sm.Status, &sm.Definition, &sm.RoleARN, &sm.Description,
		&sm.LoggingConfiguration, &sm.TracingConfiguration, &sm.RevisionID, &created, &updated, &sm.EncryptionConfiguration)
	sm.CreationDate, sm.UpdateDate = store.FromUnixNanos(created), store.FromUnixNanos(updated)
	return sm, err
}

// getMachineW reads the latest revision inside the writer's transaction.
func getMachineW(w *wtx, where string, arg any) (store.StateMachine, error) {
	st, err := w.stmt("SELECT " + machineColumns + latestJoin + " WHERE " + where)
	if err != nil {
		return store.StateMachine{}, err
	}
	return scanMachine(st.QueryRowContext(w.ctx, arg))
}

// CreateStateMachine implements [store.StateMachines].
func (s *Store) CreateStateMachine(ctx context.Context, sm store.StateMachine, tags []store.Tag) (store.StateMachine, error) {
	if sm.Status == "" {
		sm.Status = store.StatusActive
	}
	sm.CreationDate = store.FromUnixNanos(store.UnixNanos(sm.CreationDate))
	sm.UpdateDate = sm.CreationDate
	sm.VersionARN = ""
	var existing store.StateMachine
	err := s.write(ctx, func(w *wtx) error {
		for _, q := range []struct{ where, arg string }{{"m.name = ?", sm.Name}, {"m.arn = ?", sm.ARN}} {
			got, err := getMachineW(w, q.where, q.arg)
			if err == nil {
				existing = got
				return store.ErrAlreadyExists
			}
			if !errors.Is(err, sql.ErrNoRows) {
				return err
			}
		}
		var seq int64
		err := w.scanRow(`INSERT INTO state_machines (arn, name, type, status, description, revision_id, creation_date)
			VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING seq`,
			[]any{sm.ARN, sm.Name, string(sm.Type), string(sm.Status), sm.Description, sm.RevisionID, store.UnixNanos(sm.CreationDate)}, &seq)
		if err != nil {
			return err
		}
		if err := insertRevision(w, seq, sm); err != nil {
			return err
		}
		return putTags(w, sm.ARN, tags)
	})
	if err != nil {
		return existing, fmt.Errorf("create state machine %s: %w", sm.Name, err)
	}
	return sm, nil
}

func insertRevision(w *wtx, seq int64, sm store.StateMachine) error {
	_, err := w.exec(`INSERT INTO state_machine_revisions (machine_seq, revision_id, definition, role_arn,
		logging_configuration, tracing_configuration, update_date, encryption_configuration) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
		seq, sm.RevisionID, sm.Definition, sm.RoleARN, sm.LoggingConfiguration, sm.TracingConfiguration, store.UnixNanos(sm.UpdateDate),
		sm.EncryptionConfiguration)
	if isConstraint(err) {
		return store.ErrAlreadyExists
	}
	return err
}

// GetStateMachine implements [store.StateMachines].
func (s *Store) GetStateMachine(ctx context.Context, arn string) (store.StateMachine, error) {
	if err := s.enter(ctx); err != nil {
		return store.StateMachine{}, err
	}
	defer s.pending.Done()
	sm, err := scanMachine(s.queryRow(ctx, "SELECT "+machineColumns+latestJoin+" WHERE m.arn = ?", arn))
	if err != nil {
		return store.StateMachine{}, fmt.Errorf("get state machine %s: %w", arn, notFound(err))
	}
	return sm, nil
}

// notFound turns sql.ErrNoRows into store.ErrNotFound.
func notFound(err error) error {
	if errors.Is(err, sql.ErrNoRows) {
		return store.ErrNotFound
	}
	return err
}

// GetStateMachineRevision implements [store.StateMachines].
func (s *Store) GetStateMachineRevision(ctx context.Context, arn, revisionID string) (store.StateMachine, error) {
	if err := s.enter(ctx); err != nil {
		return store.StateMachine{}, err
	}
	defer s.pending.Done()
	sm, err := scanMachine(s.queryRow(ctx, "SELECT "+machineColumns+
		` FROM state_machines m JOIN state_machine_revisions r ON r.machine_seq = m.seq
		WHERE m.arn = ? AND r.revision_id = ?`, arn, revisionID))
	if err != nil {
		return store.StateMachine{}, fmt.Errorf("get state machine %s revision %s: %w", arn, revisionID, notFound(err))
	}
	return sm, nil
}

// UpdateStateMachine implements [store.StateMachines].
func (s *Store) UpdateStateMachine(ctx context.Context, u store.StateMachineUpdate) (store.StateMachine, error) {
	var sm store.StateMachine
	err := s.write(ctx, func(w *wtx) error {
		var err error
		if sm, err = getMachineW(w, "m.arn = ?", u.ARN); err != nil {
			return notFound(err)
		}
		if u.Status != nil {
			sm.Status = *u.Status
			if _, err := w.exec("UPDATE state_machines SET status = ? WHERE arn = ?", string(sm.Status), u.ARN); err != nil {
				return err
			}
		}
		if u.Definition == nil && u.RoleARN == nil && u.LoggingConfiguration == nil && u.TracingConfiguration == nil && u.EncryptionConfiguration == nil {
			return nil
		}
		set(&sm.Definition, u.Definition)
		set(&sm.RoleARN, u.RoleARN)
		set(&sm.LoggingConfiguration, u.LoggingConfiguration)
		set(&sm.TracingConfiguration, u.TracingConfiguration)
		set(&sm.EncryptionConfiguration, u.EncryptionConfiguration)
		sm.RevisionID = u.RevisionID
		sm.UpdateDate = store.FromUnixNanos(store.UnixNanos(u.UpdateDate))
		var seq int64
		if err := w.scanRow("SELECT seq FROM state_machines WHERE arn = ?", []any{u.ARN}, &seq); err != nil {
			return err
		}
		if err := insertRevision(w, seq, sm); err != nil {
			return err
		}
		if _, err = w.exec("UPDATE state_machines SET revision_id = ? WHERE seq = ?", sm.RevisionID, seq); err != nil {
			return err
		}
		if u.Publish == nil {
			return nil
		}
		// A write runs in a savepoint: a refused publish undoes the
		// update too.
		p := *u.Publish
		p.StateMachineARN, p.RevisionID, p.CreationDate = u.ARN, "", u.UpdateDate
		v, err := publishW(w, p)
		sm.VersionARN = v.ARN
		return err
	})
	if err != nil {
		return store.StateMachine{}, fmt.Errorf("update state machine %s: %w", u.ARN, err)
	}
	return sm, nil
}

func set(dst *string, v *string) {
	if v != nil {
		*dst = *v
	}
}

// DeleteStateMachine implements [store.StateMachines]. The check for
// running executions and the delete are one write: no start is committed
// between them.
func (s *Store) DeleteStateMachine(ctx context.Context, arn string) error {
	err := s.write(ctx, func(w *wtx) error {
		var running bool
		err := w.scanRow(`SELECT EXISTS (SELECT 1 FROM executions WHERE state_machine_arn = ?1 AND status = 'RUNNING')
			FROM state_machines WHERE arn = ?1`, []any{arn}, &running)
		if err != nil {
			return notFound(err)
		}
		if running {
			_, err := w.exec("UPDATE state_machines SET status = ? WHERE arn = ?", string(store.StatusDeleting), arn)
			return err
		}
		return deleteMachineW(w, arn)
	})
	if err != nil {
		return fmt.Errorf("delete state machine %s: %w", arn, err)
	}
	return nil
}

// deleteMachineW deletes a state machine, its revisions and its tags.
func deleteMachineW(w *wtx, arn string) error {
	if _, err := w.exec("DELETE FROM state_machines WHERE arn = ?", arn); err != nil {
		return err
	}
	_, err := w.exec("DELETE FROM tags WHERE resource_arn = ?", arn)
	return err
}

// finishDeleteW deletes the state machine of the execution seq if it is
// DELETING and no execution of it runs any more: that execution has just
// ended.
func finishDeleteW(w *wtx, seq int64) error {
	var arn string
	err := w.scanRow(`SELECT m.arn FROM state_machines m JOIN executions e ON e.state_machine_arn = m.arn
		WHERE e.seq = ? AND m.status = 'DELETING'
		AND NOT EXISTS (SELECT 1 FROM executions r WHERE r.state_machine_arn = m.arn AND r.status = 'RUNNING')`, []any{seq}, &arn)
	if errors.Is(err, sql.ErrNoRows) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("finish deleting the state machine: %w", err)
	}
	return deleteMachineW(w, arn)
}

// ListStateMachines implements [store.StateMachines].
func (s *Store) ListStateMachines(ctx context.Context, p store.Page) ([]store.StateMachine, string, error) {
	after, err := store.DecodeTokenAfter(store.TokenStateMachines, p.NextToken, 0)
	if err != nil {
		return nil, "", err
	}
	if err := s.enter(ctx); err != nil {
		return nil, "", err
	}
	defer s.pending.Done()
	n := store.PageSize(p.MaxResults)
	rows, err := s.queryRows(ctx, `SELECT m.seq, m.arn, m.name, m.type, m.status, '', r.role_arn, m.description,
		r.logging_configuration, r.tracing_configuration, r.revision_id, m.creation_date, r.update_date, r.encryption_configuration`+latestJoin+
		` WHERE m.seq > ? ORDER BY m.seq LIMIT ?`, after, n+1)
	if err != nil {
		return nil, "", fmt.Errorf("list state machines: %w", err)
	}
	defer rows.Close()
	var out []store.StateMachine
	var seqs []int64
	for rows.Next() {
		var seq int64
		sm, err := scanMachine(seqScanner{rows, &seq})
		if err != nil {
			return nil, "", fmt.Errorf("list state machines: %w", err)
		}
		out, seqs = append(out, sm), append(seqs, seq)
	}
	if err := rows.Err(); err != nil {
		return nil, "", fmt.Errorf("list state machines: %w", err)
	}
	var next string
	if len(out) > n {
		out = out[:n]
		next = store.EncodeToken(store.TokenStateMachines, seqs[n-1])
	}
	return out, next, nil
}

// seqScanner scans a leading seq column into seq, then the rest.
type seqScanner struct {
	sc  scanner
	seq *int64
}

func (s seqScanner) Scan(dest ...any) error {
	return s.sc.Scan(append([]any{s.seq}, dest...)...)
}

// Activities.

// CreateActivity implements [store.Activities].
func (s *Store) CreateActivity(ctx context.Context, a store.Activity, tags []store.Tag) (store.Activity, error) {
	a.CreationDate = store.FromUnixNanos(store.UnixNanos(a.CreationDate))
	var existing store.Activity
	err := s.write(ctx, func(w *wtx) error {
		var created int64
		err := w.scanRow("SELECT arn, name, creation_date FROM activities WHERE name = ? OR arn = ?",
			[]any{a.Name, a.ARN}, &existing.ARN, &existing.Name, &created)
		if err == nil {
			existing.CreationDate = store.FromUnixNanos(created)
			return store.ErrAlreadyExists
		}
		if !errors.Is(err, sql.ErrNoRows) {
			return err
		}
		if _, err := w.exec("INSERT INTO activities (arn, name, creation_date) VALUES (?, ?, ?)", a.ARN, a.Name, store.UnixNanos(a.CreationDate)); err != nil {
			return err
		}
		return putTags(w, a.ARN, tags)
	})
	if err != nil {
		return existing, fmt.Errorf("create activity %s: %w", a.Name, err)
	}
	return a, nil
}

// GetActivity implements [store.Activities].
func (s *Store) GetActivity(ctx context.Context, arn string) (store.Activity, error) {
	if err := s.enter(ctx); err != nil {
		return store.Activity{}, err
	}
	defer s.pending.Done()
	var a store.Activity
	var created int64
	err := s.queryRow(ctx, "SELECT arn, name, creation_date FROM activities WHERE arn = ?", arn).Scan(&a.ARN, &a.Name, &created)
	if err != nil {
		return store.Activity{}, fmt.Errorf("get activity %s: %w", arn, notFound(err))
	}
	a.CreationDate = store.FromUnixNanos(created)
	return a, nil
}

// DeleteActivity implements [store.Activities].
func (s *Store) DeleteActivity(ctx context.Context, arn string) error {
	err := s.write(ctx, func(w *wtx) error {
		if err := w.execOne(store.ErrNotFound, "DELETE FROM activities WHERE arn = ?", arn); err != nil {
			return err
		}
		_, err := w.exec("DELETE FROM tags WHERE resource_arn = ?", arn)
		return err
	})
	if err != nil {
		return fmt.Errorf("delete activity %s: %w", arn, err)
	}
	return nil
}

// ListActivities implements [store.Activities].
func (s *Store) ListActivities(ctx context.Context, p store.Page) ([]store.Activity, string, error) {
	after, err := store.DecodeTokenAfter(store.TokenActivities, p.NextToken, 0)
	if err != nil {
		return nil, "", err
	}
	if err := s.enter(ctx); err != nil {
		return nil, "", err
	}
	defer s.pending.Done()
	n := store.PageSize(p.MaxResults)
	rows, err := s.queryRows(ctx, "SELECT seq, arn, name, creation_date FROM activities WHERE seq > ? ORDER BY seq LIMIT ?", after, n+1)
	if err != nil {
		return nil, "", fmt.Errorf("list activities: %w", err)
	}
	defer rows.Close()
	var out []store.Activity
	var seqs []int64
	for rows.Next() {
		var a store.Activity
		var seq, created int64
		if err := rows.Scan(&seq, &a.ARN, &a.Name, &created); err != nil {
			return nil, "", fmt.Errorf("list activities: %w", err)
		}
		a.CreationDate = store.FromUnixNanos(created)
		out, seqs = append(out, a), append(seqs, seq)
	}
	if err := rows.Err(); err != nil {
		return nil, "", fmt.Errorf("list activities: %w", err)
	}
	var next string
	if len(out) > n {
		out = out[:n]
		next = store.EncodeToken(store.TokenActivities, seqs[n-1])
	}
	return out, next, nil
}

// Tags.

func putTags(w *wtx, arn string, tags []store.Tag) error {
	for _, t := range tags {
		if _, err := w.exec("INSERT OR REPLACE INTO tags (resource_arn, key, value) VALUES (?, ?, ?)", arn, t.Key, t.Value); err != nil {
			return err
		}
	}
	return nil
}

const resourceExists = `SELECT EXISTS (SELECT 1 FROM state_machines WHERE arn = ?1) OR EXISTS (SELECT 1 FROM activities WHERE arn = ?1)`

func checkResourceW(w *wtx, arn string) error {
	var ok bool
	if err := w.scanRow(resourceExists, []any{arn}, &ok); err != nil {
		return err
	}
	if !ok {
		return store.ErrNotFound
	}
	return nil
}

// TagResource implements [store.Tags].
func (s *Store) TagResource(ctx context.Context, arn string, tags []store.Tag) error {
	err := s.write(ctx, func(w *wtx) error {
		if err := checkResourceW(w, arn); err != nil {
			return err
		}
		return putTags(w, arn, tags)
	})
	if err != nil {
		return fmt.Errorf("tag %s: %w", arn, err)
	}
	return nil
}

// UntagResource implements [store.Tags].
func (s *Store) UntagResource(ctx context.Context, arn string, keys []string) error {
	err := s.write(ctx, func(w *wtx) error {
		if err := checkResourceW(w, arn); err != nil {
			return err
		}
		for _, k := range keys {
			if _, err := w.exec("DELETE FROM tags WHERE resource_arn = ? AND key = ?", arn, k); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("untag %s: %w", arn, err)
	}
	return nil
}

// ListTags implements [store.Tags].
func (s *Store) ListTags(ctx context.Context, arn string) ([]store.Tag, error) {
	if err := s.enter(ctx); err != nil {
		return nil, err
	}
	defer s.pending.Done()
	tx, err := s.db.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return nil, fmt.Errorf("list tags %s: %w", arn, err)
	}
	defer tx.Rollback()
	var ok bool
	if err := tx.QueryRowContext(ctx, resourceExists, arn).Scan(&ok); err != nil {
		return nil, fmt.Errorf("list tags %s: %w", arn, err)
	}
	if !ok {
		return nil, fmt.Errorf("list tags %s: %w", arn, store.ErrNotFound)
	}
	rows, err := tx.QueryContext(ctx, "SELECT key, value FROM tags WHERE resource_arn = ? ORDER BY key", arn)
	if err != nil {
		return nil, fmt.Errorf("list tags %s: %w", arn, err)
	}
	defer rows.Close()
	out := []store.Tag{}
	for rows.Next() {
		var t store.Tag
		if err := rows.Scan(&t.Key, &t.Value); err != nil {
			return nil, fmt.Errorf("list tags %s: %w", arn, err)
		}
		out = append(out, t)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("list tags %s: %w", arn, err)
	}
	return out, nil
}
