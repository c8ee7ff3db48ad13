package runtime

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"runtime/debug"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"stepwise/engine"
	"stepwise/jsonval"
	"stepwise/loop"
	"stepwise/resource"
	"stepwise/store"
	"stepwise/tasks"
)

// Work item kinds.
const (
	workInvoke store.WorkKind = "invoke"
	workTimer  store.WorkKind = "timer"
)

// maxStepAttempts bounds how often a step is retried when another node
// committed a step of the same execution first.
const maxStepAttempts = 8

// Step applies ev (a task's heartbeat or start, say) to the running
// Standard execution arn and commits the result.
func (r *Runner) Step(ctx context.Context, arn string, ev engine.Event) error {
	return r.step(ctx, arn, ev, nil, nil)
}

// step applies ev to a Standard execution and commits the result, removing
// the work items and task tokens the event consumes. An execution that has
// ended only has its consumed work removed.
func (r *Runner) step(ctx context.Context, arn string, ev engine.Event, consumed, doneTasks []string) error {
	return r.stepWith(ctx, arn, &ev, commitExtra{DoneWork: consumed, DoneTasks: doneTasks})
}

// commitExtra is what a step commits besides the engine's output.
type commitExtra struct {
	DoneWork   []string
	DoneTasks  []string
	CloseTasks []string
	// submitted, when set, is the id of a callback's invoke work item: if
	// it still exists, the step applies TaskSubmitted before ev (see
	// CompleteTask).
	submitted string
	// after, when set, is called with the execution's state after the
	// engine's step (nil once the execution has ended) and may add to the
	// commit.
	after func(st *engine.State, c *store.Commit)
}

// stepWith is step with more to commit. A nil ev commits x alone, leaving
// the engine state as it is.
func (r *Runner) stepWith(ctx context.Context, arn string, ev *engine.Event, x commitExtra) error {
	unlock := r.lock(arn)
	defer unlock()
	for range maxStepAttempts {
		live, err := r.live(ctx, arn)
		if err != nil {
			return err
		}
		c := store.Commit{ExecutionARN: arn, ExpectedVersion: live.version, DoneWork: x.DoneWork, DoneTasks: x.DoneTasks,
			CloseTasks: x.CloseTasks}
		ended := live.st == nil || live.st.Status != engine.StatusRunning
		if ended && len(x.CloseTasks) > 0 {
			// The execution ended (stopped, or abandoned without the
			// engine): its tokens are closed. Remove them, and say so.
			c.CloseTasks, c.DoneTasks = nil, append(slices.Clip(x.DoneTasks), x.CloseTasks...)
		}
		if ev != nil && live.st != nil && live.st.Status == engine.StatusRunning {
			ev.Time = r.now()
			var pre engine.Output
			if x.submitted != "" {
				if pre, err = r.submitFirst(ctx, arn, live, x.submitted, ev); err != nil {
					return err
				}
			}
			out, err := live.m.Step(live.st, *ev)
			if err == nil {
				out.Events = append(pre.Events, out.Events...)
				out.Commands = append(pre.Commands, out.Commands...)
			}
			if err == nil {
				out, err = r.fireDue(live.m, live.st, out)
			}
			if err != nil && !errors.Is(err, engine.ErrNotRunning) {
				r.forget(arn)
				return fmt.Errorf("step %s: %w", arn, err)
			}
			if err := r.fill(&c, live.st, out); err != nil {
				r.forget(arn)
				return err
			}
			if c.End != nil && live.parent {
				// Tell the parent waiting for this child (see nested.go).
				c.WakeWork = append(c.WakeWork, parentWorkID)
			}
		}
		if x.after != nil {
			st := live.st
			if st != nil && st.Status != engine.StatusRunning {
				st = nil
			}
			x.after(st, &c)
		}
		err = r.commit(ctx, c)
		if err != nil {
			// The cached state went ahead of the store: reload it.
			r.forget(arn)
			if errors.Is(err, store.ErrConflict) {
				continue
			}
			if errors.Is(err, store.ErrTaskClosed) {
				return store.ErrTaskClosed
			}
			return fmt.Errorf("commit step of %s: %w", arn, err)
		}
		live.version++
		if ended && len(x.CloseTasks) > 0 {
			return store.ErrTaskClosed
		}
		if c.End != nil {
			r.forget(arn)
			r.forgetMocks(arn)
		}
		if live.st != nil && ev != nil {
			r.observe(c, live.st)
		}
		r.committed(c)
		return nil
	}
	return fmt.Errorf("commit step of %s: %w after %d attempts", arn, store.ErrConflict, maxStepAttempts)
}

