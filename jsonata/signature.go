package jsonata

import (
	"regexp"
	"strings"
)

type sigParam struct {
	regex        string
	typ          string
	context      bool
	contextRegex *regexp.Regexp
	subtype      string
}

// signature is a parsed function signature such as "<s-nn?:s>", validating
// and fixing up arguments as jsonata-js does.
type signature struct {
	definition string
	params     []*sigParam
	regex      *regexp.Regexp
	partials   []*regexp.Regexp // regex of params[:i+1], for error reporting
}

func findClosing(s string, start int, open, close byte) int {
	depth := 1
	pos := start
	for pos < len(s) {
		pos++
		if pos >= len(s) {
			break
		}
		c := s[pos]
		if c == close {
			depth--
			if depth == 0 {
				break
			}
		} else if c == open {
			depth++
		}
	}
	return pos
}

// parseSignature parses a signature; errors carry the offset in Position.
func parseSignature(sig string) (*signature, *Error) {
	s := &signature{definition: sig}
	param := &sigParam{}
	prev := param
	next := func() {
		s.params = append(s.params, param)
		prev = param
		param = &sigParam{}
	}
	for pos := 1; pos < len(sig); pos++ {
		c := sig[pos]
		if c == ':' {
			break
		}
		switch c {
		case 's', 'n', 'b', 'l', 'o':
			param.regex = "[" + string(c) + "m]"
			param.typ = string(c)
			next()
		case 'a':
			param.regex = "[asnblfom]"
			param.typ = "a"
			next()
		case 'f':
			param.regex = "f"
			param.typ = "f"
			next()
		case 'j':
			param.regex = "[asnblom]"
			param.typ = "j"
			next()
		case 'x':
			param.regex = "[asnblfom]"
			param.typ = "x"
			next()
		case '-':
			if prev.regex == "" {
				return nil, &Error{Code: "S0401", Position: pos, Value: sig, Message: "invalid function signature " + sig}
			}
			re, err := regexp.Compile(prev.regex)
			if err != nil {
				return nil, &Error{Code: "S0401", Position: pos, Value: sig, Message: "invalid function signature " + sig}
			}
			prev.context = true
			prev.contextRegex = re
			prev.regex += "?"
		case '?', '+':
			prev.regex += string(c)
		case '(':
			end := findClosing(sig, pos, '(', ')')
			if end >= len(sig) {
				end = len(sig) - 1
			}
			choice := sig[pos+1 : end]
			if strings.Contains(choice, "<") {
				return nil, &Error{Code: "S0402", Position: pos, Value: choice}
			}
			param.regex = "[" + choice + "m]"
			param.typ = "(" + choice + ")"
			pos = end
			next()
		case '<':
			if prev.typ == "a" || prev.typ == "f" {
				end := findClosing(sig, pos, '<', '>')
				if end >= len(sig) {
					end = len(sig) - 1
				}
				prev.subtype = sig[pos+1 : end]
				pos = end
			} else {
				return nil, &Error{Code: "S0401", Position: pos, Value: prev.typ}
			}
		}
	}
	var b strings.Builder
	b.WriteByte('^')
	for _, p := range s.params {
		b.WriteString("(" + p.regex + ")")
		re, err := regexp.Compile(b.String())
		if err != nil {
			return nil, &Error{Code: "S0401", Value: sig, Message: "invalid function signature " + sig}
		}
		s.partials = append(s.partials, re)
	}
	b.WriteByte('$')
	re, err := regexp.Compile(b.String())
	if err != nil {
		return nil, &Error{Code: "S0401", Value: sig, Message: "invalid function signature " + sig}
	}
	s.regex = re
	return s, nil
}

func mustSignature(sig string) *signature {
	s, err := parseSignature(sig)
	if err != nil {
		panic("jsonata: bad built-in signature " + sig)
	}
	return s
}

// symbolOf returns the one-letter type symbol of a value for signature
// matching.
func symbolOf(v any) byte {
	switch v.(type) {
	case undefinedType:
		return 'm'
	case nil:
		return 'l'
	case string:
		return 's'
	case bool:
		return 'b'
	case float64, jsonNumber:
		return 'n'
	case []any, *sequence:
		return 'a'
	case *objectT:
		return 'o'
	}
	if isFunction(v) {
		return 'f'
	}
	return 'm'
}

var arraySignatureMapping = map[string]string{
	"a": "arrays", "b": "booleans", "f": "functions", "n": "numbers", "o": "objects", "s": "strings",
}

// validate checks args against the signature, returning the fixed-up
// arguments (context substituted, singletons wrapped in arrays).
func (s *signature) validate(args []any, context any) ([]any, error) {
	sb := make([]byte, len(args))
	for i, a := range args {
		sb[i] = symbolOf(a)
	}
	supplied := string(sb)
	m := s.regex.FindStringSubmatchIndex(supplied)
	if m == nil {
		return nil, s.validationError(args, supplied)
	}
	out := make([]any, 0, len(s.params))
	argIndex := 0
	for i, p := range s.params {
		start, end := m[2*i+2], m[2*i+3]
		match := ""
		if start >= 0 {
			match = supplied[start:end]
		}
		if match == "" {
			if p.context && p.contextRegex != nil {
				ct := string(symbolOf(context))
				if p.contextRegex.MatchString(ct) {
					out = append(out, context)
				} else {
					return nil, &Error{Code: "T0411", Value: context, Message: "context value is not a compatible type with argument " + itoa(argIndex+1)}
				}
			} else {
				if argIndex < len(args) {
					out = append(out, argAt(args, argIndex))
				} else {
					out = append(out, undefined)
				}
				argIndex++
			}
			continue
		}
		for j := 0; j < len(match); j++ {
			single := match[j]
			if p.typ == "a" {
				var arg any
				if single == 'm' {
					arg = undefined
				} else {
					arg = argAt(args, argIndex)
					ok := true
					if p.subtype != "" {
						if single != 'a' && match != p.subtype {
							ok = false
						} else if single == 'a' {
							items := arrayItems(arg)
							if len(items) > 0 {
								it := symbolOf(items[0])
								if it != p.subtype[0] {
									ok = false
								} else {
									for _, v := range items {
										if symbolOf(v) != it {
											ok = false
											break
										}
									}
								}
							}
						}
					}
					if !ok {
						return nil, &Error{Code: "T0412", Value: arg, Message: "argument " + itoa(argIndex+1) + " must be an array of " + arraySignatureMapping[p.subtype]}
					}
					if single != 'a' {
						arg = []any{arg}
					}
				}
				out = append(out, arg)
				argIndex++
			} else {
				out = append(out, argAt(args, argIndex))
				argIndex++
			}
		}
	}
	return out, nil
}

func (s *signature) validationError(args []any, supplied string) error {
	goodTo := 0
	for _, re := range s.partials {
		loc := re.FindStringIndex(supplied)
		if loc == nil {
			break
		}
		goodTo = loc[1]
	}
	var v any = undefined
	if goodTo < len(args) {
		v = args[goodTo]
	}
	return &Error{Code: "T0410", Value: v, Message: "argument " + itoa(goodTo+1) + " does not match function signature"}
}

// argAt is args[i], or undefined past the end (the signature regex can
// match an empty optional parameter before a later one).
func argAt(args []any, i int) any {
	if i < len(args) {
		return args[i]
	}
	return undefined
}
