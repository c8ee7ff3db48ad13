package engine

import (
	"fmt"
	"strconv"
	"strings"

	"stepwise/asl"
	"stepwise/dataflow"
	"stepwise/history"
	"stepwise/jsonval"
)

func (st *State) execParallel(th *Thread, s *asl.State) {
	env := st.env(th, s, "")
	_, params, ok := st.parameters(th, s, env)
	if !ok {
		return
	}
	st.startBranches(th, s, params)
}

// startBranches starts the branches of th's Parallel state with input.
func (st *State) startBranches(th *Thread, s *asl.State, params any) {
	st.emit(th, history.ParallelStateStarted, nil)
	branches := s.Parallel.Branches
	fan := &fanout{Results: make([]any, len(branches))}
	th.Fan = fan
	th.Phase = phaseChildren
	for i, b := range branches {
		child := st.newThread(th.ID, b, s.Name, i, params, dataflow.NewVars(th.Vars))
		fan.Children = append(fan.Children, child.ID)
		st.runnable = append(st.runnable, child.ID)
	}
	fan.Running = len(branches)
}

func (st *State) execMap(th *Thread, s *asl.State) {
	if st.unsupportedMap(th, s) {
		return
	}
	m := s.Map
	env := st.env(th, s, "")
	eff, err := dataflow.ApplyInputPath(s.InputPath.Path, s.InputPath.Set, th.Input, env)
	if err != nil {
		st.failState(th, s, asFailure(err, s, th))
		return
	}
	items := eff
	if m.ItemsPath.Path != nil {
		if items, err = m.ItemsPath.Path.Eval(eff, env); err != nil {
			st.failState(th, s, asFailure(err, s, th))
			return
		}
	}
	list, ok := items.([]any)
	if !ok {
		st.failState(th, s, runtimeFailure(s, th, "Item path %s did not resolve to an array: %s", pathText(m.ItemsPath.Path), jsonText(items)))
		return
	}
	maxConc, f := st.mapConcurrency(th, s, eff, env)
	if f != nil {
		st.failState(th, s, f)
		return
	}
	st.startMap(th, s, list, maxConc, eff, func() (int64, float64, *failure) {
		count, f := st.toleratedCount(th, s, eff, env)
		if f != nil {
			return 0, 0, f
		}
		pct, f := st.toleratedPercent(th, s, eff, env)
		return count, pct, f
	})
}

// unsupportedMap fails the execution when th's Map state uses a field
// Stepwise does not carry out yet, and reports whether it did. Running the
// Map without it would give a result AWS would not: without its
// ItemReader a Map iterated over its input instead of the items the reader
// names, and without its ResultWriter the results were not written (issue
// 14). asl warns of these fields when the definition is validated.
func (st *State) unsupportedMap(th *Thread, s *asl.State) bool {
	var field string
	switch {
	case s.Map.ItemReader != nil:
		field = "ItemReader"
	case s.Map.ResultWriter != nil:
		field = "ResultWriter"
	default:
		return false
	}
	st.failState(th, s, runtimeFailure(s, th, "Stepwise does not support the Map field '%s' yet, so this Map state cannot run.", field))
	return true
}

// startMap starts the Map state of th over list. effective is what the
// ItemSelector sees as its input; tolerance evaluates the tolerated
// failures once the Map has started.
func (st *State) startMap(th *Thread, s *asl.State, list []any, maxConc int, effective any, tolerance func() (int64, float64, *failure)) {
	m := s.Map
	st.emit(th, history.MapStateStarted, func(e *history.Event) {
		e.Details = &history.MapStateStartedEventDetails{Length: len(list)}
	})
	fan := &fanout{Map: true, Items: list, Results: make([]any, len(list)), MaxConc: maxConc, Effective: effective,
		Distributed: m.Mode == asl.ModeDistributed}
	var f *failure
	if fan.ToleratedCount, fan.ToleratedPercent, f = tolerance(); f != nil {
		st.failState(th, s, f)
		return
	}
	th.Fan = fan
	th.Phase = phaseChildren
	if fan.Distributed && s.Map.Batcher != nil {
		if f := st.batch(th, s); f != nil {
			th.Fan = nil
			th.Phase = phaseRun
			st.failState(th, s, f)
			return
		}
	}
	if fan.Distributed {
		st.emit(th, history.MapRunStarted, func(e *history.Event) {
			e.Details = &history.MapRunStartedEventDetails{MapRunArn: st.mapRunARN(s)}
		})
	}
	if len(list) == 0 {
		st.finishFan(th, s)
		return
	}
	st.startIteration(th, s)
}

// mapRunARN names the Map Run of a distributed Map state.
func (st *State) mapRunARN(s *asl.State) string {
	label := s.Map.Label
	if label == "" {
		label = s.Name
	}
	arn := strings.Replace(st.Exec.StateMachineARN, ":stateMachine:", ":mapRun:", 1)
	return fmt.Sprintf("%s/%s:%s", arn, label, st.newUUID())
}

