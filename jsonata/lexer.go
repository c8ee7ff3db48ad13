package jsonata

import (
	"strconv"
	"strings"
	"unicode/utf16"
	"unicode/utf8"
)

type tokenKind int

const (
	tokOperator tokenKind = iota
	tokName
	tokVariable
	tokString
	tokNumber
	tokValue
	tokRegex
	tokEnd
)

type token struct {
	kind  tokenKind
	str   string // operator, name, variable name, string literal, regex source
	num   float64
	value any // for tokValue: true, false or nil
	flags string
	pos   int
}

// operators maps each operator to its binding power, as in jsonata-js.
var operators = map[string]int{
	".": 75, "[": 80, "]": 0, "{": 70, "}": 0, "(": 80, ")": 0, ",": 0, "@": 80, "#": 80, ";": 80, ":": 80, "?": 20,
	"+": 50, "-": 50, "*": 60, "/": 60, "%": 60, "|": 20, "=": 40, "<": 40, ">": 40, "^": 40, "**": 60, "..": 20,
	":=": 10, "!=": 40, "<=": 40, ">=": 40, "~>": 40, "and": 30, "or": 25, "in": 40, "&": 50, "!": 0, "~": 0,
}

func isOperatorChar(c byte) bool {
	switch c {
	case '.', '[', ']', '{', '}', '(', ')', ',', '@', '#', ';', ':', '?', '+', '-', '*', '/', '%', '|', '=', '<', '>', '^', '&', '!', '~':
		return true
	}
	return false
}

func isSpace(c byte) bool {
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v'
}

type lexer struct {
	src string
	pos int
}

func (l *lexer) at(i int) byte {
	if i < 0 || i >= len(l.src) {
		return 0
	}
	return l.src[i]
}

// next returns the next token, or nil at the end of input. prefix is true
// when a '/' must be read as the division operator rather than a regex.
func (l *lexer) next(prefix bool) (*token, error) {
	src := l.src
	for {
		for l.pos < len(src) && isSpace(src[l.pos]) {
			l.pos++
		}
		if l.pos >= len(src) {
			return nil, nil
		}
		if src[l.pos] == '/' && l.at(l.pos+1) == '*' {
			start := l.pos
			end := strings.Index(src[l.pos+2:], "*/")
			if end < 0 {
				return nil, errAt("S0106", start, "", nil)
			}
			l.pos += 2 + end + 2
			continue
		}
		break
	}
	c := src[l.pos]
	op := func(s string) *token {
		l.pos += len(s)
		return &token{kind: tokOperator, str: s, pos: l.pos}
	}
	if !prefix && c == '/' {
		l.pos++
		return l.scanRegex()
	}
	if l.pos+1 < len(src) {
		switch two := src[l.pos : l.pos+2]; two {
		case "..", ":=", "!=", ">=", "<=", "**", "~>":
			return op(two), nil
		}
	}
	if isOperatorChar(c) {
		return op(string(c)), nil
	}
	if c == '"' || c == '\'' {
		return l.scanString(c)
	}
	if c >= '0' && c <= '9' {
		return l.scanNumber()
	}
	if c == '`' {
		end := strings.IndexByte(src[l.pos+1:], '`')
		if end < 0 {
			l.pos = len(src)
			return nil, errAt("S0105", l.pos, "", nil)
		}
		name := src[l.pos+1 : l.pos+1+end]
		l.pos += end + 2
		return &token{kind: tokName, str: name, pos: l.pos}, nil
	}
	i := l.pos
	for i < len(src) && !isSpace(src[i]) && !isOperatorChar(src[i]) {
		i++
	}
	if c == '$' {
		name := src[l.pos+1 : i]
		l.pos = i
		return &token{kind: tokVariable, str: name, pos: i}, nil
	}
	name := src[l.pos:i]
	l.pos = i
	switch name {
	case "or", "in", "and":
		return &token{kind: tokOperator, str: name, pos: i}, nil
	case "true":
		return &token{kind: tokValue, value: true, pos: i}, nil
	case "false":
		return &token{kind: tokValue, value: false, pos: i}, nil
	case "null":
		return &token{kind: tokValue, value: nil, pos: i}, nil
	}
	return &token{kind: tokName, str: name, pos: i}, nil
}

