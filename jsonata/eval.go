package jsonata

import (
	"math/rand/v2"
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

// evalOperand is eval with a fast path for literals, keeping the same step
// and depth accounting.
func (ev *evaluator) evalOperand(n *node, input any, env *frame) (any, error) {
	if !n.literal {
		return ev.eval(n, input, env)
	}
	ev.steps++
	if ev.steps > ev.maxSteps {
		return nil, &Error{Code: "U1001", Position: n.pos, Message: "Expression evaluation timeout: Check for infinite loop"}
	}
	if ev.depth+1 > ev.maxDepth {
		return nil, &Error{Code: "U1001", Position: n.pos}
	}
	return n.value, nil
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
