package jsonata

import (
	"math"

	"stepwise/jsonval"
)

// ---- objects and arrays ----

// objectKeys returns the keys of an object, or the union of the keys of
// the objects in an array, nested or not; each node visited is charged
// (arrays may share parts). Over budget it stops early.
func (ev *evaluator) objectKeys(v any) []string {
	if !ev.spend(costSlot) {
		return nil
	}
	if isArray(v) {
		var keys []string
		seen := map[string]bool{}
		for _, it := range arrayItems(v) {
			for _, k := range ev.objectKeys(it) {
				if !seen[k] {
					seen[k] = true
					keys = append(keys, k)
				}
			}
		}
		return keys
	}
	if o, ok := v.(*jsonval.Object); ok {
		return o.Keys()
	}
	return nil
}

func fnKeys(ev *evaluator, args []any, _ any, _ *frame) (any, error) {
	keys := ev.objectKeys(arg(args, 0))
	if err := ev.alloc(len(keys) * costSlot); err != nil {
		return nil, err
	}
	out := &sequence{isSeq: true, items: make([]any, len(keys))}
	for i, k := range keys {
		out.items[i] = k
	}
	return out, nil
}

func fnLookup(ev *evaluator, args []any, _ any, _ *frame) (any, error) {
	k, _ := arg(args, 1).(string)
	v := ev.lookupField(arg(args, 0), k)
	if ev.spent > ev.maxAlloc {
		return nil, ev.allocError(0)
	}
	return v, nil
}

func fnAppend(ev *evaluator, args []any, _ any, _ *frame) (any, error) {
	a, b := arg(args, 0), arg(args, 1)
	if err := ev.alloc((len(arrayItems(a)) + len(arrayItems(b)) + 2) * costSlot); err != nil {
		return nil, err
	}
	return appendValues(a, b), nil
}

func fnExists(_ *evaluator, args []any, _ any, _ *frame) (any, error) {
	return !isUndef(arg(args, 0)), nil
}

// spread is jsonata-js's fn.spread, which appends the spread of each item
// with fn.append. It appends in place to one result instead (fn.append
// copies the result for each item) and charges what it builds; over budget
// it stops early and the caller reports the error.
func (ev *evaluator) spread(v any) any {
	if !isArray(v) {
		return ev.spreadOne(v)
	}
	out := []any{}
	appended := false
	for _, it := range arrayItems(v) {
		if isUndef(it) {
			continue
		}
		// fn.append turns the empty sequence it starts from into an array
		appended = true
		out = ev.spreadAppend(out, it)
	}
	if !appended {
		return &sequence{isSeq: true}
	}
	return out
}

// spreadAppend appends the spread of v to out: the results of nested
// arrays are flat, so their items are appended one by one.
func (ev *evaluator) spreadAppend(out []any, v any) []any {
	if !ev.spend(costSlot) {
		return out
	}
	if isArray(v) {
		for _, it := range arrayItems(v) {
			if !isUndef(it) {
				out = ev.spreadAppend(out, it)
			}
		}
		return out
	}
	if s, ok := ev.spreadOne(v).(*sequence); ok {
		return append(out, s.items...)
	}
	return append(out, v)
}

func (ev *evaluator) spreadOne(v any) any {
	if o, ok := v.(*jsonval.Object); ok {
		if !ev.spend(o.Len() * (2*costSlot + costMember)) {
			return undefined
		}
		out := &sequence{isSeq: true}
		for i := 0; i < o.Len(); i++ {
			k, val := o.At(i)
			obj := jsonval.NewObject(1)
			obj.Set(k, val)
			out.items = append(out.items, obj)
		}
		return out
	}
	return v
}

func fnSpread(ev *evaluator, args []any, _ any, _ *frame) (any, error) {
	r := ev.spread(arg(args, 0))
	if ev.spent > ev.maxAlloc {
		return nil, ev.allocError(0)
	}
	return r, nil
}

func fnMerge(ev *evaluator, args []any, _ any, _ *frame) (any, error) {
	v := arg(args, 0)
	if isUndef(v) {
		return undefined, nil
	}
	out := jsonval.NewObject(0)
	for _, it := range arrayItems(v) {
		if o, ok := it.(*jsonval.Object); ok {
			if err := ev.alloc(o.Len() * costMember); err != nil {
				return nil, err
			}
			for i := 0; i < o.Len(); i++ {
				k, val := o.At(i)
				out.Set(k, val)
			}
		}
	}
	return out, nil
}

