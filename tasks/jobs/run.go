package jobs

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"os/exec"
	"strings"
	"syscall"
	"time"

	"stepwise/internal/linelog"
)

// spec is one local run of a job: what runs, where, and for how long.
type spec struct {
	def     Definition
	command []string // the command after overrides (without EntryPoint)
	env     []string // KEY=value after the definition's Env, from the overrides
	timeout time.Duration
	name    string // names a docker container; unique per run
	attrs   []any  // log attributes of each output line
}

// argv is what runs: EntryPoint and command, or docker running the image.
func (s spec) argv(docker string) []string {
	if s.def.Image == "" {
		return append(append([]string(nil), s.def.EntryPoint...), s.command...)
	}
	a := []string{docker, "run", "--rm", "--name", s.name}
	if s.def.Dir != "" {
		a = append(a, "--workdir", s.def.Dir)
	}
	for _, kv := range s.allEnv() {
		// -e NAME takes the value from docker's own environment, so that
		// values (a task token, say) stay off the command line, which
		// other users of the machine can read.
		k, _, _ := strings.Cut(kv, "=")
		a = append(a, "--env", k)
	}
	cmd := s.command
	if len(s.def.EntryPoint) > 0 {
		a = append(a, "--entrypoint", s.def.EntryPoint[0])
		cmd = append(append([]string(nil), s.def.EntryPoint[1:]...), cmd...)
	}
	a = append(a, "--", s.def.Image)
	return append(a, cmd...)
}

func (s spec) allEnv() []string { return append(append([]string(nil), s.def.Env...), s.env...) }

// outcome is how a run ended.
type outcome struct {
	started, stopped time.Time
	exitCode         int  // the process's exit status; 128+N for signal N
	timedOut         bool // stopped by its timeout
	cancelled        bool // stopped because its context ended (shutdown, the execution's end)
}

// run is a started job.
type run struct {
	cmd     *exec.Cmd
	cancel  context.CancelFunc
	cctx    context.Context
	parent  context.Context
	started time.Time
	out     *linelog.Writer
	errs    *linelog.Writer
}

// start starts s. The run stops when ctx ends or s.timeout passes; its
// caller must call wait.
func start(ctx context.Context, log *slog.Logger, docker string, s spec) (*run, error) {
	argv := s.argv(docker)
	if len(argv) == 0 {
		return nil, errors.New("the command is empty")
	}
	if s.def.Image != "" {
		if _, err := exec.LookPath(docker); err != nil {
			return nil, fmt.Errorf("run image %s: docker is not installed (%v); give the definition a Command instead", s.def.Image, err)
		}
	}
	cctx, cancel := context.WithTimeout(ctx, s.timeout)
	cmd := exec.CommandContext(cctx, argv[0], argv[1:]...)
	if s.def.Image == "" {
		cmd.Dir = s.def.Dir
	}
	cmd.Env = append(os.Environ(), s.allEnv()...)
	out := linelog.New(log, "job log", append(s.attrs, "stream", "stdout")...)
	errs := linelog.New(log, "job log", append(s.attrs, "stream", "stderr")...)
	cmd.Stdout, cmd.Stderr = out, errs
	ownGroup(cmd)
	cmd.Cancel = func() error { return killGroup(cmd) }
	if s.def.Image != "" {
		name := s.name
		cmd.Cancel = func() error {
			// Killing the docker client leaves the container running:
			// stop the container itself, for at most a few seconds.
			kctx, kcancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
			defer kcancel()
			_ = exec.CommandContext(kctx, docker, "kill", name).Run()
			return killGroup(cmd)
		}
	}
	// Children holding the output pipes open must not keep the run for
	// long after the process itself is gone.
	cmd.WaitDelay = 2 * time.Second
	if err := cmd.Start(); err != nil {
		cancel()
		return nil, err
	}
	return &run{cmd: cmd, cancel: cancel, cctx: cctx, parent: ctx, started: time.Now(), out: out, errs: errs}, nil
}

// wait waits for the run to end and says how it ended.
func (r *run) wait() outcome {
	err := r.cmd.Wait()
	r.out.Flush()
	r.errs.Flush()
	o := outcome{started: r.started, stopped: time.Now()}
	r.cancel()
	switch {
	case r.parent.Err() != nil:
		o.cancelled = true
	case errors.Is(r.cctx.Err(), context.DeadlineExceeded):
		o.timedOut = true
	}
	var ee *exec.ExitError
	switch {
	case err == nil:
		o.exitCode = 0
	case errors.As(err, &ee):
		o.exitCode = ee.ExitCode()
		if ws, ok := ee.Sys().(syscall.WaitStatus); ok && ws.Signaled() {
			o.exitCode = 128 + int(ws.Signal())
		}
	default:
		// Output pipes held open past WaitDelay: the process itself
		// exited; its status is in ProcessState when there is one.
		o.exitCode = 1
		if r.cmd.ProcessState != nil {
			o.exitCode = r.cmd.ProcessState.ExitCode()
		}
	}
	return o
}
