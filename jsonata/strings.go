package jsonata

import (
	"math"
	"regexp"
	"strconv"
	"strings"
	"unicode/utf8"

	"stepwise/jsonval"
)

// ---- strings ----

func fnString(ev *evaluator, args []any, _ any, _ *frame) (any, error) {
	v := arg(args, 0)
	if isUndef(v) {
		return undefined, nil
	}
	pretty, _ := arg(args, 1).(bool)
	s, err := ev.toJSString(v, pretty)
	if err != nil {
		return nil, err
	}
	return s, nil
}

// toJSString is jsonata-js's fn.string. The string it builds is charged
// to the allocation budget, and building stops once it would exceed it (a
// value may repeat one large part many times over).
func (ev *evaluator) toJSString(v any, pretty bool) (string, error) {
	switch x := v.(type) {
	case string:
		return x, nil
	case float64, jsonNumber:
		f := num(x)
		if math.IsInf(f, 0) || math.IsNaN(f) {
			return "", newErr("D3001", f)
		}
	}
	if isFunction(v) {
		return "", nil
	}
	if s, ok := v.(*sequence); ok && s.outerWrapper && len(s.items) > 0 {
		v = s.items[0]
	}
	sk := &sink{ev: ev}
	if err := stringify(sk, v, pretty, ""); err != nil {
		return "", err
	}
	if !sk.ok() {
		return "", ev.builderError(&sk.b)
	}
	return sk.b.String(), nil
}

// sink is a strings.Builder whose buffers are charged to an evaluation's
// budget (see evaluator.grown).
type sink struct {
	b       strings.Builder
	ev      *evaluator
	lastCap int
}

func (s *sink) ok() bool { return s.ev.grown(&s.b, &s.lastCap) }

// stringify writes JSON.stringify output with jsonata-js's replacer:
// numbers to 15 significant digits, functions as "". It stops early once
// the output no longer fits the budget (sk.ok() is then false): a value may
// repeat one large part many times over.
func stringify(sk *sink, v any, pretty bool, indent string) error {
	if !sk.ok() {
		return nil
	}
	b := &sk.b
	switch x := v.(type) {
	case nil, undefinedType:
		b.WriteString("null")
	case bool:
		if x {
			b.WriteString("true")
		} else {
			b.WriteString("false")
		}
	case string:
		b.Write(jsonval.AppendString(nil, x))
	case float64, jsonNumber:
		f := num(x)
		if math.IsInf(f, 0) {
			return newErr("D1001", f)
		}
		if math.IsNaN(f) {
			b.WriteString("null")
			return nil
		}
		b.WriteString(formatNumber(toPrecision15(f)))
	case *jsonval.Object:
		n := 0
		for i := 0; i < x.Len(); i++ {
			k, val := x.At(i)
			if isUndef(val) {
				continue
			}
			if n == 0 {
				b.WriteByte('{')
			} else {
				b.WriteByte(',')
			}
			n++
			inner := indent
			if pretty {
				inner = indent + "  "
				b.WriteString("\n" + inner)
			}
			b.Write(jsonval.AppendString(nil, k))
			b.WriteByte(':')
			if pretty {
				b.WriteByte(' ')
			}
			if err := stringify(sk, val, pretty, inner); err != nil || !sk.ok() {
				return err
			}
		}
		if n == 0 {
			b.WriteString("{}")
			return nil
		}
		if pretty {
			b.WriteString("\n" + indent)
		}
		b.WriteByte('}')
	default:
		if isFunction(v) {
			b.WriteString(`""`)
			return nil
		}
		if isArray(v) {
			items := arrayItems(plain(v))
			if len(items) == 0 {
				b.WriteString("[]")
				return nil
			}
			b.WriteByte('[')
			for i, it := range items {
				if i > 0 {
					b.WriteByte(',')
				}
				inner := indent
				if pretty {
					inner = indent + "  "
					b.WriteString("\n" + inner)
				}
				if err := stringify(sk, it, pretty, inner); err != nil || !sk.ok() {
					return err
				}
			}
			if pretty {
				b.WriteString("\n" + indent)
			}
			b.WriteByte(']')
			return nil
		}
		b.WriteString("null")
	}
	return nil
}

func toPrecision15(f float64) float64 {
	if f == 0 {
		return 0
	}
	r, err := strconv.ParseFloat(strconv.FormatFloat(f, 'e', 14, 64), 64)
	if err != nil {
		return f
	}
	return r
}

