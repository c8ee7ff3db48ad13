package jsonata_test

import (
	"errors"
	"runtime"
	"strings"
	"testing"
	"time"

	"stepwise/jsonata"
	"stepwise/jsonval"
)

// allocated runs f and returns the bytes the Go runtime allocated meanwhile
// (all goroutines; tests in this package do not run in parallel).
func allocated(f func()) uint64 {
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	f()
	runtime.ReadMemStats(&after)
	return after.TotalAlloc - before.TotalAlloc
}

// dag builds, in a few steps, a value that repeats one part 2^40 times: the
// kind of value that looks small to the step budget and is enormous to
// every walk over it (encoding, copying, comparing).
const dagArray = `$reduce([1..40], function($acc, $i){ [[$acc], [$acc]] }, [0])`
const dagObject = `$reduce([1..40], function($acc, $i){ {"a": $acc, "b": $acc} }, {"x": "y"})`

// TestMemoryBudget pins issue 14 item 9: an evaluation may allocate at most
// Options.MaxAlloc (DefaultMaxAlloc, 64 MiB), and one that would allocate
// more fails with U1002, fast and with its allocations bounded. The first
// case took a server to 1.8 GB within the step budget.
func TestMemoryBudget(t *testing.T) {
	tests := []struct {
		name, expr string
		code       string // U1002 unless set
	}{
		{"range of ranges (the poison pill)", `$count([1..3000].([1..3000]))`, ""},
		{"map of ranges", `$count($map([1..3000], function($i){ [1..3000] }))`, ""},
		{"objects of ranges", `$count([1..3000].{"a": [1..3000]})`, ""},
		{"array constructor of ranges", `$count([[1..3000].[1..3000]])`, ""},
		{"filter over a range", `$count([1..3000].([1..3000])[$ > 0])`, ""},
		{"join of pads", `$length($join([1..3000].$pad("", 30000, "x")))`, ""},
		{"concatenation of pads", `$length($reduce([1..3000], function($a, $i){ $a & $pad("", 30000, "x") }, ""))`, ""},
		{"string doubling", `$length($reduce([1..40], function($a, $i){ $a & $a }, "x"))`, ""},
		{"replace with a long text", `$length($replace($pad("", 100000, "a"), "a", $pad("", 1000, "b")))`, ""},
		{"regex replace with $0", `$length($replace($pad("", 100000, "a"), /a+/, $join([1..20000].("$0"))))`, ""},
		{"split into characters", `$count($split($pad("", 3000000, "a"), ""))`, ""},
		{"keys of objects", `$count([1..3000].$keys($merge([1..3000].{$string($): 1})))`, ""},
		{"tuple stream", `$count($.([1..3000])#$j.([1..3000])#$k.($j))`, ""},
		{"sort of ranges", `$count([1..3000].$sort([1..3000]))`, ""},
		{"spread of objects", `$count([1..3000].$spread([1..3000].{"k": $}))`, ""},
		{"shared parts as the result", dagArray, ""},
		{"shared parts in $string", `$length($string(` + dagArray + `))`, ""},
		{"shared objects in $string", `$length($string(` + dagObject + `))`, ""},
		{"shared parts in &", `$length("" & ` + dagObject + `)`, ""},
		{"shared parts in $clone", `$exists($clone(` + dagObject + `))`, ""},
		{"shared parts in a transform", `(` + dagObject + `) ~> |$|{"z": 1}|`, ""},
		{"shared parts in a path", `$count((` + dagObject + `).**)`, ""},
		{"shared arrays in a path", `$count((` + dagArray + `).x)`, ""},
		{"shared arrays in a wildcard", `$count((` + dagArray + `).*)`, ""},
		{"shared arrays in $keys", `$count($keys(` + dagArray + `))`, ""},
		{"shared arrays in $spread", `$count($spread(` + dagArray + `))`, ""},
		{"shared parts in a native function", `$count($native(` + dagArray + `))`, ""},
		{"shared parts compared", `(` + dagArray + `) = (` + dagArray + `)`, "U1001"},
		{"shared parts in an error", `(` + dagObject + `) + 1`, "T2001"},
	}
	native := jsonata.Function{Impl: func(args []any) (any, bool, error) { return args[0], true, nil }}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e, err := jsonata.Compile(tt.expr)
			if err != nil {
				t.Fatal(err)
			}
			want := tt.code
			if want == "" {
				want = "U1002"
			}
			var gotErr error
			start := time.Now()
			bytes := allocated(func() {
				_, _, gotErr = e.Evaluate(nil, &jsonata.Options{Functions: map[string]jsonata.Function{"native": native}})
			})
			took := time.Since(start)
			var je *jsonata.Error
			if !errors.As(gotErr, &je) || je.Code != want {
				t.Fatalf("got %v, want an error with code %s", gotErr, want)
			}
			if want == "U1002" && !strings.Contains(je.Message, "Memory limit exceeded") {
				t.Errorf("message %q does not name the memory limit", je.Message)
			}
			if len(je.Error()) > 2000 {
				t.Errorf("error message is %d bytes long", len(je.Error()))
			}
			// The budget counts what values cost; the runtime allocates
			// some more (slice growth, temporaries): a small multiple.
			if limit := uint64(4 * jsonata.DefaultMaxAlloc); bytes > limit {
				t.Errorf("allocated %d MiB, more than %d MiB", bytes>>20, limit>>20)
			}
			if took > 10*time.Second {
				t.Errorf("took %v", took)
			}
		})
	}
}

