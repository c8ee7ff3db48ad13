package api

import (
	"context"
	"strconv"

	"stepwise/service"
	"stepwise/store"
)

// versionActions are the actions of state machine versions and aliases
// (issue 18), merged into the action table.
func (h *Handler) versionActions() map[string]action {
	return map[string]action{
		"PublishStateMachineVersion": handle(h.publishStateMachineVersion),
		"ListStateMachineVersions":   paged(h, "ListStateMachineVersions", h.listStateMachineVersions),
		"DeleteStateMachineVersion":  handle(h.deleteStateMachineVersion),
		"CreateStateMachineAlias":    handle(h.createStateMachineAlias),
		"DescribeStateMachineAlias":  handle(h.describeStateMachineAlias),
		"UpdateStateMachineAlias":    handle(h.updateStateMachineAlias),
		"DeleteStateMachineAlias":    handle(h.deleteStateMachineAlias),
		"ListStateMachineAliases":    paged(h, "ListStateMachineAliases", h.listStateMachineAliases),
	}
}

type publishVersionRequest struct {
	StateMachineArn *string `json:"stateMachineArn"`
	RevisionID      *string `json:"revisionId"`
	Description     *string `json:"description"`
}

type publishVersionResponse struct {
	StateMachineVersionArn string `json:"stateMachineVersionArn"`
	CreationDate           epoch  `json:"creationDate"`
}

func (h *Handler) publishStateMachineVersion(ctx context.Context, req *publishVersionRequest) (*publishVersionResponse, error) {
	if err := required("stateMachineArn", req.StateMachineArn); err != nil {
		return nil, err
	}
	v, err := h.svc.PublishStateMachineVersion(ctx, service.PublishVersionInput{StateMachineARN: *req.StateMachineArn,
		RevisionID: req.RevisionID, Description: req.Description})
	if err != nil {
		return nil, err
	}
	return &publishVersionResponse{StateMachineVersionArn: v.ARN, CreationDate: epoch(v.CreationDate)}, nil
}

type listVersionsRequest struct {
	StateMachineArn *string `json:"stateMachineArn"`
	page
}

func (r *listVersionsRequest) paging() (*page, []string) {
	return &r.page, []string{paramString(r.StateMachineArn)}
}

type versionListItem struct {
	StateMachineVersionArn string `json:"stateMachineVersionArn"`
	CreationDate           epoch  `json:"creationDate"`
}

type listVersionsResponse struct {
	StateMachineVersions []versionListItem `json:"stateMachineVersions"`
	NextToken            *string           `json:"nextToken,omitempty"`
}

func (r *listVersionsResponse) nextTokenField() **string { return &r.NextToken }

func (h *Handler) listStateMachineVersions(ctx context.Context, req *listVersionsRequest) (*listVersionsResponse, error) {
	if err := required("stateMachineArn", req.StateMachineArn); err != nil {
		return nil, err
	}
	p, err := req.storePage()
	if err != nil {
		return nil, err
	}
	list, next, err := h.svc.ListStateMachineVersions(ctx, *req.StateMachineArn, p)
	if err != nil {
		return nil, err
	}
	out := &listVersionsResponse{StateMachineVersions: make([]versionListItem, 0, len(list)), NextToken: optional(next)}
	for _, v := range list {
		out.StateMachineVersions = append(out.StateMachineVersions, versionListItem{StateMachineVersionArn: v.ARN, CreationDate: epoch(v.CreationDate)})
	}
	return out, nil
}

type versionArnRequest struct {
	StateMachineVersionArn *string `json:"stateMachineVersionArn"`
}

func (h *Handler) deleteStateMachineVersion(ctx context.Context, req *versionArnRequest) (empty, error) {
	if err := required("stateMachineVersionArn", req.StateMachineVersionArn); err != nil {
		return empty{}, err
	}
	return empty{}, h.svc.DeleteStateMachineVersion(ctx, *req.StateMachineVersionArn)
}

// routingItem is one RoutingConfigurationListItem.
type routingItem struct {
	StateMachineVersionArn *string `json:"stateMachineVersionArn"`
	Weight                 *int    `json:"weight"`
}

// toRoutes checks the members AWS requires of each item.
func toRoutes(items []routingItem) ([]store.Route, error) {
	out := make([]store.Route, 0, len(items))
	for i, it := range items {
		field := "routingConfiguration." + strconv.Itoa(i+1) + ".member."
		if err := required(field+"stateMachineVersionArn", it.StateMachineVersionArn); err != nil {
			return nil, err
		}
		if it.Weight == nil {
			return nil, errorf(codeValidation, "1 validation error detected: Value null at '%sweight' failed to satisfy constraint: Member must not be null", field)
		}
		out = append(out, store.Route{VersionARN: *it.StateMachineVersionArn, Weight: *it.Weight})
	}
	return out, nil
}

func fromRoutes(routes []store.Route) []routingItem {
	out := make([]routingItem, len(routes))
	for i, r := range routes {
		out[i] = routingItem{StateMachineVersionArn: &r.VersionARN, Weight: &r.Weight}
	}
	return out
}

type createAliasRequest struct {
	Name                 *string       `json:"name"`
	Description          *string       `json:"description"`
	RoutingConfiguration []routingItem `json:"routingConfiguration"`
}

