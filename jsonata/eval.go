package jsonata

import (
	"math"
	"math/rand/v2"
	"strings"
	"time"

	"stepwise/jsonval"
)

// evaluator holds the state of one evaluation.
type evaluator struct {
	steps    int
	maxSteps int
	depth    int
	maxDepth int
	now      time.Time
	rng      *rand.Rand
	opts     *Options
}

// frame is a scope of variable bindings.
type frame struct {
	parent *frame
	names  []string
	vals   []any
}

func newFrame(parent *frame) *frame {
	return &frame{parent: parent}
}

func (f *frame) bind(name string, v any) {
	for i, n := range f.names {
		if n == name {
			f.vals[i] = v
			return
		}
	}
	f.names = append(f.names, name)
	f.vals = append(f.vals, v)
}

func (f *frame) lookup(name string) any {
	for fr := f; fr != nil; fr = fr.parent {
		for i := len(fr.names) - 1; i >= 0; i-- {
			if fr.names[i] == name {
				return fr.vals[i]
			}
		}
	}
	if b, ok := builtins[name]; ok {
		return b
	}
	return undefined
}

func (ev *evaluator) eval(n *node, input any, env *frame) (any, error) {
	ev.steps++
	if ev.steps > ev.maxSteps {
		return nil, &Error{Code: "U1001", Position: n.pos, Message: "Expression evaluation timeout: Check for infinite loop"}
	}
	ev.depth++
	if ev.depth > ev.maxDepth {
		ev.depth--
		return nil, &Error{Code: "U1001", Position: n.pos}
	}
	r, err := ev.evalNode(n, input, env)
	ev.depth--
	return r, err
}

// maxStringLength bounds the strings an evaluation builds, so that repeated
// doubling cannot exhaust memory (jsonata-js hits V8's own limit instead).
const maxStringLength = 1 << 26

// charge consumes n extra steps for work proportional to a result's size.
func (ev *evaluator) charge(n int) error {
	ev.steps += n
	if ev.steps > ev.maxSteps {
		return &Error{Code: "U1001", Message: "Expression evaluation timeout: Check for infinite loop"}
	}
	return nil
}

func checkStringLength(s string) error {
	if len(s) > maxStringLength {
		return &Error{Code: "U1002", Message: "string result too large"}
	}
	return nil
}

func (ev *evaluator) evalNode(n *node, input any, env *frame) (any, error) {
	var result any
	var err error
	switch n.typ {
	case nPath:
		result, err = ev.evalPath(n, input, env)
	case nBinary:
		result, err = ev.evalBinary(n, input, env)
	case nUnary:
		result, err = ev.evalUnary(n, input, env)
	case nName:
		result = lookupField(input, n.op)
	case nString, nNumber:
		result = n.value
	case nValue:
		result = n.value
	case nWildcard:
		result = evalWildcard(input)
	case nDescendant:
		result = evalDescendants(input)
	case nParent:
		result = env.lookup(n.slot.label)
	case nCondition:
		result, err = ev.evalCondition(n, input, env)
	case nBlock:
		result, err = ev.evalBlock(n, input, env)
	case nBind:
		result, err = ev.eval(n.rhs, input, env)
		if err == nil {
			env.bind(n.lhs.op, result)
		}
	case nRegex:
		result = n.re
	case nFunction:
		result, err = ev.evalFunction(n, input, env, nil, false)
	case nVariable:
		result = ev.evalVariable(n, input, env)
	case nLambda:
		result = &lambda{input: input, env: env, params: paramNames(n.args), sig: n.sig, body: n.body, thunk: n.thunk}
	case nPartial:
		result, err = ev.evalPartial(n, input, env)
	case nApply:
		result, err = ev.evalApply(n, input, env)
	case nTransform:
		result = ev.transformer(n, env)
	case nSort:
		// a sort step on its own (not reached: sorts are always path steps)
		result, err = ev.evalSort(n, input, env)
	case nOperator:
		return nil, errAt("S0201", n.pos, n.op, nil)
	default:
		return nil, errAt("S0206", n.pos, "", nil)
	}
	if err != nil {
		return nil, err
	}
	for _, p := range n.predicate {
		result, err = ev.evalFilter(p.expr, result, env)
		if err != nil {
			return nil, err
		}
	}
	if n.typ != nPath && n.group != nil {
		result, err = ev.evalGroup(n.group, result, env)
		if err != nil {
			return nil, err
		}
	}
	if s, ok := result.(*sequence); ok && s.isSeq && !s.tupleStream {
		if n.keepArray {
			s.keepSingleton = true
		}
		switch len(s.items) {
		case 0:
			return undefined, nil
		case 1:
			if !s.keepSingleton {
				return s.items[0], nil
			}
		}
	}
	return result, nil
}

