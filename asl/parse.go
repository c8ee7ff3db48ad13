package asl

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"strings"

	"stepwise/jsonval"
)

// Parse parses, validates and compiles a definition. A definition with at
// least one ERROR diagnostic gives a nil StateMachine and an
// *[InvalidDefinitionError] holding those diagnostics; warnings never fail
// a parse (see [Validate] to get them).
func Parse(definition []byte) (*StateMachine, error) {
	sm, diags := parse(definition)
	if diags.HasErrors() {
		return nil, &InvalidDefinitionError{Diagnostics: diags.Errors()}
	}
	return sm, nil
}

// Validate returns every problem found in a definition, errors and
// warnings, in the order found. An empty result means the definition is
// valid and clean.
func Validate(definition []byte) Diagnostics {
	_, diags := parse(definition)
	return diags
}

func parse(definition []byte) (sm *StateMachine, diags Diagnostics) {
	p := &parser{names: map[string]string{}, labels: map[string]bool{}}
	defer func() {
		// A bug in the validator must never take a caller down with it: the
		// definition is reported invalid instead.
		if r := recover(); r != nil {
			sm = nil
			diags = append(p.diags, Diagnostic{Severity: SeverityError, Code: CodeSchema,
				Message: fmt.Sprintf("internal error while validating the definition: %v", r)})
		}
	}()
	sm = p.parseDefinition(definition)
	if p.diags.HasErrors() {
		return nil, p.diags
	}
	return sm, p.diags
}

type parser struct {
	diags  Diagnostics
	topQL  QueryLanguage
	names  map[string]string // state name -> location of its first definition
	labels map[string]bool
	all    map[string]*State
}

func (p *parser) errorf(code, loc, format string, args ...any) {
	p.diags = append(p.diags, Diagnostic{Severity: SeverityError, Code: code, Message: fmt.Sprintf(format, args...), Location: loc})
}

func (p *parser) schemaf(loc, format string, args ...any) {
	p.errorf(CodeSchema, loc, format, args...)
}

func (p *parser) warnf(code, loc, format string, args ...any) {
	p.diags = append(p.diags, Diagnostic{Severity: SeverityWarning, Code: code, Message: fmt.Sprintf(format, args...), Location: loc})
}

func (p *parser) parseDefinition(definition []byte) *StateMachine {
	if len(bytes.TrimSpace(definition)) == 0 {
		p.errorf(CodeMissingDescription, "", "The definition is empty")
		return nil
	}
	if len(definition) > maxDefinitionBytes {
		p.schemaf("", "The definition is %d bytes long; the maximum is %d", len(definition), maxDefinitionBytes)
		return nil
	}
	doc, err := jsonval.ParseWith(definition, jsonval.ParseOptions{RejectDuplicateKeys: true})
	if err != nil {
		p.errorf(CodeInvalidJSON, "", "%s", jsonMessage(err))
		return nil
	}
	top, ok := doc.(*jsonval.Object)
	if !ok {
		p.errorf(CodeInvalidJSON, "", "The definition must be a JSON object, not %s", jsonval.KindOf(doc))
		return nil
	}
	sm := &StateMachine{QueryLanguage: JSONPath, Source: bytes.Clone(definition)}
	p.all = map[string]*State{}
	r := reader{p: p, obj: top, loc: ""}
	for k := range top.All() {
		switch k {
		case "StartAt", "States", "Comment", "Version", "TimeoutSeconds", "QueryLanguage":
		default:
			p.schemaf("", "Field '%s' is not supported", k)
		}
	}
	if ql, ok := r.str("QueryLanguage"); ok {
		switch QueryLanguage(ql) {
		case JSONPath, JSONata:
			sm.QueryLanguage = QueryLanguage(ql)
		default:
			p.schemaf("/QueryLanguage", "The value for the field 'QueryLanguage' must be 'JSONPath' or 'JSONata'")
		}
	}
	p.topQL = sm.QueryLanguage
	sm.Comment, _ = r.str("Comment")
	sm.Version, _ = r.str("Version")
	if n, ok := r.integer("TimeoutSeconds", 1, maxSeconds); ok {
		sm.TimeoutSeconds = n
	}
	sm.Program = *p.parseProgram(top, "")
	sm.byName = p.all
	return sm
}