// CompleteTask applies a task's result ev (TaskSucceeded or TaskFailed,
// with the task's id) and closes its token t in one commit; a .sync
// task's token ends the task too, and its child then runs on. Of callers
// racing on one token exactly one succeeds: the others get an error
// wrapping [store.ErrTaskClosed].
//
// A callback's result may come before its TaskSubmitted is committed: the
// request went out, and the process died (or is still on its way) before
// recording it. Then this commit writes TaskSubmitted first and consumes
// the invocation, so a replay of it never writes a second one.
func (r *Runner) CompleteTask(ctx context.Context, t store.Task, ev engine.Event) error {
	x := commitExtra{DoneWork: []string{t.WorkID, childWorkID(ev.ID)}, CloseTasks: []string{t.Token}}
	if t.ActivityARN == "" {
		x.submitted = t.WorkID
	}
	return r.stepWith(ctx, t.ExecutionARN, &ev, x)
}

// Stop stops the running Standard execution arn with an optional error
// and cause, and returns when the stop is committed. An execution whose
// state machine revision is gone is stopped without the engine.
func (r *Runner) Stop(ctx context.Context, arn, errName, cause string) error {
	err := r.step(ctx, arn, engine.Event{Kind: engine.Stop, Error: errName, Cause: cause}, nil, nil)
	if errors.Is(err, store.ErrNotFound) {
		// Its state machine revision is gone (an execution stranded by
		// a delete before deletes waited for executions): stop it
		// without the engine.
		err = r.endWithout(ctx, arn, store.ExecutionAborted, errName, cause, nil)
	}
	return err
}

// submitFirst applies TaskSubmitted for the task of ev if its invoke
// work item (workID) is still in the store, that is if no commit has
// recorded the submission yet. A commit recording it meanwhile changes
// the execution's version, so the caller's commit then conflicts and
// looks again.
func (r *Runner) submitFirst(ctx context.Context, arn string, live *liveExecution, workID string, ev *engine.Event) (engine.Output, error) {
	items, err := r.store.ListWork(ctx, arn)
	if err != nil {
		return engine.Output{}, fmt.Errorf("list work of %s: %w", arn, err)
	}
	for _, it := range items {
		var p invocation
		if it.ID != workID || it.Kind != workInvoke || json.Unmarshal(it.Payload, &p) != nil ||
			resource.Parse(p.Resource).Pattern != resource.WaitForTaskToken {
			continue
		}
		{
			out, err := live.m.Step(live.st, engine.Event{Kind: engine.TaskSubmitted, ID: ev.ID, Time: ev.Time})
			if err != nil {
				r.forget(arn)
				return out, fmt.Errorf("step %s: %w", arn, err)
			}
			return out, nil
		}
	}
	return engine.Output{}, nil
}

// maxFolded bounds how many due timers one step fires before committing,
// so that a loop of zero-second Waits still commits now and then.
const maxFolded = 16

// fireDue fires, within the same step, the timers the step armed that are
// already due (Wait 0 s, a past Timestamp, a zero retry interval), so that
// they cost no extra commit and no trip through the store. The combined
// events and commands are committed together, so nothing is acted on
// before it is durable.
func (r *Runner) fireDue(m *engine.Machine, st *engine.State, out engine.Output) (engine.Output, error) {
	for range maxFolded {
		now := r.now()
		due := -1
		for i, c := range out.Commands {
			if c.Kind == engine.CommandTimer && !c.Due.After(now) {
				due = i
				break
			}
		}
		if due < 0 || st.Status != engine.StatusRunning {
			return out, nil
		}
		id := out.Commands[due].ID
		out.Commands = append(out.Commands[:due:due], out.Commands[due+1:]...)
		more, err := m.Step(st, engine.Event{Kind: engine.TimerFired, ID: id, Time: now})
		if err != nil {
			return out, err
		}
		out.Events = append(out.Events, more.Events...)
		out.Commands = append(out.Commands, more.Commands...)
	}
	return out, nil
}

// liveExecution is a running execution's state as last committed by this
// process, kept so that a step need not read and decode it again.
type liveExecution struct {
	m       *engine.Machine
	st      *engine.State // nil once the execution has ended
	version int64
	parent  bool // a nested execution, whose end may have to be told
}

// maxLive bounds the cache of live executions; beyond it, executions are
// read from the store again.
const maxLive = 100_000

