package postgres

import (
	"context"
	"fmt"
	"maps"
	"slices"

	"github.com/jackc/pgx/v5"

	"stepwise/store"
)

// putTags adds tags to a resource, replacing the values of keys it has.
// Of repeated keys the last wins.
func putTags(ctx context.Context, tx pgx.Tx, arn string, tags []store.Tag) error {
	if len(tags) == 0 {
		return nil
	}
	// One INSERT may not update a row twice, so repeated keys are merged
	// first. Rows are written in key order, so that two calls tagging one
	// resource lock its tag rows in the same order and cannot deadlock.
	merged := make(map[string]string, len(tags))
	for _, t := range tags {
		merged[t.Key] = t.Value
	}
	keys := slices.Sorted(maps.Keys(merged))
	values := make([]string, len(keys))
	for i, k := range keys {
		values[i] = merged[k]
	}
	_, err := tx.Exec(ctx, `INSERT INTO tags (resource_arn, key, value)
		SELECT $1, k, v FROM unnest($2::text[], $3::text[]) AS u(k, v)
		ON CONFLICT (resource_arn, key) DO UPDATE SET value = excluded.value`, arn, keys, values)
	if err != nil {
		return fmt.Errorf("put tags: %w", err)
	}
	return nil
}

// lockResource returns ErrNotFound unless a state machine or activity has
// this ARN. It locks the row against deletion until the transaction ends,
// so tags are never added to a resource being deleted.
func lockResource(ctx context.Context, tx pgx.Tx, arn string) error {
	var ok bool
	err := tx.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM state_machines WHERE arn = $1 FOR SHARE)
		OR EXISTS (SELECT 1 FROM activities WHERE arn = $1 FOR SHARE)`, arn).Scan(&ok)
	if err != nil {
		return err
	}
	if !ok {
		return store.ErrNotFound
	}
	return nil
}

// TagResource implements [store.Tags].
func (s *Store) TagResource(ctx context.Context, arn string, tags []store.Tag) error {
	err := s.inTx(ctx, func(tx pgx.Tx) error {
		if err := lockResource(ctx, tx, arn); err != nil {
			return err
		}
		return putTags(ctx, tx, arn, tags)
	})
	if err != nil {
		return fmt.Errorf("tag %s: %w", arn, err)
	}
	return nil
}

// UntagResource implements [store.Tags].
func (s *Store) UntagResource(ctx context.Context, arn string, keys []string) error {
	err := s.inTx(ctx, func(tx pgx.Tx) error {
		if err := lockResource(ctx, tx, arn); err != nil {
			return err
		}
		_, err := tx.Exec(ctx, "DELETE FROM tags WHERE resource_arn = $1 AND key = ANY ($2::text[])", arn, keys)
		return err
	})
	if err != nil {
		return fmt.Errorf("untag %s: %w", arn, err)
	}
	return nil
}

// listTagsQuery returns no row for an unknown resource, one row of NULLs
// for a resource without tags, and else its tags by key: one query tells
// both whether the resource exists and what its tags are.
const listTagsQuery = `SELECT t.key, t.value
	FROM (SELECT WHERE EXISTS (SELECT 1 FROM state_machines WHERE arn = $1)
		OR EXISTS (SELECT 1 FROM activities WHERE arn = $1)) AS r
	LEFT JOIN tags t ON t.resource_arn = $1
	ORDER BY t.key`

// ListTags implements [store.Tags].
func (s *Store) ListTags(ctx context.Context, arn string) ([]store.Tag, error) {
	if err := s.enter(ctx); err != nil {
		return nil, fmt.Errorf("list tags %s: %w", arn, err)
	}
	defer s.pending.Done()
	rows, err := s.pool.Query(ctx, listTagsQuery, arn)
	if err != nil {
		return nil, fmt.Errorf("list tags %s: %w", arn, err)
	}
	defer rows.Close()
	found := false
	out := []store.Tag{}
	for rows.Next() {
		found = true
		var key, value *string
		if err := rows.Scan(&key, &value); err != nil {
			return nil, fmt.Errorf("list tags %s: %w", arn, err)
		}
		if key != nil {
			out = append(out, store.Tag{Key: *key, Value: *value})
		}
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("list tags %s: %w", arn, err)
	}
	if !found {
		return nil, fmt.Errorf("list tags %s: %w", arn, store.ErrNotFound)
	}
	return out, nil
}
