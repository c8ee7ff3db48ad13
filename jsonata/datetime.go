package jsonata

import (
	"math"
	"regexp"
	"strconv"
	"strings"
	"time"
)

// ---- $now, $millis, $fromMillis, $toMillis (XPath F&O 9.8 pictures) ----

func fnMillis(ev *evaluator, _ []any, _ any, _ *frame) (any, error) {
	return float64(ev.now.UnixMilli()), nil
}

func fnNow(ev *evaluator, args []any, _ any, _ *frame) (any, error) {
	return formatDateTime(float64(ev.now.UnixMilli()), arg(args, 0), arg(args, 1))
}

func fnFromMillis(_ *evaluator, args []any, _ any, _ *frame) (any, error) {
	v := arg(args, 0)
	if isUndef(v) {
		return undefined, nil
	}
	return formatDateTime(num(v), arg(args, 1), arg(args, 2))
}

type dtPart struct {
	literal      bool
	value        string
	component    byte
	widthMin     int // -1 when absent
	widthMax     int // -1 when absent
	pres1, pres2 string
	ordinal      bool
	names        string
	intFormat    *intFormat
	n            int
}

var defaultPresentation = map[byte]string{
	'Y': "1", 'M': "1", 'D': "1", 'd': "1", 'F': "n", 'W': "1", 'w': "1", 'X': "1", 'x': "1", 'H': "1", 'h': "1",
	'P': "n", 'm': "01", 's': "01", 'f': "1", 'Z': "01:01", 'z': "01:01", 'C': "n", 'E': "n",
}

var wsRe = regexp.MustCompile(`\s+`)

func analyseDateTimePicture(picture string) ([]*dtPart, error) {
	var spec []*dtPart
	addLiteral := func(start, end int) {
		if end > start {
			lit := strings.ReplaceAll(picture[start:end], "]]", "]")
			spec = append(spec, &dtPart{literal: true, value: lit})
		}
	}
	start, pos := 0, 0
	for pos < len(picture) {
		if picture[pos] == '[' {
			if pos+1 < len(picture) && picture[pos+1] == '[' {
				addLiteral(start, pos)
				spec = append(spec, &dtPart{literal: true, value: "["})
				pos += 2
				start = pos
				continue
			}
			addLiteral(start, pos)
			start = pos
			end := strings.IndexByte(picture[start:], ']')
			if end < 0 {
				return nil, newErr("D3135", nil)
			}
			pos = start + end
			marker := wsRe.ReplaceAllString(picture[start+1:pos], "")
			if marker == "" {
				return nil, newErr("D3132", "")
			}
			def := &dtPart{component: marker[0], widthMin: -1, widthMax: -1}
			var pres string
			if comma := strings.LastIndexByte(marker, ','); comma >= 0 {
				wm := marker[comma+1:]
				minS, maxS := wm, ""
				hasMax := false
				if dash := strings.IndexByte(wm, '-'); dash >= 0 {
					minS, maxS = wm[:dash], wm[dash+1:]
					hasMax = true
				}
				parseWidth := func(s string) int {
					if s == "*" || s == "" {
						return -1
					}
					f := parseIntJS(s)
					if math.IsNaN(f) {
						return -1
					}
					return int(f)
				}
				def.widthMin = parseWidth(minS)
				if hasMax {
					def.widthMax = parseWidth(maxS)
				}
				pres = jsSubstring(marker, 1, comma)
			} else {
				pres = marker[1:]
			}
			switch {
			case len(pres) == 1:
				def.pres1 = pres
			case len(pres) > 1:
				last := pres[len(pres)-1]
				if strings.IndexByte("atco", last) >= 0 {
					def.pres2 = string(last)
					def.ordinal = last == 'o'
					def.pres1 = pres[:len(pres)-1]
				} else {
					def.pres1 = pres
				}
			default:
				p, ok := defaultPresentation[def.component]
				if !ok {
					return nil, newErr("D3132", string(def.component))
				}
				def.pres1 = p
			}
			switch {
			case def.pres1[0] == 'n':
				def.names = "lower"
			case def.pres1[0] == 'N':
				if len(def.pres1) > 1 && def.pres1[1] == 'n' {
					def.names = "title"
				} else {
					def.names = "upper"
				}
			case strings.IndexByte("YMDdFWwXxHhmsf", def.component) >= 0:
				ip := def.pres1
				if def.pres2 != "" {
					ip += ";" + def.pres2
				}
				f, err := analyseIntegerPicture(ip)
				if err != nil {
					return nil, err
				}
				def.intFormat = f
				if def.widthMin >= 0 && f.mandatoryDigits < def.widthMin {
					f.mandatoryDigits = def.widthMin
				}
				if def.component == 'Y' {
					def.n = -1
					if def.widthMax >= 0 {
						def.n = def.widthMax
						f.mandatoryDigits = def.n
					} else if w := f.mandatoryDigits + f.optionalDigits; w >= 2 {
						def.n = w
					}
				}
			}
			if def.component == 'Z' || def.component == 'z' {
				f, err := analyseIntegerPicture(def.pres1)
				if err != nil {
					return nil, err
				}
				def.intFormat = f
			}
			spec = append(spec, def)
			start = pos + 1
		}
		pos++
	}
	addLiteral(start, pos)
	return spec, nil
}

