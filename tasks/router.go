package tasks

import (
	"context"
	"fmt"

	"stepwise/resource"
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
//     (with any pattern suffix) go to Lambda ([IsLambda]);
//   - arn:aws:states:::http:invoke goes to HTTP ([IsHTTP]);
//   - a distributed Map's ItemReader and ResultWriter (Request.MapIO) go
//     to MapIO, whatever their resource;
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
	MapIO    Invoker
	Routes   []Route
	Fallback Invoker
}

// Route sends the resources Match accepts to Invoker. Match gets the
// request's Resource parsed.
type Route struct {
	Match   func(r resource.Resource) bool
	Invoker Invoker
}

var _ Invoker = (*Router)(nil)

// Invoke calls the invoker that answers req.Resource.
func (r *Router) Invoke(ctx context.Context, req Request) (any, error) {
	if req.MapIO != "" {
		return r.mapIO(ctx, req)
	}
	inv := r.route(req.Resource)
	if inv == nil {
		return nil, &Error{Name: ErrorRuntime, Cause: fmt.Sprintf(
			"The resource provided %s is not recognized. The value is not a valid resource ARN, or the resource is not available in this region.", req.Resource)}
	}
	return inv.Invoke(ctx, req)
}

func (r *Router) route(text string) Invoker {
	res := resource.Parse(text)
	var inv Invoker
	switch {
	case IsLambda(res):
		inv = r.Lambda
	case IsHTTP(res):
		inv = r.HTTP
	default:
		for _, rt := range r.Routes {
			if rt.Match(res) {
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

// IsLambda reports whether a [Router] sends r to Lambda: a Lambda function
// ARN with a name (arn:PARTITION:lambda:REGION:ACCOUNT:function:NAME, with
// any :QUALIFIER), or arn:aws:states:::lambda:invoke with a known
// integration pattern. Stepwise's own resources are in the aws partition.
func IsLambda(r resource.Resource) bool {
	return r.Kind == resource.Function && r.Name != "" ||
		r.Partition == "aws" && r.Is("lambda", "invoke") && r.Pattern != resource.UnknownPattern
}

// IsHTTP reports whether r is the HTTP Task, arn:aws:states:::http:invoke,
// which has the request-response pattern only.
func IsHTTP(r resource.Resource) bool {
	return r.Partition == "aws" && r.Is("http", "invoke") && r.Pattern == resource.RequestResponse
}

// mapIO carries out a distributed Map's ItemReader or ResultWriter. With
// no MapIO invoker it fails as AWS names the field's failures, saying how
// to give Stepwise S3 access.
func (r *Router) mapIO(ctx context.Context, req Request) (any, error) {
	if r.MapIO != nil {
		return r.MapIO.Invoke(ctx, req)
	}
	name := "States.ItemReaderFailed"
	if req.MapIO == MapResultWriter {
		name = "States.ResultWriterFailed"
	}
	return nil, &Error{Name: name, Cause: fmt.Sprintf(
		"The Map state's %s cannot reach S3: start Stepwise with --aws-endpoint s3=URL for an S3-compatible store, or --aws to use AWS (stepwise run also takes --bucket NAME=DIR)", req.MapIO)}
}
