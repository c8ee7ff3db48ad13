package jsonata

import "fmt"

// pnode is the parser's current symbol: a token with its symbol id.
type pnode struct {
	id  string // operator text, "(name)", "(literal)", "(regex)" or "(end)"
	tok *token
}

// maxNesting bounds the nesting of an expression, so that hostile input
// cannot exhaust the stack of the recursive-descent parser.
const maxNesting = 1000

type parser struct {
	lx    lexer
	cur   pnode
	src   string
	anc   ancestry
	depth int
}

func lbp(id string) int {
	switch id {
	case ".", "+", "-", "*", "/", "%", "=", "<", ">", "!=", "<=", ">=", "&", "and", "or", "in", "~>",
		"(", "[", "^", "{", ":=", "@", "#", "?":
		return operators[id]
	}
	return 0
}

// known reports whether id has an entry in the jsonata-js symbol table.
func known(id string) bool {
	switch id {
	case "!", "~":
		return false
	}
	return true
}

// parse parses src into a processed AST.
func parse(src string) (n *node, err error) {
	p := &parser{lx: lexer{src: src}, src: src}
	defer func() {
		if r := recover(); r != nil {
			if e, ok := r.(*Error); ok {
				n, err = nil, e
				return
			}
			panic(r)
		}
	}()
	p.advance("", false)
	ast := p.expression(0)
	if p.cur.id != "(end)" {
		p.fail(errAt("S0201", p.cur.tok.pos, p.tokenText(), nil))
	}
	ast = p.process(ast)
	if ast.typ == nParent || ast.seekingParent != nil {
		p.fail(errAt("S0217", ast.pos, typeName(ast), nil))
	}
	finalize(ast)
	return ast, nil
}

// fail aborts parsing; parse recovers the *Error. The panic never leaves
// this package.
func (p *parser) fail(e *Error) {
	panic(e)
}

func (p *parser) tokenText() string {
	t := p.cur.tok
	switch t.kind {
	case tokNumber:
		return formatNumber(t.num)
	case tokValue:
		return fmt.Sprint(t.value)
	case tokEnd:
		return "(end)"
	}
	return t.str
}

func (p *parser) advance(id string, infix bool) {
	if id != "" && p.cur.id != id {
		code := "S0202"
		if p.cur.id == "(end)" {
			code = "S0203"
		}
		e := errAt(code, p.cur.tok.pos, p.tokenText(), id)
		p.fail(e)
	}
	t, err := p.lx.next(infix)
	if err != nil {
		p.fail(err.(*Error))
	}
	if t == nil {
		p.cur = pnode{id: "(end)", tok: &token{kind: tokEnd, pos: len(p.src)}}
		return
	}
	switch t.kind {
	case tokName, tokVariable:
		p.cur = pnode{id: "(name)", tok: t}
	case tokOperator:
		if !known(t.str) {
			p.fail(errAt("S0204", t.pos, t.str, nil))
		}
		p.cur = pnode{id: t.str, tok: t}
	case tokString, tokNumber, tokValue:
		p.cur = pnode{id: "(literal)", tok: t}
	case tokRegex:
		p.cur = pnode{id: "(regex)", tok: t}
	}
}

func (p *parser) expression(rbp int) *node {
	p.depth++
	if p.depth > maxNesting {
		p.fail(&Error{Code: "U1001", Position: p.cur.tok.pos, Message: "expression nested too deeply"})
	}
	defer func() { p.depth-- }()
	t := p.cur
	p.advance("", true)
	left := p.nud(t)
	for rbp < lbp(p.cur.id) {
		t = p.cur
		p.advance("", false)
		left = p.led(t, left)
	}
	return left
}

func (p *parser) nud(t pnode) *node {
	tok := t.tok
	pos := tok.pos
	switch t.id {
	case "(name)":
		if tok.kind == tokVariable {
			return &node{typ: nVariable, op: tok.str, pos: pos}
		}
		return &node{typ: nName, op: tok.str, pos: pos}
	case "(literal)":
		switch tok.kind {
		case tokString:
			return &node{typ: nString, op: tok.str, value: tok.str, pos: pos}
		case tokNumber:
			return &node{typ: nNumber, num: tok.num, value: tok.num, pos: pos}
		default:
			return &node{typ: nValue, value: tok.value, pos: pos}
		}
	case "(regex)":
		re, err := compileRegex(tok.str, tok.flags)
		if err != nil {
			p.fail(errAt("S0303", pos, tok.str, tok.str))
		}
		return &node{typ: nRegex, re: re, pos: pos}
	case "(end)":
		return &node{typ: nError, op: "(end)", pos: pos}
	case "and", "or", "in":
		return &node{typ: nOperator, op: t.id, pos: pos}
	case "-":
		return &node{typ: nUnary, op: "-", expr: p.expression(70), pos: pos}
	case "*":
		return &node{typ: nWildcard, op: "*", pos: pos}
	case "**":
		return &node{typ: nDescendant, op: "**", pos: pos}
	case "%":
		return &node{typ: nParent, op: "%", pos: pos}
	case "(":
		var exprs []*node
		for p.cur.id != ")" {
			exprs = append(exprs, p.expression(0))
			if p.cur.id != ";" {
				break
			}
			p.advance(";", false)
		}
		p.advance(")", true)
		return &node{typ: nBlock, exprs: exprs, pos: pos}
	case "[":
		var items []*node
		if p.cur.id != "]" {
			for {
				item := p.expression(0)
				if p.cur.id == ".." {
					r := &node{typ: nBinary, op: "..", pos: p.cur.tok.pos, lhs: item}
					p.advance("..", false)
					r.rhs = p.expression(0)
					item = r
				}
				items = append(items, item)
				if p.cur.id != "," {
					break
				}
				p.advance(",", false)
			}
		}
		p.advance("]", true)
		return &node{typ: nUnary, op: "[", exprs: items, pos: pos}
	case "{":
		return &node{typ: nUnary, op: "{", pairs: p.objectPairs(), pos: pos}
	case "|":
		n := &node{typ: nTransform, pos: pos}
		n.pattern = p.expression(0)
		p.advance("|", false)
		n.update = p.expression(0)
		if p.cur.id == "," {
			p.advance(",", false)
			n.del = p.expression(0)
		}
		p.advance("|", false)
		return n
	}
	// Operators without a prefix form.
	p.fail(errAt("S0211", pos, t.id, nil))
	return nil
}