// live returns the execution's state, from the cache or the store. The
// caller holds the execution's lock.
func (r *Runner) live(ctx context.Context, arn string) (*liveExecution, error) {
	r.mu.Lock()
	l, ok := r.lives[arn]
	r.mu.Unlock()
	if ok {
		return l, nil
	}
	exec, err := r.store.GetExecution(ctx, arn)
	if err != nil {
		return nil, fmt.Errorf("load execution %s: %w", arn, err)
	}
	l = &liveExecution{version: exec.Version, parent: exec.ParentExecutionARN != ""}
	if exec.Status != store.ExecutionRunning {
		return l, nil
	}
	sm, err := r.revision(ctx, exec.StateMachineARN, exec.RevisionID)
	if err != nil {
		return nil, fmt.Errorf("load definition of %s: %w", arn, err)
	}
	if l.m, err = r.machine(sm, true); err != nil {
		return nil, err
	}
	if l.st, err = l.m.LoadState(exec.State); err != nil {
		return nil, fmt.Errorf("load state of %s: %w", arn, err)
	}
	if len(l.st.Exec.TokenKey) == 0 {
		// A state saved before executions had token keys: give it one now;
		// the next commit keeps it. Tokens made earlier are in the store.
		l.st.Exec.TokenKey = NewTokenKey()
	}
	r.remember(arn, l)
	return l, nil
}

func (r *Runner) remember(arn string, l *liveExecution) {
	r.mu.Lock()
	defer r.mu.Unlock()
	putBounded(r.lives, arn, l)
}

// putBounded sets m[k] = v, first dropping an arbitrary entry when m holds
// maxLive: the runtime's caches of executions stay bounded in memory, and
// what is dropped is read again from the store.
func putBounded[V any](m map[string]V, k string, v V) {
	if _, ok := m[k]; !ok && len(m) >= maxLive {
		for old := range m {
			delete(m, old)
			break
		}
	}
	m[k] = v
}

func (r *Runner) forget(arn string) {
	r.mu.Lock()
	delete(r.lives, arn)
	r.mu.Unlock()
}

// revision returns a state machine revision; revisions never change, so
// they are cached.
func (r *Runner) revision(ctx context.Context, arn, id string) (store.StateMachine, error) {
	key := arn + "#" + id
	r.mu.Lock()
	sm, ok := r.revisions[key]
	r.mu.Unlock()
	if ok {
		return sm, nil
	}
	sm, err := r.store.GetStateMachineRevision(ctx, arn, id)
	if err != nil {
		return sm, err
	}
	r.mu.Lock()
	r.revisions[key] = sm
	r.mu.Unlock()
	return sm, nil
}

// fill adds an engine step's events, state and commands to a commit.
func (r *Runner) fill(c *store.Commit, st *engine.State, out engine.Output) error {
	for i := range out.Events {
		e := &out.Events[i]
		data, err := e.MarshalJSON()
		if err != nil {
			return fmt.Errorf("encode event %d: %w", e.ID, err)
		}
		c.Events = append(c.Events, store.Event{ID: e.ID, Time: e.Timestamp, Type: string(e.Type), JSON: data})
	}
	state, err := engine.MarshalState(st)
	if err != nil {
		return fmt.Errorf("encode state: %w", err)
	}
	c.State = state
	c.MapRuns = append(c.MapRuns, mapRuns(st, out.MapRuns)...)
	if st.Status != engine.StatusRunning {
		end := &store.End{Status: store.ExecutionStatus(st.Status), Error: st.Error, Cause: st.Cause, StopDate: r.now()}
		if st.Status == engine.StatusSucceeded {
			end.Output = jsonval.MustMarshalString(st.Output)
		}
		c.End = end
	}
	// The same dispatch as the in-memory loop's; here each command
	// becomes rows of the commit, carried out once it is durable.
	return loop.Dispatch(context.Background(), out.Commands, commitCommands{r: r, c: c})
}

func taskWorkID(id int64) string  { return "t" + strconv.FormatInt(id, 10) }
func timerWorkID(id int64) string { return "w" + strconv.FormatInt(id, 10) }

// TaskID returns the engine's task id in the work item id of a task
// (store.Task.WorkID), and false for an id of no task.
func TaskID(workID string) (int64, bool) { return parseWorkID(workID) }

// parseWorkID returns the engine id in a work item id.
func parseWorkID(id string) (int64, bool) {
	if len(id) < 2 {
		return 0, false
	}
	n, err := strconv.ParseInt(id[1:], 10, 64)
	return n, err == nil
}

