package jsonata

import (
	"regexp"
	"strings"

	"stepwise/jsonval"
)

// regexValue is a compiled regular expression literal. Calling it as a
// function with a string returns a match object, as in jsonata-js.
type regexValue struct {
	re  *regexp.Regexp
	src string
}

// jsSpace is the class body of JavaScript's \s, which is wider than RE2's.
const jsSpace = `\t\n\v\f\r \x{a0}\x{1680}\x{2000}-\x{200a}\x{2028}\x{2029}\x{202f}\x{205f}\x{3000}\x{feff}`

// compileRegex translates a JavaScript regular expression to Go's RE2
// syntax. RE2 has no lookaround assertions and no backreferences; patterns
// using them are rejected with S0303.
func compileRegex(src, flags string) (*regexValue, error) {
	var b strings.Builder
	if flags != "" {
		b.WriteString("(?")
		if strings.Contains(flags, "i") {
			b.WriteByte('i')
		}
		if strings.Contains(flags, "m") {
			b.WriteByte('m')
		}
		b.WriteByte(')')
	}
	inClass := false
	for i := 0; i < len(src); i++ {
		c := src[i]
		switch {
		case c == '\\' && i+1 < len(src):
			e := src[i+1]
			switch {
			case e == 'u' && i+5 < len(src)+0 && i+6 <= len(src):
				if _, ok := hex4(src, i+2); ok {
					b.WriteString(`\x{` + src[i+2:i+6] + `}`)
					i += 5
					continue
				}
				b.WriteString(`u`)
				i++
			case e == '/':
				b.WriteByte('/')
				i++
			case e == 's' && inClass:
				b.WriteString(jsSpace)
				i++
			case e == 's':
				b.WriteString("[" + jsSpace + "]")
				i++
			case e == 'S' && !inClass:
				b.WriteString("[^" + jsSpace + "]")
				i++
			case e == 'd' || e == 'D' || e == 'w' || e == 'W' || e == 'S' || e == 'b' || e == 'B' ||
				e == 'n' || e == 'r' || e == 't' || e == 'f' || e == 'v' || e == 'x':
				b.WriteByte('\\')
				b.WriteByte(e)
				i++
			case e >= '1' && e <= '9' && !inClass:
				return nil, errAt("S0303", 0, src, src)
			case e >= 'a' && e <= 'z' || e >= 'A' && e <= 'Z':
				// identity escape of a letter in JS: the letter itself
				b.WriteByte(e)
				i++
			default:
				b.WriteByte('\\')
				b.WriteByte(e)
				i++
			}
		case c == '[' && !inClass:
			inClass = true
			b.WriteByte(c)
			if i+1 < len(src) && src[i+1] == '^' {
				b.WriteByte('^')
				i++
			}
			if i+1 < len(src) && src[i+1] == ']' {
				// JS [] matches nothing and [^] matches anything.
				inClass = false
				i++
				if strings.HasSuffix(b.String(), "[^") {
					b.WriteString(`\x00-\x{10FFFF}]`)
				} else {
					b.WriteString(`^\x00-\x{10FFFF}]`)
				}
			}
		case c == ']' && inClass:
			inClass = false
			b.WriteByte(c)
		case c == '[' && inClass:
			b.WriteString(`\[`)
		case c == '(' && !inClass && strings.HasPrefix(src[i:], "(?") && !strings.HasPrefix(src[i:], "(?:") && !strings.HasPrefix(src[i:], "(?<"):
			return nil, errAt("S0303", 0, src, src)
		case c == '(' && !inClass && (strings.HasPrefix(src[i:], "(?<=") || strings.HasPrefix(src[i:], "(?<!")):
			return nil, errAt("S0303", 0, src, src)
		default:
			b.WriteByte(c)
		}
	}
	re, err := regexp.Compile(b.String())
	if err != nil {
		return nil, errAt("S0303", 0, src, src)
	}
	return &regexValue{re: re, src: src}, nil
}

// match is one match of a matcher: a regex or a custom matcher function.
// start and end are byte offsets into the subject.
type match struct {
	text   string
	start  int
	end    int
	groups []any
	next   func() (*match, error)
}

// firstMatch returns the matches of re in s from byte offset 0.
func (r *regexValue) firstMatch(s string) *match {
	all := r.re.FindAllStringSubmatchIndex(s, -1)
	return r.matchAt(s, all, 0)
}

