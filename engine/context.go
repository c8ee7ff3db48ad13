package engine

import (
	"strings"

	"stepwise/asl"
	"stepwise/dataflow"
	"stepwise/jsonval"
)

// usesContext reports whether any field of s may read the context object
// ($$), so that the engine builds it only for such states. It errs on the
// side of true.
func usesContext(s *asl.State) bool {
	if s.QueryLanguage == asl.JSONata {
		return true
	}
	paths := []*dataflow.Path{s.InputPath.Path, s.OutputPath.Path}
	if s.Task != nil {
		paths = append(paths, s.Task.TimeoutSeconds.Path, s.Task.HeartbeatSeconds.Path)
		if s.Task.Credentials != nil && rawHasContext(s.Task.Credentials.Raw) {
			return true
		}
	}
	if s.Wait != nil {
		paths = append(paths, s.Wait.Seconds.Path, s.Wait.TimestampPath)
	}
	if s.Fail != nil {
		paths = append(paths, s.Fail.ErrorPath, s.Fail.CausePath)
		if (s.Fail.ErrorIntrinsic != nil && strings.Contains(s.Fail.ErrorIntrinsic.String(), "$$")) ||
			(s.Fail.CauseIntrinsic != nil && strings.Contains(s.Fail.CauseIntrinsic.String(), "$$")) {
			return true
		}
	}
	if s.Map != nil {
		paths = append(paths, s.Map.ItemsPath.Path, s.Map.MaxConcurrency.Path, s.Map.ToleratedFailureCount.Path, s.Map.ToleratedFailurePercentage.Path)
		if s.Map.ItemSelector != nil {
			return true
		}
	}
	if s.Choice != nil {
		for _, r := range s.Choice.Choices {
			if ruleHasContext(r) {
				return true
			}
		}
	}
	for _, p := range paths {
		if p != nil && p.IsContext() {
			return true
		}
	}
	for _, t := range []*asl.Template{s.Parameters, s.ResultSelector} {
		if t != nil && rawHasContext(t.Raw) {
			return true
		}
	}
	if s.Assign != nil && rawHasContext(s.Assign.Raw) {
		return true
	}
	for _, c := range s.Catch {
		if c.Assign != nil && rawHasContext(c.Assign.Raw) {
			return true
		}
	}
	return false
}

func ruleHasContext(r *asl.ChoiceRule) bool {
	if (r.Variable != nil && r.Variable.IsContext()) || (r.OperandPath != nil && r.OperandPath.IsContext()) {
		return true
	}
	if r.Assign != nil && rawHasContext(r.Assign.Raw) {
		return true
	}
	for _, sub := range append(append([]*asl.ChoiceRule{}, r.And...), r.Or...) {
		if ruleHasContext(sub) {
			return true
		}
	}
	return r.Not != nil && ruleHasContext(r.Not)
}

// rawHasContext reports whether a template mentions "$$" in any string.
func rawHasContext(v any) bool {
	switch x := v.(type) {
	case string:
		return strings.Contains(x, "$$")
	case []any:
		for _, e := range x {
			if rawHasContext(e) {
				return true
			}
		}
	case *jsonval.Object:
		for _, e := range x.All() {
			if rawHasContext(e) {
				return true
			}
		}
	}
	return false
}
