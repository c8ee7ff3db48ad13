package dataflow

import "fmt"

// AWS error names produced by this package.
const (
	ErrorRuntime                = "States.Runtime"
	ErrorIntrinsicFailure       = "States.IntrinsicFailure"
	ErrorParameterPathFailure   = "States.ParameterPathFailure"
	ErrorResultPathMatchFailure = "States.ResultPathMatchFailure"
)

// Failure is a States.* runtime error raised while evaluating data flow: the
// engine turns it into a failed state that Retry and Catch can match. Name
// is the AWS error name (the "error" of the failed execution; a Go type
// cannot have both a field and a method called Error) and Cause AWS's cause
// text.
type Failure struct {
	Name  string
	Cause string
	// Location is the field that failed, for a JSONata field
	// ("Output/result"); empty otherwise.
	Location string
}

// Error returns "Name: Cause", so that a *Failure is a Go error.
func (f *Failure) Error() string {
	return f.Name + ": " + f.Cause
}

// InState returns a copy of f whose cause carries the prefix AWS adds to
// States.Runtime failures of a state:
// "An error occurred while executing the state 'NAME' (entered at the event
// id #ID). ". Other failures are returned unchanged.
func (f *Failure) InState(name string, enteredEventID int64) *Failure {
	if f.Name != ErrorRuntime {
		return f
	}
	return &Failure{
		Name:  f.Name,
		Cause: fmt.Sprintf("An error occurred while executing the state '%s' (entered at the event id #%d). %s", name, enteredEventID, f.Cause),
	}
}

func runtimeFailure(format string, args ...any) *Failure {
	return &Failure{Name: ErrorRuntime, Cause: fmt.Sprintf(format, args...)}
}

// SyntaxError reports a path, template or intrinsic function call that does
// not compile. Its message is meant for a definition-validation diagnostic.
type SyntaxError struct {
	Kind   string // "path", "reference path", "intrinsic function", "template"
	Text   string // the text that failed to compile
	Offset int    // byte offset in Text where the problem was found, or -1
	Msg    string // what is wrong
}

// PathError is the [SyntaxError] returned by [CompilePath] and
// [CompileReferencePath].
type PathError = SyntaxError

func (e *SyntaxError) Error() string {
	if e.Offset >= 0 {
		return fmt.Sprintf("invalid %s %q: %s (at offset %d)", e.Kind, e.Text, e.Msg, e.Offset)
	}
	return fmt.Sprintf("invalid %s %q: %s", e.Kind, e.Text, e.Msg)
}
