package api

import (
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"

	"stepwise/service"
)

// Error codes produced by the protocol layer itself, as AWS names them.
// The codes of the actions' own errors come from package service
// ([service.Error]).
const (
	codeUnknownOperation     = "UnknownOperationException"
	codeSerialization        = "SerializationException"
	codeValidation           = service.CodeValidation
	codeUnrecognizedClient   = "UnrecognizedClientException"
	codeInvalidSignature     = "InvalidSignatureException"
	codeIncompleteSignature  = "IncompleteSignature"
	codeRequestTooLarge      = "RequestEntityTooLargeException"
	codeInternalFailure      = "InternalFailure"
	codeInvalidToken         = service.CodeInvalidToken
	codeMissingAction        = "MissingAction"
	codeMethodNotAllowed     = "MethodNotAllowed"
	codeUnsupportedMediaType = "UnsupportedMediaType"
	codeAccessDenied         = "AccessDeniedException"
)

// statusByCode is the HTTP status AWS answers with for each error code.
// Codes not listed are client errors (400), as every error of the Step
// Functions model is; internal failures are 500.
var statusByCode = map[string]int{
	codeInternalFailure:            http.StatusInternalServerError,
	service.CodeServiceUnavailable: http.StatusServiceUnavailable,
	codeRequestTooLarge:            http.StatusRequestEntityTooLarge,
	codeMethodNotAllowed:           http.StatusMethodNotAllowed,
	codeUnsupportedMediaType:       http.StatusUnsupportedMediaType,
	codeAccessDenied:               http.StatusForbidden,
	codeUnrecognizedClient:         http.StatusBadRequest,
	codeInvalidSignature:           http.StatusBadRequest,
	codeIncompleteSignature:        http.StatusBadRequest,
	codeUnknownOperation:           http.StatusBadRequest,
	codeSerialization:              http.StatusBadRequest,
	codeValidation:                 http.StatusBadRequest,
	service.CodeConflict:           http.StatusConflict,
}

// apiError is an error the protocol layer answers with: an AWS error code
// and its message.
type apiError struct {
	code    string
	message string
}

func (e *apiError) Error() string { return e.code + ": " + e.message }

func errorf(code, format string, args ...any) *apiError {
	return &apiError{code: code, message: fmt.Sprintf(format, args...)}
}

// errorBody is the JSON of every error response.
type errorBody struct {
	Type    string `json:"__type"`
	Message string `json:"message"`
}

// classify turns any error into the code, message and HTTP status of its
// response. Errors that are neither *apiError nor *service.Error are
// internal: their text is not shown to the client.
func classify(err error) (code, message string, status int) {
	var ae *apiError
	var se *service.Error
	switch {
	case errors.As(err, &ae):
		code, message = ae.code, ae.message
	case errors.As(err, &se):
		code, message = se.Code, se.Message
	default:
		code, message = codeInternalFailure, "An internal error occurred"
	}
	status, ok := statusByCode[code]
	if !ok {
		status = http.StatusBadRequest
	}
	return code, message, status
}

// writeError answers a request with the AWS shape of err. Internal errors
// are logged here, where they are handled.
func writeError(w http.ResponseWriter, log *slog.Logger, action string, err error) (code string, status int) {
	code, message, status := classify(err)
	if status >= 500 {
		log.Error("api request failed", "action", action, "err", err)
	}
	body, _ := json.Marshal(errorBody{Type: code, Message: message})
	h := w.Header()
	h.Set("Content-Type", contentType)
	h.Set("X-Amzn-Errortype", code)
	w.WriteHeader(status)
	_, _ = w.Write(body)
	return code, status
}
