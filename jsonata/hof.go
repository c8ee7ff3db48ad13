package jsonata

import (
	"math"

	"stepwise/jsonval"
)

// ---- higher-order ----

func hofArgs(f any, a1, a2, a3 any) []any {
	n := arity(f)
	args := []any{a1}
	if n >= 2 {
		args = append(args, a2)
	}
	if n >= 3 {
		args = append(args, a3)
	}
	return args
}

func fnMap(ev *evaluator, args []any, _ any, env *frame) (any, error) {
	v := arg(args, 0)
	if isUndef(v) {
		return undefined, nil
	}
	f := arg(args, 1)
	items := arrayItems(v)
	if err := ev.alloc(len(items) * costSlot); err != nil {
		return nil, err
	}
	out := &sequence{isSeq: true}
	for i, it := range items {
		r, err := ev.apply(f, hofArgs(f, it, float64(i), v), undefined, env)
		if err != nil {
			return nil, err
		}
		if !isUndef(r) {
			out.items = append(out.items, r)
		}
	}
	return out, nil
}

func fnFilter(ev *evaluator, args []any, _ any, env *frame) (any, error) {
	v := arg(args, 0)
	if isUndef(v) {
		return undefined, nil
	}
	f := arg(args, 1)
	if err := ev.alloc(len(arrayItems(v)) * costSlot); err != nil {
		return nil, err
	}
	out := &sequence{isSeq: true}
	for i, it := range arrayItems(v) {
		r, err := ev.apply(f, hofArgs(f, it, float64(i), v), undefined, env)
		if err != nil {
			return nil, err
		}
		if ok, err := truthy(r); err != nil {
			return nil, err
		} else if ok {
			out.items = append(out.items, it)
		}
	}
	return out, nil
}

func fnSingle(ev *evaluator, args []any, _ any, env *frame) (any, error) {
	v := arg(args, 0)
	if isUndef(v) {
		return undefined, nil
	}
	f := arg(args, 1)
	found := false
	var result any = undefined
	for i, it := range arrayItems(v) {
		ok := true
		if !isUndef(f) {
			r, err := ev.apply(f, hofArgs(f, it, float64(i), v), undefined, env)
			if err != nil {
				return nil, err
			}
			ok, err = truthy(r)
			if err != nil {
				return nil, err
			}
		}
		if ok {
			if found {
				return nil, newErr("D3138", nil)
			}
			result = it
			found = true
		}
	}
	if !found {
		return nil, newErr("D3139", nil)
	}
	return result, nil
}

func fnReduce(ev *evaluator, args []any, _ any, env *frame) (any, error) {
	v := arg(args, 0)
	if isUndef(v) {
		return undefined, nil
	}
	f := arg(args, 1)
	n := arity(f)
	if n < 2 {
		return nil, newErr("D3050", nil)
	}
	items := arrayItems(v)
	init := arg(args, 2)
	var result any
	i := 0
	if isUndef(init) && len(items) > 0 {
		result = items[0]
		i = 1
	} else {
		result = init
	}
	for ; i < len(items); i++ {
		a := []any{result, items[i]}
		if n >= 3 {
			a = append(a, float64(i))
		}
		if n >= 4 {
			a = append(a, v)
		}
		r, err := ev.apply(f, a, undefined, env)
		if err != nil {
			return nil, err
		}
		result = r
	}
	return result, nil
}

func fnZip(ev *evaluator, args []any, _ any, _ *frame) (any, error) {
	out := []any{}
	if len(args) == 0 {
		return out, nil
	}
	n := math.MaxInt
	for _, a := range args {
		if !isArray(a) {
			n = 0
			break
		}
		n = min(n, len(arrayItems(a)))
	}
	if err := ev.alloc(n * (len(args) + 1) * costSlot); err != nil {
		return nil, err
	}
	for i := 0; i < n; i++ {
		t := make([]any, len(args))
		for j, a := range args {
			t[j] = arrayItems(a)[i]
		}
		out = append(out, t)
	}
	return out, nil
}

func fnSift(ev *evaluator, args []any, _ any, env *frame) (any, error) {
	o, ok := arg(args, 0).(*jsonval.Object)
	if !ok {
		return undefined, nil
	}
	f := arg(args, 1)
	if err := ev.alloc(o.Len() * costMember); err != nil {
		return nil, err
	}
	out := jsonval.NewObject(0)
	for i := 0; i < o.Len(); i++ {
		k, v := o.At(i)
		r, err := ev.apply(f, hofArgs(f, v, k, o), undefined, env)
		if err != nil {
			return nil, err
		}
		if ok, err := truthy(r); err != nil {
			return nil, err
		} else if ok {
			out.Set(k, v)
		}
	}
	if out.Len() == 0 {
		return undefined, nil
	}
	return out, nil
}

func fnEach(ev *evaluator, args []any, _ any, env *frame) (any, error) {
	o, ok := arg(args, 0).(*jsonval.Object)
	if !ok {
		return undefined, nil
	}
	f := arg(args, 1)
	if err := ev.alloc(o.Len() * costSlot); err != nil {
		return nil, err
	}
	out := &sequence{isSeq: true}
	for i := 0; i < o.Len(); i++ {
		k, v := o.At(i)
		r, err := ev.apply(f, hofArgs(f, v, k, o), undefined, env)
		if err != nil {
			return nil, err
		}
		if !isUndef(r) {
			out.items = append(out.items, r)
		}
	}
	return out, nil
}
