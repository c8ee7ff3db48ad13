package teststate

import "fmt"

// InspectionLevel says how much a [Response] shows about the state's data
// processing.
type InspectionLevel string

// The inspection levels of the TestState action.
const (
	// LevelInfo shows the output, error, next state and status only.
	LevelInfo InspectionLevel = "INFO"
	// LevelDebug adds the inspection data: the input after each step of
	// the state's input and output processing, its variables and what
	// Retry or Catch made of an error.
	LevelDebug InspectionLevel = "DEBUG"
	// LevelTrace adds, for HTTP Tasks, the HTTP request and response.
	LevelTrace InspectionLevel = "TRACE"
)

func (l InspectionLevel) String() string { return string(l) }

// Status is the outcome of a tested state.
type Status string

// The statuses of a TestState response, as AWS names them.
const (
	// StatusSucceeded: the state finished; Output and NextState say how.
	StatusSucceeded Status = "SUCCEEDED"
	// StatusFailed: the state failed and neither Retry nor Catch handles
	// the error.
	StatusFailed Status = "FAILED"
	// StatusRetriable: a Retrier of the state matches the error and has
	// attempts left.
	StatusRetriable Status = "RETRIABLE"
	// StatusCaughtError: a Catcher of the state matches the error; Output
	// and NextState are the catcher's.
	StatusCaughtError Status = "CAUGHT_ERROR"
)

func (s Status) String() string { return string(s) }

// Request is one TestState request, its members as the API takes them:
// JSON documents are JSON text.
type Request struct {
	// Definition is a single state's definition, or, with StateName, a
	// whole state machine definition.
	Definition string
	// StateName names the state of Definition to test; empty when
	// Definition is a single state.
	StateName string
	// RoleARN is the role the test stands for; it shows in the context
	// object ($$.Execution.RoleArn).
	RoleARN string
	// Input is the state's input; empty means {}.
	Input string
	// InspectionLevel is INFO (the default when empty), DEBUG or TRACE.
	InspectionLevel InspectionLevel
	// RevealSecrets asks for the parts of an HTTP request that a connection
	// adds; it cannot be combined with a mock.
	RevealSecrets bool
	// Variables is a JSON object of the workflow variables in scope.
	Variables string
	// Context is a JSON object whose members replace those of the context
	// object ($$) the state sees.
	Context string
	// Mock, when set, stands for the state's task (Task) or its whole run
	// (Map, Parallel).
	Mock *Mock
	// Configuration sets the retry count, Map failures and the like.
	Configuration *Configuration
}

// Mock is a mocked result or error: exactly one of Result and ErrorOutput
// is set.
type Mock struct {
	// Result is the JSON text of the mocked result; HasResult tells an
	// absent result from an empty one.
	Result    string
	HasResult bool
	// ErrorOutput is the mocked error.
	ErrorOutput *MockError
	// FieldValidationMode is STRICT (the default), PRESENT or NONE.
	FieldValidationMode string
}

// MockError is a mocked task error.
type MockError struct {
	Error string
	Cause string
}

// Configuration is the stateConfiguration of a request.
type Configuration struct {
	// RetrierRetryCount is how many retries of the matching Retrier have
	// already happened; it decides between RETRIABLE and Catch.
	RetrierRetryCount int64
	// ErrorCausedByState names the state of a Map's item processor or a
	// Parallel's branches that a mocked error comes from.
	ErrorCausedByState string
	// MapIterationFailureCount is how many iterations of a mocked Map
	// failed; it is checked against the Map's tolerated failures.
	MapIterationFailureCount int64
	// MapItemReaderData is the data a Distributed Map's ItemReader read.
	MapItemReaderData string
}

// Response is the outcome of a test, with the JSON shape of AWS's
// TestStateOutput: JSON documents are JSON text.
type Response struct {
	Output         *string         `json:"output,omitempty"`
	Error          *string         `json:"error,omitempty"`
	Cause          *string         `json:"cause,omitempty"`
	InspectionData *InspectionData `json:"inspectionData,omitempty"`
	NextState      string          `json:"nextState,omitempty"`
	Status         Status          `json:"status"`
}

// InspectionData is what DEBUG and TRACE show, with the JSON shape of
// AWS's InspectionData. Which members are set depends on the state's type
// and query language, as on AWS: afterInputPath, afterParameters,
// afterResultSelector and afterResultPath under JSONPath, afterArguments
// under JSONata.
type InspectionData struct {
	Input                      *string       `json:"input,omitempty"`
	AfterArguments             *string       `json:"afterArguments,omitempty"`
	AfterInputPath             *string       `json:"afterInputPath,omitempty"`
	AfterParameters            *string       `json:"afterParameters,omitempty"`
	AfterItemsPath             *string       `json:"afterItemsPath,omitempty"`
	AfterItemSelector          *string       `json:"afterItemSelector,omitempty"`
	AfterItemBatcher           *string       `json:"afterItemBatcher,omitempty"`
	AfterItemsPointer          *string       `json:"afterItemsPointer,omitempty"`
	Result                     *string       `json:"result,omitempty"`
	AfterResultSelector        *string       `json:"afterResultSelector,omitempty"`
	AfterResultPath            *string       `json:"afterResultPath,omitempty"`
	Request                    *HTTPRequest  `json:"request,omitempty"`
	Response                   *HTTPResponse `json:"response,omitempty"`
	Variables                  *string       `json:"variables,omitempty"`
	ErrorDetails               *ErrorDetails `json:"errorDetails,omitempty"`
	MaxConcurrency             *int64        `json:"maxConcurrency,omitempty"`
	ToleratedFailureCount      *int64        `json:"toleratedFailureCount,omitempty"`
	ToleratedFailurePercentage *float64      `json:"toleratedFailurePercentage,omitempty"`
}

// HTTPRequest is the HTTP request of an HTTP Task, shown at TRACE.
type HTTPRequest struct {
	Protocol string `json:"protocol,omitempty"`
	Method   string `json:"method,omitempty"`
	URL      string `json:"url,omitempty"`
	Headers  string `json:"headers,omitempty"`
	Body     string `json:"body,omitempty"`
}

// HTTPResponse is the HTTP response of an HTTP Task, shown at TRACE.
type HTTPResponse struct {
	Protocol      string `json:"protocol,omitempty"`
	StatusCode    string `json:"statusCode,omitempty"`
	StatusMessage string `json:"statusMessage,omitempty"`
	Headers       string `json:"headers,omitempty"`
	Body          string `json:"body,omitempty"`
}

// ErrorDetails says which Retrier or Catcher handled an error.
type ErrorDetails struct {
	CatchIndex                  *int64 `json:"catchIndex,omitempty"`
	RetryIndex                  *int64 `json:"retryIndex,omitempty"`
	RetryBackoffIntervalSeconds *int64 `json:"retryBackoffIntervalSeconds,omitempty"`
}

// Error is a request TestState refuses: Code is the AWS error type
// (ValidationException, InvalidDefinition, InvalidExecutionInput) and
// Message AWS's message.
type Error struct {
	Code    string
	Message string
}

func (e *Error) Error() string { return e.Code + ": " + e.Message }

// The error types of refused requests.
const (
	CodeValidation            = "ValidationException"
	CodeInvalidDefinition     = "InvalidDefinition"
	CodeInvalidExecutionInput = "InvalidExecutionInput"
)

func errorf(code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}
