package jsonata_test

import (
	"fmt"
	"time"

	"stepwise/jsonata"
	"stepwise/jsonval"
)

func Example() {
	input, _ := jsonval.ParseString(`{
		"order": {"id": "o-17", "items": [
			{"sku": "A1", "price": 12.5, "qty": 2},
			{"sku": "B2", "price": 4, "qty": 10},
			{"sku": "C3", "price": 30, "qty": 1}
		]}
	}`)

	e, err := jsonata.Compile(`{
		"id": order.id,
		"expensive": order.items[price > 10].sku,
		"total": $sum(order.items.(price * qty)),
		"at": $now()
	}`)
	if err != nil {
		fmt.Println(err)
		return
	}
	result, defined, err := e.Evaluate(input, &jsonata.Options{
		Now: time.Date(2025, 1, 2, 3, 4, 5, 0, time.UTC),
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	out, _ := jsonval.MarshalString(result)
	fmt.Println(defined, out)

	// Syntax errors carry the jsonata-js code.
	_, err = jsonata.Compile(`order.items[`)
	fmt.Println(err.(*jsonata.Error).Code)
	// Output:
	// true {"id":"o-17","expensive":["A1","C3"],"total":95,"at":"2025-01-02T03:04:05.000Z"}
	// S0203
}

func ExampleOptions_functions() {
	e := jsonata.MustCompile(`$double(21)`)
	result, _, _ := e.Evaluate(nil, &jsonata.Options{
		Functions: map[string]jsonata.Function{
			"double": {Signature: "<n:n>", Impl: func(args []any) (any, bool, error) {
				f, _ := jsonval.Float(args[0])
				return f * 2, true, nil
			}},
		},
	})
	fmt.Println(result)
	// Output: 42
}
