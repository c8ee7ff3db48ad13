package engine

import (
	"time"

	"stepwise/history"
)

// Status is the status of an execution.
type Status string

// Execution statuses, as the AWS API names them.
const (
	StatusRunning   Status = "RUNNING"
	StatusSucceeded Status = "SUCCEEDED"
	StatusFailed    Status = "FAILED"
	StatusTimedOut  Status = "TIMED_OUT"
	StatusAborted   Status = "ABORTED"
)

func (s Status) String() string { return string(s) }

// EventKind says what happened outside the engine.
type EventKind int

// The kinds of input events.
const (
	// TaskSucceeded: a task invoked by a CommandInvoke returned Output.
	TaskSucceeded EventKind = iota + 1
	// TaskFailed: a task failed with Error and Cause.
	TaskFailed
	// TaskSubmitted: a .sync or .waitForTaskToken task's request was
	// accepted; Output is what the request returned. The task then waits for
	// TaskSucceeded or TaskFailed.
	TaskSubmitted
	// TaskStarted: an activity worker took the task (activities only).
	TaskStarted
	// TaskHeartbeat: the worker of a task sent a heartbeat.
	TaskHeartbeat
	// TimerFired: the timer of a CommandTimer is due.
	TimerFired
	// Stop: StopExecution was called with Error and Cause.
	Stop
	// UpdateMapRun: UpdateMapRun changed the limits of the Map Run
	// MapRunARN by MapRunChange.
	UpdateMapRun
)

// Event is one input to [Machine.Step].
type Event struct {
	Kind EventKind
	// Time is when the event happened; it becomes the timestamp of the
	// history events it causes.
	Time time.Time
	// ID is the task id (Task* kinds) or the timer id (TimerFired) from the
	// Command that asked for it.
	ID           int64
	Output       any    // TaskSucceeded, TaskSubmitted
	Error, Cause string // TaskFailed, Stop
	WorkerName   string // TaskStarted
	MapRunARN    string // UpdateMapRun
	MapRunChange *MapRunChange
}

// CommandKind says what the caller must do.
type CommandKind int

// The kinds of commands.
const (
	// CommandInvoke: invoke the task described by Invoke; report the result
	// with an Event carrying the command's ID.
	CommandInvoke CommandKind = iota + 1
	// CommandTimer: deliver a TimerFired event with the command's ID at Due.
	CommandTimer
	// CommandCancel: the task or timer with the command's ID is no longer
	// wanted; results for it are ignored if they still come.
	CommandCancel
)

// Command is work the engine hands back to its caller.
type Command struct {
	Kind   CommandKind
	ID     int64
	Due    time.Time   // CommandTimer
	Invoke *Invocation // CommandInvoke
	// Token is, for a CommandCancel of a task that had a task token, that
	// token, which must no longer be accepted.
	Token string
}

// Invocation describes a task to invoke.
type Invocation struct {
	StateName        string
	Resource         string // the Task state's Resource
	Input            any    // the effective parameters (Parameters or Arguments applied)
	TimeoutSeconds   int64  // 0: none
	HeartbeatSeconds int64  // 0: none
	TaskToken        string // set for .waitForTaskToken and activities
	Credentials      any    // the evaluated Credentials, if any
	Kind             ResourceKind
}

// Output is what one Step produced.
type Output struct {
	// Events are the history events to append, in order. The caller owns
	// the slice.
	Events []history.Event
	// Commands are to be carried out only after Events and the State are
	// committed.
	Commands []Command
	// MapRuns are the distributed Maps' runs the step changed, as they
	// stand after it (mapruns.go); a durable caller stores them with the
	// step.
	MapRuns []MapRunSummary
}

// Options tune a Machine.
type Options struct {
	// NoHistory skips building history events (as for Express executions
	// that log nothing); event ids are still counted, since error causes
	// quote them.
	NoHistory bool
	// MaxEvents is the history limit; 0 means AWS's 25,000.
	MaxEvents int64
	// ResourceKind, when set, classifies Task resources before
	// [ClassifyResource] does; returning 0 defers to it. Callers use it for
	// resources whose kind their configuration knows.
	ResourceKind func(resource string) ResourceKind
}

// Error names raised by the engine.
const (
	ErrorAll                      = "States.ALL"
	ErrorTimeout                  = "States.Timeout"
	ErrorHeartbeatTimeout         = "States.HeartbeatTimeout"
	ErrorTaskFailed               = "States.TaskFailed"
	ErrorRuntime                  = "States.Runtime"
	ErrorBranchFailed             = "States.BranchFailed"
	ErrorNoChoiceMatched          = "States.NoChoiceMatched"
	ErrorDataLimitExceeded        = "States.DataLimitExceeded"
	ErrorQueryEvaluationError     = "States.QueryEvaluationError"
	ErrorExceedToleratedFailure   = "States.ExceedToleratedFailureThreshold"
	ErrorItemReaderFailed         = "States.ItemReaderFailed"
	ErrorIntrinsicFailure         = "States.IntrinsicFailure"
	ErrorParameterPathFailure     = "States.ParameterPathFailure"
	ErrorResultPathMatchFailure   = "States.ResultPathMatchFailure"
	ErrorPermissions              = "States.Permissions"
	defaultMaxEvents              = 25000
	historyLimitExceededCausePart = "The execution reached the maximum number of history events"
)
