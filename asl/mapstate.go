package asl

import (
	"stepwise/jsonval"
	"stepwise/resource"
)

func (p *parser) parseMap(st *State, r reader, allowed map[string]bool) *MapFields {
	m := &MapFields{Mode: ModeInline}
	loc := st.Location
	switch r.exclusive("ItemProcessor", "Iterator") {
	case 0:
		p.schemaf(loc, "These fields are required: [ItemProcessor]")
	case 1:
		name := "ItemProcessor"
		if r.obj.Has("Iterator") {
			name = "Iterator"
		}
		if obj, ok := r.object(name); ok {
			ploc := loc + "/" + name
			p.checkProgramFields(obj, ploc, true)
			if obj.Has("QueryLanguage") {
				p.schemaf(ploc, "Field 'QueryLanguage' is not supported")
			}
			p.processorConfig(m, obj, ploc)
			m.Processor = p.parseProgram(obj, ploc)
		}
	}
	r.exclusive("ItemsPath", "Items")
	if allowed["ItemsPath"] {
		v, _ := r.obj.Get("ItemsPath")
		if s, ok := v.(string); ok {
			m.ItemsPath = PathField{Set: true, Path: p.compilePath(s, r.fieldLoc("ItemsPath"), "ItemsPath")}
		} else {
			r.typeError("ItemsPath", "a STRING holding a JSONPath")
		}
	}
	if allowed["Items"] {
		v, _ := r.obj.Get("Items")
		switch x := v.(type) {
		case string:
			expr, ok := p.jsonataString(x, r.fieldLoc("Items"))
			if !ok {
				r.typeError("Items", "an ARRAY or a JSONata expression")
			}
			m.Items = expr
		case []any:
			m.Items = p.jsonataTemplate(x, r.fieldLoc("Items"))
		default:
			r.typeError("Items", "an ARRAY or a JSONata expression")
		}
	}
	if r.exclusive("ItemSelector", "Parameters") == 1 {
		name := "ItemSelector"
		if r.obj.Has("Parameters") {
			name = "Parameters"
		}
		v, _ := r.obj.Get(name)
		if st.QueryLanguage == JSONata {
			m.ItemSelectorJSONata = p.jsonataTemplate(v, r.fieldLoc(name))
		} else if allowed[name] {
			m.ItemSelector = p.template(v, r.fieldLoc(name))
		}
	}
	m.MaxConcurrency = p.intField(st, r, allowed, "MaxConcurrency", 0, 1<<31-1)
	m.ToleratedFailureCount = p.intField(st, r, allowed, "ToleratedFailureCount", 0, 1<<31-1)
	m.ToleratedFailurePercentage = p.percentField(st, r, allowed)
	if label, ok := r.str("Label"); ok {
		p.checkLabel(label, r.fieldLoc("Label"))
		m.Label = label
	}
	if v, ok := r.obj.Get("ItemReader"); ok {
		m.ItemReader = v
		p.itemReader(v, r.fieldLoc("ItemReader"), st.QueryLanguage)
		p.notSupported(r.fieldLoc("ItemReader"), "ItemReader", "read the Map's items from the source it names")
	}
	if v, ok := r.obj.Get("ItemBatcher"); ok {
		m.ItemBatcher = v
		m.Batcher = p.itemBatcher(v, r.fieldLoc("ItemBatcher"), st.QueryLanguage)
	}
	if v, ok := r.obj.Get("ResultWriter"); ok {
		m.ResultWriter = v
		if _, isObj := v.(*jsonval.Object); !isObj {
			r.typeError("ResultWriter", "an OBJECT")
		} else if st.QueryLanguage == JSONata {
			p.jsonataTemplate(v, r.fieldLoc("ResultWriter"))
		}
		p.notSupported(r.fieldLoc("ResultWriter"), "ResultWriter", "write the Map's results where it names")
	}
	return m
}

// notSupported warns that a Map field is valid but not carried out yet
// (issue 14: the items were silently taken from the state's input and the
// results never written, while validation said OK).
func (p *parser) notSupported(loc, field, what string) {
	p.warnf(CodeNotSupported, loc, "Stepwise does not support the Map field '%s' yet (it would %s): an execution fails with States.Runtime when it reaches this state", field, what)
}

func (p *parser) processorConfig(m *MapFields, proc *jsonval.Object, loc string) {
	r := reader{p: p, obj: proc, loc: loc}
	cfg, ok := r.object("ProcessorConfig")
	if !ok {
		return
	}
	cr := reader{p: p, obj: cfg, loc: loc + "/ProcessorConfig"}
	for k := range cfg.All() {
		if k != "Mode" && k != "ExecutionType" {
			p.schemaf(cr.loc, "Field '%s' is not supported", k)
		}
	}
	if mode, ok := cr.str("Mode"); ok {
		switch ProcessorMode(mode) {
		case ModeInline, ModeDistributed:
			m.Mode = ProcessorMode(mode)
		default:
			p.schemaf(cr.fieldLoc("Mode"), "The value for the field 'Mode' must be one of [INLINE, DISTRIBUTED]")
		}
	}
	if et, ok := cr.str("ExecutionType"); ok {
		if et != "STANDARD" && et != "EXPRESS" {
			p.schemaf(cr.fieldLoc("ExecutionType"), "The value for the field 'ExecutionType' must be one of [STANDARD, EXPRESS]")
		}
		m.ExecutionType = et
	}
	if m.Mode == ModeDistributed && m.ExecutionType == "" {
		p.schemaf(cr.loc, "These fields are required: [ExecutionType]")
	}
}

