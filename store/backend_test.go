package store_test

import (
	"math"
	"testing"
	"time"

	"stepwise/store"
)

// TestUnixNanosSaturates checks that times beyond the range of int64 Unix
// nanoseconds are stored at the nearest end of it, so that a timer due in
// the year 9999 stays in the future after a round trip through a store
// instead of wrapping around to a past time (issue 14, item 8).
func TestUnixNanosSaturates(t *testing.T) {
	now := time.Date(2024, 5, 1, 12, 0, 0, 0, time.UTC)
	tests := []struct {
		name string
		in   time.Time
		want func(got time.Time) bool
	}{
		{"year 9999 stays late", time.Date(9999, 12, 31, 0, 0, 0, 0, time.UTC),
			func(got time.Time) bool { return got.Year() == 2262 && got.After(now) }},
		{"latest exact time", time.Unix(0, math.MaxInt64),
			func(got time.Time) bool { return got.Equal(time.Unix(0, math.MaxInt64)) }},
		{"one ns past it", time.Unix(0, math.MaxInt64).Add(time.Nanosecond),
			func(got time.Time) bool { return got.Equal(time.Unix(0, math.MaxInt64)) }},
		{"year 1 saturates early, not zero", time.Date(1, 1, 2, 0, 0, 0, 0, time.UTC),
			func(got time.Time) bool { return got.Equal(time.Unix(0, math.MinInt64)) }},
		{"an ordinary time is exact", now.Add(123 * time.Nanosecond),
			func(got time.Time) bool { return got.Equal(now.Add(123 * time.Nanosecond)) }},
		{"the epoch is not the zero time", time.Unix(0, 0),
			func(got time.Time) bool { return !got.IsZero() && got.Sub(time.Unix(0, 0)) == time.Nanosecond }},
		{"zero stays zero", time.Time{}, func(got time.Time) bool { return got.IsZero() }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			n := store.UnixNanos(tt.in)
			if got := store.FromUnixNanos(n); !tt.want(got) {
				t.Errorf("UnixNanos(%v) = %d, back as %v", tt.in, n, got)
			}
		})
	}
}
