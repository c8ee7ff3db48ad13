package dataflow_test

import (
	"strings"
	"testing"

	"stepwise/dataflow"
	"stepwise/jsonval"
)

// BenchmarkPassPipeline measures a typical Pass state's data flow on a
// 2 KiB input: InputPath, Parameters with three ".$" keys, ResultPath and
// OutputPath.
func BenchmarkPassPipeline(b *testing.B) {
	var sb strings.Builder
	sb.WriteString(`{"meta":{"id":"abc-123","ts":"2024-01-01T00:00:00Z"},"order":{"id":42,"customer":{"name":"Ada","email":"ada@example.com"},"items":[`)
	for i := 0; sb.Len() < 1900; i++ {
		if i > 0 {
			sb.WriteByte(',')
		}
		sb.WriteString(`{"sku":"SKU-000` + string(rune('0'+i%10)) + `","qty":2,"price":19.99,"note":"fragile"}`)
	}
	sb.WriteString(`],"total":123.45}}`)
	input, err := jsonval.ParseString(sb.String())
	if err != nil {
		b.Fatal(err)
	}
	inPath, _ := dataflow.CompilePath("$.order")
	params, err := dataflow.CompileTemplate(mustObject(`{"id.$":"$.id","name.$":"$.customer.name","first.$":"$.items[0].sku","kind":"order"}`))
	if err != nil {
		b.Fatal(err)
	}
	resPath, _ := dataflow.CompileReferencePath("$.result")
	outPath, _ := dataflow.CompilePath("$.result")
	env := &dataflow.Env{}
	b.ReportAllocs()
	for b.Loop() {
		eff, err := dataflow.ApplyInputPath(inPath, true, input, env)
		if err != nil {
			b.Fatal(err)
		}
		res, err := params.Eval(eff, env)
		if err != nil {
			b.Fatal(err)
		}
		out, err := dataflow.ApplyResultPath(resPath, true, input, res)
		if err != nil {
			b.Fatal(err)
		}
		if _, err = dataflow.ApplyOutputPath(outPath, true, out, env); err != nil {
			b.Fatal(err)
		}
	}
}
