package jsonata_test

import (
	"encoding/json"
	"errors"
	"math/rand/v2"
	"sync"
	"testing"
	"time"

	"stepwise/jsonata"
	"stepwise/jsonval"
)

func mustJSON(t *testing.T, s string) any {
	t.Helper()
	v, err := jsonval.ParseString(s)
	if err != nil {
		t.Fatalf("parse %s: %v", s, err)
	}
	return v
}

func eval(t *testing.T, expr string, input any, opts *jsonata.Options) (any, bool, error) {
	t.Helper()
	e, err := jsonata.Compile(expr)
	if err != nil {
		t.Fatalf("Compile(%q): %v", expr, err)
	}
	return e.Evaluate(input, opts)
}

// TestSemantics pins behaviours of jsonata-js that are easy to get wrong.
func TestSemantics(t *testing.T) {
	tests := []struct {
		name  string
		expr  string
		input string // JSON; "" means undefined input
		want  string // JSON; "" means undefined
		code  string
	}{
		{"singleton collapses", "a.b", `{"a": [{"b": 1}]}`, `1`, ""},
		{"keep singleton array", "a.b[]", `{"a": [{"b": 1}]}`, `[1]`, ""},
		{"nested arrays flatten", "a.b", `{"a": [{"b": [1, 2]}, {"b": [3]}]}`, `[1, 2, 3]`, ""},
		{"last step keeps inner array", "a.b", `{"a": {"b": [[1, 2]]}}`, `[[1, 2]]`, ""},
		{"array constructor in path", "a.[b]", `{"a": [{"b": 1}, {"b": 2}]}`, `[[1], [2]]`, ""},
		{"top-level array input", "$[0]", `[5, 6]`, `5`, ""},
		{"root of array input", "$$", `[5, 6]`, `[5, 6]`, ""},
		{"negative index", "a[-1]", `{"a": [1, 2, 3]}`, `3`, ""},
		{"index list", "a[[0, 2]]", `{"a": [1, 2, 3]}`, `[1, 3]`, ""},
		{"missing is undefined", "nothing", `{"a": 1}`, ``, ""},
		{"null is kept", "a", `{"a": null}`, `null`, ""},
		{"undefined input", "$exists($)", ``, `false`, ""},
		{"focus and index", `a@$x#$i.{"v": $x, "i": $i}`, `{"a": [10, 20]}`, `[{"v": 10, "i": 0}, {"v": 20, "i": 1}]`, ""},
		{"parent", `a.b.%.c`, `{"a": {"b": 1, "c": 2}}`, `2`, ""},
		{"group by", `a{k: $sum(v)}`, `{"a": [{"k": "x", "v": 1}, {"k": "x", "v": 2}, {"k": "y", "v": 5}]}`, `{"x": 3, "y": 5}`, ""},
		{"order by", `a^(>v).v`, `{"a": [{"v": 1}, {"v": 3}, {"v": 2}]}`, `[3, 2, 1]`, ""},
		{"string concat numbers", `1/3 & ""`, ``, `"0.333333333333333"`, ""},
		{"$string keeps integers", `$string(a)`, `{"a": 1.0}`, `"1"`, ""},
		{"number passthrough", `a`, `{"a": 12345678901234567890}`, `12345678901234567890`, ""},
		{"tail recursion", `($f := function($n, $acc){ $n = 0 ? $acc : $f($n - 1, $acc + 1) }; $f(5000, 0))`, ``, `5000`, ""},
		{"closures", `($make := function($x){ function($y){ $x + $y } }; $make(2)(3))`, ``, `5`, ""},
		{"partial application", `$substring(?, 1, 2)("hello")`, ``, `"el"`, ""},
		{"chain of functions", `($f := $uppercase ~> $substring(?, 0, 2); $f("hello"))`, ``, `"HE"`, ""},
		{"regex match", `$match("ab12cd345", /[0-9]+/).match`, ``, `["12", "345"]`, ""},
		{"regex replace groups", `$replace("John Smith", /(\w+)\s(\w+)/, "$2, $1")`, ``, `"Smith, John"`, ""},
		{"transform copies", `$ ~> |a|{"c": 3}, ["b"]|`, `{"a": {"b": 1}}`, `{"a": {"c": 3}}`, ""},
		{"type error", `"a" + 1`, ``, ``, "T2001"},
		{"compare mismatch", `1 < "a"`, ``, ``, "T2009"},
		{"signature mismatch", `$substring(1, 2, 3)`, ``, ``, "T0410"},
		{"array signature", `$sum(["a"])`, ``, ``, "T0412"},
		{"error function", `$error("boom")`, ``, ``, "D3137"},
		{"non-function call", `$x()`, ``, ``, "T1006"},
		{"forgotten dollar", `uppercase("a")`, `{"uppercase": 1}`, ``, "T1006"},
		{"infinite recursion", `($f := function($n){ $n + $f($n) }; $f(1))`, ``, ``, "U1001"},
		{"infinite tail loop", `($f := function(){ $f() }; $f())`, ``, ``, "U1001"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var input any = jsonata.Undefined
			if tt.input != "" {
				input = mustJSON(t, tt.input)
			}
			got, defined, err := eval(t, tt.expr, input, &jsonata.Options{MaxSteps: 1_000_000})
			if tt.code != "" {
				var je *jsonata.Error
				if !errors.As(err, &je) || je.Code != tt.code {
					t.Fatalf("%s: got (%v, %v), want error %s", tt.expr, got, err, tt.code)
				}
				return
			}
			if err != nil {
				t.Fatalf("%s: %v", tt.expr, err)
			}
			if tt.want == "" {
				if defined {
					t.Fatalf("%s = %s, want undefined", tt.expr, show(got))
				}
				return
			}
			if !defined || !jsonval.Equal(mustJSON(t, tt.want), got) {
				t.Fatalf("%s = %s (defined %v), want %s", tt.expr, show(got), defined, tt.want)
			}
		})
	}
}

