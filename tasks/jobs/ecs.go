package jobs

import (
	"context"
	"fmt"
	"strings"
	"time"

	"stepwise/jsonval"
	"stepwise/resource"
	"stepwise/tasks"
)

// The parameters of arn:aws:states:::ecs:runTask, as RunTask takes them
// (PascalCase, as Step Functions spells them). Those that only say where
// and how AWS places the task (cluster, capacity, network, tags) have no
// local meaning and are accepted; those that would change what runs and
// that Stepwise cannot carry out locally are refused when set.
var (
	runTaskFields = []string{"TaskDefinition", "Cluster", "Count", "Group", "StartedBy", "ReferenceId", "Overrides",
		"LaunchType", "NetworkConfiguration", "PlatformVersion", "PlacementConstraints", "PlacementStrategy",
		"CapacityProviderStrategy", "EnableECSManagedTags", "PropagateTags", "EnableExecuteCommand", "Tags",
		"ClientToken", "VolumeConfigurations"}
	taskOverrideFields      = []string{"ContainerOverrides", "Cpu", "Memory", "EphemeralStorage", "ExecutionRoleArn", "TaskRoleArn", "InferenceAcceleratorOverrides"}
	taskOverrideRefused     = []string{"ExecutionRoleArn", "TaskRoleArn", "InferenceAcceleratorOverrides"}
	containerOverrideFields = []string{"Name", "Command", "Environment", "EnvironmentFiles", "Cpu", "Memory", "MemoryReservation", "ResourceRequirements"}
)

// ecsRun is a runTask request, read.
type ecsRun struct {
	taskDefinition string
	cluster        string // the cluster's name
	group          string
	startedBy      string
	launchType     string
	overrides      any      // as given, for the description
	container      string   // the one container override's Name, or ""
	command        []string // nil: the definition's
	env            []string
	tags           any
}

// readRunTask reads runTask's parameters, refusing what a local task
// cannot carry out.
func readRunTask(p *jsonval.Object) (ecsRun, error) {
	var r ecsRun
	if err := checkFields("ecs:runTask", p, runTaskFields...); err != nil {
		return r, err
	}
	td, _ := p.Get("TaskDefinition")
	s, ok := td.(string)
	if !ok || s == "" {
		return r, fmt.Errorf("the field 'TaskDefinition' is required: the family, family:revision or ARN of a task definition")
	}
	r.taskDefinition = s
	var err error
	if r.cluster, err = optString(p, "Cluster"); err != nil {
		return r, err
	}
	if i := strings.LastIndexByte(r.cluster, '/'); i >= 0 {
		r.cluster = r.cluster[i+1:]
	}
	if r.cluster == "" {
		r.cluster = "default"
	}
	if r.group, err = optString(p, "Group"); err != nil {
		return r, err
	}
	if r.startedBy, err = optString(p, "StartedBy"); err != nil {
		return r, err
	}
	if r.launchType, err = optString(p, "LaunchType"); err != nil {
		return r, err
	}
	if c, ok := p.Get("Count"); ok {
		if n, ok := jsonval.Int(c); !ok || n != 1 {
			return r, fmt.Errorf("field Count %s: Stepwise runs one local task per Task state; use a Map state for more", jsonval.MustMarshalString(c))
		}
	}
	r.tags, _ = p.Get("Tags")
	ov, ok := p.Get("Overrides")
	if !ok {
		return r, nil
	}
	r.overrides = ov
	o, ok := ov.(*jsonval.Object)
	if !ok {
		return r, fmt.Errorf("field Overrides: want an object")
	}
	if err := checkFields("Overrides", o, taskOverrideFields...); err != nil {
		return r, err
	}
	if err := refuseSet("Overrides", o, taskOverrideRefused...); err != nil {
		return r, err
	}
	co, ok := o.Get("ContainerOverrides")
	if !ok {
		return r, nil
	}
	list, ok := co.([]any)
	if !ok {
		return r, fmt.Errorf("Overrides.ContainerOverrides: want an array")
	}
	if len(list) > 1 {
		return r, fmt.Errorf("Overrides.ContainerOverrides: a local task has one container; got %d overrides", len(list))
	}
	for i, x := range list {
		where := fmt.Sprintf("Overrides.ContainerOverrides[%d]", i)
		c, ok := x.(*jsonval.Object)
		if !ok {
			return r, fmt.Errorf("%s: want an object", where)
		}
		if err := checkFields(where, c, containerOverrideFields...); err != nil {
			return r, err
		}
		if err := refuseSet(where, c, "EnvironmentFiles"); err != nil {
			return r, err
		}
		if r.container, err = optString(c, "Name"); err != nil {
			return r, fmt.Errorf("%s.%w", where, err)
		}
		if v, ok := c.Get("Command"); ok {
			if r.command, ok = stringList(v); !ok {
				return r, fmt.Errorf("%s.Command: want an array of strings", where)
			}
		}
		if v, ok := c.Get("Environment"); ok {
			if r.env, err = nameValues(where+".Environment", v); err != nil {
				return r, err
			}
		}
	}
	return r, nil
}

