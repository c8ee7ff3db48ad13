package runtime

import (
	"context"
	"crypto/sha256"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"sync"
	"time"

	"stepwise/engine"
	"stepwise/jsonval"
	"stepwise/resource"
	"stepwise/store"
	"stepwise/tasks"
)

// Nested executions: a Task whose Resource is
// arn:aws:states:::states:startExecution[.sync|.sync:2|.waitForTaskToken]
// starts an execution of another state machine. The runtime carries it
// out itself rather than through the Invoker, because the parent must
// wait for the child durably, as data rather than a goroutine:
//
//   - The parent's invoke work item starts the child (a Standard child's
//     first step is committed as usual) and then commits the task's
//     TaskSucceeded (request-response) or TaskSubmitted (.sync, .sync:2,
//     .waitForTaskToken) on the parent.
//   - A .sync or .sync:2 child is started with a parked work item "p"
//     holding the parent's task (workParent). The commit that ends the
//     child wakes it; carrying it out completes the parent's task with the
//     child's outcome, then deletes it. If the process dies in between, the
//     item is carried out again: the parent ignores a result for a task
//     that is no longer pending, so the outcome is applied once.
//   - The parent's TaskSubmitted commit parks a work item "c<id>" holding
//     the child's ARN (workChild). When the engine cancels the task (the
//     parent is stopped, fails or times out, the Task times out, a
//     Parallel branch fails) the cancelling commit wakes it, and carrying it
//     out stops the child, as AWS stops the .sync children of a stopped
//     parent.
//
// A child whose parent waits with .waitForTaskToken gets the token in its
// input through the Task's Parameters ($$.Task.Token) and answers with
// SendTaskSuccess or SendTaskFailure; nothing links the two otherwise.

// Work item kinds of nested executions.
const (
	// workParent, on a child, tells the parent's task how the child ended.
	workParent store.WorkKind = "parent"
	// workChild, on a parent, stops the child of a cancelled task.
	workChild store.WorkKind = "child"
)

// parentWorkID is the id of a child's workParent item.
const parentWorkID = "p"

func childWorkID(id int64) string { return "c" + strconv.FormatInt(id, 10) }

// parked is the Due of work items that wait to be woken by a commit's
// WakeWork rather than by the clock. It is far enough to never come and
// near enough to fit a backend's nanosecond times.
var parked = time.Date(2200, 1, 1, 0, 0, 0, 0, time.UTC)

// notifyRetry is how soon a child's outcome is offered again to a parent
// that has not yet recorded the child's start.
const notifyRetry = 100 * time.Millisecond

// NestedMode is the integration pattern of a states:startExecution Task.
type NestedMode int

// The patterns of states:startExecution.
const (
	ModeRequest  NestedMode = iota + 1 // request-response: the task ends when the child has started
	ModeSync                           // .sync: it ends with the child, Input and Output as JSON text
	ModeSync2                          // .sync:2: likewise, Input and Output as JSON values
	ModeCallback                       // .waitForTaskToken: it ends with SendTask*
)

// Waits reports whether the parent's task waits for the child to end.
func (m NestedMode) Waits() bool { return m == ModeSync || m == ModeSync2 }

// NestedResource returns the pattern of a states:startExecution resource,
// and false for any other resource.
func NestedResource(res string) (NestedMode, bool) {
	r := resource.Parse(res)
	if !r.Is("states", "startExecution") {
		return 0, false
	}
	switch r.Pattern {
	case resource.RequestResponse:
		return ModeRequest, true
	case resource.Sync:
		return ModeSync, true
	case resource.Sync2:
		return ModeSync2, true
	case resource.WaitForTaskToken:
		return ModeCallback, true
	}
	return 0, false
}

// Starter starts and stops the executions that Task states start
// (states:startExecution). Package service implements it with the checks
// and answers of the StartExecution and StopExecution actions; the
// runtime calls it from its workers and from Express executions.
type Starter interface {
	// StartNested starts the child n asks for and returns it, and whether
	// it is an Express one. A start the API refuses is a *tasks.Error,
	// named and described as AWS's integration reports it. A Standard
	// child this very task started before (its work item is carried out
	// again after a crash) is returned as it is.
	StartNested(ctx context.Context, n NestedStart) (child store.Execution, express bool, err error)
	// StopNested stops the child of a cancelled task; a child that does
	// not exist is not an error.
	StopNested(ctx context.Context, arn string) error
}

// NestedStart is what a states:startExecution Task asks a [Starter] for.
type NestedStart struct {
	// Parent is the ARN of the execution whose Task starts the child.
	Parent string
	// Params is the task's input: StateMachineArn, Input and Name, as
	// AWS's integration takes them.
	Params any
	// Name is the child's name when Params names none; empty means a
	// random one.
	Name string
	// Link, for a .sync or .sync:2 Standard child, is the parent's task
	// to tell when the child ends.
	Link *ParentLink
	// Wait runs an Express child to its end before StartNested returns.
	Wait bool
}

