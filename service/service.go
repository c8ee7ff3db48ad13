package service

import (
	"context"
	"errors"
	"log/slog"
	"time"

	"stepwise/runtime"
	"stepwise/store"
	"stepwise/tasks"
)

// Config configures a Service.
type Config struct {
	// Store keeps state machines, executions, history and pending work.
	Store store.Store
	// Invoker answers Task states; nil fails every invocation with
	// States.TaskFailed.
	Invoker tasks.Invoker
	// Region and Account go into every ARN; defaults us-east-1 and
	// 123456789012.
	Region  string
	Account string
	// Node names this process among those sharing the store, for leases;
	// default a random id.
	Node string
	// Workers bounds how many work items (task invocations, timers) run at
	// once; default 64.
	Workers int
	// Lease is how long a claimed work item stays with this node before
	// another may take it over; default 30 s. Long task invocations extend
	// it.
	Lease time.Duration
	// Now reads the clock; nil means time.Now.
	Now func() time.Time
	// Logger receives the service's logs; nil discards them.
	Logger *slog.Logger
	// ExpressHistory is how many finished Express executions are kept in
	// memory for DescribeExecution and the console; default 1,000.
	ExpressHistory int
	// Observer is told about executions, steps, tasks and commits, for
	// metrics; nil means none.
	Observer runtime.Observer
	// PollInterval is the longest the scheduler waits before looking for
	// work committed by other nodes; default 1 s.
	PollInterval time.Duration
	// TestCases, when set, lets StartExecution and StartSyncExecution run
	// a test case of a Step Functions Local mock configuration: a
	// stateMachineArn of "ARN#TEST_CASE" starts an execution of ARN whose
	// mocked Task states get the mocks TestCases returns for the state
	// machine's name and TEST_CASE, and whose other Task states go to
	// Invoker. It returns an error when the configuration has no such test
	// case. Each call returns fresh mocks, which count the invocations of
	// one execution. Without it such starts are refused.
	TestCases func(machine, testCase string) (runtime.Mocks, error)
	// MaxAttempts is how many times a work item (a task invocation, a
	// timer) is claimed before the service gives up on its execution and
	// fails it with States.Runtime: work that crashes the process, panics
	// or fails to commit every time must not keep a server crash-looping.
	// Claims are counted in the store, before the work is carried out, so
	// crashes count too. Default 5.
	MaxAttempts int
	// ExpressTimeout is how long an Express execution may run before it
	// times out (States.Timeout); default AWS's limit of 5 minutes.
	ExpressTimeout time.Duration
	// Seed returns the seed of an execution's random numbers (retry
	// jitter, task tokens, UUIDs); nil means a random seed. Tests set it to
	// make executions reproducible.
	Seed func(executionARN string) uint64
}

// Service implements the actions of the AWS Step Functions API on top of
// a store: it checks requests as AWS does, answers reads from the store,
// and hands executions to its runtime ([runtime.Runner]), which drives
// Standard executions durably and Express executions in memory. Its
// errors are AWS's (*[Error]). It is safe for concurrent use. Create it
// with [Open], start its workers with [Service.Run].
type Service struct {
	cfg   Config
	store store.Store
	rt    *runtime.Runner
}

// Open returns a Service for cfg. It starts nothing; see [Service.Run].
func Open(cfg Config) (*Service, error) {
	if cfg.Store == nil {
		return nil, errors.New("service: no store")
	}
	if cfg.Region == "" {
		cfg.Region = "us-east-1"
	}
	if cfg.Account == "" {
		cfg.Account = "123456789012"
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.Observer == nil {
		cfg.Observer = runtime.NopObserver{}
	}
	s := &Service{cfg: cfg, store: cfg.Store}
	rc := runtime.Config{
		Store: cfg.Store, Invoker: cfg.Invoker, Region: cfg.Region, Node: cfg.Node, Workers: cfg.Workers,
		Lease: cfg.Lease, Now: cfg.Now, Logger: cfg.Logger, ExpressHistory: cfg.ExpressHistory,
		Observer: cfg.Observer, PollInterval: cfg.PollInterval, MaxAttempts: cfg.MaxAttempts,
		ExpressTimeout: cfg.ExpressTimeout, Seed: cfg.Seed, Starter: starter{s},
	}
	if cfg.TestCases != nil {
		rc.TestCase = s.restartedTestCase
	}
	rt, err := runtime.Open(rc)
	if err != nil {
		return nil, err
	}
	s.rt = rt
	return s, nil
}

// Run claims due work (task invocations, timers) from the store and
// carries it out until ctx is cancelled; see [runtime.Runner.Run]. It
// always returns a non-nil error: ctx.Err() after a cancellation, after
// the work items under way have finished or been released.
func (s *Service) Run(ctx context.Context) error {
	return s.rt.Run(ctx)
}

// Close stops the Express executions running in the background and waits
// for them. It does not close the store. It is idempotent.
func (s *Service) Close() error {
	return s.rt.Close()
}

// Health reports whether the service can use its store: nil normally, and
// while the store is failing (a full disk, a lost database) an error
// naming the last failure and when the failures began. /healthz answers
// with it.
func (s *Service) Health() error {
	return s.rt.Health()
}

// now returns the current time, truncated to milliseconds as AWS's API
// reports times.
func (s *Service) now() time.Time {
	return s.cfg.Now().UTC().Truncate(time.Millisecond)
}

func (s *Service) seed(arn string) uint64 {
	if s.cfg.Seed != nil {
		return s.cfg.Seed(arn)
	}
	return runtime.RandomSeed()
}
