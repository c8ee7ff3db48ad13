package jsonata_test

import (
	"errors"
	"strings"
	"testing"

	"stepwise/jsonata"
)

func TestCompileSyntaxErrors(t *testing.T) {
	tests := []struct {
		name string
		expr string
		code string // "" means the expression is valid
	}{
		{"path", "a.b.c", ""},
		{"predicate", "a[b > 1][0]", ""},
		{"keep array", "a[]", ""},
		{"object", `{"a": 1, "b": [1, 2]}`, ""},
		{"group by", `a{b: c}`, ""},
		{"order by", "a^(>b, <c)", ""},
		{"focus and index", "a@$x#$i.b", ""},
		{"parent", "a.b.%.c", ""},
		{"lambda with signature", "function($a, $b)<nn:n>{ $a + $b }", ""},
		{"lambda symbol", "λ($x){$x}", ""},
		{"partial", "$substring(?, 0, 2)", ""},
		{"transform", `| a | {"b": 1}, ["c"] |`, ""},
		{"regex", `/a+b/i`, ""},
		{"comment", "/* note */ a", ""},
		{"backtick name", "`a b`.c", ""},
		{"chain", "a ~> $uppercase()", ""},
		{"block", "($a := 1; $a + 1)", ""},
		{"conditional", "a ? b : c", ""},
		{"descendants", "**.a", ""},
		{"keywords as names", "and.or.in", ""},

		// JSONata 2.1 operators are not part of 2.0.6.
		{"elvis is 2.1", "a ?: b", "S0211"},
		{"coalescing is 2.1", "a ?? b", "S0211"},

		{"unterminated string", `"abc`, "S0101"},
		{"bad escape", `"\q"`, "S0103"},
		{"bad unicode escape", `"\u12"`, "S0104"},
		{"unterminated backtick", "`abc", "S0105"},
		{"unterminated comment", "/* abc", "S0106"},
		{"number out of range", "1e999", "S0102"},
		{"trailing tokens", "a b", "S0201"},
		{"missing bracket", "a[", "S0203"},
		{"unexpected token", "(a]", "S0202"},
		{"unknown operator", "a ! b", "S0204"},
		{"lambda parameter", "function(a){1}", "S0208"},
		{"predicate after group", "(a){b: c}[0]", "S0209"},
		{"two groups", "a{b: c}{d: e}", "S0210"},
		{"prefix misuse", ")", "S0211"},
		{"bind to non-variable", "a := 1", "S0212"},
		{"number step", "a.1", "S0213"},
		{"focus needs variable", "a@b", "S0214"},
		{"focus after predicate", "a[0]@$x", "S0215"},
		{"focus after sort", "a^(b)@$x", "S0216"},
		{"parent at top", "%", "S0217"},
		{"empty regex", "//", "S0301"},
		{"unterminated regex", "/abc", "S0302"},
		{"lookahead unsupported", "/a(?=b)/", "S0303"},
		{"bad signature type", "function($a)<n<n>>{1}", "S0401"},
		{"end of input", "a.", "S0207"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := jsonata.Compile(tt.expr)
			if tt.code == "" {
				if err != nil {
					t.Fatalf("Compile(%q) = %v, want success", tt.expr, err)
				}
				return
			}
			var je *jsonata.Error
			if !errors.As(err, &je) {
				t.Fatalf("Compile(%q) = %v, want *Error %s", tt.expr, err, tt.code)
			}
			if je.Code != tt.code {
				t.Fatalf("Compile(%q) code = %s (%v), want %s", tt.expr, je.Code, err, tt.code)
			}
			if je.Message == "" || je.Error() == "" {
				t.Fatalf("Compile(%q): empty message", tt.expr)
			}
		})
	}
}

func TestCompileDeepNesting(t *testing.T) {
	_, err := jsonata.Compile(strings.Repeat("(", 100000))
	var je *jsonata.Error
	if !errors.As(err, &je) || je.Code != "U1001" {
		t.Fatalf("got %v, want U1001", err)
	}
	expr := "1"
	for range 300 {
		expr = "(" + expr + ")"
	}
	if _, err := jsonata.Compile(expr); err != nil {
		t.Fatalf("300 levels: %v", err)
	}
}

func TestCompileLongChain(t *testing.T) {
	_, err := jsonata.Compile(strings.Repeat("a.", 50000) + "a")
	var je *jsonata.Error
	if !errors.As(err, &je) || je.Code != "U1001" {
		t.Fatalf("got %v, want U1001", err)
	}
	if _, err := jsonata.Compile(strings.Repeat("a.", 500) + "a"); err != nil {
		t.Fatal(err)
	}
}
