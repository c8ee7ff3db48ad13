package itemreader

import (
	"context"
	"encoding/json"
	"errors"
	"strconv"
	"strings"

	"stepwise/jsonval"
	"stepwise/tasks/objects"
)

// Cursor is a Reader's position: after the last item it returned. Its
// zero value is the start. It is JSON-serializable, so that a runtime
// can keep it with an execution and [Open] a reader from it again.
type Cursor struct {
	// Items counts the items returned so far, for MaxItems.
	Items int64 `json:"items,omitempty"`
	// Token is the ContinuationToken of the listing page under way ("" for
	// the first), and Page the objects of that page passed: returned as
	// items, or, with LOAD_AND_FLATTEN, read to their end.
	Token string `json:"token,omitempty"`
	Page  int    `json:"page,omitempty"`
	// File counts the data files of a manifest read to their end.
	File int `json:"file,omitempty"`
	// Offset is the byte offset after the last item in the current data
	// file (JSON, JSONL, CSV), 0 when the file is compressed; Row counts
	// the items passed in it.
	Offset int64 `json:"offset,omitempty"`
	Row    int64 `json:"row,omitempty"`
	// Done is set once the reader has returned its last item.
	Done bool `json:"done,omitempty"`
}

// Reader streams the items of one ItemReader. It is not safe for
// concurrent use.
type Reader struct {
	store objects.Store
	cfg   config
	cur   Cursor

	files      []fileRef // getObject: the object, or a manifest's data files
	csvHeaders []string  // an S3 Inventory's fileSchema

	page       []objects.Object // the listing page under way
	pageLoaded bool
	nextToken  string
	truncated  bool

	file fileReader // the data file under way; nil between files
	// fileCancel ends the context the file's body is read under, which
	// outlives the Next call that opened it (a body is read across many
	// calls) and ends with the file, at Close, or when a Next call's ctx
	// ends mid-read.
	fileCancel context.CancelFunc
	closed     bool
}

// fileRef names one data file; version, when set, is the S3 VersionId
// to read.
type fileRef struct{ bucket, key, version string }

// objectStore returns the Store that reads ref: store, or its view of
// ref's version.
func objectStore(store objects.Store, ref fileRef) (objects.Store, error) {
	if ref.version == "" {
		return store, nil
	}
	vs, ok := store.(objects.Versions)
	if !ok {
		return nil, runtimeError("The ItemReader parameter VersionId cannot be carried out: the bucket %s is not one whose object versions Stepwise reads (a local folder keeps no versions)", ref.bucket)
	}
	return vs.Version(ref.version), nil
}

// Open returns a Reader of the ItemReader with resource
// (arn:aws:states:::s3:getObject or arn:aws:states:::s3:listObjectsV2), its
// evaluated Parameters (JSONPath) or Arguments (JSONata) params and its
// evaluated ReaderConfig (MaxItems already a number), positioned at from.
// A manifest is read here; the data files when Next needs them.
func Open(ctx context.Context, store objects.Store, resource string, params, readerConfig any, from Cursor) (*Reader, error) {
	cfg, err := parseConfig(resource, params, readerConfig)
	if err != nil {
		return nil, err
	}
	if from.Items < 0 || from.Page < 0 || from.File < 0 || from.Offset < 0 || from.Row < 0 {
		return nil, runtimeError("The item reader cursor %+v has a negative position", from)
	}
	r := &Reader{store: store, cfg: cfg, cur: from}
	if cfg.listing || from.Done {
		return r, nil
	}
	switch cfg.manifestType {
	case "S3_INVENTORY":
		r.files, r.csvHeaders, err = readInventoryManifest(ctx, store, fileRef{cfg.bucket, cfg.key, cfg.version})
	case "ATHENA_DATA":
		r.files, err = readAthenaManifest(ctx, store, fileRef{cfg.bucket, cfg.key, cfg.version})
	default:
		r.files = []fileRef{{cfg.bucket, cfg.key, cfg.version}}
	}
	if err != nil {
		return nil, err
	}
	return r, nil
}

// Cursor returns the position after the last item Next returned.
func (r *Reader) Cursor() Cursor { return r.cur }

// Close releases the data file under way. It is idempotent.
func (r *Reader) Close() error {
	r.closed = true
	return r.dropFile()
}

// dropFile closes the data file under way, if any; the next call of Next
// opens it again at the cursor.
func (r *Reader) dropFile() error {
	if r.file == nil {
		return nil
	}
	err := r.file.close()
	r.file = nil
	r.fileCancel()
	r.fileCancel = nil
	return err
}

var errClosed = errors.New("itemreader: reader is closed")

