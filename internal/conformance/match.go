package conformance

import (
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"
	"time"

	"stepwise/jsonval"
)

// anyValue lists the expected strings that match any value: those the
// suite's README names, and the bare replacements LocalStack's
// JsonpathTransformers wrote (the cases list them in
// meta.test_snapshot_transformers), such as the context object's
// $$.State.EnteredTime in test_base__TestSnfBase__test_query_context_object_values.
var anyValue = map[string]bool{
	"timestamp":         true,
	"date":              true,
	"snf_role_arn":      true,
	"sfn_role_arn":      true,
	"execution_rolearn": true,
	"map_run_arn":       true,
	"entered-time":      true, // $..EnteredTime, $..state_enteredtime
	"start-time":        true, // $..StartTime, $..execution_starttime
	"start-date":        true, // $..output.StartDate, $..cause.StartDate
	"stop-date":         true, // $..output.StopDate, $..cause.StopDate
	"execution-arn":     true, // $..ExecutionArn
	"state-machine-arn": true, // $..StateMachineArn
}

// Matcher compares the values of one case, binding each placeholder to the
// text it first matched and holding it to that text afterwards. Use one
// Matcher per case, for its result and its history alike. A Matcher is not
// safe for concurrent use.
type Matcher struct {
	bound map[string]string // placeholder (without <>) -> the text it stands for
	added map[string]bool   // member names AWS added after the recording
}

// NewMatcher returns a Matcher with no placeholder bound.
func NewMatcher() *Matcher {
	return &Matcher{bound: map[string]string{}}
}

// additions lists the members AWS added to the values it shows after some
// cases were recorded, with the day each appeared: a recording made before
// that day cannot hold the member, so its absence there is not a
// difference. Redrive (and with it $$.Execution.RedriveCount) launched on
// 2023-11-15; test_base_scenarios test_lambda_invoke_with_retry_extended_input
// was recorded on 2023-10-24, the other recordings of the context object
// in 2024 and include it.
var additions = []struct {
	member string
	since  time.Time
}{
	{"RedriveCount", time.Date(2023, 11, 15, 0, 0, 0, 0, time.UTC)},
}

// NewMatcherFor returns a Matcher for c: one that also accepts, in actual
// objects, the members AWS added after c was recorded.
func NewMatcherFor(c Case) *Matcher {
	m := NewMatcher()
	if c.Recorded.IsZero() {
		return m
	}
	for _, a := range additions {
		if c.Recorded.Before(a.since) {
			if m.added == nil {
				m.added = map[string]bool{}
			}
			m.added[a.member] = true
		}
	}
	return m
}

// Bindings returns the text each placeholder was bound to so far, keyed by
// the placeholder's name without its angle brackets. The caller owns the
// returned map.
func (m *Matcher) Bindings() map[string]string {
	return maps.Clone(m.bound)
}

// Value compares an expected value with an actual one, both in the
// [jsonval] model, and returns "" when they match or a short description of
// the first difference, located by a JSON pointer ("at /a/0: ..."). Numbers
// compare by value and objects regardless of key order; expected strings
// may hold placeholders (see the package doc). Placeholders bound during a
// comparison that fails stay unbound.
func (m *Matcher) Value(expected, actual any) (diff string) {
	return m.try(func() string { return m.value("", expected, actual) })
}

// try runs f and, if it reports a difference, undoes the bindings f made.
func (m *Matcher) try(f func() string) string {
	saved := maps.Clone(m.bound)
	d := f()
	if d != "" {
		m.bound = saved
	}
	return d
}

func (m *Matcher) value(path string, exp, act any) string {
	if s, ok := exp.(string); ok {
		return m.str(path, s, act)
	}
	ke, ka := jsonval.KindOf(exp), jsonval.KindOf(act)
	if ke != ka {
		return differ(path, exp, act)
	}
	switch ke {
	case jsonval.Array:
		xe, xa := exp.([]any), act.([]any)
		for i := range min(len(xe), len(xa)) {
			if d := m.value(path+"/"+strconv.Itoa(i), xe[i], xa[i]); d != "" {
				return d
			}
		}
		if len(xe) != len(xa) {
			return fmt.Sprintf("at %s: expected %d elements, got %d", orRoot(path), len(xe), len(xa))
		}
		return ""
	case jsonval.ObjectKind:
		return m.object(path, exp.(*jsonval.Object), act.(*jsonval.Object))
	default:
		if !jsonval.Equal(exp, act) {
			return differ(path, exp, act)
		}
		return ""
	}
}