func fnReverse(ev *evaluator, args []any, _ any, _ *frame) (any, error) {
	v := arg(args, 0)
	if isUndef(v) {
		return undefined, nil
	}
	items := arrayItems(v)
	if len(items) <= 1 {
		return v, nil
	}
	if err := ev.alloc(len(items) * costSlot); err != nil {
		return nil, err
	}
	out := make([]any, len(items))
	for i, it := range items {
		out[len(items)-1-i] = it
	}
	return out, nil
}

func fnError(_ *evaluator, args []any, _ any, _ *frame) (any, error) {
	msg, ok := arg(args, 0).(string)
	if !ok {
		msg = "$error() function evaluated"
	}
	return nil, &Error{Code: "D3137", Message: msg}
}

func fnAssert(_ *evaluator, args []any, _ any, _ *frame) (any, error) {
	if b, _ := arg(args, 0).(bool); !b {
		msg, ok := arg(args, 1).(string)
		if !ok {
			msg = "$assert() statement failed"
		}
		return nil, &Error{Code: "D3141", Message: msg}
	}
	return undefined, nil
}

func typeOf(v any) any {
	switch v.(type) {
	case undefinedType:
		return undefined
	case nil:
		return "null"
	case float64, jsonNumber:
		return "number"
	case string:
		return "string"
	case bool:
		return "boolean"
	case *jsonval.Object:
		return "object"
	}
	if isArray(v) {
		return "array"
	}
	if isFunction(v) {
		return "function"
	}
	return "object"
}

func fnType(_ *evaluator, args []any, _ any, _ *frame) (any, error) {
	return typeOf(arg(args, 0)), nil
}

// jsTruthy is JavaScript's truthiness, used for $sort comparators.
func jsTruthy(v any) bool {
	switch x := v.(type) {
	case undefinedType, nil:
		return false
	case bool:
		return x
	case string:
		return x != ""
	case float64, jsonNumber:
		f := num(x)
		return f != 0 && !math.IsNaN(f)
	}
	return true
}

func fnSort(ev *evaluator, args []any, _ any, env *frame) (any, error) {
	v := arg(args, 0)
	if isUndef(v) {
		return undefined, nil
	}
	items := arrayItems(v)
	if len(items) <= 1 {
		return v, nil
	}
	f := arg(args, 1)
	var sortErr error
	var less func(a, b any) bool
	if isUndef(f) {
		_, nums := arrayOfNumbers(v)
		strs := true
		for _, it := range items {
			if !isString(it) {
				strs = false
				break
			}
		}
		if !nums && !strs {
			return nil, newErr("D3070", nil)
		}
		less = func(a, b any) bool {
			if nums {
				return num(a) < num(b)
			}
			return a.(string) < b.(string)
		}
	} else {
		less = func(a, b any) bool {
			if sortErr != nil {
				return false
			}
			// the comparator says whether b,a must swap: swap(a, b) is f(a, b)
			r, err := ev.apply(f, []any{b, a}, undefined, env)
			if err != nil {
				sortErr = err
				return false
			}
			return jsTruthy(r)
		}
	}
	// the copy and the merge sort's buffers
	if err := ev.alloc(3 * len(items) * costSlot); err != nil {
		return nil, err
	}
	sorted := mergeSort(append([]any(nil), items...), less)
	if sortErr != nil {
		return nil, sortErr
	}
	return sorted, nil
}

func fnShuffle(ev *evaluator, args []any, _ any, _ *frame) (any, error) {
	v := arg(args, 0)
	if isUndef(v) {
		return undefined, nil
	}
	items := arrayItems(v)
	if len(items) <= 1 {
		return v, nil
	}
	if err := ev.alloc(len(items) * costSlot); err != nil {
		return nil, err
	}
	out := append([]any(nil), items...)
	for i := len(out) - 1; i > 0; i-- {
		j := ev.random().IntN(i + 1)
		out[i], out[j] = out[j], out[i]
	}
	return out, nil
}

func fnDistinct(ev *evaluator, args []any, _ any, _ *frame) (any, error) {
	v := arg(args, 0)
	if isUndef(v) {
		return undefined, nil
	}
	if !isArray(v) || len(arrayItems(v)) <= 1 {
		return v, nil
	}
	if err := ev.alloc(len(arrayItems(v)) * costSlot); err != nil {
		return nil, err
	}
	var out []any
	for _, it := range arrayItems(v) {
		dup := false
		// each comparison is a step: the loop is quadratic
		if err := ev.charge(len(out)); err != nil {
			return nil, err
		}
		for _, r := range out {
			if ev.deepEqual(it, r) {
				dup = true
				break
			}
		}
		if !dup {
			out = append(out, it)
		}
	}
	if isSequence(v) {
		return &sequence{isSeq: true, items: out}, nil
	}
	return out, nil
}
