package store

import (
	"context"
	"time"
)

// Store persists everything Stepwise must not lose. Implementations are safe
// for concurrent use by multiple goroutines; returned values are owned by
// the caller, and values passed in are not retained. Every method returns
// [ErrClosed] after Close, and a wrapped ctx.Err() when ctx ends first (a
// write interrupted this way may or may not have been applied).
type Store interface {
	StateMachines
	Versions
	Executions
	Work
	Activities
	Tags
	Secrets

	// Close releases the store's resources, after finishing the writes it
	// has accepted. It is idempotent.
	Close() error
}

// StateMachines stores state machines and their revisions.
type StateMachines interface {
	// CreateStateMachine stores a new state machine with its first revision
	// (sm.RevisionID, made at sm.CreationDate) and tags, and returns it. If
	// the name or ARN is taken it returns the existing state machine and
	// ErrAlreadyExists.
	CreateStateMachine(ctx context.Context, sm StateMachine, tags []Tag) (StateMachine, error)
	// GetStateMachine returns the latest revision of a state machine, or
	// ErrNotFound.
	GetStateMachine(ctx context.Context, arn string) (StateMachine, error)
	// GetStateMachineRevision returns the given revision of a state machine,
	// with the machine's current Status and Description, or ErrNotFound.
	GetStateMachineRevision(ctx context.Context, arn, revisionID string) (StateMachine, error)
	// UpdateStateMachine applies u (see [StateMachineUpdate]) and returns the
	// latest revision. It returns ErrNotFound for an unknown ARN and
	// ErrAlreadyExists if u.RevisionID names an existing revision. With
	// u.Publish it also publishes the new revision in the same transaction
	// (errors as [Versions.PublishStateMachineVersion]) and returns its
	// ARN in VersionARN.
	UpdateStateMachine(ctx context.Context, u StateMachineUpdate) (StateMachine, error)
	// DeleteStateMachine deletes a state machine, or returns ErrNotFound.
	// In one transaction it checks whether an execution of the machine is
	// RUNNING: if one is, the machine only becomes DELETING (it takes no new
	// executions, see [Commit.Start]) and the Commit that ends its last
	// running execution deletes it; otherwise the machine, its revisions,
	// versions, aliases and tags are deleted at once. Executions are kept.
	DeleteStateMachine(ctx context.Context, arn string) error
	// ListStateMachines lists state machines (latest revisions, without
	// Definition) in creation order. It returns the next page's token, empty
	// after the last page, or ErrInvalidToken.
	ListStateMachines(ctx context.Context, p Page) ([]StateMachine, string, error)
}

// Executions stores executions and their histories.
type Executions interface {
	// Commit applies one execution step atomically (see [Commit]). It
	// returns ErrConflict if the execution's Version is not
	// c.ExpectedVersion, ErrNotFound if it does not exist (or c.Start names
	// a state machine that does not), ErrStateMachineDeleting if c.Start's
	// state machine is DELETING, ErrTaskClosed if a token of c.CloseTasks
	// has no open task, ErrAlreadyExists if c.Start names an existing
	// execution or an added task token or event id exists; in all these
	// cases nothing is written. The state machine check of c.Start is part
	// of the transaction, so a start never outlives a concurrent
	// DeleteStateMachine's decision.
	//
	// A commit that ends the last RUNNING execution of a DELETING state
	// machine also deletes the machine (see DeleteStateMachine); a backend
	// that does this in a second transaction finishes it when it is opened
	// again if it crashed in between.
	//
	// Backends may batch concurrent commits into one durable transaction
	// (group commit); each caller still gets its own result, and a failing
	// commit never affects the others in its batch. Callers gain throughput
	// by committing from many goroutines at once.
	Commit(ctx context.Context, c Commit) error
	// GetExecution returns an execution, with its State, or ErrNotFound.
	GetExecution(ctx context.Context, arn string) (Execution, error)
	// ListExecutions lists the executions of a state machine (or of one
	// of its versions or aliases, see [ExecutionQuery]), newest
	// (last created) first, without Input, Output and State. It returns the
	// next page's token, empty after the last page, or ErrInvalidToken.
	ListExecutions(ctx context.Context, q ExecutionQuery) ([]Execution, string, error)
	// History lists the history events of an execution in id order (or
	// reverse). It returns the next page's token, empty after the last page;
	// ErrNotFound for an unknown execution; ErrInvalidToken.
	History(ctx context.Context, q HistoryQuery) ([]Event, string, error)
	// GetMapRun returns a Map Run as the last Commit that named it wrote
	// it, or ErrNotFound.
	GetMapRun(ctx context.Context, arn string) (MapRun, error)
	// ListMapRuns lists the Map Runs of an execution, latest StartDate
	// first and then by ARN. It returns the next page's token, empty after
	// the last page; ErrNotFound for an unknown execution;
	// ErrInvalidToken.
	ListMapRuns(ctx context.Context, executionARN string, p Page) ([]MapRun, string, error)
}

