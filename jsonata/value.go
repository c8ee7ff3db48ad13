package jsonata

import (
	"encoding/json"
	"math"

	"stepwise/jsonval"
)

type jsonNumber = json.Number
type objectT = jsonval.Object

// undefinedType is JSONata's undefined: no value. It never leaves the
// package; Evaluate reports it with defined == false.
type undefinedType struct{}

var undefined any = undefinedType{}

func isUndef(v any) bool {
	_, ok := v.(undefinedType)
	return ok
}

// sequence is an internal array with the flags jsonata-js attaches to
// JavaScript arrays: a sequence (isSeq) collapses to its only item or to
// undefined when empty, unless keepSingleton is set; a non-sequence with cons
// set is an array built by an array constructor in a path, which is not
// flattened.
type sequence struct {
	items         []any
	isSeq         bool
	keepSingleton bool
	outerWrapper  bool
	tupleStream   bool
	cons          bool
}

// tuple is one item of a tuple stream: the context '@' and the variables
// bound along the path.
type tuple map[string]any

func newSeq(items ...any) *sequence {
	return &sequence{items: items, isSeq: true}
}

func isArray(v any) bool {
	switch v.(type) {
	case []any, *sequence:
		return true
	}
	return false
}

func isSequence(v any) bool {
	s, ok := v.(*sequence)
	return ok && s.isSeq
}

// arrayItems returns the items of an array value, or nil.
func arrayItems(v any) []any {
	switch x := v.(type) {
	case []any:
		return x
	case *sequence:
		return x.items
	}
	return nil
}

// toNumber returns the float64 value of a numeric value.
func toNumber(v any) (float64, bool) {
	switch x := v.(type) {
	case float64:
		return x, true
	case json.Number:
		return numberFloat(x)
	}
	return 0, false
}

// numberFloat converts a json.Number, with a fast path for short integers.
func numberFloat(n json.Number) (float64, bool) {
	s := string(n)
	if len(s) > 0 && len(s) < 16 {
		neg := s[0] == '-'
		i := 0
		if neg {
			i = 1
		}
		v := int64(0)
		ok := i < len(s)
		for ; i < len(s); i++ {
			c := s[i]
			if c < '0' || c > '9' {
				ok = false
				break
			}
			v = v*10 + int64(c-'0')
		}
		if ok {
			if neg {
				if v == 0 {
					return math.Copysign(0, -1), true
				}
				return float64(-v), true
			}
			return float64(v), true
		}
	}
	return jsonval.Float(n)
}

func isNumber(v any) bool {
	switch v.(type) {
	case float64, json.Number:
		return true
	}
	return false
}

// isNumeric reports whether v is a usable number; infinities are errors
// (D1001), as in jsonata-js.
func isNumeric(v any) (bool, error) {
	f, ok := toNumber(v)
	if !ok || math.IsNaN(f) {
		return false, nil
	}
	if math.IsInf(f, 0) {
		return false, newErr("D1001", f)
	}
	return true, nil
}

func isInteger(v any) bool {
	f, ok := toNumber(v)
	return ok && !math.IsInf(f, 0) && f == math.Trunc(f)
}

func isFunction(v any) bool {
	switch v.(type) {
	case *lambda, *builtin, *regexValue:
		return true
	}
	return false
}

// plain converts an internal array (sequence) to a plain []any so that it
// can be stored inside an object or array.
func plain(v any) any {
	if s, ok := v.(*sequence); ok {
		if s.tupleStream {
			out := make([]any, len(s.items))
			for i, t := range s.items {
				if tp, ok := t.(tuple); ok {
					out[i] = tp["@"]
				} else {
					out[i] = t
				}
			}
			return out
		}
		return s.items
	}
	return v
}