func (r *regexValue) matchAt(s string, all [][]int, i int) *match {
	if i >= len(all) {
		return nil
	}
	loc := all[i]
	m := &match{text: s[loc[0]:loc[1]], start: loc[0], end: loc[1], groups: []any{}}
	for g := 1; g < len(loc)/2; g++ {
		if loc[2*g] < 0 {
			m.groups = append(m.groups, "")
			continue
		}
		m.groups = append(m.groups, s[loc[2*g]:loc[2*g+1]])
	}
	end := loc[1]
	m.next = func() (*match, error) {
		if end >= len(s) {
			return nil, nil
		}
		n := r.matchAt(s, all, i+1)
		if n != nil && n.text == "" {
			return nil, errAt("D1004", 0, "", r.src)
		}
		return n, nil
	}
	return m
}

// matchObject is the value returned when a regex is invoked as a function.
func (r *regexValue) matchObject(s string, from int) any {
	all := r.re.FindAllStringSubmatchIndex(s, -1)
	bfrom := byteOffset(s, from)
	for i, loc := range all {
		if loc[0] >= bfrom {
			return matchToObject(s, r.matchAt(s, all, i))
		}
	}
	return undefined
}

func matchToObject(s string, m *match) any {
	if m == nil {
		return undefined
	}
	o := jsonval.NewObject(5)
	o.Set("match", m.text)
	o.Set("start", float64(utf16Index(s, m.start)))
	o.Set("end", float64(utf16Index(s, m.end)))
	o.Set("groups", m.groups)
	next := m.next
	o.Set("next", &builtin{name: "next", impl: func(*evaluator, []any, any, *frame) (any, error) {
		n, err := next()
		if err != nil {
			return nil, err
		}
		return matchToObject(s, n), nil
	}})
	return o
}

// utf16Index converts a byte offset in s to an offset in UTF-16 code units,
// the unit of JavaScript string indexes.
func utf16Index(s string, off int) int {
	n := 0
	for _, r := range s[:off] {
		if r >= 0x10000 {
			n += 2
		} else {
			n++
		}
	}
	return n
}

// byteOffset converts a UTF-16 offset to a byte offset in s.
func byteOffset(s string, idx int) int {
	n := 0
	for i, r := range s {
		if n >= idx {
			return i
		}
		if r >= 0x10000 {
			n += 2
		} else {
			n++
		}
	}
	return len(s)
}

// evalMatcher runs a matcher (regex or function) on s, returning the first
// match or nil.
func (ev *evaluator) evalMatcher(matcher any, s string, env *frame) (*match, error) {
	if r, ok := matcher.(*regexValue); ok {
		return r.firstMatch(s), nil
	}
	res, err := ev.apply(matcher, []any{s}, undefined, env)
	if err != nil {
		return nil, err
	}
	return ev.toMatch(res, s, env)
}

func (ev *evaluator) toMatch(res any, s string, env *frame) (*match, error) {
	if isUndef(res) || res == nil {
		return nil, nil
	}
	o, ok := res.(*jsonval.Object)
	if !ok {
		return nil, newErr("T1010", nil)
	}
	startV, _ := o.Get("start")
	endV, _ := o.Get("end")
	groupsV, _ := o.Get("groups")
	nextV, _ := o.Get("next")
	if !isNumber(startV) && !isArray(groupsV) && !isFunction(nextV) {
		return nil, newErr("T1010", nil)
	}
	m := &match{}
	if t, ok := o.Get("match"); ok {
		m.text, _ = t.(string)
	}
	if f, ok := toNumber(startV); ok {
		m.start = byteOffset(s, int(f))
	}
	if f, ok := toNumber(endV); ok {
		m.end = byteOffset(s, int(f))
	} else {
		m.end = m.start + len(m.text)
	}
	m.groups = arrayItems(groupsV)
	if m.groups == nil {
		m.groups = []any{}
	}
	m.next = func() (*match, error) {
		if !isFunction(nextV) {
			return nil, nil
		}
		r, err := ev.apply(nextV, nil, undefined, env)
		if err != nil {
			return nil, err
		}
		return ev.toMatch(r, s, env)
	}
	return m, nil
}
