package dataflow

import (
	"strings"

	"stepwise/jsonval"
)

// Template is a compiled payload template: the value of Parameters,
// ItemSelector, ResultSelector or (with JSONPath) Assign. Every object key
// ending in ".$" takes a path, a context path, a variable path or an
// intrinsic function call, whose result is stored under the key without
// its ".$"; every other value is copied as it is. Objects inside arrays are
// templates too.
//
// A Template is immutable and safe for concurrent use.
type Template struct {
	root tnode
}

type tnodeKind uint8

const (
	tLiteral tnodeKind = iota // a value with no ".$" key anywhere inside
	tObject
	tArray
	tPath
	tIntrinsic
)

type tnode struct {
	kind  tnodeKind
	lit   any
	keys  []string // tObject: output keys, in order
	kids  []tnode  // tObject: values; tArray: elements
	field string   // tPath, tIntrinsic: the key with ".$", for causes
	path  *Path
	fn    *call
}

// CompileTemplate compiles a payload template from a parsed JSON value
// (any value of the jsonval model). A ".$" key whose value is not a string,
// or whose string is neither a valid path nor a valid intrinsic function
// call, gives a *[SyntaxError] naming the key; so does an object with both
// "k" and "k.$".
func CompileTemplate(v any) (*Template, error) {
	n, err := compileNode(v)
	if err != nil {
		return nil, err
	}
	return &Template{root: n}, nil
}

func compileNode(v any) (tnode, error) {
	switch x := v.(type) {
	case *jsonval.Object:
		n := tnode{kind: tObject, keys: make([]string, 0, x.Len()), kids: make([]tnode, 0, x.Len())}
		dynamic := false
		seen := make(map[string]string, x.Len())
		for key, val := range x.All() {
			out := key
			var kid tnode
			if name, ok := strings.CutSuffix(key, ".$"); ok {
				out = name
				k, err := compileDynamic(key, val)
				if err != nil {
					return tnode{}, err
				}
				kid = k
			} else {
				k, err := compileNode(val)
				if err != nil {
					return tnode{}, err
				}
				kid = k
			}
			if prev, dup := seen[out]; dup {
				return tnode{}, &SyntaxError{Kind: "template", Text: key, Offset: -1, Msg: "the keys '" + prev + "' and '" + key + "' both set the field '" + out + "'"}
			}
			seen[out] = key
			if kid.kind != tLiteral {
				dynamic = true
			}
			n.keys = append(n.keys, out)
			n.kids = append(n.kids, kid)
		}
		if !dynamic {
			return tnode{kind: tLiteral, lit: x}, nil
		}
		return n, nil
	case []any:
		n := tnode{kind: tArray, kids: make([]tnode, len(x))}
		dynamic := false
		for i, e := range x {
			k, err := compileNode(e)
			if err != nil {
				return tnode{}, err
			}
			n.kids[i] = k
			if k.kind != tLiteral {
				dynamic = true
			}
		}
		if !dynamic {
			return tnode{kind: tLiteral, lit: x}, nil
		}
		return n, nil
	}
	return tnode{kind: tLiteral, lit: v}, nil
}

func compileDynamic(key string, val any) (tnode, error) {
	s, ok := val.(string)
	if !ok {
		return tnode{}, &SyntaxError{Kind: "template", Text: key, Offset: -1,
			Msg: "the value of the field '" + key + "' must be a string holding a JSONPath or an intrinsic function call, not " + describeKind(val)}
	}
	if IsIntrinsic(s) {
		f, err := CompileIntrinsic(s)
		if err != nil {
			return tnode{}, fieldError(key, err)
		}
		return tnode{kind: tIntrinsic, field: key, fn: f.call}, nil
	}
	p, err := CompilePath(s)
	if err != nil {
		return tnode{}, fieldError(key, err)
	}
	return tnode{kind: tPath, field: key, path: p}, nil
}

func fieldError(key string, err error) error {
	se, ok := err.(*SyntaxError)
	if !ok {
		return err
	}
	c := *se
	c.Msg = "in the field '" + key + "': " + c.Msg
	return &c
}

// Eval builds the payload for input. The result is a new value owned by
// the caller, which may share unchanged parts of the template and of input.
//
// A path that selects nothing fails with States.Runtime and AWS's cause
// "The JSONPath '$.x' specified for the field 'k.$' could not be found in
// the input '{...}'"; an intrinsic function fails as [Intrinsic.Eval] does.
func (t *Template) Eval(input any, env *Env) (any, error) {
	v, f := t.root.eval(input, env)
	if f != nil {
		return nil, f
	}
	return v, nil
}

// IsStatic reports whether the template has no ".$" key, so that its value
// is the same for every input (see [Template.Value]).
func (t *Template) IsStatic() bool { return t.root.kind == tLiteral }

// Value returns the template's value if it is static, or nil.
func (t *Template) Value() any {
	if t.root.kind == tLiteral {
		return t.root.lit
	}
	return nil
}

func (n *tnode) eval(input any, env *Env) (any, *Failure) {
	switch n.kind {
	case tLiteral:
		return n.lit, nil
	case tPath:
		return evalPathField(n.path, input, env, n.field)
	case tIntrinsic:
		return n.fn.eval(input, env, n.field)
	case tArray:
		out := make([]any, len(n.kids))
		for i := range n.kids {
			v, f := n.kids[i].eval(input, env)
			if f != nil {
				return nil, f
			}
			out[i] = v
		}
		return out, nil
	}
	out := jsonval.NewObject(len(n.keys))
	for i := range n.kids {
		v, f := n.kids[i].eval(input, env)
		if f != nil {
			return nil, f
		}
		out.Set(n.keys[i], v)
	}
	return out, nil
}
