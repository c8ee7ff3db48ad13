// Package store defines how Stepwise persists state machines, executions,
// their history, pending work (task invocations and timers), activities,
// task tokens and tags: the domain types, the [Store] interface every
// backend implements, and the sentinel errors backends return.
//
// Backends live in subpackages named for what they talk to: store/sqlite
// (the embedded default), store/memory (Express executions and tests).
// store/storetest is the contract suite every backend passes.
//
// # Writing an execution step
//
// The service commits each engine step with one [Store.Commit]: the history
// events, the new engine state, the execution's end (if it ended), the new
// work items and the removal of the consumed ones, all or nothing, guarded
// by the execution's Version (optimistic concurrency: a stale
// ExpectedVersion gives [ErrConflict] and writes nothing). Only after Commit
// returns nil does the service carry out the new work. Starting an
// execution is a Commit with Start set, so the first step is atomic with
// the creation.
//
// # Work items and leases
//
// A [WorkItem] is a task invocation, a timer or any other pending action of
// an execution. It becomes claimable at its Due time. [Store.ClaimWork]
// hands due items to one owner under a lease: until the lease expires no
// other claimant gets the item; once it expires the item can be claimed
// again (and so is carried out at least once). The Commit that consumes an
// item deletes it (Commit.DoneWork). Timers of a million parked executions
// are a million rows, found through an index on the time they become
// claimable.
//
// # Times
//
// Backends keep times to the nanosecond, in UTC, without a monotonic
// reading; a zero [time.Time] stays zero. Compare times with
// [time.Time.Equal].
package store
