package asl

import (
	"errors"
	"strconv"
	"strings"

	"stepwise/jsonval"
	"stepwise/resource"
)

const transitionTypes = tPass | tTask | tWait | tParallel | tMap

// parseState reads one state. Problems are recorded as diagnostics; the
// returned State holds whatever could be read, so that graph checks still
// run on a definition with other errors.
func (p *parser) parseState(name string, obj *jsonval.Object, loc string) *State {
	st := &State{Name: name, Location: loc, QueryLanguage: p.topQL}
	r := reader{p: p, obj: obj, loc: loc}
	typ, ok := r.str("Type")
	if !obj.Has("Type") {
		p.schemaf(loc, "These fields are required: [Type]")
		st.Flow = newFlow(st)
		return st
	}
	bit, known := typeBits[StateType(typ)]
	if !ok || !known {
		p.schemaf(loc+"/Type", "The value for the field 'Type' must be one of [Pass, Task, Choice, Wait, Succeed, Fail, Parallel, Map]")
		st.Flow = newFlow(st)
		return st
	}
	st.Type = StateType(typ)
	st.Comment, _ = r.str("Comment")
	p.stateLanguage(st, r)
	allowed := p.checkFields(st, bit, r)

	if bit&transitionTypes != 0 {
		p.readTransition(st, r)
	}
	p.readDataFlow(st, r, allowed)

	switch st.Type {
	case TypePass:
		if v, ok := obj.Get("Result"); ok && allowed["Result"] {
			st.Result, st.HasResult = v, true
			if hasDollarKeys(v) {
				p.warnf(CodePassResultIsStatic, loc+"/Result", "The Result of a Pass state is static: fields ending in '.$' are not evaluated; use Parameters")
			}
		}
	case TypeTask:
		st.Task = p.parseTask(st, r, allowed)
	case TypeChoice:
		st.Choice = p.parseChoice(st, r)
	case TypeWait:
		st.Wait = p.parseWait(st, r, allowed)
	case TypeFail:
		st.Fail = p.parseFail(st, r, allowed)
	case TypeParallel:
		st.Parallel = p.parseParallel(st, r)
	case TypeMap:
		st.Map = p.parseMap(st, r, allowed)
	}
	if bit&(tTask|tParallel|tMap) != 0 {
		st.Retry = p.parseRetry(st, r)
		st.Catch = p.parseCatch(st, r)
	}
	st.Flow = newFlow(st)
	return st
}

func (p *parser) stateLanguage(st *State, r reader) {
	ql, ok := r.str("QueryLanguage")
	if !ok {
		return
	}
	switch QueryLanguage(ql) {
	case JSONata:
		st.QueryLanguage = JSONata
	case JSONPath:
		if p.topQL == JSONata {
			p.schemaf(st.Location, "'QueryLanguage' can not be 'JSONPath' if set to 'JSONata' for whole state machine")
			return
		}
		st.QueryLanguage = JSONPath
	default:
		p.schemaf(st.Location+"/QueryLanguage", "The value for the field 'QueryLanguage' must be 'JSONPath' or 'JSONata'")
	}
}

// checkFields reports fields the state's type or query language does not
// support and returns the set of fields that may be read.
func (p *parser) checkFields(st *State, bit typeSet, r reader) map[string]bool {
	allowed := make(map[string]bool, r.obj.Len())
	for k := range r.obj.All() {
		rule, ok := stateFields[k]
		switch {
		case !ok || rule.types&bit == 0:
			p.schemaf(st.Location, "Field '%s' is not supported", k)
		case rule.lang == onlyJSONPath && st.QueryLanguage == JSONata:
			p.schemaf(st.Location, "The QueryLanguage is set to 'JSONata', but field '%s' is only supported for the 'JSONPath' QueryLanguage", k)
		case rule.lang == onlyJSONata && st.QueryLanguage == JSONPath:
			p.schemaf(st.Location, "The QueryLanguage is set to 'JSONPath', but field '%s' is only supported for the 'JSONata' QueryLanguage", k)
		default:
			allowed[k] = true
		}
	}
	return allowed
}

func (p *parser) readTransition(st *State, r reader) {
	next, hasNext := r.str("Next")
	end, hasEnd := r.boolean("End")
	switch {
	case r.obj.Has("Next") && r.obj.Has("End"):
		p.schemaf(st.Location, "Only one of the fields [Next, End] may be set")
	case hasEnd && !end:
		p.schemaf(st.Location+"/End", "The value for the field 'End' must be true when set")
	case !r.obj.Has("Next") && !r.obj.Has("End"):
		p.schemaf(st.Location, "These fields are required: [Next] (or End: true)")
	}
	if hasNext {
		st.Next = next
	}
	st.End = hasEnd && end && !hasNext
}