// ecsTask is one local ECS task.
type ecsTask struct {
	run          ecsRun
	def          Definition
	arn          string
	cluster      string // its ARN
	tdARN        string
	container    string // its one container's name
	containerARN string
	created      time.Time
	timeout      time.Duration
}

// runTask carries out ecs:runTask locally when the configuration names
// its task definition, and through Config.Remote otherwise.
func (iv *Invoker) runTask(ctx context.Context, req tasks.Request, pat resource.Pattern, params *jsonval.Object) (any, error) {
	run, err := readRunTask(params)
	if err != nil {
		return nil, runtimeError("%v", err)
	}
	def, family, rev, ok := lookup(iv.cfg.TaskDefinitions, run.taskDefinition)
	if !ok {
		if iv.remote["ecs"] {
			return iv.remoteCall(ctx, req, resource.Parse(req.Resource), params)
		}
		return nil, notConfigured("ECS task definition", "TaskDefinitions", run.taskDefinition, "ecs")
	}
	t := &ecsTask{run: run, def: def, created: time.Now(), container: def.ContainerName}
	if t.container == "" {
		t.container = family
	}
	if run.container != "" && run.container != t.container {
		requestID := newUUID()
		return nil, &tasks.Error{Name: "ECS.InvalidParameterException", Cause: fmt.Sprintf(
			"Override for container named %s is not a container in the TaskDefinition. (Service: AmazonECS; Status Code: 400; Error Code: InvalidParameterException; Request ID: %s; Proxy: null)",
			run.container, requestID)}
	}
	id := newID()
	t.arn = fmt.Sprintf("arn:aws:ecs:%s:%s:task/%s/%s", iv.cfg.Region, iv.cfg.Account, run.cluster, id)
	t.cluster = fmt.Sprintf("arn:aws:ecs:%s:%s:cluster/%s", iv.cfg.Region, iv.cfg.Account, run.cluster)
	if strings.HasPrefix(run.taskDefinition, "arn:") {
		t.tdARN = run.taskDefinition
	} else {
		if rev == "" {
			rev = "1"
		}
		t.tdARN = fmt.Sprintf("arn:aws:ecs:%s:%s:task-definition/%s:%s", iv.cfg.Region, iv.cfg.Account, family, rev)
	}
	cmd := def.Command
	if run.command != nil {
		cmd = run.command
	}
	t.containerARN = fmt.Sprintf("arn:aws:ecs:%s:%s:container/%s/%s/%s", iv.cfg.Region, iv.cfg.Account, run.cluster, id, newUUID())
	t.timeout = timeoutOf(def, req, 0)
	s := spec{def: def, command: cmd, env: run.env, timeout: t.timeout, name: "stepwise-ecs-" + id,
		attrs: []any{"task_arn", t.arn, "state", req.StateName, "container", t.container}}
	if pat == resource.Sync {
		return t.sync(ctx, iv, s)
	}
	// Request-response and .waitForTaskToken: RunTask answers once the
	// task is placed, and the task runs on; a .waitForTaskToken task ends
	// with SendTaskSuccess or SendTaskFailure, not with the process.
	started := make(chan error, 1)
	ran := iv.background(func(bg context.Context) {
		r, err := start(bg, iv.log, iv.docker, s)
		started <- err
		if err != nil {
			return
		}
		o := r.wait()
		iv.log.Info("ecs task stopped", "task_arn", t.arn, "state", req.StateName, "exit_code", o.exitCode, "timed_out", o.timedOut)
	})
	if !ran {
		return nil, &tasks.Error{Name: tasks.ErrorTaskFailed, Cause: "Stepwise is shutting down"}
	}
	select {
	case err := <-started:
		if err != nil {
			return nil, taskFailed(t.describe(nil, err))
		}
	case <-ctx.Done():
		return nil, ctx.Err()
	}
	requestID := newUUID()
	out := object("Failures", []any{}, "Tasks", []any{t.describe(nil, nil)})
	out.Set("SdkHttpMetadata", sdkHTTPMetadata(requestID))
	out.Set("SdkResponseMetadata", object("RequestId", requestID))
	return out, nil
}

