package itemreader

import (
	"context"
	"encoding/base64"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"slices"
	"strconv"
	"time"

	"github.com/parquet-go/parquet-go"
	"github.com/parquet-go/parquet-go/deprecated"
	"github.com/parquet-go/parquet-go/format"

	"stepwise/jsonval"
	"stepwise/tasks"
	"stepwise/tasks/objects"
)

// parquetReader reads the rows of a Parquet object, each an object keyed
// by the schema's column names in schema order. Numbers stay exact
// (integers as integers), strings are strings, binary columns are base64
// text, timestamps are RFC 3339 text, groups are objects and lists arrays.
type parquetReader struct {
	at  *objectAt
	ref fileRef
	f   *parquet.File
	rd  *parquet.GenericReader[map[string]any]
	row []map[string]any // one row at a time
}

func openParquet(ctx context.Context, store objects.Store, ref fileRef, row int64) (_ fileReader, err error) {
	store, err = objectStore(store, ref)
	if err != nil {
		return nil, err
	}
	info, err := store.HeadObject(ctx, ref.bucket, ref.key)
	if err != nil {
		return nil, storeError(ctx, err)
	}
	at := &objectAt{ctx: ctx, store: store, ref: ref, size: info.Size}
	p := &parquetReader{at: at, ref: ref}
	defer p.recover(&err)
	// A Parquet file ends with its metadata's length and "PAR1".
	var tail [8]byte
	if info.Size < 12 {
		return nil, failed("The Parquet object %s/%s could not be read: %d bytes is too short for a Parquet file", ref.bucket, ref.key, info.Size)
	}
	if _, err := at.ReadAt(tail[:], info.Size-8); err != nil && !errors.Is(err, io.EOF) {
		return nil, p.fail(ctx, err)
	}
	if string(tail[4:]) != "PAR1" {
		return nil, failed("The Parquet object %s/%s could not be read: it does not end with PAR1", ref.bucket, ref.key)
	}
	if n := binary.LittleEndian.Uint32(tail[:4]); n > MaxParquetFooterBytes {
		return nil, failed("The Parquet object %s/%s has metadata of %d bytes, more than %d", ref.bucket, ref.key, n, MaxParquetFooterBytes)
	}
	p.f, err = parquet.OpenFile(at, info.Size, parquet.SkipPageIndex(true), parquet.SkipBloomFilters(true))
	if err != nil {
		return nil, p.fail(ctx, err)
	}
	p.rd = parquet.NewGenericReader[map[string]any](p.f, p.f.Schema())
	p.row = make([]map[string]any, 1)
	if row > 0 {
		if row > p.f.NumRows() {
			return nil, failed("The Parquet object %s/%s has fewer rows than the cursor passed (%d): it changed since", ref.bucket, ref.key, row)
		}
		if err := p.rd.SeekToRow(row); err != nil {
			return nil, p.fail(ctx, err)
		}
	}
	return p, nil
}

// recover turns a panic of the Parquet library, meeting a file it did not
// expect, into States.ItemReaderFailed.
func (p *parquetReader) recover(err *error) {
	if v := recover(); v != nil {
		*err = failed("The Parquet object %s/%s could not be read: %v", p.ref.bucket, p.ref.key, v)
	}
}

func (p *parquetReader) fail(ctx context.Context, err error) error {
	var oe *objects.Error
	var te *tasks.Error
	if errors.As(err, &oe) || errors.As(err, &te) || ctx.Err() != nil {
		return storeError(ctx, err)
	}
	return failed("The Parquet object %s/%s could not be read: %v", p.ref.bucket, p.ref.key, err)
}

func (p *parquetReader) next(ctx context.Context) (item any, ok bool, err error) {
	p.at.ctx = ctx
	defer p.recover(&err)
	p.row[0] = map[string]any{}
	n, err := p.rd.Read(p.row)
	if n == 0 {
		if err == nil || errors.Is(err, io.EOF) {
			return nil, false, nil
		}
		return nil, false, p.fail(ctx, err)
	}
	v, err := parquetValue(p.f.Schema(), p.row[0])
	if err != nil {
		return nil, false, failed("The Parquet object %s/%s has a row Stepwise cannot give as JSON: %v", p.ref.bucket, p.ref.key, err)
	}
	if jsonval.Size(v) > MaxItemBytes {
		return nil, false, failed("The Parquet object %s/%s has a row larger than %d bytes", p.ref.bucket, p.ref.key, MaxItemBytes)
	}
	return v, true, nil
}

func (p *parquetReader) offset() int64 { return 0 }

func (p *parquetReader) close() error { return p.rd.Close() }

