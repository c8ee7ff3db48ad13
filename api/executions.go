package api

import (
	"bytes"
	"context"
	"encoding/json"
	"strings"
	"time"

	"stepwise/service"
	"stepwise/store"
)

type startExecutionRequest struct {
	StateMachineArn *string `json:"stateMachineArn"`
	Name            *string `json:"name"`
	Input           *string `json:"input"`
	TraceHeader     *string `json:"traceHeader"`
	IncludedData    *string `json:"includedData"`
}

func (r *startExecutionRequest) input() (service.StartExecutionInput, error) {
	if err := required("stateMachineArn", r.StateMachineArn); err != nil {
		return service.StartExecutionInput{}, err
	}
	return service.StartExecutionInput{StateMachineARN: *r.StateMachineArn, Name: deref(r.Name), Input: deref(r.Input)}, nil
}

type startExecutionResponse struct {
	ExecutionArn string `json:"executionArn"`
	StartDate    epoch  `json:"startDate"`
}

func (h *Handler) startExecution(ctx context.Context, req *startExecutionRequest) (*startExecutionResponse, error) {
	in, err := req.input()
	if err != nil {
		return nil, err
	}
	e, err := h.svc.StartExecution(ctx, in)
	if err != nil {
		return nil, err
	}
	h.metrics.started(e.StateMachineARN)
	if e.Status != store.ExecutionRunning {
		h.metrics.finished(e.StateMachineARN, e.Status)
	}
	return &startExecutionResponse{ExecutionArn: e.ARN, StartDate: epoch(e.StartDate)}, nil
}

// includeData reads includedData: ALL_DATA (the default) or
// METADATA_ONLY.
func includeData(v *string) (bool, error) {
	switch deref(v) {
	case "", "ALL_DATA":
		return true, nil
	case "METADATA_ONLY":
		return false, nil
	}
	return false, validation(*v, "includedData", "Member must satisfy enum value set: [ALL_DATA, METADATA_ONLY]")
}

type billingDetails struct {
	BilledMemoryUsedInMB         int64 `json:"billedMemoryUsedInMB"`
	BilledDurationInMilliseconds int64 `json:"billedDurationInMilliseconds"`
}

type startSyncExecutionResponse struct {
	ExecutionArn    string          `json:"executionArn"`
	StateMachineArn string          `json:"stateMachineArn"`
	Name            string          `json:"name"`
	StartDate       epoch           `json:"startDate"`
	StopDate        epoch           `json:"stopDate"`
	Status          string          `json:"status"`
	Error           *string         `json:"error,omitempty"`
	Cause           *string         `json:"cause,omitempty"`
	Input           *string         `json:"input,omitempty"`
	InputDetails    dataDetails     `json:"inputDetails"`
	Output          *string         `json:"output,omitempty"`
	OutputDetails   dataDetails     `json:"outputDetails"`
	BillingDetails  *billingDetails `json:"billingDetails"`
}

func (h *Handler) startSyncExecution(ctx context.Context, req *startExecutionRequest) (*startSyncExecutionResponse, error) {
	in, err := req.input()
	if err != nil {
		return nil, err
	}
	all, err := includeData(req.IncludedData)
	if err != nil {
		return nil, err
	}
	e, err := h.svc.StartSyncExecution(ctx, in)
	if err != nil {
		return nil, err
	}
	h.metrics.started(e.StateMachineARN)
	h.metrics.finished(e.StateMachineARN, e.Status)
	out := &startSyncExecutionResponse{
		ExecutionArn: e.ARN, StateMachineArn: e.StateMachineARN, Name: e.Name, StartDate: epoch(e.StartDate),
		StopDate: epoch(e.StopDate), Status: string(e.Status), Error: optional(e.Error), Cause: optional(e.Cause),
		InputDetails: dataDetails{Included: all}, OutputDetails: dataDetails{Included: all},
		BillingDetails: billing(e.StopDate.Sub(e.StartDate)),
	}
	if all {
		out.Input = &e.Input
		out.Output = optional(e.Output)
	}
	return out, nil
}

