package asl

import (
	"fmt"

	"stepwise/jsonval"
)

// ErrorAll is the error name that matches every error.
const ErrorAll = "States.ALL"

func (p *parser) parseRetry(st *State, r reader) []Retrier {
	list, ok := r.array("Retry")
	if !ok {
		return nil
	}
	out := make([]Retrier, 0, len(list))
	for i, v := range list {
		loc := fmt.Sprintf("%s/Retry/%d", st.Location, i)
		obj, ok := v.(*jsonval.Object)
		if !ok {
			p.schemaf(loc, "Each Retrier must be an OBJECT")
			continue
		}
		rr := reader{p: p, obj: obj, loc: loc}
		for k := range obj.All() {
			switch k {
			case "ErrorEquals", "IntervalSeconds", "MaxAttempts", "BackoffRate", "MaxDelaySeconds", "JitterStrategy", "Comment":
			default:
				p.schemaf(loc, "Field '%s' is not supported", k)
			}
		}
		ret := Retrier{IntervalSeconds: 1, MaxAttempts: 3, BackoffRate: 2, JitterStrategy: "NONE"}
		ret.ErrorEquals = p.errorEquals(rr, i == len(list)-1, "Retrier")
		if n, ok := rr.integer("IntervalSeconds", 1, maxSeconds); ok {
			ret.IntervalSeconds = n
		}
		if n, ok := rr.integer("MaxAttempts", 0, maxSeconds); ok {
			ret.MaxAttempts = n
		}
		if f, ok := rr.number("BackoffRate", 1, maxSeconds); ok {
			ret.BackoffRate = f
		}
		if n, ok := rr.integer("MaxDelaySeconds", 1, maxRetryDelay); ok {
			ret.MaxDelaySeconds = n
		}
		if s, ok := rr.str("JitterStrategy"); ok {
			if s != "FULL" && s != "NONE" {
				p.schemaf(rr.fieldLoc("JitterStrategy"), "The value for the field 'JitterStrategy' must be one of [FULL, NONE]")
			} else {
				ret.JitterStrategy = s
			}
		}
		out = append(out, ret)
	}
	return out
}

func (p *parser) parseCatch(st *State, r reader) []Catcher {
	list, ok := r.array("Catch")
	if !ok {
		return nil
	}
	out := make([]Catcher, 0, len(list))
	for i, v := range list {
		loc := fmt.Sprintf("%s/Catch/%d", st.Location, i)
		obj, ok := v.(*jsonval.Object)
		if !ok {
			p.schemaf(loc, "Each Catcher must be an OBJECT")
			continue
		}
		cr := reader{p: p, obj: obj, loc: loc}
		for k := range obj.All() {
			switch k {
			case "ErrorEquals", "Next", "Comment", "Assign":
			case "ResultPath":
				if st.QueryLanguage == JSONata {
					p.schemaf(loc, "The QueryLanguage is set to 'JSONata', but field 'ResultPath' is only supported for the 'JSONPath' QueryLanguage")
				}
			case "Output":
				if st.QueryLanguage == JSONPath {
					p.schemaf(loc, "The QueryLanguage is set to 'JSONPath', but field 'Output' is only supported for the 'JSONata' QueryLanguage")
				}
			default:
				p.schemaf(loc, "Field '%s' is not supported", k)
			}
		}
		var c Catcher
		c.ErrorEquals = p.errorEquals(cr, i == len(list)-1, "Catcher")
		if !obj.Has("Next") {
			p.schemaf(loc, "These fields are required: [Next]")
		} else if next, ok := cr.str("Next"); ok {
			c.Next = next
		}
		if st.QueryLanguage == JSONPath {
			c.ResultPath = p.resultPath(cr, "ResultPath")
		} else if v, ok := obj.Get("Output"); ok {
			c.Output = p.jsonataTemplate(v, loc+"/Output")
		}
		if v, ok := obj.Get("Assign"); ok {
			c.Assign = p.assign(v, loc+"/Assign", st.QueryLanguage)
		}
		out = append(out, c)
	}
	return out
}

// errorEquals reads ErrorEquals: a non-empty list of error names in which
// States.ALL may only appear alone, in the last retrier or catcher.
func (p *parser) errorEquals(r reader, last bool, what string) []string {
	if !r.obj.Has("ErrorEquals") {
		p.schemaf(r.loc, "These fields are required: [ErrorEquals]")
		return nil
	}
	list, ok := r.array("ErrorEquals")
	if !ok {
		return nil
	}
	if len(list) == 0 {
		p.schemaf(r.fieldLoc("ErrorEquals"), "The field 'ErrorEquals' must be non-empty")
		return nil
	}
	names := make([]string, 0, len(list))
	for i, v := range list {
		s, ok := v.(string)
		if !ok {
			p.schemaf(fmt.Sprintf("%s/ErrorEquals/%d", r.loc, i), "Each error name in 'ErrorEquals' must be a STRING")
			continue
		}
		names = append(names, s)
	}
	for _, n := range names {
		if n != ErrorAll {
			continue
		}
		if len(list) > 1 {
			p.schemaf(r.fieldLoc("ErrorEquals"), "'States.ALL' must appear alone in 'ErrorEquals'")
		}
		if !last {
			p.schemaf(r.fieldLoc("ErrorEquals"), "A %s with 'States.ALL' must be the last one", what)
		}
	}
	return names
}
