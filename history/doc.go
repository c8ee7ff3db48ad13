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
package history
