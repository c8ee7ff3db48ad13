package service

import (
	"context"
	"errors"
	"fmt"
	"time"

	"stepwise/engine"
	"stepwise/jsonval"
	"stepwise/store"
)

// maxPoll is how long GetActivityTask waits for a task, as on AWS.
const maxPoll = 60 * time.Second

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
	deadline := time.NewTimer(maxPoll)
	defer deadline.Stop()
	for {
		wake := s.activityWaiter(activityARN)
		t, err := s.store.ClaimActivityTask(ctx, activityARN, workerName, s.now())
		if err == nil {
			s.dropWaiter(activityARN, wake)
			if id, ok := parseWorkID(t.WorkID); ok {
				ev := engine.Event{Kind: engine.TaskStarted, ID: id, WorkerName: workerName}
				if err := s.step(ctx, t.ExecutionARN, ev, nil, nil); err != nil {
					s.log.Warn("record activity start", "execution_arn", t.ExecutionARN, "err", err)
				}
			}
			return ActivityTask{Token: t.Token, Input: t.Input}, nil
		}
		if !errors.Is(err, store.ErrNotFound) {
			s.dropWaiter(activityARN, wake)
			return ActivityTask{}, fmt.Errorf("get activity task %s: %w", activityARN, err)
		}
		// Tasks scheduled by other nodes sharing the store wake nobody
		// here: look again every poll interval.
		poll := time.NewTimer(s.cfg.PollInterval)
		select {
		case <-wake:
		case <-poll.C:
			s.dropWaiter(activityARN, wake)
		case <-deadline.C:
			s.dropWaiter(activityARN, wake)
			return ActivityTask{}, nil
		case <-ctx.Done():
			s.dropWaiter(activityARN, wake)
			return ActivityTask{}, ctx.Err()
		}
		poll.Stop()
	}
}

func (s *Service) activityWaiter(arn string) chan struct{} {
	ch := make(chan struct{}, 1)
	s.mu.Lock()
	s.activityWaiters[arn] = append(s.activityWaiters[arn], ch)
	s.mu.Unlock()
	return ch
}

func (s *Service) dropWaiter(arn string, ch chan struct{}) {
	s.mu.Lock()
	defer s.mu.Unlock()
	list := s.activityWaiters[arn]
	for i, c := range list {
		if c == ch {
			s.activityWaiters[arn] = append(list[:i], list[i+1:]...)
			break
		}
	}
	if len(s.activityWaiters[arn]) == 0 {
		delete(s.activityWaiters, arn)
	}
}

// wakeActivity wakes the long polls of an activity: a task was queued.
func (s *Service) wakeActivity(arn string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, ch := range s.activityWaiters[arn] {
		select {
		case ch <- struct{}{}:
		default:
		}
	}
}

// task finds the task of a token.
func (s *Service) task(ctx context.Context, token string) (store.Task, int64, error) {
	if token == "" || len(token) > 2048 {
		return store.Task{}, 0, errorf(CodeInvalidToken, "Invalid Token: '%s'", token)
	}
	t, err := s.store.GetTask(ctx, token)
	if errors.Is(err, store.ErrNotFound) {
		return t, 0, errorf(CodeTaskDoesNotExist, "Task Does Not Exist: '%s'", token)
	}
	if err != nil {
		return t, 0, err
	}
	id, ok := parseWorkID(t.WorkID)
	if !ok {
		return t, 0, errorf(CodeInvalidToken, "Invalid Token: '%s'", token)
	}
	return t, id, nil
}

// SendTaskSuccess completes the task of a token with output (JSON text).
func (s *Service) SendTaskSuccess(ctx context.Context, token, output string) error {
	t, id, err := s.task(ctx, token)
	if err != nil {
		return err
	}
	out, err := jsonval.ParseString(output)
	if err != nil {
		return errorf(CodeInvalidOutput, "Invalid Output: '%v'", err)
	}
	// A .sync task's token ends the task too; its child then runs on.
	return s.step(ctx, t.ExecutionARN, engine.Event{Kind: engine.TaskSucceeded, ID: id, Output: out}, []string{t.WorkID, childWorkID(id)}, []string{token})
}

// SendTaskFailure fails the task of a token.
func (s *Service) SendTaskFailure(ctx context.Context, token, errName, cause string) error {
	t, id, err := s.task(ctx, token)
	if err != nil {
		return err
	}
	return s.step(ctx, t.ExecutionARN, engine.Event{Kind: engine.TaskFailed, ID: id, Error: errName, Cause: cause}, []string{t.WorkID, childWorkID(id)}, []string{token})
}

// SendTaskHeartbeat records that the task of a token is alive.
func (s *Service) SendTaskHeartbeat(ctx context.Context, token string) error {
	t, id, err := s.task(ctx, token)
	if err != nil {
		return err
	}
	return s.step(ctx, t.ExecutionARN, engine.Event{Kind: engine.TaskHeartbeat, ID: id}, nil, nil)
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
