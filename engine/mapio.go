package engine

import (
	"fmt"
	"strings"
	"time"

	"stepwise/asl"
	"stepwise/dataflow"
	"stepwise/history"
	"stepwise/jsonval"
)

// A distributed Map reads its items with its ItemReader and writes its
// results with its ResultWriter through invocations of the kinds
// ResourceItemReader and ResourceResultWriter. The caller carries them
// out like tasks (the S3 access is I/O, outside the engine); the history
// shows no Task events for them, since on AWS they are part of the Map
// Run.
//
// The reader's invocation has the reader's Resource and the input
// {"Parameters": ..., "ReaderConfig": ...}: the evaluated Parameters or
// Arguments, and the ReaderConfig with MaxItems resolved (absent when not
// set). Its result is the items, an array.
//
// The writer's invocation has the writer's Resource (empty for a
// WriterConfig alone) and the input {"Parameters", "WriterConfig",
// "MapRunArn", "Results"}; Results are the child executions' records (see
// itemRecord.object), in item order. Its result is the Map's result.

// ResultRecord members, as AWS writes each child execution in a
// ResultWriter's result files.
const (
	recordStatusSucceeded = "SUCCEEDED"
	recordStatusFailed    = "FAILED"
)

// itemRecord is what a distributed Map with a ResultWriter remembers of
// one child execution.
type itemRecord struct {
	Name   string    `json:"name"`
	Input  string    `json:"input"` // JSON text
	Status string    `json:"status,omitempty"`
	Error  string    `json:"error,omitempty"`
	Cause  string    `json:"cause,omitempty"`
	Start  time.Time `json:"start"`
	Stop   time.Time `json:"stop"`
}

// readItems starts reading th's Map items with the state's ItemReader.
func (st *State) readItems(th *Thread, s *asl.State) {
	sc := st.scope(th, s, "")
	eff, err := effectiveInput(sc, s)
	if err != nil {
		st.failState(th, s, st.failure(th, s, err))
		return
	}
	in, err := readerInput(sc, s, eff)
	if err != nil {
		st.failState(th, s, st.failure(th, s, err))
		return
	}
	st.startMapIO(th, s, ResourceItemReader, s.Map.Reader.Resource, in)
}

// readerInput evaluates Map state s's ItemReader against eff.
func readerInput(sc *asl.Scope, s *asl.State, eff any) (*jsonval.Object, error) {
	r := s.Map.Reader
	params, err := s.Flow.MapIOArguments(sc, eff, r)
	if err != nil {
		return nil, err
	}
	maxItems, err := s.Flow.Int(sc, eff, asl.FieldMaxItems)
	if err != nil {
		return nil, err
	}
	if maxItems < 0 {
		return nil, &dataflow.Failure{Name: ErrorRuntime, Cause: fmt.Sprintf("The MaxItems field must be a non-negative integer, got %d", maxItems)}
	}
	cfg := jsonval.NewObject(4)
	if r.Config != nil {
		for k, v := range r.Config.All() {
			if k != "MaxItems" && k != "MaxItemsPath" {
				cfg.Set(k, v)
			}
		}
	}
	if maxItems > 0 {
		cfg.Set("MaxItems", float64(maxItems))
	}
	in := jsonval.NewObject(2)
	if params != nil {
		in.Set("Parameters", params)
	}
	in.Set("ReaderConfig", cfg)
	return in, nil
}

// startMapIO has the caller carry out th's reader or writer invocation.
func (st *State) startMapIO(th *Thread, s *asl.State, kind ResourceKind, res string, input any) {
	id := st.newID()
	st.Waiting[id] = wait{Kind: waitTask, Thread: th.ID}
	th.Task = &pendingTask{ID: id, Kind: kind, Resource: res}
	th.Phase = phaseMapIO
	st.out.Commands = append(st.out.Commands, Command{Kind: CommandInvoke, ID: id,
		Invoke: &Invocation{StateName: s.Name, Resource: res, Input: input, Kind: kind}})
}

// mapIOEvent applies the outcome of a reader's or writer's invocation to
// the Map thread waiting on it.
func (st *State) mapIOEvent(th *Thread, ev Event) {
	if ev.Kind != TaskSucceeded && ev.Kind != TaskFailed {
		return
	}
	kind := th.Task.Kind
	st.endTask(th)
	th.Phase = phaseRun
	st.runnable = append(st.runnable, th.ID)
	s := th.state()
	if kind == ResourceItemReader {
		st.itemsRead(th, s, ev)
		return
	}
	st.resultsWritten(th, s, ev)
}

