package jobs

import (
	"context"
	"crypto/rand"
	"fmt"
	"log/slog"
	"maps"
	"math"
	"slices"
	"strings"
	"sync"
	"time"

	"stepwise/jsonval"
	"stepwise/resource"
	"stepwise/tasks"
)

// Invoker is a [tasks.Invoker] for the job integrations (see the package
// doc). It owns the local jobs of request-response and .waitForTaskToken
// tasks, which run on after their Task has its answer, as ECS tasks do:
// [Invoker.Close] stops them. It is safe for concurrent use; its Config
// must not change once it is in use.
type Invoker struct {
	cfg    Config
	log    *slog.Logger // never nil
	docker string
	remote map[string]bool // services Config.Remote reaches
	poll   time.Duration

	base   context.Context // ends with Close; background jobs run under it
	cancel context.CancelFunc
	wg     sync.WaitGroup // the background jobs

	mu     sync.Mutex // guards closed
	closed bool
}

var _ tasks.Invoker = (*Invoker)(nil)

// New returns an Invoker for cfg. Call Close when it is no longer used.
func New(cfg Config) *Invoker {
	if cfg.Region == "" {
		cfg.Region = "us-east-1"
	}
	if cfg.Account == "" {
		cfg.Account = "123456789012"
	}
	iv := &Invoker{cfg: cfg, log: cfg.Logger, docker: cfg.Docker, remote: map[string]bool{}, poll: cfg.PollInterval}
	if iv.log == nil {
		iv.log = slog.New(slog.DiscardHandler)
	}
	if iv.docker == "" {
		iv.docker = "docker"
	}
	if iv.poll <= 0 {
		iv.poll = DefaultPollInterval
	}
	if cfg.Remote != nil {
		for _, s := range cfg.RemoteServices {
			iv.remote[s] = true
		}
	}
	iv.base, iv.cancel = context.WithCancel(context.Background())
	return iv
}

// Close stops the local jobs still running in the background (those of
// request-response and .waitForTaskToken tasks) and waits for them to
// end. Tasks invoked after Close fail. Close is safe to call more than
// once.
func (iv *Invoker) Close() error {
	iv.mu.Lock()
	iv.closed = true
	iv.mu.Unlock()
	iv.cancel()
	iv.wg.Wait()
	return nil
}

// background runs f under the Invoker's own context, which Close ends. It
// reports false, running nothing, once Close has been called.
func (iv *Invoker) background(f func(ctx context.Context)) bool {
	iv.mu.Lock()
	defer iv.mu.Unlock()
	if iv.closed {
		return false
	}
	iv.wg.Go(func() { f(iv.base) })
	return true
}

// integrations are the resources an Invoker carries out, by
// SERVICE:ACTION, with the patterns AWS offers for each ("Supported
// service integrations" in the Step Functions developer guide).
var integrations = map[string][]resource.Pattern{
	"ecs:runTask":                {resource.RequestResponse, resource.Sync, resource.WaitForTaskToken},
	"batch:submitJob":            {resource.RequestResponse, resource.Sync},
	"athena:startQueryExecution": {resource.RequestResponse, resource.Sync},
	"athena:stopQueryExecution":  {resource.RequestResponse},
	"athena:getQueryExecution":   {resource.RequestResponse},
	"athena:getQueryResults":     {resource.RequestResponse},
	"glue:startJobRun":           {resource.RequestResponse, resource.Sync},

	// "Manage AWS CodeBuild builds with Step Functions".
	"codebuild:startBuild":        {resource.RequestResponse, resource.Sync},
	"codebuild:stopBuild":         {resource.RequestResponse},
	"codebuild:batchDeleteBuilds": {resource.RequestResponse},
	"codebuild:batchGetReports":   {resource.RequestResponse},
	"codebuild:startBuildBatch":   {resource.RequestResponse, resource.Sync},
	"codebuild:stopBuildBatch":    {resource.RequestResponse},
	"codebuild:retryBuildBatch":   {resource.RequestResponse, resource.Sync},
	"codebuild:deleteBuildBatch":  {resource.RequestResponse},

	// "Create and manage Amazon EMR clusters with Step Functions".
	"elasticmapreduce:createCluster":                   {resource.RequestResponse, resource.Sync},
	"elasticmapreduce:setClusterTerminationProtection": {resource.RequestResponse},
	"elasticmapreduce:modifyInstanceFleetByName":       {resource.RequestResponse},
	"elasticmapreduce:modifyInstanceGroupByName":       {resource.RequestResponse},
	"elasticmapreduce:terminateCluster":                {resource.RequestResponse, resource.Sync},
	"elasticmapreduce:addStep":                         {resource.RequestResponse, resource.Sync},
	"elasticmapreduce:cancelStep":                      {resource.RequestResponse},

	// "Create and manage Amazon SageMaker AI jobs with Step Functions".
	"sagemaker:createEndpoint":                {resource.RequestResponse},
	"sagemaker:createEndpointConfig":          {resource.RequestResponse},
	"sagemaker:createHyperParameterTuningJob": {resource.RequestResponse, resource.Sync},
	"sagemaker:createLabelingJob":             {resource.RequestResponse, resource.Sync},
	"sagemaker:createModel":                   {resource.RequestResponse},
	"sagemaker:createProcessingJob":           {resource.RequestResponse, resource.Sync},
	"sagemaker:createTrainingJob":             {resource.RequestResponse, resource.Sync},
	"sagemaker:createTransformJob":            {resource.RequestResponse, resource.Sync},
	"sagemaker:updateEndpoint":                {resource.RequestResponse},

	// "Invoke and customize Amazon Bedrock models with Step Functions".
	"bedrock:invokeModel":                 {resource.RequestResponse},
	"bedrock:createModelCustomizationJob": {resource.RequestResponse, resource.Sync},
}

