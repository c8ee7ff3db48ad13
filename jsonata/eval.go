package jsonata

import (
	"fmt"
	"math/rand/v2"
	"strconv"
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
	// spent is what the values built so far cost, in bytes (see alloc);
	// maxAlloc is the budget.
	spent    int
	maxAlloc int
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
	// Code that cannot return an error (a deep walk over a value) records
	// what it built and stops early; the budget is checked here, so no
	// value built over budget travels further.
	if err == nil && ev.spent > ev.maxAlloc {
		return nil, ev.allocError(n.pos)
	}
	if err == nil && ev.steps > ev.maxSteps {
		return nil, &Error{Code: "U1001", Position: n.pos, Message: "Expression evaluation timeout: Check for infinite loop"}
	}
	return r, err
}

// What values cost against the allocation budget ([Options].MaxAlloc), in
// bytes: close to what the Go runtime allocates for them on 64-bit
// platforms, so that the budget bounds the evaluation's real memory.
const (
	costSlot   = 16 // an item of an array or sequence: an interface value
	costNumber = 8  // a computed number, boxed in an interface
	costMember = 80 // an object member: its key and value, its index entry
	costTuple  = 64 // a binding in a tuple of a tuple stream: a map entry
)

// appendItems appends src to dst, charging every new backing array dst
// gets at its capacity (what append allocates), before building it.
func (ev *evaluator) appendItems(dst, src []any) ([]any, error) {
	n := len(dst) + len(src)
	if n <= cap(dst) {
		return append(dst, src...), nil
	}
	if err := ev.alloc(n * costSlot); err != nil {
		return dst, err
	}
	out := append(dst, src...)
	if err := ev.alloc((cap(out) - n) * costSlot); err != nil {
		return dst, err
	}
	return out, nil
}

// alloc charges n bytes of values about to be built (or just built) to the
// allocation budget, and fails once the budget is exceeded. Callers charge
// before building when they know the size, so that an oversized value is
// never allocated at all.
func (ev *evaluator) alloc(n int) error {
	if !ev.spend(n) {
		return ev.allocError(0)
	}
	return nil
}

// spend is alloc for code that has no error to return: it reports whether
// the budget still holds, and eval returns the error at the end of the
// node.
func (ev *evaluator) spend(n int) bool {
	if n < 0 || n > ev.maxAlloc {
		ev.spent = ev.maxAlloc + 1
		return false
	}
	ev.spent += n
	return ev.spent <= ev.maxAlloc
}

// allocError is the error of an evaluation over its allocation budget.
func (ev *evaluator) allocError(pos int) *Error {
	return &Error{Code: "U1002", Position: pos, Message: fmt.Sprintf(
		"Memory limit exceeded: the expression built values of more than %s (the evaluation's allocation limit)", byteSize(ev.maxAlloc))}
}