// ParentLink is the parent's task that a .sync or .sync:2 child tells
// when it ends: the payload of the child's workParent item.
type ParentLink struct {
	Parent string `json:"parent"` // the parent's execution ARN
	Task   int64  `json:"task"`   // the parent's engine task id
	Token  string `json:"token,omitempty"`
	Sync2  bool   `json:"sync2,omitempty"`
}

// childLink is the payload of a parent's workChild item.
type childLink struct {
	Child string `json:"child"`
}

// childName returns the name of a child started without one. It is
// derived from the parent and the task, so that a start carried out again
// after a crash finds the child the first attempt started.
func childName(parentARN, workID string) string {
	b := sha256.Sum256([]byte(parentARN + "\x00" + workID))
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:16])
}

// startNested carries out the invoke work item of a states:startExecution
// Task: it starts the child and commits what the parent's task does next.
func (r *Runner) startNested(ctx context.Context, item store.WorkItem, id int64, p invocation, mode NestedMode) error {
	parent := item.ExecutionARN
	fail := func(te *tasks.Error) error {
		ev := engine.Event{ID: id, Kind: engine.TaskFailed, Error: te.Name, Cause: te.Cause}
		return r.step(ctx, parent, ev, []string{item.ID}, tokens(p.TaskToken))
	}
	if r.cfg.Starter == nil {
		return fail(&tasks.Error{Name: tasks.ErrorRuntime, Cause: "nested executions are not configured: " + p.Resource})
	}
	input, err := jsonval.Parse(p.Input)
	if err != nil {
		return fmt.Errorf("decode task input: %w", err)
	}
	n := NestedStart{Parent: parent, Params: input, Name: childName(parent, item.ID), Wait: mode.Waits()}
	if mode.Waits() {
		n.Link = &ParentLink{Parent: parent, Task: id, Token: p.TaskToken, Sync2: mode == ModeSync2}
	}
	// An Express child is waited for within the work item, holding its
	// lease, as a long task invocation would be: Express executions live
	// in memory, so after a crash the child is started again, which AWS's
	// at-least-once Express semantics allow.
	callCtx, stop := context.WithCancel(ctx)
	var keep sync.WaitGroup
	if mode.Waits() {
		keep.Go(func() { r.keepLease(callCtx, item, nil) })
	}
	child, express, err := r.cfg.Starter.StartNested(callCtx, n)
	stop()
	keep.Wait()
	if te := (*tasks.Error)(nil); errors.As(err, &te) {
		return fail(te)
	}
	if err != nil {
		return err
	}
	if express && mode.Waits() {
		return r.expressEnded(ctx, item, id, p, mode, child)
	}
	ev := engine.Event{ID: id, Kind: engine.TaskSubmitted, Output: StartResponse(child.ARN, child.StartDate, r.now())}
	switch mode {
	case ModeRequest:
		ev.Kind = engine.TaskSucceeded
		return r.step(ctx, parent, ev, []string{item.ID}, tokens(p.TaskToken))
	case ModeCallback:
		return r.step(ctx, parent, ev, []string{item.ID}, nil)
	}
	payload, err := json.Marshal(childLink{Child: child.ARN})
	if err != nil {
		return fmt.Errorf("encode child link: %w", err)
	}
	return r.stepWith(ctx, parent, &ev, commitExtra{DoneWork: []string{item.ID}, after: func(st *engine.State, c *store.Commit) {
		link := store.WorkItem{ID: childWorkID(id), Kind: workChild, Payload: payload, Due: parked}
		if st == nil || st.Status != engine.StatusRunning || !waitingOn(st, id) {
			// The task was cancelled while the child started: stop it now.
			link.Due = time.Time{}
		}
		c.AddWork = append(c.AddWork, link)
	}})
}

// waitingOn reports whether st still waits for the task id.
func waitingOn(st *engine.State, id int64) bool {
	_, ok := st.Waiting[id]
	return ok
}

func tokens(token string) []string {
	if token == "" {
		return nil
	}
	return []string{token}
}

// StartedBy reports whether existing is the child that an earlier attempt
// of the same start made: the same parent and input and, for a .sync
// child (link not nil), the same parent task.
func (r *Runner) StartedBy(ctx context.Context, existing store.Execution, parent, input string, link *ParentLink) bool {
	if existing.ParentExecutionARN != parent || !sameJSON(existing.Input, input) {
		return false
	}
	if link == nil {
		return true
	}
	work, err := r.store.ListWork(ctx, existing.ARN)
	if err != nil {
		return false
	}
	for _, w := range work {
		var l ParentLink
		if w.ID == parentWorkID && json.Unmarshal(w.Payload, &l) == nil {
			return l.Parent == link.Parent && l.Task == link.Task
		}
	}
	return false
}

