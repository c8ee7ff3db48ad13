package jsonata_test

import (
	"errors"
	"testing"

	"stepwise/jsonata"
)

func TestRejectFunctionResult(t *testing.T) {
	e := jsonata.MustCompile(`function($x){$x}`)
	if v, ok, err := e.Evaluate(nil, nil); err != nil || !ok || v != "" {
		t.Errorf("default: %v %v %v, want \"\" as jsonata-js", v, ok, err)
	}
	_, _, err := e.Evaluate(nil, &jsonata.Options{RejectFunctionResult: true})
	var je *jsonata.Error
	if !errors.As(err, &je) || je.Code != jsonata.CodeFunctionResult {
		t.Errorf("rejecting: %v", err)
	}
	if v, ok, err := jsonata.MustCompile(`1`).Evaluate(nil, &jsonata.Options{RejectFunctionResult: true}); err != nil || !ok || v != float64(1) {
		t.Errorf("non-function: %v %v %v", v, ok, err)
	}
}
