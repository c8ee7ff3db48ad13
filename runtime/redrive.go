package runtime

import (
	"context"
	"errors"
	"fmt"
	"time"

	"stepwise/engine"
	"stepwise/store"
)

// RedriveWindow is how long after it ended an execution can be redriven:
// AWS's 14 days.
const RedriveWindow = 14 * 24 * time.Hour

// MaxRedrives is how many times AWS lets one execution be redriven.
const MaxRedrives = 1000

// ErrNotRedrivable is returned (wrapped, with AWS's reason as the rest of
// the message, see [RedriveReason]) by [Runner.Redrive] for an execution
// that cannot be redriven.
var ErrNotRedrivable = errors.New("runtime: execution cannot be redriven")

// RedriveStatus is what DescribeExecution reports of an execution's
// redrive: REDRIVABLE or NOT_REDRIVABLE and, when not, why.
type RedriveStatus struct {
	Redrivable bool
	// Reason is AWS's redriveStatusReason, empty when Redrivable.
	Reason string
}

// The reasons AWS gives for an execution that cannot be redriven
// (DescribeExecution's redriveStatusReason, as the API reference lists
// them; also the message of ExecutionNotRedrivable). AWS lists none for
// the redrive quota, for Express executions, or for an ended execution
// with nothing to run again; those three are Stepwise's words. An
// execution that ended before Stepwise kept redrive state has the reason
// AWS gives for one that ended before RedriveExecution existed.
const (
	reasonRunning   = "Execution is RUNNING and cannot be redriven."
	reasonSucceeded = "Execution is SUCCEEDED and cannot be redriven."
	reasonTooOld    = "Execution was started before the launch of RedriveExecution."
	reasonHistory   = "Execution history event limit exceeded."
	reasonMaxTime   = "Execution has exceeded the max execution time."
	reasonExpired   = "Execution redrivable period exceeded."
	reasonCount     = "Execution has reached the maximum redrive count of 1000."
	reasonExpress   = "Express executions cannot be redriven."
	reasonNothing   = "Execution has no unsuccessful state to redrive."
	// ReasonDeleting is AWS's reason for an execution whose state machine
	// is being deleted; the service checks it.
	ReasonDeleting = "State machine is in DELETING status."
)

// maxExecutionTime is a Standard execution's longest run: one year,
// counted from its start, redrives included.
const maxExecutionTime = 365 * 24 * time.Hour

// RedriveStatus reports whether exec (as GetExecution returns it, with
// its State) can be redriven now, and if not why, as DescribeExecution's
// redriveStatus and redriveStatusReason do.
func (r *Runner) RedriveStatus(ctx context.Context, exec store.Execution) RedriveStatus {
	if reason := checkRow(exec, r.now()); reason != "" {
		return RedriveStatus{Reason: reason}
	}
	sm, err := r.revision(ctx, exec.StateMachineARN, exec.RevisionID)
	if errors.Is(err, store.ErrNotFound) {
		return RedriveStatus{Reason: ReasonDeleting} // its machine is gone
	}
	if err != nil {
		return RedriveStatus{Reason: reasonNothing}
	}
	m, err := r.machine(sm, true)
	if err != nil {
		return RedriveStatus{Reason: reasonNothing}
	}
	st, err := m.LoadState(exec.State)
	if err != nil {
		return RedriveStatus{Reason: reasonTooOld}
	}
	return redriveStatus(m, st)
}

// checkRow returns why the execution row exec cannot be redriven at now,
// or "" when its row allows it (the engine state still decides).
func checkRow(exec store.Execution, now time.Time) string {
	switch {
	case exec.Status == store.ExecutionRunning:
		return reasonRunning
	case exec.Status == store.ExecutionSucceeded:
		return reasonSucceeded
	case now.Sub(exec.StopDate) > RedriveWindow:
		return reasonExpired
	case now.Sub(exec.StartDate) > maxExecutionTime:
		return reasonMaxTime
	case exec.RedriveCount >= MaxRedrives:
		return reasonCount
	}
	return ""
}

// redriveStatus is the engine's verdict on st, with AWS's reasons.
func redriveStatus(m *engine.Machine, st *engine.State) RedriveStatus {
	err := m.CheckRedrive(st)
	switch {
	case err == nil:
		return RedriveStatus{Redrivable: true}
	case st.Exec.Express:
		return RedriveStatus{Reason: reasonExpress}
	case st.Status == engine.StatusRunning:
		// The store says it ended, the engine state does not: it was
		// abandoned (see abandon.go) without the engine.
		return RedriveStatus{Reason: reasonNothing}
	case errors.Is(err, engine.ErrHistoryFull):
		return RedriveStatus{Reason: reasonHistory}
	}
	// An ended execution always keeps its unsuccessful threads, except
	// one that ended before Stepwise kept them.
	return RedriveStatus{Reason: reasonTooOld}
}

