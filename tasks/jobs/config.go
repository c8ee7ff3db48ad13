package jobs

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"math"
	"path/filepath"
	"strings"
	"time"

	"stepwise/tasks"
)

// DefaultTimeout bounds a local job when neither its [Definition] nor the
// Task state gives a timeout. ECS tasks and Batch jobs have no timeout of
// their own on AWS; a local process still needs one, so that a forgotten
// job does not hold a worker for ever.
const DefaultTimeout = time.Hour

// DefaultPollInterval is how often a .sync task on AWS (or a compatible
// endpoint) asks whether its task, job or query has ended.
const DefaultPollInterval = 5 * time.Second

// Config says how ECS tasks and Batch jobs run.
type Config struct {
	// TaskDefinitions runs ECS tasks locally, keyed by task definition as
	// RunTask's TaskDefinition names it: "family", "family:revision" or
	// the task definition's ARN. A Task is matched by its TaskDefinition
	// exactly, then by family:revision, then by family.
	TaskDefinitions map[string]Definition
	// JobDefinitions runs Batch jobs locally, keyed by job definition as
	// SubmitJob's JobDefinition names it: "name", "name:revision" or the
	// job definition's ARN, matched as TaskDefinitions are.
	JobDefinitions map[string]Definition
	// Remote, when set, carries out the ECS tasks and Batch jobs the
	// definitions above do not name, and the Athena, Glue, CodeBuild,
	// EMR, SageMaker and Bedrock integrations, through the AWS SDK
	// integrations (arn:aws:states:::aws-sdk:ecs:runTask,
	// ...:describeTasks, aws-sdk:emr:runJobFlow, ...). RemoteServices
	// says which services it reaches.
	Remote tasks.Invoker
	// RemoteServices lists the SDK services Remote reaches, as
	// [Services] names them: "ecs", "batch", "athena", "glue",
	// "codebuild", "emr" (for elasticmapreduce:*), "sagemaker",
	// "bedrock", "bedrockruntime" (for bedrock:invokeModel), "s3" (for
	// its Input.S3Uri). A service missing from it fails with a cause that
	// says how to configure it.
	RemoteServices []string
	// Missing, when set, reports why this binary cannot call an SDK
	// service at all (tasks/sdk's Missing: sagemaker in a build without
	// -tags stepwise_sagemaker), so that a Task says how to rebuild
	// rather than how to configure an endpoint it could not use.
	Missing func(service string) (cause string, ok bool)
	// PollInterval is how often a remote .sync task asks whether it has
	// ended; zero means [DefaultPollInterval].
	PollInterval time.Duration
	// Region and Account name tasks and jobs in ARNs. Defaults:
	// us-east-1, 123456789012.
	Region  string
	Account string
	// Logger receives each line a local job writes to stdout or stderr, as
	// ECS and Batch send a container's output to CloudWatch Logs. Nil
	// discards them.
	Logger *slog.Logger
	// Docker is the docker command Image definitions run with; empty
	// means "docker" on PATH.
	Docker string
}

// Definition is how one task definition or job definition runs locally:
// a command, or a container image run with `docker run --rm`.
type Definition struct {
	// Command is the program and its arguments: the container's command,
	// which a Task's ContainerOverrides Command replaces, as ECS and Batch
	// replace a container's CMD. For an Image, the command given to the
	// image (empty: the image's own).
	Command []string
	// EntryPoint, when set, goes before the command and is kept when an
	// override replaces the command, as a container's ENTRYPOINT is.
	EntryPoint []string
	// Image is a container image, run with docker; Command and EntryPoint
	// then are the image's command and entrypoint.
	Image string
	// Dir is the working directory (for an Image, inside the container);
	// empty means the directory of the configuration file.
	Dir string
	// Env is added to the environment ("KEY=value"), before the Task's
	// overrides.
	Env []string
	// Timeout stops the job when it runs longer; zero means the Task
	// state's TimeoutSeconds, or [DefaultTimeout].
	Timeout time.Duration
	// ContainerName is the name of the task definition's one container,
	// which ContainerOverrides must name; empty means the family.
	ContainerName string
}

// fileDefinition is a Definition as the configuration file spells it.
type fileDefinition struct {
	Command        []string
	EntryPoint     []string
	Image          string
	Dir            string
	Env            map[string]string
	TimeoutSeconds float64
	ContainerName  string
}

