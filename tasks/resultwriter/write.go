package resultwriter

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"iter"
	"os"
	"strconv"
	"strings"

	"stepwise/jsonval"
	"stepwise/tasks"
)

// Putter stores one object. body holds exactly size bytes; the body
// [Write] passes also implements io.Seeker and io.ReaderAt, so an
// implementation may rewind it to sign or retry. PutObject must return
// promptly when ctx is cancelled. tasks/objects provides the
// implementation over S3.
type Putter interface {
	PutObject(ctx context.Context, bucket, key string, body io.Reader, size int64) error
}

// The result files' statuses, in the order AWS's manifest lists them.
var fileStatuses = [...]string{StatusFailed, StatusPending, StatusSucceeded}

// Write writes the records of the Map Run mapRunARN as cfg says and
// returns the Map state's result in the jsonval model.
//
// When cfg.Export is set, Write puts the result files under
// Prefix/<MapRunId>/ (MapRunId is the last ':'-separated part of
// mapRunARN): SUCCEEDED_n.json, FAILED_n.json (failed, timed out and
// aborted children) and PENDING_n.json, n counting from 0, a file only for
// a status that has records, then manifest.json listing them; it returns
// {"MapRunArn": ..., "ResultWriterDetails": {"Bucket": ..., "Key": the
// manifest's key}}. Otherwise it returns the transformed results as an
// array (OutputType shapes files only), store may be nil, and results
// over [MaxOutputSize] are a *[stepwise/tasks.Error] named
// States.DataLimitExceeded, as AWS fails a Distributed Map whose output
// exceeds 256 KiB.
//
// A Config with an OutputType or Transformation AWS does not list, or an
// export with no Bucket, is refused with a plain error. records must
// yield in increasing Index order; Write stops at the first error it
// yields and returns it wrapped. A failure to store a file is a
// *[stepwise/tasks.Error] named States.ResultWriterFailed; a record with
// an unknown status, out of order or whose Output is not JSON is a plain
// error; when ctx is cancelled Write returns ctx's error. Files already
// stored when Write fails stay where they are (AWS does not document
// removing them), and no manifest lists them.
func Write(ctx context.Context, store Putter, cfg Config, mapRunARN string, records iter.Seq2[Record, error]) (any, error) {
	if err := cfg.check(); err != nil {
		return nil, err
	}
	if !cfg.Export {
		return collect(ctx, cfg, records)
	}
	if store == nil {
		return nil, errors.New("resultwriter: results go to S3 but no Putter was given")
	}
	i := strings.LastIndexByte(mapRunARN, ':')
	runID := mapRunARN[i+1:]
	if i < 0 || runID == "" {
		return nil, fmt.Errorf("resultwriter: Map Run ARN %q has no Map Run ID", mapRunARN)
	}
	prefix := cfg.Prefix
	// AWS joins "csvProcessJobs" and the Map Run ID with one '/'; a prefix
	// already ending in '/' gets none (assumed, as LocalStack does).
	if prefix != "" && !strings.HasSuffix(prefix, "/") {
		prefix += "/"
	}
	w := &writer{store: store, cfg: cfg, arn: mapRunARN, dir: prefix + runID + "/",
		max: cfg.MaxFileSize, files: map[string]*resultFile{}}
	if w.max <= 0 {
		w.max = DefaultMaxFileSize
	}
	defer w.close()
	if err := w.writeAll(ctx, records); err != nil {
		return nil, err
	}
	manifestKey, err := w.manifest(ctx)
	if err != nil {
		return nil, err
	}
	out := jsonval.NewObject(2)
	out.Set("MapRunArn", mapRunARN)
	details := jsonval.NewObject(2)
	details.Set("Bucket", cfg.Bucket)
	details.Set("Key", manifestKey)
	out.Set("ResultWriterDetails", details)
	return out, nil
}

// check refuses a Config [Parse] would not have returned.
func (c *Config) check() error {
	switch {
	case c.OutputType != OutputJSON && c.OutputType != OutputJSONL:
		return fmt.Errorf("resultwriter: output type %q is not JSON or JSONL", c.OutputType)
	case c.Transformation != TransformNone && c.Transformation != TransformCompact && c.Transformation != TransformFlatten:
		return fmt.Errorf("resultwriter: transformation %q is not NONE, COMPACT or FLATTEN", c.Transformation)
	case c.Export && c.Bucket == "":
		return errors.New("resultwriter: results go to S3 but the bucket is empty")
	}
	return nil
}

