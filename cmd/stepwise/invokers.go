package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"maps"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/aws/aws-sdk-go-v2/config"

	"stepwise/resource"
	"stepwise/tasks"
	"stepwise/tasks/awsservice"
	"stepwise/tasks/httptask"
	"stepwise/tasks/lambda"
	"stepwise/tasks/mapio"
	"stepwise/tasks/mock"
	"stepwise/tasks/objects"
	"stepwise/tasks/sdk"
)

// invokerOptions are the flags that say how Task states reach things.
type invokerOptions struct {
	lambdaConfig    string // file in lambda.ParseConfig's format
	lambdaEndpoint  string // Invoke API for functions the config doesn't name
	httpConnections string // file in httptask.ParseConnections's format
	awsConfig       string // file in parseAWSConfig's format; awsEndpoints and aws win over it
	awsEndpoints    endpointFlag
	aws             bool            // call AWS for the services awsEndpoints doesn't name
	buckets         bucketFlag      // local folders served as S3 buckets to distributed Maps
	logger          *slog.Logger    // gets Lambda commands' stderr; nil discards it
	jobConfig       string          // file in jobs.ParseConfig's format (jobs.go)
	apiEndpoints    apiEndpointFlag // apigateway:invoke endpoints by API ID or host (jobs.go)
}

// bucketFlag collects --bucket NAME=DIR flags.
type bucketFlag map[string]string

func (b *bucketFlag) String() string { return fmt.Sprint(map[string]string(*b)) }

func (b *bucketFlag) Set(v string) error {
	name, dir, ok := strings.Cut(v, "=")
	if !ok || name == "" || dir == "" || strings.ContainsAny(name, "/\\") {
		return errors.New("want NAME=DIR, such as items=./data: a bucket name and a folder")
	}
	if *b == nil {
		*b = bucketFlag{}
	}
	if _, dup := (*b)[name]; dup {
		return fmt.Errorf("bucket %s is given twice", name)
	}
	(*b)[name] = dir
	return nil
}

// endpointFlag collects --aws-endpoint SERVICE=URL flags.
type endpointFlag map[string]string

func (e *endpointFlag) String() string { return fmt.Sprint(map[string]string(*e)) }

func (e *endpointFlag) Set(v string) error {
	svc, u, ok := strings.Cut(v, "=")
	if !ok || svc == "" || u == "" {
		return errors.New("want SERVICE=URL, such as dynamodb=http://127.0.0.1:8000")
	}
	svc, err := checkEndpoint(svc, u)
	if err != nil {
		return err
	}
	if *e == nil {
		*e = endpointFlag{}
	}
	(*e)[svc] = u
	return nil
}

// endpointServices returns the service names an endpoint may be given
// for, sorted: those of tasks/awsservice and tasks/sdk, the two invokers
// that read the endpoints.
func endpointServices() []string {
	names := append(awsservice.Services(), sdk.Services()...)
	slices.Sort(names)
	return slices.Compact(names)
}

// checkEndpoint refuses an endpoint for a service neither invoker reads,
// which would be ignored without a word, and one that is not an absolute
// http(s) URL, which the SDK would only refuse at the first Task. It
// returns the endpoints' key for svc: "eventbridge", the name in
// aws-sdk:eventbridge:* resources, is the key "events" of the optimized
// events:putEvents, which both use.
func checkEndpoint(svc, endpoint string) (string, error) {
	if svc == "eventbridge" {
		svc = "events"
	}
	names := endpointServices()
	if cause, ok := sdk.Missing(svc); ok {
		// ec2, sagemaker, bedrock: included only with a build tag.
		cause, _, _ = strings.Cut(cause, ", or mock")
		return "", errors.New(strings.ToLower(cause[:1]) + cause[1:])
	}
	if !slices.Contains(names, svc) {
		return "", fmt.Errorf("unknown service %q: the services are %s", svc, strings.Join(names, ", "))
	}
	u, err := url.Parse(endpoint)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.User != nil || u.RawQuery != "" || u.Fragment != "" {
		return "", fmt.Errorf("%s endpoint %q: want an absolute http or https URL with no user, query or fragment, such as http://127.0.0.1:9000", svc, endpoint)
	}
	return svc, nil
}

// awsConfig is the --aws-config file: the AWS service endpoints and
// settings in one place, for set-ups with several local emulators.
type awsConfig struct {
	Region    string            // signs requests and names AWS endpoints; wins over AWS_REGION and the profile's
	AWS       bool              // as --aws
	Endpoints map[string]string // as --aws-endpoint, by service
}

// maxAWSConfig bounds the --aws-config file; a real one is a few hundred
// bytes.
const maxAWSConfig = 1 << 20

// awsConfigKeys are the top-level keys of an --aws-config file.
var awsConfigKeys = []string{"Region", "AWS", "Endpoints"}

