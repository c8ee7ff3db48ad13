package itemreader_test

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/parquet-go/parquet-go"

	"stepwise/internal/s3test"
	"stepwise/jsonval"
	"stepwise/tasks"
	"stepwise/tasks/itemreader"
	"stepwise/tasks/objects"
	"stepwise/tasks/objects/objectstest"
	"stepwise/tasks/sdk"
)

const (
	get  = itemreader.ResourceGetObject
	list = itemreader.ResourceListObjectsV2
)

// mustJSON parses a JSON literal of a test.
func mustJSON(t testing.TB, s string) any {
	t.Helper()
	if s == "" {
		return nil
	}
	v, err := jsonval.ParseString(s)
	if err != nil {
		t.Fatalf("test JSON %s: %v", s, err)
	}
	return v
}

func gz(t testing.TB, s string) string {
	t.Helper()
	var b bytes.Buffer
	w := gzip.NewWriter(&b)
	w.Write([]byte(s))
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

type rec struct {
	ID    int64   `parquet:"id"`
	Name  string  `parquet:"name"`
	Score float64 `parquet:"score"`
	OK    bool    `parquet:"ok"`
	Note  *string `parquet:"note,optional"`
}

// parquetFile writes n rows in row groups of 3.
func parquetFile(t testing.TB, n int) string {
	t.Helper()
	var b bytes.Buffer
	w := parquet.NewGenericWriter[rec](&b, parquet.MaxRowsPerRowGroup(3))
	for i := range n {
		r := rec{ID: int64(i + 1), Name: fmt.Sprintf("row %d", i+1), Score: float64(i) + 0.5, OK: i%2 == 0}
		if i%3 == 1 {
			note := "n" + fmt.Sprint(i)
			r.Note = &note
		}
		if _, err := w.Write([]rec{r}); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

func parquetWant(n int) string {
	var items []string
	for i := range n {
		note := "null"
		if i%3 == 1 {
			note = fmt.Sprintf(`"n%d"`, i)
		}
		items = append(items, fmt.Sprintf(`{"id":%d,"name":"row %d","score":%v,"ok":%v,"note":%s}`, i+1, i+1, float64(i)+0.5, i%2 == 0, note))
	}
	return "[" + strings.Join(items, ",") + "]"
}

// readCase is one ItemReader over objects put in a bucket named "items"
// (and "inventory" for manifests' data files).
type readCase struct {
	name     string
	objects  map[string]string // "bucket/key" -> body
	resource string
	params   string
	config   string
	want     string // the items, as a JSON array
}

func readCases(t testing.TB) []readCase {
	inventoryManifest := `{"sourceBucket":"src","destinationBucket":"arn:aws:s3:::inventory","version":"2016-11-30","fileFormat":"CSV",
		"fileSchema":"Bucket, Key, Size, LastModifiedDate","files":[{"key":"inv/data/a.csv.gz","size":1,"MD5checksum":"x"},{"key":"inv/data/b.csv","size":1,"MD5checksum":"y"}]}`
	return []readCase{
		{name: "JSON array", objects: map[string]string{"items/a.json": `[{"a":1,"b":[1,2]}, 2, "x", [3], null, true, -1.5e3, "]\"[,"]`},
			resource: get, params: `{"Bucket":"items","Key":"a.json"}`, config: `{"InputType":"JSON"}`,
			want: `[{"a":1,"b":[1,2]},2,"x",[3],null,true,-1.5e3,"]\"[,"]`},
		{name: "JSON array, spaced and nested", objects: map[string]string{"items/b.json": "\ufeff \n[\n {\"s\": \"}]\\\\\\\"\", \"t\": [1, {\"u\": \"{\"}]} ,\n {}\n]\n trailing text"},
			resource: get, params: `{"Bucket":"items","Key":"b.json"}`, config: `{"InputType":"JSON"}`,
			want: `[{"s":"}]\\\"","t":[1,{"u":"{"}]},{}]`},
		{name: "JSON empty array", objects: map[string]string{"items/e.json": `[ ]`},
			resource: get, params: `{"Bucket":"items","Key":"e.json"}`, config: `{"InputType":"JSON"}`, want: `[]`},
		{name: "JSON ItemsPointer", objects: map[string]string{"items/p.json": `{"meta":{"x":[1,{"items":[9]}],"s":"a\"b"},"data":{"other":1,"items":[{"k":1},{"k":2},{"k":3}]}}`},
			resource: get, params: `{"Bucket":"items","Key":"p.json"}`, config: `{"InputType":"JSON","ItemsPointer":"/data/items"}`,
			want: `[{"k":1},{"k":2},{"k":3}]`},
		{name: "JSON ItemsPointer into an array", objects: map[string]string{"items/pa.json": `[[0],{"a":[5,6]}]`},
			resource: get, params: `{"Bucket":"items","Key":"pa.json"}`, config: `{"InputType":"JSON","ItemsPointer":"/1/a"}`,
			want: `[5,6]`},
		{name: "JSONL", objects: map[string]string{"items/a.jsonl": "{\"a\":1}\r\n\n  \n[1,2]\n\"s\"\n3"},
			resource: get, params: `{"Bucket":"items","Key":"a.jsonl"}`, config: `{"InputType":"JSONL"}`,
			want: `[{"a":1},[1,2],"s",3]`},
		{name: "JSONL gzip", objects: map[string]string{"items/a.jsonl.gz": gz(t, "{\"a\":1}\n{\"a\":2}\n{\"a\":3}\n")},
			resource: get, params: `{"Bucket":"items","Key":"a.jsonl.gz"}`, config: `{"InputType":"JSONL"}`,
			want: `[{"a":1},{"a":2},{"a":3}]`},
		{name: "JSONL MaxItems", objects: map[string]string{"items/m.jsonl": "1\n2\n3\n4\n"},
			resource: get, params: `{"Bucket":"items","Key":"m.jsonl"}`, config: `{"InputType":"JSONL","MaxItems":2}`,
			want: `[1,2]`},
		{name: "CSV first row", objects: map[string]string{"items/a.csv": "\ufeffname,quote,n\r\nann,\"a, \"\"b\"\"\",1\nbob,\"two\nlines\",2\n\ncy\n"},
			resource: get, params: `{"Bucket":"items","Key":"a.csv"}`, config: `{"InputType":"CSV","CSVHeaderLocation":"FIRST_ROW"}`,
			want: `[{"name":"ann","quote":"a, \"b\"","n":"1"},{"name":"bob","quote":"two\nlines","n":"2"},{"name":"cy","quote":"","n":""}]`},
		{name: "CSV given, extra fields left out", objects: map[string]string{"items/g.csv": "1,2,3\n4,5,6\n"},
			resource: get, params: `{"Bucket":"items","Key":"g.csv"}`, config: `{"InputType":"CSV","CSVHeaderLocation":"GIVEN","CSVHeaders":["x","y"]}`,
			want: `[{"x":"1","y":"2"},{"x":"4","y":"5"}]`},
		{name: "CSV header only", objects: map[string]string{"items/h.csv": "a,b\n"},
			resource: get, params: `{"Bucket":"items","Key":"h.csv"}`, config: `{"InputType":"CSV","CSVHeaderLocation":"FIRST_ROW"}`, want: `[]`},
		{name: "CSV MaxItems", objects: map[string]string{"items/mx.csv": "a\n1\n2\n3\n"},
			resource: get, params: `{"Bucket":"items","Key":"mx.csv"}`, config: `{"InputType":"CSV","CSVHeaderLocation":"FIRST_ROW","MaxItems":1}`, want: `[{"a":"1"}]`},
		{name: "CSV gzip", objects: map[string]string{"items/z.csv.gz": gz(t, "a,b\n1,2\n3,4\n5,6\n")},
			resource: get, params: `{"Bucket":"items","Key":"z.csv.gz"}`, config: `{"InputType":"CSV"}`,
			want: `[{"a":"1","b":"2"},{"a":"3","b":"4"},{"a":"5","b":"6"}]`},
		{name: "S3 inventory manifest", objects: map[string]string{
			"items/inv/manifest.json":     inventoryManifest,
			"inventory/inv/data/a.csv.gz": gz(t, "\"src\",\"k/1.csv\",\"10\",\"2022-11-16T00:29:32.000Z\"\n\"src\",\"k/2.csv\",\"20\",\"2022-11-16T00:29:33.000Z\"\n"),
			"inventory/inv/data/b.csv":    "\"src\",\"k/3.csv\",\"30\",\"2022-11-16T00:29:34.000Z\"\n"},
			resource: get, params: `{"Bucket":"items","Key":"inv/manifest.json"}`, config: `{"InputType":"MANIFEST"}`,
			want: `[{"Bucket":"src","Key":"k/1.csv","Size":"10","LastModifiedDate":"2022-11-16T00:29:32.000Z"},
				{"Bucket":"src","Key":"k/2.csv","Size":"20","LastModifiedDate":"2022-11-16T00:29:33.000Z"},
				{"Bucket":"src","Key":"k/3.csv","Size":"30","LastModifiedDate":"2022-11-16T00:29:34.000Z"}]`},
		{name: "Athena manifest of JSONL", objects: map[string]string{
			"items/athena/manifest.csv": "s3://items/athena/1.gz\n\ns3://inventory/athena/2\n",
			"items/athena/1.gz":         gz(t, "{\"r\":1}\n{\"r\":2}\n"),
			"inventory/athena/2":        "{\"r\":3}\n"},
			resource: get, params: `{"Bucket":"items","Key":"athena/manifest.csv"}`, config: `{"InputType":"JSONL","ManifestType":"ATHENA_DATA"}`,
			want: `[{"r":1},{"r":2},{"r":3}]`},
		{name: "Parquet", objects: map[string]string{"items/t.parquet": parquetFile(t, 8)},
			resource: get, params: `{"Bucket":"items","Key":"t.parquet"}`, config: `{"InputType":"PARQUET"}`, want: parquetWant(8)},
		{name: "Parquet MaxItems", objects: map[string]string{"items/t2.parquet": parquetFile(t, 5)},
			resource: get, params: `{"Bucket":"items","Key":"t2.parquet"}`, config: `{"InputType":"PARQUET","MaxItems":4}`, want: parquetWant(4)},
		{name: "listObjectsV2 LOAD_AND_FLATTEN", objects: map[string]string{
			"items/flat/1.jsonl": "1\n2\n", "items/flat/2.jsonl": "3\n", "items/flat/3.jsonl": "", "items/flat/4.jsonl": "4\n5", "items/flat0": "99"},
			resource: list, params: `{"Bucket":"items","Prefix":"flat/","MaxKeys":2}`, config: `{"InputType":"JSONL","Transformation":"LOAD_AND_FLATTEN"}`,
			want: `[1,2,3,4,5]`},
	}
}

// put stores a case's objects.
func put(t *testing.T, s objects.Store, objs map[string]string) {
	t.Helper()
	for path, body := range objs {
		bucket, key, _ := strings.Cut(path, "/")
		objectstest.Put(t, s, bucket, key, body)
	}
}

// readAll reads every item from from, with the cursor after each.
func readAll(t *testing.T, s objects.Store, c readCase, from itemreader.Cursor) ([]any, []itemreader.Cursor, error) {
	t.Helper()
	r, err := itemreader.Open(t.Context(), s, c.resource, mustJSON(t, c.params), mustJSON(t, c.config), from)
	if err != nil {
		return nil, nil, err
	}
	defer r.Close()
	var items []any
	var cursors []itemreader.Cursor
	for range 10000 {
		item, ok, err := r.Next(t.Context())
		if err != nil {
			return items, cursors, err
		}
		if !ok {
			return items, cursors, nil
		}
		items = append(items, item)
		cursors = append(cursors, r.Cursor())
	}
	t.Fatalf("more than 10000 items")
	return nil, nil, nil
}

func marshal(t testing.TB, v any) string {
	t.Helper()
	if v == nil {
		v = []any{}
	}
	s, err := jsonval.MarshalString(v)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// roundTrip passes a cursor through JSON, as a runtime keeps it.
func roundTrip(t *testing.T, c itemreader.Cursor) itemreader.Cursor {
	t.Helper()
	b, err := json.Marshal(c)
	if err != nil {
		t.Fatal(err)
	}
	var out itemreader.Cursor
	if err := json.Unmarshal(b, &out); err != nil {
		t.Fatal(err)
	}
	return out
}

// runReadCases reads each case whole, then from the cursor after every
// item: the rest must be the items after it.
func runReadCases(t *testing.T, s objects.Store) {
	for _, c := range readCases(t) {
		t.Run(c.name, func(t *testing.T) {
			put(t, s, c.objects)
			items, cursors, err := readAll(t, s, c, itemreader.Cursor{})
			if err != nil {
				t.Fatalf("read: %v", err)
			}
			if got, want := marshal(t, items), marshal(t, mustJSON(t, c.want)); got != want {
				t.Fatalf("items\n got %s\nwant %s", got, want)
			}
			for k, cur := range cursors {
				rest, _, err := readAll(t, s, c, roundTrip(t, cur))
				if err != nil {
					t.Fatalf("resume after item %d at %+v: %v", k+1, cur, err)
				}
				if got, want := marshal(t, rest), marshal(t, items[k+1:]); got != want {
					t.Errorf("resumed after item %d at %+v:\n got %s\nwant %s", k+1, cur, got, want)
				}
			}
		})
	}
}

func newDir(t *testing.T) objects.Store {
	t.Helper()
	d, err := objects.NewDir(map[string]string{"items": t.TempDir(), "inventory": t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { d.Close() })
	return d
}

func TestReadDir(t *testing.T) { runReadCases(t, newDir(t)) }

func TestListObjectsV2Items(t *testing.T) {
	t.Run("Dir", func(t *testing.T) { testListItems(t, newDir(t)) })
	t.Run("S3", func(t *testing.T) {
		endpoint := s3test.Start(t, "items")
		testListItems(t, sdk.New(sdk.Config{Endpoints: map[string]string{"s3": endpoint}}).Objects())
	})
}

// testListItems lists objects under a prefix in pages of one: each item
// is the object's description, in key order, and a cursor after any item
// resumes after it.
func testListItems(t *testing.T, s objects.Store) {
	for _, k := range []string{"pics/b.jpg", "pics/a.jpg", "pics/sub/c.jpg", "other/d.jpg"} {
		objectstest.Put(t, s, "items", k, "data "+k)
	}
	c := readCase{resource: list, params: `{"Bucket":"items","Prefix":"pics/","MaxKeys":1}`, config: `{}`}
	items, cursors, err := readAll(t, s, c, itemreader.Cursor{})
	if err != nil {
		t.Fatal(err)
	}
	var keys []string
	for _, it := range items {
		o := it.(*jsonval.Object)
		if got := strings.Join(o.Keys(), ","); got != "Etag,Key,LastModified,Size,StorageClass" {
			t.Errorf("item members %s", got)
		}
		key, _ := o.Get("Key")
		keys = append(keys, key.(string))
		size, _ := o.Get("Size")
		if n, _ := jsonval.Int(size); n != int64(len("data "+key.(string))) {
			t.Errorf("%s: Size %v", key, size)
		}
		lm, _ := o.Get("LastModified")
		if _, ok := lm.(json.Number); !ok || !jsonval.IsIntegral(lm) {
			t.Errorf("%s: LastModified %v is not whole seconds since the epoch", key, lm)
		}
		if et, _ := o.Get("Etag"); !strings.HasPrefix(et.(string), `"`) {
			t.Errorf("%s: Etag %v is not quoted", key, et)
		}
	}
	if got := strings.Join(keys, ","); got != "pics/a.jpg,pics/b.jpg,pics/sub/c.jpg" {
		t.Errorf("keys %s", got)
	}
	for k, cur := range cursors {
		rest, _, err := readAll(t, s, c, roundTrip(t, cur))
		if err != nil {
			t.Fatal(err)
		}
		if got, want := marshal(t, rest), marshal(t, items[k+1:]); got != want {
			t.Errorf("resumed after %d: got %s, want %s", k+1, got, want)
		}
	}
}

func TestErrors(t *testing.T) {
	s := newDir(t)
	put(t, s, map[string]string{
		"items/obj.json":   `{"a":1}`,
		"items/bad.json":   `[1, 2 3]`,
		"items/cut.json":   `[1, {"a":`,
		"items/bad.jsonl":  "1\n{nope}\n",
		"items/bad.csv":    "a,b\n\"x,1\n",
		"items/dup.csv":    "a,a\n1,2\n",
		"items/long.jsonl": "1\n\"" + strings.Repeat("x", itemreader.MaxItemBytes+10) + "\"\n",
		"items/long.json":  "[\"" + strings.Repeat("x", itemreader.MaxItemBytes+10) + "\"]",
		"items/head.csv":   strings.Repeat("h", itemreader.MaxCSVHeaderBytes+1) + "\n1\n",
		"items/row.csv":    "h\n" + strings.Repeat("r", itemreader.MaxItemBytes+20000) + "\n",
		"items/inv.json":   `{"fileFormat":"ORC","fileSchema":"Bucket, Key","destinationBucket":"arn:aws:s3:::inventory","files":[]}`,
		"items/notpq":      "this is not parquet",
		"items/ath":        "http://example.com/x\n",
	})
	tests := []struct {
		name, resource, params, config string
		errName, cause                 string // cause: a part of it
	}{
		{"missing key", get, `{"Bucket":"items","Key":"none.json"}`, `{"InputType":"JSON"}`, itemreader.ErrorItemReaderFailed, "The specified key does not exist. (Service: S3, Status Code: 404, Error Code: NoSuchKey"},
		{"missing bucket", get, `{"Bucket":"nobucket","Key":"x"}`, `{"InputType":"JSON"}`, itemreader.ErrorItemReaderFailed, "NoSuchBucket"},
		{"not an array", get, `{"Bucket":"items","Key":"obj.json"}`, `{"InputType":"JSON"}`, itemreader.ErrorItemReaderFailed, "Attempting to map over non-iterable node."},
		{"pointer to nothing", get, `{"Bucket":"items","Key":"obj.json"}`, `{"InputType":"JSON","ItemsPointer":"/b"}`, itemreader.ErrorItemReaderFailed, "does not name a value"},
		{"pointer to a number", get, `{"Bucket":"items","Key":"obj.json"}`, `{"InputType":"JSON","ItemsPointer":"/a"}`, itemreader.ErrorItemReaderFailed, "non-iterable"},
		{"bad JSON", get, `{"Bucket":"items","Key":"bad.json"}`, `{"InputType":"JSON"}`, itemreader.ErrorItemReaderFailed, "expected ',' or ']'"},
		{"cut JSON", get, `{"Bucket":"items","Key":"cut.json"}`, `{"InputType":"JSON"}`, itemreader.ErrorItemReaderFailed, "ends before its array does"},
		{"bad JSONL", get, `{"Bucket":"items","Key":"bad.jsonl"}`, `{"InputType":"JSONL"}`, itemreader.ErrorItemReaderFailed, "not valid JSON, at byte 2"},
		{"bad CSV", get, `{"Bucket":"items","Key":"bad.csv"}`, `{"InputType":"CSV","CSVHeaderLocation":"FIRST_ROW"}`, itemreader.ErrorItemReaderFailed, "could not be parsed"},
		{"duplicate headers", get, `{"Bucket":"items","Key":"dup.csv"}`, `{"InputType":"CSV","CSVHeaderLocation":"FIRST_ROW"}`, itemreader.ErrorItemReaderFailed, "CSV headers cannot contain duplicates."},
		{"duplicate given headers", get, `{"Bucket":"items","Key":"dup.csv"}`, `{"InputType":"CSV","CSVHeaderLocation":"GIVEN","CSVHeaders":["x","x"]}`, itemreader.ErrorItemReaderFailed, "CSV headers cannot contain duplicates."},
		{"JSONL line too long", get, `{"Bucket":"items","Key":"long.jsonl"}`, `{"InputType":"JSONL"}`, itemreader.ErrorItemReaderFailed, "longer than 262144 bytes"},
		{"JSON item too large", get, `{"Bucket":"items","Key":"long.json"}`, `{"InputType":"JSON"}`, itemreader.ErrorItemReaderFailed, "larger than 262144 bytes"},
		{"CSV header too long", get, `{"Bucket":"items","Key":"head.csv"}`, `{"InputType":"CSV"}`, itemreader.ErrorItemReaderFailed, "10240 bytes"},
		{"CSV row too long", get, `{"Bucket":"items","Key":"row.csv"}`, `{"InputType":"CSV"}`, itemreader.ErrorItemReaderFailed, "262144 bytes"},
		{"ORC inventory", get, `{"Bucket":"items","Key":"inv.json"}`, `{"InputType":"MANIFEST"}`, itemreader.ErrorItemReaderFailed, "not CSV"},
		{"not parquet", get, `{"Bucket":"items","Key":"notpq"}`, `{"InputType":"PARQUET"}`, itemreader.ErrorItemReaderFailed, "could not be read"},
		{"Athena line not a URI", get, `{"Bucket":"items","Key":"ath"}`, `{"InputType":"CSV","ManifestType":"ATHENA_DATA"}`, itemreader.ErrorItemReaderFailed, "not an S3 URI"},
		{"VersionId of a folder bucket", get, `{"Bucket":"items","Key":"obj.json","VersionId":"v1"}`, `{"InputType":"JSON"}`, tasks.ErrorRuntime, "keeps no versions"},
		{"unknown parameter", get, `{"Bucket":"items","Key":"obj.json","Range":"bytes=0-1"}`, `{"InputType":"JSON"}`, tasks.ErrorRuntime, "Range"},
		{"unknown ReaderConfig field", get, `{"Bucket":"items","Key":"obj.json"}`, `{"InputType":"JSON","Compression":"GZIP"}`, tasks.ErrorRuntime, "Compression"},
		{"no InputType", get, `{"Bucket":"items","Key":"obj.json"}`, `{}`, tasks.ErrorRuntime, "needs a ReaderConfig InputType"},
		{"bad InputType", get, `{"Bucket":"items","Key":"obj.json"}`, `{"InputType":"XML"}`, tasks.ErrorRuntime, "XML"},
		{"bad delimiter", get, `{"Bucket":"items","Key":"obj.json"}`, `{"InputType":"CSV","CSVDelimiter":"COLON"}`, tasks.ErrorRuntime, "COLON"},
		{"GIVEN without headers", get, `{"Bucket":"items","Key":"obj.json"}`, `{"InputType":"CSV","CSVHeaderLocation":"GIVEN"}`, tasks.ErrorRuntime, "CSVHeaders"},
		{"no Key", get, `{"Bucket":"items"}`, `{"InputType":"JSON"}`, tasks.ErrorRuntime, "Key"},
		{"MaxItems negative", get, `{"Bucket":"items","Key":"obj.json"}`, `{"InputType":"JSON","MaxItems":-1}`, tasks.ErrorRuntime, "MaxItems"},
		{"listing with InputType", list, `{"Bucket":"items"}`, `{"InputType":"JSON"}`, tasks.ErrorRuntime, "LOAD_AND_FLATTEN"},
		{"other resource", "arn:aws:states:::dynamodb:scan", `{}`, `{}`, tasks.ErrorRuntime, "dynamodb"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, _, err := readAll(t, s, readCase{resource: tt.resource, params: tt.params, config: tt.config}, itemreader.Cursor{})
			te := tasks.AsError(err)
			if err == nil || te.Name != tt.errName || !strings.Contains(te.Cause, tt.cause) {
				t.Errorf("err = %v, want %s with a cause containing %q", err, tt.errName, tt.cause)
			}
		})
	}
}