var dayNames = []string{"", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"}
var monthNames = []string{"January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"}

const millisInADay = 86400000

func utcMillis(year, month int) float64 {
	return float64(time.Date(year, time.Month(month+1), 1, 0, 0, 0, 0, time.UTC).UnixMilli())
}

func startOfFirstWeek(year, month int) float64 {
	jan1 := utcMillis(year, month)
	dow := int(time.UnixMilli(int64(jan1)).UTC().Weekday())
	if dow == 0 {
		dow = 7
	}
	if dow > 4 {
		return jan1 + float64(8-dow)*millisInADay
	}
	return jan1 - float64(dow-1)*millisInADay
}

func deltaWeeks(start, end float64) float64 {
	return (end-start)/(millisInADay*7) + 1
}

func nextMonth(y, m int) (int, int) {
	if m == 11 {
		return y + 1, 0
	}
	return y, m + 1
}

func prevMonth(y, m int) (int, int) {
	if m == 0 {
		return y - 1, 11
	}
	return y, m - 1
}

// dateFragment returns component c of the instant t (UTC), as a number or
// (for P, C, E) a string.
func dateFragment(t time.Time, c byte) any {
	ms := float64(t.UnixMilli())
	today := float64(time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC).UnixMilli())
	switch c {
	case 'Y':
		return float64(t.Year())
	case 'M':
		return float64(t.Month())
	case 'D':
		return float64(t.Day())
	case 'd':
		return math.Floor((ms-utcMillis(t.Year(), 0))/millisInADay) + 1
	case 'F':
		d := int(t.Weekday())
		if d == 0 {
			d = 7
		}
		return float64(d)
	case 'W':
		y := t.Year()
		week := deltaWeeks(startOfFirstWeek(y, 0), today)
		if week > 52 {
			if today >= startOfFirstWeek(y+1, 0) {
				week = 1
			}
		} else if week < 1 {
			week = deltaWeeks(startOfFirstWeek(y-1, 0), today)
		}
		return math.Floor(week)
	case 'w':
		y, m := t.Year(), int(t.Month())-1
		week := deltaWeeks(startOfFirstWeek(y, m), today)
		if week > 4 {
			ny, nm := nextMonth(y, m)
			if today >= startOfFirstWeek(ny, nm) {
				week = 1
			}
		} else if week < 1 {
			py, pm := prevMonth(y, m)
			week = deltaWeeks(startOfFirstWeek(py, pm), today)
		}
		return math.Floor(week)
	case 'X':
		y := t.Year()
		if ms < startOfFirstWeek(y, 0) {
			return float64(y - 1)
		}
		if ms >= startOfFirstWeek(y+1, 0) {
			return float64(y + 1)
		}
		return float64(y)
	case 'x':
		y, m := t.Year(), int(t.Month())-1
		ny, nm := nextMonth(y, m)
		if ms < startOfFirstWeek(y, m) {
			_, pm := prevMonth(y, m)
			return float64(pm + 1)
		}
		if ms >= startOfFirstWeek(ny, nm) {
			return float64(nm + 1)
		}
		return float64(m + 1)
	case 'H':
		return float64(t.Hour())
	case 'h':
		h := t.Hour() % 12
		if h == 0 {
			h = 12
		}
		return float64(h)
	case 'P':
		if t.Hour() >= 12 {
			return "pm"
		}
		return "am"
	case 'm':
		return float64(t.Minute())
	case 's':
		return float64(t.Second())
	case 'f':
		return float64(t.Nanosecond() / 1e6)
	case 'C', 'E':
		return "ISO"
	}
	return undefined
}

