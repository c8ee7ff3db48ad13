// Package engine is the Amazon States Language interpreter. It does no I/O:
// given a compiled state machine, an execution's [State] and one input
// [Event], [Machine.Step] returns the history events to append and the
// [Command]s to carry out, and updates the State.
//
// Time, randomness (retry jitter, task tokens) and task results come in as
// inputs, so equal inputs always give equal outputs; this is what makes an
// execution replayable after a crash and every ASL rule testable with plain
// table tests.
//
// The caller's duties, for each Step:
//
//  1. Persist the returned Events and the updated State, and the Commands,
//     in one transaction (for durable executions), before doing anything
//     else.
//  2. Then carry out the Commands: invoke tasks, arm timers.
//  3. Feed each outcome (a task result, a timer firing, a stop request) back
//     as the next Event.
//
// A Machine is immutable and safe for concurrent use. A State is owned by
// one caller at a time and is not safe for concurrent use.
package engine