// newUUID returns a version 4 UUID drawn from the execution's random
// numbers.
func (st *State) newUUID() string {
	a, b := st.Rand.next(), st.Rand.next()
	a = a&^(0xf<<12) | 0x4<<12
	b = b&^(0x3<<62) | 0x2<<62
	return fmt.Sprintf("%08x-%04x-%04x-%04x-%012x", a>>32, (a>>16)&0xffff, a&0xffff, b>>48, b&0xffffffffffff)
}

// toleratedCount evaluates ToleratedFailureCount(Path); -1 means not set.
func (st *State) toleratedCount(th *Thread, s *asl.State, eff any, env *dataflow.Env) (int64, *failure) {
	tc := s.Map.ToleratedFailureCount
	n := tc.Value
	switch {
	case tc.Path != nil:
		v, err := tc.Path.Eval(eff, env)
		if err != nil {
			return 0, asFailure(err, s, th)
		}
		var ok bool
		if n, ok = intValue(v); !ok {
			return 0, runtimeFailure(s, th, "The ToleratedFailureCountPath field refers to value \"%s\" which is not a valid integer: %s", plainText(v), tc.Path)
		}
	case !tc.Set:
		return -1, nil
	}
	if n < 0 {
		return 0, runtimeFailure(s, th, "ToleratedFailureCount cannot be negative.")
	}
	return n, nil
}

// toleratedPercent evaluates ToleratedFailurePercentage(Path); -1 means
// not set.
func (st *State) toleratedPercent(th *Thread, s *asl.State, eff any, env *dataflow.Env) (float64, *failure) {
	tp := s.Map.ToleratedFailurePercentage
	p := tp.Value
	switch {
	case tp.Path != nil:
		v, err := tp.Path.Eval(eff, env)
		if err != nil {
			return 0, asFailure(err, s, th)
		}
		var ok bool
		if p, ok = floatValue(v); !ok {
			return 0, runtimeFailure(s, th, "The ToleratedFailurePercentagePath field refers to value \"%s\" which is not a valid float: %s", plainText(v), tp.Path)
		}
	case !tp.Set:
		return -1, nil
	}
	if p < 0 || p > 100 {
		return 0, runtimeFailure(s, th, "ToleratedFailurePercentage must be between 0 and 100.")
	}
	return p, nil
}

// intValue reads an integer from a number or from a string holding one, as
// AWS does for the ...Path fields of a Map.
func intValue(v any) (int64, bool) {
	if s, ok := v.(string); ok {
		n, err := strconv.ParseInt(strings.TrimSpace(s), 10, 64)
		return n, err == nil
	}
	return jsonval.Int(v)
}

func floatValue(v any) (float64, bool) {
	if s, ok := v.(string); ok {
		f, err := strconv.ParseFloat(strings.TrimSpace(s), 64)
		return f, err == nil
	}
	return jsonval.Float(v)
}

func pathText(p *dataflow.Path) string {
	if p == nil {
		return "$"
	}
	return p.String()
}

func (st *State) mapConcurrency(th *Thread, s *asl.State, eff any, env *dataflow.Env) (int, *failure) {
	mc := s.Map.MaxConcurrency
	if mc.Path == nil {
		return int(mc.Value), nil
	}
	v, err := mc.Path.Eval(eff, env)
	if err != nil {
		return 0, asFailure(err, s, th)
	}
	n, ok := intValue(v)
	if !ok || n < 0 {
		return 0, runtimeFailure(s, th, "The MaxConcurrencyPath field refers to value \"%s\" which is not a valid integer: %s", plainText(v), mc.Path)
	}
	return int(n), nil
}

// startIteration starts the next item of a Map, if concurrency allows.
// Iterations start one at a time: the next one starts when the previous one
// waits or finishes, and follows from its last event, as AWS's history
// shows for inline Maps.
func (st *State) startIteration(parent *Thread, s *asl.State) {
	fan := parent.Fan
	if fan.Failed || fan.Started >= len(fan.Items) || (fan.MaxConc > 0 && fan.Running >= fan.MaxConc) {
		return
	}
	i := fan.Started
	fan.Started++
	fan.Running++
	item := fan.Items[i]
	input := item
	m := s.Map
	if !fan.Batched {
		var f *failure
		if input, f = st.itemInput(parent, s, i, item); f != nil {
			fan.Running--
			st.failFan(parent, s, nil, f)
			return
		}
	}
	child := st.newThread(parent.ID, m.Processor, s.Name, i, input, dataflow.NewVars(parent.Vars))
	child.MapItem = item
	fan.Children = append(fan.Children, child.ID)
	if fan.Distributed {
		// A distributed Map runs its items as child executions, whose
		// events are not part of this history.
		child.Silent = true
	} else {
		st.emit(child, history.MapIterationStarted, func(e *history.Event) {
			e.Details = &history.MapIterationEventDetails{Name: s.Name, Index: i}
		})
	}
	st.runnable = append(st.runnable, child.ID)
}

