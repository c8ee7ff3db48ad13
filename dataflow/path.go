package dataflow

import (
	"fmt"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf16"
	"unicode/utf8"
)

// Path is a compiled JSONPath query path of the Amazon States Language: an
// input path ($...), a context path ($$...) or a variable path ($name...).
// It follows Jayway JsonPath, which AWS uses: a definite path (one that can
// only select a single node) yields that node and fails when it is missing;
// an indefinite path (wildcard, slice, several indexes, filter, recursive
// descent) yields an array of every match, possibly empty.
//
// A Path is immutable and safe for concurrent use.
type Path struct {
	text     string
	root     rootKind
	varName  string
	segs     []segment
	definite bool
}

type rootKind uint8

const (
	rootInput   rootKind = iota // $
	rootContext                 // $$
	rootVar                     // $name
	rootCurrent                 // @, inside filters only
)

type segKind uint8

const (
	segName     segKind = iota // .a or ['a'] or ['a','b']
	segIndex                   // [0] or [0,1]
	segSlice                   // [1:2]
	segWildcard                // .* or [*]
	segFilter                  // [?(...)]
)

type segment struct {
	kind     segKind
	scan     bool // preceded by ".."
	names    []string
	indexes  []int
	from, to int
	hasFrom  bool
	hasTo    bool
	filter   *filterExpr
}

// maxPathLength bounds the text accepted by the compilers; AWS limits whole
// definitions to 1 MiB, and a bound keeps pathological inputs cheap.
const maxPathLength = 1 << 16

// CompilePath compiles a query path: "$", "$.a.b", "$['k']", "$.a[0]",
// "$.a[-1:]", "$.a[0,1]", "$.a[*]", "$..x", "$.a[?(@.x > 1)]", a context path
// "$$.Execution.Id" or a variable path "$name.field[0]". A dot before a
// bracket is allowed and changes nothing ("$.[0]", "$.a.['b']"), as in
// Jayway. Quoted names take Jayway's escapes ("$['it\'s']"). Leading and
// trailing blanks are ignored, as Jayway does. A path that does not compile
// gives a *[PathError] whose message suits a validation diagnostic.
func CompilePath(s string) (*Path, error) {
	text := strings.TrimSpace(s)
	p := &pathParser{src: text, kind: "path"}
	path, err := p.parsePath(false)
	if err != nil {
		return nil, err
	}
	if p.pos != len(text) {
		return nil, p.errorf("unexpected %q", p.rest())
	}
	path.text = text
	return path, nil
}

// String returns the path's text as it was compiled (without surrounding
// blanks).
func (p *Path) String() string { return p.text }

// IsContext reports whether p is a context path ($$...).
func (p *Path) IsContext() bool { return p.root == rootContext }

// IsVariable reports whether p is a variable path ($name...).
func (p *Path) IsVariable() bool { return p.root == rootVar }

// Variable returns the name of the variable a variable path starts from
// (without the $), or "" for other paths.
func (p *Path) Variable() string { return p.varName }

// IsDefinite reports whether p selects at most one node: it has no
// wildcard, slice, filter, recursive descent, or list of indexes; a list of
// names in the last step is definite too (Jayway merges the selected
// members into one object).
func (p *Path) IsDefinite() bool { return p.definite }

type pathParser struct {
	src      string
	pos      int
	kind     string
	inFilter bool // stop names at operators and blanks
}

func (p *pathParser) errorf(format string, args ...any) *SyntaxError {
	msg := format
	if len(args) > 0 {
		msg = fmt.Sprintf(format, args...)
	}
	return &SyntaxError{Kind: p.kind, Text: p.src, Offset: p.pos, Msg: msg}
}

func (p *pathParser) rest() string {
	r := p.src[p.pos:]
	if len(r) > 20 {
		r = r[:20] + "..."
	}
	return r
}