// Work hands pending work items to workers under leases, and answers for
// task tokens.
type Work interface {
	// ClaimWork leases up to c.Limit items whose ReadyAt is at or before
	// c.Now to c.Owner until c.Now+c.Lease, earliest ReadyAt first, and
	// returns them with their new lease. No two claimants get the same item
	// while its lease is live.
	ClaimWork(ctx context.Context, c Claim) ([]WorkItem, error)
	// ExtendLease moves the lease expiry of an item the owner holds to
	// until. It returns ErrNotFound if the item is gone (consumed) and
	// ErrLeaseLost if the owner no longer holds it.
	ExtendLease(ctx context.Context, executionARN, id, owner string, until time.Time) error
	// ReleaseWork gives up the owner's lease and sets the item's Due to
	// readyAt, when it becomes claimable again (the current time retries at
	// once, a later one backs off). The claim given back is not counted in
	// Claims: only claims whose lease ran out (a crash, a hang) or whose
	// item was never released stay counted. Errors as for ExtendLease.
	ReleaseWork(ctx context.Context, executionARN, id, owner string, readyAt time.Time) error
	// ReleaseLeases gives up every lease held by owner, or by anyone when
	// owner is empty, making those items claimable at once; it returns how
	// many it released. A node calls it when it starts, for the leases its
	// previous run held when it crashed (an empty owner only where the
	// store has no other user, see [Exclusive]).
	ReleaseLeases(ctx context.Context, owner string) (int, error)
	// NextWorkTime returns the earliest ReadyAt of all work items, and false
	// if there are none, so a scheduler can sleep until then.
	NextWorkTime(ctx context.Context) (time.Time, bool, error)
	// ListWork returns all work items of an execution, by id. An unknown
	// execution has none.
	ListWork(ctx context.Context, executionARN string) ([]WorkItem, error)
	// GetTask returns the task with this token, or ErrNotFound (the token
	// never existed, or its task was finished by a Commit's DoneTasks).
	GetTask(ctx context.Context, token string) (Task, error)
	// ClaimActivityTask gives the oldest unclaimed task of an activity to a
	// worker, marking it claimed at now, or returns ErrNotFound if none is
	// waiting. No two calls get the same task. Waiting for a task to arrive
	// (long polling) is the caller's job.
	ClaimActivityTask(ctx context.Context, activityARN, workerName string, now time.Time) (Task, error)
}

// Activities stores activities.
type Activities interface {
	// CreateActivity stores a new activity with its tags and returns it. If
	// the name or ARN is taken it returns the existing activity and
	// ErrAlreadyExists.
	CreateActivity(ctx context.Context, a Activity, tags []Tag) (Activity, error)
	// GetActivity returns an activity, or ErrNotFound.
	GetActivity(ctx context.Context, arn string) (Activity, error)
	// DeleteActivity deletes an activity and its tags, or returns
	// ErrNotFound. Its queued tasks are kept until their executions finish
	// them.
	DeleteActivity(ctx context.Context, arn string) error
	// ListActivities lists activities in creation order. It returns the
	// next page's token, empty after the last page, or ErrInvalidToken.
	ListActivities(ctx context.Context, p Page) ([]Activity, string, error)
}

// Tags stores the tags of state machines and activities.
type Tags interface {
	// TagResource adds tags to a state machine or activity, replacing the
	// values of keys it has. It returns ErrNotFound for an unknown ARN.
	TagResource(ctx context.Context, arn string, tags []Tag) error
	// UntagResource removes the tags with these keys; absent keys are
	// ignored. It returns ErrNotFound for an unknown ARN.
	UntagResource(ctx context.Context, arn string, keys []string) error
	// ListTags returns the tags of a state machine or activity sorted by
	// key, or ErrNotFound.
	ListTags(ctx context.Context, arn string) ([]Tag, error)
}

// Secrets keeps the server's own secrets, such as the key that signs
// pagination tokens, so that every node of a cluster and every restart
// uses the same one.
type Secrets interface {
	// ServerSecret returns the secret called name. The first call for a
	// name creates it from crypto/rand, [SecretSize] bytes, in one
	// transaction: of callers racing on a new name, on one node or many,
	// all get the same bytes. The caller owns the returned slice.
	ServerSecret(ctx context.Context, name string) ([]byte, error)
}

// SecretSize is the length in bytes of the secrets [Secrets.ServerSecret]
// creates: 256 bits, the key size of HMAC-SHA256.
const SecretSize = 32

// Exclusive is an optional interface of a [Store] that may know that no
// other process uses its data (an embedded database under an exclusive
// lock): every lease it holds was then taken by an earlier run of this
// process.
type Exclusive interface {
	// Exclusive reports whether this Store is the only user of its data.
	Exclusive() bool
}
