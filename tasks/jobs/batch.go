package jobs

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	"stepwise/jsonval"
	"stepwise/resource"
	"stepwise/tasks"
)

// The parameters of arn:aws:states:::batch:submitJob, as SubmitJob takes
// them. Scheduling, sizing and tagging have no local meaning and are
// accepted; what would change what runs, and which a local job cannot
// do (array jobs, dependencies, multi-node, EKS and ECS properties,
// retry conditions), is refused when set.
var (
	submitJobFields = []string{"JobName", "JobQueue", "JobDefinition", "Parameters", "ContainerOverrides", "Timeout",
		"RetryStrategy", "ArrayProperties", "DependsOn", "NodeOverrides", "EksPropertiesOverride", "EcsPropertiesOverride",
		"ConsumableResourcePropertiesOverride", "PropagateTags", "Tags", "SchedulingPriorityOverride", "ShareIdentifier"}
	submitJobRefused            = []string{"ArrayProperties", "DependsOn", "NodeOverrides", "EksPropertiesOverride", "EcsPropertiesOverride", "ConsumableResourcePropertiesOverride"}
	batchContainerOverrideField = []string{"Command", "Environment", "ResourceRequirements", "Vcpus", "Memory", "InstanceType"}
)

// batchSubmit is a submitJob request, read.
type batchSubmit struct {
	name, queue, definition string
	parameters              *jsonval.Object // Ref:: substitutions, as given
	command                 []string        // nil: the definition's
	env                     []string
	timeout                 time.Duration // Timeout.AttemptDurationSeconds
	attempts                int
	tags                    any
	propagateTags           bool
}

// readSubmitJob reads submitJob's parameters, refusing what a local job
// cannot carry out.
func readSubmitJob(p *jsonval.Object) (batchSubmit, error) {
	b := batchSubmit{attempts: 1}
	if err := checkFields("batch:submitJob", p, submitJobFields...); err != nil {
		return b, err
	}
	if err := refuseSet("batch:submitJob", p, submitJobRefused...); err != nil {
		return b, err
	}
	for _, f := range []struct {
		name string
		dst  *string
	}{{"JobName", &b.name}, {"JobQueue", &b.queue}, {"JobDefinition", &b.definition}} {
		v, _ := p.Get(f.name)
		s, ok := v.(string)
		if !ok || s == "" {
			return b, fmt.Errorf("the field '%s' is required and must be a string", f.name)
		}
		*f.dst = s
	}
	if len(b.name) > 128 || !validJobName(b.name) {
		return b, fmt.Errorf("JobName %q: up to 128 letters, numbers, hyphens and underscores, starting with a letter or number", b.name)
	}
	if v, ok := p.Get("Parameters"); ok {
		o, ok := v.(*jsonval.Object)
		if !ok {
			return b, fmt.Errorf("field Parameters: want an object of strings")
		}
		for k, x := range o.All() {
			if _, ok := x.(string); !ok {
				return b, fmt.Errorf("field Parameters.%s: want a string", k)
			}
		}
		b.parameters = o
	}
	if v, ok := p.Get("ContainerOverrides"); ok {
		c, ok := v.(*jsonval.Object)
		if !ok {
			return b, fmt.Errorf("ContainerOverrides: want an object")
		}
		if err := checkFields("ContainerOverrides", c, batchContainerOverrideField...); err != nil {
			return b, err
		}
		if v, ok := c.Get("Command"); ok {
			if b.command, ok = stringList(v); !ok {
				return b, fmt.Errorf("ContainerOverrides.Command: want an array of strings")
			}
		}
		if v, ok := c.Get("Environment"); ok {
			var err error
			if b.env, err = nameValues("ContainerOverrides.Environment", v); err != nil {
				return b, err
			}
			for _, kv := range b.env {
				if strings.HasPrefix(kv, "AWS_BATCH") {
					// SubmitJob refuses these names: Batch sets them.
					return b, fmt.Errorf("ContainerOverrides.Environment: names starting with AWS_BATCH are reserved")
				}
			}
		}
	}
	if v, ok := p.Get("Timeout"); ok {
		o, ok := v.(*jsonval.Object)
		if !ok {
			return b, fmt.Errorf("field Timeout: want {\"AttemptDurationSeconds\": N}")
		}
		if err := checkFields("Timeout", o, "AttemptDurationSeconds"); err != nil {
			return b, err
		}
		if s, ok := o.Get("AttemptDurationSeconds"); ok {
			n, ok := jsonval.Int(s)
			if !ok || n < 60 {
				// Batch's minimum is 60 seconds.
				return b, fmt.Errorf("Timeout.AttemptDurationSeconds: want a whole number of seconds, at least 60")
			}
			b.timeout = time.Duration(min(n, 1<<31)) * time.Second
		}
	}
	if v, ok := p.Get("RetryStrategy"); ok {
		o, ok := v.(*jsonval.Object)
		if !ok {
			return b, fmt.Errorf("RetryStrategy: want an object")
		}
		if err := checkFields("RetryStrategy", o, "Attempts", "EvaluateOnExit"); err != nil {
			return b, err
		}
		if err := refuseSet("RetryStrategy", o, "EvaluateOnExit"); err != nil {
			return b, err
		}
		if a, ok := o.Get("Attempts"); ok {
			n, ok := jsonval.Int(a)
			if !ok || n < 1 || n > 10 {
				return b, fmt.Errorf("RetryStrategy.Attempts: want 1 to 10")
			}
			b.attempts = int(n)
		}
	}
	b.tags, _ = p.Get("Tags")
	if v, ok := p.Get("PropagateTags"); ok {
		if b.propagateTags, ok = v.(bool); !ok {
			return b, fmt.Errorf("PropagateTags: want true or false")
		}
	}
	return b, nil
}

