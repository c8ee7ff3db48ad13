package jsonata

import (
	"math"

	"stepwise/jsonval"
)

// simpleName reports whether a path is a single field name with nothing
// attached, which evaluates to a plain field lookup on an object.
func simpleName(n *node) bool {
	if len(n.steps) != 1 || n.keepSingletonArray || n.group != nil || n.tuple {
		return false
	}
	st := n.steps[0]
	return st.typ == nName && st.stages == nil && st.predicate == nil && st.group == nil && !st.tuple && !st.keepArray
}

func (ev *evaluator) evalPath(n *node, input any, env *frame) (any, error) {
	if o, ok := input.(*jsonval.Object); ok && n.simple {
		// Same result and the same step and depth accounting as the general
		// path below, without its sequences.
		ev.steps++
		if ev.steps > ev.maxSteps {
			return nil, &Error{Code: "U1001", Position: n.pos, Message: "Expression evaluation timeout: Check for infinite loop"}
		}
		if ev.depth+1 > ev.maxDepth {
			return nil, &Error{Code: "U1001", Position: n.pos}
		}
		if v, ok := o.Get(n.steps[0].op); ok {
			return v, nil
		}
		return undefined, nil
	}
	var inputSeq any
	start := 0
	if !n.keepSingletonArray && n.group == nil && !n.tuple {
		k, cur, done := ev.pathPrefix(n, input, env)
		if k > 0 {
			ev.steps += k
			if ev.steps > ev.maxSteps {
				return nil, &Error{Code: "U1001", Position: n.pos, Message: "Expression evaluation timeout: Check for infinite loop"}
			}
			if ev.depth+1 > ev.maxDepth {
				return nil, &Error{Code: "U1001", Position: n.pos}
			}
			if done {
				return cur, nil
			}
			start = k
			inputSeq = newSeq(cur)
		}
	}
	if start == 0 {
		if isArray(input) && n.steps[0].typ != nVariable {
			inputSeq = input
		} else {
			inputSeq = newSeq(input)
		}
	}
	var resultSeq any = undefined
	isTuple := false
	var tupleBindings *sequence
	for i := start; i < len(n.steps); i++ {
		step := n.steps[i]
		if step.tuple {
			isTuple = true
		}
		var err error
		if i == 0 && step.consarray {
			resultSeq, err = ev.eval(step, inputSeq, env)
		} else if isTuple {
			tupleBindings, err = ev.evalTupleStep(step, inputSeq, tupleBindings, env)
		} else {
			resultSeq, err = ev.evalStep(step, inputSeq, env, i == len(n.steps)-1)
		}
		if err != nil {
			return nil, err
		}
		if !isTuple {
			if isUndef(resultSeq) {
				break
			}
			if isArray(resultSeq) && len(arrayItems(resultSeq)) == 0 {
				break
			}
		}
		if !step.hasFocus {
			if isTuple {
				inputSeq = tupleBindings
			} else {
				inputSeq = resultSeq
			}
		}
	}
	if isTuple {
		if n.tuple {
			resultSeq = tupleBindings
		} else {
			rs := &sequence{isSeq: true}
			if tupleBindings != nil {
				if err := ev.alloc(len(tupleBindings.items) * costSlot); err != nil {
					return nil, err
				}
				for _, t := range tupleBindings.items {
					rs.items = append(rs.items, asTuple(t)["@"])
				}
			}
			resultSeq = rs
		}
	}
	if n.keepSingletonArray {
		if s, ok := resultSeq.(*sequence); ok && s.cons && !s.isSeq {
			resultSeq = newSeq(s)
		} else if arr, ok := resultSeq.([]any); ok {
			// a plain array: jsonata-js sets the flag on it, where it has
			// no effect
			resultSeq = arr
		}
		if s, ok := resultSeq.(*sequence); ok {
			s.keepSingleton = true
		}
	}
	if n.group != nil {
		var in any = resultSeq
		if isTuple {
			in = tupleBindings
			if tupleBindings == nil {
				in = undefined
			}
		}
		return ev.evalGroup(n.group, in, env)
	}
	return resultSeq, nil
}

func (ev *evaluator) evalStep(step *node, input any, env *frame, last bool) (any, error) {
	if step.typ == nSort {
		res, err := ev.evalSort(step, input, env)
		if err != nil {
			return nil, err
		}
		if step.stages != nil {
			return ev.evalStages(step.stages, res, env)
		}
		return res, nil
	}
	items := stepItems(input)
	out := &sequence{isSeq: true}
	count := 0
	var first any
	for _, it := range items {
		res, err := ev.eval(step, it, env)
		if err != nil {
			return nil, err
		}
		for _, st := range step.stages {
			res, err = ev.evalFilter(st.expr, res, env)
			if err != nil {
				return nil, err
			}
		}
		if isUndef(res) {
			continue
		}
		count++
		if count == 1 {
			first = res
		}
		var add []any
		if s, ok := res.(*sequence); ok {
			if s.cons {
				add = []any{res}
			} else {
				add = s.items
			}
		} else if arr, ok := res.([]any); ok {
			add = arr
		} else {
			if out.items == nil {
				if err := ev.alloc(len(items) * costSlot); err != nil {
					return nil, err
				}
				out.items = make([]any, 0, len(items))
			}
			add = []any{res}
		}
		if out.items, err = ev.appendItems(out.items, add); err != nil {
			return nil, err
		}
	}
	if last && count == 1 && isArray(first) && !isSequence(first) {
		return first, nil
	}
	return out, nil
}

