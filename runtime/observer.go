package runtime

import (
	"time"

	"stepwise/store"
)

// Observer is told what the runtime does, for metrics. Its methods are
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

// NopObserver is an Observer that ignores everything: the Observer of a
// Runner configured without one.
type NopObserver struct{}

func (NopObserver) ExecutionStarted(string)                                     {}
func (NopObserver) ExecutionEnded(string, store.ExecutionStatus, time.Duration) {}
func (NopObserver) StateTransitions(string, int)                                {}
func (NopObserver) TaskDone(string, time.Duration, error)                       {}
func (NopObserver) Committed(time.Duration, error)                              {}
