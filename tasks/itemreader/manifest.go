package itemreader

import (
	"bytes"
	"context"
	"io"
	"strings"

	"stepwise/jsonval"
	"stepwise/tasks/objects"
)

// readBounded reads a whole object of at most limit bytes.
func readBounded(ctx context.Context, store objects.Store, ref fileRef, limit int64, what string) ([]byte, error) {
	store, err := objectStore(store, ref)
	if err != nil {
		return nil, err
	}
	body, err := store.GetObject(ctx, ref.bucket, ref.key, 0, limit+1)
	if err != nil {
		return nil, storeError(ctx, err)
	}
	defer body.Close()
	data, err := io.ReadAll(body)
	if err != nil {
		return nil, storeError(ctx, err)
	}
	if int64(len(data)) > limit {
		return nil, failed("The %s %s/%s is larger than %d bytes", what, ref.bucket, ref.key, limit)
	}
	return data, nil
}

// readInventoryManifest reads an S3 Inventory manifest.json: its data
// files (in destinationBucket) and the CSV columns of their rows
// (fileSchema). Each row becomes an item keyed by those columns, every
// value a string, as for CSV (ItemReader (Map), S3 inventory manifest).
// Inventories in ORC or Parquet are refused: Step Functions reads CSV
// inventories only.
func readInventoryManifest(ctx context.Context, store objects.Store, ref fileRef) ([]fileRef, []string, error) {
	bucket, key := ref.bucket, ref.key
	data, err := readBounded(ctx, store, ref, MaxManifestBytes, "S3 Inventory manifest")
	if err != nil {
		return nil, nil, err
	}
	bad := func(why string) error {
		return failed("The S3 Inventory manifest %s/%s is not one Step Functions reads: %s", bucket, key, why)
	}
	v, perr := jsonval.Parse(data)
	m, ok := v.(*jsonval.Object)
	if perr != nil || !ok {
		return nil, nil, bad("it is not a JSON object")
	}
	str := func(name string) string {
		s, _ := m.Get(name)
		x, _ := s.(string)
		return x
	}
	if f := str("fileFormat"); !strings.EqualFold(f, "CSV") {
		return nil, nil, bad("its fileFormat is " + jsonval.MustMarshalString(f) + ", not CSV")
	}
	var schema []string
	for col := range strings.SplitSeq(str("fileSchema"), ",") {
		if col = strings.TrimSpace(col); col != "" {
			schema = append(schema, col)
		}
	}
	if len(schema) == 0 {
		return nil, nil, bad("it has no fileSchema")
	}
	if err := checkHeaders(schema); err != nil {
		return nil, nil, err
	}
	dest := strings.TrimPrefix(str("destinationBucket"), "arn:aws:s3:::")
	if dest == "" {
		return nil, nil, bad("it has no destinationBucket")
	}
	fv, _ := m.Get("files")
	list, ok := fv.([]any)
	if !ok {
		return nil, nil, bad("it has no files array")
	}
	files := make([]fileRef, 0, len(list))
	for _, f := range list {
		fo, ok := f.(*jsonval.Object)
		if !ok {
			return nil, nil, bad("an entry of its files is not an object")
		}
		k, _ := fo.Get("key")
		ks, ok := k.(string)
		if !ok || ks == "" {
			return nil, nil, bad("an entry of its files has no key")
		}
		files = append(files, fileRef{bucket: dest, key: ks})
	}
	return files, schema, nil
}

// readAthenaManifest reads an Athena manifest (what UNLOAD writes): one
// S3 URI a line, s3://bucket/key, of the data files.
func readAthenaManifest(ctx context.Context, store objects.Store, ref fileRef) ([]fileRef, error) {
	bucket, key := ref.bucket, ref.key
	data, err := readBounded(ctx, store, ref, MaxManifestBytes, "Athena manifest")
	if err != nil {
		return nil, err
	}
	var files []fileRef
	for line := range bytes.Lines(data) {
		uri := strings.TrimSpace(string(line))
		if uri == "" {
			continue
		}
		rest, ok := strings.CutPrefix(uri, "s3://")
		b, k, ok2 := strings.Cut(rest, "/")
		if !ok || !ok2 || b == "" || k == "" {
			return nil, failed("The Athena manifest %s/%s has a line that is not an S3 URI (s3://bucket/key): %q", bucket, key, uri)
		}
		files = append(files, fileRef{bucket: b, key: k})
	}
	return files, nil
}