// plainStep reports whether a step has nothing attached to it.
func plainStep(st *node) bool {
	return st.stages == nil && st.predicate == nil && st.group == nil && !st.tuple && !st.keepArray &&
		!st.hasFocus && !st.hasIndex && st.ancestor == nil && !st.consarray
}

// pathPrefix evaluates the leading steps of a path that are plain names (or
// a leading variable) over single objects, which the general algorithm would
// evaluate to one-item sequences. It returns how many steps it consumed and
// the value reached; done means that value is the path's result.
func (ev *evaluator) pathPrefix(n *node, input any, env *frame) (k int, cur any, done bool) {
	cur = input
	for k < len(n.steps) {
		st := n.steps[k]
		if !plainStep(st) {
			return k, cur, false
		}
		var v any
		switch st.typ {
		case nVariable:
			if k != 0 {
				return k, cur, false
			}
			v = ev.evalVariable(st, input, env)
		case nName:
			o, ok := cur.(*jsonval.Object)
			if !ok {
				return k, cur, false
			}
			var found bool
			if v, found = o.Get(st.op); !found {
				v = undefined
			}
		default:
			return k, cur, false
		}
		last := k == len(n.steps)-1
		switch v.(type) {
		case *jsonval.Object:
			if last {
				return k + 1, v, true
			}
			cur = v
			k++
			continue
		case undefinedType:
			return k + 1, v, true
		case *sequence:
			return k, cur, false
		}
		if last && !isArray(v) || last && st.typ == nName {
			return k + 1, v, true
		}
		return k, cur, false
	}
	return k, cur, false
}

// stepItems returns the items a step iterates over: jsonata-js iterates over
// input.length, so a non-array input gives no items.
func stepItems(input any) []any {
	return arrayItems(input)
}

func (ev *evaluator) evalStages(stages []stage, input any, env *frame) (any, error) {
	result := input
	for _, st := range stages {
		if st.filter {
			var err error
			result, err = ev.evalFilter(st.expr, result, env)
			if err != nil {
				return nil, err
			}
			continue
		}
		for i, t := range arrayItems(result) {
			if tp, ok := t.(tuple); ok {
				tp[st.variable] = float64(i)
			}
		}
	}
	return result, nil
}

func (ev *evaluator) evalTupleStep(step *node, input any, bindings *sequence, env *frame) (*sequence, error) {
	if step.typ == nSort {
		var result *sequence
		if bindings != nil {
			r, err := ev.evalSort(step, bindings, env)
			if err != nil {
				return nil, err
			}
			result = r
		} else {
			sorted, err := ev.evalSort(step, input, env)
			if err != nil {
				return nil, err
			}
			result = &sequence{isSeq: true, tupleStream: true}
			if err := ev.alloc(len(sorted.items) * (costSlot + 2*costTuple)); err != nil {
				return nil, err
			}
			for i, v := range sorted.items {
				t := tuple{"@": v}
				if step.hasIndex {
					t[step.index] = float64(i)
				}
				result.items = append(result.items, t)
			}
		}
		if step.stages != nil {
			r, err := ev.evalStages(step.stages, result, env)
			if err != nil {
				return nil, err
			}
			return toSeq(r), nil
		}
		return result, nil
	}
	result := &sequence{isSeq: true, tupleStream: true}
	if bindings == nil {
		bindings = &sequence{isSeq: true, tupleStream: true}
		if err := ev.alloc(len(stepItems(input)) * (costSlot + costTuple)); err != nil {
			return nil, err
		}
		for _, it := range stepItems(input) {
			bindings.items = append(bindings.items, tuple{"@": it})
		}
	}
	for _, b := range bindings.items {
		bt := asTuple(b)
		stepEnv := frameFromTuple(env, bt)
		res, err := ev.eval(step, bt["@"], stepEnv)
		if err != nil {
			return nil, err
		}
		if isUndef(res) {
			continue
		}
		var items []any
		resTuple := false
		if isArray(res) {
			items = arrayItems(res)
			if s, ok := res.(*sequence); ok && s.tupleStream {
				resTuple = true
			}
		} else {
			items = []any{res}
		}
		if err := ev.alloc(len(items) * (costSlot + (len(bt)+2)*costTuple)); err != nil {
			return nil, err
		}
		for bb, r := range items {
			t := make(tuple, len(bt)+2)
			for k, v := range bt {
				t[k] = v
			}
			if resTuple {
				for k, v := range asTuple(r) {
					t[k] = v
				}
			} else {
				if step.hasFocus {
					t[step.focus] = r
					t["@"] = bt["@"]
				} else {
					t["@"] = r
				}
				if step.hasIndex {
					t[step.index] = float64(bb)
				}
				if step.ancestor != nil {
					t[step.ancestor.label] = bt["@"]
				}
			}
			result.items = append(result.items, t)
		}
	}
	if step.stages != nil {
		r, err := ev.evalStages(step.stages, result, env)
		if err != nil {
			return nil, err
		}
		return toSeq(r), nil
	}
	return result, nil
}

