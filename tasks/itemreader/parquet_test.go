package itemreader_test

import (
	"bytes"
	"testing"
	"time"

	"github.com/parquet-go/parquet-go"

	"stepwise/tasks/itemreader"
)

type inner struct {
	A int32  `parquet:"a"`
	B string `parquet:"b"`
}

type wide struct {
	Tags  []string  `parquet:"tags,list"`
	In    inner     `parquet:"in"`
	Blob  []byte    `parquet:"blob"`
	When  time.Time `parquet:"when,timestamp(millisecond)"`
	Small int32     `parquet:"small"`
	F32   float32   `parquet:"f32"`
}

// TestParquetTypes reads lists, groups, binary, timestamps and narrow
// numbers as JSON.
func TestParquetTypes(t *testing.T) {
	var b bytes.Buffer
	w := parquet.NewGenericWriter[wide](&b)
	when := time.Date(2025, 3, 4, 5, 6, 7, 8_000_000, time.UTC)
	if _, err := w.Write([]wide{{Tags: []string{"x", "y"}, In: inner{A: 7, B: "bee"}, Blob: []byte{0, 1, 2}, When: when, Small: -3, F32: 0.25}}); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	s := newDir(t)
	put(t, s, map[string]string{"items/w.parquet": b.String()})
	items, _, err := readAll(t, s, readCase{resource: get, params: `{"Bucket":"items","Key":"w.parquet"}`, config: `{"InputType":"PARQUET"}`}, itemreader.Cursor{})
	if err != nil {
		t.Fatal(err)
	}
	want := `[{"tags":["x","y"],"in":{"a":7,"b":"bee"},"blob":"AAEC","when":"2025-03-04T05:06:07.008Z","small":-3,"f32":0.25}]`
	if got := marshal(t, items); got != want {
		t.Errorf("got  %s\nwant %s", got, want)
	}
}
