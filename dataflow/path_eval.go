package dataflow

import (
	"stepwise/jsonval"
)

// Eval evaluates p against input ($), env.Context ($$) or the variable it
// names ($name). A definite path returns the selected value itself; an
// indefinite path returns a new []any of every match (possibly empty),
// which the caller owns. Input values are shared, never copied.
//
// It fails with a *[Failure] named States.Runtime whose cause is AWS's
// message for InputPath and OutputPath, e.g.
// "Invalid path '$.x' : No results for path: $['x']", when a definite path
// selects nothing or when a variable is not defined. An indefinite path
// never fails: AWS gives [] when nothing matches.
func (p *Path) Eval(input any, env *Env) (any, error) {
	v, f := p.eval(input, env)
	if f != nil {
		return nil, f
	}
	return v, nil
}

// eval is Eval returning a typed failure, so that callers can rewrite the
// cause for their field.
func (p *Path) eval(input any, env *Env) (any, *Failure) {
	root, f := p.rootValue(input, env)
	if f != nil {
		return nil, f
	}
	if p.definite {
		if v, ok := p.walkDefinite(root); ok {
			return v, nil
		}
		return nil, runtimeFailure("Invalid path '%s' : %s", p.text, p.definiteFailure(root))
	}
	// AWS never fails an indefinite path: a missing property or a value of
	// the wrong type anywhere on the way just selects nothing
	// (conformance test_json_path_array_wildcard_or_slice_with_no_input:
	// "$.items[*]" on {} gives []).
	out := []any{}
	p.walk(0, root, root, env, &out)
	return out, nil
}

func (p *Path) rootValue(input any, env *Env) (any, *Failure) {
	switch p.root {
	case rootContext:
		if env == nil {
			return nil, nil
		}
		return env.Context, nil
	case rootVar:
		v, ok := env.vars().Get(p.varName)
		if !ok {
			return nil, runtimeFailure("Invalid path '%s' : The variable '$%s' is not defined", p.text, p.varName)
		}
		return v, nil
	}
	return input, nil
}

// walkDefinite follows a definite path without building messages.
func (p *Path) walkDefinite(cur any) (any, bool) {
	for i := range p.segs {
		s := &p.segs[i]
		switch s.kind {
		case segName:
			obj, ok := cur.(*jsonval.Object)
			if !ok {
				return nil, false
			}
			if len(s.names) > 1 {
				return mergeNames(obj, s.names), true
			}
			if cur, ok = obj.Get(s.names[0]); !ok {
				return nil, false
			}
		case segIndex:
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
			cur = arr[ix]
		default:
			return nil, false
		}
	}
	return cur, true
}

// definiteFailure returns Jayway's message for a definite path that
// walkDefinite could not follow.
func (p *Path) definiteFailure(cur any) string {
	for i := range p.segs {
		next, found, msg := p.step(i, cur, true)
		if msg != "" {
			return msg
		}
		if !found {
			return "No results for path: " + p.jaywayPath(len(p.segs))
		}
		cur = next
	}
	return "No results for path: " + p.jaywayPath(len(p.segs))
}

// step applies the definite step i to cur, with Jayway's messages for an
// upstream-definite step: found is false when the step selects nothing
// without an error (a missing leaf, an index out of bounds).
func (p *Path) step(i int, cur any, definitePath bool) (next any, found bool, msg string) {
	s := &p.segs[i]
	leaf := i == len(p.segs)-1
	switch s.kind {
	case segName:
		obj, ok := cur.(*jsonval.Object)
		if !ok {
			return nil, false, "Expected to find an object with property " + p.jaywayPath(i + 1)[len(p.jaywayPath(i)):] +
				" in path " + p.jaywayPath(i) + " but found '" + javaType(cur) + "'. This is not a json object according to the JsonProvider: 'com.jayway.jsonpath.spi.json.JacksonJsonProvider'."
		}
		if len(s.names) > 1 {
			return mergeNames(obj, s.names), true, ""
		}
		v, ok := obj.Get(s.names[0])
		if !ok {
			if leaf && definitePath {
				return nil, false, ""
			}
			return nil, false, "Missing property in path " + p.jaywayPath(i+1)
		}
		return v, true, ""
	case segIndex:
		arr, ok := cur.([]any)
		if !ok {
			return nil, false, notArrayMessage(p, i, cur)
		}
		ix := s.indexes[0]
		if ix < 0 {
			ix += len(arr)
		}
		if ix < 0 || ix >= len(arr) {
			return nil, false, ""
		}
		return arr[ix], true, ""
	}
	return nil, false, ""
}

