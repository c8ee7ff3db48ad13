package jsonata

import (
	"stepwise/jsonval"
)

// lambda is a user-defined function (closure), a tail-call thunk, or a
// partially applied function.
type lambda struct {
	input  any
	env    *frame
	params []string
	sig    *signature
	body   *node
	thunk  bool
	native *builtin // set when this wraps a partially applied native function
}

// builtin is a native function: the standard library, a transform, or a
// caller-supplied [Function].
type builtin struct {
	name  string
	sig   *signature
	arity int
	impl  func(ev *evaluator, args []any, input any, env *frame) (any, error)
}

func arity(f any) int {
	switch x := f.(type) {
	case *lambda:
		if x.native != nil && x.body == nil {
			return len(x.params)
		}
		return len(x.params)
	case *builtin:
		return x.arity
	case *regexValue:
		return 2
	}
	return 0
}

func procName(n *node) string {
	p := n.procedure
	if p.typ == nPath && len(p.steps) > 0 {
		return p.steps[0].op
	}
	return p.op
}

func (ev *evaluator) evalFunction(n *node, input any, env *frame, applyTo []any, hasApply bool) (any, error) {
	proc, err := ev.eval(n.procedure, input, env)
	if err != nil {
		return nil, err
	}
	if isUndef(proc) && n.procedure.typ == nPath && len(n.procedure.steps) > 0 && !isUndef(env.lookup(n.procedure.steps[0].op)) {
		return nil, errAt("T1005", n.pos, n.procedure.steps[0].op, nil)
	}
	args := make([]any, 0, len(n.args)+1)
	if hasApply {
		args = append(args, applyTo...)
	}
	for _, a := range n.args {
		v, err := ev.eval(a, input, env)
		if err != nil {
			return nil, err
		}
		args = append(args, v)
	}
	result, err := ev.apply(proc, args, input, env)
	if err != nil {
		return nil, decorate(err, n.pos, procName(n))
	}
	return result, nil
}

func (ev *evaluator) apply(proc any, args []any, input any, env *frame) (any, error) {
	result, err := ev.applyInner(proc, args, input, env)
	for err == nil {
		l, ok := result.(*lambda)
		if !ok || !l.thunk {
			break
		}
		ev.steps++
		if ev.steps > ev.maxSteps {
			return nil, &Error{Code: "U1001", Message: "Expression evaluation timeout: Check for infinite loop"}
		}
		call := l.body
		next, err2 := ev.eval(call.procedure, l.input, l.env)
		if err2 != nil {
			return nil, err2
		}
		evArgs := make([]any, 0, len(call.args))
		for _, a := range call.args {
			v, err2 := ev.eval(a, l.input, l.env)
			if err2 != nil {
				return nil, err2
			}
			evArgs = append(evArgs, v)
		}
		result, err = ev.applyInner(next, evArgs, input, env)
		if err != nil {
			err = decorate(err, call.pos, procName(call))
		}
	}
	return result, err
}

func (ev *evaluator) applyInner(proc any, args []any, input any, env *frame) (any, error) {
	switch p := proc.(type) {
	case *lambda:
		if p.sig != nil {
			v, err := p.sig.validate(args, input)
			if err != nil {
				return nil, err
			}
			args = v
		}
		return ev.applyProcedure(p, args)
	case *builtin:
		if p.sig != nil {
			v, err := p.sig.validate(args, input)
			if err != nil {
				return nil, decorate(err, 0, p.name)
			}
			args = v
		}
		res, err := p.impl(ev, args, input, env)
		if err != nil {
			return nil, decorate(err, 0, p.name)
		}
		return res, nil
	case *regexValue:
		var s any = undefined
		if len(args) > 0 {
			s = args[0]
		}
		str, ok := s.(string)
		if !ok {
			return undefined, nil
		}
		from := 0
		if len(args) > 1 {
			if f, ok := toNumber(args[1]); ok {
				from = int(f)
			}
		}
		return p.matchObject(str, from), nil
	}
	return nil, newErr("T1006", nil)
}

func (ev *evaluator) applyProcedure(p *lambda, args []any) (any, error) {
	env := &frame{parent: p.env, names: make([]string, 0, len(p.params)), vals: make([]any, 0, len(p.params))}
	for i, name := range p.params {
		var v any = undefined
		if i < len(args) {
			v = args[i]
		}
		env.names = append(env.names, name)
		env.vals = append(env.vals, v)
	}
	if p.native != nil {
		nargs := make([]any, len(p.native.paramNames()))
		for i, name := range p.native.paramNames() {
			nargs[i] = env.lookup(name)
		}
		// jsonata-js calls the native implementation directly; we still
		// validate so that implementations see well-typed arguments.
		return ev.applyInner(p.native, trimUndefined(nargs), undefined, env)
	}
	return ev.eval(p.body, p.input, env)
}

// trimUndefined drops trailing undefined arguments, which stand for
// arguments not supplied.
func trimUndefined(args []any) []any {
	for len(args) > 0 && isUndef(args[len(args)-1]) {
		args = args[:len(args)-1]
	}
	return args
}

func (b *builtin) paramNames() []string {
	out := make([]string, b.arity)
	for i := range out {
		out[i] = "\x00arg" + itoa(i)
	}
	return out
}

