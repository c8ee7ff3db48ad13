package service

import (
	"context"
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"

	"stepwise/store"
)

// maxMapRunARN is AWS's limit on the length of a Map Run ARN.
const maxMapRunARN = 2000

// checkMapRunARN applies AWS's InvalidArn rule to a Map Run ARN:
// arn:aws:states:REGION:ACCOUNT:mapRun:MACHINE/LABEL:ID, each part not
// empty.
func checkMapRunARN(arn string) error {
	if len(arn) > maxMapRunARN {
		return errorf(CodeValidation, "1 validation error detected: Value '%s' at 'mapRunArn' failed to satisfy constraint: Member must have length less than or equal to %d", arn, maxMapRunARN)
	}
	rest, err := parseARN(arn, "mapRun")
	if err != nil {
		return err
	}
	machine, run, ok := strings.Cut(rest, "/")
	i := strings.LastIndexByte(run, ':')
	if !ok || machine == "" || i <= 0 || i == len(run)-1 {
		return errorf(CodeInvalidArn, "Invalid Arn: 'Resource type not valid in this context: %s'", arn)
	}
	return nil
}

// mapRunNotFound is AWS's answer for a Map Run ARN it does not know.
func mapRunNotFound(arn string) error {
	return errorf(CodeResourceNotFound, "Resource not found: '%s'", arn)
}

// DescribeMapRun returns a Map Run as the last step of its execution left
// it.
func (s *Service) DescribeMapRun(ctx context.Context, arn string) (store.MapRun, error) {
	if err := checkMapRunARN(arn); err != nil {
		return store.MapRun{}, err
	}
	r, err := s.store.GetMapRun(ctx, arn)
	if errors.Is(err, store.ErrNotFound) {
		return r, mapRunNotFound(arn)
	}
	return r, err
}

// ListMapRuns lists the Map Runs an execution started, latest first.
func (s *Service) ListMapRuns(ctx context.Context, executionARN string, p store.Page) ([]store.MapRun, string, error) {
	if _, err := machineNameOf(executionARN); err != nil {
		return nil, "", err
	}
	runs, next, err := s.store.ListMapRuns(ctx, executionARN, p)
	switch {
	case errors.Is(err, store.ErrNotFound):
		if _, ok := s.rt.Express(executionARN); ok {
			// An Express execution runs in memory and records no Map Runs.
			return []store.MapRun{}, "", nil
		}
		return nil, "", errorf(CodeExecutionDoesNotExist, "Execution Does Not Exist: '%s'", executionARN)
	case errors.Is(err, store.ErrInvalidToken):
		return nil, "", errorf(CodeInvalidToken, "Invalid Token: '%s'", p.NextToken)
	}
	return runs, next, err
}

// UpdateMapRun changes the maximum concurrency or the tolerated failures
// of a running Map Run. At least one must be set; each is checked against
// AWS's ranges (maxConcurrency an Integer of at least 0,
// toleratedFailureCount at least 0, toleratedFailurePercentage 0 to 100).
// It returns once the change is committed in the Map Run's execution. A
// Map Run that has ended is refused (ValidationException), since the
// change could no longer take effect.
func (s *Service) UpdateMapRun(ctx context.Context, arn string, u store.MapRunUpdate) error {
	if err := checkMapRunARN(arn); err != nil {
		return err
	}
	if err := checkMapRunUpdate(u); err != nil {
		return err
	}
	r, err := s.store.GetMapRun(ctx, arn)
	if errors.Is(err, store.ErrNotFound) {
		return mapRunNotFound(arn)
	}
	if err != nil {
		return fmt.Errorf("update map run %s: %w", arn, err)
	}
	if r.Status != store.MapRunRunning {
		return errorf(CodeValidation, "Map Run is not running: '%s' is %s", arn, r.Status)
	}
	if err := s.rt.UpdateMapRun(ctx, r.ExecutionARN, arn, u); err != nil {
		return fmt.Errorf("update map run %s: %w", arn, err)
	}
	return nil
}

// checkMapRunUpdate checks UpdateMapRun's optional members.
func checkMapRunUpdate(u store.MapRunUpdate) error {
	if u.MaxConcurrency == nil && u.ToleratedFailureCount == nil && u.ToleratedFailurePercentage == nil {
		return errorf(CodeValidation, "Must provide at least one of maxConcurrency, toleratedFailurePercentage or toleratedFailureCount")
	}
	if v := u.MaxConcurrency; v != nil && (*v < 0 || *v > math.MaxInt32) {
		return rangeError("maxConcurrency", strconv.FormatInt(*v, 10), *v < 0, "0", strconv.Itoa(math.MaxInt32))
	}
	if v := u.ToleratedFailureCount; v != nil && *v < 0 {
		return rangeError("toleratedFailureCount", strconv.FormatInt(*v, 10), true, "0", "")
	}
	if v := u.ToleratedFailurePercentage; v != nil && !(*v >= 0 && *v <= 100) {
		return rangeError("toleratedFailurePercentage", strconv.FormatFloat(*v, 'f', -1, 64), !(*v > 100), "0", "100")
	}
	return nil
}

// rangeError is AWS's message for a number outside its member's range.
func rangeError(field, value string, low bool, min, max string) error {
	constraint := "Member must have value less than or equal to " + max
	if low {
		constraint = "Member must have value greater than or equal to " + min
	}
	return errorf(CodeValidation, "1 validation error detected: Value '%s' at '%s' failed to satisfy constraint: %s", value, field, constraint)
}

// ListMapRunExecutions answers ListExecutions with a mapRunArn. Stepwise
// runs a Map Run's items inside its parent execution, not as executions
// of their own, so it has none to list: rather than an empty list, which
// would claim the run has no children, it refuses with
// ValidationException. An unknown Map Run is ResourceNotFound, as on AWS.
func (s *Service) ListMapRunExecutions(ctx context.Context, arn string) error {
	if _, err := s.DescribeMapRun(ctx, arn); err != nil {
		return err
	}
	return errorf(CodeValidation, "Stepwise does not list the child executions of a Map Run yet: its items run inside the parent execution; see DescribeMapRun for their counts: '%s'", arn)
}
