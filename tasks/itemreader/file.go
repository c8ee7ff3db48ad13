package itemreader

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"context"
	"errors"
	"io"

	"stepwise/tasks/objects"
)

// fileReader reads the items of one data file.
type fileReader interface {
	// next returns the next item, or ok false after the last.
	next(ctx context.Context) (item any, ok bool, err error)
	// offset is the byte offset after the last item in the object, 0
	// when the object is compressed (resumed by Row instead).
	offset() int64
	close() error
}

// openFile opens ref as the cursor's InputType at the cursor's Offset (or,
// for a compressed file or Parquet, past its Row items).
func (r *Reader) openFile(ctx context.Context, ref fileRef) (fileReader, error) {
	off, row := r.cur.Offset, r.cur.Row
	if r.cfg.inputType == InputParquet {
		return openParquet(ctx, r.store, ref, row)
	}
	s, err := openStream(ctx, r.store, ref, off)
	if err != nil {
		return nil, err
	}
	var fr fileReader
	switch {
	case r.cfg.manifestType == "S3_INVENTORY":
		fr, err = newCSV(ctx, ref, s, ',', r.csvHeaders)
	case r.cfg.inputType == InputCSV:
		headers := r.cfg.headers
		if r.cfg.headerFirst && off > 0 {
			// The header was read before the cursor's offset.
			if headers, err = readCSVHeader(ctx, r.store, ref, r.cfg.delim); err != nil {
				s.close()
				return nil, err
			}
		}
		fr, err = newCSV(ctx, ref, s, r.cfg.delim, headers)
	case r.cfg.inputType == InputJSONL:
		fr = &jsonlReader{s: s, ref: ref}
	case r.cfg.inputType == InputJSON:
		fr, err = newJSONArray(ctx, s, ref, r.cfg.itemsPointer, off > 0)
	default:
		err = runtimeError("The ReaderConfig InputType %s is not one Stepwise reads here", r.cfg.inputType)
	}
	if err != nil {
		s.close()
		return nil, err
	}
	if s.gz && row > 0 {
		// A compressed file cannot be entered in the middle: pass the
		// items read before.
		for range row {
			if _, ok, err := fr.next(ctx); err != nil || !ok {
				fr.close()
				if err == nil {
					err = failed("The object %s/%s has fewer items than the cursor passed (%d): it changed since", ref.bucket, ref.key, row)
				}
				return nil, err
			}
		}
	}
	return fr, nil
}

// stream is an object's body from an offset, buffered, decompressed when
// it is gzip (which a cursor enters by row, never by offset), counting the
// bytes its reader took.
type stream struct {
	body io.ReadCloser
	br   *bufio.Reader
	off  int64 // the object's offset of the next byte br gives
	gz   bool
}

func openStream(ctx context.Context, store objects.Store, ref fileRef, off int64) (*stream, error) {
	store, err := objectStore(store, ref)
	if err != nil {
		return nil, err
	}
	body, err := store.GetObject(ctx, ref.bucket, ref.key, off, -1)
	if err != nil {
		if objects.Code(err) == objects.CodeInvalidRange && off > 0 {
			// The cursor stood at the end of the object.
			return &stream{body: io.NopCloser(bytes.NewReader(nil)), br: bufio.NewReader(bytes.NewReader(nil)), off: off}, nil
		}
		return nil, storeError(ctx, err)
	}
	s := &stream{body: body, off: off}
	br := bufio.NewReaderSize(body, 64<<10)
	if off == 0 {
		if magic, _ := br.Peek(2); len(magic) == 2 && magic[0] == 0x1f && magic[1] == 0x8b {
			zr, err := gzip.NewReader(br)
			if err != nil {
				body.Close()
				return nil, failed("The object %s/%s is not valid gzip: %v", ref.bucket, ref.key, err)
			}
			s.gz = true
			br = bufio.NewReaderSize(zr, 64<<10)
		}
	}
	s.br = br
	return s, nil
}

func (s *stream) close() error { return s.body.Close() }

// readErr names a failure to read the body: a gzip error is the data's,
// anything else the store's.
func (s *stream) readErr(ctx context.Context, ref fileRef, err error) error {
	if errors.Is(err, gzip.ErrChecksum) || errors.Is(err, gzip.ErrHeader) || errors.Is(err, io.ErrUnexpectedEOF) {
		return failed("The object %s/%s could not be read: %v", ref.bucket, ref.key, err)
	}
	return storeError(ctx, err)
}

func (s *stream) peekByte() (byte, error) {
	b, err := s.br.Peek(1)
	if err != nil {
		return 0, err
	}
	return b[0], nil
}

func (s *stream) readByte() (byte, error) {
	c, err := s.br.ReadByte()
	if err == nil {
		s.off++
	}
	return c, err
}

// skipSpace passes JSON white space.
func (s *stream) skipSpace() error {
	for {
		c, err := s.peekByte()
		if err != nil {
			return err
		}
		if c != ' ' && c != '\t' && c != '\n' && c != '\r' {
			return nil
		}
		s.readByte()
	}
}

var bufioFull = bufio.ErrBufferFull