func runes(s string) []rune { return []rune(s) }

func fnSubstring(ev *evaluator, args []any, _ any, _ *frame) (any, error) {
	s, ok := arg(args, 0).(string)
	if !ok {
		return undefined, nil
	}
	// the runes, and at most as much again for the result
	if err := ev.alloc(5 * len(s)); err != nil {
		return nil, err
	}
	rs := runes(s)
	n := len(rs)
	start := jsInt(num(arg(args, 1)))
	if n+start < 0 {
		start = 0
	}
	l := arg(args, 2)
	if !isUndef(l) {
		length := num(l)
		if length <= 0 {
			return "", nil
		}
		var end int
		if start >= 0 {
			end = start + jsInt(length)
		} else {
			end = n + start + jsInt(length)
		}
		return string(slice(rs, start, end)), nil
	}
	return string(slice(rs, start, n)), nil
}

// jsInt truncates like ToIntegerOrInfinity, clamped to int range.
func jsInt(f float64) int {
	if math.IsNaN(f) {
		return 0
	}
	if f > 1e15 {
		return 1 << 50
	}
	if f < -1e15 {
		return -(1 << 50)
	}
	return int(f)
}

// slice is Array.prototype.slice.
func slice[T any](a []T, start, end int) []T {
	n := len(a)
	if start < 0 {
		start = max(n+start, 0)
	}
	if end < 0 {
		end = max(n+end, 0)
	}
	start = min(start, n)
	end = min(end, n)
	if start >= end {
		return nil
	}
	return a[start:end]
}

func fnSubstringBefore(_ *evaluator, args []any, _ any, _ *frame) (any, error) {
	s, ok := arg(args, 0).(string)
	if !ok {
		return undefined, nil
	}
	chars, _ := arg(args, 1).(string)
	if i := strings.Index(s, chars); i >= 0 {
		return s[:i], nil
	}
	return s, nil
}

func fnSubstringAfter(_ *evaluator, args []any, _ any, _ *frame) (any, error) {
	s, ok := arg(args, 0).(string)
	if !ok {
		return undefined, nil
	}
	chars, _ := arg(args, 1).(string)
	if i := strings.Index(s, chars); i >= 0 {
		return s[i+len(chars):], nil
	}
	return s, nil
}

func fnLength(_ *evaluator, args []any, _ any, _ *frame) (any, error) {
	s, ok := arg(args, 0).(string)
	if !ok {
		return undefined, nil
	}
	return float64(utf8.RuneCountInString(s)), nil
}

var wsRun = regexp.MustCompile(`[ \t\n\r]+`)

func trimJS(s string) string {
	r := wsRun.ReplaceAllString(s, " ")
	r = strings.TrimPrefix(r, " ")
	return strings.TrimSuffix(r, " ")
}

func fnPad(ev *evaluator, args []any, _ any, _ *frame) (any, error) {
	s, ok := arg(args, 0).(string)
	if !ok {
		return undefined, nil
	}
	width := num(arg(args, 1))
	ch, _ := arg(args, 2).(string)
	if ch == "" {
		ch = " "
	}
	padLen := jsInt(math.Abs(width)) - utf8.RuneCountInString(s)
	if padLen <= 0 {
		return s, nil
	}
	if padLen > maxStringLength || padLen*len(ch) > maxStringLength {
		return nil, ev.allocString(maxStringLength + 1)
	}
	// the repeated text, its runes, and the result
	if err := ev.allocString(padLen*len(ch)*2 + padLen*4 + len(s)); err != nil {
		return nil, err
	}
	padding := []rune(strings.Repeat(ch, padLen))
	padding = padding[:padLen]
	if width > 0 {
		return s + string(padding), nil
	}
	return string(padding) + s, nil
}

func fnContains(ev *evaluator, args []any, _ any, env *frame) (any, error) {
	s, ok := arg(args, 0).(string)
	if !ok {
		return undefined, nil
	}
	switch t := arg(args, 1).(type) {
	case string:
		return strings.Contains(s, t), nil
	default:
		m, err := ev.evalMatcher(t, s, env)
		if err != nil {
			return nil, err
		}
		return m != nil, nil
	}
}

func optLimit(v any, code string) (int, bool, error) {
	if isUndef(v) {
		return 0, false, nil
	}
	f := num(v)
	if f < 0 {
		return 0, false, newErr(code, f)
	}
	return jsInt(f), true, nil
}

