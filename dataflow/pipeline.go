package dataflow

import "stepwise/jsonval"

// The pipeline helpers apply a state's JSONPath data-flow fields in AWS's
// order. For a state with input I:
//
//  1. effective := ApplyInputPath(InputPath, I)
//  2. params := Parameters.Eval(effective) (or ItemSelector), if present,
//     else effective; the state does its work on params (a Pass state's
//     result is Result if present, else params)
//  3. result = ResultSelector.Eval(result), if present (Task, Map, Parallel)
//  4. output := ApplyResultPath(ResultPath, I, result) — note: merged into
//     the raw state input I, not the effective input
//  5. output = ApplyOutputPath(OutputPath, output)
//
// Each field is passed as a compiled value plus present, which tells an
// absent field (the default, "$") from one set to JSON null.

// ApplyInputPath selects a state's effective input. An absent InputPath
// keeps input; "InputPath": null (present with p nil) gives an empty
// object {}; otherwise the path is evaluated, and a definite path that
// selects nothing fails with States.Runtime and the cause
// "Invalid path '$.x' : No results for path: $['x']" (conformance
// test_invalid_jsonpath_ST.INVALID_JSONPATH_IN_INPUTPATH).
func ApplyInputPath(p *Path, present bool, input any, env *Env) (any, error) {
	switch {
	case !present:
		return input, nil
	case p == nil:
		return jsonval.NewObject(0), nil
	}
	return p.Eval(input, env)
}

// ApplyResultPath combines a state's raw input with its result. An absent
// ResultPath gives result ("$"); "ResultPath": null (present with r nil)
// discards the result and gives input; otherwise see [ReferencePath.Set],
// which fails with States.ResultPathMatchFailure.
func ApplyResultPath(r *ReferencePath, present bool, input, result any) (any, error) {
	switch {
	case !present:
		return result, nil
	case r == nil:
		return input, nil
	}
	return r.Set(input, result)
}

// ApplyOutputPath selects a state's output. An absent OutputPath keeps
// output; "OutputPath": null gives an empty object {}; otherwise the path
// is evaluated and fails like [ApplyInputPath] (conformance
// test_invalid_jsonpath_ST.INVALID_JSONPATH_IN_OUTPUTPATH).
func ApplyOutputPath(p *Path, present bool, output any, env *Env) (any, error) {
	return ApplyInputPath(p, present, output, env)
}
