package dataflow

import (
	"encoding/json"
	"math/big"

	"stepwise/jsonval"
)

// compareNumbers orders two numbers exactly (json.Number texts are compared
// as decimals, not as float64 approximations).
func compareNumbers(a, b any) (int, bool) {
	if fa, ok := a.(float64); ok {
		if fb, ok := b.(float64); ok {
			switch {
			case fa < fb:
				return -1, true
			case fa > fb:
				return 1, true
			}
			return 0, true
		}
	}
	ra, ok1 := toRat(a)
	rb, ok2 := toRat(b)
	if !ok1 || !ok2 {
		return 0, false
	}
	return ra.Cmp(rb), true
}

func toRat(v any) (*big.Rat, bool) {
	switch x := v.(type) {
	case json.Number:
		r, ok := new(big.Rat).SetString(string(x))
		if ok {
			return r, true
		}
		f, ok := jsonval.Float(x)
		if !ok {
			return nil, false
		}
		return floatRat(f)
	default:
		f, ok := jsonval.Float(x)
		if !ok {
			return nil, false
		}
		return floatRat(f)
	}
}

func floatRat(f float64) (*big.Rat, bool) {
	r := new(big.Rat)
	if r.SetFloat64(f) == nil {
		return nil, false
	}
	return r, true
}

// formatNumber renders a number as AWS prints it in strings: a number from
// the input keeps its text, a computed one has no fraction when integral.
func formatNumber(v any) string {
	switch x := v.(type) {
	case json.Number:
		return string(x)
	case float64:
		return jsonval.FormatFloat(x)
	}
	return jsonval.MustMarshalString(v)
}
