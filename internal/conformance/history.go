package conformance

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"

	"stepwise/history"
	"stepwise/jsonval"
)

// payloadFields are the members of a history event's details that hold
// JSON text on the wire.
var payloadFields = map[string]bool{
	"input":      true,
	"output":     true,
	"parameters": true,
	"cause":      true,
}

// History compares an expected history, as recorded, with the history a
// run produced: each event as GetExecutionHistory would write it, parsed
// with [jsonval.Parse]. It returns "" when they match, or the first
// difference ("event 7 (PassStateExited) at /stateExitedEventDetails/output:
// ..."). Events are compared in order by type, id, previousEventId,
// timestamp and every member of their details; payload fields as described
// in the package doc.
//
// Parallel branches: the recordings of cases whose test used LocalStack's
// SfnNoneRecursiveParallelTransformer were rewritten by it, and such a
// recording is recognised by events whose id is the array [0]. The same
// rewrite is applied to actual before comparing (see [NormalizeParallel]),
// and each run of consecutive [0] events is then compared as a multiset:
// every expected event must match a distinct actual event of the run.
//
// Cases without a recorded history have a nil Expected.History; don't call
// History for them. Placeholders bound by a comparison that fails stay
// unbound.
func (m *Matcher) History(expected, actual []any) (diff string) {
	return m.try(func() string { return m.history(expected, actual) })
}

func (m *Matcher) history(expected, actual []any) string {
	if marked(expected) {
		actual = NormalizeParallel(actual)
	}
	for i := 0; i < len(expected) && i < len(actual); i++ {
		if !isBranch(expected[i]) {
			exp := expected[i]
			if alt := mapRunExitAlternative(expected, i); alt != nil && m.try(func() string { return m.event(alt, actual[i]) }) == "" {
				continue
			}
			if d := m.event(exp, actual[i]); d != "" {
				return fmt.Sprintf("event %d (%s) %s", i+1, eventType(expected[i]), d)
			}
			continue
		}
		j := i
		for j < len(expected) && isBranch(expected[j]) {
			j++
		}
		if d := m.multiset(expected[i:j], actual[i:min(j, len(actual))], i); d != "" {
			return d
		}
		i = j - 1
	}
	if len(expected) != len(actual) {
		n := min(len(expected), len(actual))
		if len(expected) > n {
			return fmt.Sprintf("history has %d events, expected %d; first missing: event %d (%s)",
				len(actual), len(expected), n+1, eventType(expected[n]))
		}
		return fmt.Sprintf("history has %d events, expected %d; first extra: event %d (%s)",
			len(actual), len(expected), n+1, eventType(actual[n]))
	}
	return ""
}

// multiset matches the Parallel branch events exp (positions from+1...) with
// act in any order.
func (m *Matcher) multiset(exp, act []any, from int) string {
	used := make([]bool, len(act))
	for k, e := range exp {
		found := false
		for a, ev := range act {
			if used[a] || !isBranch(ev) {
				continue
			}
			if m.try(func() string { return m.event(e, ev) }) == "" {
				used[a], found = true, true
				break
			}
		}
		if found {
			continue
		}
		// Explain with the nearest candidate: an unused event of the
		// same type, if any.
		why := "no actual branch event left"
		for a, ev := range act {
			if !used[a] && isBranch(ev) && eventType(ev) == eventType(e) {
				why = "closest " + m.try(func() string { return m.event(e, ev) })
				break
			}
		}
		return fmt.Sprintf("event %d (%s, Parallel branch event %d of %d, compared in any order): no match; %s",
			from+k+1, eventType(e), k+1, len(exp), why)
	}
	return ""
}

// mapRunExitAlternative handles a race in AWS's own histories: after a
// distributed Map's MapRunStarted, MapRunSucceeded and MapStateSucceeded,
// the MapStateExited event names MapRunSucceeded as its previous event in
// most recordings and MapRunStarted in some (13 against 4 in the asl
// suite). When expected[i] is such an exited event naming MapRunStarted, it
// returns a copy naming MapRunSucceeded, which is also accepted; else nil.
func mapRunExitAlternative(expected []any, i int) any {
	if i < 3 || eventType(expected[i]) != "MapStateExited" || eventType(expected[i-1]) != "MapStateSucceeded" ||
		eventType(expected[i-2]) != "MapRunSucceeded" || eventType(expected[i-3]) != "MapRunStarted" {
		return nil
	}
	ev, ok := expected[i].(*jsonval.Object)
	started, ok2 := expected[i-3].(*jsonval.Object)
	succeeded, ok3 := expected[i-2].(*jsonval.Object)
	if !ok || !ok2 || !ok3 {
		return nil
	}
	prev, _ := ev.Get("previousEventId")
	startedID, _ := started.Get("id")
	if !jsonval.Equal(prev, startedID) {
		return nil
	}
	succeededID, _ := succeeded.Get("id")
	alt := ev.Clone()
	alt.Set("previousEventId", succeededID)
	return alt
}