// validJobName checks a Batch job name: letters, digits, '-' and '_',
// starting with a letter or digit.
func validJobName(s string) bool {
	for i, c := range s {
		alnum := c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
		if !alnum && (i == 0 || c != '-' && c != '_') {
			return false
		}
	}
	return s != ""
}

// batchJob is one local Batch job.
type batchJob struct {
	sub      batchSubmit
	def      Definition
	id, arn  string
	queueARN string
	defARN   string
	command  []string
	env      []string
	created  time.Time
	timeout  time.Duration
	attempts []attempt
}

// attempt is one run of a job.
type attempt struct {
	o        outcome
	startErr error
	taskARN  string
}

// submitJob carries out batch:submitJob locally when the configuration
// names its job definition, and through Config.Remote otherwise.
func (iv *Invoker) submitJob(ctx context.Context, req tasks.Request, pat resource.Pattern, params *jsonval.Object) (any, error) {
	sub, err := readSubmitJob(params)
	if err != nil {
		return nil, runtimeError("%v", err)
	}
	def, name, rev, ok := lookup(iv.cfg.JobDefinitions, sub.definition)
	if !ok {
		if iv.remote["batch"] {
			return iv.remoteCall(ctx, req, resource.Parse(req.Resource), params)
		}
		return nil, notConfigured("Batch job definition", "JobDefinitions", sub.definition, "batch")
	}
	j := &batchJob{sub: sub, def: def, id: newUUID(), created: time.Now()}
	j.arn = fmt.Sprintf("arn:aws:batch:%s:%s:job/%s", iv.cfg.Region, iv.cfg.Account, j.id)
	j.queueARN = sub.queue
	if !strings.HasPrefix(sub.queue, "arn:") {
		j.queueARN = fmt.Sprintf("arn:aws:batch:%s:%s:job-queue/%s", iv.cfg.Region, iv.cfg.Account, sub.queue)
	}
	j.defARN = sub.definition
	if !strings.HasPrefix(sub.definition, "arn:") {
		if rev == "" {
			rev = "1"
		}
		j.defARN = fmt.Sprintf("arn:aws:batch:%s:%s:job-definition/%s:%s", iv.cfg.Region, iv.cfg.Account, name, rev)
	}
	j.command = def.Command
	if sub.command != nil {
		j.command = sub.command
	}
	j.command = substitute(j.command, sub.parameters)
	j.env = sub.env
	j.timeout = timeoutOf(def, req, sub.timeout)
	queueName := j.queueARN[strings.LastIndexByte(j.queueARN, '/')+1:]
	attrs := []any{"job_id", j.id, "job_name", sub.name, "state", req.StateName}
	specOf := func(n int) spec {
		env := append([]string{"AWS_BATCH_JOB_ID=" + j.id, "AWS_BATCH_JQ_NAME=" + queueName,
			"AWS_BATCH_JOB_ATTEMPT=" + strconv.Itoa(n)}, j.env...)
		return spec{def: def, command: j.command, env: env, timeout: j.timeout,
			name: fmt.Sprintf("stepwise-batch-%s-%d", j.id, n), attrs: attrs}
	}
	if pat == resource.Sync {
		if err := j.runAll(ctx, iv, specOf); err != nil {
			return nil, err
		}
		desc := j.describe()
		if last := j.attempts[len(j.attempts)-1]; last.startErr != nil || last.o.exitCode != 0 || last.o.timedOut {
			return nil, taskFailed(desc)
		}
		return desc, nil
	}
	// Request-response: SubmitJob answers once the job is queued; it runs
	// on.
	ran := iv.background(func(bg context.Context) {
		if err := j.runAll(bg, iv, specOf); err == nil {
			last := j.attempts[len(j.attempts)-1]
			iv.log.Info("batch job ended", append(attrs, "exit_code", last.o.exitCode, "attempts", len(j.attempts))...)
		}
	})
	if !ran {
		return nil, &tasks.Error{Name: tasks.ErrorTaskFailed, Cause: "Stepwise is shutting down"}
	}
	requestID := newUUID()
	out := object("JobArn", j.arn, "JobId", j.id, "JobName", sub.name)
	out.Set("SdkHttpMetadata", sdkHTTPMetadata(requestID))
	out.Set("SdkResponseMetadata", object("RequestId", requestID))
	return out, nil
}