func (p *pathParser) peek() byte {
	if p.pos < len(p.src) {
		return p.src[p.pos]
	}
	return 0
}

func (p *pathParser) skipBlanks() {
	for p.pos < len(p.src) && (p.src[p.pos] == ' ' || p.src[p.pos] == '\t' || p.src[p.pos] == '\n' || p.src[p.pos] == '\r') {
		p.pos++
	}
}

// parsePath parses a root and its segments. With inFilter, "@" is a valid
// root and the path ends at the first character that cannot continue it.
func (p *pathParser) parsePath(inFilter bool) (*Path, error) {
	if len(p.src) > maxPathLength {
		return nil, &SyntaxError{Kind: p.kind, Text: p.src[:64] + "...", Offset: -1, Msg: "too long"}
	}
	path := &Path{}
	switch {
	case p.peek() == '@' && inFilter:
		p.pos++
		path.root = rootCurrent
	case p.peek() == '$':
		p.pos++
		switch c := p.peek(); {
		case c == '$':
			if inFilter {
				return nil, p.errorf("context paths are not allowed in filters")
			}
			p.pos++
			path.root = rootContext
		case isVarStart(p.src[p.pos:]):
			if inFilter {
				return nil, p.errorf("variables are not allowed in filters")
			}
			start := p.pos
			for p.pos < len(p.src) {
				r, n := utf8.DecodeRuneInString(p.src[p.pos:])
				if !isVarRune(r) {
					break
				}
				p.pos += n
			}
			path.root = rootVar
			path.varName = p.src[start:p.pos]
		}
	default:
		if p.pos >= len(p.src) {
			return nil, p.errorf("empty path")
		}
		return nil, p.errorf("a path must start with '$'")
	}
	for p.pos < len(p.src) {
		c := p.src[p.pos]
		if c == '.' || c == '[' {
			seg, err := p.parseSegment()
			if err != nil {
				return nil, err
			}
			path.segs = append(path.segs, seg)
			continue
		}
		if inFilter {
			break
		}
		return nil, p.errorf("unexpected %q", p.rest())
	}
	path.definite = computeDefinite(path.segs)
	return path, nil
}

func computeDefinite(segs []segment) bool {
	for i, s := range segs {
		if s.scan {
			return false
		}
		switch s.kind {
		case segName:
			if len(s.names) > 1 && i != len(segs)-1 {
				return false
			}
		case segIndex:
			if len(s.indexes) > 1 {
				return false
			}
		default:
			return false
		}
	}
	return true
}

func isVarStart(s string) bool {
	r, _ := utf8.DecodeRuneInString(s)
	return r == '_' || unicode.IsLetter(r)
}

func isVarRune(r rune) bool {
	return r == '_' || unicode.IsLetter(r) || unicode.IsDigit(r)
}

// parseSegment parses one step starting at '.' or '['.
func (p *pathParser) parseSegment() (segment, error) {
	var seg segment
	if p.peek() == '.' {
		p.pos++
		if p.peek() == '.' {
			p.pos++
			seg.scan = true
		}
		// A bracket after a dot is read as if the dot were not there
		// ("$.[0]" is "$[0]", "$.a.['b']" is "$.a['b']"), as Jayway's
		// readDotToken reads it; AWS accepts these paths.
		if p.peek() == '[' {
			return p.parseBracket(seg)
		}
		if p.peek() == '*' {
			p.pos++
			seg.kind = segWildcard
			return seg, nil
		}
		start := p.pos
		for p.pos < len(p.src) {
			c := p.src[p.pos]
			if c == '.' || c == '[' {
				break
			}
			if c == '(' {
				return seg, p.errorf("path functions such as %q are not supported", p.src[start:p.pos]+"()")
			}
			if c == ' ' || c == '\t' || c == '\n' || c == '\r' {
				if p.inFilter {
					break
				}
				return seg, p.errorf("use bracket notation ['my prop'] for names with blanks")
			}
			if p.inFilter && strings.IndexByte("=!<>&|)]", c) >= 0 {
				break
			}
			p.pos++
		}
		if p.pos == start {
			if p.pos >= len(p.src) {
				return seg, p.errorf("path must not end with '.'")
			}
			return seg, p.errorf("expected a name after '.'")
		}
		seg.kind = segName
		seg.names = []string{p.src[start:p.pos]}
		return seg, nil
	}
	return p.parseBracket(seg)
}

