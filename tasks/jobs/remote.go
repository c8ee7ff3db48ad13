package jobs

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"strings"
	"time"

	"stepwise/jsonval"
	"stepwise/resource"
	"stepwise/tasks"
)

// poller is how a .sync integration on AWS waits for its job: the
// describe action to ask with, and how to read its answer.
type poller struct {
	// describe is the SDK action that describes what the start action
	// started.
	describe string
	// input builds describe's parameters from the start's parameters and
	// answer.
	input func(params, started *jsonval.Object) (*jsonval.Object, error)
	// state reads describe's answer: whether the job has ended, whether
	// it failed, and the task's result (nil for the start's result, as
	// EMR's createCluster.sync returns).
	state func(desc *jsonval.Object) (done, failed bool, result any)
	// stop, when set, is the action that stops the job when the task is
	// cancelled (its execution stopped or timed out), as AWS makes a
	// best-effort attempt to for .sync jobs; its parameters are
	// describe's. EMR's clusters and steps are not stopped, as on AWS.
	stop string
	// stopInput, when set, builds stop's parameters from describe's.
	stopInput func(in *jsonval.Object) *jsonval.Object
}

// stopTimeout bounds the call that stops a cancelled task's job.
const stopTimeout = 10 * time.Second

// pollers holds the .sync integrations carried out on AWS, by
// SERVICE:ACTION: ECS, Batch, Athena and Glue here, CodeBuild, EMR,
// SageMaker and Bedrock in morePollers.
var pollers = func() map[string]poller {
	all := maps.Clone(basePollers)
	maps.Copy(all, morePollers)
	return all
}()

var basePollers = map[string]poller{
	"ecs:runTask": {
		describe: "describeTasks",
		input: func(params, started *jsonval.Object) (*jsonval.Object, error) {
			task, _ := first(started, "Tasks").(*jsonval.Object)
			arn, _ := get(task, "TaskArn").(string)
			if arn == "" {
				return nil, taskFailed(started)
			}
			in := object("Tasks", []any{arn})
			if c, ok := params.Get("Cluster"); ok {
				in.Set("Cluster", c)
			}
			return in, nil
		},
		state: func(desc *jsonval.Object) (bool, bool, any) {
			task, _ := first(desc, "Tasks").(*jsonval.Object)
			if get(task, "LastStatus") != "STOPPED" {
				return false, false, nil
			}
			// The task failed when a container exited non-zero or never
			// ran.
			containers, _ := get(task, "Containers").([]any)
			failed := len(containers) == 0
			for _, c := range containers {
				code, ok := jsonval.Int(get(asObject(c), "ExitCode"))
				if !ok || code != 0 {
					failed = true
				}
			}
			return true, failed, task
		},
		stop: "stopTask",
		stopInput: func(in *jsonval.Object) *jsonval.Object {
			arn, _ := first(in, "Tasks").(string)
			out := object("Task", arn, "Reason", cancelReason)
			if c, ok := in.Get("Cluster"); ok {
				out.Set("Cluster", c)
			}
			return out
		},
	},
	"batch:submitJob": {
		describe: "describeJobs",
		input: func(_, started *jsonval.Object) (*jsonval.Object, error) {
			id, _ := get(started, "JobId").(string)
			if id == "" {
				return nil, taskFailed(started)
			}
			return object("Jobs", []any{id}), nil
		},
		state: func(desc *jsonval.Object) (bool, bool, any) {
			job, _ := first(desc, "Jobs").(*jsonval.Object)
			switch get(job, "Status") {
			case "SUCCEEDED":
				return true, false, job
			case "FAILED":
				return true, true, job
			}
			return false, false, nil
		},
		stop: "terminateJob",
		stopInput: func(in *jsonval.Object) *jsonval.Object {
			id, _ := first(in, "Jobs").(string)
			return object("JobId", id, "Reason", cancelReason)
		},
	},
	"athena:startQueryExecution": {
		describe: "getQueryExecution",
		input: func(_, started *jsonval.Object) (*jsonval.Object, error) {
			id, _ := get(started, "QueryExecutionId").(string)
			if id == "" {
				return nil, taskFailed(started)
			}
			return object("QueryExecutionId", id), nil
		},
		state: func(desc *jsonval.Object) (bool, bool, any) {
			qe := asObject(get(desc, "QueryExecution"))
			switch get(asObject(get(qe, "Status")), "State") {
			case "SUCCEEDED":
				return true, false, desc
			case "FAILED", "CANCELLED":
				return true, true, desc
			}
			return false, false, nil
		},
		// stopQueryExecution takes getQueryExecution's parameters.
		stop: "stopQueryExecution",
	},
	"glue:startJobRun": {
		describe: "getJobRun",
		input: func(params, started *jsonval.Object) (*jsonval.Object, error) {
			id, _ := get(started, "JobRunId").(string)
			name, _ := get(params, "JobName").(string)
			if id == "" || name == "" {
				return nil, taskFailed(started)
			}
			return object("JobName", name, "RunId", id), nil
		},
		state: func(desc *jsonval.Object) (bool, bool, any) {
			run := asObject(get(desc, "JobRun"))
			switch get(run, "JobRunState") {
			case "SUCCEEDED":
				return true, false, run
			case "FAILED", "STOPPED", "TIMEOUT", "ERROR", "EXPIRED":
				return true, true, run
			}
			return false, false, nil
		},
		stop: "batchStopJobRun",
		stopInput: func(in *jsonval.Object) *jsonval.Object {
			return object("JobName", get(in, "JobName"), "JobRunIds", []any{get(in, "RunId")})
		},
	},
}

