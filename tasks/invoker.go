package tasks

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
)

// Request is one invocation of a Task state.
type Request struct {
	StateName string
	// Resource is the Task state's Resource ARN.
	Resource string
	// Input is the effective parameters, in the jsonval model.
	Input any
	// TaskToken is set for .waitForTaskToken tasks and activities.
	TaskToken        string
	TimeoutSeconds   int64
	HeartbeatSeconds int64
	Credentials      any
	// MapIO, for a distributed Map's S3 access, is the Map field it
	// carries out: MapItemReader or MapResultWriter. It is empty for a
	// Task state.
	MapIO string
}

// The Map fields whose S3 access is carried out as a [Request].
const (
	MapItemReader   = "ItemReader"
	MapResultWriter = "ResultWriter"
)

// Invoker carries out Task invocations.
//
// Invoke returns the task's result (in the jsonval model) or an error. An
// *[Error] is a task failure with an ASL error name, which Retry and Catch
// match; any other error is reported as States.TaskFailed with the error's
// text as the cause. Invoke must return promptly when ctx is cancelled;
// what it returns then is discarded. Implementations are safe for
// concurrent use.
type Invoker interface {
	Invoke(ctx context.Context, req Request) (any, error)
}

// Error is a task failure: Name is the error name Retry and Catch match
// ("States.TaskFailed", "Lambda.Unknown", a function's errorType, ...) and
// Cause its cause.
type Error struct {
	Name  string
	Cause string
}

func (e *Error) Error() string { return e.Name + ": " + e.Cause }

// ErrorTaskFailed is the error name of a task failure with no name of its
// own.
const ErrorTaskFailed = "States.TaskFailed"

// AsError returns err as a task failure: an *Error unchanged, anything else
// as States.TaskFailed.
func AsError(err error) *Error {
	var te *Error
	if errors.As(err, &te) {
		return te
	}
	return &Error{Name: ErrorTaskFailed, Cause: err.Error()}
}

// Func adapts a function to the [Invoker] interface.
type Func func(ctx context.Context, req Request) (any, error)

// Invoke calls f.
func (f Func) Invoke(ctx context.Context, req Request) (any, error) { return f(ctx, req) }

var _ Invoker = Func(nil)

// Memory is an [Invoker] that answers from functions registered by name.
// A Task reaches the function registered under its full Resource, or under
// the last segment of it (the function name of a Lambda ARN, the activity
// name, the action of an integration). It is safe for concurrent use.
type Memory struct {
	mu    sync.RWMutex // guards funcs
	funcs map[string]Func
}

var _ Invoker = (*Memory)(nil)

// NewMemory returns an empty Memory invoker.
func NewMemory() *Memory {
	return &Memory{funcs: map[string]Func{}}
}

// Register makes f answer tasks whose resource is, or ends in, name.
func (m *Memory) Register(name string, f Func) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.funcs[name] = f
}

// ErrNoInvoker is the cause of a task whose resource nothing answers.
var ErrNoInvoker = errors.New("tasks: no invoker for this resource")

// Invoke calls the function registered for req.Resource.
func (m *Memory) Invoke(ctx context.Context, req Request) (any, error) {
	m.mu.RLock()
	f, ok := m.funcs[req.Resource]
	if !ok {
		f, ok = m.funcs[lastSegment(req.Resource)]
	}
	m.mu.RUnlock()
	if !ok {
		return nil, &Error{Name: ErrorTaskFailed, Cause: fmt.Sprintf("%v: %s", ErrNoInvoker, req.Resource)}
	}
	return f(ctx, req)
}

// lastSegment returns what follows the last ':' of a resource ARN.
func lastSegment(resource string) string {
	if i := strings.LastIndexByte(resource, ':'); i >= 0 {
		return resource[i+1:]
	}
	return resource
}
