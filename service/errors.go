package service

import (
	"errors"
	"fmt"
)

// Error is a failure the AWS API reports to its caller: Code is AWS's
// error type (the "__type" of the response, such as
// "StateMachineDoesNotExist") and Message its text.
type Error struct {
	Code    string
	Message string
}

func (e *Error) Error() string { return e.Code + ": " + e.Message }

// The AWS error types the service returns.
const (
	CodeValidation               = "ValidationException"
	CodeInvalidArn               = "InvalidArn"
	CodeInvalidName              = "InvalidName"
	CodeInvalidDefinition        = "InvalidDefinition"
	CodeInvalidExecutionInput    = "InvalidExecutionInput"
	CodeInvalidOutput            = "InvalidOutput"
	CodeInvalidToken             = "InvalidToken"
	CodeStateMachineDoesNotExist = "StateMachineDoesNotExist"
	CodeStateMachineAlreadyExist = "StateMachineAlreadyExists"
	CodeStateMachineDeleting     = "StateMachineDeleting"
	CodeStateMachineTypeNotSupp  = "StateMachineTypeNotSupported"
	CodeExecutionDoesNotExist    = "ExecutionDoesNotExist"
	CodeExecutionAlreadyExists   = "ExecutionAlreadyExists"
	CodeActivityDoesNotExist     = "ActivityDoesNotExist"
	CodeResourceNotFound         = "ResourceNotFound"
	CodeTaskDoesNotExist         = "TaskDoesNotExist"
	CodeTaskTimedOut             = "TaskTimedOut"
	CodeConflict                 = "ConflictException"
	CodeServiceUnavailable       = "ServiceUnavailable"
	CodeServiceQuotaExceeded     = "ServiceQuotaExceededException"
	CodeInvalidEncryption        = "InvalidEncryptionConfiguration"
)

func errorf(code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// AsError returns err as an *Error when it is one.
func AsError(err error) (*Error, bool) {
	var e *Error
	ok := errors.As(err, &e)
	return e, ok
}