type createAliasResponse struct {
	StateMachineAliasArn string `json:"stateMachineAliasArn"`
	CreationDate         epoch  `json:"creationDate"`
}

func (h *Handler) createStateMachineAlias(ctx context.Context, req *createAliasRequest) (*createAliasResponse, error) {
	if err := required("name", req.Name); err != nil {
		return nil, err
	}
	if req.RoutingConfiguration == nil {
		return nil, errorf(codeValidation, "1 validation error detected: Value null at 'routingConfiguration' failed to satisfy constraint: Member must not be null")
	}
	routes, err := toRoutes(req.RoutingConfiguration)
	if err != nil {
		return nil, err
	}
	a, err := h.svc.CreateStateMachineAlias(ctx, service.CreateAliasInput{Name: *req.Name, Description: req.Description, Routing: routes})
	if err != nil {
		return nil, err
	}
	return &createAliasResponse{StateMachineAliasArn: a.ARN, CreationDate: epoch(a.CreationDate)}, nil
}

type aliasArnRequest struct {
	StateMachineAliasArn *string `json:"stateMachineAliasArn"`
}

type describeAliasResponse struct {
	StateMachineAliasArn string        `json:"stateMachineAliasArn"`
	Name                 string        `json:"name"`
	Description          *string       `json:"description,omitempty"`
	RoutingConfiguration []routingItem `json:"routingConfiguration"`
	CreationDate         epoch         `json:"creationDate"`
	UpdateDate           epoch         `json:"updateDate"`
}

func (h *Handler) describeStateMachineAlias(ctx context.Context, req *aliasArnRequest) (*describeAliasResponse, error) {
	if err := required("stateMachineAliasArn", req.StateMachineAliasArn); err != nil {
		return nil, err
	}
	a, err := h.svc.DescribeStateMachineAlias(ctx, *req.StateMachineAliasArn)
	if err != nil {
		return nil, err
	}
	return &describeAliasResponse{StateMachineAliasArn: a.ARN, Name: a.Name, Description: optional(a.Description),
		RoutingConfiguration: fromRoutes(a.Routing), CreationDate: epoch(a.CreationDate), UpdateDate: epoch(a.UpdateDate)}, nil
}

type updateAliasRequest struct {
	StateMachineAliasArn *string       `json:"stateMachineAliasArn"`
	Description          *string       `json:"description"`
	RoutingConfiguration []routingItem `json:"routingConfiguration"`
}

type updateAliasResponse struct {
	UpdateDate epoch `json:"updateDate"`
}

func (h *Handler) updateStateMachineAlias(ctx context.Context, req *updateAliasRequest) (*updateAliasResponse, error) {
	if err := required("stateMachineAliasArn", req.StateMachineAliasArn); err != nil {
		return nil, err
	}
	in := service.UpdateAliasInput{ARN: *req.StateMachineAliasArn, Description: req.Description}
	if req.RoutingConfiguration != nil {
		routes, err := toRoutes(req.RoutingConfiguration)
		if err != nil {
			return nil, err
		}
		in.Routing = routes
	}
	a, err := h.svc.UpdateStateMachineAlias(ctx, in)
	if err != nil {
		return nil, err
	}
	return &updateAliasResponse{UpdateDate: epoch(a.UpdateDate)}, nil
}

func (h *Handler) deleteStateMachineAlias(ctx context.Context, req *aliasArnRequest) (empty, error) {
	if err := required("stateMachineAliasArn", req.StateMachineAliasArn); err != nil {
		return empty{}, err
	}
	return empty{}, h.svc.DeleteStateMachineAlias(ctx, *req.StateMachineAliasArn)
}

type listAliasesRequest struct {
	StateMachineArn *string `json:"stateMachineArn"`
	page
}

func (r *listAliasesRequest) paging() (*page, []string) {
	return &r.page, []string{paramString(r.StateMachineArn)}
}

type aliasListItem struct {
	StateMachineAliasArn string `json:"stateMachineAliasArn"`
	CreationDate         epoch  `json:"creationDate"`
}

type listAliasesResponse struct {
	StateMachineAliases []aliasListItem `json:"stateMachineAliases"`
	NextToken           *string         `json:"nextToken,omitempty"`
}

func (r *listAliasesResponse) nextTokenField() **string { return &r.NextToken }

func (h *Handler) listStateMachineAliases(ctx context.Context, req *listAliasesRequest) (*listAliasesResponse, error) {
	if err := required("stateMachineArn", req.StateMachineArn); err != nil {
		return nil, err
	}
	p, err := req.storePage()
	if err != nil {
		return nil, err
	}
	list, next, err := h.svc.ListStateMachineAliases(ctx, *req.StateMachineArn, p)
	if err != nil {
		return nil, err
	}
	out := &listAliasesResponse{StateMachineAliases: make([]aliasListItem, 0, len(list)), NextToken: optional(next)}
	for _, a := range list {
		out.StateMachineAliases = append(out.StateMachineAliases, aliasListItem{StateMachineAliasArn: a.ARN, CreationDate: epoch(a.CreationDate)})
	}
	return out, nil
}
