package runtime

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
)

// expressLimit is AWS's longest Express execution.
const expressLimit = 5 * time.Minute

// errExpressTimeout ends the context of an Express execution that ran
// out of time.
var errExpressTimeout = errors.New("runtime: express execution exceeded its maximum duration")

// errorTimeout is the ASL error of a timeout.
const errorTimeout = "States.Timeout"

// expressExecution is an Express execution the runtime remembers.
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
		switch {
		case q.VersionARN != "" && e.VersionARN != q.VersionARN, q.AliasARN != "" && e.AliasARN != q.AliasARN,
			q.VersionARN == "" && q.AliasARN == "" && e.StateMachineARN != q.StateMachineARN:
			continue
		}
		if q.Status != "" && e.Status != q.Status {
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

// Express returns the Express execution arn while the runtime remembers
// it (up to Config.ExpressHistory finished ones, and every running one).
func (r *Runner) Express(arn string) (store.Execution, bool) {
	x, ok := r.express.get(arn)
	if !ok {
		return store.Execution{}, false
	}
	return x.row(), true
}

// ListExpress lists the remembered Express executions of q's state
// machine (and status, if set), newest first, without their input and
// output. Express executions keep no history, as on AWS (it goes to logs).
func (r *Runner) ListExpress(q store.ExecutionQuery) []store.Execution {
	return r.express.list(q)
}

// StopExpress aborts the Express execution arn if it runs, waits for it
// to end, and returns it; false when the runtime does not know it.
func (r *Runner) StopExpress(arn, errName, cause string) (store.Execution, bool) {
	x, ok := r.express.get(arn)
	if !ok {
		return store.Execution{}, false
	}
	x.stop(errName, cause)
	return x.row(), true
}

// StartExpress runs the Express execution s in memory: to its end before
// returning when wait is set (StartSyncExecution), else in the
// background until it ends or the runtime closes. s.Mocks, when set,
// answers the execution's mocked Task states (a test case).
func (r *Runner) StartExpress(reqCtx context.Context, s Start, wait bool) (store.Execution, error) {
	arn, sm := s.ARN, s.Machine
	var inv tasks.Invoker = &expressTasks{r: r, parent: arn}
	if s.Mocks != nil {
		// Mocked states first, nested starts included (mock.Invoker.Before).
		inv = s.Mocks.Before(inv)
	}
	m, err := r.machine(sm, false)
	if err != nil {
		return store.Execution{}, err
	}
	ex := r.execution(sm, arn, s.Name, s.Value)
	// A synchronous run belongs to its caller's request and ends with it;
	// a background one lives until it ends or the runtime closes.
	parent := context.Background()
	if wait {
		parent = reqCtx
	}
	// AWS ends an Express execution that runs longer than its limit of 5
	// minutes with States.Timeout (TIMED_OUT).
	ctx, cancel := context.WithTimeoutCause(parent, r.cfg.ExpressTimeout, errExpressTimeout)
	x := &expressExecution{cancel: cancel, done: make(chan struct{}), exec: store.Execution{
		ARN: arn, StateMachineARN: sm.ARN, RevisionID: sm.RevisionID, Name: s.Name, Status: store.ExecutionRunning,
		Input: s.Input, StartDate: ex.StartTime, VersionARN: s.VersionARN, AliasARN: s.AliasARN,
	}}
	r.express.add(x)
	r.cfg.Observer.ExecutionStarted(sm.ARN)
	run := func() {
		defer close(x.done)
		defer cancel()
		res, err := RunLocal(ctx, m, ex, LocalOptions{Invoker: inv, Now: r.cfg.Now, Seed: r.seed(arn), Logger: r.log})
		x.mu.Lock()
		defer x.mu.Unlock()
		defer func() { r.cfg.Observer.ExecutionEnded(sm.ARN, x.exec.Status, x.exec.StopDate.Sub(x.exec.StartDate)) }()
		x.exec.StopDate = r.now()
		switch {
		case x.stopped:
			x.exec.Status, x.exec.Error, x.exec.Cause = store.ExecutionAborted, x.stopErr, x.stopCaus
		case errors.Is(context.Cause(ctx), errExpressTimeout) && (err != nil || res.Status == engine.StatusRunning || res.Status == ""):
			x.exec.Status, x.exec.Error, x.exec.Cause = store.ExecutionTimedOut, errorTimeout,
				fmt.Sprintf("The execution exceeded the maximum duration of %v for Express workflows", r.cfg.ExpressTimeout)
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
	// Close cancels the background run; one started after Close ends at
	// once, aborted, as it did when its context came from the closed
	// runtime.
	r.mu.Lock()
	if r.closed {
		cancel()
	} else {
		r.background[x] = struct{}{}
	}
	r.mu.Unlock()
	r.bg.Go(func() {
		defer func() {
			r.mu.Lock()
			delete(r.background, x)
			r.mu.Unlock()
		}()
		run()
	})
	return x.row(), nil
}