// MaxOutputSize is AWS's limit on a state's output, in bytes: results
// returned in the state's output (a WriterConfig without Resource) may not
// exceed it.
const MaxOutputSize = 256 * 1024

// ErrorDataLimitExceeded is the error name of results over MaxOutputSize.
const ErrorDataLimitExceeded = "States.DataLimitExceeded"

// collect returns the transformed results of a WriterConfig without S3.
func collect(ctx context.Context, cfg Config, records iter.Seq2[Record, error]) (any, error) {
	out := []any{}
	last := -1
	size := 1 // the '[' of the array
	for r, err := range records {
		if err != nil {
			return nil, fmt.Errorf("resultwriter: read records: %w", err)
		}
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		if err := checkRecord(&r, last); err != nil {
			return nil, err
		}
		last = r.Index
		vals, err := r.results(cfg.Transformation)
		if err != nil {
			return nil, err
		}
		for _, v := range vals {
			size += jsonval.Size(v) + 1 // and its ',' or ']'
		}
		if size > MaxOutputSize {
			// The whole array is the state's output, which AWS caps; stop
			// before a run of a million children fills memory.
			return nil, &tasks.Error{Name: ErrorDataLimitExceeded, Cause: fmt.Sprintf(
				"The Map state's results exceed the maximum number of bytes service limit (%d bytes); write them to Amazon S3 with the ResultWriter's Resource and Parameters.", MaxOutputSize)}
		}
		out = append(out, vals...)
	}
	return out, nil
}

func checkRecord(r *Record, last int) error {
	if r.Index <= last {
		return fmt.Errorf("resultwriter: record %d after record %d: records must come in increasing index order", r.Index, last)
	}
	_, err := fileStatus(r.Status)
	return err
}

// writer assembles the result files of one Map Run. It is used by one
// goroutine, within one call of [Write].
type writer struct {
	store Putter
	cfg   Config
	arn   string
	dir   string // the key prefix of every file, ending in '/'
	max   int64
	files map[string]*resultFile // by file status
	buf   []byte                 // one encoded result, reused
}

// resultFile is the file of one status being assembled in a temporary
// file, and the files of that status already stored.
type resultFile struct {
	f      *os.File // nil until the status has its first record
	size   int64    // bytes in f, without the closing ']' of a JSON file
	count  int      // results in f
	stored []storedFile
}

type storedFile struct {
	key  string
	size int64
}

func (w *writer) writeAll(ctx context.Context, records iter.Seq2[Record, error]) error {
	last := -1
	for r, err := range records {
		if err != nil {
			return fmt.Errorf("resultwriter: read records: %w", err)
		}
		if err := ctx.Err(); err != nil {
			return err
		}
		if err := checkRecord(&r, last); err != nil {
			return err
		}
		last = r.Index
		status, _ := fileStatus(r.Status)
		vals, err := r.results(w.cfg.Transformation)
		if err != nil {
			return err
		}
		for _, v := range vals {
			if err := w.add(ctx, status, v); err != nil {
				return err
			}
		}
	}
	for _, status := range fileStatuses {
		if rf := w.files[status]; rf != nil && rf.count > 0 {
			if err := w.flush(ctx, status, rf); err != nil {
				return err
			}
		}
	}
	return nil
}