// sync runs the task to its end and returns its description, as
// ecs:runTask.sync does; a task whose container exits non-zero, or that
// could not start, fails with States.TaskFailed and the description as
// the cause.
func (t *ecsTask) sync(ctx context.Context, iv *Invoker, s spec) (any, error) {
	r, err := start(ctx, iv.log, iv.docker, s)
	if err != nil {
		return nil, taskFailed(t.describe(nil, err))
	}
	o := r.wait()
	if o.cancelled {
		return nil, ctx.Err()
	}
	desc := t.describe(&o, nil)
	if o.exitCode != 0 || o.timedOut {
		return nil, taskFailed(desc)
	}
	return desc, nil
}

// describe is the task as DescribeTasks describes it: PENDING before it
// ended (o and startErr nil), STOPPED after. Times are epoch
// milliseconds.
func (t *ecsTask) describe(o *outcome, startErr error) *jsonval.Object {
	status, desired := "PENDING", "RUNNING"
	if o != nil || startErr != nil {
		status, desired = "STOPPED", "STOPPED"
	}
	c := object("ContainerArn", t.containerARN, "LastStatus", status, "Name", t.container, "NetworkBindings", []any{}, "NetworkInterfaces", []any{}, "TaskArn", t.arn)
	if t.def.Image != "" {
		c.Set("Image", t.def.Image)
	}
	if o != nil {
		c.Set("ExitCode", jsonval.FromGo(o.exitCode))
		if o.timedOut {
			c.Set("Reason", fmt.Sprintf("Stepwise stopped the container: it ran longer than its timeout of %s", t.timeout))
		}
	}
	if startErr != nil {
		c.Set("Reason", "CannotStartContainerError: "+startErr.Error())
	}
	d := object("Attachments", []any{}, "Attributes", []any{}, "ClusterArn", t.cluster, "Containers", []any{c},
		"CreatedAt", millis(t.created), "DesiredStatus", desired)
	if t.run.group != "" {
		d.Set("Group", t.run.group)
	} else {
		family, _, _ := strings.Cut(t.tdARN[strings.LastIndexByte(t.tdARN, '/')+1:], ":")
		d.Set("Group", "family:"+family)
	}
	d.Set("LastStatus", status)
	if t.run.launchType != "" {
		d.Set("LaunchType", t.run.launchType)
	}
	ov := t.run.overrides
	if ov == nil {
		ov = object("ContainerOverrides", []any{}, "InferenceAcceleratorOverrides", []any{})
	}
	d.Set("Overrides", ov)
	if o != nil {
		d.Set("StartedAt", millis(o.started))
	}
	if t.run.startedBy != "" {
		d.Set("StartedBy", t.run.startedBy)
	}
	switch {
	case startErr != nil:
		d.Set("StopCode", "TaskFailedToStart")
		d.Set("StoppedAt", millis(time.Now()))
		d.Set("StoppedReason", "CannotStartContainerError: "+startErr.Error())
	case o != nil:
		d.Set("StopCode", "EssentialContainerExited")
		d.Set("StoppedAt", millis(o.stopped))
		reason := "Essential container in task exited"
		if o.timedOut {
			reason = fmt.Sprintf("Stepwise stopped the task: it ran longer than its timeout of %s", t.timeout)
		}
		d.Set("StoppedReason", reason)
		d.Set("StoppingAt", millis(o.stopped))
	}
	tags := t.run.tags
	if tags == nil {
		tags = []any{}
	}
	d.Set("Tags", tags)
	d.Set("TaskArn", t.arn)
	d.Set("TaskDefinitionArn", t.tdARN)
	d.Set("Version", jsonval.FromGo(1))
	return d
}

// sdkHTTPMetadata is the SdkHttpMetadata of a local answer, in the shape
// the optimized integrations' results carry.
func sdkHTTPMetadata(requestID string) *jsonval.Object {
	h := object("Content-Type", "application/x-amz-json-1.1", "x-amzn-RequestId", requestID)
	all := object("Content-Type", []any{"application/x-amz-json-1.1"}, "x-amzn-RequestId", []any{requestID})
	return object("AllHttpHeaders", all, "HttpHeaders", h, "HttpStatusCode", jsonval.FromGo(200))
}
