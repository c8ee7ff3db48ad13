// Package loop is the command loop that drives one execution of the
// engine in memory: it starts the execution, carries out the commands
// each step returns (invocations, timers, cancellations), waits for the
// next event on an injected [Clock], and feeds it back, until the
// execution ends.
//
// Everything that waits on the outside world (task invocations,
// activities, callbacks, nested executions) goes through one [Invoker],
// which answers an invocation with the events the engine receives
// (TaskStarted, TaskSubmitted, TaskSucceeded, ...). The in-process runner
// behind `stepwise run`, `stepwise test` and the server's Express
// executions (runtime.RunLocal) and the test driver (enginetest) both run
// on [Run], so timers and nested executions behave the same in them. The
// durable runtime waits its own way (store rows and leases) but classifies
// and carries out a committed step's commands with the same [Dispatch].
//
// The package imports the engine and the standard library only, so that
// engine's own test packages can use it.
package loop
