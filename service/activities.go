package service

import (
	"context"
	"errors"
	"fmt"
	"unicode/utf8"

	"stepwise/engine"
	"stepwise/jsonval"
	"stepwise/runtime"
	"stepwise/store"
)

// CreateActivity creates an activity; creating one with a name in use
// returns the existing activity, as AWS does.
func (s *Service) CreateActivity(ctx context.Context, name string, tags []store.Tag) (store.Activity, error) {
	if err := checkName("activity", name); err != nil {
		return store.Activity{}, err
	}
	a, err := s.store.CreateActivity(ctx, store.Activity{ARN: s.arns().activity(name), Name: name, CreationDate: s.now()}, tags)
	if errors.Is(err, store.ErrAlreadyExists) {
		return a, nil
	}
	return a, err
}

// DescribeActivity returns an activity.
func (s *Service) DescribeActivity(ctx context.Context, arn string) (store.Activity, error) {
	if _, err := parseARN(arn, "activity"); err != nil {
		return store.Activity{}, err
	}
	a, err := s.store.GetActivity(ctx, arn)
	if errors.Is(err, store.ErrNotFound) {
		return a, errorf(CodeActivityDoesNotExist, "Activity Does Not Exist: '%s'", arn)
	}
	return a, err
}

// DeleteActivity deletes an activity; deleting an unknown one succeeds, as
// on AWS.
func (s *Service) DeleteActivity(ctx context.Context, arn string) error {
	if _, err := parseARN(arn, "activity"); err != nil {
		return err
	}
	if err := s.store.DeleteActivity(ctx, arn); err != nil && !errors.Is(err, store.ErrNotFound) {
		return fmt.Errorf("delete activity %s: %w", arn, err)
	}
	return nil
}

// ListActivities lists activities in creation order.
func (s *Service) ListActivities(ctx context.Context, p store.Page) ([]store.Activity, string, error) {
	out, next, err := s.store.ListActivities(ctx, p)
	if errors.Is(err, store.ErrInvalidToken) {
		return nil, "", errorf(CodeInvalidToken, "Invalid Token: '%s'", p.NextToken)
	}
	return out, next, err
}

// ActivityTask is what GetActivityTask hands a worker; an empty Token means
// no task arrived within the poll time.
type ActivityTask struct {
	Token string
	Input string
}

// GetActivityTask waits up to 60 seconds (or until ctx ends) for a task of
// the activity, and gives it to the worker.
func (s *Service) GetActivityTask(ctx context.Context, activityARN, workerName string) (ActivityTask, error) {
	if _, err := s.DescribeActivity(ctx, activityARN); err != nil {
		return ActivityTask{}, err
	}
	t, ok, err := s.rt.PollActivity(ctx, activityARN, workerName)
	if err != nil || !ok {
		return ActivityTask{}, err
	}
	return ActivityTask{Token: t.Token, Input: t.Input}, nil
}

// AWS's limits on the fields of SendTaskSuccess and SendTaskFailure.
const (
	maxTokenLen  = 2048
	maxOutputLen = 256 * 1024 // bytes of UTF-8, as AWS counts it
	maxErrorLen  = 256
	maxCauseLen  = 32768
)

// checkToken refuses a token no task could have, with InvalidToken. The
// check is lenient about the token's form: tokens are opaque, and one of
// the right shape that names no open task gets TaskTimedOut instead.
func checkToken(token string) error {
	if token == "" || len(token) > maxTokenLen {
		return errorf(CodeInvalidToken, "Invalid Token: 'Token length must be between 1 and %d'", maxTokenLen)
	}
	for i := 0; i < len(token); i++ {
		if c := token[i]; c <= ' ' || c > '~' {
			return errorf(CodeInvalidToken, "Invalid Token: 'Invalid token format'")
		}
	}
	return nil
}

// taskTimedOut is AWS's answer for a token whose task has closed (or
// never was): completed by another caller, timed out, or its execution
// ended.
func taskTimedOut() error {
	return errorf(CodeTaskTimedOut, "Task Timed Out: 'Provided task does not exist anymore'")
}

