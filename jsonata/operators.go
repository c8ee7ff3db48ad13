package jsonata

import (
	"math"
	"strings"
)

func (ev *evaluator) evalBinary(n *node, input any, env *frame) (any, error) {
	lhs, err := ev.evalOperand(n.lhs, input, env)
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
	rhs, err := ev.evalOperand(n.rhs, input, env)
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
		result = ev.deepEqual(lhs, rhs)
	case "!=":
		if isUndef(lhs) || isUndef(rhs) {
			return false, nil
		}
		result = !ev.deepEqual(lhs, rhs)
	case "<", "<=", ">", ">=":
		result, err = compareOp(lhs, rhs, op)
	case "&":
		var ls, rs string
		if !isUndef(lhs) {
			ls, err = ev.toJSString(lhs, false)
		}
		if err == nil && !isUndef(rhs) {
			rs, err = ev.toJSString(rhs, false)
		}
		if err == nil {
			err = ev.allocString(len(ls) + len(rs))
		}
		if err == nil {
			result = ls + rs
		}
	case "..":
		result, err = ev.rangeOp(lhs, rhs)
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
	if a, ok := toNumber(lhs); ok {
		if b, ok := toNumber(rhs); ok && !math.IsNaN(a) && !math.IsNaN(b) {
			switch op {
			case "<":
				return a < b, nil
			case "<=":
				return a <= b, nil
			case ">":
				return a > b, nil
			}
			return a >= b, nil
		}
	}
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

func (ev *evaluator) rangeOp(lhs, rhs any) (any, error) {
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
	if err := ev.alloc(int(size) * (costSlot + costNumber)); err != nil {
		return nil, err
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
		if err := ev.alloc(len(n.exprs) * costSlot); err != nil {
			return nil, err
		}
		out := make([]any, 0, len(n.exprs))
		for _, item := range n.exprs {
			v, err := ev.eval(item, input, env)
			if err != nil {
				return nil, err
			}
			if isUndef(v) {
				continue
			}
			if isArray(v) && !(item.typ == nUnary && item.op == "[") && len(n.exprs) > 1 {
				if err := ev.alloc(len(arrayItems(v)) * costSlot); err != nil {
					return nil, err
				}
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
