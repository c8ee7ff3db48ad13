package runtime

import (
	"context"
	"errors"
	"fmt"
	"time"

	"stepwise/engine"
	"stepwise/store"
)

// maxPoll is how long GetActivityTask waits for a task, as on AWS.
const maxPoll = 60 * time.Second

// PollActivity waits up to 60 seconds (or until ctx ends) for a task of
// the activity activityARN, claims it for workerName and records the
// task's start (ActivityStarted) on its execution. It returns false, and
// no error, when no task arrived within the poll time, and ctx's error
// when ctx ended first.
func (r *Runner) PollActivity(ctx context.Context, activityARN, workerName string) (store.Task, bool, error) {
	deadline := time.NewTimer(maxPoll)
	defer deadline.Stop()
	for {
		wake := r.activityWaiter(activityARN)
		t, err := r.store.ClaimActivityTask(ctx, activityARN, workerName, r.now())
		if err == nil {
			r.dropWaiter(activityARN, wake)
			if id, ok := parseWorkID(t.WorkID); ok {
				ev := engine.Event{Kind: engine.TaskStarted, ID: id, WorkerName: workerName}
				if err := r.step(ctx, t.ExecutionARN, ev, nil, nil); err != nil {
					r.log.Warn("record activity start", "execution_arn", t.ExecutionARN, "err", err)
				}
			}
			return t, true, nil
		}
		if !errors.Is(err, store.ErrNotFound) {
			r.dropWaiter(activityARN, wake)
			return store.Task{}, false, fmt.Errorf("get activity task %s: %w", activityARN, err)
		}
		// Tasks scheduled by other nodes sharing the store wake nobody
		// here: look again every poll interval.
		poll := time.NewTimer(r.cfg.PollInterval)
		var done bool
		select {
		case <-wake:
		case <-poll.C:
		case <-deadline.C:
			err, done = nil, true // no task within the poll time: an empty answer
		case <-ctx.Done():
			err = ctx.Err()
			done = true
		}
		poll.Stop()
		// Every way out drops the waiter: the next round registers a new
		// one, and a woken one left behind was never removed (a leak per
		// wake-up).
		r.dropWaiter(activityARN, wake)
		if done {
			return store.Task{}, false, err
		}
	}
}

// activityWaiterCount is how many GetActivityTask long polls of an
// activity wait to be woken; a test checks that none is left behind.
func (r *Runner) activityWaiterCount(arn string) int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return len(r.activityWaiters[arn])
}

func (r *Runner) activityWaiter(arn string) chan struct{} {
	ch := make(chan struct{}, 1)
	r.mu.Lock()
	r.activityWaiters[arn] = append(r.activityWaiters[arn], ch)
	r.mu.Unlock()
	return ch
}

func (r *Runner) dropWaiter(arn string, ch chan struct{}) {
	r.mu.Lock()
	defer r.mu.Unlock()
	list := r.activityWaiters[arn]
	for i, c := range list {
		if c == ch {
			r.activityWaiters[arn] = append(list[:i], list[i+1:]...)
			break
		}
	}
	if len(r.activityWaiters[arn]) == 0 {
		delete(r.activityWaiters, arn)
	}
}

// wakeActivity wakes the long polls of an activity: a task was queued.
func (r *Runner) wakeActivity(arn string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	for _, ch := range r.activityWaiters[arn] {
		select {
		case ch <- struct{}{}:
		default:
		}
	}
}
