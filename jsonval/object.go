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
	members []member
	index   map[string]int // built once the object reaches indexThreshold keys
	// small holds the members of small objects, so that creating or
	// cloning one is a single allocation.
	small [smallObject]member
}

// smallObject is how many members an Object holds without a separate
// allocation.
const smallObject = 4

type member struct {
	key string
	val any
}

// NewObject returns an empty object with room for n keys.
func NewObject(n int) *Object {
	o := &Object{}
	if n <= smallObject {
		o.members = o.small[:0:smallObject]
	} else {
		o.members = make([]member, 0, n)
	}
	return o
}

// Len returns the number of keys in o. A nil Object has none.
func (o *Object) Len() int {
	if o == nil {
		return 0
	}
	return len(o.members)
}

func (o *Object) find(k string) int {
	if o.index != nil {
		if i, ok := o.index[k]; ok {
			return i
		}
		return -1
	}
	for i := range o.members {
		if o.members[i].key == k {
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
	return o.members[i].val, true
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
		o.members[i].val = v
		return
	}
	o.members = append(o.members, member{k, v})
	switch {
	case o.index != nil:
		o.index[k] = len(o.members) - 1
	case len(o.members) >= indexThreshold:
		o.buildIndex()
	}
}

func (o *Object) buildIndex() {
	o.index = make(map[string]int, len(o.members)*2)
	for i, m := range o.members {
		o.index[m.key] = i
	}
}

// Delete removes k from o, keeping the order of the other keys.
func (o *Object) Delete(k string) {
	i := o.find(k)
	if i < 0 {
		return
	}
	o.members = append(o.members[:i], o.members[i+1:]...)
	if o.index != nil {
		if len(o.members) < indexThreshold {
			o.index = nil
		} else {
			o.buildIndex()
		}
	}
}

// Keys returns the keys of o in order, in a new slice.
func (o *Object) Keys() []string {
	if o == nil {
		return nil
	}
	keys := make([]string, len(o.members))
	for i, m := range o.members {
		keys[i] = m.key
	}
	return keys
}

// At returns the i-th key and value of o, for 0 <= i < o.Len().
func (o *Object) At(i int) (string, any) {
	return o.members[i].key, o.members[i].val
}

// All iterates over the keys and values of o in order.
func (o *Object) All() iter.Seq2[string, any] {
	return func(yield func(string, any) bool) {
		if o == nil {
			return
		}
		for _, m := range o.members {
			if !yield(m.key, m.val) {
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
	c := NewObject(len(o.members) + 1)
	c.members = append(c.members, o.members...)
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