func paramNames(args []*node) []string {
	out := make([]string, len(args))
	for i, a := range args {
		out[i] = a.op
	}
	return out
}

func (ev *evaluator) evalVariable(n *node, input any, env *frame) any {
	if n.op == "" {
		if s, ok := input.(*sequence); ok && s.outerWrapper && len(s.items) > 0 {
			return s.items[0]
		}
		return input
	}
	return env.lookup(n.op)
}

// lookupField is jsonata-js's fn.lookup.
func lookupField(input any, key string) any {
	switch x := input.(type) {
	case *jsonval.Object:
		if v, ok := x.Get(key); ok {
			return v
		}
		return undefined
	case []any, *sequence:
		items := arrayItems(x)
		res := &sequence{isSeq: true, items: make([]any, 0, len(items))}
		for _, it := range items {
			v := lookupField(it, key)
			if isUndef(v) {
				continue
			}
			if isArray(v) {
				res.items = append(res.items, arrayItems(v)...)
			} else {
				res.items = append(res.items, v)
			}
		}
		return res
	}
	return undefined
}

func evalWildcard(input any) any {
	res := &sequence{isSeq: true}
	if s, ok := input.(*sequence); ok && s.outerWrapper && len(s.items) > 0 {
		input = s.items[0]
	}
	var vals []any
	if o, ok := input.(*jsonval.Object); ok {
		for i := 0; i < o.Len(); i++ {
			_, v := o.At(i)
			vals = append(vals, v)
		}
	} else if isArray(input) {
		// Object.keys of a JavaScript array are its indexes.
		vals = arrayItems(input)
	}
	for _, v := range vals {
		if isArray(v) {
			res.items = flattenInto(res.items, v)
		} else {
			res.items = append(res.items, v)
		}
	}
	return res
}

func flattenInto(dst []any, v any) []any {
	if isArray(v) {
		for _, it := range arrayItems(v) {
			dst = flattenInto(dst, it)
		}
		return dst
	}
	return append(dst, v)
}

func evalDescendants(input any) any {
	if isUndef(input) {
		return undefined
	}
	res := &sequence{isSeq: true}
	recurseDescendants(input, res)
	if len(res.items) == 1 {
		return res.items[0]
	}
	return res
}

func recurseDescendants(input any, res *sequence) {
	if isArray(input) {
		for _, it := range arrayItems(input) {
			recurseDescendants(it, res)
		}
		return
	}
	res.items = append(res.items, input)
	if o, ok := input.(*jsonval.Object); ok {
		for i := 0; i < o.Len(); i++ {
			_, v := o.At(i)
			recurseDescendants(v, res)
		}
	}
}

func (ev *evaluator) evalCondition(n *node, input any, env *frame) (any, error) {
	c, err := ev.eval(n.cond, input, env)
	if err != nil {
		return nil, err
	}
	b, err := toBoolean(c)
	if err != nil {
		return nil, err
	}
	if b == true {
		return ev.eval(n.then, input, env)
	}
	if n.els != nil {
		return ev.eval(n.els, input, env)
	}
	return undefined, nil
}

func (ev *evaluator) evalBlock(n *node, input any, env *frame) (any, error) {
	var result any = undefined
	fr := newFrame(env)
	for _, e := range n.exprs {
		var err error
		result, err = ev.eval(e, input, fr)
		if err != nil {
			return nil, err
		}
	}
	return result, nil
}

