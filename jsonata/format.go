package jsonata

import (
	"math"
	"strconv"
	"strings"
	"unicode/utf8"

	"stepwise/jsonval"
)

// ---- $formatBase ----

func fnFormatBase(_ *evaluator, args []any, _ any, _ *frame) (any, error) {
	v := arg(args, 0)
	if isUndef(v) {
		return undefined, nil
	}
	x := roundHalfEven(num(v))
	radix := 10.0
	if r := arg(args, 1); !isUndef(r) {
		radix = roundHalfEven(num(r))
	}
	if radix < 2 || radix > 36 {
		return nil, newErr("D3100", radix)
	}
	if math.Abs(x) < 1<<62 {
		return strconv.FormatInt(int64(x), int(radix)), nil
	}
	return formatNumber(x), nil
}

func roundHalfEven(x float64) float64 {
	r := math.Floor(x + 0.5)
	if math.Abs(r-x) == 0.5 && math.Abs(math.Mod(r, 2)) == 1 {
		r--
	}
	return r
}

// ---- $formatInteger / $parseInteger (XPath F&O 4.6.1) ----

type intFormat struct {
	primary         string // decimal, letters, roman, words, sequence
	caseMode        string // upper, lower, title
	ordinal         bool
	zeroCode        rune
	mandatoryDigits int
	optionalDigits  int
	regular         bool
	regularSep      groupSep
	separators      []groupSep
	token           string
}

type groupSep struct {
	position int
	char     string
}

var decimalGroups = []rune{0x30, 0x0660, 0x06F0, 0x07C0, 0x0966, 0x09E6, 0x0A66, 0x0AE6, 0x0B66, 0x0BE6, 0x0C66, 0x0CE6, 0x0D66, 0x0DE6, 0x0E50, 0x0ED0, 0x0F20, 0x1040, 0x1090, 0x17E0, 0x1810, 0x1946, 0x19D0, 0x1A80, 0x1A90, 0x1B50, 0x1BB0, 0x1C40, 0x1C50, 0xA620, 0xA8D0, 0xA900, 0xA9D0, 0xA9F0, 0xAA50, 0xABF0, 0xFF10}

func gcd(a, b int) int {
	if b == 0 {
		return a
	}
	return gcd(b, a%b)
}

func regularRepeat(positions []int) int {
	if len(positions) == 0 {
		return 0
	}
	f := positions[0]
	for _, p := range positions[1:] {
		f = gcd(f, p)
	}
	for i := 1; i <= len(positions); i++ {
		found := false
		for _, p := range positions {
			if p == i*f {
				found = true
				break
			}
		}
		if !found {
			return 0
		}
	}
	return f
}

func analyseIntegerPicture(picture string) (*intFormat, error) {
	f := &intFormat{primary: "decimal", caseMode: "lower"}
	primary := picture
	if semi := strings.LastIndex(picture, ";"); semi >= 0 {
		primary = picture[:semi]
		if strings.HasPrefix(picture[semi+1:], "o") {
			f.ordinal = true
		}
	}
	switch primary {
	case "A":
		f.caseMode = "upper"
		f.primary = "letters"
	case "a":
		f.primary = "letters"
	case "I":
		f.caseMode = "upper"
		f.primary = "roman"
	case "i":
		f.primary = "roman"
	case "W":
		f.caseMode = "upper"
		f.primary = "words"
	case "Ww":
		f.caseMode = "title"
		f.primary = "words"
	case "w":
		f.primary = "words"
	default:
		zero := rune(-1)
		sepPos := 0
		var seps []groupSep
		rs := []rune(primary)
		for i := len(rs) - 1; i >= 0; i-- {
			cp := rs[i]
			digit := false
			for _, g := range decimalGroups {
				if cp >= g && cp <= g+9 {
					digit = true
					f.mandatoryDigits++
					sepPos++
					if zero < 0 {
						zero = g
					} else if g != zero {
						return nil, newErr("D3131", nil)
					}
					break
				}
			}
			if !digit {
				if cp == '#' {
					sepPos++
					f.optionalDigits++
				} else {
					seps = append(seps, groupSep{position: sepPos, char: string(cp)})
				}
			}
		}
		if f.mandatoryDigits > 0 {
			f.zeroCode = zero
			positions := make([]int, len(seps))
			same := true
			for i, s := range seps {
				positions[i] = s.position
				if s.char != seps[0].char {
					same = false
				}
			}
			reg := 0
			if same {
				reg = regularRepeat(positions)
			}
			if reg > 0 {
				f.regular = true
				f.regularSep = groupSep{position: reg, char: seps[0].char}
			} else {
				f.separators = seps
			}
		} else {
			f.primary = "sequence"
			f.token = primary
		}
	}
	return f, nil
}

func fnFormatInteger(_ *evaluator, args []any, _ any, _ *frame) (any, error) {
	v := arg(args, 0)
	if isUndef(v) {
		return undefined, nil
	}
	pic, _ := arg(args, 1).(string)
	f, err := analyseIntegerPicture(pic)
	if err != nil {
		return nil, err
	}
	return formatInteger(math.Floor(num(v)), f)
}

