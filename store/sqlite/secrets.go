package sqlite

import (
	"context"
	"fmt"

	"stepwise/store"
)

// ServerSecret implements [store.Secrets]. The insert and the read run in
// one write transaction of the single writer, so racing callers all read
// the row the first of them inserted.
func (s *Store) ServerSecret(ctx context.Context, name string) ([]byte, error) {
	fresh, err := store.NewSecret()
	if err != nil {
		return nil, err
	}
	var out []byte
	err = s.write(ctx, func(w *wtx) error {
		if _, err := w.exec("INSERT INTO server_secrets (name, value) VALUES (?, ?) ON CONFLICT (name) DO NOTHING", name, fresh); err != nil {
			return err
		}
		return w.scanRow("SELECT value FROM server_secrets WHERE name = ?", []any{name}, &out)
	})
	if err != nil {
		return nil, fmt.Errorf("server secret %s: %w", name, err)
	}
	return out, nil
}
