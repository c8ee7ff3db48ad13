package postgres

import (
	"context"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5"

	"stepwise/store"
)

const machineColumns = `m.arn, m.name, m.type, m.status, r.definition, r.role_arn, m.description,
	r.logging_configuration, r.tracing_configuration, r.revision_id, m.creation_date, r.update_date, r.encryption_configuration`

// latestJoin selects state machines with their latest revision.
const latestJoin = ` FROM state_machines m JOIN state_machine_revisions r
	ON r.machine_seq = m.seq AND r.revision_id = m.revision_id`

func scanMachine(sc scanner, extra ...any) (store.StateMachine, error) {
	var sm store.StateMachine
	var typ, status string
	var created, updated int64
	err := sc.Scan(append([]any{&sm.ARN, &sm.Name, &typ, &status, &sm.Definition, &sm.RoleARN, &sm.Description,
		&sm.LoggingConfiguration, &sm.TracingConfiguration, &sm.RevisionID, &created, &updated, &sm.EncryptionConfiguration}, extra...)...)
	sm.Type, sm.Status = store.StateMachineType(typ), store.StateMachineStatus(status)
	sm.CreationDate, sm.UpdateDate = store.FromUnixNanos(created), store.FromUnixNanos(updated)
	return sm, err
}

// CreateStateMachine implements [store.StateMachines].
func (s *Store) CreateStateMachine(ctx context.Context, sm store.StateMachine, tags []store.Tag) (store.StateMachine, error) {
	if sm.Status == "" {
		sm.Status = store.StatusActive
	}
	sm.CreationDate = store.FromUnixNanos(store.UnixNanos(sm.CreationDate))
	sm.UpdateDate = sm.CreationDate
	sm.VersionARN = ""
	err := s.inTx(ctx, func(tx pgx.Tx) error {
		// ON CONFLICT waits for a concurrent create of the same name or
		// ARN to end, so a lost race is reported like a plain duplicate.
		var seq int64
		err := tx.QueryRow(ctx, `INSERT INTO state_machines (arn, name, type, status, description, revision_id, creation_date)
			VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT DO NOTHING RETURNING seq`,
			sm.ARN, sm.Name, string(sm.Type), string(sm.Status), sm.Description, sm.RevisionID, store.UnixNanos(sm.CreationDate)).Scan(&seq)
		if errors.Is(err, pgx.ErrNoRows) {
			return store.ErrAlreadyExists
		}
		if err != nil {
			return err
		}
		if err := insertRevision(ctx, tx, seq, sm); err != nil {
			return err
		}
		return putTags(ctx, tx, sm.ARN, tags)
	})
	if errors.Is(err, store.ErrAlreadyExists) {
		return s.existingMachine(ctx, sm)
	}
	if err != nil {
		return store.StateMachine{}, fmt.Errorf("create state machine %s: %w", sm.Name, err)
	}
	return sm, nil
}

// existingMachine returns the state machine that has sm's name, or else
// its ARN, with ErrAlreadyExists.
func (s *Store) existingMachine(ctx context.Context, sm store.StateMachine) (store.StateMachine, error) {
	if err := s.enter(ctx); err != nil {
		return store.StateMachine{}, fmt.Errorf("create state machine %s: %w", sm.Name, err)
	}
	defer s.pending.Done()
	existing, err := scanMachine(s.pool.QueryRow(ctx, "SELECT "+machineColumns+latestJoin+
		" WHERE m.name = $1 OR m.arn = $2 ORDER BY m.name = $1 DESC LIMIT 1", sm.Name, sm.ARN))
	// If it was deleted meanwhile there is nothing to return, but the
	// create still lost.
	if err != nil && !errors.Is(err, pgx.ErrNoRows) {
		return store.StateMachine{}, fmt.Errorf("create state machine %s: %w", sm.Name, err)
	}
	return existing, fmt.Errorf("create state machine %s: %w", sm.Name, store.ErrAlreadyExists)
}