// invocation is the payload of an invoke work item and of an activity task.
type invocation struct {
	StateName        string          `json:"stateName"`
	Resource         string          `json:"resource"`
	Input            json.RawMessage `json:"input"`
	TimeoutSeconds   int64           `json:"timeoutSeconds,omitempty"`
	HeartbeatSeconds int64           `json:"heartbeatSeconds,omitempty"`
	TaskToken        string          `json:"taskToken,omitempty"`
	Credentials      json.RawMessage `json:"credentials,omitempty"`
	Kind             int             `json:"kind"`
}

// commitCommands records a step's commands in a commit, as rows that
// workers carry out once the commit is durable (see process).
type commitCommands struct {
	r *Runner
	c *store.Commit
}

// Timer implements [loop.Handler]: a timer is a work item due at due.
func (h commitCommands) Timer(id int64, due time.Time) error {
	h.c.AddWork = append(h.c.AddWork, store.WorkItem{ID: timerWorkID(id), Kind: workTimer, Due: due})
	return nil
}

// Cancel implements [loop.Handler]: the task's or timer's work item goes,
// and so does the task's token.
func (h commitCommands) Cancel(id int64, token string) error {
	c := h.c
	c.DoneWork = append(c.DoneWork, taskWorkID(id), timerWorkID(id))
	if token != "" {
		c.DoneTasks = append(c.DoneTasks, token)
		// A waiting task may have started a child execution to stop
		// (nested.go); waking an item that does not exist costs nothing.
		c.WakeWork = append(c.WakeWork, childWorkID(id))
	}
	return nil
}

// Invoke implements [loop.Handler]: an activity becomes a task for its
// workers to fetch; any other invocation an invoke work item (and a task
// row when it has a token, for SendTask* to find).
func (h commitCommands) Invoke(_ context.Context, id int64, inv *engine.Invocation) error {
	c, now := h.c, h.r.now()
	input, err := jsonval.Marshal(inv.Input)
	if err != nil {
		return fmt.Errorf("encode task input: %w", err)
	}
	if inv.Kind == engine.ResourceActivity {
		// Activity workers fetch the task with GetActivityTask.
		c.AddTasks = append(c.AddTasks, store.Task{Token: inv.TaskToken, WorkID: taskWorkID(id),
			ActivityARN: inv.Resource, Input: string(input), TimeoutSeconds: inv.TimeoutSeconds,
			HeartbeatSeconds: inv.HeartbeatSeconds, Created: now})
		return nil
	}
	p := invocation{StateName: inv.StateName, Resource: inv.Resource, Input: input, TimeoutSeconds: inv.TimeoutSeconds,
		HeartbeatSeconds: inv.HeartbeatSeconds, TaskToken: inv.TaskToken, Kind: int(inv.Kind)}
	if inv.Credentials != nil {
		if p.Credentials, err = jsonval.Marshal(inv.Credentials); err != nil {
			return fmt.Errorf("encode task credentials: %w", err)
		}
	}
	payload, err := json.Marshal(p)
	if err != nil {
		return fmt.Errorf("encode invocation: %w", err)
	}
	c.AddWork = append(c.AddWork, store.WorkItem{ID: taskWorkID(id), Kind: workInvoke, Payload: payload})
	if inv.TaskToken != "" {
		c.AddTasks = append(c.AddTasks, store.Task{Token: inv.TaskToken, WorkID: taskWorkID(id),
			Input: string(input), TimeoutSeconds: inv.TimeoutSeconds, HeartbeatSeconds: inv.HeartbeatSeconds, Created: now})
	}
	return nil
}

var _ loop.Handler = commitCommands{}

// observe tells the observer about a committed step of st.
func (r *Runner) observe(c store.Commit, st *engine.State) {
	n := 0
	for _, e := range c.Events {
		if strings.HasSuffix(e.Type, "StateEntered") {
			n++
		}
	}
	if n > 0 {
		r.cfg.Observer.StateTransitions(st.Exec.StateMachineARN, n)
	}
	if c.End != nil {
		r.cfg.Observer.ExecutionEnded(st.Exec.StateMachineARN, c.End.Status, c.End.StopDate.Sub(st.Exec.StartTime))
	}
}