// event compares one event.
func (m *Matcher) event(exp, act any) string {
	oe, ok1 := exp.(*jsonval.Object)
	oa, ok2 := act.(*jsonval.Object)
	if !ok1 || !ok2 {
		return m.value("", exp, act)
	}
	for _, k := range sortedKeys(oe) {
		ve, _ := oe.Get(k)
		va, ok := oa.Get(k)
		if !ok {
			return fmt.Sprintf("at /%s: member is missing", k)
		}
		if !strings.HasSuffix(k, "EventDetails") {
			if d := m.value("/"+k, ve, va); d != "" {
				return d
			}
			continue
		}
		if d := m.details("/"+k, ve, va); d != "" {
			return d
		}
	}
	for _, k := range oa.Keys() {
		if !oe.Has(k) {
			return fmt.Sprintf("at /%s: unexpected member", k)
		}
	}
	return ""
}

// details compares the details block of an event.
func (m *Matcher) details(path string, exp, act any) string {
	oe, ok1 := exp.(*jsonval.Object)
	oa, ok2 := act.(*jsonval.Object)
	if !ok1 || !ok2 {
		return m.value(path, exp, act)
	}
	for _, k := range sortedKeys(oe) {
		ve, _ := oe.Get(k)
		va, ok := oa.Get(k)
		p := path + "/" + escapePointer(k)
		if !ok {
			return fmt.Sprintf("at %s: member is missing", p)
		}
		var d string
		switch {
		case payloadFields[k]:
			d = m.payload(p, ve, va)
		case k == "assignedVariables":
			d = m.variables(p, ve, va)
		default:
			d = m.value(p, ve, va)
		}
		if d != "" {
			return d
		}
	}
	for _, k := range oa.Keys() {
		if !oe.Has(k) {
			return fmt.Sprintf("at %s/%s: unexpected member", path, escapePointer(k))
		}
	}
	return ""
}

// variables compares assignedVariables: names as they are, values as
// payloads.
func (m *Matcher) variables(path string, exp, act any) string {
	oe, ok1 := exp.(*jsonval.Object)
	oa, ok2 := act.(*jsonval.Object)
	if !ok1 || !ok2 {
		return m.value(path, exp, act)
	}
	for _, k := range sortedKeys(oe) {
		ve, _ := oe.Get(k)
		va, ok := oa.Get(k)
		if !ok {
			return fmt.Sprintf("at %s: variable %q is missing", path, k)
		}
		if d := m.payload(path+"/"+escapePointer(k), ve, va); d != "" {
			return d
		}
	}
	for _, k := range oa.Keys() {
		if !oe.Has(k) {
			return fmt.Sprintf("at %s: unexpected variable %q", path, k)
		}
	}
	return ""
}

// Parallel event types that end the branch events in LocalStack's
// SfnNoneRecursiveParallelTransformer.
var parallelEnds = map[string]bool{
	"ParallelStateSucceeded": true,
	"ParallelStateAborted":   true,
	"ParallelStateExited":    true,
	"ParallelStateFailed":    true,
}