func formatInteger(value float64, f *intFormat) (string, error) {
	if math.IsNaN(value) || math.IsInf(value, 0) {
		return "", newErr("D3001", value)
	}
	if f.primary == "roman" && math.Abs(value) > 1e7 {
		return "", &Error{Code: "U1002", Value: value, Message: "number too large for roman numerals"}
	}
	negative := value < 0
	value = math.Abs(value)
	var s string
	switch f.primary {
	case "letters":
		a := 'a'
		if f.caseMode == "upper" {
			a = 'A'
		}
		s = toLetters(int64(value), a)
	case "roman":
		s = toRoman(int64(value))
		if f.caseMode == "upper" {
			s = strings.ToUpper(s)
		}
	case "words":
		s = numberToWords(value, f.ordinal)
		switch f.caseMode {
		case "upper":
			s = strings.ToUpper(s)
		case "lower":
			s = strings.ToLower(s)
		}
	case "decimal":
		digits := []rune(strconv.FormatFloat(value, 'f', -1, 64))
		if value >= 1e21 {
			digits = []rune(formatNumber(value))
		}
		if pad := f.mandatoryDigits - len(digits); pad > 0 {
			digits = append([]rune(strings.Repeat("0", pad)), digits...)
		}
		if f.zeroCode != '0' {
			for i, d := range digits {
				if d >= '0' && d <= '9' {
					digits[i] = d - '0' + f.zeroCode
				}
			}
		}
		str := string(digits)
		if f.regular {
			n := (len(digits) - 1) / f.regularSep.position
			for i := n; i > 0; i-- {
				rs := []rune(str)
				pos := len(rs) - i*f.regularSep.position
				str = string(rs[:pos]) + f.regularSep.char + string(rs[pos:])
			}
		} else {
			for i := len(f.separators) - 1; i >= 0; i-- {
				sep := f.separators[i]
				rs := []rune(str)
				pos := len(rs) - sep.position
				if pos < 0 {
					pos = 0
				}
				str = string(rs[:pos]) + sep.char + string(rs[pos:])
			}
		}
		if f.ordinal {
			rs := []rune(str)
			last := rs[len(rs)-1]
			suffix := map[rune]string{'1': "st", '2': "nd", '3': "rd"}[last]
			if suffix == "" || (len(rs) > 1 && rs[len(rs)-2] == '1') {
				suffix = "th"
			}
			str += suffix
		}
		s = str
	case "sequence":
		return "", newErr("D3130", f.token)
	}
	if negative {
		s = "-" + s
	}
	return s, nil
}

func toLetters(v int64, a rune) string {
	var out []rune
	for v > 0 {
		out = append([]rune{rune((v-1)%26) + a}, out...)
		v = (v - 1) / 26
	}
	return string(out)
}

var romanNumerals = []struct {
	v int64
	s string
}{{1000, "m"}, {900, "cm"}, {500, "d"}, {400, "cd"}, {100, "c"}, {90, "xc"}, {50, "l"}, {40, "xl"}, {10, "x"}, {9, "ix"}, {5, "v"}, {4, "iv"}, {1, "i"}}

func toRoman(v int64) string {
	var b strings.Builder
	for _, n := range romanNumerals {
		for v >= n.v {
			b.WriteString(n.s)
			v -= n.v
		}
	}
	return b.String()
}

var romanValues = map[byte]int{'M': 1000, 'D': 500, 'C': 100, 'L': 50, 'X': 10, 'V': 5, 'I': 1}

func romanToDecimal(s string) float64 {
	dec := 0
	mx := 1
	for i := len(s) - 1; i >= 0; i-- {
		v := romanValues[s[i]]
		if v < mx {
			dec -= v
		} else {
			mx = v
			dec += v
		}
	}
	return float64(dec)
}

var (
	fewWords     = []string{"Zero", "One", "Two", "Three", "Four", "Five", "Six", "Seven", "Eight", "Nine", "Ten", "Eleven", "Twelve", "Thirteen", "Fourteen", "Fifteen", "Sixteen", "Seventeen", "Eighteen", "Nineteen"}
	ordinalWords = []string{"Zeroth", "First", "Second", "Third", "Fourth", "Fifth", "Sixth", "Seventh", "Eighth", "Ninth", "Tenth", "Eleventh", "Twelfth", "Thirteenth", "Fourteenth", "Fifteenth", "Sixteenth", "Seventeenth", "Eighteenth", "Nineteenth"}
	decadeWords  = []string{"Twenty", "Thirty", "Forty", "Fifty", "Sixty", "Seventy", "Eighty", "Ninety", "Hundred"}
	magnitudes   = []string{"Thousand", "Million", "Billion", "Trillion"}
	wordValues   = map[string]float64{}
)

func init() {
	for i, w := range fewWords {
		wordValues[strings.ToLower(w)] = float64(i)
	}
	for i, w := range ordinalWords {
		wordValues[strings.ToLower(w)] = float64(i)
	}
	for i, w := range decadeWords {
		lw := strings.ToLower(w)
		wordValues[lw] = float64((i + 2) * 10)
		wordValues[lw[:len(lw)-1]+"ieth"] = float64((i + 2) * 10)
	}
	wordValues["hundredth"] = 100
	for i, w := range magnitudes {
		lw := strings.ToLower(w)
		v := math.Pow(10, float64((i+1)*3))
		wordValues[lw] = v
		wordValues[lw+"th"] = v
	}
}

