package store

import (
	"math"
	"time"
)

// This file holds what the backends share: how they store times, start
// paged listings and read pages of history.

// DecodeTokenAfter is [DecodeToken] for the start of a listing: it returns
// none for the empty token of the first page.
func DecodeTokenAfter(kind, token string, none int64) (int64, error) {
	if token == "" {
		return none, nil
	}
	return DecodeToken(kind, token)
}

// UnixNanos is how backends store a time: Unix nanoseconds, with the zero
// time as 0. [FromUnixNanos] reverses it, in UTC.
//
// Times outside what int64 nanoseconds can hold (before 1678 or after
// 2262) saturate at the nearest end instead of wrapping around: a timer
// due in the year 9999 is stored as due in 2262, late, never early (issue
// 14: such a Wait fired at once). For the same reason a time that falls
// exactly on the Unix epoch is stored 1 ns later, not as the zero time.
func UnixNanos(t time.Time) int64 {
	switch {
	case t.IsZero():
		return 0
	case t.After(maxUnixNanos):
		return math.MaxInt64
	case t.Before(minUnixNanos):
		return math.MinInt64
	}
	if n := t.UnixNano(); n != 0 {
		return n
	}
	return 1
}

// The ends of the range of times UnixNanos stores exactly.
var (
	maxUnixNanos = time.Unix(0, math.MaxInt64)
	minUnixNanos = time.Unix(0, math.MinInt64)
)

// FromUnixNanos returns the time UnixNanos gave n as, in UTC.
func FromUnixNanos(n int64) time.Time {
	if n == 0 {
		return time.Time{}
	}
	return time.Unix(0, n).UTC()
}

// Rows is the part of a query's result that both database/sql and pgx
// give: what [HistoryPage] and [ScanAll] read.
type Rows interface {
	Next() bool
	Scan(dest ...any) error
	Err() error
}

// HistoryPage reads a page of history events from rows of (id, time in
// Unix nanoseconds, type, JSON), queried with a limit of n+1, and returns
// at most n of them with the token of the next page (empty after the
// last). SQL backends share it.
func HistoryPage(rows Rows, n int) ([]Event, string, error) {
	out, err := ScanAll(rows, func() (Event, error) {
		var ev Event
		var t int64
		err := rows.Scan(&ev.ID, &t, &ev.Type, &ev.JSON)
		ev.Time = FromUnixNanos(t)
		return ev, err
	})
	if err != nil {
		return nil, "", err
	}
	page, next := CutPage(out, n, func(last Event) string { return EncodeToken(TokenHistory, last.ID) })
	return page, next, nil
}

// ScanAll reads every row of rows with scan, which scans the current row.
func ScanAll[T any](rows Rows, scan func() (T, error)) ([]T, error) {
	out := []T{}
	for rows.Next() {
		v, err := scan()
		if err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, rows.Err()
}

// CutPage ends a listing read with up to n+1 items (one more than the
// page, to learn whether another page follows): it returns the page and,
// when more follow, the next page's token, which token makes from the
// page's last item.
func CutPage[T any](items []T, n int, token func(last T) string) ([]T, string) {
	if len(items) <= n {
		return items, ""
	}
	items = items[:n]
	return items, token(items[n-1])
}