// cancelReason is the reason given to ECS and Batch when a cancelled
// task's job is stopped.
const cancelReason = "Task cancelled by Stepwise: its execution was stopped, failed or timed out"

// remoteCall carries out an integration through Config.Remote, as the AWS
// SDK integration it maps to (targets); a .sync one then polls the
// describe action every PollInterval until the job ends, or until ctx
// does, when it asks the service to stop the job.
func (iv *Invoker) remoteCall(ctx context.Context, req tasks.Request, r resource.Resource, params *jsonval.Object) (any, error) {
	key := r.Service + ":" + r.Action
	tg := targets[key]
	svc := tg.service
	if svc == "" {
		svc = sdkServiceOf(r.Service)
	}
	if iv.cfg.Missing != nil {
		if cause, ok := iv.cfg.Missing(svc); ok {
			return nil, &tasks.Error{Name: tasks.ErrorTaskFailed, Cause: cause}
		}
	}
	if !iv.remote[svc] {
		return nil, &tasks.Error{Name: tasks.ErrorTaskFailed, Cause: fmt.Sprintf(
			"The %s service has no endpoint: start Stepwise with --aws-endpoint %s=URL for a compatible server, or --aws to call AWS, or mock the state with --mock-config",
			svc, svc)}
	}
	if tg.call != nil {
		return tg.call(ctx, iv, req, params)
	}
	in := params
	if tg.input != nil {
		var err error
		if in, err = tg.input(params); err != nil {
			return nil, runtimeError("%v", err)
		}
	}
	action := tg.action
	if action == "" {
		action = r.Action
	}
	out, err := iv.sdk(ctx, req, svc, action, in)
	if err != nil {
		return nil, optimizedError(r.Service, err)
	}
	result := out
	if tg.output != nil {
		if result, err = tg.output(asObject(out)); err != nil {
			return nil, err
		}
	}
	if r.Pattern != resource.Sync {
		return result, nil
	}
	p := pollers[key]
	din, err := p.input(params, asObject(out))
	if err != nil {
		return nil, err
	}
	t := time.NewTimer(iv.poll)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			iv.stopJob(ctx, req, svc, p, din)
			return nil, ctx.Err()
		case <-t.C:
		}
		desc, err := iv.sdk(ctx, req, svc, p.describe, din)
		if err != nil {
			if ctx.Err() != nil {
				iv.stopJob(ctx, req, svc, p, din)
				return nil, ctx.Err()
			}
			return nil, optimizedError(r.Service, err)
		}
		done, failed, res := p.state(asObject(desc))
		if failed {
			return nil, taskFailed(res)
		}
		if done {
			if res == nil {
				res = result
			}
			return res, nil
		}
		t.Reset(iv.poll)
	}
}

