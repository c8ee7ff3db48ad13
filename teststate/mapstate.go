package teststate

import (
	"fmt"
	"strings"

	"stepwise/asl"
	"stepwise/dataflow"
	"stepwise/engine"
	"stepwise/jsonval"
)

// A Map state is tested without running its iterations: its items are
// read (ItemsPath, or the ItemReader's data from
// stateConfiguration.mapItemReaderData), selected (ItemSelector) and
// batched (ItemBatcher), its failure tolerance is checked against
// stateConfiguration.mapIterationFailureCount, and the mock stands for
// the iterations' results.

// mapFields evaluates the numeric and template fields of a Map in either
// query language.
type mapFields struct {
	count    func(f asl.IntField, field string) (int64, *failure)
	percent  func(f asl.FloatField, field string) (float64, *failure)
	selector func(index int, item any) (any, *failure) // nil without ItemSelector
	batch    func() (any, *failure)                    // BatchInput; nil without one
}

func (t *Test) mapState() *Response {
	m := t.state.Map
	env := t.pathEnv()
	eff, f := t.inputPath(env)
	if f != nil {
		return t.recover(f)
	}
	items, f := t.readerItems()
	if f != nil {
		return t.recover(f)
	}
	if items == nil {
		items = eff
		if m.ItemsPath.Set && m.ItemsPath.Path != nil {
			v, err := m.ItemsPath.Path.Eval(eff, env)
			if err != nil {
				return t.recover(asFailure(err))
			}
			items = v
		}
		list, ok := items.([]any)
		if !ok {
			path := "$"
			if m.ItemsPath.Path != nil {
				// AWS names a context path with one $ fewer here
				// ("$$.Execution.Input" shows as "$.Execution.Input").
				path = strings.TrimPrefix(m.ItemsPath.Path.String(), "$")
				if !strings.HasPrefix(path, "$") {
					path = "$" + path
				}
			}
			return t.recover(&failure{Error: errRuntime, Cause: fmt.Sprintf("Reference path \"%s\" must point to array.", path)})
		}
		t.insp.AfterItemsPath = text(list)
	}
	mf := mapFields{
		count: func(n asl.IntField, field string) (int64, *failure) { return nonNegative(n, eff, env, field+"Path") },
		percent: func(p asl.FloatField, field string) (float64, *failure) {
			return percent(p, eff, env, field+"Path")
		},
	}
	if m.ItemSelector != nil {
		mf.selector = func(i int, item any) (any, *failure) {
			ienv := *env
			ienv.Context = withMapItem(t.ctx, i, item)
			v, err := m.ItemSelector.Compiled.Eval(eff, &ienv)
			if err != nil {
				return nil, asFailure(err)
			}
			return v, nil
		}
	}
	if b := m.Batcher; b != nil && b.BatchInput != nil {
		mf.batch = func() (any, *failure) {
			v, err := b.BatchInput.Compiled.Eval(eff, env)
			if err != nil {
				return nil, asFailure(err)
			}
			return v, nil
		}
	}
	if f := t.mapItems(items.([]any), mf); f != nil {
		return t.recover(f)
	}
	res := t.mocked()
	if res.Failed {
		return t.recover(&failure{Error: res.Error, Cause: res.Cause})
	}
	return t.complete(res.Output)
}

func (t *Test) jmap() *Response {
	m := t.state.Map
	env := t.jenv(nil)
	items, f := t.readerItems()
	if f != nil {
		return t.recover(f)
	}
	if items == nil {
		items = t.input
		if m.Items != nil {
			v, err := m.Items.Eval("Items", env)
			if err != nil {
				return t.recover(jfailure(err))
			}
			if _, ok := v.([]any); !ok {
				return t.recover(jtypeFailure(m.Items, "Items", "array", v))
			}
			items = v
		}
		if _, ok := items.([]any); !ok {
			return t.recover(&failure{Error: errQueryEvaluation, Cause: "Map state input must be an array but was: " + jsonText(items)})
		}
	}
	mf := mapFields{
		count: func(n asl.IntField, field string) (int64, *failure) { return t.jint(n, field, env) },
		percent: func(p asl.FloatField, field string) (float64, *failure) {
			if p.Expr == nil {
				return p.Value, nil
			}
			v, err := p.Expr.Eval(field, env)
			if err != nil {
				return 0, jfailure(err)
			}
			x, ok := jsonval.Float(v)
			if !ok {
				return 0, jtypeFailure(p.Expr, field, "number", v)
			}
			return x, nil
		},
	}
	if m.ItemSelectorJSONata != nil {
		mf.selector = func(i int, item any) (any, *failure) {
			ienv := t.jenv(nil)
			ienv.States.Set("context", withMapItem(t.ctx, i, item))
			v, err := m.ItemSelectorJSONata.Eval("ItemSelector", ienv)
			if err != nil {
				return nil, jfailure(err)
			}
			return v, nil
		}
	}
	if b := m.Batcher; b != nil && b.BatchInputJSONata != nil {
		mf.batch = func() (any, *failure) {
			v, err := b.BatchInputJSONata.Eval("BatchInput", env)
			if err != nil {
				return nil, jfailure(err)
			}
			return v, nil
		}
	}
	if f := t.mapItems(items.([]any), mf); f != nil {
		return t.recover(f)
	}
	res := t.mocked()
	if res.Failed {
		return t.recover(&failure{Error: res.Error, Cause: res.Cause})
	}
	return t.jcomplete(res.Output)
}