func (p *parser) percentField(st *State, r reader, allowed map[string]bool) FloatField {
	const name = "ToleratedFailurePercentage"
	return numberField(p, st, r, allowed, name, func() (float64, bool) { return r.number(name, 0, 100) })
}

// checkLabel applies AWS's rules for Map labels: at most 40 characters,
// none of the characters forbidden in ARN resource names, unique per machine.
func (p *parser) checkLabel(label, loc string) {
	if n := len([]rune(label)); n == 0 || n > maxLabelLength || !validName(label) {
		p.errorf(CodeInvalidLabel, loc, "Label '%s' must be 1 to %d characters long and may not contain whitespace, brackets, wildcards, special characters or control characters", label, maxLabelLength)
		return
	}
	if p.labels[label] {
		p.errorf(CodeDuplicateLabel, loc, "Duplicate Label name: %s", label)
	}
	p.labels[label] = true
}

func (p *parser) itemReader(v any, loc string, ql QueryLanguage) {
	obj, ok := v.(*jsonval.Object)
	if !ok {
		p.schemaf(loc, "The value for the field 'ItemReader' must be an OBJECT")
		return
	}
	r := reader{p: p, obj: obj, loc: loc}
	for k := range obj.All() {
		switch k {
		case "Resource", "ReaderConfig", "Parameters", "Arguments":
		default:
			p.schemaf(loc, "Field '%s' is not supported", k)
		}
	}
	if !obj.Has("Resource") {
		p.schemaf(loc, "These fields are required: [Resource]")
	} else if res, ok := r.str("Resource"); ok {
		p.checkResource(resource.Parse(res), loc+"/Resource")
	}
	if ql == JSONata {
		if obj.Has("Parameters") {
			p.schemaf(loc, "The QueryLanguage is set to 'JSONata', but field 'Parameters' is only supported for the 'JSONPath' QueryLanguage")
		}
		if a, ok := obj.Get("Arguments"); ok {
			p.jsonataTemplate(a, loc+"/Arguments")
		}
	} else {
		if obj.Has("Arguments") {
			p.schemaf(loc, "The QueryLanguage is set to 'JSONPath', but field 'Arguments' is only supported for the 'JSONata' QueryLanguage")
		}
		if params, ok := obj.Get("Parameters"); ok {
			p.template(params, loc+"/Parameters")
		}
	}
	cfg, ok := r.object("ReaderConfig")
	if !ok {
		return
	}
	cr := reader{p: p, obj: cfg, loc: loc + "/ReaderConfig"}
	cr.exclusive("MaxItems", "MaxItemsPath")
	if cfg.Has("MaxItemsPath") && ql != JSONata {
		p.pathField(cr, "MaxItemsPath")
	}
}

func (p *parser) itemBatcher(v any, loc string, ql QueryLanguage) *ItemBatcher {
	obj, ok := v.(*jsonval.Object)
	if !ok {
		p.schemaf(loc, "The value for the field 'ItemBatcher' must be an OBJECT")
		return nil
	}
	r := reader{p: p, obj: obj, loc: loc}
	for k := range obj.All() {
		switch k {
		case "MaxItemsPerBatch", "MaxItemsPerBatchPath", "MaxInputBytesPerBatch", "MaxInputBytesPerBatchPath", "BatchInput":
		default:
			p.schemaf(loc, "Field '%s' is not supported", k)
		}
	}
	b := &ItemBatcher{}
	for _, name := range []string{"MaxItemsPerBatch", "MaxInputBytesPerBatch"} {
		var f IntField
		switch {
		case r.exclusive(name, name+"Path") > 1:
		case obj.Has(name + "Path"):
			f.Path = p.pathField(r, name+"Path")
			f.Set = f.Path != nil
		case obj.Has(name):
			v, _ := obj.Get(name)
			if s, isStr := v.(string); isStr && ql == JSONata {
				if expr, ok := p.jsonataString(s, r.fieldLoc(name)); ok {
					f.Expr, f.Set = expr, expr != nil
					break
				}
			}
			f.Value, f.Set = r.integer(name, 1, 1<<31-1)
		}
		if name == "MaxItemsPerBatch" {
			b.MaxItemsPerBatch = f
		} else {
			b.MaxInputBytesPerBatch = f
		}
	}
	if bi, ok := obj.Get("BatchInput"); ok {
		if ql == JSONata {
			b.BatchInputJSONata = p.jsonataTemplate(bi, loc+"/BatchInput")
		} else {
			b.BatchInput = p.template(bi, loc+"/BatchInput")
		}
	}
	return b
}

// validName applies the character rules AWS uses for names that become part
// of ARNs (state machines, executions, labels).
func validName(s string) bool {
	for _, c := range s {
		switch {
		case c <= 0x20, c >= 0x7f && c <= 0x9f:
			return false
		}
		switch c {
		case '<', '>', '{', '}', '[', ']', '?', '*', '"', '#', '%', '\\', '^', '|', '~', '`', '$', '&', ',', ';', ':', '/':
			return false
		}
	}
	return true
}