// billing is what AWS bills an Express execution: its duration rounded up
// to 100 ms, and memory in 64 MB units.
func billing(d time.Duration) *billingDetails {
	ms := max((d.Milliseconds()+99)/100*100, 100)
	return &billingDetails{BilledMemoryUsedInMB: 64, BilledDurationInMilliseconds: ms}
}

type stopExecutionRequest struct {
	ExecutionArn *string `json:"executionArn"`
	Error        *string `json:"error"`
	Cause        *string `json:"cause"`
}

type stopExecutionResponse struct {
	StopDate epoch `json:"stopDate"`
}

func (h *Handler) stopExecution(ctx context.Context, req *stopExecutionRequest) (*stopExecutionResponse, error) {
	if err := required("executionArn", req.ExecutionArn); err != nil {
		return nil, err
	}
	before, err := h.svc.DescribeExecution(ctx, *req.ExecutionArn)
	if err != nil {
		return nil, err
	}
	e, err := h.svc.StopExecution(ctx, *req.ExecutionArn, deref(req.Error), deref(req.Cause))
	if err != nil {
		return nil, err
	}
	if before.Status == store.ExecutionRunning && e.Status != store.ExecutionRunning {
		h.metrics.finished(e.StateMachineARN, e.Status)
	}
	return &stopExecutionResponse{StopDate: epoch(e.StopDate)}, nil
}

type executionArnRequest struct {
	ExecutionArn *string `json:"executionArn"`
	IncludedData *string `json:"includedData"`
}

type describeExecutionResponse struct {
	ExecutionArn    string       `json:"executionArn"`
	StateMachineArn string       `json:"stateMachineArn"`
	Name            string       `json:"name"`
	Status          string       `json:"status"`
	StartDate       epoch        `json:"startDate"`
	StopDate        epoch        `json:"stopDate,omitzero"`
	Input           *string      `json:"input,omitempty"`
	InputDetails    dataDetails  `json:"inputDetails"`
	Output          *string      `json:"output,omitempty"`
	OutputDetails   *dataDetails `json:"outputDetails,omitempty"`
	Error           *string      `json:"error,omitempty"`
	Cause           *string      `json:"cause,omitempty"`
	RedriveCount    *int64       `json:"redriveCount,omitempty"`
	// Redrive (redrive.go): Standard executions only.
	RedriveDate         epoch   `json:"redriveDate,omitzero"`
	RedriveStatus       *string `json:"redriveStatus,omitempty"`
	RedriveStatusReason *string `json:"redriveStatusReason,omitempty"`
	// The version the execution ran and the alias it was started on.
	StateMachineVersionArn *string `json:"stateMachineVersionArn,omitempty"`
	StateMachineAliasArn   *string `json:"stateMachineAliasArn,omitempty"`
}

func (h *Handler) describeExecution(ctx context.Context, req *executionArnRequest) (*describeExecutionResponse, error) {
	if err := required("executionArn", req.ExecutionArn); err != nil {
		return nil, err
	}
	all, err := includeData(req.IncludedData)
	if err != nil {
		return nil, err
	}
	e, err := h.svc.DescribeExecution(ctx, *req.ExecutionArn)
	if err != nil {
		return nil, err
	}
	out := &describeExecutionResponse{
		ExecutionArn: e.ARN, StateMachineArn: e.StateMachineARN, Name: e.Name, Status: string(e.Status),
		StartDate: epoch(e.StartDate), StopDate: epoch(e.StopDate), Error: optional(e.Error), Cause: optional(e.Cause),
		InputDetails: dataDetails{Included: all}, StateMachineVersionArn: optional(e.VersionARN), StateMachineAliasArn: optional(e.AliasARN),
	}
	if all {
		out.Input = &e.Input
	}
	if e.Status == store.ExecutionSucceeded {
		out.OutputDetails = &dataDetails{Included: all}
		if all {
			out.Output = &e.Output
		}
	}
	if !isExpressARN(e.ARN) {
		out.RedriveCount = &e.RedriveCount
		out.RedriveDate = epoch(e.RedriveDate)
		status, reason := h.svc.RedriveStatus(ctx, e)
		out.RedriveStatus, out.RedriveStatusReason = &status, optional(reason)
	}
	return out, nil
}

