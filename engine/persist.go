package engine

import (
	"encoding/json"
	"fmt"
	"sort"
	"time"

	"stepwise/asl"
	"stepwise/dataflow"
	"stepwise/jsonval"
)

// stateVersion is the version of the encoding MarshalState writes; Load
// refuses other versions rather than misreading them.
const stateVersion = 1

// MarshalState encodes st so that [Machine.LoadState] can restore it, for
// example after a crash. The encoding is JSON; payloads keep their exact
// text. st is not changed.
func MarshalState(st *State) ([]byte, error) {
	w := wireState{
		Version: stateVersion, Status: st.Status, Error: st.Error, Cause: st.Cause, HasCause: st.HasCause,
		NextEventID: st.NextEventID, Prev: st.Prev, NextID: st.NextID, Rand: st.Rand.S,
		Exec: wireExec{
			ARN: st.Exec.ARN, Name: st.Exec.Name, StateMachineARN: st.Exec.StateMachineARN,
			StateMachineName: st.Exec.StateMachineName, RoleARN: st.Exec.RoleARN, Region: st.Exec.Region,
			StartTime: st.Exec.StartTime, RedriveCount: st.Exec.RedriveCount, TokenKey: st.Exec.TokenKey,
			Express: st.Exec.Express,
		},
	}
	var err error
	if w.Output, err = raw(st.Output); err != nil {
		return nil, err
	}
	if w.Exec.Input, err = raw(st.Exec.Input); err != nil {
		return nil, err
	}
	ids := make([]int64, 0, len(st.Threads))
	for id := range st.Threads {
		ids = append(ids, id)
	}
	sort.Slice(ids, func(i, j int) bool { return ids[i] < ids[j] })
	for _, id := range ids {
		wt, err := encodeThread(st.Threads[id])
		if err != nil {
			return nil, fmt.Errorf("engine: encode thread %d: %w", id, err)
		}
		w.Threads = append(w.Threads, wt)
	}
	for _, th := range st.redrive {
		wt, err := encodeThread(th)
		if err != nil {
			return nil, fmt.Errorf("engine: encode redrive thread %d: %w", th.ID, err)
		}
		w.Redrive = append(w.Redrive, wt)
	}
	for id, wt := range st.Waiting {
		w.Waiting = append(w.Waiting, wireWait{ID: id, Kind: wt.Kind, Thread: wt.Thread})
	}
	sort.Slice(w.Waiting, func(i, j int) bool { return w.Waiting[i].ID < w.Waiting[j].ID })
	return json.Marshal(w)
}

// LoadState decodes a State written by [MarshalState] for an execution of
// m's definition.
func (m *Machine) LoadState(data []byte) (*State, error) {
	var w wireState
	if err := json.Unmarshal(data, &w); err != nil {
		return nil, fmt.Errorf("engine: decode state: %w", err)
	}
	if w.Version != stateVersion {
		return nil, fmt.Errorf("engine: decode state: version %d, want %d", w.Version, stateVersion)
	}
	st := &State{
		Status: w.Status, Error: w.Error, Cause: w.Cause, HasCause: w.HasCause,
		NextEventID: w.NextEventID, Prev: w.Prev, NextID: w.NextID, Rand: rng{S: w.Rand},
		Exec: Execution{
			ARN: w.Exec.ARN, Name: w.Exec.Name, StateMachineARN: w.Exec.StateMachineARN,
			StateMachineName: w.Exec.StateMachineName, RoleARN: w.Exec.RoleARN, Region: w.Exec.Region,
			StartTime: w.Exec.StartTime, RedriveCount: w.Exec.RedriveCount, TokenKey: w.Exec.TokenKey,
			Express: w.Exec.Express,
		},
		Threads: make(map[int64]*Thread, len(w.Threads)),
		Waiting: make(map[int64]wait, len(w.Waiting)),
	}
	var err error
	if st.Output, err = parseRaw(w.Output); err != nil {
		return nil, err
	}
	if st.Exec.Input, err = parseRaw(w.Exec.Input); err != nil {
		return nil, err
	}
	for _, wt := range w.Threads {
		th, err := m.decodeThread(wt)
		if err != nil {
			return nil, fmt.Errorf("engine: decode thread %d: %w", wt.ID, err)
		}
		st.Threads[th.ID] = th
	}
	for _, wt := range w.Redrive {
		th, err := m.decodeThread(wt)
		if err != nil {
			return nil, fmt.Errorf("engine: decode redrive thread %d: %w", wt.ID, err)
		}
		st.redrive = append(st.redrive, th)
	}
	for _, ww := range w.Waiting {
		st.Waiting[ww.ID] = wait{Kind: ww.Kind, Thread: ww.Thread}
	}
	return st, nil
}