// checkLength refuses a field longer than max with AWS's validation
// message. AWS leaves out the value of these fields, which it treats as
// sensitive: "Value at 'cause' failed to satisfy constraint".
func checkLength(field string, n, max int) error {
	if n > max {
		return errorf(CodeValidation, "1 validation error detected: Value at '%s' failed to satisfy constraint: Member must have length less than or equal to %d", field, max)
	}
	return nil
}

// task finds the open task of a token.
func (s *Service) task(ctx context.Context, token string) (store.Task, int64, error) {
	if err := checkToken(token); err != nil {
		return store.Task{}, 0, err
	}
	t, err := s.store.GetTask(ctx, token)
	if errors.Is(err, store.ErrNotFound) {
		return t, 0, taskTimedOut()
	}
	if err != nil {
		return t, 0, err
	}
	id, ok := runtime.TaskID(t.WorkID)
	if !ok {
		return t, 0, errorf(CodeInvalidToken, "Invalid Token: '%s'", token)
	}
	return t, id, nil
}

// SendTaskSuccess completes the task of a token with output (JSON text).
// Of callers racing on one token exactly one succeeds: the commit that
// applies the result also closes the token, and fails if another commit
// closed it first. The others, and anyone using the token later, get
// TaskTimedOut, as on AWS.
func (s *Service) SendTaskSuccess(ctx context.Context, token, output string) error {
	if err := checkToken(token); err != nil {
		return err
	}
	if err := checkLength("output", len(output), maxOutputLen); err != nil {
		return err
	}
	out, err := jsonval.ParseString(output)
	if err != nil {
		return errorf(CodeInvalidOutput, "Invalid Output: '%v'", err)
	}
	t, id, err := s.task(ctx, token)
	if err != nil {
		return err
	}
	return s.closeTask(ctx, t, engine.Event{Kind: engine.TaskSucceeded, ID: id, Output: out})
}

// SendTaskFailure fails the task of a token; see SendTaskSuccess for
// racing callers.
func (s *Service) SendTaskFailure(ctx context.Context, token, errName, cause string) error {
	if err := checkToken(token); err != nil {
		return err
	}
	if err := checkLength("error", utf8.RuneCountInString(errName), maxErrorLen); err != nil {
		return err
	}
	if err := checkLength("cause", utf8.RuneCountInString(cause), maxCauseLen); err != nil {
		return err
	}
	t, id, err := s.task(ctx, token)
	if err != nil {
		return err
	}
	return s.closeTask(ctx, t, engine.Event{Kind: engine.TaskFailed, ID: id, Error: errName, Cause: cause})
}

// closeTask applies a task's result and closes its token in one commit
// (see [runtime.Runner.CompleteTask]); a token closed meanwhile gives
// TaskTimedOut.
func (s *Service) closeTask(ctx context.Context, t store.Task, ev engine.Event) error {
	err := s.rt.CompleteTask(ctx, t, ev)
	if errors.Is(err, store.ErrTaskClosed) {
		return taskTimedOut()
	}
	return err
}

// SendTaskHeartbeat records that the task of a token is alive.
func (s *Service) SendTaskHeartbeat(ctx context.Context, token string) error {
	t, id, err := s.task(ctx, token)
	if err != nil {
		return err
	}
	return s.rt.Step(ctx, t.ExecutionARN, engine.Event{Kind: engine.TaskHeartbeat, ID: id})
}

// TagResource tags a state machine or activity.
func (s *Service) TagResource(ctx context.Context, arn string, tags []store.Tag) error {
	return notFound(s.store.TagResource(ctx, arn, tags), arn)
}

// UntagResource removes tags from a state machine or activity.
func (s *Service) UntagResource(ctx context.Context, arn string, keys []string) error {
	return notFound(s.store.UntagResource(ctx, arn, keys), arn)
}

// ListTagsForResource returns the tags of a state machine or activity.
func (s *Service) ListTagsForResource(ctx context.Context, arn string) ([]store.Tag, error) {
	tags, err := s.store.ListTags(ctx, arn)
	return tags, notFound(err, arn)
}

func notFound(err error, arn string) error {
	if errors.Is(err, store.ErrNotFound) {
		return errorf(CodeResourceNotFound, "Resource not found: '%s'", arn)
	}
	return err
}
