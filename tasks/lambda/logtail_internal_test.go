package lambda

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// The ring keeps exactly the last bytes, whatever the sizes of the writes
// that wrap it.
func TestRingKeepsTheLastBytes(t *testing.T) {
	tests := []struct {
		name    string
		writes  []string
		want    string
		dropped bool
	}{
		{"empty", nil, "", false},
		{"fits", []string{"ab", "cd"}, "abcd", false},
		{"exactly full", []string{"abcdefgh"}, "abcdefgh", false},
		{"wraps", []string{"abcdef", "ghij"}, "cdefghij", true},
		{"one write larger than the ring", []string{"ab", "0123456789xyz"}, "56789xyz", true},
		{"many small writes", strings.Split("the quick brown fox", ""), "rown fox", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := newRing(8)
			for _, w := range tt.writes {
				if n, err := r.Write([]byte(w)); n != len(w) || err != nil {
					t.Fatalf("Write(%q) = %d, %v", w, n, err)
				}
			}
			got, dropped := r.Bytes()
			if string(got) != tt.want || dropped != tt.dropped {
				t.Errorf("Bytes() = %q, %v; want %q, %v", got, dropped, tt.want, tt.dropped)
			}
		})
	}
}

func TestTailLines(t *testing.T) {
	tests := []struct {
		name    string
		tail    string
		dropped bool
		want    []string
	}{
		{"nothing", "", false, nil},
		{"blank", "\n\n", false, nil},
		{"lines", "a\r\nb\nc\n", false, []string{"a", "b", "c"}},
		{"last three", "1\n2\n3\n4\n5", false, []string{"3", "4", "5"}},
		{"partial first line dropped", "tial\nwhole\n", true, []string{"whole"}},
		{"one long line kept", "end of a long line", true, []string{"end of a long line"}},
		{"cut rune", "\xa9 caf\xc3", false, []string{"\uFFFD caf\uFFFD"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if d := cmp.Diff(tt.want, tailLines([]byte(tt.tail), tt.dropped, 3)); d != "" {
				t.Errorf("(-want +got):\n%s", d)
			}
		})
	}
}