var iso8601Picture = "[Y0001]-[M01]-[D01]T[H01]:[m01]:[s01].[f001][Z01:01t]"

func formatDateTime(millis float64, picture, timezone any) (any, error) {
	offH, offM := 0, 0
	if tz, ok := timezone.(string); ok {
		off := parseIntJS(tz)
		if !math.IsNaN(off) {
			offH = int(math.Floor(off / 100))
			offM = int(math.Mod(off, 100))
		}
	}
	pic := iso8601Picture
	if p, ok := picture.(string); ok {
		pic = p
	}
	spec, err := analyseDateTimePicture(pic)
	if err != nil {
		return nil, err
	}
	offMillis := float64((60*offH + offM) * 60 * 1000)
	if math.IsNaN(millis) || math.IsInf(millis, 0) {
		return nil, newErr("D3110", millis)
	}
	t := time.UnixMilli(int64(math.Floor(millis + offMillis))).UTC()
	var b strings.Builder
	for _, part := range spec {
		if part.literal {
			b.WriteString(part.value)
			continue
		}
		s, err := formatComponent(t, part, offH, offM)
		if err != nil {
			return nil, err
		}
		b.WriteString(s)
	}
	return b.String(), nil
}

func formatComponent(t time.Time, p *dtPart, offH, offM int) (string, error) {
	v := dateFragment(t, p.component)
	switch {
	case strings.IndexByte("YMDdFWwXxHhms", p.component) >= 0:
		n := v.(float64)
		if p.component == 'Y' && p.n != -1 {
			n = math.Mod(n, math.Pow(10, float64(p.n)))
		}
		if p.names != "" {
			var s string
			switch p.component {
			case 'M', 'x':
				s = monthNames[int(n)-1]
			case 'F':
				s = dayNames[int(n)]
			default:
				return "", newErr("D3133", string(p.component))
			}
			switch p.names {
			case "upper":
				s = strings.ToUpper(s)
			case "lower":
				s = strings.ToLower(s)
			}
			if p.widthMax >= 0 && len(s) > p.widthMax {
				s = s[:p.widthMax]
			}
			return s, nil
		}
		if p.intFormat == nil {
			return "", newErr("D3132", string(p.component))
		}
		return formatInteger(n, p.intFormat)
	case p.component == 'f':
		if p.intFormat == nil {
			return "", newErr("D3133", "f")
		}
		return formatInteger(v.(float64), p.intFormat)
	case p.component == 'Z' || p.component == 'z':
		if p.intFormat == nil {
			return "", newErr("D3132", string(p.component))
		}
		offset := offH*100 + offM
		var s string
		var err error
		if p.intFormat.regular {
			s, err = formatInteger(float64(offset), p.intFormat)
		} else {
			nd := p.intFormat.mandatoryDigits
			switch {
			case nd == 1 || nd == 2:
				s, err = formatInteger(float64(offH), p.intFormat)
				if offM != 0 {
					f, _ := analyseIntegerPicture("00")
					m, _ := formatInteger(float64(offM), f)
					s += ":" + m
				}
			case nd == 3 || nd == 4:
				s, err = formatInteger(float64(offset), p.intFormat)
			default:
				return "", newErr("D3134", nd)
			}
		}
		if err != nil {
			return "", err
		}
		if offset >= 0 {
			s = "+" + s
		}
		if p.component == 'z' {
			s = "GMT" + s
		}
		if offset == 0 && p.pres2 == "t" {
			s = "Z"
		}
		return s, nil
	case p.component == 'P':
		s, _ := v.(string)
		if p.names == "upper" {
			s = strings.ToUpper(s)
		}
		return s, nil
	}
	if s, ok := v.(string); ok {
		return s, nil
	}
	if f, ok := v.(float64); ok {
		return formatNumber(f), nil
	}
	return "", newErr("D3132", string(p.component))
}

var iso8601Re = regexp.MustCompile(`^\d{4}(-[01]\d)*(-[0-3]\d)*(T[0-2]\d:[0-5]\d:[0-5]\d)*(\.\d+)?([+-][0-2]\d:?[0-5]\d|Z)?$`)