// add appends one result to the file of status, storing the file first if
// the result would take it over the maximum size.
func (w *writer) add(ctx context.Context, status string, v any) error {
	var err error
	w.buf = w.buf[:0]
	if w.cfg.OutputType == OutputJSON {
		w.buf = append(w.buf, ',') // '[' for the first result of a file
	}
	if w.buf, err = jsonval.AppendJSON(w.buf, v); err != nil {
		return fmt.Errorf("resultwriter: encode a result: %w", err)
	}
	if w.cfg.OutputType == OutputJSONL {
		w.buf = append(w.buf, '\n')
	}
	rf := w.files[status]
	if rf == nil {
		rf = &resultFile{}
		w.files[status] = rf
	}
	if rf.count > 0 && rf.size+int64(len(w.buf))+w.closing() > w.max {
		if err := w.flush(ctx, status, rf); err != nil {
			return err
		}
	}
	if rf.f == nil {
		if rf.f, err = os.CreateTemp(w.cfg.TempDir, "stepwise-result-*"); err != nil {
			return writerFailed(fmt.Sprintf("Could not assemble the %s results of Map Run %s: %v", status, w.arn, err))
		}
	}
	if rf.count == 0 && w.cfg.OutputType == OutputJSON {
		w.buf[0] = '['
	}
	if _, err := rf.f.Write(w.buf); err != nil {
		return writerFailed(fmt.Sprintf("Could not assemble the %s results of Map Run %s: %v", status, w.arn, err))
	}
	rf.size += int64(len(w.buf))
	rf.count++
	return nil
}

// closing is the size of what ends a file: the ']' of a JSON array.
func (w *writer) closing() int64 {
	if w.cfg.OutputType == OutputJSON {
		return 1
	}
	return 0
}

// flush stores the file being assembled for status as <STATUS>_<n>.json
// and empties it for the next one.
func (w *writer) flush(ctx context.Context, status string, rf *resultFile) error {
	key := w.dir + status + "_" + strconv.Itoa(len(rf.stored)) + ".json"
	if w.cfg.OutputType == OutputJSON {
		if _, err := rf.f.Write([]byte{']'}); err != nil {
			return writerFailed(fmt.Sprintf("Could not assemble the result file %s of Map Run %s: %v", key, w.arn, err))
		}
		rf.size++
	}
	if err := w.put(ctx, key, io.NewSectionReader(rf.f, 0, rf.size), rf.size); err != nil {
		return err
	}
	rf.stored = append(rf.stored, storedFile{key: key, size: rf.size})
	if err := rf.f.Truncate(0); err != nil {
		return writerFailed(fmt.Sprintf("Could not assemble the %s results of Map Run %s: %v", status, w.arn, err))
	}
	if _, err := rf.f.Seek(0, io.SeekStart); err != nil {
		return writerFailed(fmt.Sprintf("Could not assemble the %s results of Map Run %s: %v", status, w.arn, err))
	}
	rf.size, rf.count = 0, 0
	return nil
}

func (w *writer) put(ctx context.Context, key string, body io.Reader, size int64) error {
	if err := w.store.PutObject(ctx, w.cfg.Bucket, key, body, size); err != nil {
		if ctxErr := ctx.Err(); ctxErr != nil {
			return ctxErr
		}
		return writerFailed(fmt.Sprintf("Could not write the results of Map Run %s to s3://%s/%s: %v", w.arn, w.cfg.Bucket, key, err))
	}
	return nil
}

// manifest stores manifest.json and returns its key.
func (w *writer) manifest(ctx context.Context) (string, error) {
	files := jsonval.NewObject(len(fileStatuses))
	for _, status := range fileStatuses {
		list := []any{}
		if rf := w.files[status]; rf != nil {
			for _, s := range rf.stored {
				e := jsonval.NewObject(2)
				e.Set("Key", s.key)
				e.Set("Size", json.Number(strconv.FormatInt(s.size, 10)))
				list = append(list, e)
			}
		}
		files.Set(status, list)
	}
	m := jsonval.NewObject(3)
	m.Set("DestinationBucket", w.cfg.Bucket)
	m.Set("MapRunArn", w.arn)
	m.Set("ResultFiles", files)
	body, err := jsonval.Marshal(m)
	if err != nil {
		return "", fmt.Errorf("resultwriter: encode the manifest: %w", err)
	}
	key := w.dir + "manifest.json"
	if err := w.put(ctx, key, bytes.NewReader(body), int64(len(body))); err != nil {
		return "", err
	}
	return key, nil
}

// close removes the temporary files.
func (w *writer) close() {
	for _, rf := range w.files {
		if rf.f != nil {
			rf.f.Close()
			os.Remove(rf.f.Name())
		}
	}
}
