package jsonata

import (
	"encoding/base64"
	"math"
	"math/rand/v2"
	"regexp"
	"strconv"
	"strings"
	"unicode/utf8"

	"stepwise/jsonval"
)

type implFunc = func(ev *evaluator, args []any, input any, env *frame) (any, error)

// builtins is the standard library, shared by all evaluations (immutable
// after init).
var builtins = map[string]*builtin{}

func define(name, sig string, arity int, impl implFunc) {
	builtins[name] = &builtin{name: name, sig: mustSignature(sig), arity: arity, impl: impl}
}

func init() {
	define("sum", "<a<n>:n>", 1, fnSum)
	define("count", "<a:n>", 1, fnCount)
	define("max", "<a<n>:n>", 1, fnMax)
	define("min", "<a<n>:n>", 1, fnMin)
	define("average", "<a<n>:n>", 1, fnAverage)
	define("string", "<x-b?:s>", 1, fnString) // prettify has a default, so JS arity is 1
	define("substring", "<s-nn?:s>", 3, fnSubstring)
	define("substringBefore", "<s-s:s>", 2, fnSubstringBefore)
	define("substringAfter", "<s-s:s>", 2, fnSubstringAfter)
	define("lowercase", "<s-:s>", 1, strFn(strings.ToLower))
	define("uppercase", "<s-:s>", 1, strFn(strings.ToUpper))
	define("length", "<s-:n>", 1, fnLength)
	define("trim", "<s-:s>", 1, strFn(trimJS))
	define("pad", "<s-ns?:s>", 3, fnPad)
	define("match", "<s-f<s:o>n?:a<o>>", 3, fnMatch)
	define("contains", "<s-(sf):b>", 2, fnContains)
	define("replace", "<s-(sf)(sf)n?:s>", 4, fnReplace)
	define("split", "<s-(sf)n?:a<s>>", 3, fnSplit)
	define("join", "<a<s>s?:s>", 2, fnJoin)
	define("formatNumber", "<n-so?:s>", 3, fnFormatNumber)
	define("formatBase", "<n-n?:s>", 2, fnFormatBase)
	define("formatInteger", "<n-s:s>", 2, fnFormatInteger)
	define("parseInteger", "<s-s:n>", 2, fnParseInteger)
	define("number", "<(nsb)-:n>", 1, fnNumber)
	define("floor", "<n-:n>", 1, numFn(math.Floor))
	define("ceil", "<n-:n>", 1, numFn(math.Ceil))
	define("round", "<n-n?:n>", 2, fnRound)
	define("abs", "<n-:n>", 1, numFn(math.Abs))
	define("sqrt", "<n-:n>", 1, fnSqrt)
	define("power", "<n-n:n>", 2, fnPower)
	define("random", "<:n>", 0, fnRandom)
	define("boolean", "<x-:b>", 1, fnBoolean)
	define("not", "<x-:b>", 1, fnNot)
	define("map", "<af>", 2, fnMap)
	define("zip", "<a+>", 0, fnZip)
	define("filter", "<af>", 2, fnFilter)
	define("single", "<af?>", 2, fnSingle)
	define("reduce", "<afj?:j>", 3, fnReduce)
	define("sift", "<o-f?:o>", 2, fnSift)
	define("keys", "<x-:a<s>>", 1, fnKeys)
	define("lookup", "<x-s:x>", 2, fnLookup)
	define("append", "<xx:a>", 2, fnAppend)
	define("exists", "<x:b>", 1, fnExists)
	define("spread", "<x-:a<o>>", 1, fnSpread)
	define("merge", "<a<o>:o>", 1, fnMerge)
	define("reverse", "<a:a>", 1, fnReverse)
	define("each", "<o-f:a>", 2, fnEach)
	define("error", "<s?:x>", 1, fnError)
	define("assert", "<bs?:x>", 2, fnAssert)
	define("type", "<x:s>", 1, fnType)
	define("sort", "<af?:a>", 2, fnSort)
	define("shuffle", "<a:a>", 1, fnShuffle)
	define("distinct", "<x:x>", 1, fnDistinct)
	define("base64encode", "<s-:s>", 1, fnBase64Encode)
	define("base64decode", "<s-:s>", 1, fnBase64Decode)
	define("encodeUrlComponent", "<s-:s>", 1, urlFn("encodeUrlComponent", encodeURIComponentSet, true))
	define("encodeUrl", "<s-:s>", 1, urlFn("encodeUrl", encodeURISet, true))
	define("decodeUrlComponent", "<s-:s>", 1, urlFn("decodeUrlComponent", "", false))
	define("decodeUrl", "<s-:s>", 1, urlFn("decodeUrl", ";/?:@&=+$,#", false))
	define("eval", "<sx?:x>", 2, fnEval)
	define("toMillis", "<s-s?:n>", 2, fnToMillis)
	define("fromMillis", "<n-s?s?:s>", 3, fnFromMillis)
	define("clone", "<(oa)-:o>", 1, fnClone)
	define("now", "<s?s?:s>", 2, fnNow)
	define("millis", "<:n>", 0, fnMillis)
}