// Redrive restarts the Standard execution arn, which ended FAILED,
// TIMED_OUT or ABORTED, from its unsuccessful states (see
// [engine.Machine.Redrive]). The redrive and its first step (events, state
// and commands) are committed in one transaction before it returns, so a
// crash after it resumes the execution like any step. It returns the
// execution as committed.
//
// A non-empty token makes a retried request idempotent: when the
// execution's last redrive was made with token, Redrive returns the
// execution as it is and redrives nothing. Of concurrent redrives of one
// execution exactly one commits; the others see it RUNNING (or their own
// token). Errors wrap [store.ErrNotFound] for an unknown execution and
// [ErrNotRedrivable], with AWS's reason, for one that cannot be redriven.
func (r *Runner) Redrive(ctx context.Context, arn, token string) (store.Execution, error) {
	unlock := r.lock(arn)
	defer unlock()
	for range maxStepAttempts {
		exec, err := r.store.GetExecution(ctx, arn)
		if err != nil {
			return store.Execution{}, fmt.Errorf("redrive %s: %w", arn, err)
		}
		if token != "" && exec.RedriveToken == token {
			exec.State = nil
			return exec, nil
		}
		c, st, err := r.redriveCommit(ctx, exec, token)
		if err != nil {
			return store.Execution{}, err
		}
		err = r.commit(ctx, c)
		if errors.Is(err, store.ErrConflict) {
			continue // another step or redrive went first: look again
		}
		if err != nil {
			return store.Execution{}, fmt.Errorf("commit redrive of %s: %w", arn, err)
		}
		r.forget(arn)
		r.observe(c, st)
		r.committed(c)
		exec.Version++
		exec.State = nil
		exec.Status, exec.Output, exec.Error, exec.Cause, exec.StopDate = store.ExecutionRunning, "", "", "", time.Time{}
		exec.RedriveCount, exec.RedriveDate, exec.RedriveToken = c.Redrive.Count, c.Redrive.Date, token
		if c.End != nil {
			exec.Status, exec.Output, exec.Error, exec.Cause, exec.StopDate = c.End.Status, c.End.Output, c.End.Error, c.End.Cause, c.End.StopDate
		}
		return exec, nil
	}
	return store.Execution{}, fmt.Errorf("redrive %s: %w after %d attempts", arn, store.ErrConflict, maxStepAttempts)
}

// redriveCommit checks exec and builds the commit of its redrive.
func (r *Runner) redriveCommit(ctx context.Context, exec store.Execution, token string) (store.Commit, *engine.State, error) {
	arn, now := exec.ARN, r.now()
	notRedrivable := func(reason string) (store.Commit, *engine.State, error) {
		return store.Commit{}, nil, fmt.Errorf("redrive %s: %w: %s", arn, ErrNotRedrivable, reason)
	}
	if reason := checkRow(exec, now); reason != "" {
		return notRedrivable(reason)
	}
	sm, err := r.revision(ctx, exec.StateMachineARN, exec.RevisionID)
	if err != nil {
		return store.Commit{}, nil, fmt.Errorf("load definition of %s: %w", arn, err)
	}
	m, err := r.machine(sm, true)
	if err != nil {
		return store.Commit{}, nil, err
	}
	st, err := m.LoadState(exec.State)
	if err != nil {
		return store.Commit{}, nil, fmt.Errorf("load state of %s: %w", arn, err)
	}
	if s := redriveStatus(m, st); !s.Redrivable {
		return notRedrivable(s.Reason)
	}
	out, err := m.Redrive(st, now)
	if err == nil {
		out, err = r.fireDue(m, st, out)
	}
	if err != nil {
		return store.Commit{}, nil, fmt.Errorf("redrive %s: %w", arn, err)
	}
	c := store.Commit{ExecutionARN: arn, ExpectedVersion: exec.Version,
		Redrive: &store.Redrive{Count: exec.RedriveCount + 1, Date: now, Token: token}}
	if err := r.fill(&c, st, out); err != nil {
		return store.Commit{}, nil, err
	}
	if c.End != nil && exec.ParentExecutionARN != "" {
		c.WakeWork = append(c.WakeWork, parentWorkID)
	}
	return c, st, nil
}