// ---- paths ----

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
	if o, ok := input.(*jsonval.Object); ok && simpleName(n) {
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
		if s, ok := res.(*sequence); ok {
			if s.cons {
				out.items = append(out.items, res)
			} else {
				out.items = append(out.items, s.items...)
			}
			continue
		}
		if arr, ok := res.([]any); ok {
			out.items = append(out.items, arr...)
			continue
		}
		if out.items == nil {
			out.items = make([]any, 0, len(items))
		}
		out.items = append(out.items, res)
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

// ---- operators ----

func (ev *evaluator) evalBinary(n *node, input any, env *frame) (any, error) {
	lhs, err := ev.eval(n.lhs, input, env)
	if err != nil {
		return nil, err
	}
	op := n.op
	if op == "and" || op == "or" {
		l, err := truthy(lhs)
		if err != nil {
			return nil, decorate(err, n.pos, op)
		}
		if op == "and" && !l {
			return false, nil
		}
		if op == "or" && l {
			return true, nil
		}
		rhs, err := ev.eval(n.rhs, input, env)
		if err != nil {
			return nil, err
		}
		r, err := truthy(rhs)
		if err != nil {
			return nil, decorate(err, n.pos, op)
		}
		return r, nil
	}
	rhs, err := ev.eval(n.rhs, input, env)
	if err != nil {
		return nil, err
	}
	var result any
	switch op {
	case "+", "-", "*", "/", "%":
		result, err = numericOp(lhs, rhs, op)
	case "=":
		if isUndef(lhs) || isUndef(rhs) {
			return false, nil
		}
		result = deepEqual(lhs, rhs)
	case "!=":
		if isUndef(lhs) || isUndef(rhs) {
			return false, nil
		}
		result = !deepEqual(lhs, rhs)
	case "<", "<=", ">", ">=":
		result, err = compareOp(lhs, rhs, op)
	case "&":
		var ls, rs string
		if !isUndef(lhs) {
			ls, err = toJSString(lhs, false)
		}
		if err == nil && !isUndef(rhs) {
			rs, err = toJSString(rhs, false)
		}
		if err == nil && len(ls)+len(rs) > maxStringLength {
			err = checkStringLength(ls + rs)
		}
		result = ls + rs
	case "..":
		result, err = rangeOp(lhs, rhs)
		if err == nil {
			err = ev.charge(len(arrayItems(result)) / 2)
		}
	case "in":
		result = includes(lhs, rhs)
	default:
		return nil, errAt("S0201", n.pos, op, nil)
	}
	if err != nil {
		return nil, decorate(err, n.pos, op)
	}
	return result, nil
}

// decorate sets the position and token of an error that has none.
func decorate(err error, pos int, tok string) error {
	if e, ok := err.(*Error); ok {
		if e.Position == 0 {
			e.Position = pos
		}
		if e.Token == "" {
			e.Token = tok
		}
	}
	return err
}

func numericOp(lhs, rhs any, op string) (any, error) {
	if !isUndef(lhs) {
		ok, err := isNumeric(lhs)
		if err != nil {
			return nil, err
		}
		if !ok {
			return nil, newErr("T2001", lhs)
		}
	}
	if !isUndef(rhs) {
		ok, err := isNumeric(rhs)
		if err != nil {
			return nil, err
		}
		if !ok {
			return nil, newErr("T2002", rhs)
		}
	}
	if isUndef(lhs) || isUndef(rhs) {
		return undefined, nil
	}
	a, _ := toNumber(lhs)
	b, _ := toNumber(rhs)
	switch op {
	case "+":
		return a + b, nil
	case "-":
		return a - b, nil
	case "*":
		return a * b, nil
	case "/":
		return a / b, nil
	}
	return math.Mod(a, b), nil
}

func compareOp(lhs, rhs any, op string) (any, error) {
	lc := isUndef(lhs) || isNumber(lhs) || isString(lhs)
	rc := isUndef(rhs) || isNumber(rhs) || isString(rhs)
	if !lc || !rc {
		v := rhs
		if !(isNumber(lhs) || isString(lhs)) {
			v = lhs
		}
		return nil, newErr("T2010", v)
	}
	if isUndef(lhs) || isUndef(rhs) {
		return undefined, nil
	}
	if isNumber(lhs) != isNumber(rhs) {
		return nil, &Error{Code: "T2009", Value: lhs}
	}
	var c int
	if isNumber(lhs) {
		a, _ := toNumber(lhs)
		b, _ := toNumber(rhs)
		switch {
		case a < b:
			c = -1
		case a > b:
			c = 1
		case a == b:
			c = 0
		default:
			return false, nil // NaN
		}
	} else {
		c = strings.Compare(lhs.(string), rhs.(string))
	}
	switch op {
	case "<":
		return c < 0, nil
	case "<=":
		return c <= 0, nil
	case ">":
		return c > 0, nil
	}
	return c >= 0, nil
}

func isString(v any) bool {
	_, ok := v.(string)
	return ok
}

func rangeOp(lhs, rhs any) (any, error) {
	if !isUndef(lhs) && !isInteger(lhs) {
		return nil, newErr("T2003", lhs)
	}
	if !isUndef(rhs) && !isInteger(rhs) {
		return nil, newErr("T2004", rhs)
	}
	if isUndef(lhs) || isUndef(rhs) {
		return undefined, nil
	}
	a, _ := toNumber(lhs)
	b, _ := toNumber(rhs)
	if a > b {
		return undefined, nil
	}
	size := b - a + 1
	if size > 1e7 {
		return nil, newErr("D2014", size)
	}
	out := make([]any, int(size))
	for i := range out {
		out[i] = a + float64(i)
	}
	return &sequence{isSeq: true, items: out}, nil
}

func includes(lhs, rhs any) bool {
	if isUndef(lhs) || isUndef(rhs) {
		return false
	}
	items := arrayItems(rhs)
	if !isArray(rhs) {
		items = []any{rhs}
	}
	for _, it := range items {
		if strictEqual(it, lhs) {
			return true
		}
	}
	return false
}

// strictEqual is JavaScript's ===.
func strictEqual(a, b any) bool {
	if fa, ok := toNumber(a); ok {
		fb, ok := toNumber(b)
		return ok && fa == fb
	}
	switch x := a.(type) {
	case string:
		y, ok := b.(string)
		return ok && x == y
	case bool:
		y, ok := b.(bool)
		return ok && x == y
	case nil:
		return b == nil
	case []any:
		y, ok := b.([]any)
		return ok && len(x) == len(y) && (len(x) == 0 || &x[0] == &y[0])
	case tuple:
		return false
	}
	if _, ok := b.(tuple); ok {
		return false
	}
	if _, ok := b.([]any); ok {
		return false
	}
	return a == b
}

func (ev *evaluator) evalUnary(n *node, input any, env *frame) (any, error) {
	switch n.op {
	case "-":
		v, err := ev.eval(n.expr, input, env)
		if err != nil {
			return nil, err
		}
		if isUndef(v) {
			return undefined, nil
		}
		ok, err := isNumeric(v)
		if err != nil {
			return nil, decorate(err, n.pos, "-")
		}
		if !ok {
			return nil, errAt("D1002", n.pos, "-", v)
		}
		f, _ := toNumber(v)
		return -f, nil
	case "[":
		out := make([]any, 0, len(n.exprs))
		for _, item := range n.exprs {
			v, err := ev.eval(item, input, env)
			if err != nil {
				return nil, err
			}
			if isUndef(v) {
				continue
			}
			if item.typ == nUnary && item.op == "[" {
				out = append(out, plain(v))
			} else if isArray(v) {
				if len(n.exprs) == 1 {
					// the only item: share its items (capacity clipped so
					// that no later append can write into them)
					items := arrayItems(v)
					out = items[:len(items):len(items)]
					break
				}
				out = append(out, arrayItems(v)...)
			} else {
				out = append(out, v)
			}
		}
		if n.consarray {
			return &sequence{items: out, cons: true}, nil
		}
		return out, nil
	case "{":
		return ev.evalGroup(&groupBy{pairs: n.pairs, pos: n.pos}, input, env)
	}
	return nil, errAt("S0201", n.pos, n.op, nil)
}

// ---- grouping and sorting ----

type groupEntry struct {
	data      any
	exprIndex int
}

func (ev *evaluator) evalGroup(g *groupBy, input any, env *frame) (any, error) {
	reduce := false
	if s, ok := input.(*sequence); ok && s.tupleStream {
		reduce = true
	}
	var items []any
	if isArray(input) {
		items = arrayItems(input)
	} else {
		items = []any{input}
	}
	if len(items) == 0 {
		items = []any{undefined}
	}
	var keys []string
	groups := map[string]*groupEntry{}
	for _, item := range items {
		genv := env
		ctx := item
		if reduce {
			t := asTuple(item)
			genv = frameFromTuple(env, t)
			ctx = t["@"]
		}
		for pi, pair := range g.pairs {
			k, err := ev.eval(pair[0], ctx, genv)
			if err != nil {
				return nil, err
			}
			if isUndef(k) {
				continue
			}
			key, ok := k.(string)
			if !ok {
				return nil, errAt("T1003", g.pos, "", k)
			}
			if e, ok := groups[key]; ok {
				if e.exprIndex != pi {
					return nil, errAt("D1009", g.pos, "", key)
				}
				e.data = appendValues(e.data, item)
			} else {
				groups[key] = &groupEntry{data: item, exprIndex: pi}
				keys = append(keys, key)
			}
		}
	}
	result := jsonval.NewObject(len(keys))
	for _, key := range orderKeys(keys) {
		e := groups[key]
		ctx := e.data
		genv := env
		if reduce {
			t := reduceTupleStream(e.data)
			ctx = t["@"]
			delete(t, "@")
			genv = frameFromTuple(env, t)
		}
		v, err := ev.eval(g.pairs[e.exprIndex][1], ctx, genv)
		if err != nil {
			return nil, err
		}
		if !isUndef(v) {
			result.Set(key, plain(v))
		}
	}
	return result, nil
}

// orderKeys orders object keys as a JavaScript object would: integer-like
// keys first in ascending order, then the others in insertion order.
func orderKeys(keys []string) []string {
	n := 0
	for _, k := range keys {
		if isArrayIndex(k) {
			n++
		}
	}
	if n == 0 {
		return keys
	}
	ints := make([]string, 0, n)
	others := make([]string, 0, len(keys)-n)
	for _, k := range keys {
		if isArrayIndex(k) {
			ints = append(ints, k)
		} else {
			others = append(others, k)
		}
	}
	// insertion sort by numeric value (few keys)
	for i := 1; i < len(ints); i++ {
		for j := i; j > 0 && (len(ints[j]) < len(ints[j-1]) || (len(ints[j]) == len(ints[j-1]) && ints[j] < ints[j-1])); j-- {
			ints[j], ints[j-1] = ints[j-1], ints[j]
		}
	}
	return append(ints, others...)
}

func isArrayIndex(k string) bool {
	if k == "" || len(k) > 10 || (len(k) > 1 && k[0] == '0') {
		return false
	}
	for i := 0; i < len(k); i++ {
		if k[i] < '0' || k[i] > '9' {
			return false
		}
	}
	return len(k) < 10 || k < "4294967295"
}

func reduceTupleStream(v any) tuple {
	if !isArray(v) {
		t := asTuple(v)
		out := make(tuple, len(t))
		for k, x := range t {
			out[k] = x
		}
		return out
	}
	items := arrayItems(v)
	out := tuple{}
	for k, x := range asTuple(items[0]) {
		out[k] = x
	}
	for _, it := range items[1:] {
		for k, x := range asTuple(it) {
			prev, ok := out[k]
			if !ok {
				prev = undefined
			}
			out[k] = appendValues(prev, x)
		}
	}
	return out
}

// appendValues is jsonata-js's fn.append.
func appendValues(a, b any) any {
	if isUndef(a) {
		return b
	}
	if isUndef(b) {
		return a
	}
	var out []any
	if isArray(a) {
		ai := arrayItems(a)
		out = make([]any, len(ai), len(ai)+1)
		copy(out, ai)
	} else {
		out = []any{a}
	}
	if isArray(b) {
		out = append(out, arrayItems(b)...)
	} else {
		out = append(out, b)
	}
	return out
}

func (ev *evaluator) evalSort(n *node, input any, env *frame) (*sequence, error) {
	var items []any
	isTuple := false
	if s, ok := input.(*sequence); ok {
		items = s.items
		isTuple = s.tupleStream
	} else if arr, ok := input.([]any); ok {
		items = arr
	} else if !isUndef(input) {
		items = []any{input}
	}
	// Evaluate the sort keys once per item.
	type keyed struct {
		item any
		keys []any
	}
	ks := make([]keyed, len(items))
	for i, it := range items {
		ctx := it
		senv := env
		if isTuple {
			t := asTuple(it)
			ctx = t["@"]
			senv = frameFromTuple(env, t)
		}
		ks[i].item = it
		ks[i].keys = make([]any, len(n.terms))
		for j, term := range n.terms {
			v, err := ev.eval(term.expr, ctx, senv)
			if err != nil {
				return nil, err
			}
			ks[i].keys[j] = v
		}
	}
	var sortErr error
	less := func(a, b keyed) bool {
		for j, term := range n.terms {
			aa, bb := a.keys[j], b.keys[j]
			if isUndef(aa) {
				if isUndef(bb) {
					continue
				}
				return false
			}
			if isUndef(bb) {
				return true
			}
			if !(isNumber(aa) || isString(aa)) || !(isNumber(bb) || isString(bb)) {
				v := bb
				if !(isNumber(aa) || isString(aa)) {
					v = aa
				}
				if sortErr == nil {
					sortErr = errAt("T2008", n.pos, "", v)
				}
				return false
			}
			if isNumber(aa) != isNumber(bb) {
				if sortErr == nil {
					sortErr = errAt("T2007", n.pos, "", aa)
				}
				return false
			}
			var c int
			if isNumber(aa) {
				x, _ := toNumber(aa)
				y, _ := toNumber(bb)
				if x < y {
					c = -1
				} else if x > y {
					c = 1
				}
			} else {
				c = strings.Compare(aa.(string), bb.(string))
			}
			if c == 0 {
				continue
			}
			if term.descending {
				c = -c
			}
			return c < 0
		}
		return false
	}
	sorted := mergeSort(ks, less)
	if sortErr != nil {
		return nil, sortErr
	}
	out := &sequence{isSeq: true, tupleStream: isTuple, items: make([]any, len(sorted))}
	for i, k := range sorted {
		out.items[i] = k.item
	}
	return out, nil
}

// mergeSort is a stable sort that calls less(b, a) to decide whether b goes
// before a, like jsonata-js's merge sort.
func mergeSort[T any](items []T, less func(a, b T) bool) []T {
	if len(items) <= 1 {
		return items
	}
	mid := len(items) / 2
	l := mergeSort(items[:mid], less)
	r := mergeSort(items[mid:], less)
	out := make([]T, 0, len(items))
	i, j := 0, 0
	for i < len(l) && j < len(r) {
		if less(r[j], l[i]) {
			out = append(out, r[j])
			j++
		} else {
			out = append(out, l[i])
			i++
		}
	}
	out = append(out, l[i:]...)
	return append(out, r[j:]...)
}

// asTuple returns v as a tuple; anything else (undefined in an empty
// stream) reads as a tuple with no bindings.
func asTuple(v any) tuple {
	if t, ok := v.(tuple); ok {
		return t
	}
	return tuple{"@": undefined}
}
