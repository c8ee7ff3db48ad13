package service

import (
	"time"

	"stepwise/store"
)

// Observer is told what the service does, for metrics. Its methods are
// called from many goroutines at once and must return quickly.
type Observer interface {
	// ExecutionStarted is called when an execution is created.
	ExecutionStarted(stateMachineARN string)
	// ExecutionEnded is called when an execution ends, with how long it ran.
	ExecutionEnded(stateMachineARN string, status store.ExecutionStatus, d time.Duration)
	// StateTransitions is called with the number of states entered in a step.
	StateTransitions(stateMachineARN string, n int)
	// TaskDone is called when a task invocation returns; err is its failure.
	TaskDone(resource string, d time.Duration, err error)
	// Committed is called after each store commit of a step.
	Committed(d time.Duration, err error)
}

// nopObserver is the Observer of a Service configured without one.
type nopObserver struct{}

func (nopObserver) ExecutionStarted(string)                                     {}
func (nopObserver) ExecutionEnded(string, store.ExecutionStatus, time.Duration) {}
func (nopObserver) StateTransitions(string, int)                                {}
func (nopObserver) TaskDone(string, time.Duration, error)                       {}
func (nopObserver) Committed(time.Duration, error)                              {}
