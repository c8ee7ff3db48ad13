package asl

import (
	"slices"
	"strings"

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
		m.Reader = p.itemReader(st, v, r.fieldLoc("ItemReader"))
	}
	if v, ok := r.obj.Get("ItemBatcher"); ok {
		m.ItemBatcher = v
		m.Batcher = p.itemBatcher(v, r.fieldLoc("ItemBatcher"), st.QueryLanguage)
	}
	if v, ok := r.obj.Get("ResultWriter"); ok {
		m.ResultWriter = v
		m.Writer = p.resultWriter(st, v, r.fieldLoc("ResultWriter"))
	}
	return m
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

// itemReader checks and compiles a Map's ItemReader: an S3 source
// (s3:getObject, s3:listObjectsV2) with Parameters (JSONPath) or
// Arguments (JSONata), and a ReaderConfig whose MaxItems may come from the
// input. The reader's own settings (InputType, CSV headers, ...) are
// checked again when it runs, against the evaluated parameters.
func (p *parser) itemReader(st *State, v any, loc string) *MapIO {
	io := p.mapIO(st, v, loc, "ItemReader", "ReaderConfig")
	if io == nil || io.Config == nil {
		return io
	}
	cr := reader{p: p, obj: io.Config, loc: loc + "/ReaderConfig"}
	for k := range io.Config.All() {
		switch k {
		case "InputType", "CSVHeaderLocation", "CSVHeaders", "CSVDelimiter", "ManifestType", "Transformation", "ItemsPointer", "MaxItems", "MaxItemsPath":
		default:
			p.schemaf(cr.loc, "Field '%s' is not supported", k)
		}
	}
	if t, ok := cr.str("InputType"); ok && !slices.Contains(readerInputTypes, t) {
		p.schemaf(cr.fieldLoc("InputType"), "The value for the field 'InputType' must be one of %s", enumList(readerInputTypes))
	}
	if t, ok := cr.str("Transformation"); ok && t != "NONE" && t != "LOAD_AND_FLATTEN" {
		p.schemaf(cr.fieldLoc("Transformation"), "The value for the field 'Transformation' must be one of [NONE, LOAD_AND_FLATTEN]")
	}
	allowed := map[string]bool{"MaxItems": io.Config.Has("MaxItems"), "MaxItemsPath": io.Config.Has("MaxItemsPath") && st.QueryLanguage != JSONata}
	if io.Config.Has("MaxItemsPath") && st.QueryLanguage == JSONata {
		p.schemaf(cr.fieldLoc("MaxItemsPath"), "The QueryLanguage is set to 'JSONata', but field 'MaxItemsPath' is only supported for the 'JSONPath' QueryLanguage")
	}
	io.MaxItems = p.intField(st, cr, allowed, "MaxItems", 0, maxReaderItems)
	return io
}

// readerInputTypes are the ReaderConfig InputTypes AWS lists.
var readerInputTypes = []string{"CSV", "JSON", "JSONL", "MANIFEST", "PARQUET"}

// maxReaderItems is the largest MaxItems AWS takes.
const maxReaderItems = 100_000_000

// resultWriter checks and compiles a Map's ResultWriter: s3:putObject with
// Parameters (JSONPath) or Arguments (JSONata) naming the Bucket and
// Prefix, and an optional WriterConfig; a WriterConfig alone shapes the
// Map's output without writing to S3.
func (p *parser) resultWriter(st *State, v any, loc string) *MapIO {
	io := p.mapIO(st, v, loc, "ResultWriter", "WriterConfig")
	if io == nil || io.Config == nil {
		return io
	}
	cr := reader{p: p, obj: io.Config, loc: loc + "/WriterConfig"}
	for k := range io.Config.All() {
		if k != "OutputType" && k != "Transformation" {
			p.schemaf(cr.loc, "Field '%s' is not supported", k)
		}
	}
	if t, ok := cr.str("OutputType"); ok && !slices.Contains(writerOutputTypes, t) {
		p.schemaf(cr.fieldLoc("OutputType"), "The value for the field 'OutputType' must be one of %s", enumList(writerOutputTypes))
	}
	if t, ok := cr.str("Transformation"); ok && !slices.Contains(writerTransformations, t) {
		p.schemaf(cr.fieldLoc("Transformation"), "The value for the field 'Transformation' must be one of %s", enumList(writerTransformations))
	}
	return io
}

// The WriterConfig values AWS lists.
var (
	writerOutputTypes     = []string{"JSON", "JSONL"}
	writerTransformations = []string{"NONE", "COMPACT", "FLATTEN"}
)

func enumList(values []string) string { return "[" + strings.Join(values, ", ") + "]" }

// mapIO reads what ItemReader and ResultWriter share: a Resource, its
// Parameters or Arguments, and a config object named configName.
func (p *parser) mapIO(st *State, v any, loc, field, configName string) *MapIO {
	obj, ok := v.(*jsonval.Object)
	if !ok {
		p.schemaf(loc, "The value for the field '%s' must be an OBJECT", field)
		return nil
	}
	r := reader{p: p, obj: obj, loc: loc}
	for k := range obj.All() {
		switch k {
		case "Resource", configName, "Parameters", "Arguments":
		default:
			p.schemaf(loc, "Field '%s' is not supported", k)
		}
	}
	io := &MapIO{}
	switch {
	case obj.Has("Resource"):
		if res, ok := r.str("Resource"); ok {
			io.Resource = res
			p.checkResource(resource.Parse(res), loc+"/Resource")
		}
	case field == "ItemReader" || obj.Has("Parameters") || obj.Has("Arguments"):
		// A ResultWriter may be a WriterConfig alone.
		p.schemaf(loc, "These fields are required: [Resource]")
	}
	if st.QueryLanguage == JSONata {
		if obj.Has("Parameters") {
			p.schemaf(loc, "The QueryLanguage is set to 'JSONata', but field 'Parameters' is only supported for the 'JSONPath' QueryLanguage")
		}
		if a, ok := obj.Get("Arguments"); ok {
			io.Arguments = p.jsonataTemplate(a, loc+"/Arguments")
		}
	} else {
		if obj.Has("Arguments") {
			p.schemaf(loc, "The QueryLanguage is set to 'JSONPath', but field 'Arguments' is only supported for the 'JSONata' QueryLanguage")
		}
		if params, ok := obj.Get("Parameters"); ok {
			io.Parameters = p.template(params, loc+"/Parameters")
		}
	}
	if cfg, ok := r.object(configName); ok {
		io.Config = cfg
	}
	return io
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
