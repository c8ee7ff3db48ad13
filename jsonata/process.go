package jsonata

import "strconv"

// ancestry tracks the parent-operator slots of one parse.
type ancestry struct {
	label int
	index int
	nodes []*node
}

// maxProcessNesting bounds the depth of the parse tree (long operator
// chains such as a.b.c... nest without parentheses).
const maxProcessNesting = 10000

// process rewrites the raw parse tree into the evaluated form, following
// jsonata-js's processAST: paths of steps, predicates as stages, grouping,
// focus and index bindings, parent slots and tail calls.
func (p *parser) process(expr *node) *node {
	p.depth++
	if p.depth > maxProcessNesting {
		p.fail(&Error{Code: "U1001", Position: expr.pos, Message: "expression nested too deeply"})
	}
	defer func() { p.depth-- }()
	var result *node
	switch expr.typ {
	case nBinary:
		switch expr.op {
		case ".":
			result = p.processDot(expr)
		case "[":
			result = p.process(expr.lhs)
			step := result
			usesStages := false
			if result.typ == nPath {
				step = result.steps[len(result.steps)-1]
				usesStages = true
			}
			if step.group != nil {
				p.fail(errAt("S0209", expr.pos, "", nil))
			}
			pred := p.process(expr.rhs)
			if pred.seekingParent != nil {
				for _, s := range pred.seekingParent {
					if s.level == 1 {
						p.seekParent(step, s)
					} else {
						s.level--
					}
				}
				pushAncestry(step, pred)
			}
			st := stage{filter: true, expr: pred, pos: expr.pos}
			if usesStages {
				step.stages = append(step.stages, st)
			} else {
				step.predicate = append(step.predicate, st)
			}
		case "{":
			result = p.process(expr.lhs)
			if result.group != nil {
				p.fail(errAt("S0210", expr.pos, "", nil))
			}
			g := &groupBy{pos: expr.pos}
			for _, pr := range expr.pairs {
				g.pairs = append(g.pairs, [2]*node{p.process(pr[0]), p.process(pr[1])})
			}
			result.group = g
		case "^":
			result = p.process(expr.lhs)
			if result.typ != nPath {
				result = &node{typ: nPath, steps: []*node{result}}
			}
			sortStep := &node{typ: nSort, pos: expr.pos}
			for _, t := range expr.terms {
				e := p.process(t.expr)
				pushAncestry(sortStep, e)
				sortStep.terms = append(sortStep.terms, sortTerm{descending: t.descending, expr: e})
			}
			result.steps = append(result.steps, sortStep)
			p.resolveAncestry(result)
		case ":=":
			result = &node{typ: nBind, op: expr.op, pos: expr.pos}
			result.lhs = p.process(expr.lhs)
			result.rhs = p.process(expr.rhs)
			pushAncestry(result, result.rhs)
		case "@":
			result = p.process(expr.lhs)
			step := result
			if result.typ == nPath {
				step = result.steps[len(result.steps)-1]
			}
			if step.stages != nil || step.predicate != nil {
				p.fail(errAt("S0215", expr.pos, "", nil))
			}
			if step.typ == nSort {
				p.fail(errAt("S0216", expr.pos, "", nil))
			}
			if expr.keepArray {
				step.keepArray = true
			}
			step.focus = expr.rhs.op
			step.hasFocus = true
			step.tuple = true
		case "#":
			result = p.process(expr.lhs)
			step := result
			if result.typ == nPath {
				step = result.steps[len(result.steps)-1]
			} else {
				result = &node{typ: nPath, steps: []*node{result}}
				if step.predicate != nil {
					step.stages = step.predicate
					step.predicate = nil
				}
			}
			if step.stages == nil {
				step.index = expr.rhs.op
				step.hasIndex = true
			} else {
				step.stages = append(step.stages, stage{variable: expr.rhs.op, pos: expr.pos})
			}
			step.tuple = true
		case "~>":
			result = &node{typ: nApply, op: expr.op, pos: expr.pos}
			result.lhs = p.process(expr.lhs)
			result.rhs = p.process(expr.rhs)
			result.keepArray = result.lhs.keepArray || result.rhs.keepArray
		default:
			result = &node{typ: nBinary, op: expr.op, pos: expr.pos}
			result.lhs = p.process(expr.lhs)
			result.rhs = p.process(expr.rhs)
			pushAncestry(result, result.lhs)
			pushAncestry(result, result.rhs)
		}
	case nUnary:
		result = &node{typ: nUnary, op: expr.op, pos: expr.pos}
		switch expr.op {
		case "[":
			for _, item := range expr.exprs {
				v := p.process(item)
				pushAncestry(result, v)
				result.exprs = append(result.exprs, v)
			}
			if result.exprs == nil {
				result.exprs = []*node{}
			}
		case "{":
			for _, pr := range expr.pairs {
				k := p.process(pr[0])
				pushAncestry(result, k)
				v := p.process(pr[1])
				pushAncestry(result, v)
				result.pairs = append(result.pairs, [2]*node{k, v})
			}
		default:
			result.expr = p.process(expr.expr)
			if expr.op == "-" && result.expr.typ == nNumber {
				result = result.expr
				result.num = -result.num
				result.value = result.num
			} else {
				pushAncestry(result, result.expr)
			}
		}
	case nFunction, nPartial:
		result = &node{typ: expr.typ, pos: expr.pos}
		for _, a := range expr.args {
			v := p.process(a)
			pushAncestry(result, v)
			result.args = append(result.args, v)
		}
		result.procedure = p.process(expr.procedure)
	case nLambda:
		result = &node{typ: nLambda, args: expr.args, sig: expr.sig, pos: expr.pos}
		result.body = tailCallOptimize(p.process(expr.body))
	case nCondition:
		result = &node{typ: nCondition, pos: expr.pos}
		result.cond = p.process(expr.cond)
		pushAncestry(result, result.cond)
		result.then = p.process(expr.then)
		pushAncestry(result, result.then)
		if expr.els != nil {
			result.els = p.process(expr.els)
			pushAncestry(result, result.els)
		}
	case nTransform:
		result = &node{typ: nTransform, pos: expr.pos}
		result.pattern = p.process(expr.pattern)
		result.update = p.process(expr.update)
		if expr.del != nil {
			result.del = p.process(expr.del)
		}
	case nBlock:
		result = &node{typ: nBlock, pos: expr.pos}
		for _, item := range expr.exprs {
			part := p.process(item)
			pushAncestry(result, part)
			if part.consarray || (part.typ == nPath && part.steps[0].consarray) {
				result.consarray = true
			}
			result.exprs = append(result.exprs, part)
		}
	case nName:
		result = &node{typ: nPath, steps: []*node{expr}}
		if expr.keepArray {
			result.keepSingletonArray = true
		}
	case nParent:
		result = &node{typ: nParent, pos: expr.pos, slot: &slot{label: "!" + strconv.Itoa(p.anc.label), level: 1, index: p.anc.index}}
		p.anc.label++
		p.anc.index++
		p.anc.nodes = append(p.anc.nodes, result)
	case nString, nNumber, nValue, nWildcard, nDescendant, nVariable, nRegex:
		result = expr
	case nOperator:
		if expr.op == "and" || expr.op == "or" || expr.op == "in" {
			nm := &node{typ: nName, op: expr.op, pos: expr.pos, keepArray: expr.keepArray}
			result = p.process(nm)
		} else if expr.op == "?" {
			result = expr
		} else {
			p.fail(errAt("S0201", expr.pos, expr.op, nil))
		}
	default:
		code := "S0206"
		if expr.op == "(end)" {
			code = "S0207"
		}
		p.fail(errAt(code, expr.pos, expr.op, nil))
	}
	if expr.keepArray {
		result.keepArray = true
	}
	return result
}

