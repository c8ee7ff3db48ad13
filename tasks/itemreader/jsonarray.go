package itemreader

import (
	"context"
	"errors"
	"io"
	"strconv"
	"strings"

	"stepwise/jsonval"
	"stepwise/tasks"
)

// jsonArrayReader reads the elements of a JSON array one at a time,
// holding one element's text at most: the document's top level, or the
// value an ItemsPointer names. Text after the array's end is not read.
type jsonArrayReader struct {
	s     *stream
	ref   fileRef
	first bool // no element read yet: no comma before the next
	done  bool
	buf   []byte
}

// newJSONArray opens the array of s; resumed means s stands just after an
// element of it.
func newJSONArray(ctx context.Context, s *stream, ref fileRef, pointer string, resumed bool) (*jsonArrayReader, error) {
	j := &jsonArrayReader{s: s, ref: ref, first: !resumed}
	if resumed {
		return j, nil
	}
	if c, err := s.br.Peek(3); err == nil && string(c) == "\ufeff" {
		s.br.Discard(3)
		s.off += 3
	}
	if pointer != "" {
		if err := j.seek(ctx, pointer); err != nil {
			return nil, err
		}
	}
	if err := s.skipSpace(); err != nil && !errors.Is(err, io.EOF) {
		return nil, j.readFail(ctx, err)
	}
	c, err := s.peekByte()
	if err != nil || c != '[' {
		// AWS's cause when the dataset is not an array.
		return nil, failed("Attempting to map over non-iterable node.")
	}
	s.readByte()
	return j, nil
}

func (j *jsonArrayReader) next(ctx context.Context) (any, bool, error) {
	if j.done {
		return nil, false, nil
	}
	if err := j.s.skipSpace(); err != nil {
		return nil, false, j.readFail(ctx, err)
	}
	c, _ := j.s.peekByte()
	if c == ']' {
		j.s.readByte()
		j.done = true
		return nil, false, nil
	}
	if !j.first {
		if c != ',' {
			return nil, false, failed("The JSON object %s/%s is not valid JSON: expected ',' or ']' at byte %d", j.ref.bucket, j.ref.key, j.s.off)
		}
		j.s.readByte()
		if err := j.s.skipSpace(); err != nil {
			return nil, false, j.readFail(ctx, err)
		}
	}
	start := j.s.off
	raw, err := j.value(MaxItemBytes, false)
	if err != nil {
		return nil, false, j.readFail(ctx, err)
	}
	v, perr := jsonval.Parse(raw)
	if perr != nil {
		return nil, false, failed("The JSON object %s/%s is not valid JSON at byte %d: %v", j.ref.bucket, j.ref.key, start, perr)
	}
	j.first = false
	return v, true, nil
}

func (j *jsonArrayReader) readFail(ctx context.Context, err error) error {
	var te *tasks.Error
	switch {
	case errors.As(err, &te):
		return err
	case errors.Is(err, io.EOF):
		return failed("The JSON object %s/%s ends before its array does", j.ref.bucket, j.ref.key)
	case errors.Is(err, errSyntax):
		return failed("The JSON object %s/%s is not valid JSON near byte %d", j.ref.bucket, j.ref.key, j.s.off)
	case errors.Is(err, errTooLarge):
		return failed("The JSON object %s/%s has an item larger than %d bytes, at byte %d", j.ref.bucket, j.ref.key, MaxItemBytes, j.s.off)
	}
	return j.s.readErr(ctx, j.ref, err)
}

var (
	errSyntax   = errors.New("itemreader: JSON syntax")
	errTooLarge = errors.New("itemreader: JSON value too large")
)

