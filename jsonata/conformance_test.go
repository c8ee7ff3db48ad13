package jsonata_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"

	"stepwise/jsonata"
	"stepwise/jsonval"
)

const conformanceDir = "../../shared/conformance/jsonata"

// skipped lists the reference cases that cannot pass, with the reason.
var skipped = map[string]string{}

type conformanceCase struct {
	name      string
	dir       string
	expr      string
	data      any
	defined   bool
	bindings  map[string]any
	depth     int
	timelimit int
	result    any
	hasResult bool
	undefined bool
	code      string
	unordered bool
}

func loadCases(t testing.TB) []conformanceCase {
	t.Helper()
	files, err := filepath.Glob(filepath.Join(conformanceDir, "groups", "*", "*.json"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no conformance cases under %s: %v", conformanceDir, err)
	}
	sort.Strings(files)
	datasets := map[string]any{}
	var cases []conformanceCase
	for _, f := range files {
		raw, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		var many []json.RawMessage
		if strings.HasPrefix(strings.TrimSpace(string(raw)), "[") {
			if err := json.Unmarshal(raw, &many); err != nil {
				t.Fatalf("%s: %v", f, err)
			}
		} else {
			many = []json.RawMessage{raw}
		}
		group := filepath.Base(filepath.Dir(f))
		base := strings.TrimSuffix(filepath.Base(f), ".json")
		for i, m := range many {
			name := group + "/" + base
			if len(many) > 1 {
				name = group + "/" + base + "_" + itoa3(i)
			}
			cases = append(cases, parseCase(t, name, filepath.Dir(f), m, datasets))
		}
	}
	return cases
}

func itoa3(i int) string {
	s := "00" + string(rune('0'+i%10))
	if i >= 10 {
		s = "0" + string(rune('0'+i/10%10)) + string(rune('0'+i%10))
	}
	if i >= 100 {
		s = string(rune('0'+i/100)) + string(rune('0'+i/10%10)) + string(rune('0'+i%10))
	}
	return s
}

func mustParse(t testing.TB, raw json.RawMessage) any {
	t.Helper()
	v, err := jsonval.Parse(raw)
	if err != nil {
		t.Fatalf("parse %s: %v", raw, err)
	}
	return v
}

func parseCase(t testing.TB, name, dir string, raw json.RawMessage, datasets map[string]any) conformanceCase {
	var fields map[string]json.RawMessage
	if err := json.Unmarshal(raw, &fields); err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	c := conformanceCase{name: name, dir: dir}
	if e, ok := fields["expr"]; ok {
		expr, err := wtf8String(e)
		if err != nil {
			t.Fatalf("%s: expr: %v", name, err)
		}
		c.expr = expr
	} else if ef, ok := fields["expr-file"]; ok {
		var fn string
		json.Unmarshal(ef, &fn)
		b, err := os.ReadFile(filepath.Join(dir, fn))
		if err != nil {
			t.Fatal(err)
		}
		c.expr = string(b)
	}
	if d, ok := fields["data"]; ok {
		c.data, c.defined = mustParse(t, d), true
	} else if ds, ok := fields["dataset"]; ok && string(ds) != "null" {
		var dn string
		json.Unmarshal(ds, &dn)
		v, ok := datasets[dn]
		if !ok {
			b, err := os.ReadFile(filepath.Join(conformanceDir, "datasets", dn+".json"))
			if err != nil {
				t.Fatal(err)
			}
			v = mustParse(t, b)
			datasets[dn] = v
		}
		c.data, c.defined = v, true
	}
	if b, ok := fields["bindings"]; ok {
		if o, ok := mustParse(t, b).(*jsonval.Object); ok && o.Len() > 0 {
			c.bindings = map[string]any{}
			for k, v := range o.All() {
				c.bindings[k] = v
			}
		}
	}
	if tl, ok := fields["timelimit"]; ok {
		json.Unmarshal(tl, &c.timelimit)
	}
	if d, ok := fields["depth"]; ok {
		json.Unmarshal(d, &c.depth)
	}
	if r, ok := fields["result"]; ok {
		c.result, c.hasResult = mustParse(t, r), true
	}
	if u, ok := fields["undefinedResult"]; ok {
		json.Unmarshal(u, &c.undefined)
	}
	if code, ok := fields["code"]; ok {
		json.Unmarshal(code, &c.code)
	} else if e, ok := fields["error"]; ok {
		var ee struct{ Code string }
		json.Unmarshal(e, &ee)
		c.code = ee.Code
	}
	if u, ok := fields["unordered"]; ok {
		json.Unmarshal(u, &c.unordered)
	}
	return c
}

func runCase(c conformanceCase) (any, bool, error) {
	e, err := jsonata.Compile(c.expr)
	if err != nil {
		return nil, false, err
	}
	// A time limit in milliseconds becomes a step budget: the reference
	// runner stops runaway expressions by time, we stop them by steps.
	opts := &jsonata.Options{Bindings: c.bindings, MaxDepth: c.depth, MaxSteps: c.timelimit * 1000}
	if c.timelimit > 0 {
		// The cases with a time limit are the reference suite's stress
		// cases (ten-million-item ranges), which jsonata-js runs within
		// V8's heap: they get a larger allocation budget, as they get a
		// step budget of their own. Every other case runs within
		// DefaultMaxAlloc.
		opts.MaxAlloc = 1 << 30
	}
	input := c.data
	if !c.defined {
		input = jsonata.Undefined
	}
	return e.Evaluate(input, opts)
}

// TestConformance runs the JSONata 2.0.6 reference suite.
func TestConformance(t *testing.T) {
	for _, c := range loadCases(t) {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			if reason, ok := skipped[c.name]; ok {
				t.Skip(reason)
			}
			got, defined, err := runCase(c)
			switch {
			case c.code != "":
				var je *jsonata.Error
				if !errors.As(err, &je) {
					t.Fatalf("%s\nwant error %s, got %v (defined %v, err %v)", c.expr, c.code, show(got), defined, err)
				}
				if je.Code != c.code {
					t.Fatalf("%s\nwant error %s, got %v", c.expr, c.code, err)
				}
			case err != nil:
				t.Fatalf("%s\nunexpected error: %v", c.expr, err)
			case c.undefined:
				if defined {
					t.Fatalf("%s\nwant undefined, got %s", c.expr, show(got))
				}
			case c.hasResult:
				if !defined {
					t.Fatalf("%s\nwant %s, got undefined", c.expr, show(c.result))
				}
				if !sameValue(c.result, got, c.unordered) {
					t.Fatalf("%s\nwant %s\ngot  %s", c.expr, show(c.result), show(got))
				}
			}
		})
	}
}

