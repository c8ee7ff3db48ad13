package api

import (
	"context"
	"encoding/json"
	"strconv"

	"stepwise/asl"
	"stepwise/service"
	"stepwise/store"
)

// AWS's answers for configurations never set.
const (
	defaultLogging = `{"level":"OFF","includeExecutionData":false}`
	defaultTracing = `{"enabled":false}`
)

type createStateMachineRequest struct {
	Name                 *string         `json:"name"`
	Definition           *string         `json:"definition"`
	RoleArn              *string         `json:"roleArn"`
	Type                 *string         `json:"type"`
	LoggingConfiguration json.RawMessage `json:"loggingConfiguration"`
	TracingConfiguration json.RawMessage `json:"tracingConfiguration"`
	Tags                 []tag           `json:"tags"`
	Publish              bool            `json:"publish"`
	VersionDescription   *string         `json:"versionDescription"`
	// EncryptionConfiguration is kept and returned; see
	// service.checkEncryption for what Stepwise accepts.
	EncryptionConfiguration json.RawMessage `json:"encryptionConfiguration"`
}

type createStateMachineResponse struct {
	StateMachineArn        string  `json:"stateMachineArn"`
	CreationDate           epoch   `json:"creationDate"`
	StateMachineVersionArn *string `json:"stateMachineVersionArn,omitempty"`
}

func (h *Handler) createStateMachine(ctx context.Context, req *createStateMachineRequest) (*createStateMachineResponse, error) {
	if err := requiredAll("name", req.Name, "definition", req.Definition, "roleArn", req.RoleArn); err != nil {
		return nil, err
	}
	logging, err := configText("loggingConfiguration", req.LoggingConfiguration)
	if err != nil {
		return nil, err
	}
	tracing, err := configText("tracingConfiguration", req.TracingConfiguration)
	if err != nil {
		return nil, err
	}
	encryption, err := configText("encryptionConfiguration", req.EncryptionConfiguration)
	if err != nil {
		return nil, err
	}
	sm, err := h.svc.CreateStateMachine(ctx, service.CreateStateMachineInput{
		Name: *req.Name, Definition: *req.Definition, RoleARN: *req.RoleArn, Type: store.StateMachineType(deref(req.Type)),
		LoggingConfiguration: logging, TracingConfiguration: tracing, EncryptionConfiguration: encryption, Tags: toStoreTags(req.Tags),
		Publish: req.Publish, VersionDescription: req.VersionDescription,
	})
	if err != nil {
		return nil, err
	}
	return &createStateMachineResponse{StateMachineArn: sm.ARN, CreationDate: epoch(sm.CreationDate),
		StateMachineVersionArn: optional(sm.VersionARN)}, nil
}

// configText returns a configuration object as JSON text; it must be an
// object or null.
func configText(field string, raw json.RawMessage) (string, error) {
	if len(raw) == 0 || string(raw) == "null" {
		return "", nil
	}
	var obj map[string]any
	if err := json.Unmarshal(raw, &obj); err != nil {
		return "", errorf(codeSerialization, "Unexpected value at '%s': expected an object", field)
	}
	return string(raw), nil
}

// configOrNil returns a stored configuration, or nothing when never set.
func configOrNil(text string) json.RawMessage {
	if text == "" {
		return nil
	}
	return json.RawMessage(text)
}

// configOrDefault returns a stored configuration, or AWS's default.
func configOrDefault(text, def string) json.RawMessage {
	if text == "" {
		return json.RawMessage(def)
	}
	return json.RawMessage(text)
}

type arnRequest struct {
	StateMachineArn *string `json:"stateMachineArn"`
	IncludedData    *string `json:"includedData"`
}

type describeStateMachineResponse struct {
	StateMachineArn      string          `json:"stateMachineArn"`
	Name                 string          `json:"name"`
	Status               string          `json:"status"`
	Definition           string          `json:"definition"`
	RoleArn              string          `json:"roleArn"`
	Type                 string          `json:"type"`
	CreationDate         epoch           `json:"creationDate"`
	LoggingConfiguration json.RawMessage `json:"loggingConfiguration"`
	TracingConfiguration json.RawMessage `json:"tracingConfiguration"`
	RevisionID           string          `json:"revisionId,omitempty"`
	Description          string          `json:"description,omitempty"`
	// EncryptionConfiguration is omitted when it was never set.
	EncryptionConfiguration json.RawMessage `json:"encryptionConfiguration,omitempty"`
}

func (h *Handler) describeStateMachine(ctx context.Context, req *arnRequest) (*describeStateMachineResponse, error) {
	if err := required("stateMachineArn", req.StateMachineArn); err != nil {
		return nil, err
	}
	sm, err := h.svc.DescribeStateMachine(ctx, *req.StateMachineArn)
	if err != nil {
		return nil, err
	}
	return &describeStateMachineResponse{
		StateMachineArn: sm.ARN, Name: sm.Name, Status: string(sm.Status), Definition: sm.Definition, RoleArn: sm.RoleARN,
		Type: string(sm.Type), CreationDate: epoch(sm.CreationDate), RevisionID: sm.RevisionID, Description: sm.Description,
		LoggingConfiguration:    configOrDefault(sm.LoggingConfiguration, defaultLogging),
		TracingConfiguration:    configOrDefault(sm.TracingConfiguration, defaultTracing),
		EncryptionConfiguration: configOrNil(sm.EncryptionConfiguration),
	}, nil
}

