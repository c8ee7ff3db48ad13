package service

import (
	"context"
	"time"

	"stepwise/store"
)

// schedule claims due work and hands it to the workers until ctx ends.
// While claims fail (the store is down or its disk full) it backs off
// exponentially, and Health reports the failure.
func (s *Service) schedule(ctx context.Context) error {
	limit := s.cfg.Workers * 2
	failures := 0
	for {
		items, err := s.store.ClaimWork(ctx, store.Claim{Owner: s.cfg.Node, Now: s.cfg.Now(), Lease: s.cfg.Lease, Limit: limit})
		if err != nil {
			if ctx.Err() != nil {
				return ctx.Err()
			}
			failures++
			s.storeFailed(err)
			wait := backoff(failures)
			s.log.Error("claim work; backing off", "err", err, "failures", failures, "wait", wait)
			if err := s.sleep(ctx, wait); err != nil {
				return err
			}
			continue
		}
		if failures > 0 {
			s.log.Info("claim work: the store answers again", "failures", failures)
			failures = 0
			s.storeOK()
		}
		for i, item := range items {
			select {
			case s.work <- item:
			case <-ctx.Done():
				// Give back what was claimed but not started.
				for _, rest := range items[i:] {
					_ = s.store.ReleaseWork(context.WithoutCancel(ctx), rest.ExecutionARN, rest.ID, s.cfg.Node, s.cfg.Now())
				}
				return ctx.Err()
			}
		}
		if len(items) == limit {
			continue
		}
		if err := s.idle(ctx); err != nil {
			return err
		}
	}
}

// idle waits until the next work item is due, new work is committed, or
// the poll interval passes (so that work committed by other nodes is
// found).
func (s *Service) idle(ctx context.Context) error {
	wait := s.cfg.PollInterval
	if next, ok, err := s.store.NextWorkTime(ctx); err == nil && ok {
		wait = min(wait, max(next.Sub(s.cfg.Now()), 0))
	}
	if wait == 0 {
		return nil
	}
	t := time.NewTimer(wait)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-s.wake:
		return nil
	case <-t.C:
		return nil
	}
}

// sleep waits for d or until ctx ends.
func (s *Service) sleep(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

// worker carries out work items until ctx ends.
func (s *Service) worker(ctx context.Context) {
	for {
		select {
		case <-ctx.Done():
			return
		case item := <-s.work:
			s.process(ctx, item)
		}
	}
}