// object compares two objects member by member. Expected member names may
// hold placeholders too; such a member pairs with an actual member whose
// name it matches.
func (m *Matcher) object(path string, oe, oa *jsonval.Object) string {
	var pending []string // expected names not present verbatim
	used := map[string]bool{}
	for k, ve := range oe.All() {
		va, ok := oa.Get(k)
		if !ok {
			pending = append(pending, k)
			continue
		}
		used[k] = true
		if d := m.value(path+"/"+escapePointer(k), ve, va); d != "" {
			return d
		}
	}
	for _, k := range pending {
		found := false
		for ka, va := range oa.All() {
			if used[ka] || !hasPlaceholder(k) {
				continue
			}
			if d := m.try(func() string { return m.str("", k, ka) }); d != "" {
				continue
			}
			used[ka] = true
			found = true
			if d := m.value(path+"/"+escapePointer(ka), mustGet(oe, k), va); d != "" {
				return d
			}
			break
		}
		if !found {
			return fmt.Sprintf("at %s: member %q is missing", orRoot(path), k)
		}
	}
	for _, k := range oa.Keys() {
		if !used[k] && !m.added[k] {
			return fmt.Sprintf("at %s: unexpected member %q", orRoot(path), k)
		}
	}
	return ""
}

func mustGet(o *jsonval.Object, k string) any {
	v, _ := o.Get(k)
	return v
}

// str compares an expected string, which may be or hold placeholders, with
// an actual value.
func (m *Matcher) str(path, exp string, act any) string {
	if anyValue[exp] {
		return ""
	}
	segs := parsePattern(exp)
	as, ok := act.(string)
	if !ok {
		// A placeholder standing for a whole value may stand for a
		// number or an object: match it against that value's JSON text.
		if len(segs) != 1 || segs[0].name == "" {
			return differ(path, exp, act)
		}
		as = jsonval.MustMarshalString(act)
	}
	if len(segs) == 1 && segs[0].name == "" {
		if exp != as && !m.sameJSONText(path, exp, as) {
			return differ(path, exp, act)
		}
		return ""
	}
	if !m.match(segs, as) && !m.sameJSONText(path, exp, as) {
		return differ(path, exp, act) + m.boundNote(segs)
	}
	return ""
}

// sameJSONText reports whether two strings that both hold a JSON object or
// array hold equal values. Such strings are task causes and the like: the
// recording re-serialized some of them (CauseReserialized mocks) with other
// spacing than AWS's text, which the state outputs still quote.
func (m *Matcher) sameJSONText(path, exp, act string) bool {
	if !isJSONContainer(exp) || !isJSONContainer(act) {
		return false
	}
	pe, err1 := jsonval.ParseString(exp)
	pa, err2 := jsonval.ParseString(act)
	if err1 != nil || err2 != nil {
		return false
	}
	return m.try(func() string { return m.value(path, pe, pa) }) == ""
}

func isJSONContainer(s string) bool {
	s = strings.TrimSpace(s)
	return strings.HasPrefix(s, "{") || strings.HasPrefix(s, "[")
}

// boundNote says what the already bound placeholders among segs stand for,
// to explain a mismatch.
func (m *Matcher) boundNote(segs []segment) string {
	var notes []string
	for _, sg := range segs {
		if v, ok := m.bound[sg.name]; ok && sg.name != "" {
			notes = append(notes, fmt.Sprintf("<%s> is %s", sg.name, show(v)))
		}
	}
	if len(notes) == 0 {
		return ""
	}
	return " (" + strings.Join(slices.Compact(notes), ", ") + ")"
}

// segment is a piece of an expected string: literal text, or a
// placeholder (name set, without its angle brackets).
type segment struct {
	lit  string
	name string
}

// parsePattern splits s into literal text and placeholders.
func parsePattern(s string) []segment {
	var segs []segment
	lit := 0
	for i := 0; i < len(s); i++ {
		if s[i] != '<' {
			continue
		}
		n := placeholderLen(s[i:])
		if n == 0 {
			continue
		}
		if lit < i {
			segs = append(segs, segment{lit: s[lit:i]})
		}
		segs = append(segs, segment{name: s[i+1 : i+n-1]})
		i += n - 1
		lit = i + 1
	}
	if lit < len(s) || len(segs) == 0 {
		segs = append(segs, segment{lit: s[lit:]})
	}
	return segs
}

