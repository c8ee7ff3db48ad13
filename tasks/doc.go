// Package tasks carries out the Task states of executions: one [Invoker]
// per kind of resource, chosen by the Task's Resource ARN.
//
// This package holds the interface, the task error type that Retry and
// Catch see, and an in-memory invoker for tests and in-process runs; the
// invokers that reach Lambda, HTTP endpoints, activities and other state
// machines build on it.
package tasks