// byteSize writes n bytes as "64 MiB" when it is a whole number of MiB or
// KiB, else as "N bytes".
func byteSize(n int) string {
	switch {
	case n >= 1<<20 && n%(1<<20) == 0:
		return strconv.Itoa(n>>20) + " MiB"
	case n >= 1<<10 && n%(1<<10) == 0:
		return strconv.Itoa(n>>10) + " KiB"
	}
	return strconv.Itoa(n) + " bytes"
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

// roomFor checks, without charging it, that a string of n bytes can still
// be built: code that builds a string piece by piece calls it as the string
// grows, and charges the whole string once it is built.
func (ev *evaluator) roomFor(n int) error {
	if n > maxStringLength {
		return &Error{Code: "U1002", Message: "Memory limit exceeded: string result too large"}
	}
	if n > ev.maxAlloc-ev.spent {
		return ev.allocError(0)
	}
	return nil
}

// grown charges the buffers a strings.Builder allocated since its capacity
// was last seen (*lastCap), each growth being a new buffer of the new
// capacity, and reports whether the budget and maxStringLength still hold.
// Code that builds a string piece by piece calls it as the string grows.
func (ev *evaluator) grown(b *strings.Builder, lastCap *int) bool {
	if c := b.Cap(); c != *lastCap {
		*lastCap = c
		if !ev.spend(c) {
			return false
		}
	}
	return b.Len() <= maxStringLength && ev.spent <= ev.maxAlloc
}

// builderError is the error of a string grown over budget (see grown).
func (ev *evaluator) builderError(b *strings.Builder) error {
	if b.Len() > maxStringLength {
		return &Error{Code: "U1002", Message: "Memory limit exceeded: string result too large"}
	}
	return ev.allocError(0)
}

// allocString charges a string of n bytes about to be built: it must fit
// both maxStringLength and the allocation budget.
func (ev *evaluator) allocString(n int) error {
	if n > maxStringLength {
		return &Error{Code: "U1002", Message: "Memory limit exceeded: string result too large"}
	}
	return ev.alloc(n)
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
		result = ev.lookupField(input, n.op)
	case nString, nNumber:
		result = n.value
	case nValue:
		result = n.value
	case nWildcard:
		result = ev.evalWildcard(input)
	case nDescendant:
		result = ev.evalDescendants(input)
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

// lookupField is jsonata-js's fn.lookup. Over arrays it builds a sequence,
// charged to the budget item by item (nested arrays may share parts, so the
// walk itself is charged too); over budget it stops early and eval reports
// the error.
func (ev *evaluator) lookupField(input any, key string) any {
	switch x := input.(type) {
	case *jsonval.Object:
		if v, ok := x.Get(key); ok {
			return v
		}
		return undefined
	case []any, *sequence:
		items := arrayItems(x)
		if !ev.spend(len(items) * costSlot) {
			return undefined
		}
		res := &sequence{isSeq: true, items: make([]any, 0, len(items))}
		for _, it := range items {
			v := ev.lookupField(it, key)
			if isUndef(v) {
				continue
			}
			if isArray(v) {
				vs := arrayItems(v)
				if !ev.spend(len(vs) * costSlot) {
					return undefined
				}
				res.items = append(res.items, vs...)
			} else {
				res.items = append(res.items, v)
			}
		}
		return res
	}
	return undefined
}

func (ev *evaluator) evalWildcard(input any) any {
	res := &sequence{isSeq: true}
	if s, ok := input.(*sequence); ok && s.outerWrapper && len(s.items) > 0 {
		input = s.items[0]
	}
	var vals []any
	if o, ok := input.(*jsonval.Object); ok {
		if !ev.spend(o.Len() * costSlot) {
			return undefined
		}
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
			res.items = ev.flattenInto(res.items, v)
		} else {
			res.items = append(res.items, v)
		}
	}
	return res
}

// flattenInto appends the leaves of v to dst, charging each node visited
// (arrays may share parts, so the walk can be far longer than v looks).
func (ev *evaluator) flattenInto(dst []any, v any) []any {
	if !ev.spend(costSlot) {
		return dst
	}
	if isArray(v) {
		for _, it := range arrayItems(v) {
			dst = ev.flattenInto(dst, it)
		}
		return dst
	}
	return append(dst, v)
}

func (ev *evaluator) evalDescendants(input any) any {
	if isUndef(input) {
		return undefined
	}
	res := &sequence{isSeq: true}
	ev.recurseDescendants(input, res)
	if len(res.items) == 1 {
		return res.items[0]
	}
	return res
}

// recurseDescendants appends input and everything below it to res,
// charging each node visited.
func (ev *evaluator) recurseDescendants(input any, res *sequence) {
	if !ev.spend(costSlot) {
		return
	}
	if isArray(input) {
		for _, it := range arrayItems(input) {
			ev.recurseDescendants(it, res)
		}
		return
	}
	c := cap(res.items)
	res.items = append(res.items, input)
	if cap(res.items) != c && !ev.spend(cap(res.items)*costSlot) {
		// a new backing array, of the new capacity
		return
	}
	if o, ok := input.(*jsonval.Object); ok {
		for i := 0; i < o.Len(); i++ {
			_, v := o.At(i)
			ev.recurseDescendants(v, res)
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