// Handles reports whether an [Invoker] carries out r: one of the
// optimized integrations of the package doc, with any pattern. A
// pattern AWS does not offer for it (batch:submitJob.waitForTaskToken)
// is refused by Invoke as AWS refuses it, rather than left to a Router's
// other routes.
func Handles(r resource.Resource) bool {
	if r.Kind != resource.Integration || r.SDK || r.Partition != "aws" {
		return false
	}
	_, ok := integrations[r.Service+":"+r.Action]
	return ok
}

// Services returns the AWS SDK services an [Invoker]'s integrations
// call, sorted: the names Config.RemoteServices takes (emr for
// elasticmapreduce:*, bedrockruntime for bedrock:invokeModel, s3 for its
// Input.S3Uri).
func Services() []string {
	out := []string{"s3"}
	for k := range integrations {
		svc, _, _ := strings.Cut(k, ":")
		out = append(out, sdkServiceOf(svc))
		if t := targets[k]; t.service != "" {
			out = append(out, t.service)
		}
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// Invoke carries out the task req describes. Failures are *[tasks.Error]s:
// States.TaskFailed for a job that failed, with the task's or job's
// description as the cause, as on AWS; States.Runtime for parameters
// Stepwise cannot carry out; the service's error names for refusals.
func (iv *Invoker) Invoke(ctx context.Context, req tasks.Request) (any, error) {
	r := resource.Parse(req.Resource)
	key := r.Service + ":" + r.Action
	pats, ok := integrations[key]
	if !Handles(r) || !ok || !slices.Contains(pats, r.Pattern) {
		return nil, &tasks.Error{Name: tasks.ErrorRuntime, Cause: fmt.Sprintf(
			"The resource provided %s is not recognized. The value is not a valid resource ARN, or the resource is not available in this region.", req.Resource)}
	}
	params, ok := req.Input.(*jsonval.Object)
	if !ok {
		return nil, runtimeError("%s needs Parameters that are a JSON object", key)
	}
	switch key {
	case "ecs:runTask":
		return iv.runTask(ctx, req, r.Pattern, params)
	case "batch:submitJob":
		return iv.submitJob(ctx, req, r.Pattern, params)
	}
	return iv.remoteCall(ctx, req, r, params)
}

// runtimeError is a task failure AWS raises for parameters it cannot use:
// States.Runtime, which Retry and Catch on States.ALL do not take.
func runtimeError(format string, args ...any) *tasks.Error {
	return &tasks.Error{Name: tasks.ErrorRuntime, Cause: fmt.Sprintf(format, args...)}
}

// taskFailed is a job that ended badly: States.TaskFailed with its
// description as JSON, as AWS reports a failed .sync job.
func taskFailed(desc any) *tasks.Error {
	return &tasks.Error{Name: tasks.ErrorTaskFailed, Cause: jsonval.MustMarshalString(desc)}
}

// notConfigured says how to make a job integration work.
func notConfigured(what, section, name, svc string) *tasks.Error {
	return &tasks.Error{Name: tasks.ErrorTaskFailed, Cause: fmt.Sprintf(
		"Stepwise has no local job for the %s %q and no %s endpoint: describe it in the file of --job-config FILE, whose shape is %s; "+
			"or start Stepwise with --aws-endpoint %s=URL or --aws to run it on %s; or mock the state with --mock-config",
		what, name, svc, strings.Replace(ConfigShape, `"`+sectionExample(section)+`"`, `"`+name+`"`, 1), svc, strings.ToUpper(svc))}
}

func sectionExample(section string) string {
	if section == "TaskDefinitions" {
		return "FAMILY[:REVISION]"
	}
	return "NAME[:REVISION]"
}

// lookup finds the definition of ref ("name", "name:revision" or an ARN
// whose resource is KIND/name:revision) in defs: by ref, then
// name:revision, then name. It returns the definition, the name and the
// revision ("" when ref has none).
func lookup(defs map[string]Definition, ref string) (Definition, string, string, bool) {
	nameRev := ref
	if strings.HasPrefix(ref, "arn:") {
		if i := strings.LastIndexByte(ref, '/'); i >= 0 {
			nameRev = ref[i+1:]
		}
	}
	name, rev, _ := strings.Cut(nameRev, ":")
	for _, k := range []string{ref, nameRev, name} {
		if d, ok := defs[k]; ok {
			return d, name, rev, true
		}
	}
	return Definition{}, name, rev, false
}

// timeoutOf is how long a local run may take: the definition's timeout,
// else the Task's TimeoutSeconds, else DefaultTimeout; jobTimeout
// (Batch's Timeout.AttemptDurationSeconds), when shorter, wins.
func timeoutOf(d Definition, req tasks.Request, jobTimeout time.Duration) time.Duration {
	t := d.Timeout
	if t <= 0 && req.TimeoutSeconds > 0 {
		t = time.Duration(min(req.TimeoutSeconds, math.MaxInt64/int64(time.Second))) * time.Second
	}
	if t <= 0 {
		t = DefaultTimeout
	}
	if jobTimeout > 0 && jobTimeout < t {
		t = jobTimeout
	}
	return t
}

// newID returns 16 random bytes as hex, the form of ECS task IDs.
func newID() string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	return fmt.Sprintf("%x", b[:])
}

// newUUID returns a random UUID, the form of Batch job IDs and request
// IDs.
func newUUID() string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:])
}

