package engine

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"

	"stepwise/asl"
	"stepwise/history"
	"stepwise/jsonval"
	"stepwise/resource"
)

// ResourceKind is the kind of thing a Task state's Resource names; it
// decides the history events a task produces.
type ResourceKind int

// The kinds of task resources.
const (
	// ResourceService is an integration, arn:PARTITION:states:::SERVICE:ACTION[.sync|.waitForTaskToken].
	ResourceService ResourceKind = iota + 1
	// ResourceLambda is a Lambda function ARN used directly as the resource.
	ResourceLambda
	// ResourceActivity is an activity ARN.
	ResourceActivity
	// ResourceItemReader is a distributed Map's ItemReader: its
	// invocation reads the Map's items (mapio.go).
	ResourceItemReader
	// ResourceResultWriter is a distributed Map's ResultWriter: its
	// invocation writes the Map's results and returns its result.
	ResourceResultWriter
)

// ClassifyResource returns the kind of a Task resource from the shape of
// its ARN. Anything that is neither a Lambda function nor an activity is
// treated as a service integration.
func ClassifyResource(res string) ResourceKind { return taskKind(resource.Parse(res)) }

// taskKind is the engine's kind of a parsed resource.
func taskKind(r resource.Resource) ResourceKind {
	switch r.TaskKind() {
	case resource.Function:
		return ResourceLambda
	case resource.Activity:
		return ResourceActivity
	}
	return ResourceService
}

// serviceParts returns AWS's resourceType and resource of a service
// task's history events: arn:aws:states:::lambda:invoke gives ("lambda",
// "invoke"). A pending task keeps its Resource as text, so it is parsed
// again here.
func serviceParts(res string) (typ, name string) {
	r := resource.Parse(res)
	return r.HistoryType, r.HistoryName
}

// usesToken reports whether a task gets a task token: activities (by kind,
// so that Options.ResourceKind can name one), and integrations that wait
// (.waitForTaskToken, and .sync, whose token AWS also exposes as
// $$.Task.Token: conformance test_callback test_sync_with_task_token).
func usesToken(kind ResourceKind, r resource.Resource) bool {
	return kind == ResourceActivity || r.UsesToken()
}

// newToken returns the task token of task id: HMAC-SHA256 under the
// execution's secret key. It depends only on the key and the id, both in
// the committed state, so a replay after a crash gives the same token; and
// it shares nothing with st.Rand, whose outputs executions see.
func (st *State) newToken(id int64) string {
	mac := hmac.New(sha256.New, st.Exec.TokenKey)
	var b [len(tokenLabel) + 8]byte
	copy(b[:], tokenLabel)
	binary.BigEndian.PutUint64(b[len(tokenLabel):], uint64(id))
	mac.Write(b[:])
	return hex.EncodeToString(mac.Sum(nil))
}

// tokenLabel separates task-token MACs from any other use of the key.
const tokenLabel = "stepwise task token\x00"

// resourceKind classifies a Task's resource, with the caller's override.
func (st *State) resourceKind(t *asl.TaskFields) ResourceKind {
	if st.m.opts.ResourceKind != nil {
		if k := st.m.opts.ResourceKind(t.Resource); k != 0 {
			return k
		}
	}
	return taskKind(t.ParsedResource)
}

// taskToken returns a new task token when the resource uses one. Each
// token takes an id of its own, so no two tokens of an execution are alike.
func (st *State) taskToken(kind ResourceKind, r resource.Resource) string {
	if usesToken(kind, r) {
		return st.newToken(st.newID())
	}
	return ""
}

// execTask evaluates a Task state's arguments, timeouts and credentials
// and schedules its task.
func (st *State) execTask(th *Thread, s *asl.State) {
	t := s.Task
	kind := st.resourceKind(t)
	token := st.taskToken(kind, t.ParsedResource)
	inv, err := taskCall(st.scope(th, s, token), s)
	if err != nil {
		st.failState(th, s, st.failure(th, s, err))
		return
	}
	inv.TaskToken, inv.Kind = token, kind
	st.startTask(th, s, inv)
}

// taskCall evaluates what Task state s calls its resource with: its
// arguments, then its time limits and credentials from the effective
// input. The caller fills in the token and the kind.
func taskCall(sc *asl.Scope, s *asl.State) (*Invocation, error) {
	eff, params, err := arguments(sc, s)
	if err != nil {
		return nil, err
	}
	inv := &Invocation{StateName: s.Name, Resource: s.Task.Resource, Input: params}
	if inv.TimeoutSeconds, err = s.Flow.Int(sc, eff, asl.FieldTimeoutSeconds); err != nil {
		return nil, err
	}
	if inv.HeartbeatSeconds, err = s.Flow.Int(sc, eff, asl.FieldHeartbeatSeconds); err != nil {
		return nil, err
	}
	if inv.Credentials, err = s.Flow.Credentials(sc, eff); err != nil {
		return nil, err
	}
	return inv, nil
}