// readDataFlow reads the input/output processing fields shared by state
// types, in the state's query language.
func (p *parser) readDataFlow(st *State, r reader, allowed map[string]bool) {
	loc := st.Location
	if allowed["InputPath"] {
		st.InputPath = p.ioPath(r, "InputPath")
	}
	if allowed["OutputPath"] {
		st.OutputPath = p.ioPath(r, "OutputPath")
	}
	if allowed["Parameters"] && st.Type != TypeMap {
		v, _ := r.obj.Get("Parameters")
		st.Parameters = p.template(v, loc+"/Parameters")
	}
	if allowed["ResultSelector"] {
		v, _ := r.obj.Get("ResultSelector")
		st.ResultSelector = p.template(v, loc+"/ResultSelector")
	}
	if allowed["ResultPath"] {
		st.ResultPath = p.resultPath(r, "ResultPath")
	}
	if allowed["Arguments"] {
		v, _ := r.obj.Get("Arguments")
		st.Arguments = p.jsonataTemplate(v, loc+"/Arguments")
	}
	if allowed["Output"] {
		v, _ := r.obj.Get("Output")
		st.Output = p.jsonataTemplate(v, loc+"/Output")
	}
	if allowed["Assign"] {
		v, _ := r.obj.Get("Assign")
		st.Assign = p.assign(v, loc+"/Assign", st.QueryLanguage)
	}
}

func (p *parser) parseTask(st *State, r reader, allowed map[string]bool) *TaskFields {
	t := &TaskFields{}
	if !r.obj.Has("Resource") {
		p.schemaf(st.Location, "These fields are required: [Resource]")
	} else if res, ok := r.str("Resource"); ok {
		t.Resource = res
		t.ParsedResource = resource.Parse(res)
		p.checkResource(t.ParsedResource, st.Location+"/Resource")
	}
	if v, ok := r.obj.Get("Credentials"); ok {
		if _, isObj := v.(*jsonval.Object); !isObj {
			r.typeError("Credentials", "an OBJECT")
		} else {
			if st.QueryLanguage == JSONPath {
				t.Credentials = p.template(v, st.Location+"/Credentials")
			} else {
				t.Credentials = &Template{Raw: v, JSONata: p.jsonataTemplate(v, st.Location+"/Credentials")}
			}
		}
	}
	t.TimeoutSeconds = p.intField(st, r, allowed, "TimeoutSeconds", 1, maxSeconds)
	t.HeartbeatSeconds = p.intField(st, r, allowed, "HeartbeatSeconds", 1, maxSeconds)
	if t.TimeoutSeconds.Set && t.HeartbeatSeconds.Set && t.TimeoutSeconds.Path == nil && t.HeartbeatSeconds.Path == nil &&
		t.TimeoutSeconds.Expr == nil && t.HeartbeatSeconds.Expr == nil && t.HeartbeatSeconds.Value >= t.TimeoutSeconds.Value {
		p.schemaf(st.Location+"/HeartbeatSeconds", "The value for the field 'HeartbeatSeconds' must be smaller than the value for the field 'TimeoutSeconds'")
	}
	return t
}

// checkResource reports a Resource AWS refuses (see [resource.Resource.Err]):
// empty, a malformed ARN, a malformed Lambda function ARN, or an unknown
// action of an aws-sdk service Stepwise includes. Text that is
// no ARN is accepted: the ASL specification only asks for a URI, and
// definitions are often validated before deployment tools replace
// placeholders in them; such a resource fails when the task runs.
func (p *parser) checkResource(r resource.Resource, loc string) {
	var re *resource.Error
	if errors.As(r.Err(), &re) {
		p.errorf(CodeInvalidResource, loc, "%s: '%s'", re.Reason, r.Text)
		return
	}
	// An included aws-sdk service's unknown action (GetObject for
	// getObject, a typo) is refused here, as AWS refuses it on create,
	// rather than failing every execution that reaches the state.
	if r.UnknownSDKAction() {
		p.errorf(CodeInvalidResource, loc, "The resource provided %s is not recognized. The value is not a valid resource ARN, or the resource is not available in this region.", r.Text)
	}
}

// intField reads NAME, NAME+"Path" and, under JSONata, a "{% %}" string in
// NAME.
func (p *parser) intField(st *State, r reader, allowed map[string]bool, name string, lo, hi int64) IntField {
	return numberField(p, st, r, allowed, name, func() (int64, bool) { return r.integer(name, lo, hi) })
}