func fnMatch(ev *evaluator, args []any, _ any, env *frame) (any, error) {
	s, ok := arg(args, 0).(string)
	if !ok {
		return undefined, nil
	}
	limit, hasLimit, err := optLimit(arg(args, 2), "D3040")
	if err != nil {
		return nil, err
	}
	out := &sequence{isSeq: true}
	if hasLimit && limit <= 0 {
		return out, nil
	}
	m, err := ev.evalMatcher(arg(args, 1), s, env)
	if err != nil {
		return nil, err
	}
	count := 0
	for m != nil && (!hasLimit || count < limit) {
		if err := ev.alloc(costSlot + 3*costMember + len(m.text) + len(m.groups)*costSlot); err != nil {
			return nil, err
		}
		o := jsonval.NewObject(3)
		o.Set("match", m.text)
		o.Set("index", float64(utf16Index(s, m.start)))
		o.Set("groups", m.groups)
		out.items = append(out.items, o)
		m, err = m.next()
		if err != nil {
			return nil, err
		}
		count++
	}
	return out, nil
}

func fnReplace(ev *evaluator, args []any, _ any, env *frame) (any, error) {
	s, ok := arg(args, 0).(string)
	if !ok {
		return undefined, nil
	}
	pattern := arg(args, 1)
	replacement := arg(args, 2)
	if p, ok := pattern.(string); ok && p == "" {
		return nil, newErr("D3010", p)
	}
	limit, hasLimit, err := optLimit(arg(args, 3), "D3011")
	if err != nil {
		return nil, err
	}
	if hasLimit && limit <= 0 {
		return s, nil
	}
	if p, ok := pattern.(string); ok {
		rs, _ := replacement.(string)
		var b strings.Builder
		lastCap := 0
		count := 0
		pos := 0
		for {
			i := strings.Index(s[pos:], p)
			if i < 0 || (hasLimit && count >= limit) {
				break
			}
			if err := ev.roomFor(b.Len() + i + len(rs)); err != nil {
				return nil, err
			}
			if !ev.grown(&b, &lastCap) {
				return nil, ev.builderError(&b)
			}
			b.WriteString(s[pos : pos+i])
			b.WriteString(rs)
			pos += i + len(p)
			count++
		}
		b.WriteString(s[pos:])
		if !ev.grown(&b, &lastCap) {
			return nil, ev.builderError(&b)
		}
		return b.String(), nil
	}
	m, err := ev.evalMatcher(pattern, s, env)
	if err != nil {
		return nil, err
	}
	if m == nil {
		return s, nil
	}
	var b strings.Builder
	lastCap := 0
	pos := 0
	count := 0
	for m != nil && (!hasLimit || count < limit) {
		if m.start >= pos {
			b.WriteString(s[pos:m.start])
		}
		var with any
		if rs, ok := replacement.(string); ok {
			with, err = ev.substitute(rs, m)
			if err != nil {
				return nil, err
			}
		} else {
			mo := jsonval.NewObject(4)
			mo.Set("match", m.text)
			mo.Set("start", float64(utf16Index(s, m.start)))
			mo.Set("end", float64(utf16Index(s, m.end)))
			mo.Set("groups", m.groups)
			with, err = ev.apply(replacement, []any{mo}, undefined, env)
			if err != nil {
				return nil, err
			}
		}
		ws, ok := with.(string)
		if !ok {
			return nil, newErr("D3012", with)
		}
		if err := ev.roomFor(b.Len() + len(ws)); err != nil {
			return nil, err
		}
		if !ev.grown(&b, &lastCap) {
			return nil, ev.builderError(&b)
		}
		b.WriteString(ws)
		pos = m.start + len(m.text)
		count++
		m, err = m.next()
		if err != nil {
			return nil, err
		}
	}
	if pos < len(s) {
		b.WriteString(s[pos:])
	}
	if !ev.grown(&b, &lastCap) {
		return nil, ev.builderError(&b)
	}
	return b.String(), nil
}