func (ev *evaluator) evalPartial(n *node, input any, env *frame) (any, error) {
	args := make([]any, len(n.args))
	for i, a := range n.args {
		if a.typ == nOperator && a.op == "?" {
			args[i] = placeholder{}
			continue
		}
		v, err := ev.eval(a, input, env)
		if err != nil {
			return nil, err
		}
		args[i] = v
	}
	proc, err := ev.eval(n.procedure, input, env)
	if err != nil {
		return nil, err
	}
	if isUndef(proc) && n.procedure.typ == nPath && len(n.procedure.steps) > 0 && !isUndef(env.lookup(n.procedure.steps[0].op)) {
		return nil, errAt("T1007", n.pos, n.procedure.steps[0].op, nil)
	}
	switch p := proc.(type) {
	case *lambda:
		return partialLambda(p, args), nil
	case *builtin:
		l := &lambda{input: undefined, env: nil, params: p.paramNames(), native: p}
		return partialLambda(l, args), nil
	}
	return nil, errAt("T1008", n.pos, procName(n), nil)
}

type placeholder struct{}

func partialLambda(p *lambda, args []any) *lambda {
	env := newFrame(p.env)
	var unbound []string
	for i, name := range p.params {
		var a any = undefined
		if i < len(args) {
			a = args[i]
		}
		if _, ok := a.(placeholder); ok {
			unbound = append(unbound, name)
		} else {
			env.bind(name, a)
		}
	}
	return &lambda{input: p.input, env: env, params: unbound, body: p.body, native: p.native}
}

func (ev *evaluator) evalApply(n *node, input any, env *frame) (any, error) {
	lhs, err := ev.eval(n.lhs, input, env)
	if err != nil {
		return nil, err
	}
	if n.rhs.typ == nFunction {
		return ev.evalFunction(n.rhs, input, env, []any{lhs}, true)
	}
	fn, err := ev.eval(n.rhs, input, env)
	if err != nil {
		return nil, err
	}
	if !isFunction(fn) {
		return nil, errAt("T2006", n.pos, "", fn)
	}
	if isFunction(lhs) {
		f, g := lhs, fn
		return &builtin{name: "", arity: 1, impl: func(ev *evaluator, args []any, input any, env *frame) (any, error) {
			r, err := ev.apply(f, args, undefined, env)
			if err != nil {
				return nil, err
			}
			return ev.apply(g, []any{r}, undefined, env)
		}}, nil
	}
	return ev.apply(fn, []any{lhs}, undefined, env)
}

// transformer builds the function of a transform expression |pattern|update,delete|.
func (ev *evaluator) transformer(n *node, env *frame) any {
	return &builtin{name: "", arity: 1, sig: transformSig, impl: func(ev *evaluator, args []any, _ any, _ *frame) (any, error) {
		obj := args[0]
		if isUndef(obj) {
			return undefined, nil
		}
		clone := env.lookup("clone")
		if !isFunction(clone) {
			return nil, errAt("T2013", n.pos, "", nil)
		}
		result, err := ev.apply(clone, []any{obj}, undefined, env)
		if err != nil {
			return nil, err
		}
		// Only objects of the copy may be changed: a pattern can also reach
		// the input (through $$ or a variable), which must stay untouched.
		owned := map[*jsonval.Object]bool{}
		ev.collectObjects(result, owned)
		if ev.spent > ev.maxAlloc {
			return nil, ev.allocError(n.pos)
		}
		matches, err := ev.eval(n.pattern, result, env)
		if err != nil {
			return nil, err
		}
		if isUndef(matches) {
			return result, nil
		}
		ms := arrayItems(matches)
		if !isArray(matches) {
			ms = []any{matches}
		}
		for _, m := range ms {
			update, err := ev.eval(n.update, m, env)
			if err != nil {
				return nil, err
			}
			if !isUndef(update) {
				uo, ok := update.(*jsonval.Object)
				if !ok {
					return nil, errAt("T2011", n.update.pos, "", update)
				}
				if mo, ok := m.(*jsonval.Object); ok && owned[mo] {
					for i := 0; i < uo.Len(); i++ {
						k, v := uo.At(i)
						mo.Set(k, v)
					}
				}
			}
			if n.del != nil {
				dels, err := ev.eval(n.del, m, env)
				if err != nil {
					return nil, err
				}
				if isUndef(dels) {
					continue
				}
				ds := arrayItems(dels)
				if !isArray(dels) {
					ds = []any{dels}
				}
				for _, d := range ds {
					if _, ok := d.(string); !ok {
						return nil, errAt("T2012", n.del.pos, "", dels)
					}
				}
				if mo, ok := m.(*jsonval.Object); ok && owned[mo] {
					for _, d := range ds {
						mo.Delete(d.(string))
					}
				}
			}
		}
		return result, nil
	}}
}

var transformSig = mustSignature("<(oa):o>")

// collectObjects adds every object inside v to set. An object already in
// set was walked already; each node visited is charged, as a $clone that
// is not the built-in one may return a value sharing parts.
func (ev *evaluator) collectObjects(v any, set map[*jsonval.Object]bool) {
	if !ev.spend(costSlot) {
		return
	}
	switch x := v.(type) {
	case *jsonval.Object:
		if set[x] {
			return
		}
		set[x] = true
		for i := 0; i < x.Len(); i++ {
			_, val := x.At(i)
			ev.collectObjects(val, set)
		}
	case []any:
		for _, it := range x {
			ev.collectObjects(it, set)
		}
	}
}
