package dataflow

import (
	"encoding/json"
	"regexp"
	"strings"

	"stepwise/jsonval"
)

// filterExpr is a compiled Jayway filter predicate: [?(...)].
type filterExpr struct {
	op   filterOp
	l, r *filterExpr // and, or, not (l only)
	cmp  string      // comparison operator for opCompare
	a, b operand     // operands of opCompare; a only for opExists
}

type filterOp uint8

const (
	opExists filterOp = iota
	opCompare
	opAnd
	opOr
	opNot
)

// operand is a path (@... or $...) or a literal.
type operand struct {
	path  *Path
	lit   any
	re    *regexp.Regexp
	isLit bool
}

// parseFilter parses the predicate after "[?(" up to (not including) the
// closing ')'.
func (p *pathParser) parseFilter() (*filterExpr, error) {
	saved := p.inFilter
	p.inFilter = true
	defer func() { p.inFilter = saved }()
	return p.parseOr()
}

func (p *pathParser) parseOr() (*filterExpr, error) {
	l, err := p.parseAnd()
	if err != nil {
		return nil, err
	}
	for {
		p.skipBlanks()
		if !strings.HasPrefix(p.src[p.pos:], "||") {
			return l, nil
		}
		p.pos += 2
		r, err := p.parseAnd()
		if err != nil {
			return nil, err
		}
		l = &filterExpr{op: opOr, l: l, r: r}
	}
}

func (p *pathParser) parseAnd() (*filterExpr, error) {
	l, err := p.parseUnary()
	if err != nil {
		return nil, err
	}
	for {
		p.skipBlanks()
		if !strings.HasPrefix(p.src[p.pos:], "&&") {
			return l, nil
		}
		p.pos += 2
		r, err := p.parseUnary()
		if err != nil {
			return nil, err
		}
		l = &filterExpr{op: opAnd, l: l, r: r}
	}
}

func (p *pathParser) parseUnary() (*filterExpr, error) {
	p.skipBlanks()
	switch p.peek() {
	case '!':
		if !strings.HasPrefix(p.src[p.pos:], "!=") {
			p.pos++
			e, err := p.parseUnary()
			if err != nil {
				return nil, err
			}
			return &filterExpr{op: opNot, l: e}, nil
		}
	case '(':
		p.pos++
		e, err := p.parseOr()
		if err != nil {
			return nil, err
		}
		p.skipBlanks()
		if p.peek() != ')' {
			return nil, p.errorf("expected ')' in filter")
		}
		p.pos++
		return e, nil
	}
	a, err := p.parseOperand()
	if err != nil {
		return nil, err
	}
	p.skipBlanks()
	op := p.comparison()
	if op == "" {
		if a.isLit {
			return nil, p.errorf("expected a comparison operator in filter")
		}
		return &filterExpr{op: opExists, a: a}, nil
	}
	p.skipBlanks()
	var b operand
	if op == "=~" {
		b, err = p.parseRegex()
	} else {
		b, err = p.parseOperand()
	}
	if err != nil {
		return nil, err
	}
	return &filterExpr{op: opCompare, cmp: op, a: a, b: b}, nil
}

var comparisons = []string{"==", "!=", "<=", ">=", "=~", "<", ">", " in ", " nin "}

func (p *pathParser) comparison() string {
	rest := p.src[p.pos:]
	for _, op := range comparisons {
		if strings.HasPrefix(rest, op) {
			p.pos += len(op)
			return op
		}
		// "in" and "nin" are words: accept them after the blanks we skipped.
		if op[0] == ' ' && strings.HasPrefix(rest, op[1:]) {
			p.pos += len(op) - 1
			return op
		}
	}
	return ""
}

func (p *pathParser) parseRegex() (operand, error) {
	if p.peek() != '/' {
		return operand{}, p.errorf("expected a /regex/ after =~")
	}
	end := -1
	for i := p.pos + 1; i < len(p.src); i++ {
		if p.src[i] == '\\' {
			i++
			continue
		}
		if p.src[i] == '/' {
			end = i
			break
		}
	}
	if end < 0 {
		return operand{}, p.errorf("unterminated regular expression")
	}
	pattern := p.src[p.pos+1 : end]
	p.pos = end + 1
	flags := ""
	for p.pos < len(p.src) && strings.IndexByte("imsx", p.src[p.pos]) >= 0 {
		if p.src[p.pos] != 'x' {
			flags += string(p.src[p.pos])
		}
		p.pos++
	}
	// Jayway matches the whole string (Matcher.matches), not a substring.
	pattern = "^(?:" + pattern + ")$"
	if flags != "" {
		pattern = "(?" + flags + ")" + pattern
	}
	re, err := regexp.Compile(pattern)
	if err != nil {
		return operand{}, p.errorf("invalid regular expression: %v", err)
	}
	return operand{re: re, isLit: true}, nil
}

