// Package service runs executions: it drives the engine, carries out its
// commands (task invocations, timers) and feeds their outcomes back.
//
// [RunLocal] runs one execution in-process, as `stepwise run` does; the
// durable, store-backed service of Standard executions builds on the same
// engine contract (see package engine: commit the step's events and state,
// then act on its commands).
package service