// runAll runs the job's attempts until one succeeds or none are left; it
// returns ctx's error when ctx ends first.
func (j *batchJob) runAll(ctx context.Context, iv *Invoker, specOf func(n int) spec) error {
	for n := range j.sub.attempts {
		a := attempt{taskARN: fmt.Sprintf("arn:aws:ecs:%s:%s:task/AWSBatch-%s/%s", iv.cfg.Region, iv.cfg.Account, j.id, newID())}
		r, err := start(ctx, iv.log, iv.docker, specOf(n))
		if err != nil {
			a.startErr = err
			a.o = outcome{started: time.Now(), stopped: time.Now()}
			j.attempts = append(j.attempts, a)
			continue
		}
		a.o = r.wait()
		if a.o.cancelled {
			return ctx.Err()
		}
		j.attempts = append(j.attempts, a)
		if a.o.exitCode == 0 && !a.o.timedOut {
			break
		}
	}
	return nil
}

// substitute replaces Ref::NAME in a command's arguments with the job's
// parameter NAME, as Batch does; a reference to no parameter stays as
// written, as in Batch.
func substitute(cmd []string, params *jsonval.Object) []string {
	if params == nil || params.Len() == 0 {
		return cmd
	}
	out := make([]string, len(cmd))
	for i, a := range cmd {
		if name, ok := strings.CutPrefix(a, "Ref::"); ok {
			if v, ok := params.Get(name); ok {
				a = v.(string)
			}
		}
		out[i] = a
	}
	return out
}

// describe is the job as DescribeJobs describes it once it has ended:
// SUCCEEDED, or FAILED when its last attempt failed. Times are epoch
// milliseconds.
func (j *batchJob) describe() *jsonval.Object {
	var attempts []any
	for _, a := range j.attempts {
		ac := object("ExitCode", jsonval.FromGo(a.o.exitCode), "TaskArn", a.taskARN)
		reason := j.reason(a)
		if a.startErr != nil {
			ac.Delete("ExitCode")
			ac.Set("Reason", reason)
		}
		attempts = append(attempts, object("Container", ac, "StartedAt", millis(a.o.started), "StatusReason", reason, "StoppedAt", millis(a.o.stopped)))
	}
	last := j.attempts[len(j.attempts)-1]
	status := "SUCCEEDED"
	if last.startErr != nil || last.o.exitCode != 0 || last.o.timedOut {
		status = "FAILED"
	}
	env := make([]any, 0, len(j.env))
	for _, kv := range j.env {
		k, v, _ := strings.Cut(kv, "=")
		env = append(env, object("Name", k, "Value", v))
	}
	c := object("Command", toList(j.command), "Environment", env)
	if last.startErr == nil {
		c.Set("ExitCode", jsonval.FromGo(last.o.exitCode))
	} else {
		c.Set("Reason", j.reason(last))
	}
	if j.def.Image != "" {
		c.Set("Image", j.def.Image)
	}
	c.Set("ResourceRequirements", []any{})
	c.Set("TaskArn", last.taskARN)
	params := j.sub.parameters
	if params == nil {
		params = jsonval.NewObject(0)
	}
	tags := j.sub.tags
	if tags == nil {
		tags = jsonval.NewObject(0)
	}
	d := object("Attempts", attempts, "Container", c, "CreatedAt", millis(j.created), "DependsOn", []any{},
		"JobArn", j.arn, "JobDefinition", j.defARN, "JobId", j.id, "JobName", j.sub.name, "JobQueue", j.queueARN,
		"Parameters", params, "PlatformCapabilities", []any{}, "PropagateTags", j.sub.propagateTags,
		"StartedAt", millis(j.attempts[0].o.started), "Status", status, "StatusReason", j.reason(last),
		"StoppedAt", millis(last.o.stopped), "Tags", tags)
	if j.sub.timeout > 0 {
		d.Set("Timeout", object("AttemptDurationSeconds", jsonval.FromGo(int64(j.sub.timeout/time.Second))))
	}
	return d
}

// reason is an attempt's StatusReason as Batch words it.
func (j *batchJob) reason(a attempt) string {
	switch {
	case a.startErr != nil:
		return "CannotStartContainerError: " + a.startErr.Error()
	case a.o.timedOut:
		return "Job attempt duration exceeded timeout"
	}
	return "Essential container in task exited"
}
