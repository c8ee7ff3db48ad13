// Package mapio carries out a distributed Map's S3 access: its ItemReader
// (tasks/itemreader) and its ResultWriter (tasks/resultwriter), as the
// [tasks.Request]s the engine hands out for them (Request.MapIO), over one
// [objects.Store] (local folders mapped as buckets, an S3-compatible store
// or AWS).
package mapio

import (
	"context"
	"errors"
	"fmt"
	"iter"
	"time"

	"stepwise/jsonval"
	"stepwise/tasks"
	"stepwise/tasks/itemreader"
	"stepwise/tasks/objects"
	"stepwise/tasks/resultwriter"
)

// Limits on what one distributed Map reads. Its items live in its
// execution's state until Map Runs run them as child executions of their
// own (issue 17.3), so they are bounded as that state is.
const (
	// MaxItems is the most items one ItemReader reads.
	MaxItems = 10_000
	// MaxItemBytes bounds the JSON size of all the items one ItemReader
	// reads.
	MaxItemBytes = 8 << 20
	// Timeout bounds one reader's or writer's whole S3 access, so that a
	// store that stops answering cannot hold a Map forever; the Map then
	// fails (States.ItemReaderFailed or States.ResultWriterFailed) and its
	// Retry and Catch apply.
	Timeout = 15 * time.Minute
)

// Invoker carries out ItemReader and ResultWriter requests. Store is nil
// when Stepwise has no S3 access: readers and writers that export to S3
// then fail, saying how to give it some.
type Invoker struct {
	Store objects.Store
	// TempDir is where result files are assembled; "" means the system's.
	TempDir string
}

var _ tasks.Invoker = (*Invoker)(nil)

// Invoke implements [tasks.Invoker].
func (inv *Invoker) Invoke(ctx context.Context, req tasks.Request) (any, error) {
	in, _ := req.Input.(*jsonval.Object)
	if in == nil {
		return nil, fmt.Errorf("mapio: the %s request has no input object", req.MapIO)
	}
	ctx, cancel := context.WithTimeout(ctx, Timeout)
	defer cancel()
	var out any
	var err error
	switch req.MapIO {
	case tasks.MapItemReader:
		out, err = inv.read(ctx, req.Resource, in)
	case tasks.MapResultWriter:
		out, err = inv.write(ctx, req.Resource, in)
	default:
		return nil, fmt.Errorf("mapio: unknown Map field %q", req.MapIO)
	}
	if errors.Is(err, context.DeadlineExceeded) && ctx.Err() != nil {
		name := itemreader.ErrorItemReaderFailed
		if req.MapIO == tasks.MapResultWriter {
			name = resultwriter.ErrorResultWriterFailed
		}
		return nil, &tasks.Error{Name: name, Cause: fmt.Sprintf("The Map state's %s did not finish within %s", req.MapIO, Timeout)}
	}
	return out, err
}

// noS3 is the cause of a reader or writer that needs S3 when Stepwise has
// none.
const noS3 = "Stepwise has no S3 access: start it with --aws-endpoint s3=URL for an S3-compatible store or --aws to use AWS; stepwise run also takes --bucket NAME=DIR for a local folder"

// read reads all the items of an ItemReader, up to the limits.
func (inv *Invoker) read(ctx context.Context, res string, in *jsonval.Object) (any, error) {
	if inv.Store == nil {
		return nil, &tasks.Error{Name: itemreader.ErrorItemReaderFailed, Cause: noS3}
	}
	params, _ := in.Get("Parameters")
	cfg, _ := in.Get("ReaderConfig")
	r, err := itemreader.Open(ctx, inv.Store, res, params, cfg, itemreader.Cursor{})
	if err != nil {
		return nil, err
	}
	defer r.Close()
	items := []any{}
	size := 0
	for {
		item, ok, err := r.Next(ctx)
		if err != nil {
			return nil, err
		}
		if !ok {
			return items, nil
		}
		size += jsonval.Size(item)
		if len(items) >= MaxItems || size > MaxItemBytes {
			return nil, &tasks.Error{Name: itemreader.ErrorItemReaderFailed, Cause: fmt.Sprintf(
				"The item reader found more than %d items or %d MiB of items: Stepwise runs at most that many in one distributed Map for now; set ReaderConfig.MaxItems to read fewer", MaxItems, MaxItemBytes>>20)}
		}
		items = append(items, item)
	}
}

// write writes a finished Map's results as its ResultWriter says and
// returns the Map's result.
func (inv *Invoker) write(ctx context.Context, res string, in *jsonval.Object) (any, error) {
	params, _ := in.Get("Parameters")
	wc, _ := in.Get("WriterConfig")
	cfg, err := resultwriter.Parse(res, params, wc)
	if err != nil {
		return nil, err
	}
	cfg.TempDir = inv.TempDir
	if cfg.Export && inv.Store == nil {
		return nil, &tasks.Error{Name: resultwriter.ErrorResultWriterFailed, Cause: noS3}
	}
	arn, _ := in.Get("MapRunArn")
	arnText, _ := arn.(string)
	results, _ := in.Get("Results")
	list, _ := results.([]any)
	return resultwriter.Write(ctx, inv.Store, cfg, arnText, records(list))
}

// records decodes the engine's child execution records.
func records(list []any) iter.Seq2[resultwriter.Record, error] {
	return func(yield func(resultwriter.Record, error) bool) {
		for i, v := range list {
			rec, err := record(i, v)
			if !yield(rec, err) || err != nil {
				return
			}
		}
	}
}

func record(i int, v any) (resultwriter.Record, error) {
	o, ok := v.(*jsonval.Object)
	if !ok {
		return resultwriter.Record{}, fmt.Errorf("mapio: result %d is not an object", i)
	}
	str := func(k string) string {
		v, _ := o.Get(k)
		s, _ := v.(string)
		return s
	}
	rec := resultwriter.Record{Index: i, ExecutionARN: str("ExecutionArn"), Name: str("Name"),
		StateMachineARN: str("StateMachineArn"), Status: str("Status"), Input: str("Input"), Output: str("Output"),
		Error: str("Error"), Cause: str("Cause")}
	var err error
	if rec.Start, err = parseTime(str("StartDate")); err != nil {
		return rec, fmt.Errorf("mapio: result %d StartDate: %w", i, err)
	}
	if rec.Stop, err = parseTime(str("StopDate")); err != nil {
		return rec, fmt.Errorf("mapio: result %d StopDate: %w", i, err)
	}
	return rec, nil
}

func parseTime(s string) (time.Time, error) {
	if s == "" {
		return time.Time{}, nil
	}
	return time.Parse(time.RFC3339Nano, s)
}
