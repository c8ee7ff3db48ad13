package jsonata

import (
	"strings"

	"stepwise/jsonval"
)

type groupEntry struct {
	data      any
	exprIndex int
	// owned means data is a []any built here, which later items may be
	// appended to in place (copying it for each item, as fn.append does,
	// would cost time and memory quadratic in the group's size).
	owned bool
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
				if err := ev.appendToGroup(e, item); err != nil {
					return nil, err
				}
			} else {
				if err := ev.alloc(costMember + len(key)); err != nil {
					return nil, err
				}
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
			t, err := ev.reduceTupleStream(e.data)
			if err != nil {
				return nil, err
			}
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

// appendToGroup appends item to a group's data, as e.data =
// appendValues(e.data, item) would.
func (ev *evaluator) appendToGroup(e *groupEntry, item any) error {
	if isUndef(item) {
		return nil
	}
	if isUndef(e.data) {
		e.data, e.owned = item, false
		return nil
	}
	add := []any{item}
	if isArray(item) {
		add = arrayItems(item)
	}
	if !e.owned {
		first := []any{e.data}
		if isArray(e.data) {
			first = arrayItems(e.data)
		}
		if err := ev.alloc((len(first) + len(add)) * costSlot); err != nil {
			return err
		}
		data := make([]any, len(first), len(first)+len(add))
		copy(data, first)
		e.data, e.owned = data, true
	} else if err := ev.alloc(len(add) * costSlot); err != nil {
		return err
	}
	e.data = append(e.data.([]any), add...)
	return nil
}

// reduceTupleStream merges the tuples of a group: each binding becomes the
// values it had in the tuples, appended as fn.append would append them (in
// place, so that a large group costs linear time and memory).
func (ev *evaluator) reduceTupleStream(v any) (tuple, error) {
	if !isArray(v) {
		t := asTuple(v)
		out := make(tuple, len(t))
		for k, x := range t {
			out[k] = x
		}
		return out, nil
	}
	items := arrayItems(v)
	if err := ev.alloc(len(items) * costTuple); err != nil {
		return nil, err
	}
	acc := map[string]*groupEntry{}
	for k, x := range asTuple(items[0]) {
		acc[k] = &groupEntry{data: x}
	}
	for _, it := range items[1:] {
		for k, x := range asTuple(it) {
			e, ok := acc[k]
			if !ok {
				e = &groupEntry{data: undefined}
				acc[k] = e
			}
			if err := ev.appendToGroup(e, x); err != nil {
				return nil, err
			}
		}
	}
	out := make(tuple, len(acc))
	for k, e := range acc {
		out[k] = e.data
	}
	return out, nil
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
	if err := ev.alloc(len(items) * (costSlot + costSlot + len(n.terms)*costSlot)); err != nil {
		return nil, err
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
