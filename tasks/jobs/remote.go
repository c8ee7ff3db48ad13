package jobs

import (
	"context"
	"errors"
	"fmt"
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
	// it failed, and the task's result.
	state func(desc *jsonval.Object) (done, failed bool, result any)
}

// pollers holds the .sync integrations carried out on AWS, by
// SERVICE:ACTION.
var pollers = map[string]poller{
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
	},
}

// remoteCall carries out an integration through Config.Remote, as the AWS
// SDK integration of the same action; a .sync one then polls the describe
// action every PollInterval until the job ends or ctx does.
func (iv *Invoker) remoteCall(ctx context.Context, req tasks.Request, r resource.Resource, params *jsonval.Object) (any, error) {
	if !iv.remote[r.Service] {
		return nil, &tasks.Error{Name: tasks.ErrorTaskFailed, Cause: fmt.Sprintf(
			"The %s service has no endpoint: start Stepwise with --aws-endpoint %s=URL for a compatible server, or --aws to call AWS, or mock the state with --mock-config",
			r.Service, r.Service)}
	}
	out, err := iv.sdk(ctx, req, r.Service, r.Action, params)
	if err != nil || r.Pattern != resource.Sync {
		return out, optimizedError(err)
	}
	p := pollers[r.Service+":"+r.Action]
	started := asObject(out)
	in, err := p.input(params, started)
	if err != nil {
		return nil, err
	}
	t := time.NewTimer(iv.poll)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return nil, ctx.Err()
		case <-t.C:
		}
		desc, err := iv.sdk(ctx, req, r.Service, p.describe, in)
		if err != nil {
			return nil, optimizedError(err)
		}
		done, failed, result := p.state(asObject(desc))
		if failed {
			return nil, taskFailed(result)
		}
		if done {
			return result, nil
		}
		t.Reset(iv.poll)
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
// integration does: ECS's errors are ECS.<Code> there (the AWS SDK for
// Java 1.x's service name), Ecs.<Code> in aws-sdk:ecs:*; Batch, Athena
// and Glue are spelt alike in both.
func optimizedError(err error) error {
	var te *tasks.Error
	if errors.As(err, &te) {
		if code, ok := strings.CutPrefix(te.Name, "Ecs."); ok {
			return &tasks.Error{Name: "ECS." + code, Cause: te.Cause}
		}
	}
	return err
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
