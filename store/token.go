package store

import (
	"encoding/base64"
	"fmt"
	"strconv"
	"strings"
)

// Pagination token kinds used by [EncodeToken] and [DecodeToken]. A token
// of one kind is rejected by listings of another.
const (
	TokenStateMachines = "sm"
	TokenExecutions    = "ex"
	TokenActivities    = "ac"
	TokenHistory       = "hi"
	TokenMapRuns       = "mr"
	TokenVersions      = "ve"
	TokenAliases       = "al"
)

// EncodeToken returns the opaque pagination token that resumes a listing of
// the given kind after position pos (a sequence number or event id).
// Backends use it so that tokens look alike across them.
func EncodeToken(kind string, pos int64) string {
	return base64.RawURLEncoding.EncodeToString([]byte(kind + ":" + strconv.FormatInt(pos, 10)))
}

// DecodeToken returns the position encoded in a token made by [EncodeToken]
// with the same kind. It returns an error wrapping [ErrInvalidToken] for
// any other string.
func DecodeToken(kind, token string) (int64, error) {
	b, err := base64.RawURLEncoding.DecodeString(token)
	if err != nil {
		return 0, fmt.Errorf("decode token: %w", ErrInvalidToken)
	}
	k, v, ok := strings.Cut(string(b), ":")
	if !ok || k != kind {
		return 0, fmt.Errorf("token kind %q: %w", k, ErrInvalidToken)
	}
	n, err := strconv.ParseInt(v, 10, 64)
	if err != nil || n < 0 {
		return 0, fmt.Errorf("token position %q: %w", v, ErrInvalidToken)
	}
	return n, nil
}

// DefaultMaxResults is the page size used when a query's MaxResults is 0
// or less (AWS's default for these APIs).
const DefaultMaxResults = 100

// PageSize returns n, or [DefaultMaxResults] when n <= 0.
func PageSize(n int) int {
	if n <= 0 {
		return DefaultMaxResults
	}
	return n
}

// EncodeKeyToken returns the opaque pagination token that resumes a
// listing of the given kind after the item at (pos, key), for listings
// ordered by a number (such as a time) and then a string (such as an ARN).
func EncodeKeyToken(kind string, pos int64, key string) string {
	return base64.RawURLEncoding.EncodeToString([]byte(kind + ":" + strconv.FormatInt(pos, 10) + ":" + key))
}

// DecodeKeyToken returns the position and key encoded in a token made by
// [EncodeKeyToken] with the same kind. It returns an error wrapping
// [ErrInvalidToken] for any other string.
func DecodeKeyToken(kind, token string) (int64, string, error) {
	b, err := base64.RawURLEncoding.DecodeString(token)
	if err != nil {
		return 0, "", fmt.Errorf("decode token: %w", ErrInvalidToken)
	}
	k, rest, ok := strings.Cut(string(b), ":")
	if !ok || k != kind {
		return 0, "", fmt.Errorf("token kind %q: %w", k, ErrInvalidToken)
	}
	v, key, ok := strings.Cut(rest, ":")
	n, err := strconv.ParseInt(v, 10, 64)
	if !ok || err != nil || key == "" {
		return 0, "", fmt.Errorf("token position %q: %w", rest, ErrInvalidToken)
	}
	return n, key, nil
}