// TestResultModel checks that results use only jsonval types.
func TestResultModel(t *testing.T) {
	input := mustJSON(t, `{"a": [1, 2, 3], "b": {"c": "x"}}`)
	got, _, err := eval(t, `{"s": a.($ * 2), "n": $count(a), "o": b, "f": function(){1}, "arr": [a, b.c]}`, input, nil)
	if err != nil {
		t.Fatal(err)
	}
	o := got.(*jsonval.Object)
	if s, _ := o.Get("s"); !jsonval.Equal(s, []any{2.0, 4.0, 6.0}) {
		t.Errorf("s = %#v", s)
	}
	if n, _ := o.Get("n"); n != 3.0 {
		t.Errorf("n = %#v, want float64 3", n)
	}
	if o.Has("f") {
		t.Errorf("functions must not appear in results")
	}
	if _, err := jsonval.Marshal(got); err != nil {
		t.Errorf("result outside the model: %v", err)
	}
	// input numbers keep their json.Number form
	v, _, _ := eval(t, `a[0]`, input, nil)
	if _, ok := v.(json.Number); !ok {
		t.Errorf("a[0] = %T, want json.Number", v)
	}
}

func TestInputNotModified(t *testing.T) {
	input := mustJSON(t, `{"a": {"b": 1, "c": [1, 2]}}`)
	before := show(input)
	if _, _, err := eval(t, `$ ~> |a|{"b": 2, "d": 3}, ["c"]|`, input, nil); err != nil {
		t.Fatal(err)
	}
	if after := show(input); after != before {
		t.Fatalf("input changed: %s -> %s", before, after)
	}
}