func (p *parser) processDot(expr *node) *node {
	lstep := p.process(expr.lhs)
	var result *node
	if lstep.typ == nPath {
		result = lstep
	} else {
		result = &node{typ: nPath, steps: []*node{lstep}}
	}
	if lstep.typ == nParent {
		result.seekingParent = []*slot{lstep.slot}
	}
	rest := p.process(expr.rhs)
	if rest.typ == nPath {
		result.steps = append(result.steps, rest.steps...)
	} else {
		if rest.predicate != nil {
			rest.stages = rest.predicate
			rest.predicate = nil
		}
		result.steps = append(result.steps, rest)
	}
	for _, step := range result.steps {
		switch step.typ {
		case nNumber:
			p.fail(errAt("S0213", step.pos, "", step.num))
		case nValue:
			p.fail(errAt("S0213", step.pos, "", step.value))
		case nString:
			step.typ = nName
		}
	}
	for _, step := range result.steps {
		if step.keepArray {
			result.keepSingletonArray = true
			break
		}
	}
	first := result.steps[0]
	if first.typ == nUnary && first.op == "[" {
		first.consarray = true
	}
	last := result.steps[len(result.steps)-1]
	if last.typ == nUnary && last.op == "[" {
		last.consarray = true
	}
	p.resolveAncestry(result)
	return result
}

