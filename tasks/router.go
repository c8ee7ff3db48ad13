package tasks

import (
	"context"
	"fmt"
	"strings"
)

// ErrorRuntime is the error name of a task whose Resource nothing can
// carry out. AWS rejects such a definition when it is created
// (ValidateStateMachineDefinition reports "The resource provided ... is not
// recognized"); Stepwise may run definitions AWS never saw, so it fails the
// task at run time instead, with States.Runtime, which Retry and Catch with
// States.ALL never match, like the other errors AWS raises for a broken
// definition.
const ErrorRuntime = "States.Runtime"

// Resource kinds a [Router] tells apart.
const (
	// ResourceLambdaInvoke is the optimized Lambda integration.
	ResourceLambdaInvoke = "arn:aws:states:::lambda:invoke"
	// ResourceHTTPInvoke is the HTTP Task.
	ResourceHTTPInvoke = "arn:aws:states:::http:invoke"
)

// Router is an [Invoker] that hands each request to the invoker for its
// Resource:
//
//   - Lambda function ARNs (arn:aws:lambda:REGION:ACCOUNT:function:NAME,
//     optionally with a :QUALIFIER) and arn:aws:states:::lambda:invoke
//     (with any .waitForTaskToken suffix) go to Lambda;
//   - arn:aws:states:::http:invoke goes to HTTP;
//   - a resource one of Routes matches goes to that route's invoker (the
//     first that matches);
//   - everything else goes to Fallback.
//
// A request whose invoker is nil goes to Fallback; when that is nil too,
// it fails with an *[Error] named [ErrorRuntime]. A Router is safe for concurrent use when its invokers
// are; its fields must not change while it is in use.
type Router struct {
	Lambda   Invoker
	HTTP     Invoker
	Routes   []Route
	Fallback Invoker
}

// Route sends the resources Match accepts to Invoker.
type Route struct {
	Match   func(resource string) bool
	Invoker Invoker
}

var _ Invoker = (*Router)(nil)

// Invoke calls the invoker that answers req.Resource.
func (r *Router) Invoke(ctx context.Context, req Request) (any, error) {
	inv := r.route(req.Resource)
	if inv == nil {
		return nil, &Error{Name: ErrorRuntime, Cause: fmt.Sprintf(
			"The resource provided %s is not recognized. The value is not a valid resource ARN, or the resource is not available in this region.", req.Resource)}
	}
	return inv.Invoke(ctx, req)
}

func (r *Router) route(resource string) Invoker {
	var inv Invoker
	switch {
	case IsLambdaFunctionARN(resource), trimPattern(resource) == ResourceLambdaInvoke:
		inv = r.Lambda
	case resource == ResourceHTTPInvoke:
		inv = r.HTTP
	default:
		for _, rt := range r.Routes {
			if rt.Match(resource) {
				inv = rt.Invoker
				break
			}
		}
	}
	if inv == nil {
		return r.Fallback
	}
	return inv
}

// IsLambdaFunctionARN reports whether resource is a Lambda function ARN:
// arn:PARTITION:lambda:REGION:ACCOUNT:function:NAME[:QUALIFIER].
func IsLambdaFunctionARN(resource string) bool {
	parts := strings.Split(resource, ":")
	return (len(parts) == 7 || len(parts) == 8) && parts[0] == "arn" && parts[2] == "lambda" &&
		parts[5] == "function" && parts[6] != ""
}

// trimPattern removes a service integration pattern suffix (.sync,
// .sync:2, .waitForTaskToken) from an integration ARN.
func trimPattern(resource string) string {
	for _, s := range []string{".waitForTaskToken", ".sync:2", ".sync"} {
		if r, ok := strings.CutSuffix(resource, s); ok {
			return r
		}
	}
	return resource
}
