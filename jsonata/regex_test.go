package jsonata_test

import (
	"testing"

	"stepwise/jsonata"
	"stepwise/jsonval"
)

func TestRegexTranslation(t *testing.T) {
	tests := []struct {
		expr string
		want string
	}{
		{`$contains("a\u00a0b", /a\sb/)`, `true`},
		{`$contains("a\u00a0b", /a[\s]b/)`, `true`},
		{`$contains("a b", /a\Sb/)`, `false`},
		{`$match("x/y", /\//).index`, `1`},
		{`$replace("aXbx", /x/i, "-")`, `"a-b-"`},
		{`$split("a1b22c", /\d+/)`, `["a", "b", "c"]`},
		{`$match("ab\ncd", /^c/m).index`, `3`},
		{`$contains("cafe\u00e9", /\u00e9/)`, `true`},
		{`$match("😀a", /a/).index`, `2`},
		{`/(?<y>\d{4})/("in 2024").groups`, `["2024"]`},
	}
	for _, tt := range tests {
		t.Run(tt.expr, func(t *testing.T) {
			e, err := jsonata.Compile(tt.expr)
			if err != nil {
				t.Fatal(err)
			}
			got, _, err := e.Evaluate(nil, nil)
			if err != nil {
				t.Fatal(err)
			}
			want, _ := jsonval.ParseString(tt.want)
			if !jsonval.Equal(want, got) {
				t.Fatalf("got %s, want %s", show(got), tt.want)
			}
		})
	}
}