func (p *pathParser) parseOperand() (operand, error) {
	p.skipBlanks()
	c := p.peek()
	switch {
	case c == '@' || c == '$':
		path, err := p.parsePath(true)
		if err != nil {
			return operand{}, err
		}
		return operand{path: path}, nil
	case c == '\'' || c == '"':
		s, err := p.quoted(c)
		if err != nil {
			return operand{}, err
		}
		return operand{lit: s, isLit: true}, nil
	case c == '[':
		return p.parseListLiteral()
	case c == '-' || (c >= '0' && c <= '9'):
		start := p.pos
		p.pos++
		for p.pos < len(p.src) && strings.IndexByte("0123456789.eE+-", p.src[p.pos]) >= 0 {
			p.pos++
		}
		v, err := jsonval.ParseString(p.src[start:p.pos])
		if _, ok := v.(json.Number); err != nil || !ok {
			p.pos = start
			return operand{}, p.errorf("invalid number in filter")
		}
		return operand{lit: v, isLit: true}, nil
	case c == 0:
		return operand{}, p.errorf("unterminated filter")
	}
	// A bare word: true, false, null, or (leniently) an unquoted string.
	start := p.pos
	for p.pos < len(p.src) && strings.IndexByte(" \t\r\n=!<>&|()[],", p.src[p.pos]) < 0 {
		p.pos++
	}
	word := p.src[start:p.pos]
	switch word {
	case "":
		return operand{}, p.errorf("unexpected %q in filter", p.rest())
	case "true":
		return operand{lit: true, isLit: true}, nil
	case "false":
		return operand{lit: false, isLit: true}, nil
	case "null":
		return operand{lit: nil, isLit: true}, nil
	}
	return operand{lit: word, isLit: true}, nil
}

func (p *pathParser) parseListLiteral() (operand, error) {
	p.pos++ // '['
	var list []any
	for {
		p.skipBlanks()
		if p.peek() == ']' && len(list) == 0 {
			p.pos++
			return operand{lit: list, isLit: true}, nil
		}
		o, err := p.parseOperand()
		if err != nil {
			return operand{}, err
		}
		if !o.isLit || o.re != nil {
			return operand{}, p.errorf("a list in a filter holds only literals")
		}
		list = append(list, o.lit)
		p.skipBlanks()
		switch p.peek() {
		case ',':
			p.pos++
		case ']':
			p.pos++
			if list == nil {
				list = []any{}
			}
			return operand{lit: list, isLit: true}, nil
		default:
			return operand{}, p.errorf("expected ',' or ']' in list")
		}
	}
}

// undefined marks an operand path that selected nothing.
type undefinedValue struct{}

var undefined any = undefinedValue{}

func (o *operand) value(cur, root any, env *Env) any {
	if o.isLit {
		return o.lit
	}
	var base any
	switch o.path.root {
	case rootCurrent:
		base = cur
	default:
		base = root
	}
	if o.path.definite {
		v, ok := o.path.walkDefinite(base)
		if !ok {
			return undefined
		}
		return v
	}
	return o.path.collect(base, root, env)
}

// matches evaluates the predicate with @ = cur.
func (f *filterExpr) matches(cur, root any, env *Env) bool {
	switch f.op {
	case opAnd:
		return f.l.matches(cur, root, env) && f.r.matches(cur, root, env)
	case opOr:
		return f.l.matches(cur, root, env) || f.r.matches(cur, root, env)
	case opNot:
		return !f.l.matches(cur, root, env)
	case opExists:
		v := f.a.value(cur, root, env)
		if v == undefined {
			return false
		}
		if !f.a.path.definite {
			// Jayway: an indefinite path exists when it selects something.
			arr, _ := v.([]any)
			return len(arr) > 0
		}
		return true
	}
	a := f.a.value(cur, root, env)
	if f.cmp == "=~" {
		s, ok := a.(string)
		return ok && f.b.re.MatchString(s)
	}
	b := f.b.value(cur, root, env)
	if a == undefined || b == undefined {
		return f.cmp == "!=" && !(a == undefined && b == undefined)
	}
	switch f.cmp {
	case "==":
		return filterEqual(a, b)
	case "!=":
		return !filterEqual(a, b)
	case " in ", " nin ":
		list, ok := b.([]any)
		found := false
		for _, e := range list {
			if filterEqual(a, e) {
				found = true
				break
			}
		}
		return ok && found == (f.cmp == " in ")
	}
	c, ok := filterCompare(a, b)
	if !ok {
		return false
	}
	switch f.cmp {
	case "<":
		return c < 0
	case "<=":
		return c <= 0
	case ">":
		return c > 0
	default: // ">="
		return c >= 0
	}
}

// filterEqual compares as Jayway's value nodes do: numbers by value, a
// number and a numeric string as numbers, containers by content.
func filterEqual(a, b any) bool {
	ka, kb := jsonval.KindOf(a), jsonval.KindOf(b)
	if ka == jsonval.Number && kb == jsonval.String {
		return numericStringEqual(a, b.(string))
	}
	if ka == jsonval.String && kb == jsonval.Number {
		return a.(string) == formatNumber(b)
	}
	return jsonval.Equal(a, b)
}

func numericStringEqual(n any, s string) bool {
	v, err := jsonval.ParseString(s)
	if err != nil || jsonval.KindOf(v) != jsonval.Number {
		return false
	}
	c, _ := compareNumbers(n, v)
	return c == 0
}

// filterCompare orders two numbers or two strings; other pairs do not
// compare, and every ordering comparison of them is false.
func filterCompare(a, b any) (int, bool) {
	ka, kb := jsonval.KindOf(a), jsonval.KindOf(b)
	switch {
	case ka == jsonval.Number && kb == jsonval.Number:
		return compareNumbers(a, b)
	case ka == jsonval.String && kb == jsonval.String:
		return strings.Compare(a.(string), b.(string)), true
	}
	return 0, false
}