// insertRevision adds a revision of the machine seq, or returns
// ErrAlreadyExists if its id is taken.
func insertRevision(ctx context.Context, tx pgx.Tx, seq int64, sm store.StateMachine) error {
	tag, err := tx.Exec(ctx, `INSERT INTO state_machine_revisions (machine_seq, revision_id, definition, role_arn,
		logging_configuration, tracing_configuration, update_date, encryption_configuration) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
		ON CONFLICT DO NOTHING`,
		seq, sm.RevisionID, sm.Definition, sm.RoleARN, sm.LoggingConfiguration, sm.TracingConfiguration, store.UnixNanos(sm.UpdateDate),
		sm.EncryptionConfiguration)
	if err != nil {
		return err
	}
	if tag.RowsAffected() == 0 {
		return fmt.Errorf("revision %s: %w", sm.RevisionID, store.ErrAlreadyExists)
	}
	return nil
}

// GetStateMachine implements [store.StateMachines].
func (s *Store) GetStateMachine(ctx context.Context, arn string) (store.StateMachine, error) {
	if err := s.enter(ctx); err != nil {
		return store.StateMachine{}, fmt.Errorf("get state machine %s: %w", arn, err)
	}
	defer s.pending.Done()
	sm, err := scanMachine(s.pool.QueryRow(ctx, "SELECT "+machineColumns+latestJoin+" WHERE m.arn = $1", arn))
	if err != nil {
		return store.StateMachine{}, fmt.Errorf("get state machine %s: %w", arn, notFound(err))
	}
	return sm, nil
}

// GetStateMachineRevision implements [store.StateMachines].
func (s *Store) GetStateMachineRevision(ctx context.Context, arn, revisionID string) (store.StateMachine, error) {
	if err := s.enter(ctx); err != nil {
		return store.StateMachine{}, fmt.Errorf("get state machine %s revision %s: %w", arn, revisionID, err)
	}
	defer s.pending.Done()
	sm, err := scanMachine(s.pool.QueryRow(ctx, "SELECT "+machineColumns+
		` FROM state_machines m JOIN state_machine_revisions r ON r.machine_seq = m.seq
		WHERE m.arn = $1 AND r.revision_id = $2`, arn, revisionID))
	if err != nil {
		return store.StateMachine{}, fmt.Errorf("get state machine %s revision %s: %w", arn, revisionID, notFound(err))
	}
	return sm, nil
}