// itemsRead starts the Map over the items its reader read, or fails it.
func (st *State) itemsRead(th *Thread, s *asl.State, ev Event) {
	if ev.Kind == TaskFailed {
		st.emit(th, history.MapStateFailed, nil)
		st.failState(th, s, &failure{Error: ev.Error, Cause: ev.Cause, HasCause: ev.Cause != ""})
		return
	}
	list, ok := ev.Output.([]any)
	if !ok {
		st.emit(th, history.MapStateFailed, nil)
		st.failState(th, s, &failure{Error: ErrorItemReaderFailed, HasCause: true,
			Cause: "The item reader did not return a list of items"})
		return
	}
	sc := st.scope(th, s, "")
	eff, err := effectiveInput(sc, s)
	if err != nil {
		st.failState(th, s, st.failure(th, s, err))
		return
	}
	st.mapOver(th, s, sc, eff, list)
}

// writeResults hands a finished distributed Map's results to its
// ResultWriter.
func (st *State) writeResults(th *Thread, s *asl.State) {
	fan := th.Fan
	sc := st.scope(th, s, "")
	w := s.Map.Writer
	params, err := s.Flow.MapIOArguments(sc, fan.Effective, w)
	if err != nil {
		st.failFan(th, s, nil, st.failure(th, s, err))
		return
	}
	in := jsonval.NewObject(4)
	if params != nil {
		in.Set("Parameters", params)
	}
	if w.Config != nil {
		in.Set("WriterConfig", w.Config)
	}
	in.Set("MapRunArn", fan.MapRunARN)
	results := make([]any, len(fan.Records))
	for i, rec := range fan.Records {
		results[i] = st.recordObject(fan, i, rec)
	}
	in.Set("Results", results)
	st.startMapIO(th, s, ResourceResultWriter, w.Resource, in)
}

// recordObject is child i's record as the writer's invocation gets it:
// AWS's members of a ResultWriter result file, Input and Output as JSON
// text.
func (st *State) recordObject(fan *fanout, i int, rec itemRecord) *jsonval.Object {
	o := jsonval.NewObject(12)
	o.Set("ExecutionArn", childARN(fan.MapRunARN, ":execution:", rec.Name))
	o.Set("Input", rec.Input)
	o.Set("Name", rec.Name)
	if rec.Status == recordStatusSucceeded {
		o.Set("Output", jsonText(fan.Results[i]))
	} else {
		o.Set("Error", rec.Error)
		o.Set("Cause", rec.Cause)
	}
	o.Set("StartDate", timestamp(rec.Start))
	o.Set("StateMachineArn", childARN(fan.MapRunARN, ":stateMachine:", ""))
	o.Set("Status", rec.Status)
	o.Set("StopDate", timestamp(rec.Stop))
	return o
}

// childARN derives from a Map Run ARN
// (arn:aws:states:REGION:ACCOUNT:mapRun:MACHINE/LABEL:RUN) the ARN of its
// state machine (kind ":stateMachine:", name empty: ...:MACHINE/LABEL) or
// of a child execution (kind ":execution:": ...:MACHINE/LABEL:NAME), as
// AWS names a Map Run's children.
func childARN(mapRunARN, kind, name string) string {
	arn := strings.Replace(mapRunARN, ":mapRun:", kind, 1)
	if i := strings.LastIndexByte(arn, ':'); i > 0 {
		arn = arn[:i]
	}
	if name == "" {
		return arn
	}
	return arn + ":" + name
}

// resultsWritten ends the Map with what its ResultWriter returned.
func (st *State) resultsWritten(th *Thread, s *asl.State, ev Event) {
	if th.Fan == nil {
		return
	}
	if ev.Kind == TaskFailed {
		st.failFan(th, s, nil, &failure{Error: ev.Error, Cause: ev.Cause, HasCause: ev.Cause != ""})
		return
	}
	th.Fan.Results = nil
	st.succeedFan(th, s, ev.Output)
}

// finish records how child, the thread of this record's item, ended at
// now.
func (r *itemRecord) finish(child *Thread, now time.Time) {
	r.Stop = now
	if child.Failure == nil {
		r.Status = recordStatusSucceeded
		return
	}
	r.Status, r.Error, r.Cause = recordStatusFailed, child.Failure.Error, child.Failure.Cause
}