func sameValue(want, got any, unordered bool) bool {
	if !unordered {
		return jsonval.Equal(want, got)
	}
	wa, ok1 := want.([]any)
	ga, ok2 := got.([]any)
	if !ok1 || !ok2 || len(wa) != len(ga) {
		return jsonval.Equal(want, got)
	}
	used := make([]bool, len(ga))
outer:
	for _, w := range wa {
		for j, g := range ga {
			if !used[j] && jsonval.Equal(w, g) {
				used[j] = true
				continue outer
			}
		}
		return false
	}
	return true
}

func show(v any) string {
	s, err := jsonval.MarshalString(v)
	if err != nil {
		return err.Error()
	}
	if len(s) > 400 {
		s = s[:400] + "..."
	}
	return s
}

// wtf8String decodes a JSON string as JavaScript reads it: a lone UTF-16
// surrogate (such as "\uD800", in the encodeUrl cases) stays a code unit of
// its own, kept in the Go string as its three WTF-8 bytes, which are not
// valid UTF-8, where encoding/json would put U+FFFD. Functions that refuse
// malformed text, as JavaScript's encodeURI does, then see it.
func wtf8String(raw json.RawMessage) (string, error) {
	var plain string
	if err := json.Unmarshal(raw, &plain); err != nil {
		return "", err
	}
	if !bytes.Contains(raw, []byte(`\u`)) {
		return plain, nil
	}
	text := strings.TrimSpace(string(raw))
	text = text[1 : len(text)-1]
	var b strings.Builder
	for i := 0; i < len(text); i++ {
		c := text[i]
		if c != '\\' {
			b.WriteByte(c)
			continue
		}
		i++
		switch e := text[i]; e {
		case 'u':
			r, _ := strconv.ParseUint(text[i+1:i+5], 16, 32)
			i += 4
			if r >= 0xD800 && r <= 0xDBFF && i+6 < len(text) && text[i+1] == '\\' && text[i+2] == 'u' {
				if lo, err := strconv.ParseUint(text[i+3:i+7], 16, 32); err == nil && lo >= 0xDC00 && lo <= 0xDFFF {
					b.WriteRune(rune(0x10000 + (r-0xD800)<<10 + (lo - 0xDC00)))
					i += 6
					continue
				}
			}
			if r >= 0xD800 && r <= 0xDFFF {
				b.Write([]byte{byte(0xE0 | r>>12), byte(0x80 | (r>>6)&0x3F), byte(0x80 | r&0x3F)})
				continue
			}
			b.WriteRune(rune(r))
		default:
			var one string
			if err := json.Unmarshal([]byte(`"\`+string(e)+`"`), &one); err != nil {
				return "", err
			}
			b.WriteString(one)
		}
	}
	return b.String(), nil
}