// itemInput applies the Map's ItemSelector to item i, with $$.Map.Item
// set; without an ItemSelector the item is the input.
func (st *State) itemInput(parent *Thread, s *asl.State, i int, item any) (any, *failure) {
	m, fan := s.Map, parent.Fan
	switch {
	case m.ItemSelectorJSONata != nil:
		ctx := withMapItem(st.contextObject(parent, s, ""), i, item)
		ctxObj, _ := ctx.(*jsonval.Object)
		v, err := m.ItemSelectorJSONata.Eval("ItemSelector", st.jsonataEnv(parent, fan.Effective, ctxObj, nil))
		if err != nil {
			return nil, st.jfailure(parent, s, err, "ItemSelector")
		}
		return v, nil
	case m.ItemSelector != nil:
		env := st.env(parent, s, "")
		if env.Context == nil {
			env.Context = st.contextObject(parent, s, "")
		}
		env.Context = withMapItem(env.Context, i, item)
		v, err := m.ItemSelector.Compiled.Eval(fan.Effective, env)
		if err != nil {
			return nil, asFailure(err, s, parent)
		}
		return v, nil
	}
	return item, nil
}

// batch groups a distributed Map's items, after ItemSelector, as its
// ItemBatcher says: each child then gets {"BatchInput": ..., "Items": [...]}.
func (st *State) batch(th *Thread, s *asl.State) *failure {
	b, fan := s.Map.Batcher, th.Fan
	maxItems, maxBytes := int64(0), int64(0)
	var batchInput any
	var f *failure
	if s.QueryLanguage == asl.JSONata {
		env := st.jenv(th, s, "", nil)
		if maxItems, f = st.jint(th, s, b.MaxItemsPerBatch, "MaxItemsPerBatch", env); f != nil {
			return f
		}
		if maxBytes, f = st.jint(th, s, b.MaxInputBytesPerBatch, "MaxInputBytesPerBatch", env); f != nil {
			return f
		}
		if b.BatchInputJSONata != nil {
			v, err := b.BatchInputJSONata.Eval("BatchInput", env)
			if err != nil {
				return st.jfailure(th, s, err, "BatchInput")
			}
			batchInput = v
		}
	} else {
		env := st.env(th, s, "")
		if maxItems, f = st.seconds(th, s, b.MaxItemsPerBatch, fan.Effective, env, "MaxItemsPerBatchPath"); f != nil {
			return f
		}
		if maxBytes, f = st.seconds(th, s, b.MaxInputBytesPerBatch, fan.Effective, env, "MaxInputBytesPerBatchPath"); f != nil {
			return f
		}
		if b.BatchInput != nil {
			v, err := b.BatchInput.Compiled.Eval(fan.Effective, env)
			if err != nil {
				return asFailure(err, s, th)
			}
			batchInput = v
		}
	}
	inputs := make([]any, len(fan.Items))
	for i, item := range fan.Items {
		in, f := st.itemInput(th, s, i, item)
		if f != nil {
			return f
		}
		inputs[i] = in
	}
	batches := Batches(inputs, maxItems, maxBytes, batchInput)
	fan.Items, fan.Results, fan.Batched = batches, make([]any, len(batches)), true
	return nil
}

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
	if child.Failure != nil {
		if !fan.tolerate() {
			f := child.Failure
			if fan.Distributed {
				f = &failure{Error: ErrorExceedToleratedFailure, HasCause: true,
					Cause: "The specified tolerated failure threshold was exceeded"}
			}
			st.failFan(parent, s, child, f)
			return
		}
		fan.Results[child.Index] = nil
	} else {
		fan.Results[child.Index] = child.Result
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

// finishFan completes a Parallel or Map state whose children all succeeded.
func (st *State) finishFan(th *Thread, s *asl.State) {
	if th.Fan.Distributed {
		st.emit(th, history.MapRunSucceeded, nil)
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
	results := th.Fan.Results
	th.Fan = nil
	th.Phase = phaseRun
	if s.QueryLanguage == asl.JSONata {
		st.jcomplete(th, s, results, "")
	} else {
		st.complete(th, s, results, st.env(th, s, ""), nil)
	}
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
		st.cancelThread(c)
	}
	distributed := fan.Distributed
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

var _ = fmt.Sprint

// Batches groups a Map's items as its ItemBatcher does: objects
// {"BatchInput": batchInput, "Items": [...]} (BatchInput only when not
// nil) of at most maxItems items and, beyond the first item of a batch, at
// most maxBytes bytes of items' JSON; 0 means no limit. The TestState
// action (package teststate) groups a tested Map's items with it too.
func Batches(items []any, maxItems, maxBytes int64, batchInput any) []any {
	batches := []any{}
	var cur []any
	size := 0
	flush := func() {
		if len(cur) == 0 {
			return
		}
		o := jsonval.NewObject(2)
		if batchInput != nil {
			o.Set("BatchInput", batchInput)
		}
		o.Set("Items", cur)
		batches = append(batches, o)
		cur, size = nil, 0
	}
	for _, item := range items {
		n := jsonval.Size(item)
		if (maxItems > 0 && int64(len(cur)) >= maxItems) || (maxBytes > 0 && len(cur) > 0 && int64(size+n) > maxBytes) {
			flush()
		}
		cur = append(cur, item)
		size += n
	}
	flush()
	return batches
}
