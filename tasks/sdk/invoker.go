package sdk

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"reflect"
	"slices"
	"sync/atomic"

	"github.com/aws/aws-sdk-go-v2/aws"
	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
	"github.com/aws/aws-sdk-go-v2/credentials"

	"stepwise/jsonval"
	"stepwise/resource"
	"stepwise/tasks"
	"stepwise/tasks/awsservice"
)

// Config configures an [Invoker].
type Config struct {
	// Endpoints holds the base URL of each service by its aws-sdk name
	// (s3, sfn, kms, ...). A service without one is reached at AWS when AWS is set,
	// and fails with a cause saying how to configure it otherwise.
	Endpoints map[string]string
	// AWS sends services without an endpoint to AWS.
	AWS bool
	// Region signs requests and names AWS endpoints; default us-east-1.
	Region string
	// Credentials sign requests; nil means static credentials from
	// AccessKeyID, SecretAccessKey and SessionToken.
	Credentials aws.CredentialsProvider
	// AccessKeyID, SecretAccessKey and SessionToken are the static
	// credentials; local emulators accept any. Empty means the key
	// "stepwise".
	AccessKeyID, SecretAccessKey, SessionToken string
	// HTTPClient sends the requests; nil means the SDK's default.
	HTTPClient *http.Client
}

// Invoker is a [tasks.Invoker] for AWS SDK integrations of the services
// in the registry. Its clients are built once, in [New]. It is safe for
// concurrent use.
type Invoker struct {
	clients map[string]any // by service name; only configured services
}

var _ tasks.Invoker = (*Invoker)(nil)

// New returns an Invoker with a client for each registered service cfg
// gives an endpoint, or for every one when cfg.AWS is set.
func New(cfg Config) *Invoker {
	if cfg.Region == "" {
		cfg.Region = "us-east-1"
	}
	creds := cfg.Credentials
	if creds == nil && cfg.AccessKeyID == "" {
		// Local emulators accept any key but the SDK refuses to sign
		// with none.
		cfg.AccessKeyID, cfg.SecretAccessKey = "stepwise", "stepwise"
	}
	if creds == nil {
		creds = credentials.NewStaticCredentialsProvider(cfg.AccessKeyID, cfg.SecretAccessKey, cfg.SessionToken)
	}
	var next aws.HTTPClient = awshttp.NewBuildableClient()
	if cfg.HTTPClient != nil {
		next = cfg.HTTPClient
	}
	acfg := aws.Config{Region: cfg.Region, Credentials: aws.NewCredentialsCache(creds), HTTPClient: countingClient{next}}
	iv := &Invoker{clients: map[string]any{}}
	for name, svc := range services {
		ep := cfg.Endpoints[svc.endpointKey(name)]
		if svc.newClient == nil || ep == "" && !cfg.AWS {
			continue
		}
		c := acfg
		if ep != "" {
			c.BaseEndpoint = aws.String(ep)
		}
		iv.clients[name] = svc.newClient(c)
	}
	return iv
}

// Handles reports whether r is an AWS SDK integration of a registered
// service, request-response or .waitForTaskToken (the patterns AWS offers
// for SDK integrations), that tasks/awsservice does not carry out: that
// package keeps every dynamodb and sqs action, sns:publish,
// eventbridge:putEvents and sesv2:sendEmail, and their recorded
// conformance; aws-sdk:sns:listTopics comes here. An optional service this
// binary was built without (ec2) is handled too, failing with a cause
// that says how to get it.
func Handles(r resource.Resource) bool {
	_, ok := services[r.Service]
	return ok && r.Kind == resource.Integration && r.SDK && r.Partition == "aws" &&
		(r.Pattern == resource.RequestResponse || r.Pattern == resource.WaitForTaskToken) &&
		!awsservice.Handles(r)
}