// isExpressARN reports whether an execution ARN is an Express one
// (arn:aws:states:REGION:ACCOUNT:express:...).
func isExpressARN(arn string) bool {
	parts := strings.SplitN(arn, ":", 7)
	return len(parts) == 7 && parts[5] == "express"
}

type listExecutionsRequest struct {
	StateMachineArn *string `json:"stateMachineArn"`
	StatusFilter    *string `json:"statusFilter"`
	MapRunArn       *string `json:"mapRunArn"`
	RedriveFilter   *string `json:"redriveFilter"`
	page
}

type executionListItem struct {
	ExecutionArn    string `json:"executionArn"`
	StateMachineArn string `json:"stateMachineArn"`
	Name            string `json:"name"`
	Status          string `json:"status"`
	StartDate       epoch  `json:"startDate"`
	StopDate        epoch  `json:"stopDate,omitzero"`
	RedriveCount    *int64 `json:"redriveCount,omitempty"`
	RedriveDate     epoch  `json:"redriveDate,omitzero"`
	// The version the execution ran and the alias it was started on.
	StateMachineVersionArn *string `json:"stateMachineVersionArn,omitempty"`
	StateMachineAliasArn   *string `json:"stateMachineAliasArn,omitempty"`
}

type listExecutionsResponse struct {
	Executions []executionListItem `json:"executions"`
	NextToken  *string             `json:"nextToken,omitempty"`
}

func (h *Handler) listExecutions(ctx context.Context, req *listExecutionsRequest) (*listExecutionsResponse, error) {
	switch {
	case req.MapRunArn != nil && req.StateMachineArn != nil:
		// AWS: "You can specify either a mapRunArn or a stateMachineArn, but not both."
		return nil, errorf(codeValidation, "Must provide only one of a StateMachine ARN or a MapRun ARN, not both")
	case req.MapRunArn != nil:
		return nil, h.svc.ListMapRunExecutions(ctx, *req.MapRunArn)
	case req.StateMachineArn == nil:
		return nil, errorf(codeValidation, "Must provide a StateMachine ARN or MapRun ARN")
	}
	q := store.ExecutionQuery{StateMachineARN: *req.StateMachineArn}
	switch s := store.ExecutionStatus(deref(req.StatusFilter)); s {
	case "", store.ExecutionRunning, store.ExecutionSucceeded, store.ExecutionFailed, store.ExecutionTimedOut, store.ExecutionAborted:
		q.Status = s
	case "PENDING_REDRIVE":
		return &listExecutionsResponse{Executions: []executionListItem{}}, nil // Stepwise never redrives
	default:
		return nil, validation(string(s), "statusFilter", "Member must satisfy enum value set: [RUNNING, SUCCEEDED, FAILED, TIMED_OUT, ABORTED, PENDING_REDRIVE]")
	}
	redrive, err := redriveFilter(req.RedriveFilter)
	if err != nil {
		return nil, err
	}
	q.Redrive = redrive
	p, err := req.storePage()
	if err != nil {
		return nil, err
	}
	q.Page = p
	list, next, err := h.svc.ListExecutions(ctx, q)
	if err != nil {
		return nil, err
	}
	out := &listExecutionsResponse{Executions: make([]executionListItem, 0, len(list)), NextToken: optional(next)}
	for _, e := range list {
		item := executionListItem{ExecutionArn: e.ARN, StateMachineArn: e.StateMachineARN, Name: e.Name,
			Status: string(e.Status), StartDate: epoch(e.StartDate), StopDate: epoch(e.StopDate),
			StateMachineVersionArn: optional(e.VersionARN), StateMachineAliasArn: optional(e.AliasARN)}
		if !isExpressARN(e.ARN) {
			item.RedriveCount, item.RedriveDate = &e.RedriveCount, epoch(e.RedriveDate)
		}
		out.Executions = append(out.Executions, item)
	}
	return out, nil
}

