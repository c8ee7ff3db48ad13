package runtime

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"sync"
	"time"

	"stepwise/store"
)

// health remembers whether the store failed its last write. It is safe
// for concurrent use.
type health struct {
	mu    sync.Mutex // guards the fields below
	err   error      // the last store failure; nil once a write succeeded
	since time.Time  // when the failures began
}

// Health reports whether the runtime can use its store: nil normally, and
// while the store is failing (a full disk, a lost database) an error
// naming the last failure and when the failures began. /healthz answers
// with it.
func (r *Runner) Health() error {
	r.health.mu.Lock()
	defer r.health.mu.Unlock()
	if r.health.err == nil {
		return nil
	}
	return fmt.Errorf("store failing since %s: %w", r.health.since.UTC().Format(time.RFC3339), r.health.err)
}

// storeFailed records a failure of the store. Failures that say something
// about the request rather than the store are not recorded.
func (r *Runner) storeFailed(err error) {
	if err == nil || !isStoreFailure(err) {
		return
	}
	r.health.mu.Lock()
	defer r.health.mu.Unlock()
	if r.health.err == nil {
		r.health.since = r.cfg.Now()
	}
	r.health.err = err
}

// storeOK records that the store took a write.
func (r *Runner) storeOK() {
	r.health.mu.Lock()
	r.health.err = nil
	r.health.mu.Unlock()
}

// isStoreFailure tells a failing store from the answers of a working one.
func isStoreFailure(err error) bool {
	for _, ok := range []error{store.ErrConflict, store.ErrNotFound, store.ErrAlreadyExists, store.ErrTaskClosed,
		store.ErrStateMachineDeleting, store.ErrLeaseLost, store.ErrInvalidToken, store.ErrClosed,
		context.Canceled, context.DeadlineExceeded} {
		if errors.Is(err, ok) {
			return false
		}
	}
	return true
}

// The scheduler's back-off after a failed claim: it doubles from
// minBackoff up to maxBackoff, each wait drawn with jitter, so that a
// full disk costs a few log lines a minute instead of thousands a second.
const (
	minBackoff = 100 * time.Millisecond
	maxBackoff = 30 * time.Second
)

// backoff returns the wait after the n-th failure in a row (n >= 1):
// between half and all of min(minBackoff*2^(n-1), maxBackoff). The jitter
// keeps nodes sharing a store from retrying in step; it needs no secrecy.
func backoff(n int) time.Duration {
	d := maxBackoff
	if n < 20 {
		d = min(minBackoff<<(n-1), maxBackoff)
	}
	return d/2 + rand.N(d/2+1)
}