func (l *lexer) scanNumber() (*token, error) {
	src := l.src
	i := l.pos
	if src[i] == '0' {
		i++
	} else {
		for i < len(src) && src[i] >= '0' && src[i] <= '9' {
			i++
		}
	}
	if i+1 < len(src) && src[i] == '.' && src[i+1] >= '0' && src[i+1] <= '9' {
		i++
		for i < len(src) && src[i] >= '0' && src[i] <= '9' {
			i++
		}
	}
	if i < len(src) && (src[i] == 'e' || src[i] == 'E') {
		j := i + 1
		if j < len(src) && (src[j] == '+' || src[j] == '-') {
			j++
		}
		if j < len(src) && src[j] >= '0' && src[j] <= '9' {
			for j < len(src) && src[j] >= '0' && src[j] <= '9' {
				j++
			}
			i = j
		}
	}
	text := src[l.pos:i]
	f, err := strconv.ParseFloat(text, 64)
	if err != nil {
		return nil, errAt("S0102", l.pos, text, nil)
	}
	l.pos = i
	return &token{kind: tokNumber, num: f, pos: i}, nil
}

func (l *lexer) scanString(quote byte) (*token, error) {
	src := l.src
	l.pos++
	var sb strings.Builder
	for l.pos < len(src) {
		c := src[l.pos]
		switch {
		case c == '\\':
			l.pos++
			e := l.at(l.pos)
			switch e {
			case '"', '\\', '/':
				sb.WriteByte(e)
			case 'b':
				sb.WriteByte('\b')
			case 'f':
				sb.WriteByte('\f')
			case 'n':
				sb.WriteByte('\n')
			case 'r':
				sb.WriteByte('\r')
			case 't':
				sb.WriteByte('\t')
			case 'u':
				r, ok := hex4(src, l.pos+1)
				if !ok {
					return nil, errAt("S0104", l.pos, "", nil)
				}
				l.pos += 4
				if utf16.IsSurrogate(r) {
					// A surrogate pair is written as two escapes.
					if l.at(l.pos+1) == '\\' && l.at(l.pos+2) == 'u' {
						if r2, ok := hex4(src, l.pos+3); ok {
							if d := utf16.DecodeRune(r, r2); d != utf8.RuneError {
								sb.WriteRune(d)
								l.pos += 6
								break
							}
						}
					}
					sb.WriteRune(utf8.RuneError)
					break
				}
				sb.WriteRune(r)
			default:
				tokstr := ""
				if l.pos < len(src) {
					tokstr = string(e)
				}
				return nil, errAt("S0103", l.pos, tokstr, nil)
			}
		case c == quote:
			l.pos++
			return &token{kind: tokString, str: sb.String(), pos: l.pos}, nil
		default:
			sb.WriteByte(c)
		}
		l.pos++
	}
	return nil, errAt("S0101", l.pos, "", nil)
}

func hex4(s string, i int) (rune, bool) {
	if i+4 > len(s) {
		return 0, false
	}
	v, err := strconv.ParseUint(s[i:i+4], 16, 32)
	if err != nil {
		return 0, false
	}
	return rune(v), true
}

func (l *lexer) scanRegex() (*token, error) {
	src := l.src
	start := l.pos
	depth := 0
	for l.pos < len(src) {
		c := src[l.pos]
		if c == '/' && depth == 0 {
			n := 0
			for l.pos-(n+1) >= 0 && src[l.pos-(n+1)] == '\\' {
				n++
			}
			if n%2 == 0 {
				pattern := src[start:l.pos]
				if pattern == "" {
					return nil, errAt("S0301", l.pos, "", nil)
				}
				l.pos++
				fs := l.pos
				for l.pos < len(src) && (src[l.pos] == 'i' || src[l.pos] == 'm') {
					l.pos++
				}
				return &token{kind: tokRegex, str: pattern, flags: src[fs:l.pos], pos: l.pos}, nil
			}
		}
		prevEsc := l.at(l.pos-1) == '\\'
		if (c == '(' || c == '[' || c == '{') && !prevEsc {
			depth++
		}
		if (c == ')' || c == ']' || c == '}') && !prevEsc {
			depth--
		}
		l.pos++
	}
	return nil, errAt("S0302", l.pos, "", nil)
}