// stopJob asks the service to stop the job of a cancelled .sync task,
// when it has a stop action, under a context of its own: the task's has
// ended. A failure is logged; the task has ended either way.
func (iv *Invoker) stopJob(ctx context.Context, req tasks.Request, svc string, p poller, din *jsonval.Object) {
	if p.stop == "" {
		return
	}
	in := din
	if p.stopInput != nil {
		in = p.stopInput(din)
	}
	sctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), stopTimeout)
	defer cancel()
	if _, err := iv.sdk(sctx, req, svc, p.stop, in); err != nil {
		iv.log.Warn("stop the job of a cancelled task", "state", req.StateName, "action", svc+":"+p.stop, "err", err)
	}
}

// sdk calls SERVICE:ACTION as an AWS SDK integration through
// Config.Remote.
func (iv *Invoker) sdk(ctx context.Context, req tasks.Request, service, action string, params any) (any, error) {
	return iv.cfg.Remote.Invoke(ctx, tasks.Request{StateName: req.StateName,
		Resource: "arn:aws:states:::aws-sdk:" + service + ":" + action, Input: params,
		TimeoutSeconds: req.TimeoutSeconds, Credentials: req.Credentials})
}

// optimizedError names an AWS SDK integration's error as the optimized
// integration of service does. The optimized integrations name errors
// after the AWS SDK for Java 1.x: ECS's are ECS.<Code> there, Ecs.<Code>
// in aws-sdk:ecs:*; EMR's ElasticMapReduce.<Code>; the base exception of
// a code the service's model does not list is AWSCodeBuildException,
// AmazonSageMakerException, AmazonElasticMapReduceException there
// (CodeBuild.CodeBuildException, SageMaker.SageMakerException,
// Emr.EmrException in aws-sdk:*). bedrock:invokeModel's errors, which
// Bedrock Runtime raises, are Bedrock.<Code>. Batch, Athena and Glue are
// spelt alike in both.
func optimizedError(service string, err error) error {
	var te *tasks.Error
	if !errors.As(err, &te) {
		return err
	}
	prefix, code, ok := strings.Cut(te.Name, ".")
	if !ok {
		return err
	}
	name := te.Name
	switch prefix {
	case "Ecs":
		name = "ECS." + code
	case "CodeBuild":
		if code == "CodeBuildException" {
			name = "CodeBuild.AWSCodeBuildException"
		}
	case "SageMaker":
		if code == "SageMakerException" {
			name = "SageMaker.AmazonSageMakerException"
		}
	case "Emr":
		if code == "EmrException" {
			code = "AmazonElasticMapReduceException"
		}
		name = "ElasticMapReduce." + code
	case "BedrockRuntime":
		if service == "bedrock" {
			name = "Bedrock." + code
		}
	}
	if name == te.Name {
		return err
	}
	return &tasks.Error{Name: name, Cause: te.Cause}
}

func asObject(v any) *jsonval.Object {
	o, _ := v.(*jsonval.Object)
	return o
}

func get(o *jsonval.Object, k string) any {
	if o == nil {
		return nil
	}
	v, _ := o.Get(k)
	return v
}

// first is the first element of the array o[k], or nil.
func first(o *jsonval.Object, k string) any {
	arr, _ := get(o, k).([]any)
	if len(arr) == 0 {
		return nil
	}
	return arr[0]
}
