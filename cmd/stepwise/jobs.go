package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"path/filepath"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"

	"stepwise/tasks"
	"stepwise/tasks/apigw"
	"stepwise/tasks/jobs"
	"stepwise/tasks/sdk"
)

// apiEndpointFlag collects --apigateway-endpoint API=URL flags.
type apiEndpointFlag map[string]string

func (e *apiEndpointFlag) String() string { return fmt.Sprint(map[string]string(*e)) }

func (e *apiEndpointFlag) Set(v string) error {
	key, u, ok := strings.Cut(v, "=")
	if !ok {
		return errors.New("want API=URL, such as abc123=http://127.0.0.1:3000")
	}
	if err := apigw.CheckEndpoint(key, u); err != nil {
		return err
	}
	if *e == nil {
		*e = apiEndpointFlag{}
	}
	(*e)[strings.ToLower(key)] = u
	return nil
}

// maxJobConfig bounds the --job-config file.
const maxJobConfig = 1 << 20

// registerJobs adds the flags of the job integrations and
// apigateway:invoke to fs.
func (o *invokerOptions) registerJobs(fs *flag.FlagSet) {
	fs.StringVar(&o.jobConfig, "job-config", envOr("STEPWISE_JOB_CONFIG", ""),
		"JSON `FILE` running ECS task definitions and Batch job definitions as local commands or docker images (STEPWISE_JOB_CONFIG): "+jobs.ConfigShape)
	fs.Var(&o.apiEndpoints, "apigateway-endpoint",
		"`API=URL`: send apigateway:invoke Tasks whose ApiEndpoint is API (an API ID such as abc123, or the whole host) to URL, such as http://127.0.0.1:3000 (repeatable)")
}

// addRoutes adds the routes of apigateway:invoke and of the job
// integrations to r. The job integrations reach AWS through r itself (its
// aws-sdk:ecs:*, ... routes) for the services AWS or an endpoint is
// configured for.
// It returns the invoker of the job integrations, which the caller must
// close.
func (o invokerOptions) addJobRoutes(r *tasks.Router, endpoints map[string]string, useAWS bool, region string, creds aws.CredentialsProvider) (*jobs.Invoker, error) {
	cfg := jobs.Config{}
	if o.jobConfig != "" {
		data, err := readBounded(o.jobConfig, maxJobConfig)
		if err != nil {
			return nil, err
		}
		if cfg, err = jobs.ParseConfig(data, filepath.Dir(o.jobConfig)); err != nil {
			return nil, fmt.Errorf("%s: %w", o.jobConfig, err)
		}
	}
	if cfg.Region == "" {
		cfg.Region = region
	}
	cfg.Logger = o.logger
	cfg.Remote = r
	cfg.Missing = sdk.Missing
	for _, svc := range jobs.Services() {
		if useAWS || endpoints[svc] != "" {
			cfg.RemoteServices = append(cfg.RemoteServices, svc)
		}
	}
	iv := jobs.New(cfg)
	if creds == nil {
		creds = credentials.NewStaticCredentialsProvider(envOr("AWS_ACCESS_KEY_ID", "stepwise"), envOr("AWS_SECRET_ACCESS_KEY", "stepwise"), envOr("AWS_SESSION_TOKEN", ""))
	}
	api := apigw.New(apigw.Config{Endpoints: o.apiEndpoints, Credentials: creds, Region: region})
	r.Routes = append(r.Routes, tasks.Route{Match: jobs.Handles, Invoker: iv}, tasks.Route{Match: apigw.Handles, Invoker: api})
	return iv, nil
}

// closingRouter is the invoker build returns: its Router, and Close for
// the work its invokers own (the local jobs still running in the
// background).
type closingRouter struct {
	*tasks.Router
	jobs *jobs.Invoker
}

// Close stops the background work of the invokers.
func (c closingRouter) Close() error { return c.jobs.Close() }

// closeInvoker stops the background work of inv, an invoker build
// returned; call it once the executions using inv have stopped.
func closeInvoker(inv tasks.Invoker) {
	if c, ok := inv.(io.Closer); ok {
		c.Close()
	}
}