// commit writes c to the store and tells the observer how long it took.
func (r *Runner) commit(ctx context.Context, c store.Commit) error {
	start := time.Now()
	err := r.store.Commit(ctx, c)
	r.cfg.Observer.Committed(time.Since(start), err)
	if err != nil {
		r.storeFailed(err)
		if isStoreFailure(err) {
			return storeError{err}
		}
		return err
	}
	r.storeOK()
	return nil
}

// committed tells the parts of the runtime that wait on new work.
func (r *Runner) committed(c store.Commit) {
	if len(c.AddWork) > 0 || len(c.WakeWork) > 0 {
		r.notify()
	}
	for _, t := range c.AddTasks {
		if t.ActivityARN != "" {
			r.wakeActivity(t.ActivityARN)
		}
	}
}

// process carries out one claimed work item and commits its outcome. An
// item claimed more than Config.MaxAttempts times is not carried out
// again: its execution fails (see abandon).
func (r *Runner) process(ctx context.Context, item store.WorkItem) {
	if item.Claims > int64(r.cfg.MaxAttempts) {
		if err := r.abandon(ctx, item); err != nil && ctx.Err() == nil {
			r.log.Error("abandon execution", "execution_arn", item.ExecutionARN, "work_id", item.ID, "err", err)
			_ = r.store.ReleaseWork(context.WithoutCancel(ctx), item.ExecutionARN, item.ID, r.cfg.Node, r.now().Add(r.cfg.Lease/10))
		}
		return
	}
	err := r.attempt(ctx, item)
	if err == nil || ctx.Err() != nil {
		return // done, or shutting down: the lease runs out and the item is retried
	}
	var se storeError
	if errors.As(err, &se) {
		// The store failed, not the work: give the claim back uncounted,
		// so that an outage does not use up the item's attempts.
		r.log.Warn("work item failed on the store; it will be retried", "execution_arn", item.ExecutionARN,
			"work_id", item.ID, "err", err)
		_ = r.store.ReleaseWork(context.WithoutCancel(ctx), item.ExecutionARN, item.ID, r.cfg.Node, r.now().Add(r.cfg.Lease/10))
		return
	}
	// The work itself failed (a panic, a corrupt state): keep the lease,
	// so that the claim counts, and retry when it runs out.
	r.log.Warn("work item failed; it will be retried when its lease runs out", "execution_arn", item.ExecutionARN,
		"work_id", item.ID, "attempt", item.Claims, "of", r.cfg.MaxAttempts, "err", err)
}

// storeError marks an error of the store's Commit, as opposed to one of
// the work being committed.
type storeError struct{ err error }

func (e storeError) Error() string { return e.err.Error() }
func (e storeError) Unwrap() error { return e.err }

// attempt carries out a work item once. A panic (in a task invoker, say)
// becomes an error, so that the item is retried, and counted, like any
// other failure.
func (r *Runner) attempt(ctx context.Context, item store.WorkItem) (err error) {
	defer func() {
		if p := recover(); p != nil {
			r.forget(item.ExecutionARN) // the cached state may be half-stepped
			err = fmt.Errorf("panic: %v\n%s", p, debug.Stack())
		}
	}()
	switch item.Kind {
	case workParent:
		err = r.notifyParent(ctx, item)
	case workChild:
		err = r.stopChild(ctx, item)
	case workTimer, workInvoke:
		id, ok := parseWorkID(item.ID)
		if !ok {
			r.log.Error("bad work item id", "execution_arn", item.ExecutionARN, "work_id", item.ID)
			return
		}
		if item.Kind == workTimer {
			err = r.step(ctx, item.ExecutionARN, engine.Event{Kind: engine.TimerFired, ID: id}, []string{item.ID}, nil)
		} else {
			err = r.invoke(ctx, item, id)
		}
	default:
		err = fmt.Errorf("unknown work kind %q", item.Kind)
	}
	return err
}

