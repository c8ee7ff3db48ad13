package jsonata

import (
	"math"
	"strconv"
	"strings"
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
	if f.mandatoryDigits > 1<<20 {
		return "", &Error{Code: "U1002", Value: f.mandatoryDigits, Message: "formatted number too wide"}
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