// NormalizeParallel returns a copy of events (GetExecutionHistory events as
// [jsonval] objects) rewritten as LocalStack's
// SfnNoneRecursiveParallelTransformer rewrote the recordings that used it.
// The events are not modified. Its rule, exactly:
//
//   - after a ParallelStateStarted event, every event up to the next
//     ParallelStateSucceeded, -Failed, -Aborted or -Exited is a branch
//     event: its id becomes the array [0] and its previousEventId 0 (the
//     transformer also sorted them, which is why they compare in any
//     order);
//   - each of those four event types then replaces the events from just
//     after the last ParallelStateStarted up to itself with the branch
//     events. For the first one nothing changes; a second one (the
//     ParallelStateExited after a ParallelStateSucceeded or
//     ParallelStateFailed) thus deletes the event before it, which is why
//     the recordings lack ParallelStateSucceeded, and ParallelStateFailed
//     when a Catch follows, and ids jump by one there;
//   - the loop then goes on at the next position of the shortened list,
//     skipping the event right after such a deletion.
func NormalizeParallel(events []any) []any {
	evs := slices.Clone(events)
	start := 0 // Python's events[None:i] starts at 0 too
	var branch []any
	in := false
	for i := 0; i < len(evs); i++ {
		typ := eventType(evs[i])
		switch {
		case typ == "":
			in = false
		case parallelEnds[typ]:
			evs = slices.Concat(evs[:start], branch, evs[i:])
			in = false
		case typ == "ParallelStateStarted":
			in = true
			branch = nil
			start = i + 1
		case in:
			if o, ok := evs[i].(*jsonval.Object); ok {
				o = o.Clone()
				o.Set("id", []any{json.Number("0")})
				o.Set("previousEventId", json.Number("0"))
				evs[i] = o
			}
			branch = append(branch, evs[i])
		}
	}
	return evs
}

// marked reports whether a recorded history was rewritten by the Parallel
// transformer.
func marked(events []any) bool {
	return slices.ContainsFunc(events, isBranch)
}

// isBranch reports whether ev is a Parallel branch event marked by the
// transformer: its id is an array.
func isBranch(ev any) bool {
	o, ok := ev.(*jsonval.Object)
	if !ok {
		return false
	}
	id, _ := o.Get("id")
	_, ok = id.([]any)
	return ok
}

func eventType(ev any) string {
	if o, ok := ev.(*jsonval.Object); ok {
		if t, ok := o.Get("type"); ok {
			if s, ok := t.(string); ok {
				return s
			}
		}
	}
	return ""
}

// WireEvent returns a recorded event rewritten into the shape
// GetExecutionHistory gives it, so that it decodes into a history.Event:
// payload fields the recording parsed become compact JSON text again, the
// "timestamp" placeholder becomes the number 0 and a Parallel branch id
// [0] becomes 0. Placeholders inside strings are kept. The event is not
// modified.
func WireEvent(recorded any) (any, error) {
	o, ok := recorded.(*jsonval.Object)
	if !ok {
		return nil, fmt.Errorf("conformance: event is a %s, not an object", jsonval.KindOf(recorded))
	}
	o = o.Clone()
	if ts, _ := o.Get("timestamp"); jsonval.KindOf(ts) != jsonval.Number {
		o.Set("timestamp", json.Number("0"))
	}
	if id, _ := o.Get("id"); jsonval.KindOf(id) == jsonval.Array {
		o.Set("id", json.Number("0"))
	}
	for k, v := range o.All() {
		d, ok := v.(*jsonval.Object)
		if !strings.HasSuffix(k, "EventDetails") || !ok {
			continue
		}
		d = d.Clone()
		for dk, dv := range d.All() {
			switch {
			case payloadFields[dk]:
				d.Set(dk, asText(dv))
			case dk == "assignedVariables":
				if vars, ok := dv.(*jsonval.Object); ok {
					vars = vars.Clone()
					for name, val := range vars.All() {
						vars.Set(name, asText(val))
					}
					d.Set(dk, vars)
				}
			}
		}
		o.Set(k, d)
	}
	return o, nil
}

// asText returns a payload as JSON text: strings as they are, parsed
// values encoded.
func asText(v any) any {
	if _, ok := v.(string); ok {
		return v
	}
	return jsonval.MustMarshalString(v)
}

// Actual turns the events a run produced into the form [Matcher.History]
// takes: each event encoded as GetExecutionHistory writes it, then parsed
// with [jsonval.Parse]. It fails if an event does not encode.
func Actual(events []history.Event) ([]any, error) {
	out := make([]any, 0, len(events))
	for i := range events {
		b, err := events[i].MarshalJSON()
		if err != nil {
			return nil, fmt.Errorf("conformance: encode event %d: %w", events[i].ID, err)
		}
		v, err := jsonval.Parse(b)
		if err != nil {
			return nil, fmt.Errorf("conformance: parse event %d: %w", events[i].ID, err)
		}
		out = append(out, v)
	}
	return out, nil
}
