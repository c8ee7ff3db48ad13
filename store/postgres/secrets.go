package postgres

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"

	"stepwise/store"
)

// ServerSecret implements [store.Secrets]. The insert and the read are one
// statement in one transaction: of nodes racing on a new name, the
// primary key lets one insert win and every node reads the winner's
// bytes.
func (s *Store) ServerSecret(ctx context.Context, name string) ([]byte, error) {
	fresh, err := store.NewSecret()
	if err != nil {
		return nil, err
	}
	var out []byte
	err = s.inTx(ctx, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, "INSERT INTO server_secrets (name, value) VALUES ($1, $2) ON CONFLICT (name) DO NOTHING", name, fresh); err != nil {
			return err
		}
		return tx.QueryRow(ctx, "SELECT value FROM server_secrets WHERE name = $1", name).Scan(&out)
	})
	if err != nil {
		return nil, fmt.Errorf("server secret %s: %w", name, err)
	}
	return out, nil
}