func tailCallOptimize(expr *node) *node {
	switch expr.typ {
	case nFunction:
		if expr.predicate == nil {
			return &node{typ: nLambda, thunk: true, pos: expr.pos, body: expr}
		}
	case nCondition:
		expr.then = tailCallOptimize(expr.then)
		if expr.els != nil {
			expr.els = tailCallOptimize(expr.els)
		}
	case nBlock:
		if n := len(expr.exprs); n > 0 {
			expr.exprs[n-1] = tailCallOptimize(expr.exprs[n-1])
		}
	}
	return expr
}

func (p *parser) seekParent(n *node, s *slot) *slot {
	switch n.typ {
	case nName, nWildcard:
		s.level--
		if s.level == 0 {
			if n.ancestor != nil {
				p.anc.nodes[s.index].slot.label = n.ancestor.label
			}
			n.ancestor = s
			n.tuple = true
		}
	case nParent:
		s.level++
	case nBlock:
		if len(n.exprs) > 0 {
			n.tuple = true
			s = p.seekParent(n.exprs[len(n.exprs)-1], s)
		}
	case nPath:
		n.tuple = true
		i := len(n.steps) - 1
		s = p.seekParent(n.steps[i], s)
		i--
		for s.level > 0 && i >= 0 {
			s = p.seekParent(n.steps[i], s)
			i--
		}
	default:
		p.fail(errAt("S0217", n.pos, typeName(n), nil))
	}
	return s
}

func pushAncestry(result, value *node) {
	if value.seekingParent == nil && value.typ != nParent {
		return
	}
	var slots []*slot
	if value.seekingParent != nil {
		slots = value.seekingParent
	}
	if value.typ == nParent {
		slots = append(slots, value.slot)
	}
	result.seekingParent = append(result.seekingParent, slots...)
}

func (p *parser) resolveAncestry(path *node) {
	last := path.steps[len(path.steps)-1]
	var slots []*slot
	if last.seekingParent != nil {
		slots = last.seekingParent
	}
	if last.typ == nParent {
		slots = append(slots, last.slot)
	}
	for _, s := range slots {
		index := len(path.steps) - 2
		for s.level > 0 {
			if index < 0 {
				path.seekingParent = append(path.seekingParent, s)
				break
			}
			step := path.steps[index]
			index--
			for index >= 0 && step.hasFocus && path.steps[index].hasFocus {
				step = path.steps[index]
				index--
			}
			s = p.seekParent(step, s)
		}
	}
}
