package api

import (
	"context"

	"stepwise/teststate"
)

// testStateRequest is AWS's TestStateInput.
type testStateRequest struct {
	Definition         *string                 `json:"definition"`
	RoleArn            *string                 `json:"roleArn"`
	Input              *string                 `json:"input"`
	InspectionLevel    *string                 `json:"inspectionLevel"`
	RevealSecrets      bool                    `json:"revealSecrets"`
	Variables          *string                 `json:"variables"`
	StateName          *string                 `json:"stateName"`
	Context            *string                 `json:"context"`
	Mock               *testStateMock          `json:"mock"`
	StateConfiguration *testStateConfiguration `json:"stateConfiguration"`
}

// testStateMock is AWS's MockInput.
type testStateMock struct {
	Result      *string `json:"result"`
	ErrorOutput *struct {
		Error *string `json:"error"`
		Cause *string `json:"cause"`
	} `json:"errorOutput"`
	FieldValidationMode *string `json:"fieldValidationMode"`
}

// testStateConfiguration is AWS's TestStateConfiguration.
type testStateConfiguration struct {
	RetrierRetryCount        *int64  `json:"retrierRetryCount"`
	ErrorCausedByState       *string `json:"errorCausedByState"`
	MapIterationFailureCount *int64  `json:"mapIterationFailureCount"`
	MapItemReaderData        *string `json:"mapItemReaderData"`
}

// testState serves TestState. The response has AWS's TestStateOutput
// shape, which [teststate.Response] carries in its JSON tags.
func (h *Handler) testState(ctx context.Context, req *testStateRequest) (*teststate.Response, error) {
	if err := required("definition", req.Definition); err != nil {
		return nil, err
	}
	in := teststate.Request{
		Definition: *req.Definition, StateName: deref(req.StateName), RoleARN: deref(req.RoleArn),
		Input: deref(req.Input), InspectionLevel: teststate.InspectionLevel(deref(req.InspectionLevel)),
		RevealSecrets: req.RevealSecrets, Variables: deref(req.Variables), Context: deref(req.Context),
	}
	if m := req.Mock; m != nil {
		in.Mock = &teststate.Mock{Result: deref(m.Result), HasResult: m.Result != nil, FieldValidationMode: deref(m.FieldValidationMode)}
		if e := m.ErrorOutput; e != nil {
			in.Mock.ErrorOutput = &teststate.MockError{Error: deref(e.Error), Cause: deref(e.Cause)}
		}
	}
	if c := req.StateConfiguration; c != nil {
		in.Configuration = &teststate.Configuration{ErrorCausedByState: deref(c.ErrorCausedByState), MapItemReaderData: deref(c.MapItemReaderData)}
		if c.RetrierRetryCount != nil {
			in.Configuration.RetrierRetryCount = *c.RetrierRetryCount
		}
		if c.MapIterationFailureCount != nil {
			in.Configuration.MapIterationFailureCount = *c.MapIterationFailureCount
		}
	}
	return h.svc.TestState(ctx, in)
}
