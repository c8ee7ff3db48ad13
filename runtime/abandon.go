package runtime

import (
	"context"
	"errors"
	"fmt"

	"stepwise/history"
	"stepwise/store"
)

// abandon fails the execution of a work item that was claimed more than
// Config.MaxAttempts times without being consumed: each attempt crashed
// the process, panicked or failed to commit. Running it once more could
// take the server down again, so the execution ends without the engine,
// with States.Runtime as AWS reports failures of its own.
func (r *Runner) abandon(ctx context.Context, item store.WorkItem) error {
	cause := fmt.Sprintf("Execution abandoned: its work item %s (%s) was attempted %d times and failed or crashed every time",
		item.ID, item.Kind, item.Claims-1)
	r.log.Error("abandoning execution after repeated failures", "execution_arn", item.ExecutionARN, "work_id", item.ID,
		"attempts", item.Claims-1)
	return r.endWithout(ctx, item.ExecutionARN, store.ExecutionFailed, errorRuntime, cause, []string{item.ID})
}

// errorRuntime is the error of failures that are the runtime's, not the
// workflow's.
const errorRuntime = "States.Runtime"

// endWithout ends a running execution with status, error and cause
// without stepping the engine (which may be what fails, or whose
// definition may be gone), writing the closing history event itself and
// removing all of the execution's work items. An execution that has ended
// already only has the items of done removed.
func (r *Runner) endWithout(ctx context.Context, arn string, status store.ExecutionStatus, errName, cause string, done []string) error {
	unlock := r.lock(arn)
	defer unlock()
	defer r.forget(arn)
	for range maxStepAttempts {
		e, err := r.store.GetExecution(ctx, arn)
		if err != nil {
			return fmt.Errorf("end %s: %w", arn, err)
		}
		c := store.Commit{ExecutionARN: arn, ExpectedVersion: e.Version, DoneWork: done}
		if e.Status == store.ExecutionRunning {
			if err := r.fillEnd(ctx, &c, e, status, errName, cause); err != nil {
				return err
			}
		}
		err = r.commit(ctx, c)
		if errors.Is(err, store.ErrConflict) {
			continue
		}
		if err != nil {
			return fmt.Errorf("end %s: %w", arn, err)
		}
		if c.End != nil {
			r.forgetMocks(arn)
			r.cfg.Observer.ExecutionEnded(e.StateMachineARN, status, c.End.StopDate.Sub(e.StartDate))
		}
		r.committed(c)
		return nil
	}
	return fmt.Errorf("end %s: %w after %d attempts", arn, store.ErrConflict, maxStepAttempts)
}

// fillEnd adds to c the end of the running execution e: its last history
// event, the end itself, and the removal of every work item.
func (r *Runner) fillEnd(ctx context.Context, c *store.Commit, e store.Execution, status store.ExecutionStatus, errName, cause string) error {
	last, _, err := r.store.History(ctx, store.HistoryQuery{ExecutionARN: e.ARN, Reverse: true, Page: store.Page{MaxResults: 1}})
	if err != nil {
		return fmt.Errorf("end %s: %w", e.ARN, err)
	}
	var prev int64
	if len(last) > 0 {
		prev = last[0].ID
	}
	now := r.now()
	ev := history.Event{ID: prev + 1, PreviousEventID: prev, Timestamp: now}
	if status == store.ExecutionAborted {
		ev.Type, ev.Details = history.ExecutionAborted, &history.ExecutionAbortedEventDetails{Error: errName, Cause: cause}
	} else {
		ev.Type, ev.Details = history.ExecutionFailed, &history.ExecutionFailedEventDetails{Error: errName, Cause: cause}
	}
	data, err := ev.MarshalJSON()
	if err != nil {
		return fmt.Errorf("encode event: %w", err)
	}
	c.Events = append(c.Events, store.Event{ID: ev.ID, Time: now, Type: string(ev.Type), JSON: data})
	c.End = &store.End{Status: status, Error: errName, Cause: cause, StopDate: now}
	items, err := r.store.ListWork(ctx, e.ARN)
	if err != nil {
		return fmt.Errorf("end %s: %w", e.ARN, err)
	}
	for _, it := range items {
		if it.ID == parentWorkID {
			continue // it tells the parent: wake it instead
		}
		c.DoneWork = append(c.DoneWork, it.ID)
	}
	if e.ParentExecutionARN != "" {
		c.WakeWork = append(c.WakeWork, parentWorkID)
	}
	return nil
}