func (p *parser) objectPairs() [][2]*node {
	var pairs [][2]*node
	if p.cur.id != "}" {
		for {
			k := p.expression(0)
			p.advance(":", false)
			v := p.expression(0)
			pairs = append(pairs, [2]*node{k, v})
			if p.cur.id != "," {
				break
			}
			p.advance(",", false)
		}
	}
	p.advance("}", true)
	return pairs
}

func (p *parser) led(t pnode, left *node) *node {
	pos := t.tok.pos
	switch t.id {
	case "(":
		return p.call(left, pos)
	case "[":
		if p.cur.id == "]" {
			step := left
			for step != nil && step.typ == nBinary && step.op == "[" {
				step = step.lhs
			}
			step.keepArray = true
			p.advance("]", false)
			return left
		}
		n := &node{typ: nBinary, op: "[", lhs: left, pos: pos}
		n.rhs = p.expression(0)
		p.advance("]", true)
		return n
	case "^":
		p.advance("(", false)
		var terms []sortTerm
		for {
			term := sortTerm{}
			switch p.cur.id {
			case "<":
				p.advance("<", false)
			case ">":
				term.descending = true
				p.advance(">", false)
			}
			term.expr = p.expression(0)
			terms = append(terms, term)
			if p.cur.id != "," {
				break
			}
			p.advance(",", false)
		}
		p.advance(")", false)
		return &node{typ: nBinary, op: "^", lhs: left, terms: terms, pos: pos}
	case "{":
		return &node{typ: nBinary, op: "{", lhs: left, pairs: p.objectPairs(), pos: pos}
	case ":=":
		if left.typ != nVariable {
			p.fail(errAt("S0212", left.pos, left.op, nil))
		}
		n := &node{typ: nBinary, op: ":=", lhs: left, pos: pos}
		n.rhs = p.expression(operators[":="] - 1)
		return n
	case "@", "#":
		n := &node{typ: nBinary, op: t.id, lhs: left, pos: pos}
		n.rhs = p.expression(operators[t.id])
		if n.rhs.typ != nVariable {
			p.fail(errAt("S0214", n.rhs.pos, t.id, nil))
		}
		return n
	case "?":
		n := &node{typ: nCondition, cond: left, pos: pos}
		n.then = p.expression(0)
		if p.cur.id == ":" {
			p.advance(":", false)
			n.els = p.expression(0)
		}
		return n
	}
	n := &node{typ: nBinary, op: t.id, lhs: left, pos: pos}
	n.rhs = p.expression(operators[t.id])
	return n
}

func (p *parser) call(left *node, pos int) *node {
	n := &node{typ: nFunction, procedure: left, pos: pos}
	if p.cur.id != ")" {
		for {
			if p.cur.id == "?" && p.cur.tok.kind == tokOperator {
				n.typ = nPartial
				n.args = append(n.args, &node{typ: nOperator, op: "?", pos: p.cur.tok.pos})
				p.advance("?", false)
			} else {
				n.args = append(n.args, p.expression(0))
			}
			if p.cur.id != "," {
				break
			}
			p.advance(",", false)
		}
	}
	p.advance(")", true)
	if left.typ == nName && (left.op == "function" || left.op == "\u03BB") {
		for i, a := range n.args {
			if a.typ != nVariable {
				p.fail(errAt("S0208", a.pos, a.op, i+1))
			}
		}
		n.typ = nLambda
		if p.cur.id == "<" {
			sigPos := p.cur.tok.pos
			depth := 1
			sig := "<"
			for depth > 0 && p.cur.id != "{" && p.cur.id != "(end)" {
				p.advance("", false)
				switch p.cur.id {
				case ">":
					depth--
				case "<":
					depth++
				}
				sig += p.sigText()
			}
			p.advance(">", false)
			s, err := parseSignature(sig)
			if err != nil {
				err.Position = sigPos + err.Position
				p.fail(err)
			}
			n.sig = s
		}
		p.advance("{", false)
		n.body = p.expression(0)
		p.advance("}", false)
	}
	return n
}

// sigText is the text of the current token when re-assembling a signature.
func (p *parser) sigText() string {
	t := p.cur.tok
	switch t.kind {
	case tokVariable:
		return "$" + t.str
	case tokNumber:
		return formatNumber(t.num)
	case tokValue:
		return fmt.Sprint(t.value)
	case tokEnd:
		return ""
	}
	return t.str
}

func typeName(n *node) string {
	switch n.typ {
	case nParent:
		return "parent"
	case nPath:
		return "path"
	}
	return "expression"
}
