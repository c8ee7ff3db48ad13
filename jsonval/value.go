package jsonval

import (
	"encoding/json"
	"errors"
	"math"
	"slices"
	"strconv"
	"strings"
)

// Kind is the JSON type of a value.
type Kind int

// The JSON kinds. Invalid is a Go value outside the model.
const (
	Invalid Kind = iota
	Null
	Bool
	Number
	String
	Array
	ObjectKind
)

var kindNames = [...]string{"invalid", "null", "boolean", "number", "string", "array", "object"}

func (k Kind) String() string {
	if k < 0 || int(k) >= len(kindNames) {
		return "invalid"
	}
	return kindNames[k]
}

// KindOf returns the JSON kind of v.
func KindOf(v any) Kind {
	switch v.(type) {
	case nil:
		return Null
	case bool:
		return Bool
	case json.Number, float64, int, int64:
		return Number
	case string:
		return String
	case []any:
		return Array
	case *Object:
		return ObjectKind
	default:
		return Invalid
	}
}

// Float returns v as a float64 if v is a number. A [json.Number] too large
// for float64 gives an infinity, as JavaScript would.
func Float(v any) (float64, bool) {
	switch x := v.(type) {
	case float64:
		return x, true
	case json.Number:
		f, err := strconv.ParseFloat(string(x), 64)
		if err != nil {
			// ParseFloat reports range errors but still returns ±Inf or 0.
			if errors.Is(err, strconv.ErrRange) {
				return f, true
			}
			return 0, false
		}
		return f, true
	case int:
		return float64(x), true
	case int64:
		return float64(x), true
	}
	return 0, false
}

// Int returns v as an int64 if v is a number with an integral value that
// fits in an int64.
func Int(v any) (int64, bool) {
	if n, ok := v.(json.Number); ok {
		if i, err := strconv.ParseInt(string(n), 10, 64); err == nil {
			return i, true
		}
	}
	f, ok := Float(v)
	if !ok || f != math.Trunc(f) || f < -9.223372036854775e18 || f > 9.223372036854775e18 {
		return 0, false
	}
	return int64(f), true
}

// IsIntegral reports whether v is a number with no fractional part.
func IsIntegral(v any) bool {
	if n, ok := v.(json.Number); ok && !strings.ContainsAny(string(n), ".eE") {
		return true
	}
	f, ok := Float(v)
	return ok && !math.IsInf(f, 0) && f == math.Trunc(f)
}

// Equal reports whether a and b are the same JSON value: numbers compare by
// value (1, 1.0 and 1e0 are equal), objects by their members regardless of
// key order, arrays element by element.
func Equal(a, b any) bool {
	ka, kb := KindOf(a), KindOf(b)
	if ka != kb {
		return false
	}
	switch ka {
	case Null:
		return true
	case Bool:
		return a.(bool) == b.(bool)
	case String:
		return a.(string) == b.(string)
	case Number:
		if na, ok := a.(json.Number); ok {
			if nb, ok := b.(json.Number); ok && na == nb {
				return true
			}
		}
		fa, _ := Float(a)
		fb, _ := Float(b)
		return fa == fb
	case Array:
		xa, xb := a.([]any), b.([]any)
		if len(xa) != len(xb) {
			return false
		}
		for i := range xa {
			if !Equal(xa[i], xb[i]) {
				return false
			}
		}
		return true
	case ObjectKind:
		oa, ob := a.(*Object), b.(*Object)
		if oa.Len() != ob.Len() {
			return false
		}
		for k, va := range oa.All() {
			vb, ok := ob.Get(k)
			if !ok || !Equal(va, vb) {
				return false
			}
		}
		return true
	}
	return false
}

// FromGo converts a value built from Go literals or decoded by encoding/json
// (map[string]any, []any, float64, int, json.Number, ...) into the model.
// Map keys are sorted, since Go maps have no order. Values already in the
// model pass through. It is meant for tests and for callers at the edges.
func FromGo(v any) any {
	switch x := v.(type) {
	case map[string]any:
		keys := make([]string, 0, len(x))
		for k := range x {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		o := NewObject(len(keys))
		for _, k := range keys {
			o.Set(k, FromGo(x[k]))
		}
		return o
	case []any:
		out := make([]any, len(x))
		for i, e := range x {
			out[i] = FromGo(e)
		}
		return out
	case int:
		return json.Number(strconv.Itoa(x))
	case int64:
		return json.Number(strconv.FormatInt(x, 10))
	case float32:
		return float64(x)
	}
	return v
}

// Size returns the length in bytes of v's compact JSON encoding, as
// [Marshal] would write it, without building it. A value outside the model
// counts as 0.
func Size(v any) int {
	switch x := v.(type) {
	case nil:
		return 4
	case bool:
		if x {
			return 4
		}
		return 5
	case string:
		return stringSize(x)
	case json.Number:
		return len(x)
	case float64:
		return len(FormatFloat(x))
	case int:
		return len(strconv.Itoa(x))
	case int64:
		return len(strconv.FormatInt(x, 10))
	case []any:
		n := 2
		for i, e := range x {
			if i > 0 {
				n++
			}
			n += Size(e)
		}
		return n
	case *Object:
		n := 2
		for i := range x.Len() {
			k, e := x.At(i)
			if i > 0 {
				n++
			}
			n += stringSize(k) + 1 + Size(e)
		}
		return n
	}
	return 0
}

func stringSize(s string) int {
	n := 2
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '"' || c == '\\' || c == '\n' || c == '\r' || c == '\t' || c == '\b' || c == '\f':
			n += 2
		case c < 0x20:
			n += 6
		default:
			n++
		}
	}
	return n
}
