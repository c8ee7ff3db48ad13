package jsonata

func fnFormatNumber(ev *evaluator, args []any, input any, env *frame) (any, error) {
	return undefined, nil
}
func fnFormatBase(ev *evaluator, args []any, input any, env *frame) (any, error) {
	return undefined, nil
}
func fnFormatInteger(ev *evaluator, args []any, input any, env *frame) (any, error) {
	return undefined, nil
}
func fnParseInteger(ev *evaluator, args []any, input any, env *frame) (any, error) {
	return undefined, nil
}
func fnToMillis(ev *evaluator, args []any, input any, env *frame) (any, error) { return undefined, nil }
func fnFromMillis(ev *evaluator, args []any, input any, env *frame) (any, error) {
	return undefined, nil
}
func fnNow(ev *evaluator, args []any, input any, env *frame) (any, error)    { return undefined, nil }
func fnMillis(ev *evaluator, args []any, input any, env *frame) (any, error) { return undefined, nil }
