package runtime

import (
	"context"
	"fmt"

	"stepwise/engine"
	"stepwise/store"
)

// mapRuns are the store records of the Map Runs an engine step of st
// changed, written with the step.
func mapRuns(st *engine.State, runs []engine.MapRunSummary) []store.MapRun {
	if len(runs) == 0 {
		return nil
	}
	out := make([]store.MapRun, len(runs))
	for i, s := range runs {
		out[i] = store.MapRun{ARN: s.ARN, ExecutionARN: st.Exec.ARN, StateMachineARN: st.Exec.StateMachineARN,
			Status: store.MapRunStatus(s.Status), StartDate: s.Start, StopDate: s.Stop, MaxConcurrency: s.MaxConcurrency,
			ToleratedFailurePercentage: s.ToleratedFailurePercentage, ToleratedFailureCount: s.ToleratedFailureCount,
			ItemCounts: mapRunCounts(s.Items), ExecutionCounts: mapRunCounts(s.Executions)}
	}
	return out
}

func mapRunCounts(c engine.MapRunCounts) store.MapRunCounts {
	return store.MapRunCounts{Pending: c.Pending, Running: c.Running, Succeeded: c.Succeeded, Failed: c.Failed,
		Aborted: c.Aborted, Total: c.Total, ResultsWritten: c.ResultsWritten}
}

// UpdateMapRun changes the limits of the running Map Run mapRunARN of the
// Standard execution executionARN, as UpdateMapRun asks, and returns once
// the change is committed; the Map starts more children, or fails past a
// lower tolerance, in the same step. A Map Run that is not running is
// left as it is.
func (r *Runner) UpdateMapRun(ctx context.Context, executionARN, mapRunARN string, u store.MapRunUpdate) error {
	ev := engine.Event{Kind: engine.UpdateMapRun, MapRunARN: mapRunARN, MapRunChange: &engine.MapRunChange{
		MaxConcurrency: u.MaxConcurrency, ToleratedFailureCount: u.ToleratedFailureCount,
		ToleratedFailurePercentage: u.ToleratedFailurePercentage}}
	if err := r.step(ctx, executionARN, ev, nil, nil); err != nil {
		return fmt.Errorf("update map run %s: %w", mapRunARN, err)
	}
	return nil
}