// placeholderLen returns the length of the placeholder s starts with, or 0:
// '<', a letter, letters, digits, '_' or '-', optionally ':' and digits,
// then '>'. In place of the name there may be a whole placeholder, as in
// "<<task_token>:1>", which two transformers applied one after the other
// wrote (test_callback__TestCallback__test_sqs_wait_for_task_token).
func placeholderLen(s string) int {
	i := 1
	if i >= len(s) {
		return 0
	}
	switch {
	case s[i] == '<':
		n := placeholderLen(s[i:])
		if n == 0 {
			return 0
		}
		i += n
	case isLetter(s[i]):
		for i < len(s) && (isLetter(s[i]) || isDigit(s[i]) || s[i] == '_' || s[i] == '-') {
			i++
		}
	default:
		return 0
	}
	if i < len(s) && s[i] == ':' {
		j := i + 1
		for j < len(s) && isDigit(s[j]) {
			j++
		}
		if j == i+1 {
			return 0
		}
		i = j
	}
	if i >= len(s) || s[i] != '>' {
		return 0
	}
	return i + 1
}

func isLetter(c byte) bool { return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' }
func isDigit(c byte) bool  { return c >= '0' && c <= '9' }

func hasPlaceholder(s string) bool {
	segs := parsePattern(s)
	return len(segs) > 1 || segs[0].name != ""
}

// match reports whether s matches the segments, binding unbound
// placeholders. Unbound placeholders try the shortest text first. On
// failure, the bindings it made are undone.
func (m *Matcher) match(segs []segment, s string) bool {
	if len(segs) == 0 {
		return s == ""
	}
	sg, rest := segs[0], segs[1:]
	if sg.name == "" {
		return strings.HasPrefix(s, sg.lit) && m.match(rest, s[len(sg.lit):])
	}
	// The placeholder's own text, passed through from a definition,
	// input or mock.
	if self := "<" + sg.name + ">"; strings.HasPrefix(s, self) && m.match(rest, s[len(self):]) {
		return true
	}
	if v, ok := m.bound[sg.name]; ok {
		return strings.HasPrefix(s, v) && m.match(rest, s[len(v):])
	}
	for n := 1; n <= len(s); n++ {
		// A literal next segment must follow the text bound here.
		if len(rest) > 0 && rest[0].name == "" && !strings.HasPrefix(s[n:], rest[0].lit) {
			continue
		}
		m.bound[sg.name] = s[:n]
		if m.match(rest, s[n:]) {
			return true
		}
		delete(m.bound, sg.name)
	}
	return false
}

// payload compares two payload fields, each JSON text or an already parsed
// value: as JSON values when they parse, else as text.
func (m *Matcher) payload(path string, exp, act any) string {
	d := m.try(func() string { return m.value(path, parsePayload(exp), parsePayload(act)) })
	if d == "" {
		return ""
	}
	// Text that only parses on one side (a placeholder made the
	// recording's JSON invalid, say) may still match as text.
	es, ok1 := exp.(string)
	as, ok2 := act.(string)
	if ok1 && ok2 {
		if m.try(func() string { return m.str(path, es, as) }) == "" {
			return ""
		}
	}
	return d
}

// parsePayload returns the value a payload field's JSON text holds, or v
// itself when v is not a string of JSON text.
func parsePayload(v any) any {
	s, ok := v.(string)
	if !ok {
		return v
	}
	p, err := jsonval.ParseString(s)
	if err != nil {
		return v
	}
	return p
}

func differ(path string, exp, act any) string {
	return fmt.Sprintf("at %s: expected %s, got %s", orRoot(path), show(exp), show(act))
}

func orRoot(path string) string {
	if path == "" {
		return "/"
	}
	return path
}

// show writes v as JSON, shortened to keep messages short.
func show(v any) string {
	s := jsonval.MustMarshalString(v)
	if len(s) > 120 {
		s = s[:117] + "..."
	}
	return s
}

var pointerEscaper = strings.NewReplacer("~", "~0", "/", "~1")

func escapePointer(k string) string { return pointerEscaper.Replace(k) }

// sortedKeys returns the member names of o, sorted.
func sortedKeys(o *jsonval.Object) []string {
	keys := slices.Clone(o.Keys())
	slices.Sort(keys)
	return keys
}
