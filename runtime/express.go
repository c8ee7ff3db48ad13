package service

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"stepwise/engine"
	"stepwise/jsonval"
	"stepwise/store"
	"stepwise/tasks"
	"stepwise/tasks/mock"
)

// expressLimit is AWS's longest Express execution.
const expressLimit = 5 * time.Minute

// errExpressTimeout ends the context of an Express execution that ran
// out of time.
var errExpressTimeout = errors.New("service: express execution exceeded its maximum duration")

// errorTimeout is the ASL error of a timeout.
const errorTimeout = "States.Timeout"

// expressExecution is an Express execution the service remembers.
type expressExecution struct {
	mu       sync.Mutex // guards the fields below
	exec     store.Execution
	cancel   context.CancelFunc
	stopErr  string
	stopCaus string
	stopped  bool
	done     chan struct{}
}

func (x *expressExecution) row() store.Execution {
	x.mu.Lock()
	defer x.mu.Unlock()
	return x.exec
}

func (x *expressExecution) history(store.HistoryQuery) []store.Event {
	// Express executions keep no history, as on AWS (it goes to logs).
	return nil
}

// stop aborts a running Express execution.
func (x *expressExecution) stop(errName, cause string) {
	x.mu.Lock()
	running := x.exec.Status == store.ExecutionRunning
	if running {
		x.stopped, x.stopErr, x.stopCaus = true, errName, cause
	}
	x.mu.Unlock()
	if running {
		x.cancel()
		<-x.done
	}
}

// expressRecords keeps the most recent Express executions, running or
// finished, up to a limit. It is safe for concurrent use.
type expressRecords struct {
	mu    sync.Mutex // guards byARN and order
	limit int
	byARN map[string]*expressExecution
	order []string // oldest first
}

func newExpressRecords(limit int) *expressRecords {
	return &expressRecords{limit: limit, byARN: map[string]*expressExecution{}}
}

func (r *expressRecords) add(x *expressExecution) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.byARN[x.exec.ARN] = x
	r.order = append(r.order, x.exec.ARN)
	for len(r.order) > r.limit {
		old := r.byARN[r.order[0]]
		if old != nil && old.row().Status == store.ExecutionRunning {
			break // never forget a running execution
		}
		delete(r.byARN, r.order[0])
		r.order = r.order[1:]
	}
}

func (r *expressRecords) get(arn string) (*expressExecution, bool) {
	r.mu.Lock()
	defer r.mu.Unlock()
	x, ok := r.byARN[arn]
	return x, ok
}

func (r *expressRecords) list(q store.ExecutionQuery) []store.Execution {
	r.mu.Lock()
	defer r.mu.Unlock()
	var out []store.Execution
	for i := len(r.order) - 1; i >= 0; i-- {
		e := r.byARN[r.order[i]].row()
		if e.StateMachineARN != q.StateMachineARN || (q.Status != "" && e.Status != q.Status) {
			continue
		}
		e.Input, e.Output, e.State = "", "", nil
		out = append(out, e)
		if q.MaxResults > 0 && len(out) == q.MaxResults {
			break
		}
	}
	return out
}

// startExpress runs an Express execution in memory: to its end before
// returning when wait is set (StartSyncExecution), else in the background.
//
// mocks, when not nil, answers the execution's Task states (a test case).
func (s *Service) startExpress(reqCtx context.Context, sm store.StateMachine, in StartExecutionInput, input any, wait bool, mocks *mock.Invoker) (store.Execution, error) {
	arn := s.arns().express(sm.Name, in.Name, newUUID())
	var inv tasks.Invoker = &expressTasks{s: s, parent: arn}
	if mocks != nil {
		// Mocked states first, nested starts included (mock.Invoker.Before).
		inv = mocks.Before(inv)
	}
	m, err := s.machine(sm, false)
	if err != nil {
		return store.Execution{}, err
	}
	ex := s.execution(sm, arn, in.Name, input)
	// A synchronous run belongs to its caller's request and ends with it;
	// a background one lives until the service closes.
	parent := s.base
	if wait {
		parent = reqCtx
	}
	// AWS ends an Express execution that runs longer than its limit of 5
	// minutes with States.Timeout (TIMED_OUT).
	ctx, cancel := context.WithTimeoutCause(parent, s.cfg.ExpressTimeout, errExpressTimeout)
	x := &expressExecution{cancel: cancel, done: make(chan struct{}), exec: store.Execution{
		ARN: arn, StateMachineARN: sm.ARN, RevisionID: sm.RevisionID, Name: in.Name, Status: store.ExecutionRunning,
		Input: in.Input, StartDate: ex.StartTime,
	}}
	s.express.add(x)
	s.cfg.Observer.ExecutionStarted(sm.ARN)
	run := func() {
		defer close(x.done)
		defer cancel()
		res, err := RunLocal(ctx, m, ex, LocalOptions{Invoker: inv, Now: s.cfg.Now, Seed: s.seed(arn), Logger: s.log})
		x.mu.Lock()
		defer x.mu.Unlock()
		defer func() { s.cfg.Observer.ExecutionEnded(sm.ARN, x.exec.Status, x.exec.StopDate.Sub(x.exec.StartDate)) }()
		x.exec.StopDate = s.now()
		switch {
		case x.stopped:
			x.exec.Status, x.exec.Error, x.exec.Cause = store.ExecutionAborted, x.stopErr, x.stopCaus
		case errors.Is(context.Cause(ctx), errExpressTimeout) && (err != nil || res.Status == engine.StatusRunning || res.Status == ""):
			x.exec.Status, x.exec.Error, x.exec.Cause = store.ExecutionTimedOut, errorTimeout,
				fmt.Sprintf("The execution exceeded the maximum duration of %v for Express workflows", s.cfg.ExpressTimeout)
		case err != nil && res.Status == "":
			x.exec.Status, x.exec.Error, x.exec.Cause = store.ExecutionFailed, "States.Runtime", err.Error()
		default:
			x.exec.Status, x.exec.Error, x.exec.Cause = store.ExecutionStatus(res.Status), res.Error, res.Cause
			if res.Status == engine.StatusSucceeded {
				x.exec.Output = jsonval.MustMarshalString(res.Output)
			}
		}
	}
	if wait {
		run()
		return x.row(), nil
	}
	s.bg.Go(run)
	return x.row(), nil
}

// StartSyncExecution runs an Express execution to its end and returns it.
func (s *Service) StartSyncExecution(ctx context.Context, in StartExecutionInput) (store.Execution, error) {
	var opts startOptions
	if err := s.testCaseStart(&in, &opts); err != nil {
		return store.Execution{}, err
	}
	sm, input, err := s.prepareStart(ctx, &in)
	if err != nil {
		return store.Execution{}, err
	}
	if sm.Type != store.TypeExpress {
		return store.Execution{}, errorf(CodeStateMachineTypeNotSupp, "This operation is not supported by this type of state machine")
	}
	return s.startExpress(ctx, sm, in, input, true, opts.mocks)
}