// startTask schedules the task of th's Task state, as taskCall evaluated
// it.
func (st *State) startTask(th *Thread, s *asl.State, inv *Invocation) {
	t := s.Task
	kind, token, params, timeout, heartbeat, creds := inv.Kind, inv.TaskToken, inv.Input, inv.TimeoutSeconds, inv.HeartbeatSeconds, inv.Credentials
	if f := checkParameters(t.ParsedResource, s.Name, th.EnteredID, params); f != nil {
		st.failState(th, s, f)
		return
	}
	id := st.newID()
	st.Waiting[id] = wait{Kind: waitTask, Thread: th.ID}
	pt := &pendingTask{ID: id, Kind: kind, Resource: t.Resource, Token: token, Heartbeat: heartbeat}
	th.Task = pt
	th.Phase = phaseTask
	st.emitScheduled(th, pt, params, timeout, heartbeat, creds)
	if timeout > 0 {
		tid := st.newID()
		st.Waiting[tid] = wait{Kind: waitTaskTimeout, Thread: th.ID}
		pt.TimerIDs = append(pt.TimerIDs, tid)
		st.out.Commands = append(st.out.Commands, Command{Kind: CommandTimer, ID: tid, Due: after(st.now, timeout)})
	}
	if heartbeat > 0 {
		st.armHeartbeat(th, pt)
	}
	st.out.Commands = append(st.out.Commands, Command{Kind: CommandInvoke, ID: id, Invoke: inv})
}

func (st *State) armHeartbeat(th *Thread, pt *pendingTask) {
	if pt.HeartbeatID != 0 {
		delete(st.Waiting, pt.HeartbeatID)
	}
	hid := st.newID()
	st.Waiting[hid] = wait{Kind: waitHeartbeat, Thread: th.ID}
	pt.HeartbeatID = hid
	st.out.Commands = append(st.out.Commands, Command{Kind: CommandTimer, ID: hid, Due: after(st.now, pt.Heartbeat)})
}

func (st *State) emitScheduled(th *Thread, pt *pendingTask, params any, timeout, heartbeat int64, creds any) {
	var tc *history.TaskCredentials
	if obj, ok := creds.(*jsonval.Object); ok {
		role, _ := obj.Get("RoleArn")
		if s, ok := role.(string); ok {
			tc = &history.TaskCredentials{RoleArn: s}
		}
	}
	switch pt.Kind {
	case ResourceLambda:
		st.emit(th, history.LambdaFunctionScheduled, func(e *history.Event) {
			e.Details = &history.LambdaFunctionScheduledEventDetails{
				Resource: pt.Resource, Input: jsonText(params), TimeoutInSeconds: timeout, TaskCredentials: tc}
		})
		st.emit(th, history.LambdaFunctionStarted, nil)
	case ResourceActivity:
		st.emit(th, history.ActivityScheduled, func(e *history.Event) {
			e.Details = &history.ActivityScheduledEventDetails{
				Resource: pt.Resource, Input: jsonText(params), TimeoutInSeconds: timeout, HeartbeatInSeconds: heartbeat}
		})
	default:
		typ, name := serviceParts(pt.Resource)
		st.emit(th, history.TaskScheduled, func(e *history.Event) {
			e.Details = &history.TaskScheduledEventDetails{
				ResourceType: typ, Resource: name, Region: st.Exec.Region, Parameters: jsonText(params),
				TimeoutInSeconds: timeout, HeartbeatInSeconds: heartbeat, TaskCredentials: tc}
		})
		st.emit(th, history.TaskStarted, func(e *history.Event) {
			e.Details = &history.TaskStartedEventDetails{ResourceType: typ, Resource: name}
		})
	}
}

