package teststate

import (
	"fmt"
	"strings"

	"stepwise/engine"
	"stepwise/jsonval"
)

// contextFields lists the members a request's context object may set, per
// top-level member, as AWS accepts them, and whether each must be a
// string.
var contextFields = map[string]map[string]bool{
	"Execution": {"Id": true, "Input": false, "Name": true, "RoleArn": true, "StartTime": true,
		"RedriveCount": false, "RedriveTime": true},
	"State":        {"EnteredTime": true, "Name": true, "RetryCount": false},
	"StateMachine": {"Id": true, "Name": true},
	"Task":         {"Token": true},
}

// requestContext builds the $$ object the state sees: the request's
// context object when it sends one, else the stand-in execution's.
func (t *Test) requestContext(roleARN, override string) (*jsonval.Object, error) {
	e := t.env
	// AWS runs a test as an Express execution and names it so.
	exec := engine.Execution{
		ARN:             fmt.Sprintf("arn:aws:states:%s:%s:express:%s:%s", e.Region, e.Account, e.StateMachineName, e.ExecutionName),
		StateMachineARN: fmt.Sprintf("arn:aws:states:%s:%s:stateMachine:%s", e.Region, e.Account, e.StateMachineName),
		Name:            e.ExecutionName, StateMachineName: e.StateMachineName, RoleARN: roleARN,
		Input: t.input, StartTime: e.Now, Express: true,
	}
	ctx := engine.ContextObject(exec, t.state, e.Now, t.cfg.RetrierRetryCount, t.token)
	if x, _ := ctx.Get("Execution"); roleARN == "" {
		if o, ok := x.(*jsonval.Object); ok {
			// TestState shows a missing role as null.
			o.Set("RoleArn", nil)
		}
	}
	if strings.TrimSpace(override) == "" {
		return ctx, nil
	}
	v, err := jsonval.ParseString(override)
	if err != nil {
		return nil, invalidContext("%v", err)
	}
	obj, ok := v.(*jsonval.Object)
	if !ok {
		return nil, invalidContext("Context object must be a JSON object")
	}
	for key, val := range obj.All() {
		fields, ok := contextFields[key]
		switch {
		case key == "Map":
			return nil, invalidContext("'Map' field is not supported when mocking a Context object")
		case !ok:
			return nil, invalidContext("Field '%s' is not allowed", key)
		case key == "Task" && !engine.UsesToken(t.state):
			return nil, invalidContext("Context object contains 'Task' when state is not a Task state with a '.sync' or '.waitForTaskToken' service integration pattern")
		}
		member, ok := val.(*jsonval.Object)
		if !ok {
			return nil, invalidContext("%s must be an object", key)
		}
		for name, fv := range member.All() {
			mustString, ok := fields[name]
			if !ok {
				return nil, invalidContext("Field '%s' is not allowed", name)
			}
			if _, isString := fv.(string); mustString && !isString {
				return nil, invalidContext("%s.%s must be a string", key, name)
			}
		}
	}
	// The request's context object replaces the stand-in's whole: AWS
	// shows {} for $$ when the request sends {} (localstack's recordings
	// of AWS, test_state_context_object_edge_cases).
	return obj, nil
}

func invalidContext(format string, args ...any) *Error {
	return errorf(CodeValidation, "Invalid Context object provided: "+format, args...)
}