// substitute expands $0, $n and $$ in a replacement string. The expansion
// is charged as it grows ($0 repeated expands a short text a lot).
func (ev *evaluator) substitute(repl string, m *match) (string, error) {
	var b strings.Builder
	lastCap := 0
	pos := 0
	idx := strings.IndexByte(repl, '$')
	for idx != -1 && pos < len(repl) {
		if !ev.grown(&b, &lastCap) {
			return "", ev.builderError(&b)
		}
		b.WriteString(repl[pos:idx])
		pos = idx + 1
		var dv byte
		if pos < len(repl) {
			dv = repl[pos]
		}
		switch {
		case dv == '$':
			b.WriteByte('$')
			pos++
		case dv == '0':
			b.WriteString(m.text)
			pos++
		default:
			maxDigits := 1
			if len(m.groups) > 0 {
				maxDigits = int(math.Floor(math.Log10(float64(len(m.groups))))) + 1
			}
			index, ok := parseLeadingInt(repl[pos:min(pos+maxDigits, len(repl))])
			if ok && maxDigits > 1 && index > len(m.groups) {
				index, ok = parseLeadingInt(repl[pos:min(pos+maxDigits-1, len(repl))])
			}
			if ok {
				if len(m.groups) > 0 && index >= 1 && index <= len(m.groups) {
					if g, ok := m.groups[index-1].(string); ok {
						b.WriteString(g)
					}
				}
				pos += len(strconv.Itoa(index))
			} else {
				b.WriteByte('$')
			}
		}
		next := strings.IndexByte(repl[pos:], '$')
		if next < 0 {
			idx = -1
		} else {
			idx = pos + next
		}
	}
	if pos < len(repl) {
		b.WriteString(repl[pos:])
	}
	if !ev.grown(&b, &lastCap) {
		return "", ev.builderError(&b)
	}
	return b.String(), nil
}

func parseLeadingInt(s string) (int, bool) {
	i := 0
	for i < len(s) && s[i] >= '0' && s[i] <= '9' {
		i++
	}
	if i == 0 {
		return 0, false
	}
	n, err := strconv.Atoi(s[:i])
	return n, err == nil
}

func fnSplit(ev *evaluator, args []any, _ any, env *frame) (any, error) {
	s, ok := arg(args, 0).(string)
	if !ok {
		return undefined, nil
	}
	limit, hasLimit, err := optLimit(arg(args, 2), "D3020")
	if err != nil {
		return nil, err
	}
	out := []any{}
	if hasLimit && limit == 0 {
		return out, nil
	}
	if sep, ok := arg(args, 1).(string); ok {
		// Count the parts first, so that the charge comes before the
		// allocation: the parts, the result, and for "" a new string
		// (at least 8 bytes) per character.
		var n, cost int
		if sep == "" {
			n = utf8.RuneCountInString(s)
			cost = n * (2*costSlot + 8)
		} else {
			n = strings.Count(s, sep) + 1
			cost = n * 2 * costSlot
		}
		if hasLimit {
			n = min(n, limit)
		}
		if err := ev.alloc(cost); err != nil {
			return nil, err
		}
		var parts []string
		if sep == "" {
			parts = make([]string, 0, n)
			for _, r := range s {
				if len(parts) == n {
					break
				}
				parts = append(parts, string(r))
			}
		} else {
			parts = strings.Split(s, sep)
		}
		out = make([]any, 0, n)
		for _, p := range parts {
			if hasLimit && len(out) >= limit {
				break
			}
			out = append(out, p)
		}
		return out, nil
	}
	m, err := ev.evalMatcher(arg(args, 1), s, env)
	if err != nil {
		return nil, err
	}
	if m == nil {
		return []any{s}, nil
	}
	start := 0
	count := 0
	for m != nil && (!hasLimit || count < limit) {
		if err := ev.alloc(costSlot); err != nil {
			return nil, err
		}
		if m.start >= start {
			out = append(out, s[start:m.start])
		} else {
			out = append(out, "")
		}
		start = m.end
		m, err = m.next()
		if err != nil {
			return nil, err
		}
		count++
	}
	if !hasLimit || count < limit {
		if start <= len(s) {
			out = append(out, s[start:])
		}
	}
	return out, nil
}

func fnJoin(ev *evaluator, args []any, _ any, _ *frame) (any, error) {
	v := arg(args, 0)
	if isUndef(v) {
		return undefined, nil
	}
	sep, _ := arg(args, 1).(string)
	items := arrayItems(v)
	parts := make([]string, len(items))
	n := len(sep) * max(len(items)-1, 0)
	for i, it := range items {
		parts[i], _ = it.(string)
		n += len(parts[i])
	}
	if err := ev.allocString(n); err != nil {
		return nil, err
	}
	return strings.Join(parts, sep), nil
}
