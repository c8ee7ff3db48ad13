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