// TestMemoryBudgetMessage pins the error's wording, which Step Functions
// shows as the cause of a States.QueryEvaluationError.
func TestMemoryBudgetMessage(t *testing.T) {
	_, _, err := eval(t, `$count([1..3000].([1..3000]))`, nil, nil)
	want := "Memory limit exceeded: the expression built values of more than 64 MiB (the evaluation's allocation limit)"
	var je *jsonata.Error
	if !errors.As(err, &je) || je.Message != want {
		t.Fatalf("got %v, want message %q", err, want)
	}
}

// TestMaxAllocOption checks that Options.MaxAlloc sets the budget, and that
// the default leaves room for what workflows do.
func TestMaxAllocOption(t *testing.T) {
	const expr = `$count([1..100000])` // 2.4 MB of numbers
	if v, _, err := eval(t, expr, nil, nil); err != nil || v != 100000.0 {
		t.Fatalf("default budget: got %v, %v", v, err)
	}
	_, _, err := eval(t, expr, nil, &jsonata.Options{MaxAlloc: 1 << 20})
	var je *jsonata.Error
	if !errors.As(err, &je) || je.Code != "U1002" || !strings.Contains(je.Message, "1 MiB") {
		t.Fatalf("1 MiB budget: got %v, want U1002 naming 1 MiB", err)
	}
	if v, _, err := eval(t, `$count([1..1000].([1..1000]))`, nil, &jsonata.Options{MaxAlloc: 1 << 30}); err != nil || v != 1e6 {
		t.Fatalf("1 GiB budget: got %v, %v", v, err)
	}
}

// TestLinearGrouping checks that grouping and spreading many items costs
// linear time and memory: both appended with a copy per item before
// (jsonata-js's fn.append), 200,000 items took hours.
func TestLinearGrouping(t *testing.T) {
	tests := []struct{ expr, want string }{
		{`$count(([1..200000]{"k": $}).k)`, "200000"},
		{`$count(([1..100000]#$i{"k": $}).k)`, "100000"},
		{`$count($spread([1..200000]))`, "200000"},
		{`$count($spread([1..100000].{"a": $, "b": $}))`, "200000"},
		{`$spread([[]])`, "[]"},
		{`$spread([])`, ""},
		{`$spread([{"a": 1}, [{"b": 2}, 3]])`, `[{"a": 1}, {"b": 2}, 3]`},
		{`[1, 2, 3]{"k": $}`, `{"k": [1, 2, 3]}`},
		{`[[1, 2], 3, [4]]{"k": $}`, `{"k": [1, 2, 3, 4]}`},
	}
	for _, tt := range tests {
		start := time.Now()
		v, defined, err := eval(t, tt.expr, nil, nil)
		if err != nil {
			t.Fatalf("%s: %v", tt.expr, err)
		}
		if tt.want == "" {
			if defined {
				t.Errorf("%s = %v, want undefined", tt.expr, v)
			}
			continue
		}
		if !defined || !jsonval.Equal(v, mustJSON(t, tt.want)) {
			t.Errorf("%s = %v, want %s", tt.expr, v, tt.want)
		}
		if d := time.Since(start); d > 5*time.Second {
			t.Errorf("%s took %v", tt.expr, d)
		}
	}
}