func arg(args []any, i int) any {
	if i < len(args) {
		return args[i]
	}
	return undefined
}

func num(v any) float64 {
	f, _ := toNumber(v)
	return f
}

func strFn(f func(string) string) implFunc {
	return func(_ *evaluator, args []any, _ any, _ *frame) (any, error) {
		s, ok := arg(args, 0).(string)
		if !ok {
			return undefined, nil
		}
		return f(s), nil
	}
}

func numFn(f func(float64) float64) implFunc {
	return func(_ *evaluator, args []any, _ any, _ *frame) (any, error) {
		v := arg(args, 0)
		if isUndef(v) {
			return undefined, nil
		}
		return f(num(v)), nil
	}
}

// ---- aggregation ----

func fnSum(_ *evaluator, args []any, _ any, _ *frame) (any, error) {
	v := arg(args, 0)
	if isUndef(v) {
		return undefined, nil
	}
	total := 0.0
	for _, x := range arrayItems(v) {
		total += num(x)
	}
	return total, nil
}

func fnCount(_ *evaluator, args []any, _ any, _ *frame) (any, error) {
	v := arg(args, 0)
	if isUndef(v) {
		return 0.0, nil
	}
	return float64(len(arrayItems(v))), nil
}

func minmax(args []any, max bool) (any, error) {
	v := arg(args, 0)
	items := arrayItems(v)
	if isUndef(v) || len(items) == 0 {
		return undefined, nil
	}
	r := num(items[0])
	for _, x := range items[1:] {
		f := num(x)
		if max && f > r || !max && f < r {
			r = f
		}
	}
	return r, nil
}

func fnMax(_ *evaluator, args []any, _ any, _ *frame) (any, error) { return minmax(args, true) }
func fnMin(_ *evaluator, args []any, _ any, _ *frame) (any, error) { return minmax(args, false) }

func fnAverage(_ *evaluator, args []any, _ any, _ *frame) (any, error) {
	v := arg(args, 0)
	items := arrayItems(v)
	if isUndef(v) || len(items) == 0 {
		return undefined, nil
	}
	total := 0.0
	for _, x := range items {
		total += num(x)
	}
	return total / float64(len(items)), nil
}

// ---- strings ----

func fnString(_ *evaluator, args []any, _ any, _ *frame) (any, error) {
	v := arg(args, 0)
	if isUndef(v) {
		return undefined, nil
	}
	pretty, _ := arg(args, 1).(bool)
	s, err := toJSString(v, pretty)
	if err != nil {
		return nil, err
	}
	return s, nil
}

// toJSString is jsonata-js's fn.string.
func toJSString(v any, pretty bool) (string, error) {
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
	var b strings.Builder
	if err := stringify(&b, v, pretty, ""); err != nil {
		return "", err
	}
	return b.String(), nil
}