func notArrayMessage(p *Path, i int, cur any) string {
	if cur == nil {
		return "The path " + p.jaywayPath(i) + " is null"
	}
	frag := p.jaywayPath(i + 1)[len(p.jaywayPath(i)):]
	return "Filter: " + frag + " can only be applied to arrays. Current context is: " + jsonval.MustMarshalString(cur)
}

func javaType(v any) string {
	switch v.(type) {
	case nil:
		return "null"
	case string:
		return "java.lang.String"
	case bool:
		return "java.lang.Boolean"
	case []any:
		return "java.util.ArrayList"
	}
	if jsonval.IsIntegral(v) {
		return "java.lang.Integer"
	}
	return "java.lang.Double"
}

func mergeNames(obj *jsonval.Object, names []string) *jsonval.Object {
	out := jsonval.NewObject(len(names))
	for _, n := range names {
		if v, ok := obj.Get(n); ok {
			out.Set(n, v)
		}
	}
	return out
}

// collect evaluates p from base without failing: used for indefinite paths
// inside filters.
func (p *Path) collect(base, root any, env *Env) []any {
	out := []any{}
	p.walk(0, base, root, env, &out)
	return out
}

// walk applies the steps from i on to cur, appending every match to out.
func (p *Path) walk(i int, cur, root any, env *Env, out *[]any) {
	if i == len(p.segs) {
		*out = append(*out, cur)
		return
	}
	s := &p.segs[i]
	if s.scan {
		p.scan(i, cur, root, env, out)
		return
	}
	p.apply(i, cur, root, env, out)
}

func (p *Path) apply(i int, cur, root any, env *Env, out *[]any) {
	s := &p.segs[i]
	next := i + 1
	switch s.kind {
	case segName:
		obj, ok := cur.(*jsonval.Object)
		if !ok {
			return
		}
		if len(s.names) > 1 && next == len(p.segs) {
			*out = append(*out, mergeNames(obj, s.names))
			return
		}
		for _, n := range s.names {
			if v, ok := obj.Get(n); ok {
				p.walk(next, v, root, env, out)
			}
		}
	case segIndex:
		arr, ok := cur.([]any)
		if !ok {
			return
		}
		for _, ix := range s.indexes {
			if ix < 0 {
				ix += len(arr)
			}
			if ix >= 0 && ix < len(arr) {
				p.walk(next, arr[ix], root, env, out)
			}
		}
	case segSlice:
		arr, ok := cur.([]any)
		if !ok {
			return
		}
		from, to := sliceBounds(s, len(arr))
		for ix := from; ix < to; ix++ {
			p.walk(next, arr[ix], root, env, out)
		}
	case segWildcard:
		switch x := cur.(type) {
		case *jsonval.Object:
			for _, v := range x.All() {
				p.walk(next, v, root, env, out)
			}
		case []any:
			for _, v := range x {
				p.walk(next, v, root, env, out)
			}
		}
	case segFilter:
		switch x := cur.(type) {
		case *jsonval.Object:
			if s.filter.matches(x, root, env) {
				p.walk(next, x, root, env, out)
			}
		case []any:
			for _, v := range x {
				if s.filter.matches(v, root, env) {
					p.walk(next, v, root, env, out)
				}
			}
		}
	}
}

// sliceBounds clamps a slice to an array of length n as Jayway does.
func sliceBounds(s *segment, n int) (int, int) {
	from, to := 0, n
	if s.hasFrom {
		from = s.from
		if from < 0 {
			from = max(0, n+from)
		}
	}
	if s.hasTo {
		to = s.to
		if to < 0 {
			to = n + to
		}
		to = min(n, to)
	}
	if from > to {
		return 0, 0
	}
	return from, to
}

// scan implements "..": the step is tried on cur and on every container
// below it, in document order (a node before its descendants).
func (p *Path) scan(i int, cur, root any, env *Env, out *[]any) {
	s := &p.segs[i]
	switch x := cur.(type) {
	case *jsonval.Object:
		switch s.kind {
		case segName:
			var match bool
			switch {
			case len(s.names) == 1:
				match = x.Has(s.names[0])
			case i+1 < len(p.segs):
				match = true
			default:
				match = hasAll(x, s.names)
			}
			if match {
				p.apply(i, x, root, env, out)
			}
		case segWildcard, segFilter:
			p.apply(i, x, root, env, out)
		}
		for _, v := range x.All() {
			p.scan(i, v, root, env, out)
		}
	case []any:
		switch s.kind {
		case segIndex, segSlice, segWildcard:
			p.apply(i, x, root, env, out)
		}
		for _, v := range x {
			p.scan(i, v, root, env, out)
		}
	}
}

func hasAll(obj *jsonval.Object, names []string) bool {
	for _, n := range names {
		if !obj.Has(n) {
			return false
		}
	}
	return true
}
