// Package asl parses and validates Amazon States Language definitions.
//
// [Parse] turns definition text into an immutable, compiled [StateMachine]:
// every path, reference path, payload template and intrinsic function call
// is parsed once here, so executions never re-parse their definition.
// [Validate] returns every problem at once as [Diagnostic] values shaped like
// the diagnostics of AWS's ValidateStateMachineDefinition (severity, code,
// message, location such as /States/Check/Next).
//
// The package does no I/O; it is safe for concurrent use, and a parsed
// StateMachine may be shared by any number of goroutines.
package asl
