package asl

import (
	"encoding/json"

	"fmt"
	"stepwise/dataflow"
	"time"

	"stepwise/jsonval"
)

func (p *parser) parseChoice(st *State, r reader) *ChoiceFields {
	c := &ChoiceFields{}
	if d, ok := r.str("Default"); ok {
		c.Default = d
	}
	if !r.obj.Has("Choices") {
		p.schemaf(st.Location, "These fields are required: [Choices]")
		return c
	}
	rules, ok := r.array("Choices")
	if !ok {
		return c
	}
	if len(rules) == 0 {
		p.schemaf(st.Location+"/Choices", "The field 'Choices' must have at least one rule")
	}
	for i, v := range rules {
		loc := fmt.Sprintf("%s/Choices/%d", st.Location, i)
		obj, ok := v.(*jsonval.Object)
		if !ok {
			p.schemaf(loc, "Each Choice rule must be an OBJECT")
			continue
		}
		c.Choices = append(c.Choices, p.parseRule(obj, loc, true, st.QueryLanguage))
	}
	return c
}

// parseRule reads one Choice rule. Top-level rules carry Next (and may carry
// Assign and Output); nested rules under And, Or and Not may not.
func (p *parser) parseRule(obj *jsonval.Object, loc string, top bool, ql QueryLanguage) *ChoiceRule {
	rule := &ChoiceRule{Location: loc}
	r := reader{p: p, obj: obj, loc: loc}
	rule.Comment, _ = r.str("Comment")
	if top {
		if !obj.Has("Next") {
			p.schemaf(loc, "These fields are required: [Next]")
		} else if next, ok := r.str("Next"); ok {
			rule.Next = next
		}
		if v, ok := obj.Get("Assign"); ok {
			rule.Assign = p.assign(v, loc+"/Assign", ql)
		}
	}
	if ql == JSONata {
		p.parseJSONataRule(rule, r, top)
		return rule
	}
	var ops []string
	for k := range obj.All() {
		switch k {
		case "Comment", "Variable":
		case "Next", "Assign":
			if !top {
				p.schemaf(loc, "Field '%s' is not supported in a nested Choice rule", k)
			}
		case "And", "Or", "Not":
			ops = append(ops, k)
		case "Condition", "Output":
			p.schemaf(loc, "The QueryLanguage is set to 'JSONPath', but field '%s' is only supported for the 'JSONata' QueryLanguage", k)
		default:
			if _, ok := comparisonOperators[k]; ok {
				ops = append(ops, k)
			} else {
				p.schemaf(loc, "Field '%s' is not supported", k)
			}
		}
	}
	if len(ops) != 1 {
		p.schemaf(loc, "A Choice rule must have exactly one of And, Or, Not or a comparison operator; found %d", len(ops))
		return rule
	}
	op := ops[0]
	switch op {
	case "And", "Or":
		if obj.Has("Variable") {
			p.schemaf(loc, "Field 'Variable' is not supported with '%s'", op)
		}
		list, ok := r.array(op)
		if !ok {
			return rule
		}
		if len(list) == 0 {
			p.schemaf(loc+"/"+op, "The field '%s' must have at least one rule", op)
		}
		var subs []*ChoiceRule
		for i, v := range list {
			sloc := fmt.Sprintf("%s/%s/%d", loc, op, i)
			sub, ok := v.(*jsonval.Object)
			if !ok {
				p.schemaf(sloc, "Each Choice rule must be an OBJECT")
				continue
			}
			subs = append(subs, p.parseRule(sub, sloc, false, ql))
		}
		if op == "And" {
			rule.And = subs
		} else {
			rule.Or = subs
		}
	case "Not":
		if obj.Has("Variable") {
			p.schemaf(loc, "Field 'Variable' is not supported with 'Not'")
		}
		if sub, ok := r.object("Not"); ok {
			rule.Not = p.parseRule(sub, loc+"/Not", false, ql)
		}
	default:
		p.parseComparison(rule, r, op)
	}
	return rule
}

func (p *parser) parseComparison(rule *ChoiceRule, r reader, op string) {
	rule.Operator = op
	if !r.obj.Has("Variable") {
		p.schemaf(r.loc, "These fields are required: [Variable]")
	} else if s, ok := r.str("Variable"); ok {
		rule.Variable = p.compilePath(s, r.fieldLoc("Variable"), "Variable")
	}
	v, _ := r.obj.Get(op)
	switch kind := comparisonOperators[op]; kind {
	case "path":
		s, ok := v.(string)
		if !ok {
			r.typeError(op, "a STRING holding a JSONPath")
			return
		}
		rule.OperandPath = p.compilePath(s, r.fieldLoc(op), op)
	case "string":
		if _, ok := v.(string); !ok {
			r.typeError(op, "a STRING")
		}
	case "number":
		if _, ok := v.(json.Number); !ok {
			r.typeError(op, "a NUMBER")
		}
	case "boolean":
		if _, ok := v.(bool); !ok {
			r.typeError(op, "a BOOLEAN")
		}
	case "timestamp":
		s, ok := v.(string)
		if !ok || !validTimestamp(s) {
			r.typeError(op, "a STRING holding an ISO-8601 timestamp")
		}
	}
	rule.Value = v
}

func (p *parser) parseJSONataRule(rule *ChoiceRule, r reader, top bool) {
	for k := range r.obj.All() {
		switch k {
		case "Comment", "Condition":
		case "Next", "Assign", "Output":
			if !top {
				p.schemaf(r.loc, "Field '%s' is not supported in a nested Choice rule", k)
			}
		default:
			if _, ok := comparisonOperators[k]; ok || k == "Variable" || k == "And" || k == "Or" || k == "Not" {
				p.schemaf(r.loc, "The QueryLanguage is set to 'JSONata', but field '%s' is only supported for the 'JSONPath' QueryLanguage", k)
			} else {
				p.schemaf(r.loc, "Field '%s' is not supported", k)
			}
		}
	}
	if v, ok := r.obj.Get("Output"); ok && top {
		rule.Output = p.jsonataTemplate(v, r.fieldLoc("Output"))
	}
	cond, ok := r.obj.Get("Condition")
	if !ok {
		p.schemaf(r.loc, "These fields are required: [Condition]")
		return
	}
	switch x := cond.(type) {
	case bool:
		rule.Condition, _ = dataflow.CompileJSONata(x)
	case string:
		expr, isExpr := p.jsonataString(x, r.fieldLoc("Condition"))
		if !isExpr {
			r.typeError("Condition", "a BOOLEAN or a JSONata expression")
		}
		rule.Condition = expr
	default:
		r.typeError("Condition", "a BOOLEAN or a JSONata expression")
	}
}

// validTimestamp reports whether s is an RFC 3339 timestamp as Step
// Functions accepts it (upper-case T and Z, optional fraction).
func validTimestamp(s string) bool {
	_, err := time.Parse(time.RFC3339Nano, s)
	return err == nil
}
