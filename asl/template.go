package asl

import (
	"strconv"
	"strings"
	"unicode"

	"stepwise/dataflow"
	"stepwise/jsonval"
)

// ioPath reads an InputPath or OutputPath: a JSONPath, or null.
func (p *parser) ioPath(r reader, name string) PathField {
	v, _ := r.obj.Get(name)
	if v == nil {
		return PathField{Set: true, Null: true}
	}
	s, ok := v.(string)
	if !ok {
		r.typeError(name, "a STRING holding a JSONPath, or null")
		return PathField{}
	}
	return PathField{Set: true, Path: p.compilePath(s, r.fieldLoc(name), name)}
}

// resultPath reads a ResultPath: a reference path into the state input, or
// null. It may not name the context object or a variable.
func (p *parser) resultPath(r reader, name string) ResultPathField {
	v, ok := r.obj.Get(name)
	if !ok {
		return ResultPathField{}
	}
	if v == nil {
		return ResultPathField{Set: true, Null: true}
	}
	s, ok := v.(string)
	if !ok {
		r.typeError(name, "a STRING holding a reference path, or null")
		return ResultPathField{}
	}
	loc := r.fieldLoc(name)
	if strings.HasPrefix(s, "$$") || (len(s) > 1 && s[0] == '$' && s[1] != '.' && s[1] != '[') {
		p.schemaf(loc, "The value for the field '%s' must be a reference path into the state's input, not the context object or a variable: '%s'", name, s)
		return ResultPathField{}
	}
	rp, err := dataflow.CompileReferencePath(s)
	if err != nil {
		p.schemaf(loc, "The value for the field '%s' must be a valid reference path: %s", name, reason(err))
		return ResultPathField{}
	}
	return ResultPathField{Set: true, Path: rp}
}

// pathField reads a ...Path field holding a JSONPath (to the input, the
// context object or a variable).
func (p *parser) pathField(r reader, name string) *dataflow.Path {
	s, ok := r.str(name)
	if !ok {
		return nil
	}
	return p.compilePath(s, r.fieldLoc(name), name)
}

func (p *parser) compilePath(s, loc, field string) *dataflow.Path {
	path, err := dataflow.CompilePath(s)
	if err != nil {
		p.schemaf(loc, "The value for the field '%s' must be a valid JSONPath: %s", field, reason(err))
		return nil
	}
	return path
}

// pathOrIntrinsic compiles a value that may be a path or an intrinsic
// function call (a "...Path" field of a Fail state, a ".$" template value).
func (p *parser) pathOrIntrinsic(s, loc, field string) (*dataflow.Path, *dataflow.Intrinsic) {
	if strings.HasPrefix(s, "States.") {
		fn, err := dataflow.CompileIntrinsic(s)
		if err != nil {
			p.schemaf(loc, "The value for the field '%s' must be a valid JSONPath or a valid intrinsic function call: %s", field, reason(err))
			return nil, nil
		}
		return nil, fn
	}
	path, err := dataflow.CompilePath(s)
	if err != nil {
		p.schemaf(loc, "The value for the field '%s' must be a valid JSONPath or a valid intrinsic function call: %s", field, reason(err))
		return nil, nil
	}
	return path, nil
}

func reason(err error) string {
	msg := err.Error()
	if i := strings.Index(msg, ": "); i >= 0 && strings.HasPrefix(msg, "dataflow") {
		return msg[i+2:]
	}
	return msg
}

// template checks and compiles a JSONPath payload template (Parameters,
// ResultSelector, ItemSelector, ItemReader Parameters). It reports every
// bad ".$" field, not only the first.
func (p *parser) template(v any, loc string) *Template {
	before := len(p.diags.Errors())
	p.checkTemplate(v, loc)
	if len(p.diags.Errors()) > before {
		return nil
	}
	compiled, err := dataflow.CompileTemplate(v)
	if err != nil {
		p.schemaf(loc, "%s", reason(err))
		return nil
	}
	return &Template{Raw: v, Compiled: compiled}
}

