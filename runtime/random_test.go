package runtime_test

import (
	"regexp"
	"testing"

	"stepwise/runtime"
)

// TestNewUUID checks that names made for unnamed executions are random
// (version 4) UUIDs in their usual text form, as AWS gives them.
func TestNewUUID(t *testing.T) {
	form := regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$`)
	seen := map[string]bool{}
	for range 1000 {
		u := runtime.NewUUID()
		if !form.MatchString(u) {
			t.Fatalf("NewUUID() = %q, not a version 4 UUID", u)
		}
		if seen[u] {
			t.Fatalf("NewUUID() repeated %q", u)
		}
		seen[u] = true
	}
}

// TestNewTokenKey checks that token keys are 32 bytes and never repeat.
func TestNewTokenKey(t *testing.T) {
	seen := map[string]bool{}
	for range 1000 {
		k := runtime.NewTokenKey()
		if len(k) != 32 || seen[string(k)] {
			t.Fatalf("NewTokenKey() = %x: want 32 fresh bytes", k)
		}
		seen[string(k)] = true
	}
}
