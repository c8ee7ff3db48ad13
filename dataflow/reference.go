package dataflow

import (
	"strings"

	"stepwise/jsonval"
)

// ReferencePath is a compiled reference path: a definite path into the
// state input made of names and array indexes only ("$", "$.a.b",
// "$['a b'][0]"), with no context ($$) or variable root. It is used for
// ResultPath and for the Variable and ...Path operands of Choice rules.
//
// A ReferencePath is immutable and safe for concurrent use.
type ReferencePath struct {
	path *Path
}

// CompileReferencePath compiles a reference path. A path that is not
// definite, has a $$ or variable root, or does not compile gives a
// *[PathError].
func CompileReferencePath(s string) (*ReferencePath, error) {
	p, err := CompilePath(s)
	if err != nil {
		se := *err.(*SyntaxError)
		se.Kind = "reference path"
		return nil, &se
	}
	fail := func(msg string) error {
		return &SyntaxError{Kind: "reference path", Text: p.text, Offset: -1, Msg: msg}
	}
	switch p.root {
	case rootContext:
		return nil, fail("a reference path cannot start with '$$'")
	case rootVar:
		return nil, fail("a reference path cannot refer to a variable")
	}
	for _, s := range p.segs {
		if s.scan || !(s.kind == segName && len(s.names) == 1 || s.kind == segIndex && len(s.indexes) == 1) {
			return nil, fail("a reference path must select a single node: no wildcards, slices, filters, lists or '..'")
		}
	}
	return &ReferencePath{path: p}, nil
}

// String returns the path's text.
func (r *ReferencePath) String() string { return r.path.text }

// Path returns r as a query [Path], for reading.
func (r *ReferencePath) Path() *Path { return r.path }

// IsRoot reports whether r is "$".
func (r *ReferencePath) IsRoot() bool { return len(r.path.segs) == 0 }

// Get returns the value r selects in input, failing as [Path.Eval] does.
func (r *ReferencePath) Get(input any) (any, error) {
	return r.path.Eval(input, nil)
}

// Set returns a new document: input with value stored where r points. "$"
// gives value itself. Missing objects on the way are created; the objects
// and arrays on the way are copied, so input is never modified. An array
// index must address an existing element (negative indexes count from the
// end).
//
// It fails with States.ResultPathMatchFailure when a step meets a value
// that is not an object (for a name) or not an array holding that index,
// with the cause "Unable to apply ResultPath \"$.a.b\" to input <input>".
func (r *ReferencePath) Set(input, value any) (any, error) {
	v, ok := setAt(r.path.segs, input, value)
	if !ok {
		return nil, &Failure{
			Name:  ErrorResultPathMatchFailure,
			Cause: "Unable to apply ResultPath \"" + r.path.text + "\" to input " + truncateCause(jsonval.MustMarshalString(input)),
		}
	}
	return v, nil
}

func setAt(segs []segment, cur, value any) (any, bool) {
	if len(segs) == 0 {
		return value, true
	}
	s := &segs[0]
	if s.kind == segIndex {
		arr, ok := cur.([]any)
		if !ok {
			return nil, false
		}
		ix := s.indexes[0]
		if ix < 0 {
			ix += len(arr)
		}
		if ix < 0 || ix >= len(arr) {
			return nil, false
		}
		v, ok := setAt(segs[1:], arr[ix], value)
		if !ok {
			return nil, false
		}
		out := make([]any, len(arr))
		copy(out, arr)
		out[ix] = v
		return out, true
	}
	obj, ok := cur.(*jsonval.Object)
	if !ok {
		return nil, false
	}
	name := s.names[0]
	child, exists := obj.Get(name)
	if !exists {
		child = jsonval.NewObject(1)
		if len(segs) > 1 && segs[1].kind == segIndex {
			return nil, false
		}
	}
	v, ok := setAt(segs[1:], child, value)
	if !ok {
		return nil, false
	}
	out := obj.Clone()
	out.Set(name, v)
	return out, true
}

// maxCauseInput bounds how much of a document a cause quotes.
const maxCauseInput = 32 * 1024

func truncateCause(s string) string {
	if len(s) <= maxCauseInput {
		return s
	}
	return strings.ToValidUTF8(s[:maxCauseInput], "") + "..."
}
