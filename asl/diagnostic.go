package asl

import (
	"strings"
)

// Severity says whether a diagnostic blocks creating the state machine.
type Severity string

// The severities AWS reports.
const (
	SeverityError   Severity = "ERROR"
	SeverityWarning Severity = "WARNING"
)

// Diagnostic codes, as AWS's ValidateStateMachineDefinition names them.
const (
	CodeInvalidJSON        = "INVALID_JSON_DESCRIPTION"
	CodeMissingDescription = "MISSING_DESCRIPTION"
	CodeSchema             = "SCHEMA_VALIDATION_FAILED"
	CodeInvalidResource    = "INVALID_RESOURCE"
	CodeMissingEndState    = "MISSING_END_STATE"
	CodeDuplicateStateName = "DUPLICATE_STATE_NAME"
	CodeInvalidStateName   = "INVALID_STATE_NAME"
	CodeMissingTransition  = "MISSING_TRANSITION_TARGET"
	CodeTooDeeplyNested    = "TOO_DEEPLY_NESTED"
	CodeDuplicateLabel     = "DUPLICATE_LABEL_NAME"
	CodeInvalidLabel       = "INVALID_LABEL_NAME"
	// Warnings.
	CodeNoDollar           = "NO_DOLLAR"
	CodeNoPath             = "NO_PATH"
	CodePassResultIsStatic = "PASS_RESULT_IS_STATIC"
	// CodeNotSupported is Stepwise's own: the definition is valid on AWS
	// but uses a feature Stepwise does not carry out yet. The machine can
	// be created; an execution fails with States.Runtime when it reaches
	// the field, rather than give a result AWS would not.
	CodeNotSupported = "NOT_SUPPORTED"
)

// Diagnostic is one problem found in a definition. Its JSON form is the
// ValidateStateMachineDefinitionDiagnostic of the AWS API.
type Diagnostic struct {
	Severity Severity `json:"severity"`
	Code     string   `json:"code"`
	Message  string   `json:"message"`
	Location string   `json:"location,omitempty"`
}

func (d Diagnostic) String() string {
	var b strings.Builder
	b.WriteString(d.Code)
	b.WriteString(": ")
	b.WriteString(d.Message)
	if d.Location != "" {
		b.WriteString(" at ")
		b.WriteString(d.Location)
	}
	return b.String()
}

// Diagnostics is a list of problems, in the order they were found.
type Diagnostics []Diagnostic

// HasErrors reports whether any diagnostic has severity ERROR.
func (ds Diagnostics) HasErrors() bool {
	for _, d := range ds {
		if d.Severity == SeverityError {
			return true
		}
	}
	return false
}

// Errors returns the diagnostics with severity ERROR.
func (ds Diagnostics) Errors() Diagnostics {
	var out Diagnostics
	for _, d := range ds {
		if d.Severity == SeverityError {
			out = append(out, d)
		}
	}
	return out
}

// InvalidDefinitionError is returned by [Parse] when a definition has at
// least one ERROR diagnostic. Its message has the shape of AWS's
// InvalidDefinition error.
type InvalidDefinitionError struct {
	Diagnostics Diagnostics // the ERROR diagnostics, at least one
}

func (e *InvalidDefinitionError) Error() string {
	parts := make([]string, len(e.Diagnostics))
	for i, d := range e.Diagnostics {
		parts[i] = d.String()
	}
	return "Invalid State Machine Definition: '" + strings.Join(parts, ", ") + "'"
}