// jsonMessage turns a JSON syntax error into a message for a person.
func jsonMessage(err error) string {
	var se *jsonval.SyntaxError
	if errors.As(err, &se) {
		return fmt.Sprintf("The definition is not valid JSON: %s at character %d", se.Msg, se.Offset+1)
	}
	var de *jsonval.DuplicateKeyError
	if errors.As(err, &de) {
		return fmt.Sprintf("The definition is not valid JSON: duplicate field '%s' at character %d", de.Key, de.Offset+1)
	}
	return "The definition is not valid JSON: " + err.Error()
}

// parseProgram reads StartAt and States of the object at loc (the top
// level, a branch or an item processor) and checks its graph.
func (p *parser) parseProgram(obj *jsonval.Object, loc string) *Program {
	prog := &Program{States: map[string]*State{}}
	r := reader{p: p, obj: obj, loc: loc}
	prog.Comment, _ = r.str("Comment")
	startAt, hasStart := r.str("StartAt")
	states, hasStates := r.object("States")
	var missing []string
	if !obj.Has("StartAt") {
		missing = append(missing, "StartAt")
	}
	if !obj.Has("States") {
		missing = append(missing, "States")
	}
	if len(missing) > 0 {
		p.schemaf(locOrRoot(loc), "These fields are required: [%s]", strings.Join(missing, ", "))
	}
	prog.StartAt = startAt
	if !hasStates {
		return prog
	}
	if states.Len() == 0 {
		p.schemaf(loc+"/States", "The field 'States' must have at least one state")
	}
	for name, v := range states.All() {
		sloc := loc + "/States/" + name
		p.checkStateName(name, sloc)
		obj, ok := v.(*jsonval.Object)
		if !ok {
			p.schemaf(sloc, "The value for the state '%s' must be an OBJECT", name)
			continue
		}
		st := p.parseState(name, obj, sloc)
		prog.States[name] = st
		prog.Order = append(prog.Order, name)
		if _, dup := p.all[name]; !dup {
			p.all[name] = st
		}
	}
	if hasStart {
		if _, ok := prog.States[startAt]; !ok && states.Len() > 0 {
			p.errorf(CodeMissingTransition, loc+"/StartAt", "Missing 'StartAt' target: %s", startAt)
		}
	}
	p.checkGraph(prog, loc)
	return prog
}

func locOrRoot(loc string) string {
	if loc == "" {
		return "/"
	}
	return loc
}

func (p *parser) checkStateName(name, loc string) {
	if n := len([]rune(name)); n == 0 || n > maxStateNameLength {
		p.errorf(CodeInvalidStateName, loc, "State name '%s' must be between 1 and %d characters long", name, maxStateNameLength)
	}
	if first, dup := p.names[name]; dup {
		p.errorf(CodeDuplicateStateName, loc, "Duplicate State name: %s (first defined at %s)", name, first)
		return
	}
	p.names[name] = loc
}

// checkGraph checks that every transition of prog stays inside it, that
// every state can be reached from StartAt and that prog can end.
func (p *parser) checkGraph(prog *Program, loc string) {
	terminal := false
	for _, name := range prog.Order {
		st := prog.States[name]
		if st.End || st.Type == TypeSucceed || st.Type == TypeFail {
			terminal = true
		}
		for _, t := range transitions(st) {
			if _, ok := prog.States[t.target]; !ok {
				p.errorf(CodeMissingTransition, t.loc, "Missing '%s' target: %s", t.field, t.target)
			}
		}
	}
	if len(prog.States) > 0 && !terminal {
		p.diags = append(p.diags, Diagnostic{Severity: SeverityError, Code: CodeMissingEndState,
			Message: "Workflow has no terminal state", Location: loc})
	}
	if _, ok := prog.States[prog.StartAt]; !ok {
		return
	}
	seen := map[string]bool{prog.StartAt: true}
	queue := []string{prog.StartAt}
	for len(queue) > 0 {
		st := prog.States[queue[0]]
		queue = queue[1:]
		for _, t := range transitions(st) {
			if _, ok := prog.States[t.target]; ok && !seen[t.target] {
				seen[t.target] = true
				queue = append(queue, t.target)
			}
		}
	}
	for _, name := range prog.Order {
		if !seen[name] {
			p.errorf(CodeMissingTransition, prog.States[name].Location, "State \"%s\" is not reachable.", name)
		}
	}
}

type transition struct {
	field, target, loc string
}