// readerItems returns the items of a Map with an ItemReader from
// stateConfiguration.mapItemReaderData, or nil when there is no reader or
// no data: AWS then reads the items from the input, as if the reader had
// put them there.
func (t *Test) readerItems() (any, *failure) {
	if t.state.Map.ItemReader == nil || t.cfg.MapItemReaderData == "" {
		return nil, nil
	}
	v, err := jsonval.ParseString(t.cfg.MapItemReaderData)
	if err != nil {
		return nil, &failure{Error: "States.ItemReaderFailed", Cause: fmt.Sprintf("The item reader data is not valid JSON: %v", err)}
	}
	if _, ok := v.([]any); !ok {
		return nil, &failure{Error: "States.ItemReaderFailed", Cause: "The item reader data must be a JSON array"}
	}
	return v, nil
}

// mapItems records MaxConcurrency, the failure tolerance, the items after
// ItemSelector and ItemBatcher, and fails when
// stateConfiguration.mapIterationFailureCount exceeds the tolerance.
func (t *Test) mapItems(items []any, mf mapFields) *failure {
	m := t.state.Map
	maxConc, f := mf.count(m.MaxConcurrency, "MaxConcurrency")
	if f != nil {
		return f
	}
	t.insp.MaxConcurrency = &maxConc
	count, pct := int64(-1), -1.0
	if m.ToleratedFailureCount.Set {
		if count, f = mf.count(m.ToleratedFailureCount, "ToleratedFailureCount"); f != nil {
			return f
		}
		t.insp.ToleratedFailureCount = &count
	}
	if m.ToleratedFailurePercentage.Set {
		if pct, f = mf.percent(m.ToleratedFailurePercentage, "ToleratedFailurePercentage"); f != nil {
			return f
		}
		t.insp.ToleratedFailurePercentage = &pct
	}
	selected := items
	if mf.selector != nil {
		selected = make([]any, len(items))
		for i, item := range items {
			if selected[i], f = mf.selector(i, item); f != nil {
				return f
			}
		}
		t.insp.AfterItemSelector = text(selected)
	}
	if m.Batcher != nil {
		batches, f := t.batches(selected, mf)
		if f != nil {
			return f
		}
		t.insp.AfterItemBatcher = text(batches)
	}
	return exceeded(t.cfg.MapIterationFailureCount, count, pct, len(items))
}

// batches groups items as an ItemBatcher does: {"BatchInput": ...,
// "Items": [...]} objects of at most MaxItemsPerBatch items and
// MaxInputBytesPerBatch bytes.
func (t *Test) batches(items []any, mf mapFields) ([]any, *failure) {
	b := t.state.Map.Batcher
	maxItems, f := mf.count(b.MaxItemsPerBatch, "MaxItemsPerBatch")
	if f != nil {
		return nil, f
	}
	maxBytes, f := mf.count(b.MaxInputBytesPerBatch, "MaxInputBytesPerBatch")
	if f != nil {
		return nil, f
	}
	var batchInput any
	if mf.batch != nil {
		if batchInput, f = mf.batch(); f != nil {
			return nil, f
		}
	}
	return engine.Batches(items, maxItems, maxBytes, batchInput), nil
}

// exceeded checks a number of failed iterations against a Map's
// tolerated failures (-1 when not set): the Map fails with
// States.ExceedToleratedFailureThreshold when it is over both.
func exceeded(failed, count int64, pct float64, items int) *failure {
	if failed == 0 || (count < 0 && pct < 0) {
		return nil
	}
	overCount := count < 0 || failed > count
	overPct := pct < 0 || items == 0 || float64(failed)*100/float64(items) > pct
	if !overCount || !overPct {
		return nil
	}
	return &failure{Error: errExceedTolerated, Cause: causeExceedTolerated}
}

// nonNegative evaluates a non-negative integer field such as
// MaxConcurrency or its Path form (0 when not set).
func nonNegative(f asl.IntField, eff any, env *dataflow.Env, field string) (int64, *failure) {
	if f.Path == nil {
		return f.Value, nil
	}
	v, err := f.Path.Eval(eff, env)
	if err != nil {
		return 0, asFailure(err)
	}
	n, ok := jsonval.Int(v)
	if !ok || n < 0 {
		return 0, &failure{Error: errRuntime, Cause: fmt.Sprintf("The %s field refers to value %s which is not a valid non-negative integer", field, jsonText(v))}
	}
	return n, nil
}

// percent evaluates ToleratedFailurePercentage or its Path form.
func percent(f asl.FloatField, eff any, env *dataflow.Env, field string) (float64, *failure) {
	if f.Path == nil {
		return f.Value, nil
	}
	v, err := f.Path.Eval(eff, env)
	if err != nil {
		return 0, asFailure(err)
	}
	x, ok := jsonval.Float(v)
	if !ok || x < 0 || x > 100 {
		return 0, &failure{Error: errRuntime, Cause: fmt.Sprintf("The %s field refers to value %s which is not a valid percentage", field, jsonText(v))}
	}
	return x, nil
}
