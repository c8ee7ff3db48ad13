package store

import (
	"crypto/rand"
	"fmt"
)

// NewSecret returns [SecretSize] bytes from crypto/rand, for backends that
// create a secret in [Secrets.ServerSecret].
func NewSecret() ([]byte, error) {
	b := make([]byte, SecretSize)
	if _, err := rand.Read(b); err != nil {
		return nil, fmt.Errorf("store: new secret: %w", err)
	}
	return b, nil
}