// UpdateStateMachine implements [store.StateMachines]. It locks the
// machine's row, so concurrent updates apply one after the other.
func (s *Store) UpdateStateMachine(ctx context.Context, u store.StateMachineUpdate) (store.StateMachine, error) {
	var sm store.StateMachine
	err := s.inTx(ctx, func(tx pgx.Tx) error {
		var seq int64
		var err error
		// Lock first, then read: a locking read of the join that waits for
		// a concurrent update re-checks the machine row but not the join
		// with its new revision, and would find nothing.
		if err := tx.QueryRow(ctx, "SELECT seq FROM state_machines WHERE arn = $1 FOR UPDATE", u.ARN).Scan(&seq); err != nil {
			return notFound(err)
		}
		sm, err = scanMachine(tx.QueryRow(ctx, "SELECT "+machineColumns+latestJoin+" WHERE m.seq = $1", seq))
		if err != nil {
			return notFound(err)
		}
		if u.Status != nil {
			sm.Status = *u.Status
			if _, err := tx.Exec(ctx, "UPDATE state_machines SET status = $1 WHERE seq = $2", string(sm.Status), seq); err != nil {
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
		if err := insertRevision(ctx, tx, seq, sm); err != nil {
			return err
		}
		if _, err = tx.Exec(ctx, "UPDATE state_machines SET revision_id = $1 WHERE seq = $2", sm.RevisionID, seq); err != nil {
			return err
		}
		if u.Publish == nil {
			return nil
		}
		// The machine's row is locked already; a refused publish rolls
		// the update back with it.
		p := *u.Publish
		p.StateMachineARN, p.RevisionID, p.CreationDate = u.ARN, "", u.UpdateDate
		v, err := publishTx(ctx, tx, p)
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

// DeleteStateMachine implements [store.StateMachines]. It locks the
// machine's row (FOR UPDATE) before looking for running executions: a
// start or an end under way holds it FOR KEY SHARE, so the look sees that
// commit's outcome.
func (s *Store) DeleteStateMachine(ctx context.Context, arn string) error {
	err := s.inTx(ctx, func(tx pgx.Tx) error {
		var running bool
		if err := tx.QueryRow(ctx, "SELECT 1 FROM state_machines WHERE arn = $1 FOR UPDATE", arn).Scan(new(int)); err != nil {
			return notFound(err)
		}
		if err := tx.QueryRow(ctx, runningSQL, arn).Scan(&running); err != nil {
			return err
		}
		if running {
			_, err := tx.Exec(ctx, "UPDATE state_machines SET status = $2 WHERE arn = $1", arn, string(store.StatusDeleting))
			return err
		}
		return deleteResource(ctx, tx, "state_machines", arn)
	})
	if err != nil {
		return fmt.Errorf("delete state machine %s: %w", arn, err)
	}
	return nil
}

// runningSQL tells whether an execution of a state machine is RUNNING.
const runningSQL = "SELECT EXISTS (SELECT 1 FROM executions WHERE state_machine_arn = $1 AND status = 'RUNNING')"

// finishDelete deletes the state machine arn if it is DELETING and none
// of its executions runs any more.
func finishDelete(ctx context.Context, tx pgx.Tx, arn string) error {
	err := tx.QueryRow(ctx, "SELECT 1 FROM state_machines WHERE arn = $1 AND status = 'DELETING' FOR UPDATE", arn).Scan(new(int))
	if errors.Is(err, pgx.ErrNoRows) {
		return nil // deleted already
	}
	if err != nil {
		return err
	}
	var running bool
	if err := tx.QueryRow(ctx, runningSQL, arn).Scan(&running); err != nil || running {
		return err
	}
	return deleteResource(ctx, tx, "state_machines", arn)
}

// finishDeletes deletes every DELETING state machine that has no running
// execution: those whose last execution ended in a process that died
// before it deleted them.
func (s *Store) finishDeletes(ctx context.Context) error {
	rows, err := s.pool.Query(ctx, "SELECT arn FROM state_machines WHERE status = 'DELETING'")
	if err != nil {
		return err
	}
	arns, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		return err
	}
	for _, arn := range arns {
		if err := pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error { return finishDelete(ctx, tx, arn) }); err != nil {
			return fmt.Errorf("finish deleting %s: %w", arn, err)
		}
	}
	return nil
}

// deleteResource deletes the row of a state machine (its revisions go
// with it) or activity, then its tags, or returns ErrNotFound. The tags
// are deleted by a second statement so that it sees the tags of a
// TagResource that held the row until it committed.
func deleteResource(ctx context.Context, tx pgx.Tx, table, arn string) error {
	tag, err := tx.Exec(ctx, "DELETE FROM "+table+" WHERE arn = $1", arn)
	if err != nil {
		return err
	}
	if tag.RowsAffected() == 0 {
		return store.ErrNotFound
	}
	_, err = tx.Exec(ctx, "DELETE FROM tags WHERE resource_arn = $1", arn)
	return err
}

// ListStateMachines implements [store.StateMachines].
func (s *Store) ListStateMachines(ctx context.Context, p store.Page) ([]store.StateMachine, string, error) {
	after, err := store.DecodeTokenAfter(store.TokenStateMachines, p.NextToken, 0)
	if err != nil {
		return nil, "", fmt.Errorf("list state machines: %w", err)
	}
	if err := s.enter(ctx); err != nil {
		return nil, "", fmt.Errorf("list state machines: %w", err)
	}
	defer s.pending.Done()
	n := store.PageSize(p.MaxResults)
	rows, err := s.pool.Query(ctx, `SELECT m.arn, m.name, m.type, m.status, '', r.role_arn, m.description,
		r.logging_configuration, r.tracing_configuration, r.revision_id, m.creation_date, r.update_date, r.encryption_configuration, m.seq`+latestJoin+
		` WHERE m.seq > $1 ORDER BY m.seq LIMIT $2`, after, n+1)
	if err != nil {
		return nil, "", fmt.Errorf("list state machines: %w", err)
	}
	defer rows.Close()
	var out []store.StateMachine
	var seqs []int64
	for rows.Next() {
		var seq int64
		sm, err := scanMachine(rows, &seq)
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
