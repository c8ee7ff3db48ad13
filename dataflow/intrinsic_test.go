package dataflow_test

import (
	"errors"
	"testing"

	"github.com/google/go-cmp/cmp"

	"stepwise/dataflow"
	"stepwise/jsonval"
)

// evalOutcome is what a table test expects: a value (as JSON text) or a
// failure.
type evalOutcome struct {
	Value string
	Name  string
	Cause string
}

func outcome(t *testing.T, v any, err error) evalOutcome {
	t.Helper()
	if err != nil {
		var f *dataflow.Failure
		if !errors.As(err, &f) {
			t.Fatalf("error %T %v, want *Failure", err, err)
		}
		return evalOutcome{Name: f.Name, Cause: f.Cause}
	}
	s, err := jsonval.MarshalString(v)
	if err != nil {
		t.Fatal(err)
	}
	return evalOutcome{Value: s}
}

func parse(t *testing.T, s string) any {
	t.Helper()
	v, err := jsonval.ParseString(s)
	if err != nil {
		t.Fatalf("parse %s: %v", s, err)
	}
	return v
}

func TestIntrinsicFunctions(t *testing.T) {
	const fail = dataflow.ErrorIntrinsicFailure
	tests := []struct {
		call, input string
		want        evalOutcome
	}{
		// States.Format (conformance test_string_operations/test_format_*).
		{"States.Format('Formatting argument {}.', $.x)", `{"x":1.1}`, evalOutcome{Value: `"Formatting argument 1.1."`}},
		{"States.Format('fst={} and snd={}.', $.a, $.b)", `{"a":null,"b":" "}`, evalOutcome{Value: `"fst=null and snd= ."`}},
		{"States.Format('fst={}', $.a)", `{"a":{"Arg1":1,"Arg2":[]}}`, evalOutcome{Value: `"fst={Arg1=1, Arg2=[]}"`}},
		{"States.Format('{}', $.a)", `{"a":[1,"x",true]}`, evalOutcome{Value: `"[1, x, true]"`}},
		{"States.Format('{} xyz {}', 1, 'def')", `{}`, evalOutcome{Value: `"1 xyz def"`}},
		{"States.Format('Welcome to {} {}\\'s playlist.', $.f, $.l)", `{"f":"Ada","l":"L"}`, evalOutcome{Value: `"Welcome to Ada L's playlist."`}},
		{"States.Format('\\{\\} {} \\\\', 'x')", `{}`, evalOutcome{Value: `"{} x \\"`}},
		{"States.Format($.t, 'Pikachu')", `{"t":"It's {}!"}`, evalOutcome{Value: `"It's Pikachu!"`}},
		{"States.Format('{} {}', 'x')", `{}`, evalOutcome{Name: fail, Cause: "Invalid arguments in States.Format: the format string has more placeholders than there are arguments"}},
		{"States.Format('{}', 'x', 'y')", `{}`, evalOutcome{Name: fail, Cause: "Invalid arguments in States.Format: the format string has fewer placeholders than there are arguments"}},
		{"States.Format($.n, 'x')", `{"n":1}`, evalOutcome{Name: fail, Cause: "Invalid arguments in States.Format: the format string must be a string, not a number"}},

		// States.StringToJson / JsonToString (test_json_manipulation).
		{"States.StringToJson($.s)", `{"s":"{\"Arg1\": 1, \"Arg2\": []}"}`, evalOutcome{Value: `{"Arg1":1,"Arg2":[]}`}},
		{"States.StringToJson($.s)", `{"s":""}`, evalOutcome{Value: `null`}},
		{"States.StringToJson($.s)", `{"s":" "}`, evalOutcome{Value: `null`}},
		{"States.StringToJson($.s)", `{"s":"-0"}`, evalOutcome{Value: `0`}},
		{"States.StringToJson($.s)", `{"s":"1.10"}`, evalOutcome{Value: `1.10`}},
		{"States.StringToJson($.s)", `{"s":"{bad"}`, evalOutcome{Name: fail, Cause: "Invalid arguments in States.StringToJson: the argument is not valid JSON: {bad"}},
		{"States.StringToJson($.s)", `{"s":1}`, evalOutcome{Name: fail, Cause: "Invalid arguments in States.StringToJson: the argument must be a string, not a number"}},
		{"States.JsonToString($.x)", `{"x":{"Arg1":1,"Arg2":[]}}`, evalOutcome{Value: `"{\"Arg1\":1,\"Arg2\":[]}"`}},
		{"States.JsonToString($.x)", `{"x":"HelloWorld"}`, evalOutcome{Value: `"\"HelloWorld\""`}},
		{"States.JsonToString($.x)", `{"x":null}`, evalOutcome{Value: `"null"`}},

		// States.Array and friends (test_array).
		{"States.Array()", `{}`, evalOutcome{Value: `[]`}},
		{"States.Array('Foo', 2020, $.j, null)", `{"j":{"a":1}}`, evalOutcome{Value: `["Foo",2020,{"a":1},null]`}},
		{"States.Array('Foo', 2.3, true, false)", `{}`, evalOutcome{Value: `["Foo",2.3,true,false]`}},
		{"States.ArrayPartition($.a, 2)", `{"a":[0,1,2]}`, evalOutcome{Value: `[[0,1],[2]]`}},
		{"States.ArrayPartition($.a, 4)", `{"a":[]}`, evalOutcome{Value: `[]`}},
		{"States.ArrayPartition($.a, 0)", `{"a":[1]}`, evalOutcome{Name: fail, Cause: "Invalid arguments in States.ArrayPartition: the chunk size must be greater than 0, not 0"}},
		{"States.ArrayPartition($.a, 1.5)", `{"a":[1]}`, evalOutcome{Name: fail, Cause: "Invalid arguments in States.ArrayPartition: the chunk size must be an integer, not 1.5"}},
		{"States.ArrayPartition($.a, 1)", `{"a":"x"}`, evalOutcome{Name: fail, Cause: "Invalid arguments in States.ArrayPartition: the first argument must be an array, not a string"}},
		{"States.ArrayContains($.a, $.b)", `{"a":[[1,2,3],2],"b":[1,2,3]}`, evalOutcome{Value: `true`}},
		{"States.ArrayContains($.a, $.b)", `{"a":[{"1":2,"2":[]}],"b":{"2":[],"1":2}}`, evalOutcome{Value: `true`}},
		{"States.ArrayContains($.a, $.b)", `{"a":[],"b":[]}`, evalOutcome{Value: `false`}},
		{"States.ArrayContains($.a, 1.0)", `{"a":[1]}`, evalOutcome{Value: `true`}},
		{"States.ArrayRange(0, 10, 3)", `{}`, evalOutcome{Value: `[0,3,6,9]`}},
		{"States.ArrayRange(1, 9, 2)", `{}`, evalOutcome{Value: `[1,3,5,7,9]`}},
		{"States.ArrayRange(1, 9, 9)", `{}`, evalOutcome{Value: `[1]`}},
		{"States.ArrayRange(5, 1, -2)", `{}`, evalOutcome{Value: `[5,3,1]`}},
		{"States.ArrayRange(5, 1, 1)", `{}`, evalOutcome{Value: `[]`}},
		{"States.ArrayRange(1, 1000, 1)", `{}`, evalOutcome{Value: rangeJSON(1, 1000)}},
		{"States.ArrayRange(0, 1000, 1)", `{}`, evalOutcome{Name: fail, Cause: "Invalid arguments in States.ArrayRange: the range has 1001 items, more than the maximum of 1000"}},
		{"States.ArrayRange(0, 10, 0)", `{}`, evalOutcome{Name: fail, Cause: "Invalid arguments in States.ArrayRange: the step must not be 0"}},
		{"States.ArrayGetItem($.a, 5)", `{"a":[1,2,3,4,5,6,7,8,9]}`, evalOutcome{Value: `6`}},
		{"States.ArrayGetItem($.a, 3)", `{"a":[1,2,3]}`, evalOutcome{Name: fail, Cause: "Invalid arguments in States.ArrayGetItem: the index 3 is out of bounds for an array of 3 items"}},
		{"States.ArrayGetItem($.a, -1)", `{"a":[1,2,3]}`, evalOutcome{Name: fail, Cause: "Invalid arguments in States.ArrayGetItem: the index -1 is out of bounds for an array of 3 items"}},
		{"States.ArrayLength($.a)", `{"a":[null,1,[],{}]}`, evalOutcome{Value: `4`}},
		{"States.ArrayUnique($.a)", `{"a":[1,2,2,3,1.0,"1",{"a":1},{"a":1}]}`, evalOutcome{Value: `[1,2,3,"1",{"a":1}]`}},

		// Encoding and hashing (test_encode_decode, test_hash_calculations).
		{"States.Base64Encode($.s)", `{"s":"Data to encode"}`, evalOutcome{Value: `"RGF0YSB0byBlbmNvZGU="`}},
		{"States.Base64Encode($.s)", `{"s":""}`, evalOutcome{Value: `""`}},
		{"States.Base64Decode($.s)", `{"s":"RGF0YSB0byBlbmNvZGU="}`, evalOutcome{Value: `"Data to encode"`}},
		{"States.Base64Decode($.s)", `{"s":"***"}`, evalOutcome{Name: fail, Cause: "Invalid arguments in States.Base64Decode: the argument is not valid Base64"}},
		{"States.Hash($.s, 'SHA-256')", `{"s":"input data"}`, evalOutcome{Value: `"b4a697a057313163aee33cd8d40c66e9f0f177e00cac2de32475ffff6169c3e3"`}},
		{"States.Hash($.s, 'MD5')", `{"s":"input data"}`, evalOutcome{Value: `"812f45842bc6d66ee14572ce20db8e86"`}},
		{"States.Hash($.s, 'SHA-1')", `{"s":"input data"}`, evalOutcome{Value: `"aaff4a450a104cd177d28d18d74485e8cae074b7"`}},
		{"States.Hash($.s, 'SHA-2')", `{"s":"x"}`, evalOutcome{Name: fail, Cause: `Invalid arguments in States.Hash: the algorithm "SHA-2" is not supported; use MD5, SHA-1, SHA-256, SHA-384 or SHA-512`}},

		// States.JsonMerge (test_json_merge): shallow only.
		{"States.JsonMerge($.a, $.b, false)", `{"a":{"a":{"a1":1},"b":2,"d":3},"b":{"a":{"a3":1},"c":3,"d":4}}`, evalOutcome{Value: `{"a":{"a3":1},"b":2,"d":4,"c":3}`}},
		{"States.JsonMerge($.a, $.b, true)", `{"a":{},"b":{}}`, evalOutcome{Name: fail, Cause: "Invalid arguments in States.JsonMerge: deep merging is not supported; the third argument must be false"}},
		{"States.JsonMerge($.a, $.b, false)", `{"a":[],"b":{}}`, evalOutcome{Name: fail, Cause: "Invalid arguments in States.JsonMerge: the first two arguments must be objects"}},

		// Math (test_math_operations): operands rounded half up.
		{"States.MathAdd($.a, $.b)", `{"a":1.49,"b":1.5}`, evalOutcome{Value: `3`}},
		{"States.MathAdd($.a, $.b)", `{"a":-2.5,"b":0}`, evalOutcome{Value: `-2`}},
		{"States.MathAdd($.a, $.b)", `{"a":-1.51,"b":0}`, evalOutcome{Value: `-2`}},
		{"States.MathAdd($.a, -1)", `{"a":-9}`, evalOutcome{Value: `-10`}},
		{"States.MathAdd(1, '-1')", `{}`, evalOutcome{Name: fail, Cause: "Invalid arguments in States.MathAdd: the arguments must be numbers, not a string"}},
		// Seeded: java.util.Random(seed).nextInt(end-start)+start, checked
		// against a JVM.
		{"States.MathRandom(1, 1000, 7)", `{}`, evalOutcome{Value: `971`}},
		{"States.MathRandom(0, 16, 42)", `{}`, evalOutcome{Value: `11`}},
		{"States.MathRandom(1, 2)", `{}`, evalOutcome{Value: `1`}},
		{"States.MathRandom(5, 5)", `{}`, evalOutcome{Name: fail, Cause: "Invalid arguments in States.MathRandom: the end (5) must be greater than the start (5)"}},

		// States.StringSplit (test_string_split): every delimiter character
		// splits, empty pieces are dropped.
		{"States.StringSplit($.s, $.d)", `{"s":", , ,","d":","}`, evalOutcome{Value: `[" "," "]`}},
		{"States.StringSplit($.s, $.d)", `{"s":",,,,","d":","}`, evalOutcome{Value: `[]`}},
		{"States.StringSplit($.s, $.d)", `{"s":"This.is+a,test=string","d":".+,="}`, evalOutcome{Value: `["This","is","a","test","string"]`}},

		// States.UUID: version 4 from Env.Rand.
		{"States.UUID()", `{}`, evalOutcome{Value: `"00000000-0000-4001-8000-000000000002"`}},

		// Nesting and context/variable arguments.
		{"States.ArrayGetItem(States.StringSplit($$.StateMachine.Name, '-'), States.MathAdd(States.ArrayLength(States.StringSplit($$.StateMachine.Name, '-')), -1))", `{}`, evalOutcome{Value: `"c"`}},
		{"States.Format('{}', $s)", `{}`, evalOutcome{Value: `"x"`}},

		// A path argument that selects nothing.
		{"States.Format('{}', $.missing)", `{}`, evalOutcome{Name: dataflow.ErrorRuntime, Cause: "Invalid path '$.missing' : No results for path: $['missing']"}},
	}
	for _, tt := range tests {
		t.Run(tt.call, func(t *testing.T) {
			fn, err := dataflow.CompileIntrinsic(tt.call)
			if err != nil {
				t.Fatal(err)
			}
			ctx := parse(t, `{"StateMachine":{"Name":"a-b-c"}}`)
			vars, _ := dataflow.NewVars(nil).Assign(mustObject(`{"s":"x"}`))
			n := uint64(0)
			env := &dataflow.Env{Context: ctx, Vars: vars, Rand: func() uint64 { n++; return n }}
			v, err := fn.Eval(parse(t, tt.input), env)
			if d := cmp.Diff(tt.want, outcome(t, v, err)); d != "" {
				t.Errorf("(-want +got):\n%s", d)
			}
		})
	}
}