// parseAWSConfig reads an --aws-config file:
//
//	{"Region": "us-east-1", "AWS": false,
//	 "Endpoints": {"s3": "http://127.0.0.1:9000", "sfn": "http://127.0.0.1:8083"}}
//
// Every key is optional. Keys are matched exactly (encoding/json alone
// would take "region" too and ignore a misspelt one), so that a typo is
// an error rather than a setting that silently does nothing.
func parseAWSConfig(data []byte) (awsConfig, error) {
	var c awsConfig
	var top map[string]json.RawMessage
	if err := json.Unmarshal(data, &top); err != nil {
		return c, fmt.Errorf("not a JSON object: %w", err)
	}
	if top == nil {
		return c, errors.New("not a JSON object")
	}
	for _, k := range slices.Sorted(maps.Keys(top)) {
		if !slices.Contains(awsConfigKeys, k) {
			return c, fmt.Errorf("unknown key %q: the keys are %s", k, strings.Join(awsConfigKeys, ", "))
		}
	}
	if raw, ok := top["Region"]; ok {
		if err := json.Unmarshal(raw, &c.Region); err != nil || !validRegion(c.Region) {
			return c, fmt.Errorf("the Region %s: want a region name such as us-east-1", raw)
		}
	}
	if raw, ok := top["AWS"]; ok {
		if err := json.Unmarshal(raw, &c.AWS); err != nil {
			return c, fmt.Errorf("the AWS %s: want true or false", raw)
		}
	}
	if raw, ok := top["Endpoints"]; ok {
		var eps map[string]string
		if err := json.Unmarshal(raw, &eps); err != nil {
			return c, fmt.Errorf("the Endpoints: want an object of service names to URLs: %w", err)
		}
		c.Endpoints = map[string]string{}
		for _, svc := range slices.Sorted(maps.Keys(eps)) {
			key, err := checkEndpoint(svc, eps[svc])
			if err != nil {
				return c, fmt.Errorf("in Endpoints: %w", err)
			}
			c.Endpoints[key] = eps[svc]
		}
	}
	return c, nil
}

// validRegion reports whether r looks like a region name: it goes into
// AWS host names (https://SERVICE.REGION.amazonaws.com), so only
// lowercase letters, digits and inner hyphens.
func validRegion(r string) bool {
	if r == "" || len(r) > 64 || r[0] == '-' || r[len(r)-1] == '-' {
		return false
	}
	for _, c := range r {
		if (c < 'a' || c > 'z') && (c < '0' || c > '9') && c != '-' {
			return false
		}
	}
	return true
}

// awsSettings merges the --aws-config file with the flags: an
// --aws-endpoint flag wins over the file's endpoint for the same
// service, and --aws or the file's AWS sends the rest to AWS. Region is
// the file's ("" when it names none).
func (o invokerOptions) awsSettings() (awsConfig, error) {
	var c awsConfig
	if o.awsConfig != "" {
		data, err := readBounded(o.awsConfig, maxAWSConfig)
		if err != nil {
			return c, err
		}
		if c, err = parseAWSConfig(data); err != nil {
			return c, fmt.Errorf("%s: %w", o.awsConfig, err)
		}
	}
	endpoints := map[string]string{}
	maps.Copy(endpoints, c.Endpoints)
	maps.Copy(endpoints, o.awsEndpoints)
	c.Endpoints = endpoints
	c.AWS = c.AWS || o.aws
	return c, nil
}

// readBounded reads the file at path, refusing one larger than max bytes.
func readBounded(path string, max int64) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, max+1))
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", path, err)
	}
	if int64(len(data)) > max {
		return nil, fmt.Errorf("%s: larger than %d bytes", path, max)
	}
	return data, nil
}

