package asl

import (
	"fmt"
	"strings"

	"stepwise/dataflow"
	"stepwise/jsonval"
)

// Eval evaluates a JSONPath Choice rule (with its And, Or and Not
// sub-rules) against a state's effective input. An error is a
// *dataflow.Failure (States.Runtime) for a Variable or ...Path operand that
// selects nothing.
func (r *ChoiceRule) Eval(input any, env *dataflow.Env) (bool, error) {
	switch {
	case r.And != nil:
		for _, sub := range r.And {
			ok, err := sub.Eval(input, env)
			if err != nil || !ok {
				return false, err
			}
		}
		return true, nil
	case r.Or != nil:
		for _, sub := range r.Or {
			ok, err := sub.Eval(input, env)
			if err != nil || ok {
				return ok, err
			}
		}
		return false, nil
	case r.Not != nil:
		ok, err := r.Not.Eval(input, env)
		return !ok && err == nil, err
	}
	return r.evalComparison(input, env)
}

func (r *ChoiceRule) evalComparison(input any, env *dataflow.Env) (bool, error) {
	v, err := r.Variable.Eval(input, env)
	present := err == nil
	switch r.Operator {
	case "IsPresent":
		return present == (r.Value == true), nil
	}
	if !present {
		return false, &dataflow.Failure{Name: dataflow.ErrorRuntime,
			Cause: fmt.Sprintf("Invalid path '%s': The choice state's condition path references an invalid value.", r.Variable)}
	}
	switch r.Operator {
	case "IsNull":
		return (v == nil) == (r.Value == true), nil
	case "IsNumeric":
		return (jsonval.KindOf(v) == jsonval.Number) == (r.Value == true), nil
	case "IsString":
		return (jsonval.KindOf(v) == jsonval.String) == (r.Value == true), nil
	case "IsBoolean":
		return (jsonval.KindOf(v) == jsonval.Bool) == (r.Value == true), nil
	case "IsTimestamp":
		_, ok := parseTimestamp(v)
		return ok == (r.Value == true), nil
	}
	operand := r.Value
	op := r.Operator
	if r.OperandPath != nil {
		op = strings.TrimSuffix(op, "Path")
		if operand, err = r.OperandPath.Eval(input, env); err != nil {
			return false, &dataflow.Failure{Name: dataflow.ErrorRuntime,
				Cause: fmt.Sprintf("Invalid path '%s': The choice state's condition path references an invalid value.", r.OperandPath)}
		}
	}
	return compare(op, v, operand), nil
}

// compare applies a comparison operator (without the Path suffix). A
// variable of the wrong type compares false, as in AWS.
func compare(op string, v, operand any) bool {
	switch {
	case strings.HasPrefix(op, "String"):
		a, ok1 := v.(string)
		b, ok2 := operand.(string)
		if !ok1 || !ok2 {
			return false
		}
		if op == "StringMatches" {
			return globMatch(b, a)
		}
		return ordered(op[len("String"):], strings.Compare(a, b))
	case strings.HasPrefix(op, "Numeric"):
		if jsonval.KindOf(v) != jsonval.Number || jsonval.KindOf(operand) != jsonval.Number {
			return false
		}
		fa, _ := jsonval.Float(v)
		fb, _ := jsonval.Float(operand)
		c := 0
		if fa < fb {
			c = -1
		} else if fa > fb {
			c = 1
		}
		return ordered(op[len("Numeric"):], c)
	case strings.HasPrefix(op, "Boolean"):
		a, ok1 := v.(bool)
		b, ok2 := operand.(bool)
		return ok1 && ok2 && a == b
	case strings.HasPrefix(op, "Timestamp"):
		a, ok1 := parseTimestamp(v)
		b, ok2 := parseTimestamp(operand)
		if !ok1 || !ok2 {
			return false
		}
		return ordered(op[len("Timestamp"):], a.Compare(b))
	}
	return false
}

func ordered(rel string, c int) bool {
	switch rel {
	case "Equals":
		return c == 0
	case "LessThan":
		return c < 0
	case "GreaterThan":
		return c > 0
	case "LessThanEquals":
		return c <= 0
	case "GreaterThanEquals":
		return c >= 0
	}
	return false
}

// globMatch matches s against an ASL StringMatches pattern: '*' matches
// any run of characters; '\*' and '\\' are a literal star and backslash.
// It backtracks only to the last star, so it runs in O(len(pattern) *
// len(s)) whatever the pattern.
func globMatch(pattern, s string) bool {
	var pat []byte
	var star []bool
	for i := 0; i < len(pattern); i++ {
		c := pattern[i]
		if c == '\\' && i+1 < len(pattern) {
			i++
			pat, star = append(pat, pattern[i]), append(star, false)
			continue
		}
		pat, star = append(pat, c), append(star, c == '*')
	}
	p, i := 0, 0
	lastStar, lastI := -1, 0
	for i < len(s) {
		switch {
		case p < len(pat) && star[p]:
			lastStar, lastI = p, i
			p++
		case p < len(pat) && pat[p] == s[i]:
			p++
			i++
		case lastStar >= 0:
			p = lastStar + 1
			lastI++
			i = lastI
		default:
			return false
		}
	}
	for p < len(pat) && star[p] {
		p++
	}
	return p == len(pat)
}
