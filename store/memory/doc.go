// Package memory is an in-memory [store.Store]: for Express executions,
// `stepwise run` and tests. Nothing survives Close or the process. It
// starts no goroutines.
package memory