type getExecutionHistoryRequest struct {
	ExecutionArn         *string `json:"executionArn"`
	ReverseOrder         bool    `json:"reverseOrder"`
	IncludeExecutionData *bool   `json:"includeExecutionData"`
	page
}

type getExecutionHistoryResponse struct {
	Events    []json.RawMessage `json:"events"`
	NextToken *string           `json:"nextToken,omitempty"`
}

func (h *Handler) getExecutionHistory(ctx context.Context, req *getExecutionHistoryRequest) (*getExecutionHistoryResponse, error) {
	if err := required("executionArn", req.ExecutionArn); err != nil {
		return nil, err
	}
	p, err := req.storePage()
	if err != nil {
		return nil, err
	}
	events, next, err := h.svc.GetExecutionHistory(ctx, store.HistoryQuery{ExecutionARN: *req.ExecutionArn, Reverse: req.ReverseOrder, Page: p})
	if err != nil {
		return nil, err
	}
	withData := req.IncludeExecutionData == nil || *req.IncludeExecutionData
	out := &getExecutionHistoryResponse{Events: make([]json.RawMessage, 0, len(events)), NextToken: optional(next)}
	for _, ev := range events {
		raw := json.RawMessage(ev.JSON)
		if !withData {
			if raw, err = stripData(raw); err != nil {
				return nil, err
			}
		}
		out.Events = append(out.Events, raw)
	}
	return out, nil
}

// stripData removes the execution data (input and output) from the
// details of a history event, as includeExecutionData=false asks.
func stripData(event json.RawMessage) (json.RawMessage, error) {
	if !bytes.Contains(event, []byte(`"input"`)) && !bytes.Contains(event, []byte(`"output"`)) {
		return event, nil
	}
	var ev map[string]json.RawMessage
	if err := json.Unmarshal(event, &ev); err != nil {
		return nil, err
	}
	for k, v := range ev {
		if !strings.HasSuffix(k, "EventDetails") {
			continue
		}
		var details map[string]json.RawMessage
		if err := json.Unmarshal(v, &details); err != nil {
			continue
		}
		delete(details, "input")
		delete(details, "output")
		b, err := json.Marshal(details)
		if err != nil {
			return nil, err
		}
		ev[k] = b
	}
	return json.Marshal(ev)
}

type describeStateMachineForExecutionResponse struct {
	StateMachineArn      string          `json:"stateMachineArn"`
	Name                 string          `json:"name"`
	Definition           string          `json:"definition"`
	RoleArn              string          `json:"roleArn"`
	UpdateDate           epoch           `json:"updateDate"`
	LoggingConfiguration json.RawMessage `json:"loggingConfiguration"`
	TracingConfiguration json.RawMessage `json:"tracingConfiguration"`
	RevisionID           string          `json:"revisionId,omitempty"`
	// EncryptionConfiguration is omitted when it was never set.
	EncryptionConfiguration json.RawMessage `json:"encryptionConfiguration,omitempty"`
}

func (h *Handler) describeStateMachineForExecution(ctx context.Context, req *executionArnRequest) (*describeStateMachineForExecutionResponse, error) {
	if err := required("executionArn", req.ExecutionArn); err != nil {
		return nil, err
	}
	sm, err := h.svc.DescribeStateMachineForExecution(ctx, *req.ExecutionArn)
	if err != nil {
		return nil, err
	}
	return &describeStateMachineForExecutionResponse{
		StateMachineArn: sm.ARN, Name: sm.Name, Definition: sm.Definition, RoleArn: sm.RoleARN, UpdateDate: epoch(sm.UpdateDate),
		LoggingConfiguration: configOrDefault(sm.LoggingConfiguration, defaultLogging),
		TracingConfiguration: configOrDefault(sm.TracingConfiguration, defaultTracing), RevisionID: sm.RevisionID,
		EncryptionConfiguration: configOrNil(sm.EncryptionConfiguration),
	}, nil
}