// parquetValue converts a value the Parquet library reconstructed for
// node into the jsonval model; node orders a group's fields and gives a
// leaf's logical type (nil: none known).
func parquetValue(node parquet.Node, v any) (any, error) {
	if node != nil && node.Leaf() && v != nil {
		if c, ok, err := leafValue(node.Type(), v); ok || err != nil {
			return c, err
		}
	}
	switch x := v.(type) {
	case nil:
		return nil, nil
	case bool, string:
		return x, nil
	case int:
		return json.Number(strconv.Itoa(x)), nil
	case int8, int16, int32, int64:
		return json.Number(fmt.Sprint(x)), nil
	case uint, uint8, uint16, uint32, uint64:
		return json.Number(fmt.Sprint(x)), nil
	case float32:
		return finite(float64(x))
	case float64:
		return finite(x)
	case []byte:
		return base64.StdEncoding.EncodeToString(x), nil
	case time.Time:
		return x.UTC().Format(time.RFC3339Nano), nil
	case json.Number:
		return x, nil
	case []any:
		out := make([]any, len(x))
		elem := elemNode(node)
		for i, e := range x {
			c, err := parquetValue(elem, e)
			if err != nil {
				return nil, err
			}
			out[i] = c
		}
		return out, nil
	case map[string]any:
		o := jsonval.NewObject(len(x))
		if node != nil && !node.Leaf() && node.Type().LogicalType() == nil {
			for _, f := range node.Fields() {
				fv, ok := x[f.Name()]
				if !ok {
					continue
				}
				c, err := parquetValue(f, fv)
				if err != nil {
					return nil, err
				}
				o.Set(f.Name(), c)
			}
			return o, nil
		}
		keys := make([]string, 0, len(x))
		for k := range x {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		for _, k := range keys {
			c, err := parquetValue(nil, x[k])
			if err != nil {
				return nil, err
			}
			o.Set(k, c)
		}
		return o, nil
	}
	return nil, fmt.Errorf("a value of Go type %T", v)
}

// leafValue converts a leaf's value by its logical type: byte arrays that
// are not text become base64, timestamps and dates RFC 3339 text. ok is
// false when the type asks for nothing special.
func leafValue(t parquet.Type, v any) (any, bool, error) {
	var lt format.LogicalTypeValue
	if l := t.LogicalType(); l != nil {
		lt = l.Value
	}
	switch u := lt.(type) {
	case *format.TimestampType:
		n, ok := v.(int64)
		if !ok {
			return nil, false, nil
		}
		var tm time.Time
		switch u.Unit.Value.(type) {
		case *format.MilliSeconds:
			tm = time.UnixMilli(n)
		case *format.MicroSeconds:
			tm = time.UnixMicro(n)
		default:
			tm = time.Unix(0, n)
		}
		return tm.UTC().Format(time.RFC3339Nano), true, nil
	case *format.DateType:
		n, ok := v.(int32)
		if !ok {
			return nil, false, nil
		}
		return time.Unix(int64(n)*86400, 0).UTC().Format(time.DateOnly), true, nil
	case *format.StringType, *format.EnumType, *format.JsonType:
		return nil, false, nil
	}
	if ct := t.ConvertedType(); ct != nil && (*ct == deprecated.UTF8 || *ct == deprecated.Enum || *ct == deprecated.Json) {
		return nil, false, nil
	}
	if k := t.Kind(); k == parquet.ByteArray || k == parquet.FixedLenByteArray {
		switch x := v.(type) {
		case string:
			return base64.StdEncoding.EncodeToString([]byte(x)), true, nil
		case []byte:
			return base64.StdEncoding.EncodeToString(x), true, nil
		}
	}
	return nil, false, nil
}

// elemNode is the node of a list's elements: the element of a LIST group
// (list.element), or node itself for a repeated field; nil if unknown.
func elemNode(node parquet.Node) parquet.Node {
	if node == nil {
		return nil
	}
	if l := node.Type().LogicalType(); l != nil {
		if _, ok := l.Value.(*format.ListType); ok && len(node.Fields()) == 1 {
			if rep := node.Fields()[0]; len(rep.Fields()) == 1 {
				return rep.Fields()[0]
			}
		}
		return nil
	}
	if node.Repeated() {
		return node
	}
	return nil
}

func finite(f float64) (any, error) {
	if math.IsNaN(f) || math.IsInf(f, 0) {
		return nil, fmt.Errorf("the number %v, which JSON cannot hold", f)
	}
	return f, nil
}

// objectAt is an io.ReaderAt over an object, reading it in blocks by
// ranged GetObject calls and keeping the last block, as the Parquet library
// reads a file by many small reads.
type objectAt struct {
	// ctx is the context of the call under way (Open or Next): ReaderAt
	// has no parameter for it.
	ctx      context.Context
	store    objects.Store
	ref      fileRef
	size     int64
	block    []byte
	blockOff int64
}

// atBlock is the size of objectAt's reads.
const atBlock = 1 << 20

func (o *objectAt) Size() int64 { return o.size }

func (o *objectAt) ReadAt(p []byte, off int64) (int, error) {
	if off < 0 {
		return 0, fmt.Errorf("itemreader: negative offset %d", off)
	}
	if off >= o.size {
		return 0, io.EOF
	}
	want := min(int64(len(p)), o.size-off)
	if off < o.blockOff || off+want > o.blockOff+int64(len(o.block)) {
		n := max(want, min(atBlock, o.size-off))
		if n > atBlock*64 {
			return 0, fmt.Errorf("itemreader: a read of %d bytes of the Parquet object %s/%s is larger than %d", n, o.ref.bucket, o.ref.key, atBlock*64)
		}
		body, err := o.store.GetObject(o.ctx, o.ref.bucket, o.ref.key, off, n)
		if err != nil {
			return 0, err
		}
		buf := o.block[:0]
		if int64(cap(buf)) < n {
			buf = make([]byte, 0, n)
		}
		buf = buf[:n]
		_, err = io.ReadFull(body, buf)
		body.Close()
		if err != nil {
			o.block = nil
			return 0, fmt.Errorf("itemreader: read %s/%s at %d: %w", o.ref.bucket, o.ref.key, off, err)
		}
		o.block, o.blockOff = buf, off
	}
	n := copy(p, o.block[off-o.blockOff:])
	if n < len(p) {
		return n, io.EOF
	}
	return n, nil
}
