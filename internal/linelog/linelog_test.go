package linelog_test

import (
	"bytes"
	"encoding/json"
	"log/slog"
	"strings"
	"testing"

	"stepwise/internal/linelog"
)

func TestWriter(t *testing.T) {
	var buf bytes.Buffer
	w := linelog.New(slog.New(slog.NewJSONHandler(&buf, nil)), "job log", "job", "j1")
	long := strings.Repeat("x", linelog.MaxLine+10)
	for _, chunk := range []string{"first li", "ne\r\nsecond\n", long, "\nbad \xff byte\nlast"} {
		if n, err := w.Write([]byte(chunk)); n != len(chunk) || err != nil {
			t.Fatalf("Write: %d, %v", n, err)
		}
	}
	w.Flush()
	var lines []string
	for _, rec := range strings.Split(strings.TrimSpace(buf.String()), "\n") {
		var r struct{ Msg, Job, Line string }
		if err := json.Unmarshal([]byte(rec), &r); err != nil {
			t.Fatal(err)
		}
		if r.Msg != "job log" || r.Job != "j1" {
			t.Errorf("record %s", rec)
		}
		lines = append(lines, r.Line)
	}
	want := []string{"first line", "second", strings.Repeat("x", linelog.MaxLine) + " [line cut at 4096 bytes]", "bad \uFFFD byte", "last"}
	if strings.Join(lines, "|") != strings.Join(want, "|") {
		t.Errorf("lines\n got %q\nwant %q", lines, want)
	}
}
