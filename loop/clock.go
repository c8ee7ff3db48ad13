package loop

import (
	"sync"
	"time"
)

// Clock is the time an execution runs on. Implementations are safe for
// concurrent use: invokers may read Now from their goroutines.
type Clock interface {
	// Now returns the current time on this clock.
	Now() time.Time
	// After returns a channel that receives once the clock reaches t, and
	// a func that releases it. A clock that only moves by Skip may return
	// a nil channel (never ready) for a t still to come.
	After(t time.Time) (c <-chan time.Time, stop func())
	// Skip moves the clock forward to t at once, when it can, and reports
	// whether it did. The loop calls it only when nothing but timers is
	// pending, with the earliest timer's due time. The real clock cannot
	// skip.
	Skip(t time.Time) bool
}

// Real returns the wall clock read by now (time.Now when nil): timers wait
// for real.
func Real(now func() time.Time) Clock {
	if now == nil {
		now = time.Now
	}
	return realClock{now: now}
}

type realClock struct{ now func() time.Time }

func (c realClock) Now() time.Time { return c.now() }

func (c realClock) After(t time.Time) (<-chan time.Time, func()) {
	tm := time.NewTimer(max(t.Sub(c.now()), 0))
	return tm.C, func() { tm.Stop() }
}

func (realClock) Skip(time.Time) bool { return false }

// Fast returns the clock of fast time: the wall clock read by now
// (time.Now when nil), jumped forward to a timer's due time whenever
// nothing else is pending, so that Wait states and retry back-off cost no
// real time. While an invocation is outstanding a timer waits in real
// time, so that a task still answers before its timeout as it would.
func Fast(now func() time.Time) Clock {
	if now == nil {
		now = time.Now
	}
	return &fastClock{now: now}
}

type fastClock struct {
	now     func() time.Time
	mu      sync.Mutex // guards jumped and waiters
	jumped  time.Time  // the latest time skipped to
	waiters map[*fastWaiter]struct{}
}

// fastWaiter is a timer of [fastClock.After]: it fires in real time, or
// at once when a Skip (by another run sharing the clock, such as a nested
// child's Wait) moves the clock past it.
type fastWaiter struct {
	due time.Time
	ch  chan time.Time // buffered: one send
}

func (c *fastClock) Now() time.Time {
	now := c.now()
	c.mu.Lock()
	defer c.mu.Unlock()
	if now.After(c.jumped) {
		c.jumped = now
	}
	return c.jumped
}

func (c *fastClock) After(t time.Time) (<-chan time.Time, func()) {
	w := &fastWaiter{due: t, ch: make(chan time.Time, 1)}
	now := c.Now()
	if !t.After(now) {
		w.ch <- now
		return w.ch, func() {}
	}
	c.mu.Lock()
	if c.waiters == nil {
		c.waiters = map[*fastWaiter]struct{}{}
	}
	c.waiters[w] = struct{}{}
	c.mu.Unlock()
	tm := time.AfterFunc(t.Sub(now), func() { c.release(w, c.Now()) })
	return w.ch, func() {
		tm.Stop()
		c.mu.Lock()
		delete(c.waiters, w)
		c.mu.Unlock()
	}
}

// release fires w once, at now.
func (c *fastClock) release(w *fastWaiter, now time.Time) {
	c.mu.Lock()
	_, waiting := c.waiters[w]
	delete(c.waiters, w)
	c.mu.Unlock()
	if waiting {
		w.ch <- now
	}
}

func (c *fastClock) Skip(t time.Time) bool {
	c.mu.Lock()
	if t.After(c.jumped) {
		c.jumped = t
	}
	var due []*fastWaiter
	for w := range c.waiters {
		if !w.due.After(c.jumped) {
			due = append(due, w)
		}
	}
	c.mu.Unlock()
	for _, w := range due {
		c.release(w, t)
	}
	return true
}

// Fake is a clock that moves only when skipped: no real time passes on
// it, so runs on it are reproducible. It is safe for concurrent use.
type Fake struct {
	mu  sync.Mutex // guards now
	now time.Time
}

// NewFake returns a fake clock that reads start until it is skipped.
func NewFake(start time.Time) *Fake { return &Fake{now: start} }

// Now implements [Clock].
func (c *Fake) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

// After implements [Clock]: a time already reached is ready at once; a
// later one never is (the loop skips to it when nothing else is pending).
func (c *Fake) After(t time.Time) (<-chan time.Time, func()) {
	now := c.Now()
	if t.After(now) {
		return nil, func() {}
	}
	ch := make(chan time.Time, 1)
	ch <- now
	return ch, func() {}
}

// Skip implements [Clock]: the clock moves to t unless it is already
// later.
func (c *Fake) Skip(t time.Time) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	if t.After(c.now) {
		c.now = t
	}
	return true
}

var (
	_ Clock = realClock{}
	_ Clock = (*fastClock)(nil)
	_ Clock = (*Fake)(nil)
)
