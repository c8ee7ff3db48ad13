package itemreader

import (
	"context"
	"encoding/csv"
	"errors"
	"io"
	"strings"

	"stepwise/jsonval"
	"stepwise/tasks/objects"
)

// csvReader reads CSV rows as objects keyed by the headers, every value a
// string. A row with fewer fields than headers gives "" for the missing
// ones, and fields past the headers are left out.
type csvReader struct {
	s       *stream
	ref     fileRef
	g       *guard
	cr      *csv.Reader
	base    int64 // the object's offset where cr began
	headers []string
	done    bool
}

// guard bounds the bytes csv.Reader takes for one record, which it would
// otherwise gather without limit.
type guard struct {
	r     io.Reader
	n     int64 // bytes read
	mark  int64 // n when the last record ended
	limit int64
}

// csvSlack covers what csv.Reader buffers ahead of the record it reads.
const csvSlack = 8 << 10

var errRecordTooLarge = errors.New("itemreader: CSV record too large")

func (g *guard) Read(p []byte) (int, error) {
	if g.n-g.mark > g.limit+csvSlack {
		return 0, errRecordTooLarge
	}
	n, err := g.r.Read(p)
	g.n += int64(n)
	return n, err
}

// newCSV reads s as CSV with delim; headers nil means the first row holds
// them.
func newCSV(ctx context.Context, ref fileRef, s *stream, delim rune, headers []string) (*csvReader, error) {
	g := &guard{r: s.br, limit: MaxItemBytes}
	cr := csv.NewReader(g)
	cr.Comma = delim
	cr.FieldsPerRecord = -1
	c := &csvReader{s: s, ref: ref, g: g, cr: cr, base: s.off, headers: headers}
	if headers == nil {
		g.limit = MaxCSVHeaderBytes
		row, err := cr.Read()
		if errors.Is(err, io.EOF) {
			c.done = true
			return c, nil
		}
		if err != nil {
			return nil, c.readErr(ctx, err, "header")
		}
		size := 0
		for _, f := range row {
			size += len(f) + 1
		}
		if size > MaxCSVHeaderBytes {
			return nil, failed("The CSV header of %s/%s is larger than %d bytes", ref.bucket, ref.key, MaxCSVHeaderBytes)
		}
		row[0] = strings.TrimPrefix(row[0], "\ufeff")
		if err := checkHeaders(row); err != nil {
			return nil, err
		}
		c.headers = row
		g.mark, g.limit = g.n, MaxItemBytes
	}
	return c, nil
}

func (c *csvReader) readErr(ctx context.Context, err error, what string) error {
	var pe *csv.ParseError
	switch {
	case errors.Is(err, errRecordTooLarge):
		return failed("The CSV object %s/%s has a %s longer than %d bytes", c.ref.bucket, c.ref.key, what, c.g.limit)
	case errors.As(err, &pe):
		return failed("The CSV object %s/%s could not be parsed: %v", c.ref.bucket, c.ref.key, pe)
	}
	return c.s.readErr(ctx, c.ref, err)
}

func (c *csvReader) next(ctx context.Context) (any, bool, error) {
	if c.done {
		return nil, false, nil
	}
	row, err := c.cr.Read()
	if errors.Is(err, io.EOF) {
		c.done = true
		return nil, false, nil
	}
	if err != nil {
		return nil, false, c.readErr(ctx, err, "row")
	}
	c.g.mark = c.g.n
	o := jsonval.NewObject(len(c.headers))
	size := 0
	for i, h := range c.headers {
		v := ""
		if i < len(row) {
			v = row[i]
		}
		size += len(h) + len(v)
		o.Set(h, v)
	}
	if size > MaxItemBytes {
		return nil, false, failed("The CSV object %s/%s has a row larger than %d bytes", c.ref.bucket, c.ref.key, MaxItemBytes)
	}
	return o, true, nil
}

func (c *csvReader) offset() int64 {
	if c.s.gz {
		return 0
	}
	return c.base + c.cr.InputOffset()
}

func (c *csvReader) close() error { return c.s.close() }

// readCSVHeader reads the first row of ref, for a reader resuming past it.
func readCSVHeader(ctx context.Context, store objects.Store, ref fileRef, delim rune) ([]string, error) {
	s, err := openStream(ctx, store, ref, 0)
	if err != nil {
		return nil, err
	}
	defer s.close()
	c, err := newCSV(ctx, ref, s, delim, nil)
	if err != nil {
		return nil, err
	}
	if c.headers == nil {
		return nil, failed("The CSV object %s/%s has no header row any more: it changed since", ref.bucket, ref.key)
	}
	return c.headers, nil
}
