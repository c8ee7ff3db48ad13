package dataflow

import (
	"encoding/json"
	"strings"

	"stepwise/jsonval"
)

// Intrinsic is a compiled intrinsic function call such as
// "States.Format('Hello {}', $.name)". Arguments are string literals in
// single quotes (with the escapes \' \{ \} \\), numbers, true, false, null,
// query paths ($..., $$..., $name...) and nested calls, up to
// [MaxIntrinsicDepth] calls deep. The function name and the number of
// arguments are checked at compile time; argument types and values at run
// time, as AWS does.
//
// An Intrinsic is immutable and safe for concurrent use.
type Intrinsic struct {
	text string
	call *call
}

// MaxIntrinsicDepth is how deeply intrinsic function calls may nest: AWS
// allows up to 10 calls within a field.
const MaxIntrinsicDepth = 10

type call struct {
	fn   *function
	args []argument
}

type argKind uint8

const (
	argLiteral argKind = iota // string, number, boolean or null
	argPath
	argCall
)

type argument struct {
	kind argKind
	lit  any    // argLiteral: string, json.Number, bool or nil
	raw  string // argLiteral string: the text between the quotes, escapes kept
	str  bool   // argLiteral: lit is a string literal
	path *Path
	call *call
}

// CompileIntrinsic compiles an intrinsic function call. Blanks around the
// call and between arguments are ignored. An unknown function, a wrong
// number of arguments or a malformed argument gives a *[SyntaxError].
func CompileIntrinsic(s string) (*Intrinsic, error) {
	text := strings.TrimSpace(s)
	p := &intrinsicParser{src: text}
	if len(text) > maxPathLength {
		return nil, &SyntaxError{Kind: "intrinsic function", Text: text[:64] + "...", Offset: -1, Msg: "too long"}
	}
	c, err := p.parseCall(1)
	if err != nil {
		return nil, err
	}
	p.skipBlanks()
	if p.pos != len(text) {
		return nil, p.errorf("unexpected %q after the function call", p.src[p.pos:])
	}
	return &Intrinsic{text: text, call: c}, nil
}

// IsIntrinsic reports whether s looks like an intrinsic function call (it
// starts with "States." after blanks), which is how a "key.$" value is told
// apart from a path.
func IsIntrinsic(s string) bool {
	return strings.HasPrefix(strings.TrimLeft(s, " \t\r\n"), "States.")
}

// String returns the call's text as compiled.
func (f *Intrinsic) String() string { return f.text }

// Name returns the name of the outermost function, e.g. "States.Format".
func (f *Intrinsic) Name() string { return f.call.fn.name }

type intrinsicParser struct {
	src string
	pos int
}

func (p *intrinsicParser) errorf(format string, args ...any) *SyntaxError {
	e := (&pathParser{src: p.src, pos: p.pos, kind: "intrinsic function"}).errorf(format, args...)
	return e
}

func (p *intrinsicParser) skipBlanks() {
	for p.pos < len(p.src) && strings.IndexByte(" \t\r\n", p.src[p.pos]) >= 0 {
		p.pos++
	}
}

func (p *intrinsicParser) parseCall(depth int) (*call, error) {
	if depth > MaxIntrinsicDepth {
		return nil, p.errorf("intrinsic functions are nested more than %d levels deep", MaxIntrinsicDepth)
	}
	p.skipBlanks()
	start := p.pos
	for p.pos < len(p.src) && (isIdentByte(p.src[p.pos]) || p.src[p.pos] == '.') {
		p.pos++
	}
	name := p.src[start:p.pos]
	if !strings.HasPrefix(name, "States.") {
		p.pos = start
		return nil, p.errorf("expected an intrinsic function such as States.Format")
	}
	fn := functions[name]
	if fn == nil {
		p.pos = start
		return nil, p.errorf("unknown intrinsic function %s", name)
	}
	p.skipBlanks()
	if p.pos >= len(p.src) || p.src[p.pos] != '(' {
		return nil, p.errorf("expected '(' after %s", name)
	}
	p.pos++
	c := &call{fn: fn}
	p.skipBlanks()
	if p.pos < len(p.src) && p.src[p.pos] == ')' {
		p.pos++
	} else {
		for {
			a, err := p.parseArg(depth)
			if err != nil {
				return nil, err
			}
			c.args = append(c.args, a)
			p.skipBlanks()
			if p.pos >= len(p.src) {
				return nil, p.errorf("missing ')' to close %s", name)
			}
			if p.src[p.pos] == ')' {
				p.pos++
				break
			}
			if p.src[p.pos] != ',' {
				return nil, p.errorf("expected ',' or ')' in the arguments of %s", name)
			}
			p.pos++
		}
	}
	if n := len(c.args); n < fn.minArgs || (fn.maxArgs >= 0 && n > fn.maxArgs) {
		p.pos = start
		return nil, p.errorf("%s takes %s, not %d", name, fn.arity(), n)
	}
	return c, nil
}

func isIdentByte(c byte) bool {
	return c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
}

