package engine

import (
	"math"
	"time"
)

// Timers are due "late, never early": a wait, timeout or back-off whose
// length does not fit in a time.Duration (about 292 years) must not wrap
// around to a time that has already passed and fire at once. The engine
// saturates every due time it computes at maxDue instead.

// maxDue is the latest due time the engine gives a timer: the last instant
// an ISO-8601 timestamp with a four-digit year (the form a Wait state's
// Timestamp takes) can name. No execution lives that long: AWS ends a
// Standard execution after a year.
var maxDue = time.Date(9999, 12, 31, 23, 59, 59, 999999999, time.UTC)

// maxDurationSeconds is the longest whole number of seconds a
// time.Duration holds.
const maxDurationSeconds = math.MaxInt64 / int64(time.Second)

// after returns t plus secs seconds, saturated at maxDue. A secs of zero
// or less gives t.
func after(t time.Time, secs int64) time.Time {
	switch {
	case secs <= 0:
		return t
	case !t.Before(maxDue):
		return t
	case secs > maxDue.Unix()-t.Unix():
		return maxDue
	case secs <= maxDurationSeconds:
		return t.Add(time.Duration(secs) * time.Second)
	}
	// Too long for a Duration, but before maxDue: add whole seconds.
	return time.Unix(t.Unix()+secs, int64(t.Nanosecond())).In(t.Location())
}

// afterFloat is [after] for a fractional number of seconds (a retry's
// back-off); NaN and values of zero or less give t, +Inf gives maxDue.
func afterFloat(t time.Time, secs float64) time.Time {
	switch {
	case !(secs > 0): // also NaN
		return t
	case secs >= float64(maxDurationSeconds):
		// Too long for a Duration; whole seconds are precise enough.
		// Converting a float beyond int64's range is not defined in Go
		// (on amd64 it gives math.MinInt64, a time in the past), hence the
		// clamp first.
		return after(t, int64(min(secs, 1<<62)))
	}
	return t.Add(time.Duration(secs * float64(time.Second)))
}
