// Package service runs executions: it drives the engine, carries out its
// commands (task invocations, timers) and feeds their outcomes back.
//
// [RunLocal] runs one execution in-process, as `stepwise run` does; the
// durable, store-backed service of Standard executions builds on the same
// engine contract (see package engine: commit the step's events and state,
// then act on its commands).
//
// The service carries out some tasks itself rather than through
// [Config.Invoker]: activities and task tokens, and nested executions
// (states:startExecution, whose .sync parents wait for their children
// through parked work items; see nested.go). [Config.Mocks] runs the test
// cases of a Step Functions Local mock configuration (StartExecution of
// "ARN#TEST_CASE").
package service