type wireState struct {
	Version     int             `json:"v"`
	Status      Status          `json:"status"`
	Output      json.RawMessage `json:"output,omitempty"`
	Error       string          `json:"error,omitempty"`
	Cause       string          `json:"cause,omitempty"`
	HasCause    bool            `json:"hasCause,omitempty"`
	Exec        wireExec        `json:"exec"`
	NextEventID int64           `json:"nextEventId"`
	Prev        int64           `json:"prev"`
	NextID      int64           `json:"nextId"`
	Rand        uint64          `json:"rand"`
	Threads     []wireThread    `json:"threads,omitempty"`
	Waiting     []wireWait      `json:"waiting,omitempty"`
	// Redrive are the threads a redrive runs again (redrive.go), in id
	// order.
	Redrive []wireThread `json:"redrive,omitempty"`
}

type wireExec struct {
	ARN              string          `json:"arn"`
	Name             string          `json:"name"`
	StateMachineARN  string          `json:"stateMachineArn"`
	StateMachineName string          `json:"stateMachineName"`
	RoleARN          string          `json:"roleArn"`
	Region           string          `json:"region"`
	Input            json.RawMessage `json:"input"`
	StartTime        time.Time       `json:"startTime"`
	RedriveCount     int             `json:"redriveCount,omitempty"`
	Express          bool            `json:"express,omitempty"`
	// TokenKey is kept so that tokens made after a reload match the ones a
	// replay makes; the state is never shown to clients.
	TokenKey []byte `json:"tokenKey,omitempty"`
}

type wireWait struct {
	ID     int64    `json:"id"`
	Kind   waitKind `json:"kind"`
	Thread int64    `json:"thread"`
}

type wireThread struct {
	ID          int64             `json:"id"`
	Parent      int64             `json:"parent,omitempty"`
	Owner       string            `json:"owner,omitempty"`
	Index       int               `json:"index,omitempty"`
	StateName   string            `json:"state"`
	Phase       phase             `json:"phase"`
	Input       json.RawMessage   `json:"input"`
	Vars        []json.RawMessage `json:"vars,omitempty"` // outermost scope first
	EnteredID   int64             `json:"enteredId"`
	EnteredPrev int64             `json:"enteredPrev,omitempty"`
	EnteredTime time.Time         `json:"enteredTime"`
	Attempts    []int64           `json:"attempts,omitempty"`
	RetryCount  int64             `json:"retryCount,omitempty"`
	Task        *pendingTask      `json:"task,omitempty"`
	Fan         *wireFan          `json:"fan,omitempty"`
	MapItem     json.RawMessage   `json:"mapItem,omitempty"`
	Result      json.RawMessage   `json:"result,omitempty"`
	Failure     *failure          `json:"failure,omitempty"`
	Silent      bool              `json:"silent,omitempty"`
}

type wireFan struct {
	Map              bool              `json:"map,omitempty"`
	Children         []int64           `json:"children,omitempty"`
	Results          []json.RawMessage `json:"results"`
	Items            []json.RawMessage `json:"items,omitempty"`
	Started          int               `json:"started,omitempty"`
	Finished         int               `json:"finished,omitempty"`
	Running          int               `json:"running,omitempty"`
	MaxConc          int               `json:"maxConcurrency,omitempty"`
	Effective        json.RawMessage   `json:"effective,omitempty"`
	Failed           bool              `json:"failed,omitempty"`
	Distributed      bool              `json:"distributed,omitempty"`
	Batched          bool              `json:"batched,omitempty"`
	ToleratedCount   int64             `json:"toleratedCount"`
	ToleratedPercent float64           `json:"toleratedPercent"`
	Failures         int64             `json:"failures,omitempty"`
	Succeeded        int64             `json:"succeeded,omitempty"`
	MapRunARN        string            `json:"mapRunArn,omitempty"`
	Start            time.Time         `json:"start,omitzero"`
	ItemCount        int               `json:"itemCount,omitempty"`
	Records          []itemRecord      `json:"records,omitempty"`
}

func raw(v any) (json.RawMessage, error) {
	b, err := jsonval.Marshal(v)
	if err != nil {
		return nil, fmt.Errorf("engine: encode payload: %w", err)
	}
	return b, nil
}

func parseRaw(b json.RawMessage) (any, error) {
	if len(b) == 0 {
		return nil, nil
	}
	v, err := jsonval.Parse(b)
	if err != nil {
		return nil, fmt.Errorf("engine: decode payload: %w", err)
	}
	return v, nil
}

func rawList(vs []any) ([]json.RawMessage, error) {
	out := make([]json.RawMessage, len(vs))
	for i, v := range vs {
		b, err := raw(v)
		if err != nil {
			return nil, err
		}
		out[i] = b
	}
	return out, nil
}

func parseList(bs []json.RawMessage) ([]any, error) {
	out := make([]any, len(bs))
	for i, b := range bs {
		v, err := parseRaw(b)
		if err != nil {
			return nil, err
		}
		out[i] = v
	}
	return out, nil
}

