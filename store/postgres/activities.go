package postgres

import (
	"context"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5"

	"stepwise/store"
)

// CreateActivity implements [store.Activities].
func (s *Store) CreateActivity(ctx context.Context, a store.Activity, tags []store.Tag) (store.Activity, error) {
	a.CreationDate = store.FromUnixNanos(store.UnixNanos(a.CreationDate))
	err := s.inTx(ctx, func(tx pgx.Tx) error {
		// ON CONFLICT waits for a concurrent create of the same name or
		// ARN to end, so a lost race is reported like a plain duplicate.
		tag, err := tx.Exec(ctx, "INSERT INTO activities (arn, name, creation_date) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING",
			a.ARN, a.Name, store.UnixNanos(a.CreationDate))
		if err != nil {
			return err
		}
		if tag.RowsAffected() == 0 {
			return store.ErrAlreadyExists
		}
		return putTags(ctx, tx, a.ARN, tags)
	})
	if errors.Is(err, store.ErrAlreadyExists) {
		return s.existingActivity(ctx, a)
	}
	if err != nil {
		return store.Activity{}, fmt.Errorf("create activity %s: %w", a.Name, err)
	}
	return a, nil
}

// existingActivity returns the activity that has a's name, or else its
// ARN, with ErrAlreadyExists.
func (s *Store) existingActivity(ctx context.Context, a store.Activity) (store.Activity, error) {
	if err := s.enter(ctx); err != nil {
		return store.Activity{}, fmt.Errorf("create activity %s: %w", a.Name, err)
	}
	defer s.pending.Done()
	existing, err := scanActivity(s.pool.QueryRow(ctx,
		"SELECT arn, name, creation_date FROM activities WHERE name = $1 OR arn = $2 ORDER BY name = $1 DESC LIMIT 1", a.Name, a.ARN))
	// If it was deleted meanwhile there is nothing to return, but the
	// create still lost.
	if err != nil && !errors.Is(err, pgx.ErrNoRows) {
		return store.Activity{}, fmt.Errorf("create activity %s: %w", a.Name, err)
	}
	return existing, fmt.Errorf("create activity %s: %w", a.Name, store.ErrAlreadyExists)
}

func scanActivity(sc scanner, extra ...any) (store.Activity, error) {
	var a store.Activity
	var created int64
	err := sc.Scan(append([]any{&a.ARN, &a.Name, &created}, extra...)...)
	a.CreationDate = store.FromUnixNanos(created)
	return a, err
}

// GetActivity implements [store.Activities].
func (s *Store) GetActivity(ctx context.Context, arn string) (store.Activity, error) {
	if err := s.enter(ctx); err != nil {
		return store.Activity{}, fmt.Errorf("get activity %s: %w", arn, err)
	}
	defer s.pending.Done()
	a, err := scanActivity(s.pool.QueryRow(ctx, "SELECT arn, name, creation_date FROM activities WHERE arn = $1", arn))
	if err != nil {
		return store.Activity{}, fmt.Errorf("get activity %s: %w", arn, notFound(err))
	}
	return a, nil
}

// DeleteActivity implements [store.Activities].
func (s *Store) DeleteActivity(ctx context.Context, arn string) error {
	err := s.inTx(ctx, func(tx pgx.Tx) error { return deleteResource(ctx, tx, "activities", arn) })
	if err != nil {
		return fmt.Errorf("delete activity %s: %w", arn, err)
	}
	return nil
}

// ListActivities implements [store.Activities].
func (s *Store) ListActivities(ctx context.Context, p store.Page) ([]store.Activity, string, error) {
	after, err := store.DecodeTokenAfter(store.TokenActivities, p.NextToken, 0)
	if err != nil {
		return nil, "", fmt.Errorf("list activities: %w", err)
	}
	if err := s.enter(ctx); err != nil {
		return nil, "", fmt.Errorf("list activities: %w", err)
	}
	defer s.pending.Done()
	n := store.PageSize(p.MaxResults)
	rows, err := s.pool.Query(ctx, "SELECT arn, name, creation_date, seq FROM activities WHERE seq > $1 ORDER BY seq LIMIT $2", after, n+1)
	if err != nil {
		return nil, "", fmt.Errorf("list activities: %w", err)
	}
	defer rows.Close()
	var out []store.Activity
	var seqs []int64
	for rows.Next() {
		var seq int64
		a, err := scanActivity(rows, &seq)
		if err != nil {
			return nil, "", fmt.Errorf("list activities: %w", err)
		}
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
