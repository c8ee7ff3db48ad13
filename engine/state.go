package engine

import (
	"slices"
	"time"

	"stepwise/asl"
	"stepwise/dataflow"
)

// State is the state of one execution between two Steps. The caller owns
// it: Step updates it in place, and the caller persists it with the
// events of that Step.
type State struct {
	Status Status
	Output any    // when SUCCEEDED
	Error  string // when FAILED, TIMED_OUT or ABORTED
	Cause  string
	// HasCause tells an empty cause from none.
	HasCause bool

	Exec Execution

	NextEventID int64 // id of the next history event
	Prev        int64 // the id the next event names as its previous event
	NextID      int64 // next task or timer id
	Rand        rng   // jitter, UUIDs and $random; never task tokens

	Threads map[int64]*Thread
	// Waiting maps a task or timer id to what waits on it.
	Waiting map[int64]wait

	// runnable threads, in the order they became runnable; only used during
	// a Step.
	runnable []int64
	out      *Output
	now      time.Time
	m        *Machine
	scopeBuf asl.Scope
	scratch  []byte
	randFn   func() uint64

	// touched are the threads whose Map Run changed in this step.
	touched []int64
	// endCommands is how many of out.Commands the step had made when the
	// execution ended; the rest are dropped (see settle).
	endCommands int

	// redrive is, once a Standard execution has ended FAILED, TIMED_OUT or
	// ABORTED, the threads that had not succeeded, in id order, for
	// [Machine.Redrive] (redrive.go).
	redrive []*Thread
}

// Execution identifies an execution and holds what the context object's
// Execution and StateMachine members report.
type Execution struct {
	ARN              string
	Name             string
	StateMachineARN  string
	StateMachineName string
	RoleARN          string
	Region           string
	Input            any
	StartTime        time.Time
	RedriveCount     int
	// Express is set for an Express execution, whose context object has
	// no Execution.RedriveCount (Express executions cannot be redriven).
	Express bool
	// TokenKey is the execution's secret for task tokens: at least
	// [MinTokenKeyLen] bytes from crypto/rand, chosen by the caller once and
	// kept with the execution's state. Tokens are MACs under it, so no
	// value an execution can see (its random numbers, UUIDs, other tokens)
	// tells one token from another.
	TokenKey []byte
}

// MinTokenKeyLen is the shortest [Execution.TokenKey] Start accepts.
const MinTokenKeyLen = 16

type waitKind int

const (
	waitTask waitKind = iota + 1
	waitTaskTimeout
	waitHeartbeat
	waitRetry
	waitWaitState
	waitExecTimeout
)

type wait struct {
	Kind   waitKind
	Thread int64
}

type phase int

const (
	phaseEnter    phase = iota // about to enter State
	phaseRun                   // entered; run the state's work (again after a retry)
	phaseTask                  // waiting for a task result
	phaseWait                  // waiting for a Wait state's timer
	phaseRetry                 // waiting for a retry back-off timer
	phaseChildren              // waiting for Parallel branches or Map iterations
	phaseDone                  // finished (Result or Failure set)
	phaseMapIO                 // a distributed Map waiting for its ItemReader or ResultWriter
)

// Thread is one line of execution: the top level, a Parallel branch or a
// Map iteration.
type Thread struct {
	ID     int64
	Parent int64 // 0 for the top level
	// Program is the states this thread runs in.
	Program *asl.Program
	// Owner is the Parallel or Map state that started this thread (empty
	// for the top level); Index the branch or item index.
	Owner string
	Index int

	StateName   string
	Phase       phase
	Input       any // the current state's raw input
	Vars        *dataflow.Vars
	EnteredID   int64
	EnteredPrev int64 // the previous event of the entered event
	EnteredTime time.Time
	Attempts    []int64 // retries used, per retrier of the current state
	RetryCount  int64

	// Task bookkeeping while phaseTask.
	Task *pendingTask

	// Fan is the bookkeeping of a Parallel or Map state this thread runs.
	Fan *fanout

	// MapItem is the item of a Map iteration thread.
	MapItem any

	Result  any
	Failure *failure
	// Silent threads record no history: the items of a distributed Map,
	// which AWS runs as child executions.
	Silent bool

	// kept holds, while the failure of this thread's Parallel or Map state
	// propagates within a step, its fan and the children that had not
	// succeeded, so that a redrive can run only those again. A Retry or a
	// Catch that takes the failure drops it; it never outlives the step.
	kept *keptFan
}

// keptFan is a failed Parallel or Map state's fan and its unsuccessful
// children (with their own threads below them).
type keptFan struct {
	Fan     *fanout
	Threads []*Thread
}

type pendingTask struct {
	ID          int64
	Kind        ResourceKind
	Resource    string
	TimerIDs    []int64
	Token       string
	Submitted   bool
	Heartbeat   int64
	HeartbeatID int64
}

type fanout struct {
	Map       bool
	Children  []int64
	Results   []any
	Items     []any
	Started   int
	Finished  int
	Running   int
	MaxConc   int
	Effective any
	Failed    bool
	// Distributed Maps run items as child executions.
	Distributed bool
	// Batched: Items are already batch inputs (ItemBatcher).
	Batched bool
	// ToleratedCount and ToleratedPercent are the Map's failure
	// tolerance; -1 when not set.
	ToleratedCount   int64
	ToleratedPercent float64
	Failures         int64
	Succeeded        int64 // a distributed Map's children that succeeded
	// MapRunARN names a distributed Map's run, which started at Start.
	MapRunARN string
	Start     time.Time
	// ItemCount is the number of items before an ItemBatcher grouped
	// them.
	ItemCount int
	// Records, for a distributed Map with a ResultWriter, say how each
	// started child execution went, by index.
	Records []itemRecord
}

// tolerate counts a failed item and reports whether the Map may go on.
func (f *fanout) tolerate() bool {
	if !f.Distributed || (f.ToleratedCount < 0 && f.ToleratedPercent < 0) {
		return false
	}
	f.Failures++
	return tolerated(f.Failures, f.ToleratedCount, f.ToleratedPercent, len(f.Items))
}

// tolerated reports whether failures failed items of a Map with items
// items stay within its ToleratedFailureCount count or its
// ToleratedFailurePercentage pct (each -1 when not set).
func tolerated(failures, count int64, pct float64, items int) bool {
	if count >= 0 && failures <= count {
		return true
	}
	return pct >= 0 && float64(failures)*100/float64(items) <= pct
}

// causeExceedTolerated is the cause of States.ExceedToleratedFailureThreshold.
const causeExceedTolerated = "The specified tolerated failure threshold was exceeded"

// failure is an ASL error raised in a state.
type failure struct {
	Error    string
	Cause    string
	HasCause bool
}

// rng is a small deterministic generator (SplitMix64) whose whole state is
// one number, so it persists with the execution.
type rng struct {
	S uint64
}

func (r *rng) next() uint64 {
	r.S += 0x9e3779b97f4a7c15
	z := r.S
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9
	z = (z ^ (z >> 27)) * 0x94d049bb133111eb
	return z ^ (z >> 31)
}

// float returns a number in [0, 1).
func (r *rng) float() float64 {
	return float64(r.next()>>11) / (1 << 53)
}

// waitingIDs returns the ids the execution waits on, in increasing order,
// so that commands derived from them come out in the same order on every
// run.
func (st *State) waitingIDs() []int64 {
	ids := make([]int64, 0, len(st.Waiting))
	for id := range st.Waiting {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	return ids
}