func (p *intrinsicParser) parseArg(depth int) (argument, error) {
	p.skipBlanks()
	if p.pos >= len(p.src) {
		return argument{}, p.errorf("missing argument")
	}
	c := p.src[p.pos]
	switch {
	case c == '\'':
		return p.parseString()
	case c == '$':
		return p.parsePathArg()
	case c == '-' || (c >= '0' && c <= '9'):
		start := p.pos
		for p.pos < len(p.src) && strings.IndexByte("0123456789.eE+-", p.src[p.pos]) >= 0 {
			p.pos++
		}
		v, err := jsonval.ParseString(p.src[start:p.pos])
		if _, ok := v.(json.Number); err != nil || !ok {
			p.pos = start
			return argument{}, p.errorf("invalid number %q", p.src[start:p.pos])
		}
		return argument{kind: argLiteral, lit: v}, nil
	case strings.HasPrefix(p.src[p.pos:], "States."):
		sub, err := p.parseCall(depth + 1)
		if err != nil {
			return argument{}, err
		}
		return argument{kind: argCall, call: sub}, nil
	}
	for _, w := range []struct {
		word string
		val  any
	}{{"true", true}, {"false", false}, {"null", nil}} {
		if strings.HasPrefix(p.src[p.pos:], w.word) && (p.pos+len(w.word) == len(p.src) || !isIdentByte(p.src[p.pos+len(w.word)])) {
			p.pos += len(w.word)
			return argument{kind: argLiteral, lit: w.val}, nil
		}
	}
	return argument{}, p.errorf("invalid argument %q", truncate(p.src[p.pos:], 20))
}

func truncate(s string, n int) string {
	if len(s) > n {
		return s[:n] + "..."
	}
	return s
}

// parseString parses a single-quoted literal. The escapes \' \{ \} \\ give
// the character itself (a backslash before any other character is kept);
// the raw text is kept so that States.Format can
// tell an escaped brace from a placeholder.
func (p *intrinsicParser) parseString() (argument, error) {
	p.pos++ // opening quote
	start := p.pos
	var b strings.Builder
	for p.pos < len(p.src) {
		c := p.src[p.pos]
		switch c {
		case '\\':
			if p.pos+1 >= len(p.src) {
				return argument{}, p.errorf("unterminated string literal")
			}
			n := p.src[p.pos+1]
			if strings.IndexByte(`'{}\`, n) < 0 {
				// Not one of AWS's escapes: keep the backslash.
				b.WriteByte('\\')
			}
			b.WriteByte(n)
			p.pos += 2
		case '\'':
			raw := p.src[start:p.pos]
			p.pos++
			return argument{kind: argLiteral, lit: b.String(), raw: raw, str: true}, nil
		default:
			b.WriteByte(c)
			p.pos++
		}
	}
	return argument{}, p.errorf("unterminated string literal")
}

// parsePathArg reads a path up to the ',' or ')' that ends the argument,
// skipping brackets, parentheses and quotes inside the path (filters).
func (p *intrinsicParser) parsePathArg() (argument, error) {
	start := p.pos
	depth := 0
	var quote byte
	for p.pos < len(p.src) {
		c := p.src[p.pos]
		if quote != 0 {
			if c == '\\' {
				p.pos++
			} else if c == quote {
				quote = 0
			}
			p.pos++
			continue
		}
		switch c {
		case '\'', '"':
			quote = c
		case '[', '(':
			depth++
		case ']':
			depth--
		case ')':
			if depth == 0 {
				goto done
			}
			depth--
		case ',':
			if depth == 0 {
				goto done
			}
		}
		p.pos++
	}
done:
	// An escape at the very end of an unterminated quote steps past the end.
	p.pos = min(p.pos, len(p.src))
	text := strings.TrimSpace(p.src[start:p.pos])
	path, err := CompilePath(text)
	if err != nil {
		se := err.(*SyntaxError)
		return argument{}, &SyntaxError{Kind: "intrinsic function", Text: p.src, Offset: start + max(se.Offset, 0), Msg: "in path " + text + ": " + se.Msg}
	}
	return argument{kind: argPath, path: path}, nil
}

// Eval evaluates the call against input, with env for context paths,
// variables and the random source. It returns a new value the caller owns
// (shared parts of input may be inside it).
//
// A path argument that selects nothing fails with States.Runtime, as
// [Path.Eval] does; a bad argument value (wrong type, out of range, a
// placeholder count that does not match) fails with
// States.IntrinsicFailure.
func (f *Intrinsic) Eval(input any, env *Env) (any, error) {
	v, fail := f.call.eval(input, env, "")
	if fail != nil {
		return nil, fail
	}
	return v, nil
}

// eval evaluates the call; field names the template field for the cause
// of a path that selects nothing ("" for the plain path message).
func (c *call) eval(input any, env *Env, field string) (any, *Failure) {
	var buf [4]any
	args := buf[:0]
	if len(c.args) > len(buf) {
		args = make([]any, 0, len(c.args))
	}
	for i := range c.args {
		a := &c.args[i]
		switch a.kind {
		case argLiteral:
			args = append(args, a.lit)
		case argPath:
			v, f := evalPathField(a.path, input, env, field)
			if f != nil {
				return nil, f
			}
			args = append(args, v)
		case argCall:
			v, f := a.call.eval(input, env, field)
			if f != nil {
				return nil, f
			}
			args = append(args, v)
		}
	}
	return c.fn.eval(c, args, env)
}

// evalPathField evaluates a path that fills a template field. With a field
// name, a path that selects nothing fails with AWS's cause for payload
// templates (conformance test_invalid_jsonpath_INVALID_JSONPATH_IN_STRING_
// EXPR_JSONPATH): "The JSONPath '$.x' specified for the field 'value.$'
// could not be found in the input '{...}'".
func evalPathField(p *Path, input any, env *Env, field string) (any, *Failure) {
	v, f := p.eval(input, env)
	if f == nil || field == "" {
		return v, f
	}
	return nil, runtimeFailure("The JSONPath '%s' specified for the field '%s' could not be found in the input '%s'",
		p.text, field, jsonval.MustMarshalString(input))
}