// value reads one JSON value's text, up to limit bytes; discard passes it
// without keeping it (and without a limit). The text is checked only for
// where it ends: jsonval.Parse checks the rest.
func (j *jsonArrayReader) value(limit int, discard bool) ([]byte, error) {
	j.buf = j.buf[:0]
	keep := func(c byte) error {
		if discard {
			return nil
		}
		if len(j.buf) >= limit {
			return errTooLarge
		}
		j.buf = append(j.buf, c)
		return nil
	}
	c, err := j.s.peekByte()
	if err != nil {
		return nil, err
	}
	switch c {
	case '{', '[':
		depth, inString, escaped := 0, false, false
		for {
			c, err := j.s.readByte()
			if err != nil {
				return nil, err
			}
			if err := keep(c); err != nil {
				return nil, err
			}
			switch {
			case inString && escaped:
				escaped = false
			case inString && c == '\\':
				escaped = true
			case inString && c == '"':
				inString = false
			case inString:
			case c == '"':
				inString = true
			case c == '{' || c == '[':
				depth++
				if depth > jsonval.MaxDepth {
					return nil, errSyntax
				}
			case c == '}' || c == ']':
				depth--
				if depth == 0 {
					return j.buf, nil
				}
			}
		}
	case '"':
		j.s.readByte()
		keep(c)
		escaped := false
		for {
			c, err := j.s.readByte()
			if err != nil {
				return nil, err
			}
			if err := keep(c); err != nil {
				return nil, err
			}
			switch {
			case escaped:
				escaped = false
			case c == '\\':
				escaped = true
			case c == '"':
				return j.buf, nil
			}
		}
	case ',', ']', '}', ':':
		return nil, errSyntax
	default:
		for {
			c, err := j.s.peekByte()
			if errors.Is(err, io.EOF) && len(j.buf) > 0 {
				return j.buf, nil
			}
			if err != nil {
				return nil, err
			}
			if strings.IndexByte(" \t\r\n,]}", c) >= 0 {
				return j.buf, nil
			}
			j.s.readByte()
			if err := keep(c); err != nil {
				return nil, err
			}
		}
	}
}

// seek moves s to the value pointer (RFC 6901) names in the document.
func (j *jsonArrayReader) seek(ctx context.Context, pointer string) error {
	notFound := failed("The ItemsPointer %s does not name a value of the JSON object %s/%s", pointer, j.ref.bucket, j.ref.key)
	for _, seg := range strings.Split(pointer, "/")[1:] {
		seg = strings.ReplaceAll(strings.ReplaceAll(seg, "~1", "/"), "~0", "~")
		if err := j.s.skipSpace(); err != nil {
			return j.readFail(ctx, err)
		}
		c, _ := j.s.peekByte()
		switch c {
		case '{':
			j.s.readByte()
			found := false
			for first := true; !found; first = false {
				if err := j.s.skipSpace(); err != nil {
					return j.readFail(ctx, err)
				}
				c, _ := j.s.peekByte()
				if c == '}' {
					return notFound
				}
				if !first {
					if c != ',' {
						return j.readFail(ctx, errSyntax)
					}
					j.s.readByte()
					j.s.skipSpace()
				}
				raw, err := j.value(MaxItemBytes, false)
				if err != nil {
					return j.readFail(ctx, err)
				}
				key, perr := jsonval.Parse(raw)
				if _, ok := key.(string); perr != nil || !ok {
					return j.readFail(ctx, errSyntax)
				}
				j.s.skipSpace()
				if c, err := j.s.readByte(); err != nil || c != ':' {
					return j.readFail(ctx, errSyntax)
				}
				j.s.skipSpace()
				if key.(string) == seg {
					found = true
					break
				}
				if _, err := j.value(0, true); err != nil {
					return j.readFail(ctx, err)
				}
			}
		case '[':
			n, err := strconv.Atoi(seg)
			if err != nil || n < 0 || (len(seg) > 1 && seg[0] == '0') {
				return notFound
			}
			j.s.readByte()
			for i := 0; i <= n; i++ {
				j.s.skipSpace()
				c, _ := j.s.peekByte()
				if c == ']' {
					return notFound
				}
				if i > 0 {
					if c != ',' {
						return j.readFail(ctx, errSyntax)
					}
					j.s.readByte()
					j.s.skipSpace()
				}
				if i == n {
					break
				}
				if _, err := j.value(0, true); err != nil {
					return j.readFail(ctx, err)
				}
			}
		default:
			return notFound
		}
	}
	return nil
}

func (j *jsonArrayReader) offset() int64 {
	if j.s.gz {
		return 0
	}
	return j.s.off
}

func (j *jsonArrayReader) close() error { return j.s.close() }