// toOutput converts an internal value to the public value model: sequences
// become []any, functions are dropped from objects and become null in
// arrays (as JSON.stringify does), json.Number and float64 pass through.
// Values needing no change are returned as they are (no copy).
func toOutput(v any) any {
	switch x := v.(type) {
	case *sequence:
		items := plain(x).([]any)
		clean := true
		for _, it := range items {
			if isUndef(it) || needsConversion(it) {
				clean = false
				break
			}
		}
		if clean {
			return items[:len(items):len(items)]
		}
		out := make([]any, 0, len(items))
		for _, it := range items {
			if isUndef(it) {
				continue
			}
			out = append(out, outItem(it))
		}
		return out
	case []any:
		for i, it := range x {
			if needsConversion(it) {
				out := make([]any, len(x))
				copy(out, x[:i])
				for j := i; j < len(x); j++ {
					out[j] = outItem(x[j])
				}
				return out
			}
		}
		return x
	case *jsonval.Object:
		for i := 0; i < x.Len(); i++ {
			_, val := x.At(i)
			if needsConversion(val) {
				o := jsonval.NewObject(x.Len())
				for j := 0; j < x.Len(); j++ {
					k, val := x.At(j)
					if isFunction(val) || isUndef(val) {
						continue
					}
					o.Set(k, toOutput(val))
				}
				return o
			}
		}
		return x
	case float64:
		if math.IsNaN(x) || math.IsInf(x, 0) {
			return nil
		}
		return x
	}
	if t, ok := v.(tuple); ok {
		return toOutput(t["@"])
	}
	if isFunction(v) {
		return ""
	}
	return v
}

func outItem(v any) any {
	if isFunction(v) || isUndef(v) {
		return nil
	}
	return toOutput(v)
}

func needsConversion(v any) bool {
	switch x := v.(type) {
	case nil, bool, string, json.Number:
		return false
	case float64:
		return math.IsNaN(x) || math.IsInf(x, 0)
	case []any:
		for _, it := range x {
			if needsConversion(it) {
				return true
			}
		}
		return false
	case *jsonval.Object:
		for i := 0; i < x.Len(); i++ {
			_, val := x.At(i)
			if needsConversion(val) {
				return true
			}
		}
		return false
	}
	return true
}

// deepEqual is jsonata-js's isDeepEqual. Each pair of values compared is an
// evaluation step: values may share parts, so a comparison can visit far
// more nodes than the values look to have. Out of steps it stops early
// and eval reports the error.
func (ev *evaluator) deepEqual(a, b any) bool {
	ev.steps++
	if ev.steps > ev.maxSteps {
		return false
	}
	switch x := a.(type) {
	case nil:
		return b == nil
	case bool:
		y, ok := b.(bool)
		return ok && x == y
	case string:
		y, ok := b.(string)
		return ok && x == y
	case float64, json.Number:
		fa, _ := toNumber(a)
		fb, ok := toNumber(b)
		return ok && fa == fb
	case undefinedType:
		return isUndef(b)
	case *jsonval.Object:
		y, ok := b.(*jsonval.Object)
		if !ok {
			return false
		}
		if x == y {
			return true
		}
		if x.Len() != y.Len() {
			return false
		}
		for i := 0; i < x.Len(); i++ {
			k, va := x.At(i)
			vb, ok := y.Get(k)
			if !ok || !ev.deepEqual(va, vb) {
				return false
			}
		}
		return true
	}
	if isArray(a) {
		if !isArray(b) {
			return false
		}
		xa, xb := arrayItems(a), arrayItems(b)
		if len(xa) != len(xb) {
			return false
		}
		for i := range xa {
			if !ev.deepEqual(xa[i], xb[i]) {
				return false
			}
		}
		return true
	}
	return a == b
}

func itoa(i int) string {
	return formatNumber(float64(i))
}

// formatNumber formats a number as JavaScript's Number.prototype.toString.
func formatNumber(f float64) string {
	if math.IsNaN(f) {
		return "NaN"
	}
	if math.IsInf(f, 1) {
		return "Infinity"
	}
	if math.IsInf(f, -1) {
		return "-Infinity"
	}
	return jsonval.FormatFloat(f)
}
