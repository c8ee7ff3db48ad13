package jsonval

import "iter"

// indexThreshold is the object size from which lookups go through a map
// instead of a linear scan; small objects, the common case in workflows, are
// faster to scan.
const indexThreshold = 12

// Object is a JSON object whose keys keep the order in which they were first
// set, as AWS and JSONata both preserve it. The zero value is an empty object
// ready to use. An Object is not safe for concurrent mutation; once shared it
// must be treated as read-only (see the package doc).
type Object struct {
	keys  []string
	vals  []any
	index map[string]int // built once the object reaches indexThreshold keys
}

// NewObject returns an empty object with room for n keys.
func NewObject(n int) *Object {
	return &Object{keys: make([]string, 0, n), vals: make([]any, 0, n)}
}

// Len returns the number of keys in o. A nil Object has none.
func (o *Object) Len() int {
	if o == nil {
		return 0
	}
	return len(o.keys)
}

func (o *Object) find(k string) int {
	if o.index != nil {
		if i, ok := o.index[k]; ok {
			return i
		}
		return -1
	}
	for i, key := range o.keys {
		if key == k {
			return i
		}
	}
	return -1
}

// Get returns the value stored under k and whether k is present.
func (o *Object) Get(k string) (any, bool) {
	if o == nil {
		return nil, false
	}
	i := o.find(k)
	if i < 0 {
		return nil, false
	}
	return o.vals[i], true
}

// Has reports whether k is present in o.
func (o *Object) Has(k string) bool {
	if o == nil {
		return false
	}
	return o.find(k) >= 0
}

// Set stores v under k, replacing an existing value in place (its position is
// kept) or appending k at the end.
func (o *Object) Set(k string, v any) {
	if i := o.find(k); i >= 0 {
		o.vals[i] = v
		return
	}
	o.keys = append(o.keys, k)
	o.vals = append(o.vals, v)
	switch {
	case o.index != nil:
		o.index[k] = len(o.keys) - 1
	case len(o.keys) >= indexThreshold:
		o.buildIndex()
	}
}

func (o *Object) buildIndex() {
	o.index = make(map[string]int, len(o.keys)*2)
	for i, k := range o.keys {
		o.index[k] = i
	}
}

// Delete removes k from o, keeping the order of the other keys.
func (o *Object) Delete(k string) {
	i := o.find(k)
	if i < 0 {
		return
	}
	o.keys = append(o.keys[:i], o.keys[i+1:]...)
	o.vals = append(o.vals[:i], o.vals[i+1:]...)
	if o.index != nil {
		if len(o.keys) < indexThreshold {
			o.index = nil
		} else {
			o.buildIndex()
		}
	}
}

// Keys returns the keys of o in order. The caller must not modify the
// returned slice.
func (o *Object) Keys() []string {
	if o == nil {
		return nil
	}
	return o.keys
}

// At returns the i-th key and value of o, for 0 <= i < o.Len().
func (o *Object) At(i int) (string, any) {
	return o.keys[i], o.vals[i]
}

// All iterates over the keys and values of o in order.
func (o *Object) All() iter.Seq2[string, any] {
	return func(yield func(string, any) bool) {
		if o == nil {
			return
		}
		for i, k := range o.keys {
			if !yield(k, o.vals[i]) {
				return
			}
		}
	}
}

// Clone returns a shallow copy of o: a new object with the same keys, in the
// same order, holding the same (shared) values.
func (o *Object) Clone() *Object {
	if o == nil {
		return NewObject(0)
	}
	c := &Object{
		keys: append(make([]string, 0, len(o.keys)+1), o.keys...),
		vals: append(make([]any, 0, len(o.vals)+1), o.vals...),
	}
	if o.index != nil {
		c.buildIndex()
	}
	return c
}

// MarshalJSON encodes o as compact JSON text with its keys in order, so that
// an Object inside values handled by encoding/json keeps its order too.
func (o *Object) MarshalJSON() ([]byte, error) {
	return Marshal(o)
}
