package engine

import (
	"stepwise/asl"
	"stepwise/history"
)

// yielded is called when a child thread stops to wait, so that a Map can
// start its next iteration.
func (st *State) yielded(th *Thread) {
	if th.Parent == 0 {
		return
	}
	parent, ok := st.Threads[th.Parent]
	if !ok || parent.Fan == nil || !parent.Fan.Map {
		return
	}
	st.startIteration(parent, parent.state())
}

// childFinished records a finished branch or iteration in its parent.
func (st *State) childFinished(parent, child *Thread) {
	fan := parent.Fan
	s := parent.state()
	delete(st.Threads, child.ID)
	if fan == nil || fan.Failed {
		return
	}
	fan.Running--
	if fan.Distributed {
		st.touch(parent)
	}
	if fan.Records != nil {
		fan.Records[child.Index].finish(child, st.now)
	}
	if child.Failure != nil {
		if !fan.tolerate() {
			f := child.Failure
			if fan.Distributed {
				f = &failure{Error: ErrorExceedToleratedFailure, HasCause: true, Cause: causeExceedTolerated}
			}
			st.failFan(parent, s, child, f)
			return
		}
		fan.Results[child.Index] = nil
	} else {
		fan.Results[child.Index] = child.Result
		fan.Succeeded++
	}
	fan.Finished++
	if fan.Distributed {
		if fan.Finished < len(fan.Items) {
			st.startIteration(parent, s)
			return
		}
	} else if fan.Map {
		st.emitAside(child, history.MapIterationSucceeded, func(e *history.Event) {
			e.Details = &history.MapIterationEventDetails{Name: s.Name, Index: child.Index}
		})
		if fan.Finished < len(fan.Items) {
			st.startIteration(parent, s)
			return
		}
	} else if fan.Finished < len(fan.Results) {
		return
	}
	st.finishFan(parent, s)
}

// finishFan completes a Parallel or Map state whose children all
// succeeded (or failed within a distributed Map's tolerance); a
// distributed Map with a ResultWriter first writes its results.
func (st *State) finishFan(th *Thread, s *asl.State) {
	if th.Fan.Distributed && s.Map.Writer != nil {
		st.writeResults(th, s)
		return
	}
	st.succeedFan(th, s, th.Fan.Results)
}

// succeedFan ends th's Parallel or Map state s with result.
func (st *State) succeedFan(th *Thread, s *asl.State, result any) {
	if th.Fan.Distributed {
		st.emit(th, history.MapRunSucceeded, nil)
		st.endMapRun(th, MapRunSucceeded)
	}
	if th.Fan.Map {
		// MapStateSucceeded follows the last iteration's succeeded event,
		// and what comes next follows it too.
		if !th.Silent {
			st.Prev = st.NextEventID - 1
		}
		st.emitAside(th, history.MapStateSucceeded, nil)
	} else {
		st.emitAside(th, history.ParallelStateSucceeded, nil)
	}
	th.Fan = nil
	th.Phase = phaseRun
	st.complete(th, s, st.scope(th, s, ""), nil, result, nil, s.Next)
	st.runnable = append(st.runnable, th.ID)
}

// failFan handles a failed child (nil when the Map's own ItemSelector
// failed) of a Parallel or Map state: the other children are stopped, then
// the state's Retry and Catch apply. A retried state shows no Failed event:
// it starts again (conformance test_map_state_retry_legacy,
// test_parallel_state_retry).
func (st *State) failFan(th *Thread, s *asl.State, child *Thread, f *failure) {
	fan := th.Fan
	fan.Failed = true
	// The failed child and the siblings stopped below are what a redrive
	// runs again; the children that succeeded stay in fan.Results. A Map
	// whose own ItemSelector failed (no child) is entered again whole.
	var kept []*Thread
	if child != nil {
		kept = append(kept, child)
	}
	if child != nil && fan.Map && !fan.Distributed {
		st.emitAside(child, history.MapIterationFailed, func(e *history.Event) {
			e.Details = &history.MapIterationEventDetails{Name: s.Name, Index: child.Index}
		})
	}
	for _, id := range fan.Children {
		c, ok := st.Threads[id]
		if !ok {
			continue // finished already
		}
		if fan.Map && !fan.Distributed && c != child {
			// AWS records the end of each iteration still running when
			// another one fails the Map.
			st.emitAside(c, history.MapIterationAborted, func(e *history.Event) {
				e.Details = &history.MapIterationEventDetails{Name: s.Name, Index: c.Index}
			})
		}
		kept = st.subtree(c, kept)
		st.cancelThread(c)
	}
	if child != nil && !fan.Distributed {
		th.kept = &keptFan{Fan: fan, Threads: kept}
	}
	distributed := fan.Distributed
	st.endMapRun(th, MapRunFailed)
	th.Fan = nil
	th.Phase = phaseRun
	st.runnable = append(st.runnable, th.ID)
	if f.Error == ErrorRuntime {
		st.finishExecution(StatusFailed, th, f)
		return
	}
	if distributed {
		st.emit(th, history.MapRunFailed, func(e *history.Event) {
			e.Details = &history.MapRunFailedEventDetails{Error: f.Error, Cause: f.Cause}
		})
	}
	if st.retry(th, s, f) {
		return
	}
	typ := history.ParallelStateFailed
	if s.Type == asl.TypeMap {
		typ = history.MapStateFailed
	}
	st.emit(th, typ, nil)
	if st.catch(th, s, f) {
		return
	}
	st.finishThread(th, nil, f)
}

// subtree appends th and every thread under it to list.
func (st *State) subtree(th *Thread, list []*Thread) []*Thread {
	list = append(list, th)
	if th.Fan != nil {
		for _, id := range th.Fan.Children {
			if c, ok := st.Threads[id]; ok {
				list = st.subtree(c, list)
			}
		}
	}
	return list
}

// cancelThread stops th and everything under it, cancelling their tasks
// and timers.
func (st *State) cancelThread(th *Thread) {
	if th.Fan != nil {
		for _, id := range th.Fan.Children {
			if c, ok := st.Threads[id]; ok {
				st.cancelThread(c)
			}
		}
	}
	if th.Task != nil {
		st.out.Commands = append(st.out.Commands, Command{Kind: CommandCancel, ID: th.Task.ID, Token: th.Task.Token})
		st.endTask(th)
	}
	for _, id := range st.waitingIDs() {
		if w := st.Waiting[id]; w.Thread == th.ID {
			delete(st.Waiting, id)
			st.out.Commands = append(st.out.Commands, Command{Kind: CommandCancel, ID: id})
		}
	}
	delete(st.Threads, th.ID)
}