type fileConfig struct {
	TaskDefinitions     map[string]fileDefinition
	JobDefinitions      map[string]fileDefinition
	Region              string
	Account             string
	PollIntervalSeconds float64
}

// ConfigShape is the shape of a --job-config file, for messages that say
// how to configure a job.
const ConfigShape = `{"TaskDefinitions": {"FAMILY[:REVISION]": {"Command": ["./run.sh"], "Env": {"K": "v"}, "TimeoutSeconds": 600}}, "JobDefinitions": {"NAME[:REVISION]": {"Image": "alpine:3", "Command": ["echo", "hi"]}}}`

// ParseConfig reads the ECS task definitions and Batch job definitions of
// a job configuration file:
//
//	{
//	  "TaskDefinitions": {
//	    "resize":   {"Command": ["./resize.sh"], "Env": {"QUALITY": "80"}, "TimeoutSeconds": 600},
//	    "render:3": {"Image": "ghcr.io/acme/render:3", "Command": ["render", "--all"]}
//	  },
//	  "JobDefinitions": {
//	    "nightly": {"EntryPoint": ["python3", "nightly.py"], "Command": ["--full"], "Dir": "jobs"}
//	  },
//	  "Region": "us-east-1", "Account": "123456789012", "PollIntervalSeconds": 5
//	}
//
// Relative Dirs of commands are taken from dir (the file's directory,
// usually), which is also the directory of a command without one. Unknown
// keys are refused, so that a misspelt setting is an error rather than
// silently ignored. The caller sets Remote, Logger and the rest.
func ParseConfig(data []byte, dir string) (Config, error) {
	var fc fileConfig
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&fc); err != nil {
		return Config{}, fmt.Errorf("job config: %w", err)
	}
	if dec.More() {
		return Config{}, errors.New("job config: more than one JSON value")
	}
	c := Config{Region: fc.Region, Account: fc.Account}
	if p := fc.PollIntervalSeconds; p != 0 {
		if !(p >= 0.001 && p <= 3600) {
			return Config{}, fmt.Errorf("job config: PollIntervalSeconds %v: want 0.001 to 3600", p)
		}
		c.PollInterval = time.Duration(p * float64(time.Second))
	}
	var err error
	if c.TaskDefinitions, err = resolveAll("TaskDefinitions", fc.TaskDefinitions, dir); err != nil {
		return Config{}, err
	}
	if c.JobDefinitions, err = resolveAll("JobDefinitions", fc.JobDefinitions, dir); err != nil {
		return Config{}, err
	}
	return c, nil
}

func resolveAll(section string, defs map[string]fileDefinition, dir string) (map[string]Definition, error) {
	out := make(map[string]Definition, len(defs))
	for name, f := range defs {
		d, err := f.resolve(dir)
		if err != nil {
			return nil, fmt.Errorf("job config: %s %q: %w", section, name, err)
		}
		if name == "" || strings.ContainsAny(name, " \t\n") {
			return nil, fmt.Errorf("job config: %s: %q is no definition name", section, name)
		}
		out[name] = d
	}
	return out, nil
}

func (f fileDefinition) resolve(dir string) (Definition, error) {
	if f.Image == "" && len(f.Command) == 0 && len(f.EntryPoint) == 0 {
		return Definition{}, errors.New("has neither Command, EntryPoint nor Image")
	}
	if f.TimeoutSeconds < 0 || math.IsNaN(f.TimeoutSeconds) {
		return Definition{}, fmt.Errorf("TimeoutSeconds %v: want a positive number", f.TimeoutSeconds)
	}
	d := Definition{Command: f.Command, EntryPoint: f.EntryPoint, Image: f.Image, Dir: f.Dir, ContainerName: f.ContainerName,
		Timeout: time.Duration(min(f.TimeoutSeconds, math.MaxInt64/float64(time.Second)) * float64(time.Second))}
	for _, k := range sortedKeys(f.Env) {
		if k == "" || strings.ContainsAny(k, "=\x00") {
			return Definition{}, fmt.Errorf("field Env: %q is no variable name", k)
		}
		d.Env = append(d.Env, k+"="+f.Env[k])
	}
	if f.Image == "" {
		// A command's directory is on this machine; an image's is inside
		// its container and stays as written.
		switch {
		case d.Dir == "":
			d.Dir = dir
		case !filepath.IsAbs(d.Dir):
			d.Dir = filepath.Join(dir, d.Dir)
		}
	}
	return d, nil
}