// Next returns the next item, in the jsonval model, or ok false after the
// last (MaxItems included). Failures are *tasks.Error named
// States.ItemReaderFailed; after one the Cursor still names the last item
// returned, and the next call (or a reader opened from the Cursor) tries
// again from there. When ctx ends, a read under way stops and Next
// returns ctx's error. ctx bounds the time of the call: Next sets no
// timeout of its own.
func (r *Reader) Next(ctx context.Context) (item any, ok bool, err error) {
	if r.closed {
		return nil, false, errClosed
	}
	if r.fileCancel != nil {
		// A file opened by an earlier call reads under its own context:
		// end it if this call's ctx ends.
		stop := context.AfterFunc(ctx, r.fileCancel)
		defer stop()
	}
	for {
		if r.cur.Done {
			return nil, false, nil
		}
		if r.cfg.maxItems > 0 && r.cur.Items >= r.cfg.maxItems {
			r.finish()
			return nil, false, nil
		}
		if err := ctx.Err(); err != nil {
			return nil, false, err
		}
		if r.cfg.listing && !r.cfg.flatten {
			obj, ok, err := r.listed(ctx)
			if err != nil || !ok {
				return nil, false, err
			}
			r.cur.Page++
			r.cur.Items++
			return describe(obj, r.cfg.fetchOwner), true, nil
		}
		if r.file == nil {
			ref, ok, err := r.currentFile(ctx)
			if err != nil {
				return nil, false, err
			}
			if !ok {
				r.finish()
				return nil, false, nil
			}
			fctx, cancel := context.WithCancel(context.WithoutCancel(ctx))
			stop := context.AfterFunc(ctx, cancel)
			defer stop()
			if r.file, err = r.openFile(fctx, ref); err != nil {
				cancel()
				r.file = nil
				if ctx.Err() != nil {
					return nil, false, ctx.Err()
				}
				return nil, false, err
			}
			r.fileCancel = cancel
		}
		item, ok, err := r.file.next(ctx)
		if err != nil {
			r.dropFile()
			if ctx.Err() != nil {
				return nil, false, ctx.Err()
			}
			return nil, false, err
		}
		if !ok {
			if cerr := r.dropFile(); cerr != nil {
				return nil, false, storeError(ctx, cerr)
			}
			r.cur.Offset, r.cur.Row = 0, 0
			if r.cfg.listing {
				r.cur.Page++
			} else {
				r.cur.File++
			}
			continue
		}
		r.cur.Offset = r.file.offset()
		r.cur.Row++
		r.cur.Items++
		return item, true, nil
	}
}

// finish marks the reader done and lets its file go.
func (r *Reader) finish() {
	r.cur = Cursor{Items: r.cur.Items, Done: true}
	r.dropFile()
}

// currentFile names the data file under way, or ok false after the last.
func (r *Reader) currentFile(ctx context.Context) (fileRef, bool, error) {
	if !r.cfg.listing {
		if r.cur.File >= len(r.files) {
			return fileRef{}, false, nil
		}
		return r.files[r.cur.File], true, nil
	}
	for {
		obj, ok, err := r.listed(ctx)
		if err != nil || !ok {
			return fileRef{}, false, err
		}
		// Folders made in the S3 console are empty objects named
		// "dir/"; they hold no items.
		if strings.HasSuffix(obj.Key, "/") && obj.Size == 0 {
			r.cur.Page++
			continue
		}
		return fileRef{bucket: r.cfg.bucket, key: obj.Key}, true, nil
	}
}

// listed returns the listing's object at the cursor, fetching pages as
// needed, or ok false after the last.
func (r *Reader) listed(ctx context.Context) (objects.Object, bool, error) {
	for {
		if !r.pageLoaded {
			token := r.cur.Token
			if token == "" {
				token = r.cfg.token
			}
			p, err := r.store.ListObjectsV2(ctx, objects.ListQuery{Bucket: r.cfg.bucket, Prefix: r.cfg.prefix, Delimiter: r.cfg.delimiter,
				StartAfter: r.cfg.startAfter, ContinuationToken: token, MaxKeys: r.cfg.maxKeys, FetchOwner: r.cfg.fetchOwner,
				RequestPayer: r.cfg.requestPayer, ExpectedBucketOwner: r.cfg.expectedOwner})
			if err != nil {
				return objects.Object{}, false, storeError(ctx, err)
			}
			r.page, r.nextToken, r.truncated, r.pageLoaded = p.Objects, p.NextContinuationToken, p.IsTruncated, true
		}
		if r.cur.Page < len(r.page) {
			return r.page[r.cur.Page], true, nil
		}
		if !r.truncated || r.nextToken == "" {
			r.finish()
			return objects.Object{}, false, nil
		}
		r.cur.Token, r.cur.Page, r.pageLoaded = r.nextToken, 0, false
	}
}

// describe is the item of a listed object, as Step Functions gives it:
// {"Etag", "Key", "LastModified" (seconds since the epoch), "Size",
// "StorageClass"} (ItemReader (Map), Amazon S3 objects), with "Owner"
// when the listing asked for it.
func describe(o objects.Object, owner bool) *jsonval.Object {
	item := jsonval.NewObject(6)
	item.Set("Etag", o.ETag)
	item.Set("Key", o.Key)
	item.Set("LastModified", json.Number(strconv.FormatInt(o.LastModified.Unix(), 10)))
	item.Set("Size", json.Number(strconv.FormatInt(o.Size, 10)))
	item.Set("StorageClass", o.StorageClass)
	if owner && o.Owner != nil {
		ow := jsonval.NewObject(2)
		ow.Set("DisplayName", o.Owner.DisplayName)
		ow.Set("ID", o.Owner.ID)
		item.Set("Owner", ow)
	}
	return item
}
