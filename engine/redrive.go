package engine

import (
	"errors"
	"fmt"
	"slices"
	"time"

	"stepwise/history"
)

// This file holds redrive: when a Standard execution ends FAILED,
// TIMED_OUT or ABORTED its State keeps the threads that had not succeeded
// (keepForRedrive), and Redrive runs them again from the states they were
// in, with the input and variables those states were entered with. The
// threads that succeeded are not run again: their results stay in their
// Parallel or Map parent's fan (AWS: "only the iterations and branches
// that failed or aborted").

// ErrNotRedrivable is returned (wrapped, with the reason) by
// [Machine.Redrive] and [Machine.CheckRedrive] for an execution that
// cannot be redriven.
var ErrNotRedrivable = errors.New("engine: execution cannot be redriven")

// ErrHistoryFull is wrapped, with [ErrNotRedrivable], by
// [Machine.CheckRedrive] for an execution whose history has no room for a
// redrive's events.
var ErrHistoryFull = errors.New("engine: history event limit reached")

// keepForRedrive records the execution's threads as they are when it
// ends, with the unsuccessful children that failed Parallel and Map states
// kept (failFan), flattened in id order (a child's id is always greater
// than its parent's).
func (st *State) keepForRedrive() {
	seen := make(map[int64]bool, len(st.Threads))
	var all []*Thread
	var add func(th *Thread)
	add = func(th *Thread) {
		if seen[th.ID] || th.Silent {
			// A distributed Map's items are not kept: the Map runs
			// again whole (restore).
			return
		}
		seen[th.ID] = true
		all = append(all, th)
		if k := th.kept; k != nil {
			th.kept = nil
			th.Fan = k.Fan
			for _, c := range k.Threads {
				add(c)
			}
		}
	}
	for _, th := range st.Threads {
		add(th)
	}
	slices.SortFunc(all, func(a, b *Thread) int { return int(a.ID - b.ID) })
	st.redrive = all
}

// CheckRedrive reports, as an error wrapping [ErrNotRedrivable] that says
// why, whether st cannot be redriven: it is running or succeeded, it is an
// Express execution, nothing is left to run again, or its history has no
// room for more events. It returns nil when [Machine.Redrive] would
// proceed.
func (m *Machine) CheckRedrive(st *State) error {
	switch {
	case st.Status == StatusRunning:
		return fmt.Errorf("%w: execution is RUNNING", ErrNotRedrivable)
	case st.Status == StatusSucceeded:
		return fmt.Errorf("%w: execution is SUCCEEDED", ErrNotRedrivable)
	case st.Exec.Express:
		return fmt.Errorf("%w: Express executions cannot be redriven", ErrNotRedrivable)
	case len(st.redrive) == 0:
		return fmt.Errorf("%w: no unsuccessful state to run again", ErrNotRedrivable)
	case st.NextEventID+2 > m.opts.MaxEvents:
		// ExecutionRedriven and at least one state's entered event must
		// fit below the history limit.
		return fmt.Errorf("%w: %w (%d events)", ErrNotRedrivable, ErrHistoryFull, m.opts.MaxEvents)
	}
	return nil
}

// Redrive restarts an execution that ended FAILED, TIMED_OUT or ABORTED
// from the states that did not succeed: it sets st RUNNING, adds one to
// its Exec.RedriveCount, records ExecutionRedriven, arms the definition's
// TimeoutSeconds again from now, and enters again every state that had not
// succeeded (within a Parallel or an inline Map only the branches and
// iterations that failed or were stopped; a distributed Map runs again
// whole). The caller commits the returned Output as a Step's.
//
// It returns an error wrapping [ErrNotRedrivable] (st unchanged) when
// [Machine.CheckRedrive] refuses; on any other error st must be discarded.
func (m *Machine) Redrive(st *State, now time.Time) (out Output, err error) {
	if st.m == nil {
		st.m = m
	}
	if err := m.CheckRedrive(st); err != nil {
		return Output{}, err
	}
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("engine: redrive %s: %v", st.Exec.ARN, r)
		}
	}()
	st.begin(m, now)
	st.Status = StatusRunning
	st.Output, st.Error, st.Cause, st.HasCause = nil, "", "", false
	st.endCommands = 0
	st.Exec.RedriveCount++
	threads := st.redrive
	st.redrive = nil
	// ExecutionRedriven follows the execution's final event.
	st.Prev = st.NextEventID - 1
	count := st.Exec.RedriveCount
	st.emit(nil, history.ExecutionRedriven, func(e *history.Event) {
		e.Details = &history.ExecutionRedrivenEventDetails{RedriveCount: count}
	})
	// AWS's documentation does not say whether a redrive restarts the
	// execution's TimeoutSeconds; it is armed again in full from the
	// redrive, or a TIMED_OUT execution could never be redriven.
	if timeout := m.executionTimeout(st.Exec); timeout > 0 {
		id := st.newID()
		st.Waiting[id] = wait{Kind: waitExecTimeout}
		st.out.Commands = append(st.out.Commands, Command{Kind: CommandTimer, ID: id, Due: after(now, timeout)})
	}
	st.restore(threads)
	st.run()
	return st.end(), nil
}

// restore puts the kept threads back: a Parallel or inline Map parent
// waits on its restored children again with the results of those that
// succeeded; every other thread enters its current state again.
func (st *State) restore(threads []*Thread) {
	kept := make(map[int64]*Thread, len(threads))
	var order []*Thread
	for _, th := range threads {
		if th.Parent != 0 {
			if p, ok := kept[th.Parent]; !ok || p.Fan == nil {
				continue // under a state that is entered again whole
			}
		}
		if th.Fan != nil && th.Fan.Distributed {
			// Its items ran as child executions of a Map Run that has
			// ended; the Map starts a new run.
			th.Fan = nil
		}
		th.Task, th.Failure, th.Result, th.kept = nil, nil, nil, nil
		if th.Fan != nil {
			th.Phase = phaseChildren
			th.Fan.Failed = false
			th.Fan.Running = 0
		}
		kept[th.ID] = th
		order = append(order, th)
		if th.Parent != 0 {
			kept[th.Parent].Fan.Running++
		}
	}
	for _, th := range order {
		if th.Fan != nil && th.Fan.Running == 0 {
			th.Fan = nil // nothing of it is left to wait on
		}
		if th.Fan == nil {
			th.Phase = phaseEnter
		}
		st.Threads[th.ID] = th
	}
	for _, th := range order {
		if p := st.Threads[th.Parent]; th.Parent != 0 && p.Fan.Map && !th.Silent {
			// The iteration ran before and ended failed or aborted; it
			// starts again.
			st.emit(th, history.MapIterationStarted, func(e *history.Event) {
				e.Details = &history.MapIterationEventDetails{Name: p.StateName, Index: th.Index}
			})
		}
		if th.Fan == nil {
			st.runnable = append(st.runnable, th.ID)
		}
	}
}