func sameJSON(a, b string) bool {
	va, err1 := jsonval.ParseString(a)
	vb, err2 := jsonval.ParseString(b)
	return err1 == nil && err2 == nil && jsonval.Equal(va, vb)
}

// expressEnded commits the start and the end of an Express child that a
// .sync parent waited for within its work item.
func (r *Runner) expressEnded(ctx context.Context, item store.WorkItem, id int64, p invocation, mode NestedMode, child store.Execution) error {
	if ctx.Err() != nil {
		return ctx.Err()
	}
	parent := item.ExecutionARN
	sub := engine.Event{ID: id, Kind: engine.TaskSubmitted, Output: StartResponse(child.ARN, child.StartDate, child.StartDate)}
	if err := r.step(ctx, parent, sub, nil, nil); err != nil {
		return err
	}
	ev := ChildOutcome(child, id, mode == ModeSync2)
	return r.step(ctx, parent, ev, []string{item.ID}, tokens(p.TaskToken))
}

// notifyParent carries out a child's woken workParent item: it completes
// the parent's task with the child's outcome, then deletes the item.
func (r *Runner) notifyParent(ctx context.Context, item store.WorkItem) error {
	var link ParentLink
	if err := json.Unmarshal(item.Payload, &link); err != nil {
		return fmt.Errorf("decode parent link: %w", err)
	}
	child, err := r.store.GetExecution(ctx, item.ExecutionARN)
	if err != nil {
		return fmt.Errorf("load child %s: %w", item.ExecutionARN, err)
	}
	if child.Status == store.ExecutionRunning {
		// Not ended: park it again.
		return r.store.ReleaseWork(ctx, item.ExecutionARN, item.ID, r.cfg.Node, parked)
	}
	// A fast child can end before its parent has recorded the start
	// (TaskSubmitted): offer the outcome again shortly, so that the
	// parent's history keeps AWS's order.
	work, err := r.store.ListWork(ctx, link.Parent)
	if err != nil {
		return fmt.Errorf("list work of %s: %w", link.Parent, err)
	}
	for _, w := range work {
		if w.ID == taskWorkID(link.Task) {
			return r.store.ReleaseWork(ctx, item.ExecutionARN, item.ID, r.cfg.Node, r.now().Add(notifyRetry))
		}
	}
	ev := ChildOutcome(child, link.Task, link.Sync2)
	err = r.stepWith(ctx, link.Parent, &ev, commitExtra{DoneWork: []string{childWorkID(link.Task)}, DoneTasks: tokens(link.Token)})
	if err != nil && !errors.Is(err, store.ErrNotFound) {
		return err
	}
	return r.stepWith(ctx, item.ExecutionARN, nil, commitExtra{DoneWork: []string{item.ID}})
}

// stopChild carries out a parent's woken workChild item: the parent's task
// was cancelled, so its child is stopped.
func (r *Runner) stopChild(ctx context.Context, item store.WorkItem) error {
	var link childLink
	if err := json.Unmarshal(item.Payload, &link); err != nil {
		return fmt.Errorf("decode child link: %w", err)
	}
	if r.cfg.Starter != nil {
		if err := r.cfg.Starter.StopNested(ctx, link.Child); err != nil {
			return fmt.Errorf("stop child %s: %w", link.Child, err)
		}
	}
	return r.stepWith(ctx, item.ExecutionARN, nil, commitExtra{DoneWork: []string{item.ID}})
}

// ChildOutcome is the event that ends a .sync or .sync:2 parent's task
// with how its child ended: TaskSucceeded with the DescribeExecution
// shape, or States.TaskFailed with that shape as the cause (conformance
// cases test_sfn_start_execution_sync_SFN_SYNC, _SYNC2 and
// test_start_execution_sync_delegate_failure).
func ChildOutcome(child store.Execution, id int64, sync2 bool) engine.Event {
	if child.Status == store.ExecutionSucceeded {
		return engine.Event{ID: id, Kind: engine.TaskSucceeded, Output: describeChild(child, sync2)}
	}
	return engine.Event{ID: id, Kind: engine.TaskFailed, Error: tasks.ErrorTaskFailed,
		Cause: jsonval.MustMarshalString(describeChild(child, sync2))}
}

