package jsonata_test

import (
	"errors"
	"testing"

	"stepwise/jsonata"
	"stepwise/jsonval"
)

const fuzzInput = `{"Account": {"Name": "Firefly", "Order": [{"OrderID": "order103", "Product": [{"Product Name": "Bowler Hat", "Price": 34.45, "Quantity": 2}, {"Product Name": "Trilby hat", "Price": 21.67, "Quantity": 1}]}, {"OrderID": "order104", "Product": [{"Product Name": "Cloak", "Price": 107.99, "Quantity": 1}]}]}, "nums": [1, 2.5, -3, 1e3], "str": "hello world", "nested": [[1, [2]], {"a": null, "b": true}]}`

// FuzzJSONata checks that no expression makes Compile or Evaluate panic or
// run away: every outcome is a value, undefined or an *Error.
func FuzzJSONata(f *testing.F) {
	for _, c := range loadCases(f) {
		f.Add(c.expr)
	}
	input, err := jsonval.ParseString(fuzzInput)
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, expr string) {
		e, err := jsonata.Compile(expr)
		if err != nil {
			var je *jsonata.Error
			if !errors.As(err, &je) {
				t.Fatalf("Compile(%q) error is %T, not *Error", expr, err)
			}
			return
		}
		res, defined, err := e.Evaluate(input, &jsonata.Options{MaxSteps: 20000, MaxDepth: 100})
		if err != nil {
			var je *jsonata.Error
			if !errors.As(err, &je) {
				t.Fatalf("Evaluate(%q) error is %T, not *Error", expr, err)
			}
			if je.Code == "U1000" {
				t.Fatalf("Evaluate(%q): %v", expr, err)
			}
			return
		}
		if defined {
			if _, err := jsonval.Marshal(res); err != nil {
				t.Fatalf("Evaluate(%q) = %#v, outside the value model: %v", expr, res, err)
			}
		}
	})
}
