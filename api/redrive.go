package api

import (
	"context"

	"stepwise/store"
)

type redriveExecutionRequest struct {
	ExecutionArn *string `json:"executionArn"`
	ClientToken  *string `json:"clientToken"`
}

type redriveExecutionResponse struct {
	RedriveDate epoch `json:"redriveDate"`
}

// redriveExecution serves RedriveExecution (issue 18.4).
func (h *Handler) redriveExecution(ctx context.Context, req *redriveExecutionRequest) (*redriveExecutionResponse, error) {
	if err := required("executionArn", req.ExecutionArn); err != nil {
		return nil, err
	}
	e, err := h.svc.RedriveExecution(ctx, *req.ExecutionArn, deref(req.ClientToken))
	if err != nil {
		return nil, err
	}
	return &redriveExecutionResponse{RedriveDate: epoch(e.RedriveDate)}, nil
}

// redriveFilter parses ListExecutions' redriveFilter.
func redriveFilter(v *string) (store.RedriveFilter, error) {
	switch f := store.RedriveFilter(deref(v)); f {
	case "", store.RedriveFilterRedriven, store.RedriveFilterNotRedriven:
		return f, nil
	default:
		return "", validation(string(f), "redriveFilter", "Member must satisfy enum value set: [REDRIVEN, NOT_REDRIVEN]")
	}
}
