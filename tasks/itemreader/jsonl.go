package itemreader

import (
	"bytes"
	"context"
	"errors"
	"io"

	"stepwise/jsonval"
)

// jsonlReader reads JSON Lines: one JSON value a line. Lines of white
// space only are passed over; a line that is not one JSON value fails.
type jsonlReader struct {
	s    *stream
	ref  fileRef
	line []byte
}

func (j *jsonlReader) next(ctx context.Context) (any, bool, error) {
	for {
		start := j.s.off
		line, err := j.readLine(ctx)
		if err != nil {
			return nil, false, err
		}
		if line == nil {
			return nil, false, nil
		}
		line = bytes.TrimSpace(line)
		if len(line) == 0 {
			continue
		}
		v, perr := jsonval.Parse(line)
		if perr != nil {
			return nil, false, failed("The JSONL object %s/%s has a line that is not valid JSON, at byte %d: %v", j.ref.bucket, j.ref.key, start, perr)
		}
		return v, true, nil
	}
}

// readLine returns the next line without its newline, nil at the end, or
// an error for a line longer than MaxItemBytes.
func (j *jsonlReader) readLine(ctx context.Context) ([]byte, error) {
	j.line = j.line[:0]
	for {
		chunk, err := j.s.br.ReadSlice('\n')
		j.s.off += int64(len(chunk))
		j.line = append(j.line, chunk...)
		if len(j.line) > MaxItemBytes+2 {
			return nil, failed("The JSONL object %s/%s has a line longer than %d bytes, at byte %d", j.ref.bucket, j.ref.key, MaxItemBytes, j.s.off-int64(len(j.line)))
		}
		switch {
		case err == nil:
			return j.line, nil
		case errors.Is(err, io.EOF):
			if len(j.line) == 0 {
				return nil, nil
			}
			return j.line, nil
		case errors.Is(err, bufioFull):
			continue
		default:
			return nil, j.s.readErr(ctx, j.ref, err)
		}
	}
}

func (j *jsonlReader) offset() int64 {
	if j.s.gz {
		return 0
	}
	return j.s.off
}

func (j *jsonlReader) close() error { return j.s.close() }