func encodeThread(th *Thread) (wireThread, error) {
	wt := wireThread{
		ID: th.ID, Parent: th.Parent, Owner: th.Owner, Index: th.Index, StateName: th.StateName, Phase: th.Phase,
		EnteredID: th.EnteredID, EnteredPrev: th.EnteredPrev, EnteredTime: th.EnteredTime,
		Attempts: th.Attempts, RetryCount: th.RetryCount, Task: th.Task, Failure: th.Failure, Silent: th.Silent,
	}
	var err error
	if wt.Input, err = raw(th.Input); err != nil {
		return wt, err
	}
	if th.MapItem != nil {
		if wt.MapItem, err = raw(th.MapItem); err != nil {
			return wt, err
		}
	}
	if th.Phase == phaseDone {
		if wt.Result, err = raw(th.Result); err != nil {
			return wt, err
		}
	}
	var scopes []*dataflow.Vars
	for s := th.Vars; s != nil; s = s.Parent() {
		scopes = append(scopes, s)
	}
	for i := len(scopes) - 1; i >= 0; i-- {
		b, err := raw(scopes[i].Local())
		if err != nil {
			return wt, err
		}
		wt.Vars = append(wt.Vars, b)
	}
	if f := th.Fan; f != nil {
		wf := &wireFan{Map: f.Map, Children: f.Children, Started: f.Started, Finished: f.Finished, Running: f.Running,
			MaxConc: f.MaxConc, Failed: f.Failed, Distributed: f.Distributed, Batched: f.Batched, ToleratedCount: f.ToleratedCount,
			ToleratedPercent: f.ToleratedPercent, Failures: f.Failures, Succeeded: f.Succeeded, MapRunARN: f.MapRunARN, Records: f.Records, Start: f.Start, ItemCount: f.ItemCount}
		if wf.Results, err = rawList(f.Results); err != nil {
			return wt, err
		}
		if wf.Items, err = rawList(f.Items); err != nil {
			return wt, err
		}
		if wf.Effective, err = raw(f.Effective); err != nil {
			return wt, err
		}
		wt.Fan = wf
	}
	return wt, nil
}

func (m *Machine) decodeThread(wt wireThread) (*Thread, error) {
	prog, err := m.program(wt.Owner, wt.Index)
	if err != nil {
		return nil, err
	}
	if _, ok := prog.States[wt.StateName]; !ok {
		return nil, fmt.Errorf("no state %q in this definition", wt.StateName)
	}
	th := &Thread{
		ID: wt.ID, Parent: wt.Parent, Program: prog, Owner: wt.Owner, Index: wt.Index, StateName: wt.StateName,
		Phase: wt.Phase, EnteredID: wt.EnteredID, EnteredPrev: wt.EnteredPrev, EnteredTime: wt.EnteredTime,
		Attempts: wt.Attempts, RetryCount: wt.RetryCount, Task: wt.Task, Failure: wt.Failure, Silent: wt.Silent,
	}
	if th.Input, err = parseRaw(wt.Input); err != nil {
		return nil, err
	}
	if th.MapItem, err = parseRaw(wt.MapItem); err != nil {
		return nil, err
	}
	if th.Result, err = parseRaw(wt.Result); err != nil {
		return nil, err
	}
	for _, b := range wt.Vars {
		v, err := parseRaw(b)
		if err != nil {
			return nil, err
		}
		obj, _ := v.(*jsonval.Object)
		if th.Vars, err = dataflow.NewVars(th.Vars).Assign(obj); err != nil {
			return nil, err
		}
	}
	if wf := wt.Fan; wf != nil {
		f := &fanout{Map: wf.Map, Children: wf.Children, Started: wf.Started, Finished: wf.Finished, Running: wf.Running,
			MaxConc: wf.MaxConc, Failed: wf.Failed, Distributed: wf.Distributed, Batched: wf.Batched, ToleratedCount: wf.ToleratedCount,
			ToleratedPercent: wf.ToleratedPercent, Failures: wf.Failures, Succeeded: wf.Succeeded, MapRunARN: wf.MapRunARN, Records: wf.Records, Start: wf.Start, ItemCount: wf.ItemCount}
		if f.Results, err = parseList(wf.Results); err != nil {
			return nil, err
		}
		if f.Items, err = parseList(wf.Items); err != nil {
			return nil, err
		}
		if f.Effective, err = parseRaw(wf.Effective); err != nil {
			return nil, err
		}
		th.Fan = f
	}
	return th, nil
}

// program finds the states a thread runs: the top level, a Parallel
// branch or a Map's item processor.
func (m *Machine) program(owner string, index int) (*asl.Program, error) {
	if owner == "" {
		return &m.def.Program, nil
	}
	s, ok := m.def.State(owner)
	switch {
	case !ok:
		return nil, fmt.Errorf("no state %q in this definition", owner)
	case s.Parallel != nil && index >= 0 && index < len(s.Parallel.Branches):
		return s.Parallel.Branches[index], nil
	case s.Map != nil && s.Map.Processor != nil:
		return s.Map.Processor, nil
	}
	return nil, fmt.Errorf("state %q has no branch %d", owner, index)
}