// parseBracket parses "[...]" starting at '['.
func (p *pathParser) parseBracket(seg segment) (segment, error) {
	p.pos++ // '['
	p.skipBlanks()
	switch c := p.peek(); {
	case c == 0:
		return seg, p.errorf("unterminated '['")
	case c == '*':
		p.pos++
		seg.kind = segWildcard
	case c == '\'' || c == '"':
		seg.kind = segName
		for {
			p.skipBlanks()
			q := p.peek()
			if q != '\'' && q != '"' {
				return seg, p.errorf("expected a quoted name")
			}
			name, err := p.quoted(q)
			if err != nil {
				return seg, err
			}
			seg.names = append(seg.names, name)
			p.skipBlanks()
			if p.peek() != ',' {
				break
			}
			p.pos++
		}
	case c == '?':
		p.pos++
		p.skipBlanks()
		if p.peek() != '(' {
			return seg, p.errorf("expected '(' after '?'")
		}
		p.pos++
		f, err := p.parseFilter()
		if err != nil {
			return seg, err
		}
		p.skipBlanks()
		if p.peek() != ')' {
			return seg, p.errorf("expected ')' to close the filter")
		}
		p.pos++
		seg.kind = segFilter
		seg.filter = f
	case c == '(':
		return seg, p.errorf("script expressions are not supported")
	case c == '-' || c == ':' || (c >= '0' && c <= '9'):
		if err := p.parseIndexes(&seg); err != nil {
			return seg, err
		}
	default:
		return seg, p.errorf("unexpected %q in brackets", p.rest())
	}
	p.skipBlanks()
	if p.peek() != ']' {
		return seg, p.errorf("expected ']'")
	}
	p.pos++
	return seg, nil
}

// quoted reads a quoted name or string literal starting at its opening
// quote q. Escapes are read as Jayway's Utils.unescape reads them: \\,
// \', \", \b, \f, \n, \r, \t and \uXXXX (UTF-16 surrogate pairs
// combine; a lone surrogate becomes U+FFFD, as jsonval decodes one);
// before any other character the backslash is dropped.
func (p *pathParser) quoted(q byte) (string, error) {
	p.pos++ // opening quote
	var b strings.Builder
	for p.pos < len(p.src) {
		c := p.src[p.pos]
		switch {
		case c == '\\' && p.pos+1 < len(p.src):
			p.pos++
			if err := p.escape(&b); err != nil {
				return "", err
			}
		case c == q:
			p.pos++
			return b.String(), nil
		default:
			b.WriteByte(c)
			p.pos++
		}
	}
	return "", p.errorf("unterminated quoted name")
}

// escape reads the escape whose backslash is just before p.pos.
func (p *pathParser) escape(b *strings.Builder) error {
	c := p.src[p.pos]
	p.pos++
	switch c {
	case 'b':
		b.WriteByte('\b')
	case 'f':
		b.WriteByte('\f')
	case 'n':
		b.WriteByte('\n')
	case 'r':
		b.WriteByte('\r')
	case 't':
		b.WriteByte('\t')
	case 'u':
		r, ok := p.hex4()
		if !ok {
			return p.errorf("bad unicode escape")
		}
		if utf16.IsSurrogate(r) {
			r = p.lowSurrogate(r)
		}
		b.WriteRune(r)
	default:
		b.WriteByte(c)
	}
	return nil
}