// numberField reads NAME, NAME+"Path" and, under JSONata, a "{% %}" string
// in NAME; read reads the static form.
func numberField[T int64 | float64](p *parser, st *State, r reader, allowed map[string]bool, name string, read func() (T, bool)) NumberField[T] {
	var f NumberField[T]
	if r.exclusive(name, name+"Path") > 1 {
		return f
	}
	if allowed[name+"Path"] {
		f.Path = p.pathField(r, name+"Path")
		f.Set = f.Path != nil
		return f
	}
	if !allowed[name] {
		return f
	}
	v, _ := r.obj.Get(name)
	if s, isStr := v.(string); isStr && st.QueryLanguage == JSONata {
		if expr, ok := p.jsonataString(s, r.fieldLoc(name)); ok {
			f.Expr, f.Set = expr, expr != nil
			return f
		}
	}
	f.Value, f.Set = read()
	return f
}

func (p *parser) parseWait(st *State, r reader, allowed map[string]bool) *WaitFields {
	w := &WaitFields{}
	n := r.exclusive("Seconds", "SecondsPath", "Timestamp", "TimestampPath")
	if n == 0 {
		p.schemaf(st.Location, "These fields are required: one of [Seconds, SecondsPath, Timestamp, TimestampPath]")
	}
	if n != 1 {
		return w
	}
	w.Seconds = p.intField(st, r, allowed, "Seconds", 0, maxSeconds)
	if allowed["TimestampPath"] {
		w.TimestampPath = p.pathField(r, "TimestampPath")
	}
	if allowed["Timestamp"] {
		s, ok := r.str("Timestamp")
		if !ok {
			return w
		}
		if st.QueryLanguage == JSONata {
			if expr, isExpr := p.jsonataString(s, r.fieldLoc("Timestamp")); isExpr {
				w.TimestampExpr = expr
				return w
			}
		}
		if !validTimestamp(s) {
			p.schemaf(r.fieldLoc("Timestamp"), "The value for the field 'Timestamp' must be a valid ISO-8601 timestamp: '%s'", s)
		}
		w.Timestamp = s
	}
	return w
}

func (p *parser) parseFail(st *State, r reader, allowed map[string]bool) *FailFields {
	f := &FailFields{}
	for _, name := range []string{"Error", "Cause"} {
		if r.exclusive(name, name+"Path") > 1 {
			continue
		}
		var (
			text  string
			isSet bool
		)
		if allowed[name] {
			text, isSet = r.str(name)
			if isSet && st.QueryLanguage == JSONata {
				if expr, ok := p.jsonataString(text, r.fieldLoc(name)); ok {
					if name == "Error" {
						f.ErrorExpr = expr
					} else {
						f.CauseExpr = expr
					}
				}
			}
		}
		if allowed[name+"Path"] {
			if s, ok := r.str(name + "Path"); ok {
				isSet = true
				path, fn := p.pathOrIntrinsic(s, r.fieldLoc(name+"Path"), name+"Path")
				if name == "Error" {
					f.ErrorPath, f.ErrorIntrinsic = path, fn
				} else {
					f.CausePath, f.CauseIntrinsic = path, fn
				}
			}
		}
		if name == "Error" {
			f.Error, f.HasError = text, isSet
		} else {
			f.Cause, f.HasCause = text, isSet
		}
	}
	return f
}

func (p *parser) parseParallel(st *State, r reader) *ParallelFields {
	par := &ParallelFields{}
	if !r.obj.Has("Branches") {
		p.schemaf(st.Location, "These fields are required: [Branches]")
		return par
	}
	branches, ok := r.array("Branches")
	if !ok {
		return par
	}
	if len(branches) == 0 {
		p.schemaf(st.Location+"/Branches", "The field 'Branches' must have at least one branch")
	}
	for i, b := range branches {
		bloc := st.Location + "/Branches/" + strconv.Itoa(i)
		obj, ok := b.(*jsonval.Object)
		if !ok {
			p.schemaf(bloc, "Each branch must be an OBJECT")
			continue
		}
		p.checkProgramFields(obj, bloc, false)
		par.Branches = append(par.Branches, p.parseProgram(obj, bloc))
	}
	return par
}

// checkProgramFields reports fields a branch or item processor may not have.
func (p *parser) checkProgramFields(obj *jsonval.Object, loc string, processor bool) {
	for k := range obj.All() {
		switch k {
		case "StartAt", "States", "Comment":
		case "ProcessorConfig":
			if !processor {
				p.schemaf(loc, "Field '%s' is not supported", k)
			}
		default:
			p.schemaf(loc, "Field '%s' is not supported", k)
		}
	}
}

func hasDollarKeys(v any) bool {
	switch x := v.(type) {
	case *jsonval.Object:
		for k, e := range x.All() {
			if strings.HasSuffix(k, ".$") || hasDollarKeys(e) {
				return true
			}
		}
	case []any:
		for _, e := range x {
			if hasDollarKeys(e) {
				return true
			}
		}
	}
	return false
}
