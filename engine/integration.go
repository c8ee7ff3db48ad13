package engine

import (
	"fmt"
	"strings"

	"stepwise/jsonval"
	"stepwise/resource"
)

// AWS checks the parameters of some optimized integrations before it starts
// the task; parameters it cannot use fail the state with States.Runtime and
// no TaskScheduled event (conformance test_apigetway_task_service
// test_invoke_with_headers_singleStringHeader). paramChecks holds those
// checks by service and action, as the resource names them without its
// .sync or .waitForTaskToken suffix; each returns AWS's messages for what
// is wrong, none when the parameters are usable.
var paramChecks = map[string]func(params any) []string{
	"apigateway:invoke": checkAPIGatewayInvoke,
}

// checkParameters returns the failure of a Task whose parameters its
// integration cannot use, or nil.
func checkParameters(r resource.Resource, stateName string, enteredID int64, params any) *failure {
	if r.Kind != resource.Integration || r.SDK {
		return nil
	}
	check := paramChecks[r.Service+":"+r.Action]
	if check == nil {
		return nil
	}
	problems := check(params)
	if len(problems) == 0 {
		return nil
	}
	return &failure{Error: ErrorRuntime, HasCause: true, Cause: fmt.Sprintf(
		"An error occurred while executing the state '%s' (entered at the event id #%d). The Parameters '%s' could not be used to start the Task: [%s]",
		stateName, enteredID, jsonText(params), strings.Join(problems, ", "))}
}

// apiGatewayFields lists the parameters of apigateway:invoke with the JSON
// kind each must have, in the order AWS's documentation lists them.
var apiGatewayFields = []struct {
	name     string
	required bool
	valid    func(v any) bool
}{
	{"ApiEndpoint", true, isString},
	{"Method", true, oneOf("GET", "POST", "PUT", "DELETE", "PATCH", "HEAD", "OPTIONS")},
	{"Headers", false, isMultiValueMap},
	{"Stage", false, isString},
	{"Path", false, isString},
	{"QueryParameters", false, isMultiValueMap},
	{"AllowNullValues", false, func(v any) bool { _, ok := v.(bool); return ok }},
	{"AuthType", false, oneOf("NO_AUTH", "IAM_ROLE", "RESOURCE_POLICY")},
}

// checkAPIGatewayInvoke checks apigateway:invoke's parameters as AWS's
// documentation describes them: ApiEndpoint and Method required, Headers
// and QueryParameters objects whose values are arrays of strings.
// RequestBody may be any value.
func checkAPIGatewayInvoke(params any) []string {
	obj, ok := params.(*jsonval.Object)
	if !ok {
		return []string{"The Parameters must be a JSON object"}
	}
	var problems []string
	for _, f := range apiGatewayFields {
		v, ok := obj.Get(f.name)
		switch {
		case !ok && f.required:
			problems = append(problems, fmt.Sprintf("The field '%s' is required but was missing", f.name))
		case ok && !f.valid(v):
			problems = append(problems, fmt.Sprintf("The value of the field '%s' has an invalid format", f.name))
		}
	}
	return problems
}

func isString(v any) bool { _, ok := v.(string); return ok }

func oneOf(values ...string) func(any) bool {
	return func(v any) bool {
		s, ok := v.(string)
		if !ok {
			return false
		}
		for _, x := range values {
			if s == x {
				return true
			}
		}
		return false
	}
}

// isMultiValueMap reports whether v is an object of arrays of strings, the
// form API Gateway takes headers and query parameters in.
func isMultiValueMap(v any) bool {
	obj, ok := v.(*jsonval.Object)
	if !ok {
		return false
	}
	for _, x := range obj.All() {
		arr, ok := x.([]any)
		if !ok {
			return false
		}
		for _, e := range arr {
			if !isString(e) {
				return false
			}
		}
	}
	return true
}