func numberToWords(value float64, ordinal bool) string {
	var lookup func(n float64, prev, ord bool) string
	lookup = func(n float64, prev, ord bool) string {
		words := ""
		switch {
		case n <= 19:
			if prev {
				words = " and "
			}
			if ord {
				words += ordinalWords[int(n)]
			} else {
				words += fewWords[int(n)]
			}
		case n < 100:
			tens := int(n / 10)
			rem := math.Mod(n, 10)
			if prev {
				words = " and "
			}
			words += decadeWords[tens-2]
			if rem > 0 {
				words += "-" + lookup(rem, false, ord)
			} else if ord {
				words = words[:len(words)-1] + "ieth"
			}
		case n < 1000:
			hundreds := int(n / 100)
			rem := math.Mod(n, 100)
			if prev {
				words = ", "
			}
			words += fewWords[hundreds] + " Hundred"
			if rem > 0 {
				words += lookup(rem, true, ord)
			} else if ord {
				words += "th"
			}
		default:
			mag := int(math.Floor(math.Log10(n) / 3))
			if mag > len(magnitudes) {
				mag = len(magnitudes)
			}
			factor := math.Pow(10, float64(mag*3))
			mant := math.Floor(n / factor)
			rem := n - mant*factor
			if prev {
				words = ", "
			}
			words += lookup(mant, false, false) + " " + magnitudes[mag-1]
			if rem > 0 {
				words += lookup(rem, true, ord)
			} else if ord {
				words += "th"
			}
		}
		return words
	}
	return lookup(value, false, ordinal)
}

func wordsToNumber(text string) float64 {
	var parts []string
	// split on ", ", " and ", whitespace and '-'
	t := strings.ReplaceAll(text, ", ", "\x00")
	t = strings.ReplaceAll(t, " and ", "\x00")
	parts = strings.FieldsFunc(t, func(r rune) bool { return r == 0 || r == ' ' || r == '\t' || r == '\n' || r == '-' })
	segs := []float64{0}
	for _, p := range parts {
		v, ok := wordValues[p]
		if !ok {
			return math.NaN()
		}
		if v < 100 {
			top := segs[len(segs)-1]
			segs = segs[:len(segs)-1]
			if top >= 1000 {
				segs = append(segs, top)
				top = 0
			}
			segs = append(segs, top+v)
		} else {
			segs[len(segs)-1] *= v
		}
	}
	total := 0.0
	for _, s := range segs {
		total += s
	}
	return total
}

func fnParseInteger(_ *evaluator, args []any, _ any, _ *frame) (any, error) {
	v, ok := arg(args, 0).(string)
	if !ok {
		return undefined, nil
	}
	pic, _ := arg(args, 1).(string)
	f, err := analyseIntegerPicture(pic)
	if err != nil {
		return nil, err
	}
	return parseIntegerWith(v, f)
}

func parseIntegerWith(v string, f *intFormat) (any, error) {
	switch f.primary {
	case "letters":
		a := 'a'
		if f.caseMode == "upper" {
			a = 'A'
		}
		dec := 0.0
		rs := []rune(v)
		for i := 0; i < len(rs); i++ {
			dec += float64(rs[len(rs)-i-1]-a+1) * math.Pow(26, float64(i))
		}
		return dec, nil
	case "roman":
		return romanToDecimal(strings.ToUpper(v)), nil
	case "words":
		return wordsToNumber(strings.ToLower(v)), nil
	case "decimal":
		digits := v
		if f.ordinal && len(digits) >= 2 {
			digits = digits[:len(digits)-2]
		}
		if f.regular {
			digits = strings.ReplaceAll(digits, f.regularSep.char, "")
		} else {
			for _, s := range f.separators {
				digits = strings.ReplaceAll(digits, s.char, "")
			}
		}
		if f.zeroCode != '0' {
			rs := []rune(digits)
			for i, r := range rs {
				rs[i] = r - f.zeroCode + '0'
			}
			digits = string(rs)
		}
		return parseIntJS(digits), nil
	}
	return nil, newErr("D3130", f.token)
}

// parseIntJS is JavaScript's parseInt(s, 10): leading digits, else NaN.
func parseIntJS(s string) float64 {
	s = strings.TrimSpace(s)
	neg := false
	if strings.HasPrefix(s, "-") || strings.HasPrefix(s, "+") {
		neg = s[0] == '-'
		s = s[1:]
	}
	i := 0
	for i < len(s) && s[i] >= '0' && s[i] <= '9' {
		i++
	}
	if i == 0 {
		return math.NaN()
	}
	f, _ := strconv.ParseFloat(s[:i], 64)
	if neg {
		f = -f
	}
	return f
}

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
			if toLeft {
				n = countDigits(part[:pos], true)
			} else {
				n = countDigits(part[pos:], true)
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