func (o *invokerOptions) register(fs *flag.FlagSet) {
	fs.StringVar(&o.lambdaConfig, "lambda-config", "", "JSON `FILE` saying how each Lambda function runs: a local command or an Invoke API endpoint")
	fs.StringVar(&o.lambdaEndpoint, "lambda-endpoint", "", "Lambda Invoke API `URL` for functions --lambda-config doesn't name (sam local start-lambda, the RIE, or AWS)")
	fs.StringVar(&o.httpConnections, "http-connections", "", "JSON `FILE` of EventBridge connections by ARN, for HTTP Tasks' Authentication")
	fs.StringVar(&o.awsConfig, "aws-config", envOr("STEPWISE_AWS_CONFIG", ""), `JSON `+"`FILE`"+` of AWS service settings, {"Region": "us-east-1", "AWS": false, "Endpoints": {"s3": "http://127.0.0.1:9000"}}; --aws-endpoint and --aws win over it (STEPWISE_AWS_CONFIG)`)
	fs.Var(&o.awsEndpoints, "aws-endpoint", "`SERVICE=URL`: send the integrations of SERVICE to URL, an S3-compatible store path-style (repeatable); SERVICE is one of "+strings.Join(endpointServices(), ", ")+" (eventbridge is events)")
	fs.Var(&o.buckets, "bucket", "`NAME=DIR`: serve the folder DIR as the S3 bucket NAME to distributed Maps' ItemReader and ResultWriter (repeatable); other buckets go to S3 as --aws-endpoint s3=URL or --aws say")
	fs.BoolVar(&o.aws, "aws", false, "send the AWS service integrations --aws-endpoint and --aws-config don't name to AWS (credentials from AWS_ACCESS_KEY_ID...; for the aws-sdk services the standard chain: environment, AWS_PROFILE, web identity, SSO, instance role)")
	o.registerJobs(fs)
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
	settings, err := o.awsSettings()
	if err != nil {
		return nil, err
	}
	endpoints, useAWS, region := settings.Endpoints, settings.AWS, settings.Region
	if region == "" {
		region = envOr("AWS_REGION", defaultRegion)
	}
	if useAWS || len(endpoints) > 0 {
		aws := awsservice.New(awsservice.Config{
			Endpoints:       endpoints,
			Region:          region,
			AccessKeyID:     envOr("AWS_ACCESS_KEY_ID", "stepwise"),
			SecretAccessKey: envOr("AWS_SECRET_ACCESS_KEY", "stepwise"),
			SessionToken:    os.Getenv("AWS_SESSION_TOKEN"),
		})
		match := awsservice.Handles
		if !useAWS {
			// Only the services given an endpoint.
			match = func(r resource.Resource) bool {
				return awsservice.Handles(r) && endpoints[awsservice.ServiceOf(r)] != ""
			}
		}
		r.Routes = append(r.Routes, tasks.Route{Match: match, Invoker: aws})
	}
	// AWS SDK integrations of the services tasks/sdk registers always go
	// there, except the actions tasks/awsservice carries out (sdk.Handles
	// leaves every dynamodb and sqs action, sns:publish,
	// eventbridge:putEvents and sesv2:sendEmail to it, so
	// aws-sdk:sns:listTopics comes here and aws-sdk:sns:publish does not):
	// one with no endpoint fails with a cause saying how to give it one or
	// mock it, rather than "no invoker".
	sdkCfg := sdk.Config{
		Endpoints:       endpoints,
		AWS:             useAWS,
		Region:          region,
		AccessKeyID:     envOr("AWS_ACCESS_KEY_ID", "stepwise"),
		SecretAccessKey: envOr("AWS_SECRET_ACCESS_KEY", "stepwise"),
		SessionToken:    os.Getenv("AWS_SESSION_TOKEN"),
	}
	if useAWS {
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
		if acfg.Region != "" && settings.Region == "" {
			// The profile's region, unless --aws-config named one.
			sdkCfg.Region = acfg.Region
		}
	}
	sdkInv := sdk.New(sdkCfg)
	var s3Store objects.Store
	if useAWS || endpoints["s3"] != "" {
		s3Store = sdkInv.Objects()
	}
	if r.MapIO, err = o.mapIO(s3Store); err != nil {
		return nil, err
	}
	r.Routes = append(r.Routes, tasks.Route{Match: sdk.Handles, Invoker: sdkInv},
		tasks.Route{Match: isAWSService, Invoker: tasks.Func(unreachable)})
	jobs, err := o.addJobRoutes(r, endpoints, useAWS, sdkCfg.Region, sdkCfg.Credentials)
	if err != nil {
		return nil, err
	}
	return closingRouter{r, jobs}, nil
}

// mapIO returns the invoker of distributed Maps' ItemReader and
// ResultWriter: the --bucket folders, then remote (nil for none).
func (o invokerOptions) mapIO(remote objects.Store) (tasks.Invoker, error) {
	store := remote
	if len(o.buckets) > 0 {
		dir, err := objects.NewDir(o.buckets)
		if err != nil {
			return nil, fmt.Errorf("--bucket: %w", err)
		}
		names := map[string]bool{}
		for name := range o.buckets {
			names[name] = true
		}
		store = &mapio.Buckets{Local: dir, Names: names, Remote: remote}
	}
	return &mapio.Invoker{Store: store}, nil
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
	if r.SDK && !resource.IsSDKService(r.Service) {
		// Validation refuses it already; a definition that skipped it
		// fails as AWS would.
		return nil, &tasks.Error{Name: tasks.ErrorRuntime, Cause: fmt.Sprintf(
			"The resource provided %s is not recognized. The value is not a valid resource ARN, or the resource is not available in this region.", req.Resource)}
	}
	return nil, &tasks.Error{Name: tasks.ErrorTaskFailed, Cause: notIncluded(r)}
}

// notIncluded says that Stepwise does not call the service of r, a real
// AWS service (sagemaker), what it does call, and how to run the state
// anyway.
func notIncluded(r resource.Resource) string {
	included := sdk.Included()
	optional := ""
	for _, svc := range []string{"bedrock", "ec2", "sagemaker"} {
		if _, ok := sdk.Missing(svc); ok {
			optional += fmt.Sprintf(" (and %s in a binary built with go build -tags stepwise_%s ./cmd/stepwise)", svc, svc)
		}
	}
	return fmt.Sprintf("Stepwise does not include the AWS SDK integration %s:%s: its AWS SDK integrations call every action of %s, dynamodb and sqs%s; "+
		"mock the state with --mock-config, or run the workflow on AWS", r.Service, r.Action, strings.Join(included, ", "), optional)
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
