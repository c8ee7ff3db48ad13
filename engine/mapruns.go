package engine

import (
	"slices"
	"time"
)

// Map Runs: each step reports, in Output.MapRuns, how every distributed
// Map's run it changed stands afterwards, so that a durable caller can
// store it with the step (DescribeMapRun, ListMapRuns), and takes
// UpdateMapRun events that change a running Map Run's limits.

// The statuses of a Map Run, as DescribeMapRun names them.
const (
	MapRunRunning   = "RUNNING"
	MapRunSucceeded = "SUCCEEDED"
	MapRunFailed    = "FAILED"
	MapRunAborted   = "ABORTED"
)

// MapRunSummary is how one Map Run stands after a step.
type MapRunSummary struct {
	ARN       string
	StateName string
	Status    string
	// Stop is zero while the run is RUNNING.
	Start, Stop time.Time
	// MaxConcurrency is 0 for no limit; the tolerated failures are 0
	// when not set, as DescribeMapRun shows them.
	MaxConcurrency             int64
	ToleratedFailureCount      int64
	ToleratedFailurePercentage float64
	// Executions counts the run's child executions by how they stand;
	// Items counts its items, which differ only when an ItemBatcher
	// groups them (then Items has only Total: the items of a batch share
	// its child's fate, which is counted in Executions).
	Executions, Items MapRunCounts
}

// MapRunCounts counts a Map Run's children or items by status.
type MapRunCounts struct {
	Pending, Running, Succeeded, Failed, Aborted, Total int64
	// ResultsWritten counts the children a ResultWriter wrote.
	ResultsWritten int64
}

// MapRunChange is what an UpdateMapRun event changes; nil fields stay.
type MapRunChange struct {
	MaxConcurrency             *int64
	ToleratedFailureCount      *int64
	ToleratedFailurePercentage *float64
}

// touch notes that th's Map Run changed in this step; end reports it.
func (st *State) touch(th *Thread) {
	st.touched = append(st.touched, th.ID)
}

// reportMapRuns adds to the step's output the summary of every Map Run
// still running that the step touched. Runs that ended were reported as
// they ended (endMapRun).
func (st *State) reportMapRuns() {
	if len(st.touched) == 0 {
		return // most steps: no Map Run changed
	}
	seen := make(map[int64]bool, len(st.touched))
	for _, id := range st.touched {
		if seen[id] {
			continue
		}
		seen[id] = true
		th, ok := st.Threads[id]
		if !ok || th.Fan == nil || th.Fan.MapRunARN == "" {
			continue
		}
		st.out.MapRuns = append(st.out.MapRuns, mapRunSummary(th, MapRunRunning, time.Time{}))
	}
	st.touched = st.touched[:0]
}

// endMapRun reports that th's Map Run ended with status at now. Its
// children still running are counted as aborted.
func (st *State) endMapRun(th *Thread, status string) {
	if th.Fan == nil || th.Fan.MapRunARN == "" {
		return
	}
	st.out.MapRuns = append(st.out.MapRuns, mapRunSummary(th, status, st.now))
}

// mapRunSummary describes th's Map Run, whose status is status and which
// stopped at stop (zero while running).
func mapRunSummary(th *Thread, status string, stop time.Time) MapRunSummary {
	f := th.Fan
	s := MapRunSummary{ARN: f.MapRunARN, StateName: th.StateName, Status: status, Start: f.Start, Stop: stop,
		MaxConcurrency: int64(f.MaxConc), ToleratedFailureCount: max(f.ToleratedCount, 0),
		ToleratedFailurePercentage: max(f.ToleratedPercent, 0)}
	e := &s.Executions
	e.Total = int64(len(f.Items))
	e.Failed = f.Failures
	e.Succeeded = f.Succeeded
	e.Running = int64(f.Running)
	e.Pending = int64(len(f.Items) - f.Started)
	if status != MapRunRunning {
		e.Aborted, e.Running = e.Running, 0
		if status == MapRunAborted || status == MapRunFailed {
			// Items never started will not start.
			e.Aborted += e.Pending
			e.Pending = 0
		}
	}
	if status == MapRunSucceeded && f.Records != nil {
		// Only a ResultWriter that succeeded ends a run with records.
		e.ResultsWritten = int64(len(f.Records))
	}
	s.Items = s.Executions
	if f.Batched {
		s.Items = MapRunCounts{Total: int64(f.ItemCount)}
	}
	return s
}

// abortMapRuns reports every Map Run still running as aborted: the
// execution ended under it.
func (st *State) abortMapRuns() {
	for _, id := range sortedThreadIDs(st.Threads) {
		if th := st.Threads[id]; th.Fan != nil && th.Fan.MapRunARN != "" && !th.Fan.Failed {
			st.endMapRun(th, MapRunAborted)
		}
	}
}

// updateMapRun applies an UpdateMapRun event to the running Map Run it
// names; an event for a run that is not running changes nothing.
func (st *State) updateMapRun(arn string, c *MapRunChange) {
	if c == nil {
		return
	}
	for _, id := range sortedThreadIDs(st.Threads) {
		th := st.Threads[id]
		f := th.Fan
		if f == nil || f.MapRunARN != arn || f.Failed || th.Phase != phaseChildren {
			continue
		}
		if c.MaxConcurrency != nil {
			f.MaxConc = int(*c.MaxConcurrency)
		}
		if c.ToleratedFailureCount != nil {
			f.ToleratedCount = *c.ToleratedFailureCount
		}
		if c.ToleratedFailurePercentage != nil {
			f.ToleratedPercent = *c.ToleratedFailurePercentage
		}
		st.touch(th)
		s := th.state()
		if f.Failures > 0 && !tolerated(f.Failures, f.ToleratedCount, f.ToleratedPercent, len(f.Items)) {
			st.failFan(th, s, nil, &failure{Error: ErrorExceedToleratedFailure, HasCause: true, Cause: causeExceedTolerated})
			return
		}
		// A higher limit starts the next iteration now; it starts the
		// rest one at a time as each waits or ends.
		st.startIteration(th, s)
		return
	}
}

// sortedThreadIDs returns the ids of threads in increasing order, so that
// what is derived from them comes out the same on every run.
func sortedThreadIDs(threads map[int64]*Thread) []int64 {
	ids := make([]int64, 0, len(threads))
	for id := range threads {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	return ids
}