func fnToMillis(ev *evaluator, args []any, _ any, _ *frame) (any, error) {
	s, ok := arg(args, 0).(string)
	if !ok {
		return undefined, nil
	}
	if p, ok := arg(args, 1).(string); ok {
		return parseDateTime(ev, s, p)
	}
	if !iso8601Re.MatchString(s) {
		return nil, newErr("D3110", s)
	}
	return parseISO(s), nil
}

// parseISO is Date.parse for the ISO 8601 forms the regex above admits;
// forms without an offset are read as UTC.
func parseISO(s string) any {
	layouts := []string{
		"2006-01-02T15:04:05.999999999Z07:00", "2006-01-02T15:04:05.999999999Z0700", "2006-01-02T15:04:05.999999999",
		"2006-01-02T15:04:05Z07:00", "2006-01-02T15:04:05Z0700", "2006-01-02T15:04:05",
		"2006-01-02", "2006-01", "2006",
	}
	for _, l := range layouts {
		if t, err := time.Parse(l, s); err == nil {
			return float64(t.UnixMilli())
		}
	}
	return math.NaN()
}

type dtMatcher struct {
	regex     string
	component byte
	parse     func(string) (float64, bool)
}

func integerMatcher(f *intFormat) (*dtMatcher, error) {
	m := &dtMatcher{}
	upper := f.caseMode == "upper"
	switch f.primary {
	case "letters":
		m.regex = "[a-z]+"
		if upper {
			m.regex = "[A-Z]+"
		}
	case "roman":
		m.regex = "[mdclxvi]+"
		if upper {
			m.regex = "[MDCLXVI]+"
		}
	case "words":
		keys := make([]string, 0, len(wordValues)+2)
		for k := range wordValues {
			keys = append(keys, k)
		}
		// longest first so that alternation prefers whole words
		for i := 1; i < len(keys); i++ {
			for j := i; j > 0 && len(keys[j]) > len(keys[j-1]); j-- {
				keys[j], keys[j-1] = keys[j-1], keys[j]
			}
		}
		keys = append(keys, "and", `[\-, ]`)
		m.regex = "(?:" + strings.Join(keys, "|") + ")+"
	case "decimal":
		m.regex = "[0-9]+"
		if f.mandatoryDigits > 1 {
			// adjacent numeric components ([Y0001][M01]) are told apart by
			// their widths
			m.regex = "[0-9]{" + strconv.Itoa(f.mandatoryDigits) + ",}"
		}
		if f.ordinal {
			m.regex += "(?:th|st|nd|rd)"
		}
	default:
		return nil, newErr("D3130", f.token)
	}
	m.parse = func(s string) (float64, bool) {
		v, err := parseIntegerWith(s, f)
		if err != nil {
			return 0, false
		}
		n, ok := v.(float64)
		return n, ok && !math.IsNaN(n)
	}
	return m, nil
}