// millis is a time as AWS's ECS and Batch integrations report it: epoch
// milliseconds.
func millis(t time.Time) any { return jsonval.FromGo(t.UnixMilli()) }

// object builds a JSON object from key, value pairs, in order.
func object(kv ...any) *jsonval.Object {
	o := jsonval.NewObject(len(kv) / 2)
	for i := 0; i+1 < len(kv); i += 2 {
		o.Set(kv[i].(string), kv[i+1])
	}
	return o
}

// stringList reads a JSON array of strings; ok is false for anything
// else.
func stringList(v any) ([]string, bool) {
	arr, ok := v.([]any)
	if !ok {
		return nil, false
	}
	out := make([]string, len(arr))
	for i, x := range arr {
		s, ok := x.(string)
		if !ok {
			return nil, false
		}
		out[i] = s
	}
	return out, true
}

func toList(ss []string) []any {
	out := make([]any, len(ss))
	for i, s := range ss {
		out[i] = s
	}
	return out
}

// nameValues reads an ECS or Batch Environment, [{"Name": ..., "Value":
// ...}], as KEY=value strings.
func nameValues(field string, v any) ([]string, error) {
	arr, ok := v.([]any)
	if !ok {
		return nil, fmt.Errorf("%s: want an array of {\"Name\", \"Value\"} objects", field)
	}
	var out []string
	for i, x := range arr {
		o, ok := x.(*jsonval.Object)
		if !ok {
			return nil, fmt.Errorf("%s[%d]: want a {\"Name\", \"Value\"} object", field, i)
		}
		for k := range o.All() {
			if k != "Name" && k != "Value" {
				return nil, fmt.Errorf("%s[%d]: unknown field %q", field, i, k)
			}
		}
		n, _ := o.Get("Name")
		name, ok := n.(string)
		if !ok || name == "" || strings.ContainsAny(name, "=\x00") {
			return nil, fmt.Errorf("%s[%d].Name: want a variable name", field, i)
		}
		val := ""
		if v, ok := o.Get("Value"); ok {
			if val, ok = v.(string); !ok {
				return nil, fmt.Errorf("%s[%d].Value: want a string", field, i)
			}
		}
		if strings.ContainsRune(val, 0) {
			return nil, fmt.Errorf("%s[%d].Value: a NUL byte cannot be in the environment", field, i)
		}
		out = append(out, name+"="+val)
	}
	return out, nil
}

// checkFields refuses the fields of o that are not in known, naming them
// as AWS does for a field an integration does not take.
func checkFields(where string, o *jsonval.Object, known ...string) error {
	for k := range o.All() {
		if !slices.Contains(known, k) {
			return fmt.Errorf("the field '%s' is not supported by Step Functions in %s", k, where)
		}
	}
	return nil
}

// refuseSet refuses fields of o that Stepwise cannot carry out locally,
// unless they are empty, so that a setting never runs as if absent.
func refuseSet(where string, o *jsonval.Object, fields ...string) error {
	for _, f := range fields {
		v, ok := o.Get(f)
		if !ok || v == nil || isEmpty(v) {
			continue
		}
		return fmt.Errorf("%s.%s: Stepwise cannot carry this out for a local job; run it on AWS (--aws) or remove it", where, f)
	}
	return nil
}

func isEmpty(v any) bool {
	switch x := v.(type) {
	case []any:
		return len(x) == 0
	case *jsonval.Object:
		return x.Len() == 0
	case string:
		return x == ""
	}
	return false
}

func optString(o *jsonval.Object, field string) (string, error) {
	v, ok := o.Get(field)
	if !ok {
		return "", nil
	}
	s, ok := v.(string)
	if !ok {
		return "", fmt.Errorf("%s: want a string", field)
	}
	return s, nil
}

func sortedKeys[V any](m map[string]V) []string { return slices.Sorted(maps.Keys(m)) }
