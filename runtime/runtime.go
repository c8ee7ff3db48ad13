package service

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"stepwise/asl"
	"stepwise/dataflow"
	"stepwise/engine"
	"stepwise/store"
	"stepwise/tasks"
	"stepwise/tasks/mock"
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
	Observer Observer
	// PollInterval is the longest the scheduler waits before looking for
	// work committed by other nodes; default 1 s.
	PollInterval time.Duration
	// Mocks, when set, lets StartExecution and StartSyncExecution run a
	// test case of this Step Functions Local mock configuration: a
	// stateMachineArn of "ARN#TEST_CASE" starts an execution of ARN whose
	// Task states the test case mocks get its mocked responses, and whose
	// other Task states go to Invoker. Without it such starts are refused.
	Mocks *mock.Config
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

// Service runs state machines: it implements the actions of the AWS Step
// Functions API on top of a store, drives Standard executions durably and
// Express executions in memory. It is safe for concurrent use. Create it
// with [Open], start its workers with [Service.Run].
type Service struct {
	cfg   Config
	store store.Store
	log   *slog.Logger

	mu        sync.Mutex // guards machines, revisions, lives, locks, activityWaiters, mocks
	machines  map[string]*engine.Machine
	revisions map[string]store.StateMachine
	lives     map[string]*liveExecution
	locks     map[string]*execLock
	express   *expressRecords
	// activityWaiters wake GetActivityTask long polls.
	activityWaiters map[string][]chan struct{}
	// mocks holds the mock invoker of each running Standard execution of a
	// test case (nil for executions of none), so that its invocations are
	// counted across its tasks; see mocksFor.
	mocks map[string]*mock.Invoker

	health health // the store's last failure, for Health

	wake chan struct{} // new work was committed
	work chan store.WorkItem

	// base is cancelled by Close; bg tracks the goroutines that live
	// beyond a request (background Express executions).
	base   context.Context
	cancel context.CancelFunc
	bg     sync.WaitGroup
}

type execLock struct {
	mu   sync.Mutex
	refs int
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
	if cfg.Node == "" {
		cfg.Node = "node-" + newUUID()[:8]
	}
	if cfg.Workers <= 0 {
		cfg.Workers = 64
	}
	if cfg.Lease <= 0 {
		cfg.Lease = 30 * time.Second
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	if cfg.Observer == nil {
		cfg.Observer = nopObserver{}
	}
	if cfg.PollInterval <= 0 {
		cfg.PollInterval = time.Second
	}
	if cfg.ExpressHistory <= 0 {
		cfg.ExpressHistory = 1000
	}
	if cfg.MaxAttempts <= 0 {
		cfg.MaxAttempts = 5
	}
	if cfg.ExpressTimeout <= 0 {
		cfg.ExpressTimeout = expressLimit
	}
	base, cancel := context.WithCancel(context.Background())
	return &Service{
		base:            base,
		cancel:          cancel,
		cfg:             cfg,
		store:           cfg.Store,
		log:             cfg.Logger,
		machines:        map[string]*engine.Machine{},
		revisions:       map[string]store.StateMachine{},
		lives:           map[string]*liveExecution{},
		locks:           map[string]*execLock{},
		express:         newExpressRecords(cfg.ExpressHistory),
		activityWaiters: map[string][]chan struct{}{},
		mocks:           map[string]*mock.Invoker{},
		wake:            make(chan struct{}, 1),
		work:            make(chan store.WorkItem),
	}, nil
}

// Run claims due work (task invocations, timers) from the store and
// carries it out until ctx is cancelled; this includes the work left by a
// previous run that stopped or crashed. It always returns a non-nil error:
// ctx.Err() after a cancellation, after the work items under way have
// finished or been released.
//
// Before it claims anything, Run takes back the leases its node held when
// a previous run of it died (all leases, when the store has no other
// user; see [store.Exclusive]), so that work in flight at a crash resumes
// at once instead of when its lease would have run out.
func (s *Service) Run(ctx context.Context) error {
	owner := s.cfg.Node
	if x, ok := s.store.(store.Exclusive); ok && x.Exclusive() {
		owner = ""
	}
	if n, err := s.store.ReleaseLeases(ctx, owner); err != nil {
		if ctx.Err() != nil {
			return ctx.Err()
		}
		s.storeFailed(err)
		s.log.Error("take back leases", "err", err)
	} else if n > 0 {
		s.log.Info("took back the leases of an earlier run", "count", n)
	}
	var wg sync.WaitGroup
	for range s.cfg.Workers {
		wg.Go(func() { s.worker(ctx) })
	}
	err := s.schedule(ctx)
	wg.Wait()
	return err
}

// Close stops the Express executions running in the background and waits
// for them. It does not close the store. It is idempotent.
func (s *Service) Close() error {
	s.cancel()
	s.bg.Wait()
	return nil
}

// now returns the current time, truncated to milliseconds as AWS's API
// reports times.
func (s *Service) now() time.Time {
	return s.cfg.Now().UTC().Truncate(time.Millisecond)
}

// notify wakes the scheduler: new work was committed.
func (s *Service) notify() {
	select {
	case s.wake <- struct{}{}:
	default:
	}
}

// lock serializes the steps of one execution in this process; the store's
// version check serializes them across processes.
func (s *Service) lock(arn string) func() {
	s.mu.Lock()
	l, ok := s.locks[arn]
	if !ok {
		l = &execLock{}
		s.locks[arn] = l
	}
	l.refs++
	s.mu.Unlock()
	l.mu.Lock()
	return func() {
		l.mu.Unlock()
		s.mu.Lock()
		l.refs--
		if l.refs == 0 {
			delete(s.locks, arn)
		}
		s.mu.Unlock()
	}
}

// machine returns the compiled engine for a state machine revision.
func (s *Service) machine(sm store.StateMachine, history bool) (*engine.Machine, error) {
	key := sm.ARN + "#" + sm.RevisionID
	if !history {
		key += "#nohistory"
	}
	s.mu.Lock()
	m, ok := s.machines[key]
	s.mu.Unlock()
	if ok {
		return m, nil
	}
	def, err := asl.Parse([]byte(sm.Definition))
	if err != nil {
		return nil, fmt.Errorf("compile %s revision %s: %w", sm.ARN, sm.RevisionID, err)
	}
	m = engine.NewMachine(def, engine.Options{NoHistory: !history})
	s.mu.Lock()
	s.machines[key] = m
	s.mu.Unlock()
	return m, nil
}

func newUUID() string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	return dataflow.UUID(b)
}

// newTokenKey returns a fresh secret for an execution's task tokens.
func newTokenKey() []byte {
	b := make([]byte, 32)
	_, _ = rand.Read(b) // crypto/rand.Read never fails (Go 1.24+)
	return b
}

func (s *Service) seed(arn string) uint64 {
	if s.cfg.Seed != nil {
		return s.cfg.Seed(arn)
	}
	return randomSeed()
}

func randomSeed() uint64 {
	var b [8]byte
	_, _ = rand.Read(b[:])
	var s uint64
	for _, x := range b {
		s = s<<8 | uint64(x)
	}
	return s
}
