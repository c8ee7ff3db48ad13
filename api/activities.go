package api

import (
	"context"
	"errors"
)

type createActivityRequest struct {
	Name *string `json:"name"`
	Tags []tag   `json:"tags"`
}

type createActivityResponse struct {
	ActivityArn  string `json:"activityArn"`
	CreationDate epoch  `json:"creationDate"`
}

func (h *Handler) createActivity(ctx context.Context, req *createActivityRequest) (*createActivityResponse, error) {
	if err := required("name", req.Name); err != nil {
		return nil, err
	}
	a, err := h.svc.CreateActivity(ctx, *req.Name, toStoreTags(req.Tags))
	if err != nil {
		return nil, err
	}
	return &createActivityResponse{ActivityArn: a.ARN, CreationDate: epoch(a.CreationDate)}, nil
}

type activityArnRequest struct {
	ActivityArn *string `json:"activityArn"`
}

type activityItem struct {
	ActivityArn  string `json:"activityArn"`
	Name         string `json:"name"`
	CreationDate epoch  `json:"creationDate"`
}

func (h *Handler) describeActivity(ctx context.Context, req *activityArnRequest) (*activityItem, error) {
	if err := required("activityArn", req.ActivityArn); err != nil {
		return nil, err
	}
	a, err := h.svc.DescribeActivity(ctx, *req.ActivityArn)
	if err != nil {
		return nil, err
	}
	return &activityItem{ActivityArn: a.ARN, Name: a.Name, CreationDate: epoch(a.CreationDate)}, nil
}

func (h *Handler) deleteActivity(ctx context.Context, req *activityArnRequest) (empty, error) {
	if err := required("activityArn", req.ActivityArn); err != nil {
		return empty{}, err
	}
	return empty{}, h.svc.DeleteActivity(ctx, *req.ActivityArn)
}

type listActivitiesResponse struct {
	Activities []activityItem `json:"activities"`
	NextToken  *string        `json:"nextToken,omitempty"`
}

func (h *Handler) listActivities(ctx context.Context, req *page) (*listActivitiesResponse, error) {
	p, err := req.storePage()
	if err != nil {
		return nil, err
	}
	list, next, err := h.svc.ListActivities(ctx, p)
	if err != nil {
		return nil, err
	}
	out := &listActivitiesResponse{Activities: make([]activityItem, 0, len(list)), NextToken: optional(next)}
	for _, a := range list {
		out.Activities = append(out.Activities, activityItem{ActivityArn: a.ARN, Name: a.Name, CreationDate: epoch(a.CreationDate)})
	}
	return out, nil
}

type getActivityTaskRequest struct {
	ActivityArn *string `json:"activityArn"`
	WorkerName  *string `json:"workerName"`
}

type getActivityTaskResponse struct {
	TaskToken *string `json:"taskToken,omitempty"`
	Input     *string `json:"input,omitempty"`
}

func (h *Handler) getActivityTask(ctx context.Context, req *getActivityTaskRequest) (*getActivityTaskResponse, error) {
	if err := required("activityArn", req.ActivityArn); err != nil {
		return nil, err
	}
	t, err := h.svc.GetActivityTask(ctx, *req.ActivityArn, deref(req.WorkerName))
	if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		// The poll ended early (the client left or the server is shutting
		// down): answer as a poll that found nothing.
		return &getActivityTaskResponse{}, nil
	}
	if err != nil {
		return nil, err
	}
	if t.Token == "" {
		return &getActivityTaskResponse{}, nil
	}
	return &getActivityTaskResponse{TaskToken: &t.Token, Input: &t.Input}, nil
}

type sendTaskRequest struct {
	TaskToken *string `json:"taskToken"`
	Output    *string `json:"output"`
	Error     *string `json:"error"`
	Cause     *string `json:"cause"`
}

func (h *Handler) sendTaskSuccess(ctx context.Context, req *sendTaskRequest) (empty, error) {
	if err := requiredAll("taskToken", req.TaskToken, "output", req.Output); err != nil {
		return empty{}, err
	}
	return empty{}, h.svc.SendTaskSuccess(ctx, *req.TaskToken, *req.Output)
}

func (h *Handler) sendTaskFailure(ctx context.Context, req *sendTaskRequest) (empty, error) {
	if err := required("taskToken", req.TaskToken); err != nil {
		return empty{}, err
	}
	return empty{}, h.svc.SendTaskFailure(ctx, *req.TaskToken, deref(req.Error), deref(req.Cause))
}

func (h *Handler) sendTaskHeartbeat(ctx context.Context, req *sendTaskRequest) (empty, error) {
	if err := required("taskToken", req.TaskToken); err != nil {
		return empty{}, err
	}
	return empty{}, h.svc.SendTaskHeartbeat(ctx, *req.TaskToken)
}

type tagResourceRequest struct {
	ResourceArn *string  `json:"resourceArn"`
	Tags        []tag    `json:"tags"`
	TagKeys     []string `json:"tagKeys"`
}

func (h *Handler) tagResource(ctx context.Context, req *tagResourceRequest) (empty, error) {
	if err := required("resourceArn", req.ResourceArn); err != nil {
		return empty{}, err
	}
	if req.Tags == nil {
		return empty{}, required("tags", nil)
	}
	return empty{}, h.svc.TagResource(ctx, *req.ResourceArn, toStoreTags(req.Tags))
}

func (h *Handler) untagResource(ctx context.Context, req *tagResourceRequest) (empty, error) {
	if err := required("resourceArn", req.ResourceArn); err != nil {
		return empty{}, err
	}
	if req.TagKeys == nil {
		return empty{}, required("tagKeys", nil)
	}
	return empty{}, h.svc.UntagResource(ctx, *req.ResourceArn, req.TagKeys)
}

type listTagsResponse struct {
	Tags []tag `json:"tags"`
}

func (h *Handler) listTagsForResource(ctx context.Context, req *tagResourceRequest) (*listTagsResponse, error) {
	if err := required("resourceArn", req.ResourceArn); err != nil {
		return nil, err
	}
	tags, err := h.svc.ListTagsForResource(ctx, *req.ResourceArn)
	if err != nil {
		return nil, err
	}
	return &listTagsResponse{Tags: fromStoreTags(tags)}, nil
}
