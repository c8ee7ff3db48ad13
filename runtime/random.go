package runtime

import (
	"crypto/rand"

	"stepwise/dataflow"
)

// The random values the runtime and its callers make: all from
// crypto/rand, so none can be guessed from another.

// NewUUID returns a random version 4 UUID (execution names, revision and
// request ids).
func NewUUID() string {
	var b [16]byte
	_, _ = rand.Read(b[:]) // crypto/rand.Read never fails (Go 1.24+)
	return dataflow.UUID(b)
}

// NewTokenKey returns a fresh 32-byte secret for an execution's task
// tokens.
func NewTokenKey() []byte {
	b := make([]byte, 32)
	_, _ = rand.Read(b)
	return b
}

// RandomSeed returns a random seed for an execution's random numbers
// (jitter, UUIDs, $random).
func RandomSeed() uint64 {
	var b [8]byte
	_, _ = rand.Read(b[:])
	var s uint64
	for _, x := range b {
		s = s<<8 | uint64(x)
	}
	return s
}
