// Package enginetest runs executions of the engine in-process with a fake
// clock, for tests and for the conformance command: timers fire as soon as
// nothing else is pending, with the clock jumped to their due time, and
// tasks are answered by a function.
package enginetest
