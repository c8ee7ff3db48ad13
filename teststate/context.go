package teststate

import (
	"fmt"
	"slices"
	"strings"

	"stepwise/asl"
	"stepwise/jsonval"
)

// contextFields lists the members a request's context object may set, per
// top-level member, as AWS accepts them.
var contextFields = map[string][]string{
	"Execution":    {"Id", "Input", "Name", "RoleArn", "StartTime", "RedriveCount", "RedriveTime"},
	"State":        {"EnteredTime", "Name", "RetryCount"},
	"StateMachine": {"Id", "Name"},
	"Task":         {"Token"},
}

// stringFields are the context members that must be strings.
var stringFields = map[string]bool{
	"Execution.Id": true, "Execution.Name": true, "Execution.RoleArn": true, "Execution.StartTime": true,
	"Execution.RedriveTime": true, "State.EnteredTime": true, "State.Name": true,
	"StateMachine.Id": true, "StateMachine.Name": true, "Task.Token": true,
}

// contextObject builds the $$ object the state sees: the request's
// context object when it sends one, else the stand-in execution's.
func (t *Test) contextObject(roleARN, override string) (*jsonval.Object, error) {
	e := t.env
	now := e.Now.UTC().Format("2006-01-02T15:04:05.000Z")
	partition := "aws"
	smARN := fmt.Sprintf("arn:%s:states:%s:%s:stateMachine:%s", partition, e.Region, e.Account, e.StateMachineName)
	exec := jsonval.NewObject(5)
	// AWS runs a test as an Express execution and names it so.
	exec.Set("Id", fmt.Sprintf("arn:%s:states:%s:%s:express:%s:%s", partition, e.Region, e.Account, e.StateMachineName, e.ExecutionName))
	exec.Set("Input", t.input)
	exec.Set("Name", e.ExecutionName)
	if roleARN != "" {
		exec.Set("RoleArn", roleARN)
	} else {
		exec.Set("RoleArn", nil)
	}
	exec.Set("StartTime", now)
	sm := jsonval.NewObject(2)
	sm.Set("Id", smARN)
	sm.Set("Name", e.StateMachineName)
	state := jsonval.NewObject(3)
	state.Set("Name", t.state.Name)
	state.Set("EnteredTime", now)
	if s := t.state; s.Type == asl.TypeTask || s.Type == asl.TypeMap || s.Type == asl.TypeParallel {
		// Only states that can retry report RetryCount, as in executions.
		state.Set("RetryCount", float64(t.cfg.RetrierRetryCount))
	}
	ctx := jsonval.NewObject(4)
	ctx.Set("Execution", exec)
	ctx.Set("StateMachine", sm)
	ctx.Set("State", state)
	if t.token != "" {
		task := jsonval.NewObject(1)
		task.Set("Token", t.token)
		ctx.Set("Task", task)
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
		case key == "Task" && !usesToken(t.state):
			return nil, invalidContext("Context object contains 'Task' when state is not a Task state with a '.sync' or '.waitForTaskToken' service integration pattern")
		}
		member, ok := val.(*jsonval.Object)
		if !ok {
			return nil, invalidContext("%s must be an object", key)
		}
		for name, fv := range member.All() {
			if !slices.Contains(fields, name) {
				return nil, invalidContext("Field '%s' is not allowed", name)
			}
			if _, isString := fv.(string); stringFields[key+"."+name] && !isString {
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
