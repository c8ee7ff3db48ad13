package jsonval

import (
	"encoding/json"
	"fmt"
	"math"
	"strconv"
	"unicode/utf8"
)

// UnsupportedValueError reports a value that has no JSON form: a Go type
// outside the model, or a float64 that is NaN or infinite.
type UnsupportedValueError struct {
	Value any
}

func (e *UnsupportedValueError) Error() string {
	return fmt.Sprintf("jsonval: cannot encode %T value %v", e.Value, e.Value)
}

// Marshal encodes v as compact JSON text: object keys in order, no HTML
// escaping, numbers as [FormatFloat] writes them.
func Marshal(v any) ([]byte, error) {
	return AppendJSON(make([]byte, 0, 64), v)
}

// MarshalString is [Marshal] returning a string.
func MarshalString(v any) (string, error) {
	b, err := Marshal(v)
	return string(b), err
}

// MustMarshalString is [MarshalString] for values known to be in the model;
// it returns the error text in place of JSON for a value outside it, so that
// callers formatting messages never fail.
func MustMarshalString(v any) string {
	b, err := Marshal(v)
	if err != nil {
		return err.Error()
	}
	return string(b)
}

// AppendJSON appends the compact JSON encoding of v to dst.
func AppendJSON(dst []byte, v any) ([]byte, error) {
	switch x := v.(type) {
	case nil:
		return append(dst, "null"...), nil
	case bool:
		if x {
			return append(dst, "true"...), nil
		}
		return append(dst, "false"...), nil
	case string:
		return AppendString(dst, x), nil
	case json.Number:
		return append(dst, x...), nil
	case float64:
		if math.IsNaN(x) || math.IsInf(x, 0) {
			return dst, &UnsupportedValueError{Value: v}
		}
		return append(dst, FormatFloat(x)...), nil
	case int:
		return strconv.AppendInt(dst, int64(x), 10), nil
	case int64:
		return strconv.AppendInt(dst, x, 10), nil
	case []any:
		dst = append(dst, '[')
		for i, e := range x {
			if i > 0 {
				dst = append(dst, ',')
			}
			var err error
			if dst, err = AppendJSON(dst, e); err != nil {
				return dst, err
			}
		}
		return append(dst, ']'), nil
	case *Object:
		dst = append(dst, '{')
		for i := range x.Len() {
			if i > 0 {
				dst = append(dst, ',')
			}
			k, e := x.At(i)
			dst = AppendString(dst, k)
			dst = append(dst, ':')
			var err error
			if dst, err = AppendJSON(dst, e); err != nil {
				return dst, err
			}
		}
		return append(dst, '}'), nil
	default:
		return dst, &UnsupportedValueError{Value: v}
	}
}

const hexDigits = "0123456789abcdef"

// AppendString appends s as a quoted JSON string. Only the quote, the
// backslash and control characters are escaped, as Jackson (which AWS uses)
// does; invalid UTF-8 becomes U+FFFD.
func AppendString(dst []byte, s string) []byte {
	dst = append(dst, '"')
	start := 0
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if c >= 0x20 && c != '"' && c != '\\' {
				i++
				continue
			}
			dst = append(dst, s[start:i]...)
			switch c {
			case '"', '\\':
				dst = append(dst, '\\', c)
			case '\n':
				dst = append(dst, '\\', 'n')
			case '\r':
				dst = append(dst, '\\', 'r')
			case '\t':
				dst = append(dst, '\\', 't')
			case '\b':
				dst = append(dst, '\\', 'b')
			case '\f':
				dst = append(dst, '\\', 'f')
			default:
				dst = append(dst, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&0xf])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			dst = append(dst, s[start:i]...)
			dst = append(dst, "\ufffd"...)
			i++
			start = i
			continue
		}
		i += size
	}
	dst = append(dst, s[start:]...)
	return append(dst, '"')
}

// FormatFloat formats f as JavaScript's Number.prototype.toString does (the
// shortest text that reads back as f; plain notation for magnitudes from
// 1e-7 up to 1e21, exponent notation outside), which is how JSONata and AWS
// print computed numbers. Integral values have no fraction: 3, not 3.0.
func FormatFloat(f float64) string {
	if f == 0 {
		return "0"
	}
	if math.IsNaN(f) {
		return "NaN"
	}
	if math.IsInf(f, 1) {
		return "Infinity"
	}
	if math.IsInf(f, -1) {
		return "-Infinity"
	}
	// Integers that fit are the common case; skip the digit juggling.
	if f == math.Trunc(f) && math.Abs(f) < 1e15 {
		return strconv.FormatInt(int64(f), 10)
	}
	neg := f < 0
	if neg {
		f = -f
	}
	// 'e' with -1 precision gives the shortest digits: d.ddddde±XX.
	e := strconv.FormatFloat(f, 'e', -1, 64)
	mant, expText, _ := cut(e, 'e')
	exp, _ := strconv.Atoi(expText)
	digits := make([]byte, 0, len(mant))
	for i := 0; i < len(mant); i++ {
		if mant[i] != '.' {
			digits = append(digits, mant[i])
		}
	}
	k := len(digits)
	n := exp + 1 // position of the decimal point relative to the digits
	var out []byte
	if neg {
		out = append(out, '-')
	}
	switch {
	case k <= n && n <= 21:
		out = append(out, digits...)
		for range n - k {
			out = append(out, '0')
		}
	case 0 < n && n <= 21:
		out = append(out, digits[:n]...)
		out = append(out, '.')
		out = append(out, digits[n:]...)
	case -6 < n && n <= 0:
		out = append(out, '0', '.')
		for range -n {
			out = append(out, '0')
		}
		out = append(out, digits...)
	default:
		out = append(out, digits[0])
		if k > 1 {
			out = append(out, '.')
			out = append(out, digits[1:]...)
		}
		out = append(out, 'e')
		if n-1 >= 0 {
			out = append(out, '+')
		}
		out = strconv.AppendInt(out, int64(n-1), 10)
	}
	return string(out)
}

func cut(s string, sep byte) (string, string, bool) {
	for i := 0; i < len(s); i++ {
		if s[i] == sep {
			return s[:i], s[i+1:], true
		}
	}
	return s, "", false
}
