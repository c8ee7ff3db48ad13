package engine

import (
	"errors"
	"fmt"
	"time"

	"stepwise/asl"
	"stepwise/dataflow"
	"stepwise/history"
	"stepwise/jsonval"
)

// Machine is a compiled state machine ready to run executions. It is
// immutable and safe for concurrent use.
type Machine struct {
	def  *asl.StateMachine
	opts Options
}

// NewMachine prepares def for running.
func NewMachine(def *asl.StateMachine, opts Options) *Machine {
	if opts.MaxEvents == 0 {
		opts.MaxEvents = defaultMaxEvents
	}
	return &Machine{def: def, opts: opts}
}

// Definition returns the state machine m runs.
func (m *Machine) Definition() *asl.StateMachine { return m.def }

// ErrNotRunning is returned by Step for an event addressed to an execution
// that has already ended.
var ErrNotRunning = errors.New("engine: execution is not running")

// Start begins an execution: it returns the new State and the first
// Output. seed feeds the execution's random numbers (retry jitter, UUIDs,
// $random); the same seed and exec.TokenKey give the same execution.
// exec.TokenKey must hold at least [MinTokenKeyLen] secret bytes.
//
// Like Step, Start never panics: a bug that would make it panic (on a
// definition or input nothing checked) gives an error instead.
func (m *Machine) Start(exec Execution, seed uint64, now time.Time) (st *State, out Output, err error) {
	defer func() {
		if r := recover(); r != nil {
			st, out, err = nil, Output{}, fmt.Errorf("engine: start %s: %v", exec.ARN, r)
		}
	}()
	if len(exec.TokenKey) < MinTokenKeyLen {
		return nil, Output{}, fmt.Errorf("engine: start %s: task token key of %d bytes, want at least %d", exec.ARN, len(exec.TokenKey), MinTokenKeyLen)
	}
	if exec.StartTime.IsZero() {
		exec.StartTime = now
	}
	st = &State{
		Status:      StatusRunning,
		Exec:        exec,
		NextEventID: 1,
		NextID:      1,
		Rand:        rng{S: seed},
		Threads:     map[int64]*Thread{},
		Waiting:     map[int64]wait{},
	}
	st.begin(m, now)
	if !m.opts.NoHistory {
		st.appendEvent(history.Event{Type: history.ExecutionStarted, Details: &history.ExecutionStartedEventDetails{
			Input:   jsonval.MustMarshalString(exec.Input),
			RoleArn: exec.RoleARN,
		}}, 0)
	} else {
		st.NextEventID++
	}
	if timeout := m.executionTimeout(exec); timeout > 0 {
		id := st.newID()
		st.Waiting[id] = wait{Kind: waitExecTimeout}
		st.out.Commands = append(st.out.Commands, Command{Kind: CommandTimer, ID: id, Due: after(now, timeout)})
	}
	root := st.newThread(0, &m.def.Program, "", 0, exec.Input, nil)
	st.runnable = append(st.runnable, root.ID)
	st.run()
	return st, st.end(), nil
}

// ExpressMaxSeconds is AWS's longest Express execution: five minutes.
const ExpressMaxSeconds = 300

// executionTimeout returns the seconds after which exec times out, 0 for
// never: the definition's TimeoutSeconds, and for an Express execution at
// most [ExpressMaxSeconds], as AWS ends one with States.Timeout then.
func (m *Machine) executionTimeout(exec Execution) int64 {
	t := m.def.TimeoutSeconds
	if exec.Express && (t <= 0 || t > ExpressMaxSeconds) {
		t = ExpressMaxSeconds
	}
	return t
}

// Step applies one event to st and returns what it produced. Events for
// tasks and timers the execution no longer waits on are ignored (an empty
// Output). On a non-nil error st must be discarded.
func (m *Machine) Step(st *State, ev Event) (out Output, err error) {
	if st.Status != StatusRunning {
		return Output{}, ErrNotRunning
	}
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("engine: step %d of %s: %v", ev.Kind, st.Exec.ARN, r)
		}
	}()
	st.begin(m, ev.Time)
	switch ev.Kind {
	case Stop:
		st.abort(ev.Error, ev.Cause)
	case TimerFired:
		st.timerFired(ev.ID)
	case TaskSucceeded, TaskFailed, TaskSubmitted, TaskStarted, TaskHeartbeat:
		st.taskEvent(ev)
	case UpdateMapRun:
		st.updateMapRun(ev.MapRunARN, ev.MapRunChange)
	default:
		return Output{}, fmt.Errorf("engine: unknown event kind %d", ev.Kind)
	}
	st.run()
	return st.end(), nil
}

func (st *State) begin(m *Machine, now time.Time) {
	st.m = m
	st.now = now
	st.out = &Output{}
	st.touched = st.touched[:0]
	if !m.opts.NoHistory {
		st.out.Events = make([]history.Event, 0, 16)
	}
	if st.randFn == nil {
		st.randFn = st.Rand.next
	}
}

func (st *State) end() Output {
	st.reportMapRuns()
	st.settle()
	out := *st.out
	st.out = nil
	st.runnable = st.runnable[:0]
	return out
}

func (st *State) newID() int64 {
	id := st.NextID
	st.NextID++
	return id
}

func (st *State) newThread(parent int64, prog *asl.Program, owner string, index int, input any, vars *dataflow.Vars) *Thread {
	th := &Thread{ID: st.newID(), Parent: parent, Program: prog, Owner: owner, Index: index, StateName: prog.StartAt, Input: input, Vars: vars}
	if p, ok := st.Threads[parent]; ok && p.Silent {
		th.Silent = true
	}
	st.Threads[th.ID] = th
	return th
}

// run advances every runnable thread until each waits on something
// outside the engine or has finished.
func (st *State) run() {
	for len(st.runnable) > 0 && st.Status == StatusRunning {
		id := st.runnable[0]
		st.runnable = st.runnable[1:]
		th, ok := st.Threads[id]
		if !ok {
			continue
		}
		st.advance(th)
		if th.Phase != phaseDone {
			st.yielded(th)
		}
	}
}

// advance runs th's states until it blocks or finishes.
func (st *State) advance(th *Thread) {
	for st.Status == StatusRunning {
		switch th.Phase {
		case phaseEnter:
			st.enter(th)
		case phaseRun:
			st.execute(th)
		default:
			return
		}
	}
}

// abort stops the execution at the request of StopExecution.
func (st *State) abort(errName, cause string) {
	st.finishExecution(StatusAborted, nil, &failure{Error: errName, Cause: cause, HasCause: cause != ""})
}

func (st *State) timerFired(id int64) {
	w, ok := st.Waiting[id]
	if !ok {
		return
	}
	delete(st.Waiting, id)
	if w.Kind == waitExecTimeout {
		st.finishExecution(StatusTimedOut, nil, &failure{Error: ErrorTimeout, Cause: "", HasCause: false})
		return
	}
	th, ok := st.Threads[w.Thread]
	if !ok {
		return
	}
	switch w.Kind {
	case waitWaitState:
		if th.Phase == phaseWait {
			st.exitWait(th)
		}
	case waitRetry:
		if th.Phase == phaseRetry {
			th.Phase = phaseRun
			st.runnable = append(st.runnable, th.ID)
		}
	case waitTaskTimeout, waitHeartbeat:
		if th.Phase == phaseTask && th.Task != nil {
			st.taskTimedOut(th, w.Kind == waitHeartbeat)
		}
	}
}
