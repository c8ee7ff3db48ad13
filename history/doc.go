// Package history defines the AWS Step Functions execution history events
// and their JSON shapes, exactly as the GetExecutionHistory API returns them
// in the awsJson1_0 protocol.
//
// An [Event] carries the envelope every event shares (timestamp, type, id,
// previous event id) and exactly one details block, or none for the event
// types AWS gives no details (such as [MapStateSucceeded] or
// [ParallelStateStarted]); [DetailsField] says which, and [Event.Validate]
// checks it. Payload fields (input, output, parameters, cause, the values of
// assignedVariables) are strings holding JSON text, as on the wire.
//
// The package only describes events; it does no I/O and never reads the
// clock: the engine builds events with the timestamps it is given.
//
// # Event ids
//
// What the recordings in ../shared/conformance show (2,838 events checked)
// about numbering, for whoever emits events:
//
//   - ids run 1, 2, 3, ... without gaps, in emission order, across Map
//     iterations and Parallel branches alike.
//   - previousEventId is normally the id of the event emitted just before,
//     with these exceptions, where it is instead the previousEventId of
//     the event just before (that event is "transparent"):
//     after [ExecutionStarted] (so the first state's entered event has
//     previousEventId 0); after [MapIterationSucceeded] and
//     [MapIterationFailed] (the next iteration's [MapIterationStarted], a
//     retry's [MapStateStarted], [MapStateFailed]); after
//     [MapStateSucceeded] and [ParallelStateSucceeded] (the state's exited
//     event).
//   - [MapStateSucceeded] itself follows the last [MapIterationSucceeded]
//     normally (previousEventId = id - 1).
//   - [EvaluationFailed] right after a state's entered event takes that
//     entered event's previousEventId, except in a Wait state, whose
//     Timestamp or Seconds is evaluated after [WaitStateEntered] (then it is
//     id - 1).
//   - [MapStateFailed], [ParallelStateFailed] and task events are not
//     transparent: a Catch's exited event or [ExecutionFailed] points at
//     them.
//   - Distributed Map: [MapRunStarted] and [MapRunSucceeded] chain
//     normally; the exited event after [MapStateSucceeded] points at
//     [MapRunSucceeded] in 13 recordings and at [MapRunStarted] in 4 (AWS
//     is not deterministic there).
//   - Inline Map iterations appear one after another (all events of
//     iteration 0, then of iteration 1, ...); when one fails, the others
//     never appear. Parallel branches interleave.
package history