// taskEvent applies a task's outcome to the thread waiting on it.
func (st *State) taskEvent(ev Event) {
	w, ok := st.Waiting[ev.ID]
	if !ok || w.Kind != waitTask {
		return
	}
	th, ok := st.Threads[w.Thread]
	if !ok || th.Task == nil || th.Task.ID != ev.ID {
		return
	}
	if th.Phase == phaseMapIO {
		st.mapIOEvent(th, ev)
		return
	}
	if th.Phase != phaseTask {
		return
	}
	pt := th.Task
	switch ev.Kind {
	case TaskStarted:
		if pt.Kind == ResourceActivity {
			st.emit(th, history.ActivityStarted, func(e *history.Event) {
				e.Details = &history.ActivityStartedEventDetails{WorkerName: ev.WorkerName}
			})
		}
	case TaskHeartbeat:
		if pt.Heartbeat > 0 {
			st.armHeartbeat(th, pt)
		}
	case TaskSubmitted:
		pt.Submitted = true
		typ, name := serviceParts(pt.Resource)
		st.emit(th, history.TaskSubmitted, func(e *history.Event) {
			e.Details = &history.TaskSubmittedEventDetails{ResourceType: typ, Resource: name, Output: jsonText(ev.Output)}
		})
	case TaskSucceeded:
		st.endTask(th)
		st.emitTaskSucceeded(th, pt, ev.Output)
		th.Phase = phaseRun
		s := th.state()
		st.complete(th, s, st.scope(th, s, pt.Token), nil, ev.Output, nil, s.Next)
		st.runnable = append(st.runnable, th.ID)
	case TaskFailed:
		st.endTask(th)
		st.emitTaskFailed(th, pt, ev.Error, ev.Cause)
		th.Phase = phaseRun
		st.failState(th, th.state(), &failure{Error: ev.Error, Cause: ev.Cause, HasCause: ev.Cause != ""})
		st.runnable = append(st.runnable, th.ID)
	}
}

// endTask forgets th's pending task and cancels its timers.
func (st *State) endTask(th *Thread) {
	pt := th.Task
	if pt == nil {
		return
	}
	delete(st.Waiting, pt.ID)
	for _, id := range append(pt.TimerIDs, pt.HeartbeatID) {
		if id != 0 {
			delete(st.Waiting, id)
			st.out.Commands = append(st.out.Commands, Command{Kind: CommandCancel, ID: id})
		}
	}
	th.Task = nil
}

func (st *State) emitTaskSucceeded(th *Thread, pt *pendingTask, output any) {
	switch pt.Kind {
	case ResourceLambda:
		st.emit(th, history.LambdaFunctionSucceeded, func(e *history.Event) {
			e.Details = &history.LambdaFunctionSucceededEventDetails{Output: jsonText(output)}
		})
	case ResourceActivity:
		st.emit(th, history.ActivitySucceeded, func(e *history.Event) {
			e.Details = &history.ActivitySucceededEventDetails{Output: jsonText(output)}
		})
	default:
		typ, name := serviceParts(pt.Resource)
		st.emit(th, history.TaskSucceeded, func(e *history.Event) {
			e.Details = &history.TaskSucceededEventDetails{ResourceType: typ, Resource: name, Output: jsonText(output)}
		})
	}
}

func (st *State) emitTaskFailed(th *Thread, pt *pendingTask, errName, cause string) {
	switch pt.Kind {
	case ResourceLambda:
		st.emit(th, history.LambdaFunctionFailed, func(e *history.Event) {
			e.Details = &history.LambdaFunctionFailedEventDetails{Error: errName, Cause: cause}
		})
	case ResourceActivity:
		st.emit(th, history.ActivityFailed, func(e *history.Event) {
			e.Details = &history.ActivityFailedEventDetails{Error: errName, Cause: cause}
		})
	default:
		typ, name := serviceParts(pt.Resource)
		st.emit(th, history.TaskFailed, func(e *history.Event) {
			e.Details = &history.TaskFailedEventDetails{ResourceType: typ, Resource: name, Error: errName, Cause: cause}
		})
	}
}

// taskTimedOut fails th's task with States.Timeout or
// States.HeartbeatTimeout.
func (st *State) taskTimedOut(th *Thread, heartbeat bool) {
	pt := th.Task
	// AWS reports a missed heartbeat of an integration as States.Timeout
	// (conformance test_heartbeats test_heartbeat_timeout); activities get
	// States.HeartbeatTimeout as documented.
	errName := ErrorTimeout
	if heartbeat && pt.Kind == ResourceActivity {
		errName = ErrorHeartbeatTimeout
	}
	st.endTask(th)
	st.out.Commands = append(st.out.Commands, Command{Kind: CommandCancel, ID: pt.ID, Token: pt.Token})
	switch pt.Kind {
	case ResourceLambda:
		st.emit(th, history.LambdaFunctionTimedOut, func(e *history.Event) {
			e.Details = &history.LambdaFunctionTimedOutEventDetails{Error: errName}
		})
	case ResourceActivity:
		st.emit(th, history.ActivityTimedOut, func(e *history.Event) {
			e.Details = &history.ActivityTimedOutEventDetails{Error: errName}
		})
	default:
		typ, name := serviceParts(pt.Resource)
		st.emit(th, history.TaskTimedOut, func(e *history.Event) {
			e.Details = &history.TaskTimedOutEventDetails{ResourceType: typ, Resource: name, Error: errName}
		})
	}
	th.Phase = phaseRun
	st.failState(th, th.state(), &failure{Error: errName})
	st.runnable = append(st.runnable, th.ID)
}
