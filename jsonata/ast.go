package jsonata

// nodeType is the kind of an AST node, after the jsonata-js processAST pass.
type nodeType int

const (
	nPath nodeType = iota
	nBinary
	nUnary // '-' negation, '[' array constructor, '{' object constructor
	nName
	nString
	nNumber
	nValue // true, false, null
	nWildcard
	nDescendant
	nParent
	nCondition
	nBlock
	nBind
	nRegex
	nFunction
	nPartial
	nVariable
	nLambda
	nApply
	nTransform
	nSort
	nOperator // '?' placeholder in partial application, or an operator used as a name
	nError
)

// slot is an ancestor binding created by the parent operator '%'.
type slot struct {
	label string
	level int
	index int
}

type stage struct {
	filter   bool // otherwise an index binding
	expr     *node
	variable string
	pos      int
}

type sortTerm struct {
	descending bool
	expr       *node
}

type groupBy struct {
	pairs [][2]*node
	pos   int
}

// node is an AST node. Parsing builds a raw tree with binary '.', '[', '{'
// ... nodes; process turns it into the evaluated form (paths with steps,
// stages, groups, tuple flags), as jsonata-js's processAST does.
type node struct {
	typ   nodeType
	op    string // operator for binary/unary; name; variable name; string literal
	num   float64
	value any // literal value for nValue
	pos   int

	lhs, rhs    *node
	expr        *node   // unary operand
	exprs       []*node // array constructor items, block expressions
	pairs       [][2]*node
	steps       []*node
	terms       []sortTerm
	procedure   *node
	args        []*node
	sig         *signature
	body        *node
	cond        *node
	then, els   *node
	pattern     *node
	update, del *node
	re          *regexValue

	predicate []stage
	stages    []stage
	group     *groupBy

	// set by finalize, after process
	literal bool // a literal whose value is n.value, with nothing attached
	simple  bool // a path that is a single plain field name

	keepArray          bool
	keepSingletonArray bool
	consarray          bool
	tuple              bool
	thunk              bool
	focus              string
	hasFocus           bool
	index              string
	hasIndex           bool
	ancestor           *slot
	slot               *slot
	seekingParent      []*slot
}

// finalize walks the processed tree once to precompute flags used by the
// evaluator's fast paths. The tree is read-only afterwards.
func finalize(n *node) {
	if n == nil {
		return
	}
	switch n.typ {
	case nString, nNumber, nValue:
		n.literal = n.predicate == nil && n.group == nil && !n.keepArray && n.stages == nil
	case nPath:
		n.simple = simpleName(n)
	}
	for _, c := range []*node{n.lhs, n.rhs, n.expr, n.procedure, n.body, n.cond, n.then, n.els, n.pattern, n.update, n.del} {
		finalize(c)
	}
	for _, list := range [][]*node{n.exprs, n.steps, n.args} {
		for _, c := range list {
			finalize(c)
		}
	}
	for _, pr := range n.pairs {
		finalize(pr[0])
		finalize(pr[1])
	}
	for _, t := range n.terms {
		finalize(t.expr)
	}
	for _, st := range n.predicate {
		finalize(st.expr)
	}
	for _, st := range n.stages {
		finalize(st.expr)
	}
	if n.group != nil {
		for _, pr := range n.group.pairs {
			finalize(pr[0])
			finalize(pr[1])
		}
	}
}
