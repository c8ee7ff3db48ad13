package engine

import (
	"fmt"

	"stepwise/history"
	"stepwise/jsonval"
)

// recording reports whether history events are being built.
func (st *State) recording() bool { return !st.m.opts.NoHistory }

// appendEvent gives ev the next id, prev as its previous event and the
// step's time, and records it. It returns the id.
func (st *State) appendEvent(ev history.Event, prev int64) int64 {
	id := st.NextEventID
	st.NextEventID++
	if st.recording() {
		ev.ID = id
		ev.PreviousEventID = prev
		ev.Timestamp = st.now
		st.out.Events = append(st.out.Events, ev)
	}
	return id
}

// admit reports whether the execution may record one more event before
// its final one. The history limit (AWS's 25,000 events) applies to every
// event, not only to entering a state: the last place is kept for the
// final event, so when only it is left the execution fails there with
// States.Runtime, as AWS fails it, and its history ends at exactly
// MaxEvents events. Once the execution has ended nothing more is
// recorded: the caller may still be unwinding the work that hit the limit.
func (st *State) admit() bool {
	if st.Status != StatusRunning {
		return false
	}
	if st.NextEventID < st.m.opts.MaxEvents {
		return true
	}
	st.finishExecution(StatusFailed, nil, &failure{Error: ErrorRuntime, HasCause: true,
		Cause: fmt.Sprintf("%s (%d).", historyLimitExceededCausePart, st.m.opts.MaxEvents)})
	return false
}

// settle drops what the rest of a step produced after the execution
// ended in it (timers armed and tasks invoked while unwinding the work
// that hit the history limit, say): the ending has cancelled everything
// the execution waited on, and nothing may start after it.
func (st *State) settle() {
	if st.Status == StatusRunning || st.endCommands > len(st.out.Commands) {
		return
	}
	st.out.Commands = st.out.Commands[:st.endCommands]
	clear(st.Waiting)
	clear(st.Threads)
}

// emit records an event of th. Its previous event is the last event
// recorded (AWS numbers the history of all branches and iterations of an
// execution as one sequence), and it becomes the previous event of the
// next one. fill sets the details; it is only called when history is
// recorded.
func (st *State) emit(th *Thread, typ history.EventType, fill func(*history.Event)) int64 {
	if th != nil && th.Silent {
		return 0
	}
	id := st.emitAfter(st.Prev, typ, fill)
	st.Prev = id
	return id
}

// emitAside records an event that follows the last event but does not
// become the previous event of the next one: AWS treats ExecutionStarted,
// MapIterationSucceeded, MapIterationFailed, MapStateSucceeded and
// ParallelStateSucceeded so (conformance recordings, e.g.
// test_base_scenarios test_map_state).
func (st *State) emitAside(th *Thread, typ history.EventType, fill func(*history.Event)) int64 {
	if th != nil && th.Silent {
		return 0
	}
	return st.emitAfter(st.Prev, typ, fill)
}

// emitAfter records an event whose previous event is prev. It records
// nothing, and returns 0, once the execution has ended.
func (st *State) emitAfter(prev int64, typ history.EventType, fill func(*history.Event)) int64 {
	if !st.admit() {
		return 0
	}
	if !st.recording() {
		id := st.NextEventID
		st.NextEventID++
		return id
	}
	ev := history.Event{Type: typ}
	if fill != nil {
		fill(&ev)
	}
	return st.appendEvent(ev, prev)
}

func jsonText(v any) string { return jsonval.MustMarshalString(v) }

var enteredTypes = map[string]history.EventType{
	"Pass": history.PassStateEntered, "Task": history.TaskStateEntered, "Choice": history.ChoiceStateEntered,
	"Wait": history.WaitStateEntered, "Succeed": history.SucceedStateEntered, "Fail": history.FailStateEntered,
	"Parallel": history.ParallelStateEntered, "Map": history.MapStateEntered,
}

var exitedTypes = map[string]history.EventType{
	"Pass": history.PassStateExited, "Task": history.TaskStateExited, "Choice": history.ChoiceStateExited,
	"Wait": history.WaitStateExited, "Succeed": history.SucceedStateExited,
	"Parallel": history.ParallelStateExited, "Map": history.MapStateExited,
}

// text encodes a payload for a history event, through a buffer the State
// reuses so that each payload costs one allocation.
func (st *State) text(v any) string {
	b, err := jsonval.AppendJSON(st.scratch[:0], v)
	st.scratch = b
	if err != nil {
		return err.Error()
	}
	return string(b)
}

func (st *State) emitEntered(th *Thread, typ string, name string, input any) int64 {
	return st.emit(th, enteredTypes[typ], func(e *history.Event) {
		e.Details = &history.StateEnteredEventDetails{Name: name, Input: st.text(input)}
	})
}

func (st *State) emitExited(th *Thread, typ string, name string, output any, assigned *jsonval.Object) int64 {
	return st.emit(th, exitedTypes[typ], func(e *history.Event) {
		d := &history.StateExitedEventDetails{Name: name, Output: st.text(output)}
		// AWS records assignedVariables only when something was assigned:
		// an empty Assign ("Assign": {}) leaves them out.
		if assigned.Len() > 0 {
			d.AssignedVariables = make(map[string]string, assigned.Len())
			for k, v := range assigned.All() {
				d.AssignedVariables[k] = jsonText(v)
			}
			d.AssignedVariablesDetails = &history.AssignedVariablesDetails{}
		}
		e.Details = d
	})
}