func TestOptions(t *testing.T) {
	now := time.Date(2024, 2, 29, 12, 30, 0, 0, time.UTC)
	t.Run("now and millis", func(t *testing.T) {
		got, _, err := eval(t, `[$now(), $millis()]`, nil, &jsonata.Options{Now: now})
		if err != nil {
			t.Fatal(err)
		}
		want := []any{"2024-02-29T12:30:00.000Z", float64(now.UnixMilli())}
		if !jsonval.Equal(want, got) {
			t.Fatalf("got %s", show(got))
		}
	})
	t.Run("zero now is the epoch", func(t *testing.T) {
		got, _, _ := eval(t, `$now()`, nil, nil)
		if got != "1970-01-01T00:00:00.000Z" {
			t.Fatalf("got %v", got)
		}
	})
	t.Run("random is reproducible", func(t *testing.T) {
		a, _, _ := eval(t, `[$random(), $shuffle([1,2,3,4,5,6])]`, nil, &jsonata.Options{Rand: rand.New(rand.NewPCG(7, 7))})
		b, _, _ := eval(t, `[$random(), $shuffle([1,2,3,4,5,6])]`, nil, &jsonata.Options{Rand: rand.New(rand.NewPCG(7, 7))})
		if !jsonval.Equal(a, b) {
			t.Fatalf("%s != %s", show(a), show(b))
		}
	})
	t.Run("bindings", func(t *testing.T) {
		got, _, err := eval(t, `$states.input.x + $v`, nil, &jsonata.Options{Bindings: map[string]any{
			"states": mustJSON(t, `{"input": {"x": 1}}`),
			"v":      json.Number("2"),
		}})
		if err != nil || got != 3.0 {
			t.Fatalf("got %v, %v", got, err)
		}
	})
	t.Run("functions", func(t *testing.T) {
		opts := &jsonata.Options{Functions: map[string]jsonata.Function{
			"hash": {Signature: "<s:s>", Impl: func(args []any) (any, bool, error) {
				return "h:" + args[0].(string), true, nil
			}},
			"nothing": {Impl: func(args []any) (any, bool, error) { return nil, false, nil }},
			"fail":    {Impl: func(args []any) (any, bool, error) { return nil, false, errors.New("no") }},
		}}
		got, _, err := eval(t, `$hash("a")`, nil, opts)
		if err != nil || got != "h:a" {
			t.Fatalf("got %v, %v", got, err)
		}
		if _, defined, err := eval(t, `$nothing()`, nil, opts); defined || err != nil {
			t.Fatalf("got defined %v, %v", defined, err)
		}
		if _, _, err := eval(t, `$hash(1)`, nil, opts); err == nil || err.(*jsonata.Error).Code != "T0410" {
			t.Fatalf("got %v, want T0410", err)
		}
		if _, _, err := eval(t, `$fail()`, nil, opts); err == nil || err.(*jsonata.Error).Code != "D3137" {
			t.Fatalf("got %v, want D3137", err)
		}
	})
	t.Run("function bindings", func(t *testing.T) {
		opts := &jsonata.Options{Bindings: map[string]any{
			"uuid": func(args []any) (any, bool, error) { return "u-1", true, nil },
			"inc": jsonata.Function{Signature: "<n:n>", Impl: func(args []any) (any, bool, error) {
				f, _ := jsonval.Float(args[0])
				return f + 1, true, nil
			}},
		}}
		got, _, err := eval(t, `$uuid() & $string($inc(1))`, nil, opts)
		if err != nil || got != "u-12" {
			t.Fatalf("got %v, %v", got, err)
		}
	})
	t.Run("random overridable", func(t *testing.T) {
		opts := &jsonata.Options{Functions: map[string]jsonata.Function{
			"random": {Signature: "<n?:n>", Impl: func(args []any) (any, bool, error) { return 0.5, true, nil }},
		}}
		got, _, err := eval(t, `$random(42)`, nil, opts)
		if err != nil || got != 0.5 {
			t.Fatalf("got %v, %v", got, err)
		}
	})
	t.Run("disable eval", func(t *testing.T) {
		if got, _, err := eval(t, `$eval("1 + 1")`, nil, nil); err != nil || got != 2.0 {
			t.Fatalf("got %v, %v", got, err)
		}
		_, _, err := eval(t, `$eval("1 + 1")`, nil, &jsonata.Options{DisableEval: true})
		if err == nil || err.(*jsonata.Error).Code != "T1006" {
			t.Fatalf("got %v, want T1006", err)
		}
	})
	t.Run("max steps", func(t *testing.T) {
		_, _, err := eval(t, `[1..100000].($ * 2)`, nil, &jsonata.Options{MaxSteps: 1000})
		if err == nil || err.(*jsonata.Error).Code != "U1001" {
			t.Fatalf("got %v, want U1001", err)
		}
	})
	t.Run("max depth", func(t *testing.T) {
		expr := `($f := function($n){ $n = 0 ? 0 : 1 + $f($n - 1) }; $f(50))`
		if _, _, err := eval(t, expr, nil, &jsonata.Options{MaxDepth: 100}); err == nil || err.(*jsonata.Error).Code != "U1001" {
			t.Fatalf("got %v, want U1001", err)
		}
		if got, _, err := eval(t, expr, nil, &jsonata.Options{MaxDepth: 1000}); err != nil || got != 50.0 {
			t.Fatalf("got %v, %v", got, err)
		}
	})
}

func TestConcurrentEvaluate(t *testing.T) {
	e := jsonata.MustCompile(`$sum(a[$ > 1]) & $string(b{c: $count(d)})`)
	input := mustJSON(t, `{"a": [1, 2, 3], "b": [{"c": "x", "d": [1, 2]}, {"c": "y", "d": 1}]}`)
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			for range 200 {
				got, _, err := e.Evaluate(input, nil)
				if err != nil || got != `5{"x":2,"y":1}` {
					t.Errorf("got %v, %v", got, err)
					return
				}
			}
		})
	}
	wg.Wait()
}

func TestTransformLeavesInputAlone(t *testing.T) {
	input := mustJSON(t, `{"a": {"b": 1}}`)
	before := show(input)
	got, _, err := eval(t, `$ ~> |$$.a|{"b": 2}|`, input, nil)
	if err != nil {
		t.Fatal(err)
	}
	if after := show(input); after != before {
		t.Fatalf("input changed: %s -> %s", before, after)
	}
	if show(got) != before {
		t.Fatalf("got %s, want an unchanged copy", show(got))
	}
}