// lowSurrogate combines the high surrogate hi with a \u escape of a low
// surrogate at p.pos, reading it; anything else leaves p.pos alone and
// gives U+FFFD for the lone surrogate.
func (p *pathParser) lowSurrogate(hi rune) rune {
	if !strings.HasPrefix(p.src[p.pos:], `\u`) {
		return utf8.RuneError
	}
	save := p.pos
	p.pos += 2
	if lo, ok := p.hex4(); ok {
		if r := utf16.DecodeRune(hi, lo); r != utf8.RuneError {
			return r
		}
	}
	p.pos = save
	return utf8.RuneError
}

// hex4 reads the four hex digits of a \u escape.
func (p *pathParser) hex4() (rune, bool) {
	if p.pos+4 > len(p.src) {
		return 0, false
	}
	n, err := strconv.ParseUint(p.src[p.pos:p.pos+4], 16, 16)
	if err != nil {
		return 0, false
	}
	p.pos += 4
	return rune(n), true
}

func (p *pathParser) integer() (int, bool) {
	start := p.pos
	if p.peek() == '-' {
		p.pos++
	}
	for p.pos < len(p.src) && p.src[p.pos] >= '0' && p.src[p.pos] <= '9' {
		p.pos++
	}
	n, err := strconv.Atoi(p.src[start:p.pos])
	if err != nil {
		p.pos = start
		return 0, false
	}
	return n, true
}

func (p *pathParser) parseIndexes(seg *segment) error {
	p.skipBlanks()
	if p.peek() != ':' {
		n, ok := p.integer()
		if !ok {
			return p.errorf("expected an array index")
		}
		p.skipBlanks()
		if p.peek() != ':' {
			seg.kind = segIndex
			seg.indexes = append(seg.indexes, n)
			for p.peek() == ',' {
				p.pos++
				p.skipBlanks()
				n, ok := p.integer()
				if !ok {
					return p.errorf("expected an array index")
				}
				seg.indexes = append(seg.indexes, n)
				p.skipBlanks()
			}
			return nil
		}
		seg.from, seg.hasFrom = n, true
	}
	p.pos++ // ':'
	seg.kind = segSlice
	p.skipBlanks()
	if c := p.peek(); c == '-' || (c >= '0' && c <= '9') {
		n, ok := p.integer()
		if !ok {
			return p.errorf("expected the end of the slice")
		}
		seg.to, seg.hasTo = n, true
	}
	p.skipBlanks()
	if p.peek() == ':' {
		return p.errorf("slice steps are not supported")
	}
	if !seg.hasFrom && !seg.hasTo {
		return p.errorf("a slice needs a start or an end")
	}
	return nil
}

// jaywayPath renders the first n segments as Jayway prints paths in its
// messages: $['a'][0].
func (p *Path) jaywayPath(n int) string {
	var b strings.Builder
	b.WriteByte('$')
	for _, s := range p.segs[:n] {
		if s.scan {
			b.WriteString("..")
		}
		switch s.kind {
		case segName:
			b.WriteByte('[')
			for i, name := range s.names {
				if i > 0 {
					b.WriteByte(',')
				}
				b.WriteByte('\'')
				b.WriteString(name)
				b.WriteByte('\'')
			}
			b.WriteByte(']')
		case segIndex:
			b.WriteByte('[')
			for i, ix := range s.indexes {
				if i > 0 {
					b.WriteByte(',')
				}
				b.WriteString(strconv.Itoa(ix))
			}
			b.WriteByte(']')
		case segSlice:
			b.WriteByte('[')
			if s.hasFrom {
				b.WriteString(strconv.Itoa(s.from))
			}
			b.WriteByte(':')
			if s.hasTo {
				b.WriteString(strconv.Itoa(s.to))
			}
			b.WriteByte(']')
		case segWildcard:
			b.WriteString("[*]")
		case segFilter:
			b.WriteString("[?]")
		}
	}
	return b.String()
}