// describeChild returns an ended child as the StartExecution integration
// reports it: DescribeExecution's fields with AWS's capitalized names, in
// AWS's (alphabetical) order, dates in epoch milliseconds. A failed
// child's description, recorded without redrive fields, has its Error and
// Cause instead of Output.
func describeChild(e store.Execution, sync2 bool) *jsonval.Object {
	data := func(text string) any {
		if !sync2 {
			return text
		}
		v, err := jsonval.ParseString(text)
		if err != nil {
			return text
		}
		return v
	}
	included := func() *jsonval.Object {
		o := jsonval.NewObject(1)
		o.Set("Included", true)
		return o
	}
	o := jsonval.NewObject(14)
	succeeded := e.Status == store.ExecutionSucceeded
	if !succeeded && e.Cause != "" {
		o.Set("Cause", e.Cause)
	}
	if !succeeded && e.Error != "" {
		o.Set("Error", e.Error)
	}
	o.Set("ExecutionArn", e.ARN)
	o.Set("Input", data(e.Input))
	o.Set("InputDetails", included())
	o.Set("Name", e.Name)
	if succeeded {
		o.Set("Output", data(e.Output))
		o.Set("OutputDetails", included())
		o.Set("RedriveCount", json.Number("0"))
		o.Set("RedriveStatus", "NOT_REDRIVABLE")
		o.Set("RedriveStatusReason", "Execution is SUCCEEDED and cannot be redriven")
	}
	o.Set("StartDate", epochMillis(e.StartDate))
	o.Set("StateMachineArn", e.StateMachineARN)
	o.Set("Status", string(e.Status))
	o.Set("StopDate", epochMillis(e.StopDate))
	return o
}

func epochMillis(t time.Time) json.Number {
	return json.Number(strconv.FormatInt(t.UnixMilli(), 10))
}

// StartResponse is the result of the StartExecution call: the API's
// response with the SDK's HTTP metadata, as AWS's request-response
// integration returns it (conformance case test_start_execution).
func StartResponse(arn string, start, now time.Time) *jsonval.Object {
	requestID := NewUUID()
	body := `{"executionArn":` + jsonval.MustMarshalString(arn) + `,"startDate":` +
		strconv.FormatFloat(float64(start.UnixMilli())/1000, 'f', -1, 64) + `}`
	length := strconv.Itoa(len(body))
	date := now.UTC().Format(http.TimeFormat)
	const contentType = "application/x-amz-json-1.0"
	all := jsonval.NewObject(5)
	all.Set("x-amzn-RequestId", []any{requestID})
	all.Set("connection", []any{"keep-alive"})
	all.Set("Content-Length", []any{length})
	all.Set("Date", []any{date})
	all.Set("Content-Type", []any{contentType})
	flat := jsonval.NewObject(5)
	flat.Set("connection", "keep-alive")
	flat.Set("Content-Length", length)
	flat.Set("Content-Type", contentType)
	flat.Set("Date", date)
	flat.Set("x-amzn-RequestId", requestID)
	meta := jsonval.NewObject(3)
	meta.Set("AllHttpHeaders", all)
	meta.Set("HttpHeaders", flat)
	meta.Set("HttpStatusCode", json.Number("200"))
	rmeta := jsonval.NewObject(1)
	rmeta.Set("RequestId", requestID)
	o := jsonval.NewObject(4)
	o.Set("ExecutionArn", arn)
	o.Set("SdkHttpMetadata", meta)
	o.Set("SdkResponseMetadata", rmeta)
	o.Set("StartDate", epochMillis(start))
	return o
}

// expressTasks answers the Task states of an Express execution, which
// runs in memory with [RunLocal]: it starts nested executions itself
// (request-response) and hands every other task to the configured
// Invoker. Express workflows support only the request-response pattern on
// AWS, which refuses .sync and .waitForTaskToken in their definitions; a
// definition that reaches Stepwise with them fails the task with
// States.Runtime.
type expressTasks struct {
	r      *Runner
	parent string // the Express execution's ARN
}

// Invoke implements [tasks.Invoker].
func (x *expressTasks) Invoke(ctx context.Context, req tasks.Request) (any, error) {
	r := x.r
	mode, ok := NestedResource(req.Resource)
	if !ok {
		return r.call(ctx, r.cfg.Invoker, req)
	}
	if mode != ModeRequest {
		return nil, &tasks.Error{Name: tasks.ErrorRuntime, Cause: fmt.Sprintf(
			"The resource %s is not supported by EXPRESS state machines, which support the request-response integration pattern only", req.Resource)}
	}
	if r.cfg.Starter == nil {
		return nil, &tasks.Error{Name: tasks.ErrorRuntime, Cause: "nested executions are not configured: " + req.Resource}
	}
	child, _, err := r.cfg.Starter.StartNested(ctx, NestedStart{Parent: x.parent, Params: req.Input})
	if err != nil {
		return nil, err
	}
	return StartResponse(child.ARN, child.StartDate, r.now()), nil
}
