package resultwriter

import (
	"encoding/json"
	"fmt"
	"strconv"
	"time"

	"stepwise/jsonval"
)

// Child execution statuses a [Record] may have.
const (
	StatusSucceeded = "SUCCEEDED"
	StatusFailed    = "FAILED"
	StatusTimedOut  = "TIMED_OUT"
	StatusAborted   = "ABORTED"
	// StatusPending is an item whose child execution never started
	// because the Map Run failed or was aborted first.
	StatusPending = "PENDING"
)

// Redrive statuses AWS writes when a Record leaves RedriveStatus empty.
const (
	RedriveNotRedrivable      = "NOT_REDRIVABLE"
	RedriveRedrivableByMapRun = "REDRIVABLE_BY_MAP_RUN"
)

// Record is one child execution of a Map Run, as the result files hold it.
// Empty strings and zero times are left out of the file, except Input,
// which is always written, and Output, written for SUCCEEDED records only
// (AWS's FAILED records have OutputDetails but no Output).
type Record struct {
	// Index is the item's position in the Map Run; records reach [Write]
	// in increasing Index order.
	Index           int
	ExecutionARN    string
	Name            string
	StateMachineARN string
	// Status is one of the Status constants.
	Status string
	// Input and Output are JSON text, as DescribeExecution gives them.
	Input, Output string
	// InputOmitted and OutputOmitted mark data not kept (AWS then writes
	// "" with Included false).
	InputOmitted, OutputOmitted bool
	// Error and Cause are those of a FAILED, TIMED_OUT or ABORTED child.
	Error, Cause string
	Start, Stop  time.Time
	RedriveCount int
	// RedriveStatus and RedriveStatusReason default to AWS's: a SUCCEEDED
	// child is NOT_REDRIVABLE ("Execution is SUCCEEDED and cannot be
	// redriven"), a FAILED, TIMED_OUT or ABORTED one REDRIVABLE_BY_MAP_RUN
	// with no reason.
	RedriveStatus, RedriveStatusReason string
}

// fileStatus is the result file a status goes to: AWS puts failed, timed
// out and aborted children together in FAILED_n.json.
func fileStatus(status string) (string, error) {
	switch status {
	case StatusSucceeded:
		return StatusSucceeded, nil
	case StatusFailed, StatusTimedOut, StatusAborted:
		return StatusFailed, nil
	case StatusPending:
		return StatusPending, nil
	}
	return "", fmt.Errorf("resultwriter: record status %q is not one of SUCCEEDED, FAILED, TIMED_OUT, ABORTED or PENDING", status)
}

// awsTime is how AWS writes StartDate and StopDate in result files:
// UTC with milliseconds, as in "2025-02-04T01:49:50.099Z".
const awsTime = "2006-01-02T15:04:05.000Z"

// object returns r in the NONE form, members in AWS's (alphabetical)
// order.
func (r *Record) object() *jsonval.Object {
	o := jsonval.NewObject(15)
	setString := func(k, v string) {
		if v != "" {
			o.Set(k, v)
		}
	}
	setString("Cause", r.Cause)
	setString("Error", r.Error)
	setString("ExecutionArn", r.ExecutionARN)
	input := r.Input
	if r.InputOmitted {
		input = ""
	}
	o.Set("Input", input)
	o.Set("InputDetails", included(!r.InputOmitted))
	setString("Name", r.Name)
	if r.Status == StatusSucceeded {
		output := r.Output
		if r.OutputOmitted {
			output = ""
		}
		o.Set("Output", output)
	}
	o.Set("OutputDetails", included(!r.OutputOmitted))
	o.Set("RedriveCount", json.Number(strconv.Itoa(r.RedriveCount)))
	status, reason := r.RedriveStatus, r.RedriveStatusReason
	if status == "" {
		switch r.Status {
		case StatusSucceeded:
			status, reason = RedriveNotRedrivable, "Execution is SUCCEEDED and cannot be redriven"
		case StatusFailed, StatusTimedOut, StatusAborted:
			status = RedriveRedrivableByMapRun
		}
	}
	setString("RedriveStatus", status)
	setString("RedriveStatusReason", reason)
	if !r.Start.IsZero() {
		o.Set("StartDate", r.Start.UTC().Format(awsTime))
	}
	setString("StateMachineArn", r.StateMachineARN)
	o.Set("Status", r.Status)
	if !r.Stop.IsZero() {
		o.Set("StopDate", r.Stop.UTC().Format(awsTime))
	}
	return o
}

func included(b bool) *jsonval.Object {
	o := jsonval.NewObject(1)
	o.Set("Included", b)
	return o
}

// results returns what the transformation keeps of r, one value per
// result: the NONE record for a child that did not succeed whatever the
// transformation (as AWS documents), the output for COMPACT, and for
// FLATTEN the output's elements when it is an array.
func (r *Record) results(t Transformation) ([]any, error) {
	if t == TransformNone || r.Status != StatusSucceeded {
		return []any{r.object()}, nil
	}
	var out any
	if !r.OutputOmitted {
		var err error
		if out, err = jsonval.ParseString(r.Output); err != nil {
			return nil, fmt.Errorf("resultwriter: output of child %d (%s): %w", r.Index, r.ExecutionARN, err)
		}
	}
	if arr, ok := out.([]any); ok && t == TransformFlatten {
		return arr, nil
	}
	return []any{out}, nil
}
