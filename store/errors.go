package store

import "errors"

// ErrNotFound is returned when the state machine, revision, execution,
// activity, task token or work item asked for does not exist, and by
// [Store.ClaimActivityTask] when no task is waiting.
var ErrNotFound = errors.New("store: not found")

// ErrAlreadyExists is returned when creating a state machine or activity
// whose name or ARN is taken, an execution whose ARN is taken, or a
// revision whose id is taken. Create methods return the existing entity
// alongside it, so the caller can decide whether the request was an
// idempotent repeat.
var ErrAlreadyExists = errors.New("store: already exists")

// ErrConflict is returned by [Store.Commit] when the execution's Version is
// not the commit's ExpectedVersion: another step was committed first.
// Nothing of the commit was written.
var ErrConflict = errors.New("store: version conflict")

// ErrInvalidToken is returned by list and history methods when NextToken
// was not produced by the same kind of listing of this store.
var ErrInvalidToken = errors.New("store: invalid pagination token")

// ErrLeaseLost is returned by [Store.ExtendLease] and [Store.ReleaseWork]
// when the work item is leased to another owner (or to nobody): the
// caller's lease expired and the item was claimed again or released.
var ErrLeaseLost = errors.New("store: lease lost")

// ErrClosed is returned by every method of a store after Close.
var ErrClosed = errors.New("store: closed")

// ErrStateMachineDeleting is returned by [Store.Commit] when Start names a
// state machine that is being deleted (status DELETING): it takes no new
// executions. Nothing of the commit was written.
var ErrStateMachineDeleting = errors.New("store: state machine is being deleted")

// ErrTaskClosed is returned by [Store.Commit] when a token of CloseTasks
// names no open task: the task was finished by another commit, or never
// existed. Nothing of the commit was written.
var ErrTaskClosed = errors.New("store: task closed")