func (p *parser) checkTemplate(v any, loc string) {
	switch x := v.(type) {
	case *jsonval.Object:
		seen := make(map[string]bool, x.Len())
		for k, e := range x.All() {
			kloc := loc + "/" + k
			name, dynamic := strings.CutSuffix(k, ".$")
			if seen[name] {
				p.schemaf(kloc, "The field '%s' appears twice once the '.$' suffix is removed", name)
			}
			seen[name] = true
			if !dynamic {
				if s, ok := e.(string); ok && (strings.HasPrefix(s, "$.") || strings.HasPrefix(s, "$$.")) {
					p.warnf(CodeNoDollar, kloc, "The value of field '%s' looks like a JSONPath, but the field name does not end with '.$'", k)
				}
				p.checkTemplate(e, kloc)
				continue
			}
			s, ok := e.(string)
			if !ok {
				p.schemaf(kloc, "The value for the field '%s' must be a STRING that contains a JSONPath or an intrinsic function call", k)
				continue
			}
			p.pathOrIntrinsic(s, kloc, k)
		}
	case []any:
		for i, e := range x {
			p.checkTemplate(e, loc+"/"+strconv.Itoa(i))
		}
	}
}

// assign checks a state's or catcher's Assign block. Under JSONPath its
// values follow payload-template rules; under JSONata they may hold
// expressions.
func (p *parser) assign(v any, loc string, ql QueryLanguage) *Assign {
	obj, ok := v.(*jsonval.Object)
	if !ok {
		p.schemaf(loc, "The value for the field 'Assign' must be an OBJECT")
		return nil
	}
	for k := range obj.All() {
		name := k
		if ql == JSONPath {
			name = strings.TrimSuffix(k, ".$")
		}
		if !validVariableName(name) {
			p.schemaf(loc+"/"+k, "'%s' is not a valid variable name: it must start with a letter or '_' and contain only letters, digits and '_'", name)
		}
	}
	if ql == JSONata {
		return &Assign{Raw: v, JSONata: p.jsonataTemplate(v, loc)}
	}
	t := p.template(v, loc)
	if t == nil {
		return nil
	}
	return &Assign{Raw: v, Compiled: t.Compiled}
}

func validVariableName(s string) bool {
	if s == "" || len([]rune(s)) > maxStateNameLength {
		return false
	}
	for i, c := range s {
		switch {
		case c == '_' || unicode.IsLetter(c):
		case i > 0 && unicode.IsDigit(c):
		default:
			return false
		}
	}
	return true
}

// jsonataTemplate checks every "{% %}" string inside a JSONata field value
// and returns the compiled value, or nil when any expression is invalid.
func (p *parser) jsonataTemplate(v any, loc string) *dataflow.JSONataTemplate {
	before := len(p.diags.Errors())
	p.checkJSONataValue(v, loc)
	if len(p.diags.Errors()) > before {
		return nil
	}
	t, err := dataflow.CompileJSONata(v)
	if err != nil {
		p.schemaf(loc, "%s", reason(err))
		return nil
	}
	return t
}

func (p *parser) checkJSONataValue(v any, loc string) {
	switch x := v.(type) {
	case string:
		p.jsonataString(x, loc)
	case *jsonval.Object:
		for k, e := range x.All() {
			p.checkJSONataValue(e, loc+"/"+k)
		}
	case []any:
		for i, e := range x {
			p.checkJSONataValue(e, loc+"/"+strconv.Itoa(i))
		}
	}
}

// jsonataString reports whether s is a JSONata expression ("{% ... %}")
// and, if it is, returns it compiled (nil when its syntax is wrong, which is
// recorded as a diagnostic at loc). Other strings are literals.
func (p *parser) jsonataString(s, loc string) (*dataflow.JSONataTemplate, bool) {
	expr, ok := JSONataExpression(s)
	if !ok {
		return nil, false
	}
	if strings.TrimSpace(expr) == "" {
		p.schemaf(loc, "The JSONata expression '%s' is empty", s)
		return nil, true
	}
	if _, err := dataflow.CompileJSONataExpression(strings.TrimSpace(expr)); err != nil {
		p.schemaf(loc, "The JSONata expression '%s' is not valid: %s", s, reason(err))
		return nil, true
	}
	t, err := dataflow.CompileJSONata(s)
	if err != nil {
		p.schemaf(loc, "%s", reason(err))
		return nil, true
	}
	return t, true
}

// JSONataExpression reports whether s is a JSONata expression string, that
// is, it starts with "{%" and ends with "%}", and returns the text between
// the delimiters.
func JSONataExpression(s string) (string, bool) {
	if len(s) < 4 || !strings.HasPrefix(s, "{%") || !strings.HasSuffix(s, "%}") {
		return "", false
	}
	return s[2 : len(s)-2], true
}
