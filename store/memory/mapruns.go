package memory

import (
	"cmp"
	"context"
	"fmt"
	"slices"

	"stepwise/store"
)

// checkMapRunsLocked reports what would make a commit of the execution
// arn fail on its Map Runs.
func (s *Store) checkMapRunsLocked(arn string, runs []store.MapRun) error {
	if err := store.CheckMapRuns(arn, runs); err != nil {
		return err
	}
	for _, r := range runs {
		if old, ok := s.mapRuns[r.ARN]; ok && old.ExecutionARN != arn {
			return store.MapRunOwnerError(r.ARN, arn)
		}
	}
	return nil
}

// putMapRunsLocked stores checked Map Runs, replacing the records of the
// same ARNs.
func (s *Store) putMapRunsLocked(runs []store.MapRun) {
	for _, r := range runs {
		r.StartDate, r.StopDate, r.RedriveDate = norm(r.StartDate), norm(r.StopDate), norm(r.RedriveDate)
		s.mapRuns[r.ARN] = &r
	}
}

// GetMapRun implements [store.Executions].
func (s *Store) GetMapRun(ctx context.Context, arn string) (store.MapRun, error) {
	if err := s.lock(ctx); err != nil {
		return store.MapRun{}, err
	}
	defer s.mu.Unlock()
	r, ok := s.mapRuns[arn]
	if !ok {
		return store.MapRun{}, fmt.Errorf("get map run %s: %w", arn, store.ErrNotFound)
	}
	return *r, nil
}

// ListMapRuns implements [store.Executions]. It looks at every Map Run,
// which is fine for the store of tests and Express runs.
func (s *Store) ListMapRuns(ctx context.Context, executionARN string, p store.Page) ([]store.MapRun, string, error) {
	var pos int64
	var key string
	if p.NextToken != "" {
		var err error
		if pos, key, err = store.DecodeKeyToken(store.TokenMapRuns, p.NextToken); err != nil {
			return nil, "", fmt.Errorf("list map runs %s: %w", executionARN, err)
		}
	}
	if err := s.lock(ctx); err != nil {
		return nil, "", err
	}
	defer s.mu.Unlock()
	if _, ok := s.execs[executionARN]; !ok {
		return nil, "", fmt.Errorf("list map runs %s: %w", executionARN, store.ErrNotFound)
	}
	out := []store.MapRun{}
	for _, r := range s.mapRuns {
		if r.ExecutionARN != executionARN {
			continue
		}
		if p.NextToken != "" && compareMapRuns(store.UnixNanos(r.StartDate), r.ARN, pos, key) <= 0 {
			continue // at or before the token's run
		}
		out = append(out, *r)
	}
	slices.SortFunc(out, func(a, b store.MapRun) int {
		return compareMapRuns(store.UnixNanos(a.StartDate), a.ARN, store.UnixNanos(b.StartDate), b.ARN)
	})
	n := store.PageSize(p.MaxResults)
	if len(out) <= n {
		return out, "", nil
	}
	out = out[:n]
	last := out[n-1]
	return out, store.EncodeKeyToken(store.TokenMapRuns, store.UnixNanos(last.StartDate), last.ARN), nil
}

// compareMapRuns orders Map Runs as ListMapRuns lists them: latest start
// first, then by ARN.
func compareMapRuns(startA int64, arnA string, startB int64, arnB string) int {
	if c := cmp.Compare(startB, startA); c != 0 {
		return c
	}
	return cmp.Compare(arnA, arnB)
}
