package memory

import (
	"bytes"
	"context"
	"fmt"

	"stepwise/store"
)

// ServerSecret implements [store.Secrets]. The secret lives as long as the
// store: a memory store's secrets are new on every start.
func (s *Store) ServerSecret(ctx context.Context, name string) ([]byte, error) {
	fresh, err := store.NewSecret()
	if err != nil {
		return nil, err
	}
	if err := s.lock(ctx); err != nil {
		return nil, fmt.Errorf("server secret %s: %w", name, err)
	}
	defer s.mu.Unlock()
	if v, ok := s.secrets[name]; ok {
		return bytes.Clone(v), nil
	}
	if s.secrets == nil {
		s.secrets = map[string][]byte{}
	}
	s.secrets[name] = fresh
	return bytes.Clone(fresh), nil
}
