package jsonata

import "stepwise/jsonval"

// fits reports whether v, expanded in full (as its JSON encoding or a deep
// copy would expand it), costs at most limit bytes. Values may share parts,
// so a value built in a few steps can expand to an exponential size; the
// walk stops as soon as the limit is passed, so it takes O(limit) time
// whatever v is.
func fits(v any, limit int) bool {
	left := limit
	return walkCost(v, &left)
}

// walkCost subtracts v's expanded cost from *left and reports whether it
// stayed non-negative.
func walkCost(v any, left *int) bool {
	*left -= costSlot
	if *left < 0 {
		return false
	}
	switch x := v.(type) {
	case string:
		*left -= len(x)
	case []any:
		for _, it := range x {
			if !walkCost(it, left) {
				return false
			}
		}
	case *sequence:
		for _, it := range x.items {
			if !walkCost(it, left) {
				return false
			}
		}
	case *jsonval.Object:
		for i := 0; i < x.Len(); i++ {
			k, val := x.At(i)
			*left -= costMember + len(k)
			if !walkCost(val, left) {
				return false
			}
		}
	case tuple:
		for k, val := range x {
			*left -= costTuple + len(k)
			if !walkCost(val, left) {
				return false
			}
		}
	}
	return *left >= 0
}

// chargeValue charges v's expanded cost to the allocation budget: for
// values that a caller is about to copy in full (a native function's
// arguments, which are converted to the output model) or that were just
// built from outside the evaluator (a native function's result).
func (ev *evaluator) chargeValue(v any) error {
	left := ev.maxAlloc - ev.spent
	if !walkCost(v, &left) {
		ev.spent = ev.maxAlloc + 1
		return ev.allocError(0)
	}
	ev.spent = ev.maxAlloc - left
	return nil
}