// stringify writes JSON.stringify output with jsonata-js's replacer:
// numbers to 15 significant digits, functions as "".
func stringify(b *strings.Builder, v any, pretty bool, indent string) error {
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
			if err := stringify(b, val, pretty, inner); err != nil {
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
				if err := stringify(b, it, pretty, inner); err != nil {
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

func fnSubstring(_ *evaluator, args []any, _ any, _ *frame) (any, error) {
	s, ok := arg(args, 0).(string)
	if !ok {
		return undefined, nil
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

func fnPad(_ *evaluator, args []any, _ any, _ *frame) (any, error) {
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
	if padLen*len(ch) > maxStringLength {
		return nil, &Error{Code: "U1002", Message: "string result too large"}
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
		count := 0
		pos := 0
		for {
			i := strings.Index(s[pos:], p)
			if i < 0 || (hasLimit && count >= limit) {
				break
			}
			b.WriteString(s[pos : pos+i])
			b.WriteString(rs)
			pos += i + len(p)
			count++
		}
		b.WriteString(s[pos:])
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
	pos := 0
	count := 0
	for m != nil && (!hasLimit || count < limit) {
		if m.start >= pos {
			b.WriteString(s[pos:m.start])
		}
		var with any
		if rs, ok := replacement.(string); ok {
			with = substitute(rs, m)
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
	return b.String(), nil
}

// substitute expands $0, $n and $$ in a replacement string.
func substitute(repl string, m *match) string {
	var b strings.Builder
	pos := 0
	idx := strings.IndexByte(repl, '$')
	for idx != -1 && pos < len(repl) {
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
	return b.String()
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
		var parts []string
		if sep == "" {
			for _, r := range s {
				parts = append(parts, string(r))
			}
		} else {
			parts = strings.Split(s, sep)
		}
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

func fnJoin(_ *evaluator, args []any, _ any, _ *frame) (any, error) {
	v := arg(args, 0)
	if isUndef(v) {
		return undefined, nil
	}
	sep, _ := arg(args, 1).(string)
	items := arrayItems(v)
	parts := make([]string, len(items))
	for i, it := range items {
		parts[i], _ = it.(string)
	}
	out := strings.Join(parts, sep)
	if err := checkStringLength(out); err != nil {
		return nil, err
	}
	return out, nil
}

// ---- numbers ----

var decimalRe = regexp.MustCompile(`^-?[0-9]+(\.[0-9]+)?([Ee][-+]?[0-9]+)?$`)

func fnNumber(_ *evaluator, args []any, _ any, _ *frame) (any, error) {
	v := arg(args, 0)
	switch x := v.(type) {
	case undefinedType:
		return undefined, nil
	case float64:
		return x, nil
	case jsonNumber:
		return num(x), nil
	case bool:
		if x {
			return 1.0, nil
		}
		return 0.0, nil
	case string:
		if decimalRe.MatchString(x) {
			f, err := strconv.ParseFloat(x, 64)
			if err == nil && !math.IsInf(f, 0) {
				return f, nil
			}
		}
		if len(x) > 2 && x[0] == '0' {
			base := 0
			switch x[1] {
			case 'x', 'X':
				base = 16
			case 'o', 'O':
				base = 8
			case 'b', 'B':
				base = 2
			}
			if base != 0 {
				if n, err := strconv.ParseUint(x[2:], base, 64); err == nil {
					return float64(n), nil
				}
			}
		}
	}
	return nil, newErr("D3030", v)
}

func fnRound(_ *evaluator, args []any, _ any, _ *frame) (any, error) {
	v := arg(args, 0)
	if isUndef(v) {
		return undefined, nil
	}
	x := num(v)
	prec := 0
	if p := arg(args, 1); !isUndef(p) {
		prec = jsInt(num(p))
	}
	if prec != 0 {
		x = shiftDecimal(x, prec)
	}
	r := math.Floor(x + 0.5)
	if math.Abs(r-x) == 0.5 && math.Abs(math.Mod(r, 2)) == 1 {
		r--
	}
	if prec != 0 {
		r = shiftDecimal(r, -prec)
	}
	if r == 0 {
		r = 0
	}
	return r, nil
}

// shiftDecimal multiplies by 10^n through the decimal string, as jsonata-js
// does to avoid binary rounding.
func shiftDecimal(x float64, n int) float64 {
	s := formatNumber(x)
	mant, exp, _ := strings.Cut(s, "e")
	e := 0
	if exp != "" {
		e, _ = strconv.Atoi(exp)
	}
	f, err := strconv.ParseFloat(mant+"e"+strconv.Itoa(e+n), 64)
	if err != nil {
		return x
	}
	return f
}

func fnSqrt(_ *evaluator, args []any, _ any, _ *frame) (any, error) {
	v := arg(args, 0)
	if isUndef(v) {
		return undefined, nil
	}
	x := num(v)
	if x < 0 {
		return nil, newErr("D3060", x)
	}
	return math.Sqrt(x), nil
}

func fnPower(_ *evaluator, args []any, _ any, _ *frame) (any, error) {
	v := arg(args, 0)
	if isUndef(v) {
		return undefined, nil
	}
	r := math.Pow(num(v), num(arg(args, 1)))
	if math.IsInf(r, 0) || math.IsNaN(r) {
		return nil, newErr("D3061", num(v))
	}
	return r, nil
}

func fnRandom(ev *evaluator, _ []any, _ any, _ *frame) (any, error) {
	return ev.random().Float64(), nil
}

func fnBoolean(_ *evaluator, args []any, _ any, _ *frame) (any, error) {
	return toBoolean(arg(args, 0))
}

func fnNot(_ *evaluator, args []any, _ any, _ *frame) (any, error) {
	b, err := toBoolean(arg(args, 0))
	if err != nil || isUndef(b) {
		return b, err
	}
	return !b.(bool), nil
}

// ---- higher-order ----

func hofArgs(f any, a1, a2, a3 any) []any {
	n := arity(f)
	args := []any{a1}
	if n >= 2 {
		args = append(args, a2)
	}
	if n >= 3 {
		args = append(args, a3)
	}
	return args
}

func fnMap(ev *evaluator, args []any, _ any, env *frame) (any, error) {
	v := arg(args, 0)
	if isUndef(v) {
		return undefined, nil
	}
	f := arg(args, 1)
	items := arrayItems(v)
	out := &sequence{isSeq: true}
	for i, it := range items {
		r, err := ev.apply(f, hofArgs(f, it, float64(i), v), undefined, env)
		if err != nil {
			return nil, err
		}
		if !isUndef(r) {
			out.items = append(out.items, r)
		}
	}
	return out, nil
}

func fnFilter(ev *evaluator, args []any, _ any, env *frame) (any, error) {
	v := arg(args, 0)
	if isUndef(v) {
		return undefined, nil
	}
	f := arg(args, 1)
	out := &sequence{isSeq: true}
	for i, it := range arrayItems(v) {
		r, err := ev.apply(f, hofArgs(f, it, float64(i), v), undefined, env)
		if err != nil {
			return nil, err
		}
		if ok, err := truthy(r); err != nil {
			return nil, err
		} else if ok {
			out.items = append(out.items, it)
		}
	}
	return out, nil
}

func fnSingle(ev *evaluator, args []any, _ any, env *frame) (any, error) {
	v := arg(args, 0)
	if isUndef(v) {
		return undefined, nil
	}
	f := arg(args, 1)
	found := false
	var result any = undefined
	for i, it := range arrayItems(v) {
		ok := true
		if !isUndef(f) {
			r, err := ev.apply(f, hofArgs(f, it, float64(i), v), undefined, env)
			if err != nil {
				return nil, err
			}
			ok, err = truthy(r)
			if err != nil {
				return nil, err
			}
		}
		if ok {
			if found {
				return nil, newErr("D3138", nil)
			}
			result = it
			found = true
		}
	}
	if !found {
		return nil, newErr("D3139", nil)
	}
	return result, nil
}

func fnReduce(ev *evaluator, args []any, _ any, env *frame) (any, error) {
	v := arg(args, 0)
	if isUndef(v) {
		return undefined, nil
	}
	f := arg(args, 1)
	n := arity(f)
	if n < 2 {
		return nil, newErr("D3050", nil)
	}
	items := arrayItems(v)
	init := arg(args, 2)
	var result any
	i := 0
	if isUndef(init) && len(items) > 0 {
		result = items[0]
		i = 1
	} else {
		result = init
	}
	for ; i < len(items); i++ {
		a := []any{result, items[i]}
		if n >= 3 {
			a = append(a, float64(i))
		}
		if n >= 4 {
			a = append(a, v)
		}
		r, err := ev.apply(f, a, undefined, env)
		if err != nil {
			return nil, err
		}
		result = r
	}
	return result, nil
}

func fnZip(_ *evaluator, args []any, _ any, _ *frame) (any, error) {
	out := []any{}
	if len(args) == 0 {
		return out, nil
	}
	n := math.MaxInt
	for _, a := range args {
		if !isArray(a) {
			n = 0
			break
		}
		n = min(n, len(arrayItems(a)))
	}
	for i := 0; i < n; i++ {
		t := make([]any, len(args))
		for j, a := range args {
			t[j] = arrayItems(a)[i]
		}
		out = append(out, t)
	}
	return out, nil
}

func fnSift(ev *evaluator, args []any, _ any, env *frame) (any, error) {
	o, ok := arg(args, 0).(*jsonval.Object)
	if !ok {
		return undefined, nil
	}
	f := arg(args, 1)
	out := jsonval.NewObject(0)
	for i := 0; i < o.Len(); i++ {
		k, v := o.At(i)
		r, err := ev.apply(f, hofArgs(f, v, k, o), undefined, env)
		if err != nil {
			return nil, err
		}
		if ok, err := truthy(r); err != nil {
			return nil, err
		} else if ok {
			out.Set(k, v)
		}
	}
	if out.Len() == 0 {
		return undefined, nil
	}
	return out, nil
}

func fnEach(ev *evaluator, args []any, _ any, env *frame) (any, error) {
	o, ok := arg(args, 0).(*jsonval.Object)
	if !ok {
		return undefined, nil
	}
	f := arg(args, 1)
	out := &sequence{isSeq: true}
	for i := 0; i < o.Len(); i++ {
		k, v := o.At(i)
		r, err := ev.apply(f, hofArgs(f, v, k, o), undefined, env)
		if err != nil {
			return nil, err
		}
		if !isUndef(r) {
			out.items = append(out.items, r)
		}
	}
	return out, nil
}

// ---- objects and arrays ----

func objectKeys(v any) []string {
	if isArray(v) {
		var keys []string
		seen := map[string]bool{}
		for _, it := range arrayItems(v) {
			for _, k := range objectKeys(it) {
				if !seen[k] {
					seen[k] = true
					keys = append(keys, k)
				}
			}
		}
		return keys
	}
	if o, ok := v.(*jsonval.Object); ok {
		return o.Keys()
	}
	return nil
}

func fnKeys(_ *evaluator, args []any, _ any, _ *frame) (any, error) {
	keys := objectKeys(arg(args, 0))
	out := &sequence{isSeq: true, items: make([]any, len(keys))}
	for i, k := range keys {
		out.items[i] = k
	}
	return out, nil
}

func fnLookup(_ *evaluator, args []any, _ any, _ *frame) (any, error) {
	k, _ := arg(args, 1).(string)
	return lookupField(arg(args, 0), k), nil
}

func fnAppend(_ *evaluator, args []any, _ any, _ *frame) (any, error) {
	return appendValues(arg(args, 0), arg(args, 1)), nil
}

func fnExists(_ *evaluator, args []any, _ any, _ *frame) (any, error) {
	return !isUndef(arg(args, 0)), nil
}

func spread(v any) any {
	if isArray(v) {
		var result any = &sequence{isSeq: true}
		for _, it := range arrayItems(v) {
			result = appendValues(result, spread(it))
		}
		return result
	}
	if o, ok := v.(*jsonval.Object); ok {
		out := &sequence{isSeq: true}
		for i := 0; i < o.Len(); i++ {
			k, val := o.At(i)
			obj := jsonval.NewObject(1)
			obj.Set(k, val)
			out.items = append(out.items, obj)
		}
		return out
	}
	return v
}

func fnSpread(_ *evaluator, args []any, _ any, _ *frame) (any, error) {
	return spread(arg(args, 0)), nil
}

func fnMerge(_ *evaluator, args []any, _ any, _ *frame) (any, error) {
	v := arg(args, 0)
	if isUndef(v) {
		return undefined, nil
	}
	out := jsonval.NewObject(0)
	for _, it := range arrayItems(v) {
		if o, ok := it.(*jsonval.Object); ok {
			for i := 0; i < o.Len(); i++ {
				k, val := o.At(i)
				out.Set(k, val)
			}
		}
	}
	return out, nil
}

func fnReverse(_ *evaluator, args []any, _ any, _ *frame) (any, error) {
	v := arg(args, 0)
	if isUndef(v) {
		return undefined, nil
	}
	items := arrayItems(v)
	if len(items) <= 1 {
		return v, nil
	}
	out := make([]any, len(items))
	for i, it := range items {
		out[len(items)-1-i] = it
	}
	return out, nil
}

func fnError(_ *evaluator, args []any, _ any, _ *frame) (any, error) {
	msg, ok := arg(args, 0).(string)
	if !ok {
		msg = "$error() function evaluated"
	}
	return nil, &Error{Code: "D3137", Message: msg}
}

func fnAssert(_ *evaluator, args []any, _ any, _ *frame) (any, error) {
	if b, _ := arg(args, 0).(bool); !b {
		msg, ok := arg(args, 1).(string)
		if !ok {
			msg = "$assert() statement failed"
		}
		return nil, &Error{Code: "D3141", Message: msg}
	}
	return undefined, nil
}

func typeOf(v any) any {
	switch v.(type) {
	case undefinedType:
		return undefined
	case nil:
		return "null"
	case float64, jsonNumber:
		return "number"
	case string:
		return "string"
	case bool:
		return "boolean"
	case *jsonval.Object:
		return "object"
	}
	if isArray(v) {
		return "array"
	}
	if isFunction(v) {
		return "function"
	}
	return "object"
}

func fnType(_ *evaluator, args []any, _ any, _ *frame) (any, error) {
	return typeOf(arg(args, 0)), nil
}

// jsTruthy is JavaScript's truthiness, used for $sort comparators.
func jsTruthy(v any) bool {
	switch x := v.(type) {
	case undefinedType, nil:
		return false
	case bool:
		return x
	case string:
		return x != ""
	case float64, jsonNumber:
		f := num(x)
		return f != 0 && !math.IsNaN(f)
	}
	return true
}

func fnSort(ev *evaluator, args []any, _ any, env *frame) (any, error) {
	v := arg(args, 0)
	if isUndef(v) {
		return undefined, nil
	}
	items := arrayItems(v)
	if len(items) <= 1 {
		return v, nil
	}
	f := arg(args, 1)
	var sortErr error
	var less func(a, b any) bool
	if isUndef(f) {
		_, nums := arrayOfNumbers(v)
		strs := true
		for _, it := range items {
			if !isString(it) {
				strs = false
				break
			}
		}
		if !nums && !strs {
			return nil, newErr("D3070", nil)
		}
		less = func(a, b any) bool {
			if nums {
				return num(a) < num(b)
			}
			return a.(string) < b.(string)
		}
	} else {
		less = func(a, b any) bool {
			if sortErr != nil {
				return false
			}
			// the comparator says whether b,a must swap: swap(a, b) is f(a, b)
			r, err := ev.apply(f, []any{b, a}, undefined, env)
			if err != nil {
				sortErr = err
				return false
			}
			return jsTruthy(r)
		}
	}
	sorted := mergeSort(append([]any(nil), items...), less)
	if sortErr != nil {
		return nil, sortErr
	}
	return sorted, nil
}

func fnShuffle(ev *evaluator, args []any, _ any, _ *frame) (any, error) {
	v := arg(args, 0)
	if isUndef(v) {
		return undefined, nil
	}
	items := arrayItems(v)
	if len(items) <= 1 {
		return v, nil
	}
	out := append([]any(nil), items...)
	for i := len(out) - 1; i > 0; i-- {
		j := ev.random().IntN(i + 1)
		out[i], out[j] = out[j], out[i]
	}
	return out, nil
}

func fnDistinct(_ *evaluator, args []any, _ any, _ *frame) (any, error) {
	v := arg(args, 0)
	if isUndef(v) {
		return undefined, nil
	}
	if !isArray(v) || len(arrayItems(v)) <= 1 {
		return v, nil
	}
	var out []any
	for _, it := range arrayItems(v) {
		dup := false
		for _, r := range out {
			if deepEqual(it, r) {
				dup = true
				break
			}
		}
		if !dup {
			out = append(out, it)
		}
	}
	if isSequence(v) {
		return &sequence{isSeq: true, items: out}, nil
	}
	return out, nil
}

func fnBase64Encode(_ *evaluator, args []any, _ any, _ *frame) (any, error) {
	s, ok := arg(args, 0).(string)
	if !ok {
		return undefined, nil
	}
	return base64.StdEncoding.EncodeToString([]byte(s)), nil
}

func fnBase64Decode(_ *evaluator, args []any, _ any, _ *frame) (any, error) {
	s, ok := arg(args, 0).(string)
	if !ok {
		return undefined, nil
	}
	b, err := base64.StdEncoding.DecodeString(s)
	if err != nil {
		b, err = base64.RawStdEncoding.DecodeString(strings.TrimRight(s, "="))
		if err != nil {
			return nil, newErr("D3137", s)
		}
	}
	return string(b), nil
}

const encodeURIComponentSet = "-_.!~*'()"
const encodeURISet = "-_.!~*'();/?:@&=+$,#"

func urlFn(name, set string, encode bool) implFunc {
	return func(_ *evaluator, args []any, _ any, _ *frame) (any, error) {
		s, ok := arg(args, 0).(string)
		if !ok {
			return undefined, nil
		}
		if encode {
			var b strings.Builder
			for i := 0; i < len(s); {
				r, size := utf8.DecodeRuneInString(s[i:])
				if r == utf8.RuneError && size == 1 {
					return nil, &Error{Code: "D3140", Value: s, Token: name}
				}
				c := s[i]
				if size == 1 && (c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || strings.IndexByte(set, c) >= 0) {
					b.WriteByte(c)
				} else {
					for j := 0; j < size; j++ {
						b.WriteString("%" + strings.ToUpper(strconv.FormatUint(uint64(s[i+j])|0x100, 16)[1:]))
					}
				}
				i += size
			}
			return b.String(), nil
		}
		var out []byte
		for i := 0; i < len(s); i++ {
			if s[i] != '%' {
				out = append(out, s[i])
				continue
			}
			if i+2 >= len(s) {
				return nil, &Error{Code: "D3140", Value: s, Token: name}
			}
			n, err := strconv.ParseUint(s[i+1:i+3], 16, 8)
			if err != nil {
				return nil, &Error{Code: "D3140", Value: s, Token: name}
			}
			if n < 0x80 && strings.IndexByte(set, byte(n)) >= 0 {
				out = append(out, s[i:i+3]...)
			} else {
				out = append(out, byte(n))
			}
			i += 2
		}
		if !utf8.Valid(out) {
			return nil, &Error{Code: "D3140", Value: s, Token: name}
		}
		return string(out), nil
	}
}

func fnEval(ev *evaluator, args []any, input any, env *frame) (any, error) {
	src, ok := arg(args, 0).(string)
	if !ok {
		return undefined, nil
	}
	if ev.opts != nil && ev.opts.DisableEval {
		return nil, newErr("T1006", nil)
	}
	focus := arg(args, 1)
	if !isUndef(focus) {
		input = focus
		if arr, ok := input.([]any); ok {
			input = &sequence{isSeq: true, items: []any{arr}, outerWrapper: true}
		}
	}
	ast, err := parse(src)
	if err != nil {
		return nil, &Error{Code: "D3120", Value: err.Error()}
	}
	r, err := ev.eval(ast, input, env)
	if err != nil {
		if e, ok := err.(*Error); ok && e.Code == "U1001" {
			return nil, err
		}
		return nil, &Error{Code: "D3121", Value: err.Error()}
	}
	return r, nil
}

func deepClone(v any) any {
	switch x := v.(type) {
	case *jsonval.Object:
		o := jsonval.NewObject(x.Len())
		for i := 0; i < x.Len(); i++ {
			k, val := x.At(i)
			if isFunction(val) || isUndef(val) {
				continue
			}
			o.Set(k, deepClone(val))
		}
		return o
	case float64:
		if math.IsNaN(x) || math.IsInf(x, 0) {
			return nil
		}
		return x
	}
	if isArray(v) {
		items := arrayItems(v)
		out := make([]any, len(items))
		for i, it := range items {
			if isFunction(it) || isUndef(it) {
				out[i] = nil
				continue
			}
			out[i] = deepClone(it)
		}
		return out
	}
	return v
}

func fnClone(_ *evaluator, args []any, _ any, _ *frame) (any, error) {
	v := arg(args, 0)
	if isUndef(v) {
		return undefined, nil
	}
	return deepClone(v), nil
}

// random returns the evaluation's random source, creating the fixed-seed
// default on first use.
func (ev *evaluator) random() *rand.Rand {
	if ev.rng == nil {
		ev.rng = rand.New(rand.NewPCG(1, 2))
	}
	return ev.rng
}
