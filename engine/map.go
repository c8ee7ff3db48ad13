package engine

import (
	"fmt"
	"strings"

	"stepwise/asl"
	"stepwise/dataflow"
	"stepwise/history"
	"stepwise/jsonval"
)

// execMap starts a Map state over its items: those its ItemReader reads
// (mapio.go) or those of its input. How its iterations end is in fan.go.
func (st *State) execMap(th *Thread, s *asl.State) {
	if s.Map.Reader != nil {
		st.readItems(th, s)
		return
	}
	sc := st.scope(th, s, "")
	eff, err := effectiveInput(sc, s)
	if err != nil {
		st.failState(th, s, st.failure(th, s, err))
		return
	}
	list, err := s.Flow.Items(sc, eff)
	if err != nil {
		f := st.failure(th, s, err)
		if f.Error != ErrorRuntime {
			// AWS records MapStateFailed before Retry and Catch apply when
			// a Map's items cannot be read (conformance
			// test_map_state_items_input_types); States.Runtime (an
			// ItemsPath that selects no array) ends the execution at once.
			st.emit(th, history.MapStateFailed, nil)
		}
		st.failState(th, s, f)
		return
	}
	st.mapOver(th, s, sc, eff, list)
}

// mapOver starts th's Map state s over list; eff is its effective input.
func (st *State) mapOver(th *Thread, s *asl.State, sc *asl.Scope, eff any, list []any) {
	maxConc, err := maxConcurrency(sc, s, eff)
	if err != nil {
		st.failState(th, s, st.failure(th, s, err))
		return
	}
	st.startMap(th, s, sc, list, int(maxConc), eff)
}

// maxConcurrency evaluates a Map's MaxConcurrency and reports it.
func maxConcurrency(sc *asl.Scope, s *asl.State, eff any) (int64, error) {
	n, err := s.Flow.Int(sc, eff, asl.FieldMaxConcurrency)
	if err == nil {
		sc.Report(asl.StageMaxConcurrency, n)
	}
	return n, err
}

// tolerance evaluates a Map's ToleratedFailureCount and
// ToleratedFailurePercentage (-1 when not set) and reports them.
func tolerance(sc *asl.Scope, s *asl.State, eff any) (count int64, pct float64, err error) {
	if count, err = s.Flow.Int(sc, eff, asl.FieldToleratedFailureCount); err != nil {
		return 0, 0, err
	}
	sc.Report(asl.StageToleratedFailureCount, count)
	if pct, err = s.Flow.Float(sc, eff, asl.FieldToleratedFailurePercentage); err != nil {
		return 0, 0, err
	}
	sc.Report(asl.StageToleratedFailurePercentage, pct)
	return count, pct, nil
}

// startMap starts the Map state of th over list. eff, the effective input,
// is what the ItemSelector sees as its input; the tolerated failures are
// evaluated in sc once the Map has started.
func (st *State) startMap(th *Thread, s *asl.State, sc *asl.Scope, list []any, maxConc int, eff any) {
	m := s.Map
	st.emit(th, history.MapStateStarted, func(e *history.Event) {
		e.Details = &history.MapStateStartedEventDetails{Length: len(list)}
	})
	fan := &fanout{Map: true, Items: list, Results: make([]any, len(list)), MaxConc: maxConc, Effective: eff,
		Distributed: m.Mode == asl.ModeDistributed}
	var err error
	if fan.ToleratedCount, fan.ToleratedPercent, err = tolerance(sc, s, eff); err != nil {
		st.failState(th, s, st.failure(th, s, err))
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
		fan.MapRunARN, fan.Start = st.mapRunARN(s), st.now
		st.touch(th)
		st.emit(th, history.MapRunStarted, func(e *history.Event) {
			e.Details = &history.MapRunStartedEventDetails{MapRunArn: fan.MapRunARN}
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
		st.touch(parent)
		if m.Writer != nil {
			fan.Records = append(fan.Records, itemRecord{Name: st.newUUID(), Input: jsonText(input), Start: st.now})
		}
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
	if !s.Flow.HasItemSelector() {
		return item, nil
	}
	sc := &st.scopeBuf
	sc.Reset(parent.Fan.Effective, st.now, parent.Vars, st.randFn)
	v, err := selectItem(sc, s, st.contextObject(parent, s, ""), i, item)
	if err != nil {
		return nil, st.failure(parent, s, err)
	}
	return v, nil
}

// selectItem evaluates Map state s's ItemSelector for item i in sc, whose
// Input is the Map's effective input, with ctx and $$.Map.Item.
func selectItem(sc *asl.Scope, s *asl.State, ctx *jsonval.Object, i int, item any) (any, error) {
	sc.Context = withMapItem(ctx, i, item)
	return s.Flow.ItemSelector(sc)
}

// batch groups a distributed Map's items, after ItemSelector, as its
// ItemBatcher says: each child then gets {"BatchInput": ..., "Items": [...]}.
func (st *State) batch(th *Thread, s *asl.State) *failure {
	fan := th.Fan
	b, err := batcher(st.scope(th, s, ""), s, fan.Effective)
	if err != nil {
		return st.failure(th, s, err)
	}
	inputs := make([]any, len(fan.Items))
	for i, item := range fan.Items {
		in, f := st.itemInput(th, s, i, item)
		if f != nil {
			return f
		}
		inputs[i] = in
	}
	batches := b.batches(inputs)
	fan.ItemCount = len(fan.Items)
	fan.Items, fan.Results, fan.Batched = batches, make([]any, len(batches)), true
	return nil
}

// itemBatcher is a Map's evaluated ItemBatcher.
type itemBatcher struct {
	maxItems, maxBytes int64
	batchInput         any
}

// batcher evaluates Map state s's ItemBatcher against its effective
// input.
func batcher(sc *asl.Scope, s *asl.State, eff any) (b itemBatcher, err error) {
	if b.maxItems, err = s.Flow.Int(sc, eff, asl.FieldMaxItemsPerBatch); err != nil {
		return b, err
	}
	if b.maxBytes, err = s.Flow.Int(sc, eff, asl.FieldMaxInputBytesPerBatch); err != nil {
		return b, err
	}
	b.batchInput, err = s.Flow.BatchInput(sc, eff)
	return b, err
}

// batches groups items (after ItemSelector) into b's batches.
func (b itemBatcher) batches(items []any) []any {
	return batchItems(items, b.maxItems, b.maxBytes, b.batchInput)
}

// batchItems groups a Map's items as its ItemBatcher does: objects
// {"BatchInput": batchInput, "Items": [...]} (BatchInput only when not
// nil) of at most maxItems items and, beyond the first item of a batch, at
// most maxBytes bytes of items' JSON; 0 means no limit.
func batchItems(items []any, maxItems, maxBytes int64, batchInput any) []any {
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