func toSeq(v any) *sequence {
	if s, ok := v.(*sequence); ok {
		return s
	}
	if isUndef(v) {
		return &sequence{isSeq: true}
	}
	if arr, ok := v.([]any); ok {
		return &sequence{isSeq: true, items: arr}
	}
	return newSeq(v)
}

func frameFromTuple(env *frame, t tuple) *frame {
	f := &frame{parent: env, names: make([]string, 0, len(t)), vals: make([]any, 0, len(t))}
	for k, v := range t {
		f.names = append(f.names, k)
		f.vals = append(f.vals, v)
	}
	return f
}

func (ev *evaluator) evalFilter(pred *node, input any, env *frame) (any, error) {
	results := &sequence{isSeq: true}
	var items []any
	tupleStream := false
	if s, ok := input.(*sequence); ok {
		items = s.items
		tupleStream = s.tupleStream
		results.tupleStream = tupleStream
	} else if arr, ok := input.([]any); ok {
		items = arr
	} else {
		items = []any{input}
	}
	if pred.typ == nNumber {
		index := int(math.Floor(pred.num))
		if index < 0 {
			index += len(items)
		}
		if index >= 0 && index < len(items) {
			item := items[index]
			if isArray(item) {
				return item, nil
			}
			if !isUndef(item) {
				results.items = append(results.items, item)
			}
		}
		return results, nil
	}
	if err := ev.alloc(len(items) * costSlot); err != nil {
		return nil, err
	}
	results.items = make([]any, 0, len(items))
	for index, item := range items {
		context := item
		fenv := env
		if tupleStream {
			t := asTuple(item)
			context = t["@"]
			fenv = frameFromTuple(env, t)
		}
		res, err := ev.eval(pred, context, fenv)
		if err != nil {
			return nil, err
		}
		ok, err := isNumeric(res)
		if err != nil {
			return nil, err
		}
		if ok {
			res = []any{res}
		}
		if nums, ok := arrayOfNumbers(res); ok {
			for _, f := range nums {
				ii := int(math.Floor(f))
				if ii < 0 {
					ii += len(items)
				}
				if ii == index {
					results.items = append(results.items, item)
				}
			}
			continue
		}
		b, err := toBoolean(res)
		if err != nil {
			return nil, err
		}
		if b == true {
			results.items = append(results.items, item)
		}
	}
	return results, nil
}

func arrayOfNumbers(v any) ([]float64, bool) {
	if !isArray(v) {
		return nil, false
	}
	items := arrayItems(v)
	out := make([]float64, 0, len(items))
	for _, it := range items {
		f, ok := toNumber(it)
		if !ok {
			return nil, false
		}
		out = append(out, f)
	}
	return out, true
}

// toBoolean is jsonata-js's fn.boolean; undefined gives undefined.
func toBoolean(v any) (any, error) {
	switch x := v.(type) {
	case undefinedType:
		return undefined, nil
	case bool:
		return x, nil
	case string:
		return x != "", nil
	case nil:
		return false, nil
	case float64, jsonNumber:
		ok, err := isNumeric(x)
		if err != nil {
			return nil, err
		}
		if !ok {
			return false, nil
		}
		f, _ := toNumber(x)
		return f != 0, nil
	case *jsonval.Object:
		return x.Len() > 0, nil
	case *lambda, *builtin, *regexValue:
		return false, nil
	}
	if isArray(v) {
		items := arrayItems(v)
		if len(items) == 1 {
			return toBoolean(items[0])
		}
		for _, it := range items {
			b, err := toBoolean(it)
			if err != nil {
				return nil, err
			}
			if b == true {
				return true, nil
			}
		}
		return false, nil
	}
	return false, nil
}

func truthy(v any) (bool, error) {
	b, err := toBoolean(v)
	return b == true, err
}

// asTuple returns v as a tuple; anything else (undefined in an empty
// stream) reads as a tuple with no bindings.
func asTuple(v any) tuple {
	if t, ok := v.(tuple); ok {
		return t
	}
	return tuple{"@": undefined}
}
