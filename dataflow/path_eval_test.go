package dataflow_test

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"stepwise/dataflow"
)

func TestPathEval(t *testing.T) {
	const doc = `{"store":{"book":[{"category":"ref","author":"Rees","price":8.95},` +
		`{"category":"fiction","author":"Waugh","price":12.99,"isbn":"0-553"},` +
		`{"category":"fiction","author":"Tolkien","price":22.99,"isbn":"0-395"}],` +
		`"bicycle":{"color":"red","price":19.95}},"n":null,"s":"str","arr":[1,2,3,4,5],"dec":1.10,` +
		`"a b":1,"num":"5"}`
	const rt = dataflow.ErrorRuntime
	tests := []struct {
		path string
		want evalOutcome
	}{
		{"$", evalOutcome{Value: doc}},
		{"$.store.bicycle.color", evalOutcome{Value: `"red"`}},
		{"$['store']['bicycle']['price']", evalOutcome{Value: `19.95`}},
		{"$['a b']", evalOutcome{Value: `1`}},
		{"$.dec", evalOutcome{Value: `1.10`}},
		{"$.n", evalOutcome{Value: `null`}},
		{"$.arr[0]", evalOutcome{Value: `1`}},
		{"$.arr[-1]", evalOutcome{Value: `5`}},
		{"$.arr[-2:]", evalOutcome{Value: `[4,5]`}},
		{"$.arr[1:3]", evalOutcome{Value: `[2,3]`}},
		{"$.arr[:2]", evalOutcome{Value: `[1,2]`}},
		{"$.arr[3:100]", evalOutcome{Value: `[4,5]`}},
		{"$.arr[0,2,9]", evalOutcome{Value: `[1,3]`}},
		{"$.arr[*]", evalOutcome{Value: `[1,2,3,4,5]`}},
		{"$.store.bicycle.*", evalOutcome{Value: `["red",19.95]`}},
		{"$.store.book[*].author", evalOutcome{Value: `["Rees","Waugh","Tolkien"]`}},
		{"$..author", evalOutcome{Value: `["Rees","Waugh","Tolkien"]`}},
		{"$..price", evalOutcome{Value: `[8.95,12.99,22.99,19.95]`}},
		{"$.store..price", evalOutcome{Value: `[8.95,12.99,22.99,19.95]`}},
		{"$..book[0].author", evalOutcome{Value: `["Rees"]`}},
		{"$..book[-1:].author", evalOutcome{Value: `["Tolkien"]`}},
		{"$.store.book[?(@.isbn)].author", evalOutcome{Value: `["Waugh","Tolkien"]`}},
		{"$.store.book[?(!@.isbn)].author", evalOutcome{Value: `["Rees"]`}},
		{"$.store.book[?(@.price < 10)].author", evalOutcome{Value: `["Rees"]`}},
		{"$.store.book[?(@.price >= 12.99 && @.category == 'fiction')].author", evalOutcome{Value: `["Waugh","Tolkien"]`}},
		{"$.store.book[?(@.price > 20 || @.author == \"Rees\")].author", evalOutcome{Value: `["Rees","Tolkien"]`}},
		{"$.store.book[?(@.author =~ /t.*/i)].author", evalOutcome{Value: `["Tolkien"]`}},
		{"$.store.book[?(@.category != 'ref')].price", evalOutcome{Value: `[12.99,22.99]`}},
		{"$.store.book[?(@.missing != 'x')].author", evalOutcome{Value: `["Rees","Waugh","Tolkien"]`}},
		{"$.store.book[?(@.price > $.store.bicycle.price)].author", evalOutcome{Value: `["Tolkien"]`}},
		{"$.store.book[?(@.author in ['Rees','Waugh'])].price", evalOutcome{Value: `[8.95,12.99]`}},
		{"$.store.book[?(@.author nin ['Rees','Waugh'])].price", evalOutcome{Value: `[22.99]`}},
		{"$.arr[?(@ > 3)]", evalOutcome{Value: `[4,5]`}},
		{"$.arr[?(@ == '2')]", evalOutcome{Value: `[2]`}},
		{"$.store.book[?(@.category == fiction)].author", evalOutcome{Value: `["Waugh","Tolkien"]`}},
		{"$['s','n','zz']", evalOutcome{Value: `{"s":"str","n":null}`}},
		{"$.store.book[0]['author','price']", evalOutcome{Value: `{"author":"Rees","price":8.95}`}},
		// An indefinite path never fails: AWS gives [] (conformance
		// test_json_path_array_wildcard_or_slice_with_no_input).
		{"$.items[*]", evalOutcome{Value: `[]`}},
		{"$.item.items[1:5].itemValue", evalOutcome{Value: `[]`}},
		{"$.s[*]", evalOutcome{Value: `[]`}},
		// A definite path that selects nothing fails with Jayway's message
		// (conformance test_invalid_jsonpath_ST.INVALID_JSONPATH_IN_INPUTPATH).
		{"$.NoSuchInputPath", evalOutcome{Name: rt, Cause: "Invalid path '$.NoSuchInputPath' : No results for path: $['NoSuchInputPath']"}},
		{"$.no.such.path", evalOutcome{Name: rt, Cause: "Invalid path '$.no.such.path' : Missing property in path $['no']"}},
		{"$.store.nope.x", evalOutcome{Name: rt, Cause: "Invalid path '$.store.nope.x' : Missing property in path $['store']['nope']"}},
		{"$.arr[7]", evalOutcome{Name: rt, Cause: "Invalid path '$.arr[7]' : No results for path: $['arr'][7]"}},
		{"$.n[0]", evalOutcome{Name: rt, Cause: "Invalid path '$.n[0]' : The path $['n'] is null"}},
		{"$.s[0]", evalOutcome{Name: rt, Cause: "Invalid path '$.s[0]' : Filter: [0] can only be applied to arrays. Current context is: \"str\""}},
		{"$$.Execution.Id", evalOutcome{Value: `"arn:exec"`}},
		{"$$.Map.Item.Index", evalOutcome{Value: `3`}},
		{"$v.w[1]", evalOutcome{Value: `2`}},
		{"$nope", evalOutcome{Name: rt, Cause: "Invalid path '$nope' : The variable '$nope' is not defined"}},
	}
	env := &dataflow.Env{Context: parse(t, `{"Execution":{"Id":"arn:exec"},"Map":{"Item":{"Index":3}}}`)}
	vars, err := dataflow.NewVars(nil).Assign(mustObject(`{"v":{"w":[1,2]}}`))
	if err != nil {
		t.Fatal(err)
	}
	env.Vars = vars
	input := parse(t, doc)
	before := parse(t, doc)
	for _, tt := range tests {
		t.Run(tt.path, func(t *testing.T) {
			p, err := dataflow.CompilePath(tt.path)
			if err != nil {
				t.Fatal(err)
			}
			v, err := p.Eval(input, env)
			got := outcome(t, v, err)
			if tt.want.Value != "" && got.Value != "" {
				// Compare values, not texts: objects may come back reordered.
				if w := parse(t, tt.want.Value); !equalJSON(w, parse(t, got.Value)) {
					t.Errorf("got %s, want %s", got.Value, tt.want.Value)
				}
				return
			}
			if d := cmp.Diff(tt.want, got); d != "" {
				t.Errorf("(-want +got):\n%s", d)
			}
		})
	}
	if !equalJSON(before, input) {
		t.Error("evaluation modified its input")
	}
}