func transitions(st *State) []transition {
	var out []transition
	if st.Next != "" {
		out = append(out, transition{"Next", st.Next, st.Location + "/Next"})
	}
	if st.Choice != nil {
		for i, rule := range st.Choice.Choices {
			if rule.Next != "" {
				out = append(out, transition{"Next", rule.Next, fmt.Sprintf("%s/Choices/%d/Next", st.Location, i)})
			}
		}
		if st.Choice.Default != "" {
			out = append(out, transition{"Default", st.Choice.Default, st.Location + "/Default"})
		}
	}
	for i, c := range st.Catch {
		if c.Next != "" {
			out = append(out, transition{"Next", c.Next, fmt.Sprintf("%s/Catch/%d/Next", st.Location, i)})
		}
	}
	return out
}

// reader reads typed fields of one JSON object, reporting wrong types as
// diagnostics at loc/<field>.
type reader struct {
	p   *parser
	obj *jsonval.Object
	loc string
}

func (r reader) fieldLoc(name string) string { return r.loc + "/" + name }

func (r reader) typeError(name, want string) {
	r.p.schemaf(r.fieldLoc(name), "The value for the field '%s' must be %s", name, want)
}

func (r reader) str(name string) (string, bool) {
	v, ok := r.obj.Get(name)
	if !ok {
		return "", false
	}
	s, ok := v.(string)
	if !ok {
		r.typeError(name, "a STRING")
		return "", false
	}
	return s, true
}

func (r reader) boolean(name string) (bool, bool) {
	v, ok := r.obj.Get(name)
	if !ok {
		return false, false
	}
	b, ok := v.(bool)
	if !ok {
		r.typeError(name, "a BOOLEAN")
		return false, false
	}
	return b, true
}

func (r reader) object(name string) (*jsonval.Object, bool) {
	v, ok := r.obj.Get(name)
	if !ok {
		return nil, false
	}
	o, ok := v.(*jsonval.Object)
	if !ok {
		r.typeError(name, "an OBJECT")
		return nil, false
	}
	return o, true
}

func (r reader) array(name string) ([]any, bool) {
	v, ok := r.obj.Get(name)
	if !ok {
		return nil, false
	}
	a, ok := v.([]any)
	if !ok {
		r.typeError(name, "an ARRAY")
		return nil, false
	}
	return a, true
}

// integer reads an integral number in [lo, hi].
func (r reader) integer(name string, lo, hi int64) (int64, bool) {
	v, ok := r.obj.Get(name)
	if !ok {
		return 0, false
	}
	n, ok := checkInteger(v)
	if !ok {
		r.typeError(name, "an INTEGER")
		return 0, false
	}
	if n < lo || n > hi {
		r.p.schemaf(r.fieldLoc(name), "The value for the field '%s' must be between %d and %d", name, lo, hi)
		return 0, false
	}
	return n, true
}

func checkInteger(v any) (int64, bool) {
	if _, isNum := v.(json.Number); !isNum {
		return 0, false
	}
	if !jsonval.IsIntegral(v) {
		return 0, false
	}
	n, ok := jsonval.Int(v)
	if !ok {
		f, _ := jsonval.Float(v)
		if f > 0 {
			return math.MaxInt64, true
		}
		return math.MinInt64, true
	}
	return n, true
}

// number reads any number in [lo, hi].
func (r reader) number(name string, lo, hi float64) (float64, bool) {
	v, ok := r.obj.Get(name)
	if !ok {
		return 0, false
	}
	if _, isNum := v.(json.Number); !isNum {
		r.typeError(name, "a NUMBER")
		return 0, false
	}
	f, _ := jsonval.Float(v)
	if f < lo || f > hi {
		r.p.schemaf(r.fieldLoc(name), "The value for the field '%s' must be between %s and %s", name, jsonval.FormatFloat(lo), jsonval.FormatFloat(hi))
		return 0, false
	}
	return f, true
}

// exclusive reports an error when more than one of names is present and
// returns how many are.
func (r reader) exclusive(names ...string) int {
	var present []string
	for _, n := range names {
		if r.obj.Has(n) {
			present = append(present, n)
		}
	}
	if len(present) > 1 {
		r.p.schemaf(locOrRoot(r.loc), "Only one of the fields [%s] may be set", strings.Join(present, ", "))
	}
	return len(present)
}
