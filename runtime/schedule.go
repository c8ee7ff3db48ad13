package runtime

import (
	"context"
	"time"

	"stepwise/store"
)

// schedule claims due work and hands it to the workers until ctx ends.
// While claims fail (the store is down or its disk full) it backs off
// exponentially, and Health reports the failure.
func (r *Runner) schedule(ctx context.Context) error {
	limit := r.cfg.Workers * 2
	failures := 0
	for {
		items, err := r.store.ClaimWork(ctx, store.Claim{Owner: r.cfg.Node, Now: r.cfg.Now(), Lease: r.cfg.Lease, Limit: limit})
		if err != nil {
			if ctx.Err() != nil {
				return ctx.Err()
			}
			failures++
			r.storeFailed(err)
			wait := backoff(failures)
			r.log.Error("claim work; backing off", "err", err, "failures", failures, "wait", wait)
			if err := r.sleep(ctx, wait); err != nil {
				return err
			}
			continue
		}
		if failures > 0 {
			r.log.Info("claim work: the store answers again", "failures", failures)
			failures = 0
			r.storeOK()
		}
		for i, item := range items {
			select {
			case r.work <- item:
			case <-ctx.Done():
				// Give back what was claimed but not started.
				for _, rest := range items[i:] {
					_ = r.store.ReleaseWork(context.WithoutCancel(ctx), rest.ExecutionARN, rest.ID, r.cfg.Node, r.cfg.Now())
				}
				return ctx.Err()
			}
		}
		if len(items) == limit {
			continue
		}
		if err := r.idle(ctx); err != nil {
			return err
		}
	}
}

// idle waits until the next work item is due, new work is committed, or
// the poll interval passes (so that work committed by other nodes is
// found).
func (r *Runner) idle(ctx context.Context) error {
	wait := r.cfg.PollInterval
	if next, ok, err := r.store.NextWorkTime(ctx); err == nil && ok {
		wait = min(wait, max(next.Sub(r.cfg.Now()), 0))
	}
	if wait == 0 {
		return nil
	}
	t := time.NewTimer(wait)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-r.wake:
		return nil
	case <-t.C:
		return nil
	}
}

// sleep waits for d or until ctx ends.
func (r *Runner) sleep(ctx context.Context, d time.Duration) error {
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
func (r *Runner) worker(ctx context.Context) {
	for {
		select {
		case <-ctx.Done():
			return
		case item := <-r.work:
			r.process(ctx, item)
		}
	}
}
