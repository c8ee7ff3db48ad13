package service

import (
	"regexp"
	"testing"
)

// TestNewUUID checks that names made for unnamed executions are random
// (version 4) UUIDs in their usual text form, as AWS gives them.
func TestNewUUID(t *testing.T) {
	form := regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$`)
	seen := map[string]bool{}
	for range 1000 {
		u := newUUID()
		if !form.MatchString(u) {
			t.Fatalf("newUUID() = %q, not a version 4 UUID", u)
		}
		if seen[u] {
			t.Fatalf("newUUID() repeated %q", u)
		}
		seen[u] = true
	}
}
