package runtime

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"stepwise/asl"
	"stepwise/engine"
	"stepwise/store"
	"stepwise/tasks"
)

// Config configures a Runner.
type Config struct {
	// Store keeps state machines, executions, history and pending work.
	Store store.Store
	// Invoker answers Task states; nil fails every invocation with
	// States.TaskFailed.
	Invoker tasks.Invoker
	// Region goes into every execution's context object; default
	// us-east-1.
	Region string
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
	// Logger receives the runtime's logs; nil discards them.
	Logger *slog.Logger
	// ExpressHistory is how many finished Express executions are kept in
	// memory for DescribeExecution and the console; default 1,000.
	ExpressHistory int
	// Observer is told about executions, steps, tasks and commits, for
	// metrics; nil means none.
	Observer Observer
	// PollInterval is the longest the scheduler (and an activity's long
	// poll) waits before looking for work committed by other nodes;
	// default 1 s.
	PollInterval time.Duration
	// MaxAttempts is how many times a work item (a task invocation, a
	// timer) is claimed before the runtime gives up on its execution and
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
	// Starter starts and stops the executions that Task states start
	// (states:startExecution); nil fails such tasks with States.Runtime.
	Starter Starter
	// TestCase returns the mocks of an execution (after a restart, say)
	// that runs the test case testCase of the state machine
	// stateMachineARN; a non-nil error's text is the cause of the
	// States.Runtime failure of the execution's tasks. Nil means no
	// execution runs a test case.
	TestCase func(stateMachineARN, testCase string) (Mocks, error)
}

// Mocks answers the mocked Task states of one execution of a test case
// (a *mock.Invoker does). It counts invocations across the execution's
// tasks, so each execution has its own.
type Mocks interface {
	// Mocks reports whether the state named state is mocked.
	Mocks(state string) bool
	// Before returns an invoker that answers the mocked states and hands
	// every other request to next.
	Before(next tasks.Invoker) tasks.Invoker
}

// Runner carries out executions: it drives Standard executions durably,
// claiming their due work from the store with leases, and runs Express
// executions in memory. It is safe for concurrent use. Create it with
// [Open], start its workers with [Runner.Run], stop its background
// Express executions with [Runner.Close].
type Runner struct {
	cfg   Config
	store store.Store
	log   *slog.Logger

	mu        sync.Mutex // guards machines, revisions, lives, locks, activityWaiters, mocks, background, closed
	machines  map[string]*engine.Machine
	revisions map[string]store.StateMachine
	lives     map[string]*liveExecution
	locks     map[string]*execLock
	express   *expressRecords
	// activityWaiters wake GetActivityTask long polls.
	activityWaiters map[string][]chan struct{}
	// mocks holds the mocks of each running Standard execution of a test
	// case (nil for executions of none), so that its invocations are
	// counted across its tasks; see mocksFor.
	mocks map[string]Mocks
	// background holds the Express executions running beyond the request
	// that started them; Close cancels them. Once closed, new ones are
	// cancelled at once.
	background map[*expressExecution]struct{}
	closed     bool

	health health // the store's last failure, for Health

	wake chan struct{} // new work was committed
	work chan store.WorkItem

	bg sync.WaitGroup // the background Express executions
}

type execLock struct {
	mu   sync.Mutex
	refs int
}

// Open returns a Runner for cfg. It starts nothing; see [Runner.Run].
func Open(cfg Config) (*Runner, error) {
	if cfg.Store == nil {
		return nil, errors.New("runtime: no store")
	}
	if cfg.Region == "" {
		cfg.Region = "us-east-1"
	}
	if cfg.Node == "" {
		cfg.Node = "node-" + NewUUID()[:8]
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
		cfg.Observer = NopObserver{}
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
	return &Runner{
		cfg:             cfg,
		store:           cfg.Store,
		log:             cfg.Logger,
		machines:        map[string]*engine.Machine{},
		revisions:       map[string]store.StateMachine{},
		lives:           map[string]*liveExecution{},
		locks:           map[string]*execLock{},
		express:         newExpressRecords(cfg.ExpressHistory),
		activityWaiters: map[string][]chan struct{}{},
		mocks:           map[string]Mocks{},
		background:      map[*expressExecution]struct{}{},
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
func (r *Runner) Run(ctx context.Context) error {
	owner := r.cfg.Node
	if x, ok := r.store.(store.Exclusive); ok && x.Exclusive() {
		owner = ""
	}
	if n, err := r.store.ReleaseLeases(ctx, owner); err != nil {
		if ctx.Err() != nil {
			return ctx.Err()
		}
		r.storeFailed(err)
		r.log.Error("take back leases", "err", err)
	} else if n > 0 {
		r.log.Info("took back the leases of an earlier run", "count", n)
	}
	var wg sync.WaitGroup
	for range r.cfg.Workers {
		wg.Go(func() { r.worker(ctx) })
	}
	err := r.schedule(ctx)
	wg.Wait()
	return err
}

// Close stops the Express executions running in the background and waits
// for them. It does not close the store. It is idempotent.
func (r *Runner) Close() error {
	r.mu.Lock()
	r.closed = true
	for x := range r.background {
		x.cancel()
	}
	r.mu.Unlock()
	r.bg.Wait()
	return nil
}

// now returns the current time, truncated to milliseconds as AWS's API
// reports times.
func (r *Runner) now() time.Time {
	return r.cfg.Now().UTC().Truncate(time.Millisecond)
}

// notify wakes the scheduler: new work was committed.
func (r *Runner) notify() {
	select {
	case r.wake <- struct{}{}:
	default:
	}
}

// lock serializes the steps of one execution in this process; the store's
// version check serializes them across processes.
func (r *Runner) lock(arn string) func() {
	r.mu.Lock()
	l, ok := r.locks[arn]
	if !ok {
		l = &execLock{}
		r.locks[arn] = l
	}
	l.refs++
	r.mu.Unlock()
	l.mu.Lock()
	return func() {
		l.mu.Unlock()
		r.mu.Lock()
		l.refs--
		if l.refs == 0 {
			delete(r.locks, arn)
		}
		r.mu.Unlock()
	}
}

// machine returns the compiled engine for a state machine revision.
func (r *Runner) machine(sm store.StateMachine, history bool) (*engine.Machine, error) {
	key := sm.ARN + "#" + sm.RevisionID
	if !history {
		key += "#nohistory"
	}
	r.mu.Lock()
	m, ok := r.machines[key]
	r.mu.Unlock()
	if ok {
		return m, nil
	}
	def, err := asl.Parse([]byte(sm.Definition))
	if err != nil {
		return nil, fmt.Errorf("compile %s revision %s: %w", sm.ARN, sm.RevisionID, err)
	}
	m = engine.NewMachine(def, engine.Options{NoHistory: !history})
	r.mu.Lock()
	r.machines[key] = m
	r.mu.Unlock()
	return m, nil
}

func (r *Runner) seed(arn string) uint64 {
	if r.cfg.Seed != nil {
		return r.cfg.Seed(arn)
	}
	return RandomSeed()
}
