package jsonval_test

import (
	"encoding/json"
	"errors"
	"math"
	"testing"

	"stepwise/jsonval"
)

func TestParseRoundTrip(t *testing.T) {
	tests := []struct {
		in, want string
	}{
		{`null`, `null`},
		{` true `, `true`},
		{`false`, `false`},
		{`"a\"b\\c\n\u00e9\ud83d\ude00"`, `"a\"b\\c\né😀"`},
		{`"<&>"`, `"<&>"`},
		{`12345678901234567890123`, `12345678901234567890123`},
		{`1.10`, `1.10`},
		{`-0.5e-3`, `-0.5e-3`},
		{`{"b":1,"a":[1,2,{"c":null}],"z":{}}`, `{"b":1,"a":[1,2,{"c":null}],"z":{}}`},
		{`[ ]`, `[]`},
		{`{"a":1,"a":2}`, `{"a":2}`},
		{`"\u0001"`, `"\u0001"`},
	}
	for _, tt := range tests {
		v, err := jsonval.ParseString(tt.in)
		if err != nil {
			t.Fatalf("Parse(%s): %v", tt.in, err)
		}
		got, err := jsonval.MarshalString(v)
		if err != nil {
			t.Fatalf("Marshal(%s): %v", tt.in, err)
		}
		if got != tt.want {
			t.Errorf("round trip %s = %s, want %s", tt.in, got, tt.want)
		}
	}
}

func TestParseErrors(t *testing.T) {
	for _, in := range []string{``, `{`, `[1,]`, `{"a" 1}`, `01`, `1.`, `1e`, `"abc`, `tru`, `nul`, `{"a":1}x`, "\"a\x01\"", `"\x"`, `{1:2}`, `-`} {
		if _, err := jsonval.ParseString(in); err == nil {
			t.Errorf("Parse(%q) succeeded, want error", in)
		} else if se := (*jsonval.SyntaxError)(nil); !errors.As(err, &se) {
			t.Errorf("Parse(%q) error %T, want *SyntaxError", in, err)
		}
	}
}

func TestParseDuplicateKeys(t *testing.T) {
	_, err := jsonval.ParseWith([]byte(`{"a":1,"b":{"c":1,"c":2}}`), jsonval.ParseOptions{RejectDuplicateKeys: true})
	var de *jsonval.DuplicateKeyError
	if !errors.As(err, &de) || de.Key != "c" {
		t.Fatalf("got %v, want duplicate key c", err)
	}
}

func TestFormatFloat(t *testing.T) {
	tests := []struct {
		f    float64
		want string
	}{
		{0, "0"}, {math.Copysign(0, -1), "0"}, {1, "1"}, {-3, "-3"}, {0.1, "0.1"}, {1.5, "1.5"},
		{1e21, "1e+21"}, {1e20, "100000000000000000000"}, {123456789012345680000, "123456789012345680000"},
		{1e-7, "1e-7"}, {1.5e-7, "1.5e-7"}, {0.000001, "0.000001"}, {0.30000000000000004, "0.30000000000000004"},
		{-1.25e-10, "-1.25e-10"}, {2.5e300, "2.5e+300"}, {1e15, "1000000000000000"},
	}
	for _, tt := range tests {
		if got := jsonval.FormatFloat(tt.f); got != tt.want {
			t.Errorf("FormatFloat(%v) = %s, want %s", tt.f, got, tt.want)
		}
	}
}

func TestObjectOrderAndIndex(t *testing.T) {
	o := jsonval.NewObject(0)
	for i := range 30 {
		o.Set(string(rune('a'+i%26))+string(rune('0'+i/26)), float64(i))
	}
	o.Set("a0", "replaced")
	o.Delete("b0")
	if o.Len() != 29 {
		t.Fatalf("Len = %d, want 29", o.Len())
	}
	if k, v := o.At(0); k != "a0" || v != "replaced" {
		t.Errorf("At(0) = %s %v", k, v)
	}
	if k, _ := o.At(1); k != "c0" {
		t.Errorf("At(1) = %s, want c0 after delete", k)
	}
	if v, ok := o.Get("d1"); !ok || v != float64(29) {
		t.Errorf("Get(d1) = %v %v", v, ok)
	}
	c := o.Clone()
	c.Set("new", true)
	if o.Has("new") {
		t.Error("Clone shares storage with the original")
	}
}

func TestEqual(t *testing.T) {
	a, _ := jsonval.ParseString(`{"x":[1,2.0,{"y":"z"}],"n":null}`)
	b, _ := jsonval.ParseString(`{"n":null,"x":[1.0,2,{"y":"z"}]}`)
	c, _ := jsonval.ParseString(`{"n":null,"x":[1.0,2,{"y":"w"}]}`)
	if !jsonval.Equal(a, b) {
		t.Error("equal values reported different")
	}
	if jsonval.Equal(a, c) {
		t.Error("different values reported equal")
	}
	if !jsonval.Equal(json.Number("3"), 3.0) || jsonval.Equal("3", 3.0) {
		t.Error("number comparison wrong")
	}
}

func TestMarshalUnsupported(t *testing.T) {
	for _, v := range []any{math.NaN(), math.Inf(1), struct{}{}} {
		if _, err := jsonval.Marshal(v); err == nil {
			t.Errorf("Marshal(%v) succeeded", v)
		}
	}
}

func FuzzParse(f *testing.F) {
	for _, s := range []string{`{"a":[1,"x",null,true]}`, `"\ud800"`, `1e999`, `[[[[]]]]`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		v, err := jsonval.Parse(data)
		if err != nil {
			return
		}
		out, err := jsonval.Marshal(v)
		if err != nil {
			t.Fatalf("Marshal after Parse: %v", err)
		}
		v2, err := jsonval.Parse(out)
		if err != nil {
			t.Fatalf("re-Parse of %s: %v", out, err)
		}
		if !jsonval.Equal(v, v2) {
			t.Fatalf("round trip changed value: %s", out)
		}
	})
}

func TestSize(t *testing.T) {
	for _, in := range []string{`null`, `true`, `false`, `"a\"b\n\u0001é"`, `12.50`, `{"a":[1,{"b":null}],"c":""}`, `[]`} {
		v, _ := jsonval.ParseString(in)
		out, _ := jsonval.Marshal(v)
		if got := jsonval.Size(v); got != len(out) {
			t.Errorf("Size(%s) = %d, want %d", in, got, len(out))
		}
	}
	if got := jsonval.Size(0.1); got != 3 {
		t.Errorf("Size(0.1) = %d", got)
	}
}
