package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strings"

	"github.com/aws/aws-sdk-go-v2/config"

	"stepwise/resource"
	"stepwise/tasks"
	"stepwise/tasks/awsservice"
	"stepwise/tasks/httptask"
	"stepwise/tasks/lambda"
	"stepwise/tasks/mock"
	"stepwise/tasks/sdk"
)

// invokerOptions are the flags that say how Task states reach things.
type invokerOptions struct {
	lambdaConfig    string // file in lambda.ParseConfig's format
	lambdaEndpoint  string // Invoke API for functions the config doesn't name
	httpConnections string // file in httptask.ParseConnections's format
	awsEndpoints    endpointFlag
	aws             bool         // call AWS for the services awsEndpoints doesn't name
	logger          *slog.Logger // gets Lambda commands' stderr; nil discards it
}

// endpointFlag collects --aws-endpoint SERVICE=URL flags.
type endpointFlag map[string]string

func (e *endpointFlag) String() string { return fmt.Sprint(map[string]string(*e)) }

func (e *endpointFlag) Set(v string) error {
	svc, u, ok := strings.Cut(v, "=")
	if !ok || svc == "" || u == "" {
		return errors.New("want SERVICE=URL, such as dynamodb=http://127.0.0.1:8000")
	}
	if *e == nil {
		*e = endpointFlag{}
	}
	(*e)[svc] = u
	return nil
}

func (o *invokerOptions) register(fs *flag.FlagSet) {
	fs.StringVar(&o.lambdaConfig, "lambda-config", "", "JSON `FILE` saying how each Lambda function runs: a local command or an Invoke API endpoint")
	fs.StringVar(&o.lambdaEndpoint, "lambda-endpoint", "", "Lambda Invoke API `URL` for functions --lambda-config doesn't name (sam local start-lambda, the RIE, or AWS)")
	fs.StringVar(&o.httpConnections, "http-connections", "", "JSON `FILE` of EventBridge connections by ARN, for HTTP Tasks' Authentication")
	fs.Var(&o.awsEndpoints, "aws-endpoint", "`SERVICE=URL`: send DynamoDB, SQS, SNS, EventBridge (events), SES v2 (sesv2), S3 (s3, path-style), Step Functions (sfn), Secrets Manager (secretsmanager), SSM (ssm), KMS (kms), STS (sts) or Lambda (lambda, for aws-sdk:lambda:*) integrations to URL (repeatable)")
	fs.BoolVar(&o.aws, "aws", false, "send the AWS service integrations --aws-endpoint doesn't name to AWS (credentials from AWS_ACCESS_KEY_ID...; for the aws-sdk services the standard chain: environment, AWS_PROFILE, web identity, SSO, instance role)")
}

// build returns the invoker for Task states: Lambda and HTTP Tasks by
// their configuration, anything else fails as a task with no invoker.
func (o invokerOptions) build() (tasks.Invoker, error) {
	r := &tasks.Router{Fallback: tasks.NewMemory()}
	if o.lambdaConfig != "" || o.lambdaEndpoint != "" {
		cfg := lambda.Config{Region: envOr("AWS_REGION", defaultRegion)}
		if o.lambdaConfig != "" {
			data, err := os.ReadFile(o.lambdaConfig)
			if err != nil {
				return nil, err
			}
			if cfg, err = lambda.ParseConfig(data, filepath.Dir(o.lambdaConfig)); err != nil {
				return nil, fmt.Errorf("%s: %w", o.lambdaConfig, err)
			}
		}
		if o.lambdaEndpoint != "" && cfg.Default == nil {
			cfg.Default = &lambda.Function{Endpoint: o.lambdaEndpoint}
		}
		cfg = withCredentials(cfg)
		cfg.Logger = o.logger
		r.Lambda = lambda.New(cfg, nil)
	}
	conns := map[string]httptask.Connection{}
	if o.httpConnections != "" {
		data, err := os.ReadFile(o.httpConnections)
		if err != nil {
			return nil, err
		}
		if conns, err = httptask.ParseConnections(data); err != nil {
			return nil, fmt.Errorf("%s: %w", o.httpConnections, err)
		}
	}
	r.HTTP = httptask.New(httptask.Config{Connections: conns, Region: envOr("AWS_REGION", defaultRegion)})
	if o.aws || len(o.awsEndpoints) > 0 {
		aws := awsservice.New(awsservice.Config{
			Endpoints:       o.awsEndpoints,
			Region:          envOr("AWS_REGION", defaultRegion),
			AccessKeyID:     envOr("AWS_ACCESS_KEY_ID", "stepwise"),
			SecretAccessKey: envOr("AWS_SECRET_ACCESS_KEY", "stepwise"),
			SessionToken:    os.Getenv("AWS_SESSION_TOKEN"),
		})
		match := awsservice.Handles
		if !o.aws {
			// Only the services given an endpoint.
			match = func(r resource.Resource) bool {
				return awsservice.Handles(r) && o.awsEndpoints[awsservice.ServiceOf(r)] != ""
			}
		}
		r.Routes = append(r.Routes, tasks.Route{Match: match, Invoker: aws})
	}
	// AWS SDK integrations of the services tasks/sdk registers always go
	// there: one with no endpoint fails with a cause saying how to give it
	// one or mock it, rather than "no invoker".
	sdkCfg := sdk.Config{
		Endpoints:       o.awsEndpoints,
		AWS:             o.aws,
		Region:          envOr("AWS_REGION", defaultRegion),
		AccessKeyID:     envOr("AWS_ACCESS_KEY_ID", "stepwise"),
		SecretAccessKey: envOr("AWS_SECRET_ACCESS_KEY", "stepwise"),
		SessionToken:    os.Getenv("AWS_SESSION_TOKEN"),
	}
	if o.aws {
		// Real AWS: the standard credential chain (environment, shared
		// config and credentials files with AWS_PROFILE, web identity,
		// SSO, container and instance roles) and the profile's region.
		// Loading resolves nothing over the network; credentials are
		// fetched on first use.
		acfg, err := config.LoadDefaultConfig(context.Background())
		if err != nil {
			return nil, fmt.Errorf("load the AWS configuration for --aws: %w", err)
		}
		sdkCfg.Credentials = acfg.Credentials
		if acfg.Region != "" {
			sdkCfg.Region = acfg.Region
		}
	}
	r.Routes = append(r.Routes, tasks.Route{Match: sdk.Handles, Invoker: sdk.New(sdkCfg)},
		tasks.Route{Match: isAWSService, Invoker: tasks.Func(unreachable)})
	return r, nil
}