// invoke calls the task of an invoke work item and commits its outcome.
func (r *Runner) invoke(ctx context.Context, item store.WorkItem, id int64) error {
	var p invocation
	if err := json.Unmarshal(item.Payload, &p); err != nil {
		return fmt.Errorf("decode invocation: %w", err)
	}
	mocks, err := r.mocksFor(ctx, item.ExecutionARN)
	if te := (*tasks.Error)(nil); errors.As(err, &te) {
		ev := engine.Event{ID: id, Kind: engine.TaskFailed, Error: te.Name, Cause: te.Cause}
		return r.step(ctx, item.ExecutionARN, ev, []string{item.ID}, tokens(p.TaskToken))
	}
	if err != nil {
		return err
	}
	// A mocked state is answered by its mocked response, whatever its
	// resource, as in Step Functions Local.
	mocked := mocks != nil && mocks.Mocks(p.StateName)
	if mode, ok := NestedResource(p.Resource); ok && !mocked {
		return r.startNested(ctx, item, id, p, mode)
	}
	call, err := p.invocation()
	if err != nil {
		return err
	}
	var inv tasks.Invoker = r.cfg.Invoker
	if mocks != nil {
		// Mocked states first; the others go to the invoker as usual.
		inv = mocks.Before(inv)
	}
	// The task is carried out through the command loop's Invoker, as an
	// in-process run carries out its tasks. A TaskInvoker reports one
	// event, the task's outcome; the worker commits it once it returns.
	carrier := TaskInvoker(tasks.Func(func(ctx context.Context, req tasks.Request) (any, error) { return r.call(ctx, inv, req) }))
	callCtx, stop := context.WithCancel(ctx)
	defer stop()
	// A task the engine cancels while it runs (a .sync job of a stopped
	// execution, say) is cancelled here too, so that it stops working for
	// nobody. A .waitForTaskToken task's item is also consumed when its
	// token is answered while the request is still out (a Lambda function
	// that calls SendTaskSuccess before it returns): that request runs on.
	var gone func()
	if resource.Parse(p.Resource).Pattern != resource.WaitForTaskToken {
		gone = stop
	}
	var keep sync.WaitGroup
	keep.Go(func() { r.keepLease(callCtx, item, gone) })
	var ev engine.Event
	carrier.Invoke(callCtx, call, func(e engine.Event) { ev = e })
	stop()
	keep.Wait()
	if ctx.Err() != nil {
		return ctx.Err()
	}
	ev.ID = id
	if ev.Kind == engine.TaskSucceeded && p.TaskToken != "" && resource.Parse(p.Resource).Pattern == resource.WaitForTaskToken && !mocked {
		// The request went out; the task itself ends with SendTask*.
		ev.Kind = engine.TaskSubmitted
	}
	var done []string
	if ev.Kind != engine.TaskSubmitted {
		done = tokens(p.TaskToken)
	}
	return r.step(ctx, item.ExecutionARN, ev, []string{item.ID}, done)
}

// invocation decodes the task a work item carries out.
func (p invocation) invocation() (*engine.Invocation, error) {
	input, err := jsonval.Parse(p.Input)
	if err != nil {
		return nil, fmt.Errorf("decode task input: %w", err)
	}
	inv := &engine.Invocation{StateName: p.StateName, Resource: p.Resource, Input: input, TaskToken: p.TaskToken,
		TimeoutSeconds: p.TimeoutSeconds, HeartbeatSeconds: p.HeartbeatSeconds, Kind: engine.ResourceKind(p.Kind)}
	if len(p.Credentials) > 0 {
		if inv.Credentials, err = jsonval.Parse(p.Credentials); err != nil {
			return nil, fmt.Errorf("decode task credentials: %w", err)
		}
	}
	return inv, nil
}

func (r *Runner) call(ctx context.Context, inv tasks.Invoker, req tasks.Request) (any, error) {
	if inv == nil {
		return nil, &tasks.Error{Name: tasks.ErrorTaskFailed, Cause: fmt.Sprintf("%v: %s", tasks.ErrNoInvoker, req.Resource)}
	}
	start := time.Now()
	out, err := inv.Invoke(ctx, req)
	r.cfg.Observer.TaskDone(req.Resource, time.Since(start), err)
	return out, err
}

// keepLease extends a work item's lease while its task runs. When the
// item is gone and gone is not nil, it calls gone and stops: a commit
// consumed the item while the task ran, which for most tasks means the
// engine cancelled it (the execution was stopped, failed or timed out, or
// the Task timed out).
func (r *Runner) keepLease(ctx context.Context, item store.WorkItem, gone func()) {
	t := timeTicker(r.cfg.Lease / 3)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			err := r.store.ExtendLease(ctx, item.ExecutionARN, item.ID, r.cfg.Node, r.now().Add(r.cfg.Lease))
			if errors.Is(err, store.ErrNotFound) && gone != nil {
				gone()
				return
			}
			if err != nil && ctx.Err() == nil {
				r.log.Warn("extend lease", "execution_arn", item.ExecutionARN, "work_id", item.ID, "err", err)
			}
		}
	}
}

func timeTicker(d time.Duration) *time.Ticker {
	return time.NewTicker(max(d, time.Millisecond))
}
