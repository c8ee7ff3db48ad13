package jsonata

import (
	"encoding/base64"
	"strconv"
	"strings"
	"unicode/utf8"
)

func fnBase64Encode(ev *evaluator, args []any, _ any, _ *frame) (any, error) {
	s, ok := arg(args, 0).(string)
	if !ok {
		return undefined, nil
	}
	if err := ev.allocString(len(s) + base64.StdEncoding.EncodedLen(len(s))); err != nil {
		return nil, err
	}
	return base64.StdEncoding.EncodeToString([]byte(s)), nil
}

func fnBase64Decode(ev *evaluator, args []any, _ any, _ *frame) (any, error) {
	s, ok := arg(args, 0).(string)
	if !ok {
		return undefined, nil
	}
	if err := ev.alloc(2 * len(s)); err != nil {
		return nil, err
	}
	b, err := base64.StdEncoding.DecodeString(s)
	if err != nil {
		b, err = base64.RawStdEncoding.DecodeString(strings.TrimRight(s, "="))
		if err != nil {
			return nil, newErr("D3137", s)
		}
	}
	return string(b), nil
}

const encodeURIComponentSet = "-_.!~*'()"
const encodeURISet = "-_.!~*'();/?:@&=+$,#"

func urlFn(name, set string, encode bool) implFunc {
	return func(ev *evaluator, args []any, _ any, _ *frame) (any, error) {
		s, ok := arg(args, 0).(string)
		if !ok {
			return undefined, nil
		}
		// encoding writes at most 3 bytes per byte; decoding shrinks
		if err := ev.allocString(3 * len(s)); err != nil {
			return nil, err
		}
		if encode {
			var b strings.Builder
			for i := 0; i < len(s); {
				r, size := utf8.DecodeRuneInString(s[i:])
				if r == utf8.RuneError && size == 1 {
					return nil, &Error{Code: "D3140", Value: s, Token: name}
				}
				c := s[i]
				if size == 1 && (c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || strings.IndexByte(set, c) >= 0) {
					b.WriteByte(c)
				} else {
					for j := 0; j < size; j++ {
						b.WriteString("%" + strings.ToUpper(strconv.FormatUint(uint64(s[i+j])|0x100, 16)[1:]))
					}
				}
				i += size
			}
			return b.String(), nil
		}
		var out []byte
		for i := 0; i < len(s); i++ {
			if s[i] != '%' {
				out = append(out, s[i])
				continue
			}
			if i+2 >= len(s) {
				return nil, &Error{Code: "D3140", Value: s, Token: name}
			}
			n, err := strconv.ParseUint(s[i+1:i+3], 16, 8)
			if err != nil {
				return nil, &Error{Code: "D3140", Value: s, Token: name}
			}
			if n < 0x80 && strings.IndexByte(set, byte(n)) >= 0 {
				out = append(out, s[i:i+3]...)
			} else {
				out = append(out, byte(n))
			}
			i += 2
		}
		if !utf8.Valid(out) {
			return nil, &Error{Code: "D3140", Value: s, Token: name}
		}
		return string(out), nil
	}
}