// isAWSService reports whether r is an AWS service integration: an AWS
// SDK one or an optimized one awsservice carries out.
func isAWSService(r resource.Resource) bool {
	return awsservice.Handles(r) || r.Kind == resource.Integration && r.SDK
}

// unreachable fails an AWS service integration the routes before it did
// not take, saying how to make it work instead of "no invoker": a service
// Stepwise speaks to but was given no endpoint, or one it does not
// include. It is States.TaskFailed, as "no invoker" was, so that a
// Catch on States.ALL still takes it. Mocks (--mock-config) answer
// before any route.
func unreachable(_ context.Context, req tasks.Request) (any, error) {
	r := resource.Parse(req.Resource)
	if svc := awsservice.ServiceOf(r); svc != "" {
		return nil, &tasks.Error{Name: tasks.ErrorTaskFailed, Cause: fmt.Sprintf(
			"The %s service has no endpoint: start Stepwise with --aws-endpoint %s=URL for a compatible server, or --aws to call AWS, or mock the state with --mock-config", svc, svc)}
	}
	if r.SDK && r.Pattern != resource.RequestResponse && r.Pattern != resource.WaitForTaskToken {
		// AWS offers AWS SDK integrations request-response and
		// .waitForTaskToken only.
		return nil, &tasks.Error{Name: tasks.ErrorRuntime, Cause: fmt.Sprintf(
			"The resource provided %s is not recognized: AWS SDK integrations have no .sync pattern", req.Resource)}
	}
	return nil, &tasks.Error{Name: tasks.ErrorTaskFailed, Cause: fmt.Sprintf(
		"Stepwise does not include the AWS SDK integration %s:%s (it includes s3, sfn, secretsmanager, ssm, kms, sts, lambda, dynamodb, sqs, sns:publish, eventbridge:putEvents and sesv2:sendEmail); mock the state with --mock-config", r.Service, r.Action)}
}

// withCredentials signs Invoke API requests with the standard AWS
// environment variables; local emulators accept any key.
func withCredentials(cfg lambda.Config) lambda.Config {
	set := func(f lambda.Function) lambda.Function {
		if f.AccessKeyID == "" {
			f.AccessKeyID = envOr("AWS_ACCESS_KEY_ID", "stepwise")
			f.SecretAccessKey = envOr("AWS_SECRET_ACCESS_KEY", "stepwise")
			f.SessionToken = os.Getenv("AWS_SESSION_TOKEN")
		}
		return f
	}
	for name, f := range cfg.Functions {
		cfg.Functions[name] = set(f)
	}
	if cfg.Default != nil {
		d := set(*cfg.Default)
		cfg.Default = &d
	}
	return cfg
}

func envOr(key, def string) string {
	if v := os.Getenv(key); v != "" {
		return v
	}
	return def
}

// loadMocks reads a Step Functions Local mock configuration file.
func loadMocks(path string) (*mock.Config, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	c, err := mock.Parse(data)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return c, nil
}

// errMockFlags is the usage error of --mock-config without --test-case or
// the other way round.
var errMockFlags = errors.New("--mock-config and --test-case go together")
