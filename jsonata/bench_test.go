package jsonata_test

import (
	"encoding/json"
	"strconv"
	"testing"

	"stepwise/jsonata"
	"stepwise/jsonval"
)

const (
	benchPathExpr   = `$states.input.order.items[price > 10].sku`
	benchObjectExpr = `{"id": order.id, "customer": order.customer.name, "total": order.price * order.quantity, "express": order.express, "tags": order.tags}`
	benchSumExpr    = `$sum(items.price)`
)

func benchStates() map[string]any {
	items := make([]any, 20)
	for i := range items {
		it := jsonval.NewObject(3)
		it.Set("sku", "SKU-"+strconv.Itoa(i))
		it.Set("price", json.Number(strconv.Itoa(i)))
		it.Set("qty", json.Number("1"))
		items[i] = it
	}
	order := jsonval.NewObject(1)
	order.Set("items", items)
	input := jsonval.NewObject(1)
	input.Set("order", order)
	states := jsonval.NewObject(1)
	states.Set("input", input)
	return map[string]any{"states": states}
}

func benchOrder(b *testing.B) any {
	v, err := jsonval.ParseString(`{"order": {"id": "o-1", "customer": {"name": "Ada"}, "price": 12.5, "quantity": 3, "express": true, "tags": ["a", "b"]}}`)
	if err != nil {
		b.Fatal(err)
	}
	return v
}

func benchItems() any {
	items := make([]any, 1000)
	for i := range items {
		it := jsonval.NewObject(1)
		it.Set("price", json.Number(strconv.Itoa(i)))
		items[i] = it
	}
	o := jsonval.NewObject(1)
	o.Set("items", items)
	return o
}

func BenchmarkCompilePath(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		if _, err := jsonata.Compile(benchPathExpr); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkEvaluatePath(b *testing.B) {
	e := jsonata.MustCompile(benchPathExpr)
	opts := &jsonata.Options{Bindings: benchStates()}
	b.ReportAllocs()
	for b.Loop() {
		if _, _, err := e.Evaluate(nil, opts); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkCompileObject(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		if _, err := jsonata.Compile(benchObjectExpr); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkEvaluateObject(b *testing.B) {
	e := jsonata.MustCompile(benchObjectExpr)
	input := benchOrder(b)
	b.ReportAllocs()
	for b.Loop() {
		if _, _, err := e.Evaluate(input, nil); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkEvaluateSum1000(b *testing.B) {
	e := jsonata.MustCompile(benchSumExpr)
	input := benchItems()
	b.ReportAllocs()
	for b.Loop() {
		if _, _, err := e.Evaluate(input, nil); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkRangeOfRanges is the evaluation of issue 14 item 9, which took a
// server to 1.8 GB: it now fails with U1002 once over the 64 MiB
// allocation budget, and B/op shows what it allocates on the way.
func BenchmarkRangeOfRanges(b *testing.B) {
	e := jsonata.MustCompile(`$count([1..3000].([1..3000]))`)
	b.ReportAllocs()
	for b.Loop() {
		if _, _, err := e.Evaluate(nil, nil); err == nil {
			b.Fatal("evaluated within the budget")
		}
	}
}
