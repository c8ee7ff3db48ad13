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
