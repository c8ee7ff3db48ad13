// Package runtime carries out executions over time: it drives the engine
// for Standard executions durably (commit each step's events, state and
// commands in one store transaction, then act on the commands), claims
// due work (task invocations, timers) with leases from the store, runs the
// workers and the scheduler that do it, and runs Express executions and
// in-process runs ([RunLocal]) in memory.
//
// It knows nothing of the AWS API: package service, the application
// facade, validates requests, builds ARNs, maps errors to AWS's shapes and
// calls the runtime. The one thing the runtime asks of the facade is the
// StartExecution action itself, for the Task states that start nested
// executions: [Config.Starter].
//
// The runtime carries out some tasks itself rather than through
// [Config.Invoker]: activities and task tokens, and nested executions
// (states:startExecution, whose .sync parents wait for their children
// through parked work items; see nested.go). The mocked states of a test
// case ([Config.TestCase]) are answered ahead of everything else.
package runtime