// Invoke calls the action req.Resource names with req.Input decoded into
// its input. Failures are *[tasks.Error]s: the service's errors named as
// AWS names them, States.Runtime for an action or parameter the service
// does not have and for a service with no endpoint; a cancelled ctx
// returns ctx's error.
func (iv *Invoker) Invoke(ctx context.Context, req tasks.Request) (any, error) {
	r := resource.Parse(req.Resource)
	svc, ok := services[r.Service]
	if !Handles(r) || !ok {
		return nil, runtimeError("The resource provided %s is not recognized. The value is not a valid resource ARN, or the resource is not available in this region.", req.Resource)
	}
	if svc.missing != "" {
		if actions, _ := resource.SDKActions(r.Service); !slices.Contains(actions, r.Action) {
			return nil, unknownAction(r.Service, r.Action)
		}
		return nil, &tasks.Error{Name: tasks.ErrorTaskFailed, Cause: svc.missing}
	}
	op, err := operationOf(r.Service, r.Action)
	if err != nil {
		return nil, err
	}
	client, ok := iv.clients[r.Service]
	if !ok {
		// States.TaskFailed, as "no invoker" was: a Catch on States.ALL
		// still takes it.
		return nil, &tasks.Error{Name: tasks.ErrorTaskFailed, Cause: fmt.Sprintf(
			"The %s service has no endpoint: start Stepwise with --aws-endpoint %s=URL for a compatible server, or --aws to call AWS, or mock the state with --mock-config", r.Service, svc.endpointKey(r.Service))}
	}
	input, err := svc.decode(op, r.Action, req.Input)
	if err != nil {
		var pe *ParameterError
		if errors.As(err, &pe) {
			// AWS's cause also says at which event the state was
			// entered, which an invoker does not know.
			return nil, runtimeError("An error occurred while executing the state '%s'. The Parameters '%s' could not be used to start the Task: [%v]",
				req.StateName, jsonval.MustMarshalString(req.Input), pe)
		}
		return nil, err
	}
	attempts := new(atomic.Int32)
	callCtx := context.WithValue(ctx, attemptsKey{}, attempts)
	result, callErr, err := call(callCtx, op, client, input)
	if err != nil {
		return nil, &tasks.Error{Name: tasks.ErrorTaskFailed, Cause: fmt.Sprintf("%s: %v", req.Resource, err)}
	}
	if callErr != nil {
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		return nil, serviceError(svc, r.Action, callErr, int(attempts.Load()))
	}
	o, err := svc.encode(result)
	if errors.Is(err, ErrBodyTooLarge) {
		return nil, &tasks.Error{Name: ErrorDataLimitExceeded, Cause: fmt.Sprintf("The state/task '%s' returned a result with a size exceeding the maximum number of bytes service limit.", req.StateName)}
	}
	if err != nil {
		return nil, &tasks.Error{Name: tasks.ErrorTaskFailed, Cause: fmt.Sprintf("read the %s response: %v", r.Service, err)}
	}
	return o, nil
}

// decode returns a new input of op, an operation of s, holding params, a
// Task's parameters for action, as [Decode] reads them after s.prepare.
func (s service) decode(op operation, action string, params any) (any, error) {
	if s.prepare != nil {
		params = s.prepare(action, params)
	}
	input := reflect.New(op.input).Interface()
	if err := Decode(params, input); err != nil {
		return nil, err
	}
	return input, nil
}

// encode returns result, an output of one of s's operations, as the Task
// result Step Functions returns: [Encode], then s.shape.
func (s service) encode(result any) (*jsonval.Object, error) {
	out, err := Encode(result)
	if err != nil {
		return nil, err
	}
	o, ok := out.(*jsonval.Object)
	if !ok {
		o = jsonval.NewObject(0)
	}
	if s.shape != nil {
		o = s.shape(result, o)
	}
	return o, nil
}

// operationOf finds the operation of an action (getObject: the client's
// GetObject). An action that is not camelCase, or names no operation of
// the service's client, is a States.Runtime error naming it.
func operationOf(service, action string) (operation, error) {
	svc, ok := services[service]
	if !ok {
		return operation{}, runtimeError("The service %s is not one Stepwise's AWS SDK integrations call", service)
	}
	// The table is keyed by camelCase names, so GetObject is not found.
	op, ok := svc.ops[action]
	if !ok {
		return operation{}, unknownAction(service, action)
	}
	return op, nil
}

func unknownAction(service, action string) *tasks.Error {
	return runtimeError("The action %s is not an action of the %s service AWS SDK integrations call (actions are camelCase, as getObject)", action, service)
}

func runtimeError(format string, args ...any) *tasks.Error {
	return &tasks.Error{Name: tasks.ErrorRuntime, Cause: fmt.Sprintf(format, args...)}
}

// attemptsKey is the context key of the counter of HTTP attempts one call
// made, which AWS shows in a cause as "(SDK Attempt Count: N)".
type attemptsKey struct{}

// countingClient counts each request's attempt in its context's counter.
type countingClient struct{ next aws.HTTPClient }

func (c countingClient) Do(req *http.Request) (*http.Response, error) {
	if n, ok := req.Context().Value(attemptsKey{}).(*atomic.Int32); ok {
		n.Add(1)
	}
	return c.next.Do(req)
}

// call carries out op on client with input. A panic inside the SDK (a
// serializer meeting an input it did not expect) comes back as err rather
// than reaching the caller; callErr is the call's own error.
func call(ctx context.Context, op operation, client, input any) (result any, callErr, err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("sdk: the AWS SDK client panicked: %v", p)
		}
	}()
	result, callErr = op.call(ctx, client, input)
	return result, callErr, nil
}
