package store

import (
	"encoding/json"
	"fmt"
)

// This file holds what the backends share about Map Runs: the check of a
// commit's MapRuns and how counts are stored.

// CheckMapRuns returns an error if a Map Run of a commit of the execution
// executionARN names another execution; the commit must then write
// nothing.
func CheckMapRuns(executionARN string, runs []MapRun) error {
	for _, r := range runs {
		if r.ARN == "" {
			return fmt.Errorf("map run without an ARN")
		}
		if r.ExecutionARN != executionARN {
			return fmt.Errorf("map run %s belongs to execution %q, not to the committed %s", r.ARN, r.ExecutionARN, executionARN)
		}
	}
	return nil
}

// MapRunOwnerError is the error of a commit whose Map Run's ARN is stored
// for another execution.
func MapRunOwnerError(arn, executionARN string) error {
	return fmt.Errorf("map run %s is stored for another execution than %s", arn, executionARN)
}

// countsJSON is how SQL backends store a MapRunCounts: one JSON text.
// The names are fixed here, not taken from the Go fields, so that a
// renamed field does not lose stored counts.
type countsJSON struct {
	Pending               int64 `json:"pending"`
	Running               int64 `json:"running"`
	Succeeded             int64 `json:"succeeded"`
	Failed                int64 `json:"failed"`
	TimedOut              int64 `json:"timedOut"`
	Aborted               int64 `json:"aborted"`
	Total                 int64 `json:"total"`
	ResultsWritten        int64 `json:"resultsWritten"`
	FailuresNotRedrivable int64 `json:"failuresNotRedrivable"`
	PendingRedrive        int64 `json:"pendingRedrive"`
}

// EncodeCounts returns the JSON text a backend stores for c.
func EncodeCounts(c MapRunCounts) string {
	b, _ := json.Marshal(countsJSON(c)) // a struct of int64s always encodes
	return string(b)
}

// DecodeCounts reads a text made by [EncodeCounts].
func DecodeCounts(text string) (MapRunCounts, error) {
	var c countsJSON
	if err := json.Unmarshal([]byte(text), &c); err != nil {
		return MapRunCounts{}, fmt.Errorf("decode map run counts: %w", err)
	}
	return MapRunCounts(c), nil
}

// ScanMapRun reads a Map Run from a row of the SQL backends' map run
// columns: ARN, execution ARN, state machine ARN, status, start and stop
// dates (Unix nanoseconds, 0 for none), max concurrency, tolerated
// failure percentage and count, item and execution counts (JSON text),
// redrive count and redrive date.
func ScanMapRun(row interface{ Scan(dest ...any) error }) (MapRun, error) {
	var r MapRun
	var status, items, execs string
	var start, stop, redrive int64
	if err := row.Scan(&r.ARN, &r.ExecutionARN, &r.StateMachineARN, &status, &start, &stop, &r.MaxConcurrency,
		&r.ToleratedFailurePercentage, &r.ToleratedFailureCount, &items, &execs, &r.RedriveCount, &redrive); err != nil {
		return r, err
	}
	r.Status = MapRunStatus(status)
	r.StartDate, r.StopDate, r.RedriveDate = FromUnixNanos(start), FromUnixNanos(stop), FromUnixNanos(redrive)
	var err error
	if r.ItemCounts, err = DecodeCounts(items); err != nil {
		return r, err
	}
	r.ExecutionCounts, err = DecodeCounts(execs)
	return r, err
}
