package jsonata

import (
	"math"
	"strconv"
	"strings"
	"unicode/utf8"

	"stepwise/jsonval"
)

// ---- $formatNumber (XPath F&O 4.7) ----

type numPicParts struct {
	prefix, suffix, active, mantissa, integer, fractional, sub string
	exponent                                                   *string
}

type numPic struct {
	groupPositions     []int
	regularGrouping    int
	minInt             int
	scaling            int
	prefix, suffix     string
	fracGroupPositions []int
	minFrac, maxFrac   int
	minExp             int
	picture            string
}

func fnFormatNumber(_ *evaluator, args []any, _ any, _ *frame) (any, error) {
	v := arg(args, 0)
	if isUndef(v) {
		return undefined, nil
	}
	value := num(v)
	picture, _ := arg(args, 1).(string)
	props := map[string]string{
		"decimal-separator": ".", "grouping-separator": ",", "exponent-separator": "e", "infinity": "Infinity",
		"minus-sign": "-", "NaN": "NaN", "percent": "%", "per-mille": "\u2030", "zero-digit": "0", "digit": "#",
		"pattern-separator": ";",
	}
	if o, ok := arg(args, 2).(*jsonval.Object); ok {
		for i := 0; i < o.Len(); i++ {
			k, val := o.At(i)
			if s, ok := val.(string); ok && s != "" {
				props[k] = s
			}
		}
	}
	zeroRune, _ := utf8.DecodeRuneInString(props["zero-digit"])
	family := make([]string, 10)
	for i := range family {
		family[i] = string(zeroRune + rune(i))
	}
	isDigit := func(c string) bool {
		for _, d := range family {
			if d == c {
				return true
			}
		}
		return false
	}
	active := append(append([]string{}, family...), props["decimal-separator"], props["exponent-separator"], props["grouping-separator"], props["digit"], props["pattern-separator"])
	isActive := func(c string) bool {
		for _, a := range active {
			if a == c {
				return true
			}
		}
		return false
	}
	subs := strings.Split(picture, props["pattern-separator"])
	if len(subs) > 2 {
		return nil, newErr("D3080", nil)
	}
	chars := func(s string) []string {
		var out []string
		for _, r := range s {
			out = append(out, string(r))
		}
		return out
	}
	split := func(sub string) numPicParts {
		prefix := ""
		for i, r := range sub {
			if c := string(r); isActive(c) && c != props["exponent-separator"] {
				prefix = sub[:i]
				break
			}
		}
		suffix := ""
		lastActive := -1
		for i, r := range sub {
			if c := string(r); isActive(c) && c != props["exponent-separator"] {
				_, w := utf8.DecodeRuneInString(sub[i:])
				lastActive = i + w
			}
		}
		if lastActive >= 0 {
			suffix = sub[lastActive:]
		}
		act := ""
		if len(prefix)+len(suffix) <= len(sub) {
			act = sub[len(prefix) : len(sub)-len(suffix)]
		}
		p := numPicParts{prefix: prefix, suffix: suffix, active: act, sub: sub}
		expPos := -1
		if i := strings.Index(sub[len(prefix):], props["exponent-separator"]); i >= 0 {
			expPos = i + len(prefix)
		}
		if expPos == -1 || expPos > len(sub)-len(suffix) {
			p.mantissa = act
		} else {
			// jsonata-js slices the active part with the position in the
			// whole sub-picture; substring clamps.
			p.mantissa = jsSubstring(act, 0, expPos)
			e := jsSubstring(act, expPos+1, len(act))
			p.exponent = &e
		}
		if dp := strings.Index(p.mantissa, props["decimal-separator"]); dp == -1 {
			p.integer = p.mantissa
			p.fractional = suffix
		} else {
			p.integer = p.mantissa[:dp]
			p.fractional = p.mantissa[dp+len(props["decimal-separator"]):]
		}
		return p
	}
	validate := func(p numPicParts) error {
		code := ""
		sub := p.sub
		ds, gs := props["decimal-separator"], props["grouping-separator"]
		dpos := strings.Index(sub, ds)
		if dpos != strings.LastIndex(sub, ds) {
			code = "D3081"
		}
		if strings.Index(sub, props["percent"]) != strings.LastIndex(sub, props["percent"]) {
			code = "D3082"
		}
		if strings.Index(sub, props["per-mille"]) != strings.LastIndex(sub, props["per-mille"]) {
			code = "D3083"
		}
		if strings.Contains(sub, props["percent"]) && strings.Contains(sub, props["per-mille"]) {
			code = "D3084"
		}
		valid := false
		for _, c := range chars(p.mantissa) {
			if isDigit(c) || c == props["digit"] {
				valid = true
				break
			}
		}
		if !valid {
			code = "D3085"
		}
		for _, c := range chars(p.active) {
			if !isActive(c) {
				code = "D3086"
			}
		}
		if dpos != -1 {
			if strings.HasSuffix(sub[:dpos], gs) || strings.HasPrefix(sub[dpos+len(ds):], gs) {
				code = "D3087"
			}
		} else if strings.HasSuffix(p.integer, gs) {
			code = "D3088"
		}
		if strings.Contains(sub, gs+gs) {
			code = "D3089"
		}
		if op := strings.Index(p.integer, props["digit"]); op != -1 {
			for _, c := range chars(p.integer[:op]) {
				if isDigit(c) {
					code = "D3090"
				}
			}
		}
		if op := strings.LastIndex(p.fractional, props["digit"]); op != -1 {
			for _, c := range chars(p.fractional[op:]) {
				if isDigit(c) {
					code = "D3091"
				}
			}
		}
		if p.exponent != nil && len(*p.exponent) > 0 && (strings.Contains(sub, props["percent"]) || strings.Contains(sub, props["per-mille"])) {
			code = "D3092"
		}
		if p.exponent != nil {
			bad := len(*p.exponent) == 0
			for _, c := range chars(*p.exponent) {
				if !isDigit(c) {
					bad = true
				}
			}
			if bad {
				code = "D3093"
			}
		}
		if code != "" {
			return newErr(code, nil)
		}
		return nil
	}
	countDigits := func(s string, optional bool) int {
		n := 0
		for _, c := range chars(s) {
			if isDigit(c) || optional && c == props["digit"] {
				n++
			}
		}
		return n
	}
	groupingPositions := func(part string, toLeft bool, integerPart string) []int {
		var out []int
		gs := props["grouping-separator"]
		pos := strings.Index(part, gs)
		for pos != -1 {
			var n int
			// jsonata-js continues the search in the integer part even
			// for the fractional part; substring clamps the positions.
			if toLeft {
				n = countDigits(jsSubstring(part, 0, pos), true)
			} else {
				n = countDigits(jsSubstring(part, pos, len(part)), true)
			}
			out = append(out, n)
			next := -1
			if pos+1 <= len(integerPart) {
				if i := strings.Index(integerPart[pos+1:], gs); i >= 0 {
					next = pos + 1 + i
				}
			}
			pos = next
		}
		return out
	}
	analyse := func(p numPicParts) numPic {
		a := numPic{prefix: p.prefix, suffix: p.suffix, picture: p.sub}
		a.groupPositions = groupingPositions(p.integer, false, p.integer)
		a.regularGrouping = regularRepeat(a.groupPositions)
		a.fracGroupPositions = groupingPositions(p.fractional, true, p.integer)
		a.minInt = countDigits(p.integer, false)
		a.scaling = a.minInt
		a.minFrac = countDigits(p.fractional, false)
		a.maxFrac = countDigits(p.fractional, true)
		if a.minInt == 0 && a.maxFrac == 0 {
			if p.exponent != nil {
				a.minFrac, a.maxFrac = 1, 1
			} else {
				a.minInt = 1
			}
		}
		if p.exponent != nil && a.minInt == 0 && strings.Contains(p.integer, props["digit"]) {
			a.minInt = 1
		}
		if a.minInt == 0 && a.minFrac == 0 {
			a.minFrac = 1
		}
		if p.exponent != nil {
			a.minExp = countDigits(*p.exponent, false)
		}
		return a
	}
	var pics []numPic
	for _, s := range subs {
		p := split(s)
		if err := validate(p); err != nil {
			return nil, err
		}
		pics = append(pics, analyse(p))
	}
	if len(pics) == 1 {
		neg := pics[0]
		neg.prefix = props["minus-sign"] + neg.prefix
		pics = append(pics, neg)
	}
	pic := pics[0]
	if value < 0 {
		pic = pics[1]
	}
	adjusted := value
	if strings.Contains(pic.picture, props["percent"]) {
		adjusted = value * 100
	} else if strings.Contains(pic.picture, props["per-mille"]) {
		adjusted = value * 1000
	}
	mantissa := adjusted
	hasExp := false
	exponent := 0
	if pic.minExp != 0 {
		hasExp = true
		maxM := math.Pow(10, float64(pic.scaling))
		minM := math.Pow(10, float64(pic.scaling-1))
		// jsonata-js loops forever on a negative mantissa; scale the
		// magnitude instead.
		sign := 1.0
		if mantissa < 0 {
			sign, mantissa = -1, -mantissa
		}
		if !math.IsInf(mantissa, 0) && !math.IsNaN(mantissa) {
			for mantissa < minM && mantissa != 0 {
				mantissa *= 10
				exponent--
			}
			for mantissa > maxM {
				mantissa /= 10
				exponent++
			}
		}
		mantissa *= sign
	}
	rounded := shiftRound(mantissa, pic.maxFrac)
	makeString := func(v float64, dp int) string {
		s := strconv.FormatFloat(math.Abs(v), 'f', dp, 64)
		if zeroRune != '0' {
			rs := []rune(s)
			for i, r := range rs {
				if r >= '0' && r <= '9' {
					rs[i] = zeroRune + (r - '0')
				}
			}
			s = string(rs)
		}
		return s
	}
	ds, gs, zd := props["decimal-separator"], props["grouping-separator"], string(zeroRune)
	sv := makeString(rounded, pic.maxFrac)
	if !strings.Contains(sv, ".") {
		sv += ds
	} else {
		sv = strings.Replace(sv, ".", ds, 1)
	}
	for strings.HasPrefix(sv, zd) {
		sv = sv[len(zd):]
	}
	for strings.HasSuffix(sv, zd) {
		sv = sv[:len(sv)-len(zd)]
	}
	rs := []rune(sv)
	dsr := []rune(ds)[0]
	indexOf := func(rs []rune, r rune) int {
		for i, x := range rs {
			if x == r {
				return i
			}
		}
		return -1
	}
	dpos := indexOf(rs, dsr)
	padLeft := pic.minInt - dpos
	padRight := pic.minFrac - (len(rs) - dpos - 1)
	if padLeft > 0 {
		rs = append([]rune(strings.Repeat(zd, padLeft)), rs...)
	}
	if padRight > 0 {
		rs = append(rs, []rune(strings.Repeat(zd, padRight))...)
	}
	dpos = indexOf(rs, dsr)
	gsr := []rune(gs)
	insert := func(rs []rune, at int) []rune {
		if at < 0 {
			at = 0
		}
		if at > len(rs) {
			at = len(rs)
		}
		out := append([]rune{}, rs[:at]...)
		out = append(out, gsr...)
		return append(out, rs[at:]...)
	}
	if pic.regularGrouping > 0 {
		groups := (dpos - 1) / pic.regularGrouping
		for g := 1; g <= groups; g++ {
			rs = insert(rs, dpos-g*pic.regularGrouping)
		}
	} else {
		for _, p := range pic.groupPositions {
			rs = insert(rs, dpos-p)
			dpos++
		}
	}
	dpos = indexOf(rs, dsr)
	for _, p := range pic.fracGroupPositions {
		rs = insert(rs, p+dpos+1)
	}
	dpos = indexOf(rs, dsr)
	if pic.fracGroupPositions == nil && dpos == len(rs)-1 || dpos == len(rs)-1 {
		rs = rs[:len(rs)-1]
	}
	sv = string(rs)
	if hasExp {
		se := makeString(float64(exponent), 0)
		if pad := pic.minExp - utf8.RuneCountInString(se); pad > 0 {
			se = strings.Repeat(zd, pad) + se
		}
		minus := ""
		if exponent < 0 {
			minus = props["minus-sign"]
		}
		sv += props["exponent-separator"] + minus + se
	}
	return pic.prefix + sv + pic.suffix, nil
}

// shiftRound is $round(x, precision) (half to even at the given decimal).
func shiftRound(x float64, prec int) float64 {
	if prec != 0 {
		x = shiftDecimal(x, prec)
	}
	r := roundHalfEven(x)
	if prec != 0 {
		r = shiftDecimal(r, -prec)
	}
	return r
}

// jsSubstring is String.prototype.substring on bytes: bounds are clamped
// and swapped when reversed.
func jsSubstring(s string, start, end int) string {
	start = max(0, min(start, len(s)))
	end = max(0, min(end, len(s)))
	if start > end {
		start, end = end, start
	}
	return s[start:end]
}