func rangeJSON(from, to int) string {
	v := make([]any, 0, to-from+1)
	for i := from; i <= to; i++ {
		v = append(v, jsonval.FromGo(i))
	}
	return jsonval.MustMarshalString(v)
}

func TestIntrinsicWithoutRand(t *testing.T) {
	for _, call := range []string{"States.UUID()", "States.MathRandom(1, 10)"} {
		fn, err := dataflow.CompileIntrinsic(call)
		if err != nil {
			t.Fatal(err)
		}
		_, err = fn.Eval(nil, nil)
		var f *dataflow.Failure
		if !errors.As(err, &f) || f.Name != dataflow.ErrorRuntime {
			t.Errorf("%s without Rand: %v, want States.Runtime", call, err)
		}
	}
}

func TestIntrinsicEncodingLimits(t *testing.T) {
	long := make([]byte, 10001)
	for i := range long {
		long[i] = 'a'
	}
	input := jsonval.NewObject(1)
	input.Set("s", string(long[:10000]))
	for _, call := range []string{"States.Base64Encode($.s)", "States.Hash($.s, 'SHA-1')"} {
		fn, _ := dataflow.CompileIntrinsic(call)
		if _, err := fn.Eval(input, nil); err != nil {
			t.Errorf("%s with 10,000 characters: %v", call, err)
		}
	}
	input.Set("s", string(long))
	for _, call := range []string{"States.Base64Encode($.s)", "States.Base64Decode($.s)", "States.Hash($.s, 'SHA-1')"} {
		fn, _ := dataflow.CompileIntrinsic(call)
		_, err := fn.Eval(input, nil)
		var f *dataflow.Failure
		if !errors.As(err, &f) || f.Name != dataflow.ErrorIntrinsicFailure {
			t.Errorf("%s with 10,001 characters: %v, want States.IntrinsicFailure", call, err)
		}
	}
}