func parseDateTime(ev *evaluator, ts, picture string) (any, error) {
	spec, err := analyseDateTimePicture(picture)
	if err != nil {
		return nil, err
	}
	var parts []*dtMatcher
	for _, p := range spec {
		var m *dtMatcher
		switch {
		case p.literal:
			m = &dtMatcher{regex: regexp.QuoteMeta(p.value)}
		case p.component == 'Z' || p.component == 'z':
			sep := ""
			if p.intFormat.regular {
				sep = p.intFormat.regularSep.char
			}
			m = &dtMatcher{component: p.component}
			if p.component == 'z' {
				m.regex = "GMT"
			}
			m.regex += "[-+][0-9]+"
			if sep != "" {
				m.regex += regexp.QuoteMeta(sep) + "[0-9]+"
			}
			comp := p.component
			m.parse = func(v string) (float64, bool) {
				if comp == 'z' {
					v = v[3:]
				}
				var h, mi float64
				if sep != "" {
					i := strings.Index(v, sep)
					h = parseIntJS(v[:i])
					mi = parseIntJS(v[i+len(sep):])
				} else if len(v)-1 <= 2 {
					h = parseIntJS(v)
				} else {
					h = parseIntJS(v[:3])
					mi = parseIntJS(v[3:])
				}
				return h*60 + mi, true
			}
		case p.intFormat != nil:
			m, err = integerMatcher(p.intFormat)
			if err != nil {
				return nil, err
			}
			m.component = p.component
		default:
			lookup := map[string]float64{}
			switch p.component {
			case 'M', 'x':
				for i, n := range monthNames {
					if p.widthMax >= 0 && p.widthMax < len(n) {
						n = n[:p.widthMax]
					}
					lookup[strings.ToLower(n)] = float64(i + 1)
				}
			case 'F':
				for i, n := range dayNames[1:] {
					if p.widthMax >= 0 && p.widthMax < len(n) {
						n = n[:p.widthMax]
					}
					lookup[strings.ToLower(n)] = float64(i + 1)
				}
			case 'P':
				lookup = map[string]float64{"am": 0, "pm": 1}
			default:
				return nil, newErr("D3133", string(p.component))
			}
			m = &dtMatcher{regex: "[a-zA-Z]+", component: p.component, parse: func(v string) (float64, bool) {
				n, ok := lookup[strings.ToLower(v)]
				return n, ok
			}}
		}
		parts = append(parts, m)
	}
	var b strings.Builder
	b.WriteString("(?i)^")
	for _, p := range parts {
		b.WriteString("(" + p.regex + ")")
	}
	b.WriteString("$")
	re, err := regexp.Compile(b.String())
	if err != nil {
		return nil, newErr("D3136", nil)
	}
	info := re.FindStringSubmatch(ts)
	if info == nil {
		return undefined, nil
	}
	comps := map[byte]float64{}
	for i, p := range parts {
		if p.parse == nil {
			continue
		}
		if v, ok := p.parse(info[i+1]); ok {
			comps[p.component] = v
		} else {
			comps[p.component] = math.NaN()
		}
	}
	if len(comps) == 0 {
		return undefined, nil
	}
	maskOf := func(order string) int {
		mask := 0
		for i := 0; i < len(order); i++ {
			mask <<= 1
			if v, ok := comps[order[i]]; ok && v != 0 && !math.IsNaN(v) {
				mask++
			}
		}
		return mask
	}
	isType := func(mask, typ int) bool { return ^typ&mask == 0 && typ&mask != 0 }
	dm := maskOf("YXMxWwdD")
	dateA := isType(dm, 161)
	dateB := !dateA && isType(dm, 130)
	dateC := isType(dm, 84)
	dateD := !dateC && isType(dm, 72)
	tm := maskOf("PHhmsf")
	timeA := isType(tm, 23)
	timeB := !timeA && isType(tm, 47)
	dateComps := "YMD"
	switch {
	case dateB:
		dateComps = "YB"
	case dateC:
		dateComps = "XxwF"
	case dateD:
		dateComps = "XWF"
	}
	timeComps := "Hmsf"
	if timeB {
		timeComps = "Phmsf"
	}
	now := ev.now.UTC()
	startSpecified, endSpecified := false, false
	for _, c := range []byte(dateComps + timeComps) {
		if _, ok := comps[c]; !ok {
			if startSpecified {
				if strings.IndexByte("MDd", c) >= 0 {
					comps[c] = 1
				} else {
					comps[c] = 0
				}
				endSpecified = true
			} else {
				f, _ := dateFragment(now, c).(float64)
				comps[c] = f
			}
		} else {
			startSpecified = true
			if endSpecified {
				return nil, newErr("D3136", nil)
			}
		}
	}
	if comps['M'] > 0 {
		comps['M']--
	} else {
		comps['M'] = 0
	}
	if dateB {
		d := time.UnixMilli(int64(utcMillis(int(comps['Y']), 0) + (comps['d']-1)*millisInADay)).UTC()
		comps['M'] = float64(d.Month() - 1)
		comps['D'] = float64(d.Day())
	}
	if dateC || dateD {
		return nil, newErr("D3136", nil)
	}
	if timeB {
		h := comps['h']
		if h == 12 {
			h = 0
		}
		if comps['P'] == 1 {
			h += 12
		}
		comps['H'] = h
	}
	for _, v := range comps {
		if math.IsNaN(v) {
			return math.NaN(), nil
		}
	}
	t := time.Date(int(comps['Y']), time.Month(int(comps['M'])+1), int(comps['D']), int(comps['H']), int(comps['m']), int(comps['s']), int(comps['f'])*1e6, time.UTC)
	millis := float64(t.UnixMilli())
	if z, ok := comps['Z']; ok && z != 0 {
		millis -= z * 60 * 1000
	} else if z, ok := comps['z']; ok && z != 0 {
		millis -= z * 60 * 1000
	}
	return millis, nil
}
