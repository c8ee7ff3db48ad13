package itemreader_test

import (
	"errors"
	"io"
	"math/rand/v2"
	"testing"

	"stepwise/tasks"
	"stepwise/tasks/itemreader"
	"stepwise/tasks/objects"
)

// FuzzReaders reads arbitrary bytes as each text InputType: no panic,
// every failure a *tasks.Error, and a reader opened from the cursor after
// the first item gives the same rest.
func FuzzReaders(f *testing.F) {
	for _, seed := range fuzzSeeds {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		folder := t.TempDir()
		d, err := objects.NewDir(map[string]string{"items": folder})
		if err != nil {
			t.Fatal(err)
		}
		defer d.Close()
		checkReaders(t, d, data)
	})
}

var fuzzSeeds = []string{`[1,2,{"a":[3]}]`, "1\n2\n[", "a,b\n1,\"2\n", `{"x":[1]}`, "[\"\\", "[1,]", "\x1f\x8b\x08", " [ ] ", "a;b\n;\n", `[[[[`, "\ufeff[\"]\"]", `{"x":{"y":1},"x":[7,8]}`}

// TestReadersMutated runs FuzzReaders' property over seeded random
// mutations of its seeds, so that plain go test tries many inputs.
func TestReadersMutated(t *testing.T) {
	d, err := objects.NewDir(map[string]string{"items": t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	rng := rand.New(rand.NewPCG(17, 1))
	const alphabet = "[]{},:\"\\ \n\r\t0123456789.eE-+truefalsnl;|\x1f\x8b"
	for range 500 {
		b := []byte(fuzzSeeds[rng.IntN(len(fuzzSeeds))])
		for range 1 + rng.IntN(4) {
			i := rng.IntN(len(b) + 1)
			switch rng.IntN(3) {
			case 0:
				b = append(b[:i], append([]byte{alphabet[rng.IntN(len(alphabet))]}, b[i:]...)...)
			case 1:
				if i < len(b) {
					b = append(b[:i], b[i+1:]...)
				}
			default:
				if i < len(b) {
					b[i] = alphabet[rng.IntN(len(alphabet))]
				}
			}
		}
		checkReaders(t, d, b)
		if t.Failed() {
			t.Fatalf("input %q", b)
		}
	}
}

var fuzzConfigs = []string{`{"InputType":"JSON"}`, `{"InputType":"JSON","ItemsPointer":"/x"}`, `{"InputType":"JSONL"}`,
	`{"InputType":"CSV"}`, `{"InputType":"CSV","CSVDelimiter":"SEMICOLON","CSVHeaderLocation":"GIVEN","CSVHeaders":["p","q"]}`,
	`{"InputType":"PARQUET"}`}

// checkReaders reads data as each text InputType: every failure is a
// *tasks.Error, and resuming after the first item gives the same rest.
func checkReaders(t *testing.T, d objects.Store, data []byte) {
	t.Helper()
	if err := d.PutObject(t.Context(), "items", "f", bytesReader(data), int64(len(data))); err != nil {
		t.Fatal(err)
	}
	{
		for _, cfg := range fuzzConfigs {
			c := readCase{resource: get, params: `{"Bucket":"items","Key":"f"}`, config: cfg}
			items, cursors, err := readAll(t, d, c, itemreader.Cursor{})
			var te *tasks.Error
			if err != nil && !errors.As(err, &te) {
				t.Fatalf("%s: %v (%T), want a *tasks.Error", cfg, err, err)
			}
			if err != nil || len(cursors) == 0 {
				continue
			}
			rest, _, err := readAll(t, d, c, cursors[0])
			if err != nil {
				t.Fatalf("%s: resume: %v", cfg, err)
			}
			if got, want := marshal(t, rest), marshal(t, items[1:]); got != want {
				t.Fatalf("%s: resumed %s, want %s", cfg, got, want)
			}
		}
	}
}

func bytesReader(b []byte) *bytesR { return &bytesR{b: b} }

type bytesR struct{ b []byte }

func (r *bytesR) Read(p []byte) (int, error) {
	if len(r.b) == 0 {
		return 0, io.EOF
	}
	n := copy(p, r.b)
	r.b = r.b[n:]
	return n, nil
}