type updateStateMachineRequest struct {
	StateMachineArn         *string         `json:"stateMachineArn"`
	Definition              *string         `json:"definition"`
	RoleArn                 *string         `json:"roleArn"`
	LoggingConfiguration    json.RawMessage `json:"loggingConfiguration"`
	TracingConfiguration    json.RawMessage `json:"tracingConfiguration"`
	Publish                 bool            `json:"publish"`
	VersionDescription      *string         `json:"versionDescription"`
	EncryptionConfiguration json.RawMessage `json:"encryptionConfiguration"`
}

type updateStateMachineResponse struct {
	UpdateDate             epoch   `json:"updateDate"`
	RevisionID             string  `json:"revisionId,omitempty"`
	StateMachineVersionArn *string `json:"stateMachineVersionArn,omitempty"`
}

func (h *Handler) updateStateMachine(ctx context.Context, req *updateStateMachineRequest) (*updateStateMachineResponse, error) {
	if err := required("stateMachineArn", req.StateMachineArn); err != nil {
		return nil, err
	}
	in := service.UpdateStateMachineInput{ARN: *req.StateMachineArn, Definition: req.Definition, RoleARN: req.RoleArn,
		Publish: req.Publish, VersionDescription: req.VersionDescription}
	for _, c := range []struct {
		field string
		raw   json.RawMessage
		dst   **string
	}{
		{"loggingConfiguration", req.LoggingConfiguration, &in.LoggingConfiguration},
		{"tracingConfiguration", req.TracingConfiguration, &in.TracingConfiguration},
		{"encryptionConfiguration", req.EncryptionConfiguration, &in.EncryptionConfiguration},
	} {
		text, err := configText(c.field, c.raw)
		if err != nil {
			return nil, err
		}
		if text != "" {
			*c.dst = &text
		}
	}
	sm, err := h.svc.UpdateStateMachine(ctx, in)
	if err != nil {
		return nil, err
	}
	return &updateStateMachineResponse{UpdateDate: epoch(sm.UpdateDate), RevisionID: sm.RevisionID,
		StateMachineVersionArn: optional(sm.VersionARN)}, nil
}

func (h *Handler) deleteStateMachine(ctx context.Context, req *arnRequest) (empty, error) {
	if err := required("stateMachineArn", req.StateMachineArn); err != nil {
		return empty{}, err
	}
	return empty{}, h.svc.DeleteStateMachine(ctx, *req.StateMachineArn)
}

type stateMachineListItem struct {
	StateMachineArn string `json:"stateMachineArn"`
	Name            string `json:"name"`
	Type            string `json:"type"`
	CreationDate    epoch  `json:"creationDate"`
}

type listStateMachinesResponse struct {
	StateMachines []stateMachineListItem `json:"stateMachines"`
	NextToken     *string                `json:"nextToken,omitempty"`
}

func (h *Handler) listStateMachines(ctx context.Context, req *page) (*listStateMachinesResponse, error) {
	p, err := req.storePage()
	if err != nil {
		return nil, err
	}
	list, next, err := h.svc.ListStateMachines(ctx, p)
	if err != nil {
		return nil, err
	}
	out := &listStateMachinesResponse{StateMachines: make([]stateMachineListItem, 0, len(list)), NextToken: optional(next)}
	for _, sm := range list {
		out.StateMachines = append(out.StateMachines, stateMachineListItem{
			StateMachineArn: sm.ARN, Name: sm.Name, Type: string(sm.Type), CreationDate: epoch(sm.CreationDate)})
	}
	return out, nil
}

type validateRequest struct {
	Definition *string `json:"definition"`
	Type       *string `json:"type"`
	Severity   *string `json:"severity"`
	MaxResults *int    `json:"maxResults"`
}

type validateResponse struct {
	Result      string           `json:"result"`
	Diagnostics []asl.Diagnostic `json:"diagnostics"`
	Truncated   bool             `json:"truncated"`
}

func (h *Handler) validateStateMachineDefinition(_ context.Context, req *validateRequest) (*validateResponse, error) {
	if err := required("definition", req.Definition); err != nil {
		return nil, err
	}
	if t := deref(req.Type); t != "" && t != string(store.TypeStandard) && t != string(store.TypeExpress) {
		return nil, validation(t, "type", "Member must satisfy enum value set: [STANDARD, EXPRESS]")
	}
	// AWS's severity is the lowest severity reported: ERROR (the default)
	// reports errors only, WARNING reports both.
	severity := asl.Severity(deref(req.Severity))
	switch severity {
	case "":
		severity = asl.SeverityError
	case asl.SeverityError, asl.SeverityWarning:
	default:
		return nil, validation(string(severity), "severity", "Member must satisfy enum value set: [ERROR, WARNING]")
	}
	limit := 100
	if req.MaxResults != nil {
		if *req.MaxResults < 0 || *req.MaxResults > 100 {
			return nil, validation(strconv.Itoa(*req.MaxResults), "maxResults", "Member must have value less than or equal to 100")
		}
		if *req.MaxResults > 0 {
			limit = *req.MaxResults
		}
	}
	out := &validateResponse{Result: "OK", Diagnostics: []asl.Diagnostic{}}
	for _, d := range h.svc.ValidateDefinition(*req.Definition) {
		if d.Severity == asl.SeverityError {
			out.Result = "FAIL"
		}
		if severity == asl.SeverityError && d.Severity != asl.SeverityError {
			continue
		}
		if len(out.Diagnostics) == limit {
			out.Truncated = true
			continue
		}
		out.Diagnostics = append(out.Diagnostics, d)
	}
	return out, nil
}
