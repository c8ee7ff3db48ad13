package api

import (
	"context"

	"stepwise/store"
)

type mapRunArnRequest struct {
	MapRunArn *string `json:"mapRunArn"`
}

// mapRunCounts is MapRunItemCounts and MapRunExecutionCounts.
type mapRunCounts struct {
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

func countsOf(c store.MapRunCounts) mapRunCounts { return mapRunCounts(c) }

type describeMapRunResponse struct {
	MapRunArn                  string       `json:"mapRunArn"`
	ExecutionArn               string       `json:"executionArn"`
	Status                     string       `json:"status"`
	StartDate                  epoch        `json:"startDate"`
	StopDate                   epoch        `json:"stopDate,omitzero"`
	MaxConcurrency             int64        `json:"maxConcurrency"`
	ToleratedFailurePercentage float64      `json:"toleratedFailurePercentage"`
	ToleratedFailureCount      int64        `json:"toleratedFailureCount"`
	ItemCounts                 mapRunCounts `json:"itemCounts"`
	ExecutionCounts            mapRunCounts `json:"executionCounts"`
	RedriveCount               int64        `json:"redriveCount"`
	RedriveDate                epoch        `json:"redriveDate,omitzero"`
}

func (h *Handler) describeMapRun(ctx context.Context, req *mapRunArnRequest) (*describeMapRunResponse, error) {
	if err := required("mapRunArn", req.MapRunArn); err != nil {
		return nil, err
	}
	r, err := h.svc.DescribeMapRun(ctx, *req.MapRunArn)
	if err != nil {
		return nil, err
	}
	return &describeMapRunResponse{
		MapRunArn: r.ARN, ExecutionArn: r.ExecutionARN, Status: string(r.Status),
		StartDate: epoch(r.StartDate), StopDate: epoch(r.StopDate), MaxConcurrency: r.MaxConcurrency,
		ToleratedFailurePercentage: r.ToleratedFailurePercentage, ToleratedFailureCount: r.ToleratedFailureCount,
		ItemCounts: countsOf(r.ItemCounts), ExecutionCounts: countsOf(r.ExecutionCounts),
		RedriveCount: r.RedriveCount, RedriveDate: epoch(r.RedriveDate),
	}, nil
}

type listMapRunsRequest struct {
	ExecutionArn *string `json:"executionArn"`
	page
}

func (r *listMapRunsRequest) paging() (*page, []string) {
	return &r.page, []string{paramString(r.ExecutionArn)}
}

type mapRunListItem struct {
	ExecutionArn    string `json:"executionArn"`
	MapRunArn       string `json:"mapRunArn"`
	StateMachineArn string `json:"stateMachineArn"`
	StartDate       epoch  `json:"startDate"`
	StopDate        epoch  `json:"stopDate,omitzero"`
}

type listMapRunsResponse struct {
	MapRuns   []mapRunListItem `json:"mapRuns"`
	NextToken *string          `json:"nextToken,omitempty"`
}

func (r *listMapRunsResponse) nextTokenField() **string { return &r.NextToken }

var (
	_ pagedRequest  = (*listMapRunsRequest)(nil)
	_ pagedResponse = (*listMapRunsResponse)(nil)
)

func (h *Handler) listMapRuns(ctx context.Context, req *listMapRunsRequest) (*listMapRunsResponse, error) {
	if err := required("executionArn", req.ExecutionArn); err != nil {
		return nil, err
	}
	p, err := req.storePage()
	if err != nil {
		return nil, err
	}
	runs, next, err := h.svc.ListMapRuns(ctx, *req.ExecutionArn, p)
	if err != nil {
		return nil, err
	}
	out := &listMapRunsResponse{MapRuns: make([]mapRunListItem, 0, len(runs)), NextToken: optional(next)}
	for _, r := range runs {
		out.MapRuns = append(out.MapRuns, mapRunListItem{ExecutionArn: r.ExecutionARN, MapRunArn: r.ARN,
			StateMachineArn: r.StateMachineARN, StartDate: epoch(r.StartDate), StopDate: epoch(r.StopDate)})
	}
	return out, nil
}

type updateMapRunRequest struct {
	MapRunArn                  *string  `json:"mapRunArn"`
	MaxConcurrency             *int64   `json:"maxConcurrency"`
	ToleratedFailurePercentage *float64 `json:"toleratedFailurePercentage"`
	ToleratedFailureCount      *int64   `json:"toleratedFailureCount"`
}

type updateMapRunResponse struct{}

func (h *Handler) updateMapRun(ctx context.Context, req *updateMapRunRequest) (*updateMapRunResponse, error) {
	if err := required("mapRunArn", req.MapRunArn); err != nil {
		return nil, err
	}
	err := h.svc.UpdateMapRun(ctx, *req.MapRunArn, store.MapRunUpdate{MaxConcurrency: req.MaxConcurrency,
		ToleratedFailurePercentage: req.ToleratedFailurePercentage, ToleratedFailureCount: req.ToleratedFailureCount})
	if err != nil {
		return nil, err
	}
	return &updateMapRunResponse{}, nil
}
