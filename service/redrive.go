package service

import (
	"context"
	"errors"
	"strings"

	"stepwise/runtime"
	"stepwise/store"
)

// CodeExecutionNotRedrivable is AWS's error for a RedriveExecution of an
// execution that cannot be redriven; its message says why.
const CodeExecutionNotRedrivable = "ExecutionNotRedrivable"

// The redrive statuses of DescribeExecution, as the AWS API names them.
// REDRIVABLE_BY_MAP_RUN, for the child executions of a Map Run, does not
// arise: Stepwise runs a distributed Map's items inside its parent.
const (
	RedriveStatusRedrivable    = "REDRIVABLE"
	RedriveStatusNotRedrivable = "NOT_REDRIVABLE"
)

// maxClientToken is the longest clientToken AWS accepts.
const maxClientToken = 64

// RedriveExecution restarts a Standard execution that ended FAILED,
// TIMED_OUT or ABORTED within the last 14 days from its unsuccessful
// states, and returns it as committed (its RedriveDate set). The check
// and the redrive are one commit under the execution's version, so of
// concurrent redrives exactly one redrives. A clientToken equal to the
// one the execution was last redriven with returns it unchanged. Errors
// are AWS's: InvalidArn, ValidationException (the clientToken),
// ExecutionDoesNotExist, ExecutionNotRedrivable with AWS's reason.
func (s *Service) RedriveExecution(ctx context.Context, arn, clientToken string) (store.Execution, error) {
	if _, err := machineNameOf(arn); err != nil {
		return store.Execution{}, err
	}
	if err := checkClientToken(clientToken); err != nil {
		return store.Execution{}, err
	}
	if _, ok := s.rt.Express(arn); ok || strings.Contains(arn, ":express:") {
		return store.Execution{}, errorf(CodeExecutionNotRedrivable, "Express executions cannot be redriven.")
	}
	e, err := s.store.GetExecution(ctx, arn)
	if errors.Is(err, store.ErrNotFound) {
		return e, errorf(CodeExecutionDoesNotExist, "Execution Does Not Exist: '%s'", arn)
	}
	if err != nil {
		return e, err
	}
	if clientToken == "" || e.RedriveToken != clientToken {
		// A machine being deleted takes no new work; AWS redrives on the
		// execution's own definition, which goes with the machine.
		sm, err := s.store.GetStateMachine(ctx, e.StateMachineARN)
		if errors.Is(err, store.ErrNotFound) || err == nil && sm.Status == store.StatusDeleting {
			return store.Execution{}, errorf(CodeExecutionNotRedrivable, "%s", runtime.ReasonDeleting)
		}
		if err != nil {
			return store.Execution{}, err
		}
	}
	out, err := s.rt.Redrive(ctx, arn, clientToken)
	switch {
	case errors.Is(err, runtime.ErrNotRedrivable):
		// AWS's message is the reason, as redriveStatusReason gives it.
		return out, errorf(CodeExecutionNotRedrivable, "%s", redriveReason(err))
	case errors.Is(err, store.ErrNotFound):
		return out, errorf(CodeExecutionDoesNotExist, "Execution Does Not Exist: '%s'", arn)
	}
	return out, err
}

// redriveReason is the reason the runtime gave after ErrNotRedrivable.
func redriveReason(err error) string {
	msg := err.Error()
	marker := runtime.ErrNotRedrivable.Error() + ": "
	if i := strings.LastIndex(msg, marker); i >= 0 {
		return msg[i+len(marker):]
	}
	return msg
}

// checkClientToken applies AWS's rules for a clientToken: 1 to 64
// printable ASCII characters without spaces ([!-~]+); empty means none.
func checkClientToken(tok string) error {
	if len(tok) > maxClientToken {
		return errorf(CodeValidation, "1 validation error detected: Value at 'clientToken' failed to satisfy constraint: Member must have length less than or equal to %d", maxClientToken)
	}
	for i := 0; i < len(tok); i++ {
		if tok[i] < '!' || tok[i] > '~' {
			return errorf(CodeValidation, "1 validation error detected: Value '%s' at 'clientToken' failed to satisfy constraint: Member must satisfy regular expression pattern: [!-~]+", tok)
		}
	}
	return nil
}

// RedriveStatus returns DescribeExecution's redriveStatus and
// redriveStatusReason of e (a Standard execution with its State): the
// reason is empty for a REDRIVABLE execution.
func (s *Service) RedriveStatus(ctx context.Context, e store.Execution) (status, reason string) {
	if sm, err := s.store.GetStateMachine(ctx, e.StateMachineARN); errors.Is(err, store.ErrNotFound) || err == nil && sm.Status == store.StatusDeleting {
		if e.Status != store.ExecutionRunning && e.Status != store.ExecutionSucceeded {
			return RedriveStatusNotRedrivable, runtime.ReasonDeleting
		}
	}
	rs := s.rt.RedriveStatus(ctx, e)
	if rs.Redrivable {
		return RedriveStatusRedrivable, ""
	}
	return RedriveStatusNotRedrivable, rs.Reason
}
