package dataflow

import (
	"stepwise/jsonval"
)

// Variable size limits documented by AWS ("Passing data between states
// with variables"): one variable's value, all the values one Assign sets,
// and everything stored in one execution's scope chain.
const (
	MaxVariableSize = 256 * 1024
	MaxAssignSize   = 256 * 1024
	MaxVarsSize     = 10 * 1024 * 1024
)

// Vars is one scope of workflow variables. The top-level scope of an
// execution has no parent; each Parallel branch and each Map iteration gets
// a child scope that reads the variables of its ancestors but assigns only
// in itself. A Vars is immutable: [Vars.Assign] returns a new scope, so an
// engine state that holds one can be copied and replayed freely. It is safe
// for concurrent use.
type Vars struct {
	parent *Vars
	vals   *jsonval.Object
	size   int // bytes of JSON held by vals
}

// NewVars returns an empty scope whose lookups fall back to parent (nil for
// the top-level scope).
func NewVars(parent *Vars) *Vars {
	return &Vars{parent: parent}
}

// Parent returns the enclosing scope, or nil.
func (v *Vars) Parent() *Vars {
	if v == nil {
		return nil
	}
	return v.parent
}

// Get returns the value of the variable name (without the $) from the
// innermost scope that defines it. A nil *Vars defines nothing.
func (v *Vars) Get(name string) (any, bool) {
	for s := v; s != nil; s = s.parent {
		if val, ok := s.vals.Get(name); ok {
			return val, true
		}
	}
	return nil, false
}

// Local returns the variables defined in this scope (not its ancestors) as
// an object in assignment order. The caller must not modify it.
func (v *Vars) Local() *jsonval.Object {
	if v == nil || v.vals == nil {
		return jsonval.NewObject(0)
	}
	return v.vals
}

// Assign returns a new scope with the members of assigned set as
// variables of this scope, replacing earlier values. The values must have
// been computed against the variables as they were before the state (AWS
// assigns simultaneously); evaluating the state's Assign [Template] with an
// [Env] holding v does exactly that.
//
// It fails with States.Runtime when a value is larger than
// [MaxVariableSize], when all the values together are larger than
// [MaxAssignSize], or when the scope chain would hold more than
// [MaxVarsSize] bytes of JSON; v is unchanged then.
func (v *Vars) Assign(assigned *jsonval.Object) (*Vars, error) {
	if v == nil {
		v = NewVars(nil)
	}
	if assigned.Len() == 0 {
		return v, nil
	}
	total := 0
	for name, val := range assigned.All() {
		n, err := jsonSize(val)
		if err != nil {
			return v, runtimeFailure("The value of variable '%s' cannot be represented as JSON", name)
		}
		if n > MaxVariableSize {
			return v, runtimeFailure("The variable '%s' has a size of %d bytes, which exceeds the maximum of %d bytes", name, n, MaxVariableSize)
		}
		total += n
	}
	if total > MaxAssignSize {
		return v, runtimeFailure("The variables assigned by the state have a combined size of %d bytes, which exceeds the maximum of %d bytes", total, MaxAssignSize)
	}
	vals := v.vals.Clone()
	size := v.size
	for name, val := range assigned.All() {
		if old, ok := vals.Get(name); ok {
			n, _ := jsonSize(old)
			size -= n
		}
		n, _ := jsonSize(val)
		size += n
		vals.Set(name, val)
	}
	chain := size
	for s := v.parent; s != nil; s = s.parent {
		chain += s.size
	}
	if chain > MaxVarsSize {
		return v, runtimeFailure("The variables of the execution have a combined size of %d bytes, which exceeds the maximum of %d bytes", chain, MaxVarsSize)
	}
	return &Vars{parent: v.parent, vals: vals, size: size}, nil
}

func jsonSize(v any) (int, error) {
	b, err := jsonval.Marshal(v)
	return len(b), err
}
