package resultwriter_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"iter"
	"os"
	"runtime"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/google/go-cmp/cmp"

	"stepwise/internal/s3test"
	"stepwise/jsonval"
	"stepwise/tasks"
	"stepwise/tasks/objects"
	"stepwise/tasks/resultwriter"
)

// The Store of tasks/objects, which the runtime passes to Write, is a
// Putter.
var _ resultwriter.Putter = objects.Store(nil)

const (
	smARN  = "arn:aws:states:us-east-1:123456789012:stateMachine:orderProcessing/getOrders"
	runARN = "arn:aws:states:us-east-1:123456789012:mapRun:orderProcessing/getOrders:"
	bucket = "results"
)

var (
	start = time.Date(2025, 2, 4, 1, 49, 50, 99_000_000, time.UTC)
	// stop is in another zone: result files give UTC.
	stop = time.Date(2025, 2, 4, 2, 49, 50, 163_999_999, time.FixedZone("CET", 3600))
)

// records is a Map Run of every status: two children succeeded (one with
// the array output of the docs' transformation examples, one with
// non-ASCII text), one failed, one timed out, and one item never started.
func records() []resultwriter.Record {
	child := func(i int, status string) resultwriter.Record {
		return resultwriter.Record{Index: i, ExecutionARN: "arn:aws:states:us-east-1:123456789012:execution:orderProcessing/getOrders:c" + strconv.Itoa(i),
			Name: "c" + strconv.Itoa(i), StateMachineARN: smARN, Status: status, Input: `{"k":` + strconv.Itoa(i) + `}`, Start: start, Stop: stop}
	}
	r0 := child(0, resultwriter.StatusSucceeded)
	r0.Output = `[{"customer_id":"145538","order_id":"100000"},{"customer_id":"898037","order_id":"100001"}]`
	r1 := child(1, resultwriter.StatusFailed)
	r1.Error, r1.Cause = "States.TaskFailed", `boom "quoted"`
	r2 := child(2, resultwriter.StatusSucceeded)
	r2.Output = `{"greeting":"héllo, 世界 😀"}`
	r3 := child(3, resultwriter.StatusTimedOut)
	r3.Error = "States.Timeout"
	r4 := resultwriter.Record{Index: 4, Status: resultwriter.StatusPending, Input: `{"k":4}`, OutputOmitted: true}
	return []resultwriter.Record{r0, r1, r2, r3, r4}
}

// The NONE form of each record above, written out by hand.
const (
	none0 = `{"ExecutionArn":"arn:aws:states:us-east-1:123456789012:execution:orderProcessing/getOrders:c0","Input":"{\"k\":0}","InputDetails":{"Included":true},"Name":"c0","Output":"[{\"customer_id\":\"145538\",\"order_id\":\"100000\"},{\"customer_id\":\"898037\",\"order_id\":\"100001\"}]","OutputDetails":{"Included":true},"RedriveCount":0,"RedriveStatus":"NOT_REDRIVABLE","RedriveStatusReason":"Execution is SUCCEEDED and cannot be redriven","StartDate":"2025-02-04T01:49:50.099Z","StateMachineArn":"arn:aws:states:us-east-1:123456789012:stateMachine:orderProcessing/getOrders","Status":"SUCCEEDED","StopDate":"2025-02-04T01:49:50.163Z"}`
	none1 = `{"Cause":"boom \"quoted\"","Error":"States.TaskFailed","ExecutionArn":"arn:aws:states:us-east-1:123456789012:execution:orderProcessing/getOrders:c1","Input":"{\"k\":1}","InputDetails":{"Included":true},"Name":"c1","OutputDetails":{"Included":true},"RedriveCount":0,"RedriveStatus":"REDRIVABLE_BY_MAP_RUN","StartDate":"2025-02-04T01:49:50.099Z","StateMachineArn":"arn:aws:states:us-east-1:123456789012:stateMachine:orderProcessing/getOrders","Status":"FAILED","StopDate":"2025-02-04T01:49:50.163Z"}`
	none2 = `{"ExecutionArn":"arn:aws:states:us-east-1:123456789012:execution:orderProcessing/getOrders:c2","Input":"{\"k\":2}","InputDetails":{"Included":true},"Name":"c2","Output":"{\"greeting\":\"héllo, 世界 😀\"}","OutputDetails":{"Included":true},"RedriveCount":0,"RedriveStatus":"NOT_REDRIVABLE","RedriveStatusReason":"Execution is SUCCEEDED and cannot be redriven","StartDate":"2025-02-04T01:49:50.099Z","StateMachineArn":"arn:aws:states:us-east-1:123456789012:stateMachine:orderProcessing/getOrders","Status":"SUCCEEDED","StopDate":"2025-02-04T01:49:50.163Z"}`
	none3 = `{"Error":"States.Timeout","ExecutionArn":"arn:aws:states:us-east-1:123456789012:execution:orderProcessing/getOrders:c3","Input":"{\"k\":3}","InputDetails":{"Included":true},"Name":"c3","OutputDetails":{"Included":true},"RedriveCount":0,"RedriveStatus":"REDRIVABLE_BY_MAP_RUN","StartDate":"2025-02-04T01:49:50.099Z","StateMachineArn":"arn:aws:states:us-east-1:123456789012:stateMachine:orderProcessing/getOrders","Status":"TIMED_OUT","StopDate":"2025-02-04T01:49:50.163Z"}`
	none4 = `{"Input":"{\"k\":4}","InputDetails":{"Included":true},"OutputDetails":{"Included":false},"RedriveCount":0,"Status":"PENDING"}`

	out0a = `{"customer_id":"145538","order_id":"100000"}`
	out0b = `{"customer_id":"898037","order_id":"100001"}`
	out0  = `[` + out0a + `,` + out0b + `]`
	out2  = `{"greeting":"héllo, 世界 😀"}`
)

func seq(recs []resultwriter.Record) iter.Seq2[resultwriter.Record, error] {
	return func(yield func(resultwriter.Record, error) bool) {
		for _, r := range recs {
			if !yield(r, nil) {
				return
			}
		}
	}
}

func jsonArray(vals ...string) string { return "[" + strings.Join(vals, ",") + "]" }
func jsonLines(vals ...string) string { return strings.Join(vals, "\n") + "\n" }

// store is a Putter whose objects a test can read back.
type store interface {
	resultwriter.Putter
	get(t *testing.T, key string) string
	keys(t *testing.T, prefix string) []string
}

// memStore is an in-memory Putter. It is safe for concurrent use.
type memStore struct {
	mu      sync.Mutex // guards objects and fail
	objects map[string][]byte
	fail    func(key string) error
}

func newMemStore() *memStore { return &memStore{objects: map[string][]byte{}} }

func (m *memStore) PutObject(ctx context.Context, bucket, key string, body io.Reader, size int64) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.fail != nil {
		if err := m.fail(key); err != nil {
			return err
		}
	}
	b, err := io.ReadAll(body)
	if err != nil {
		return err
	}
	if int64(len(b)) != size {
		return fmt.Errorf("body of %s has %d bytes, size says %d", key, len(b), size)
	}
	m.objects[bucket+"/"+key] = b
	return nil
}

func (m *memStore) get(t *testing.T, key string) string {
	t.Helper()
	m.mu.Lock()
	defer m.mu.Unlock()
	b, ok := m.objects[bucket+"/"+key]
	if !ok {
		t.Fatalf("no object %s", key)
	}
	return string(b)
}

func (m *memStore) keys(_ *testing.T, prefix string) []string {
	m.mu.Lock()
	defer m.mu.Unlock()
	var keys []string
	for k := range m.objects {
		if k, ok := strings.CutPrefix(k, bucket+"/"); ok && strings.HasPrefix(k, prefix) {
			keys = append(keys, k)
		}
	}
	sort.Strings(keys)
	return keys
}

// s3Store writes to a real S3-compatible server with the AWS SDK's client,
// as tasks/objects does, and reads back with it.
type s3Store struct{ c *s3.Client }

func (s s3Store) PutObject(ctx context.Context, bucket, key string, body io.Reader, size int64) error {
	_, err := s.c.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String(bucket), Key: aws.String(key), Body: body, ContentLength: aws.Int64(size)})
	return err
}

func (s s3Store) get(t *testing.T, key string) string {
	t.Helper()
	out, err := s.c.GetObject(t.Context(), &s3.GetObjectInput{Bucket: aws.String(bucket), Key: aws.String(key)})
	if err != nil {
		t.Fatalf("GetObject %s: %v", key, err)
	}
	defer out.Body.Close()
	b, err := io.ReadAll(io.LimitReader(out.Body, 1<<20))
	if err != nil {
		t.Fatalf("read %s: %v", key, err)
	}
	return string(b)
}

func (s s3Store) keys(t *testing.T, prefix string) []string {
	t.Helper()
	out, err := s.c.ListObjectsV2(t.Context(), &s3.ListObjectsV2Input{Bucket: aws.String(bucket), Prefix: aws.String(prefix)})
	if err != nil {
		t.Fatalf("ListObjectsV2 %s: %v", prefix, err)
	}
	var keys []string
	for _, o := range out.Contents {
		keys = append(keys, aws.ToString(o.Key))
	}
	return keys
}

// dirStore is the local folder tasks/objects maps as a bucket, as
// stepwise run --bucket does.
type dirStore struct{ d *objects.Dir }

func (s dirStore) PutObject(ctx context.Context, bucket, key string, body io.Reader, size int64) error {
	return s.d.PutObject(ctx, bucket, key, body, size)
}

func (s dirStore) get(t *testing.T, key string) string {
	t.Helper()
	rc, err := s.d.GetObject(t.Context(), bucket, key, 0, -1)
	if err != nil {
		t.Fatalf("GetObject %s: %v", key, err)
	}
	defer rc.Close()
	b, err := io.ReadAll(io.LimitReader(rc, 1<<20))
	if err != nil {
		t.Fatalf("read %s: %v", key, err)
	}
	return string(b)
}

func (s dirStore) keys(t *testing.T, prefix string) []string {
	t.Helper()
	page, err := s.d.ListObjectsV2(t.Context(), objects.ListQuery{Bucket: bucket, Prefix: prefix})
	if err != nil {
		t.Fatalf("ListObjectsV2 %s: %v", prefix, err)
	}
	var keys []string
	for _, o := range page.Objects {
		keys = append(keys, o.Key)
	}
	return keys
}

func newS3Client(endpoint string) *s3.Client {
	return s3.New(s3.Options{
		Region:       "us-east-1",
		BaseEndpoint: aws.String(endpoint),
		UsePathStyle: true,
		Credentials:  credentials.NewStaticCredentialsProvider("AKIDTEST", "sekrit", ""),
	})
}

// stores runs f against the in-memory store, a folder mapped as a bucket
// and a real S3-compatible server started for the test.
func stores(t *testing.T, f func(t *testing.T, st store)) {
	t.Run("memory", func(t *testing.T) { f(t, newMemStore()) })
	t.Run("dir", func(t *testing.T) {
		d, err := objects.NewDir(map[string]string{bucket: t.TempDir()})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { d.Close() })
		f(t, dirStore{d})
	})
	t.Run("s3", func(t *testing.T) {
		f(t, s3Store{newS3Client(s3test.Start(t, bucket))})
	})
}

// file is one result file a case expects.
type file struct{ name, body string }

// manifest is the manifest.json AWS writes for these files.
func manifest(dir, arn string, files []file) string {
	lists := map[string][]string{}
	for _, f := range files {
		status, _, _ := strings.Cut(f.name, "_")
		lists[status] = append(lists[status], fmt.Sprintf(`{"Key":"%s%s","Size":%d}`, dir, f.name, len(f.body)))
	}
	return `{"DestinationBucket":"results","MapRunArn":"` + arn + `","ResultFiles":{"FAILED":` + jsonArray(lists["FAILED"]...) +
		`,"PENDING":` + jsonArray(lists["PENDING"]...) + `,"SUCCEEDED":` + jsonArray(lists["SUCCEEDED"]...) + `}}`
}

// TestWriteS3 writes the same Map Run in every OutputType and
// Transformation, and checks every file byte for byte, the manifest and
// the Map state's output (ResultWriter docs, "Exporting to Amazon S3").
func TestWriteS3(t *testing.T) {
	tests := []struct {
		name      string
		out       resultwriter.OutputType
		transform resultwriter.Transformation
		prefix    string
		dir       string // where the files go, without the run ID
		files     []file
	}{
		{name: "NONE JSON", out: "JSON", transform: "NONE", prefix: "csvProcessJobs", dir: "csvProcessJobs/", files: []file{
			{"FAILED_0.json", jsonArray(none1, none3)}, {"PENDING_0.json", jsonArray(none4)}, {"SUCCEEDED_0.json", jsonArray(none0, none2)}}},
		{name: "NONE JSONL", out: "JSONL", transform: "NONE", prefix: "a/b/", dir: "a/b/", files: []file{
			{"FAILED_0.json", jsonLines(none1, none3)}, {"PENDING_0.json", jsonLines(none4)}, {"SUCCEEDED_0.json", jsonLines(none0, none2)}}},
		// COMPACT and FLATTEN keep a failed child's record as NONE does.
		{name: "COMPACT JSON", out: "JSON", transform: "COMPACT", prefix: "", dir: "", files: []file{
			{"FAILED_0.json", jsonArray(none1, none3)}, {"PENDING_0.json", jsonArray(none4)}, {"SUCCEEDED_0.json", jsonArray(out0, out2)}}},
		{name: "COMPACT JSONL", out: "JSONL", transform: "COMPACT", prefix: "jobs", dir: "jobs/", files: []file{
			{"FAILED_0.json", jsonLines(none1, none3)}, {"PENDING_0.json", jsonLines(none4)}, {"SUCCEEDED_0.json", jsonLines(out0, out2)}}},
		{name: "FLATTEN JSON", out: "JSON", transform: "FLATTEN", prefix: "résultats ✓", dir: "résultats ✓/", files: []file{
			{"FAILED_0.json", jsonArray(none1, none3)}, {"PENDING_0.json", jsonArray(none4)}, {"SUCCEEDED_0.json", jsonArray(out0a, out0b, out2)}}},
		{name: "FLATTEN JSONL", out: "JSONL", transform: "FLATTEN", prefix: "jobs", dir: "jobs/", files: []file{
			{"FAILED_0.json", jsonLines(none1, none3)}, {"PENDING_0.json", jsonLines(none4)}, {"SUCCEEDED_0.json", jsonLines(out0a, out0b, out2)}}},
	}
	stores(t, func(t *testing.T, st store) {
		for i, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				runID := fmt.Sprintf("ad9b5f27-090b-3ac6-9beb-%012d", i)
				arn := runARN + runID
				dir := tt.dir + runID + "/"
				tmp := t.TempDir()
				cfg := resultwriter.Config{Export: true, Bucket: bucket, Prefix: tt.prefix, OutputType: tt.out, Transformation: tt.transform, TempDir: tmp}
				got, err := resultwriter.Write(t.Context(), st, cfg, arn, seq(records()))
				if err != nil {
					t.Fatalf("Write: %v", err)
				}
				wantOut := `{"MapRunArn":"` + arn + `","ResultWriterDetails":{"Bucket":"results","Key":"` + dir + `manifest.json"}}`
				if s := jsonval.MustMarshalString(got); s != wantOut {
					t.Errorf("output:\n got %s\nwant %s", s, wantOut)
				}
				checkFiles(t, st, dir, arn, tt.files)
				checkEmpty(t, tmp)
			})
		}
	})
}

// checkFiles checks that dir holds exactly files and their manifest.
func checkFiles(t *testing.T, st store, dir, arn string, files []file) {
	t.Helper()
	want := []string{dir + "manifest.json"}
	for _, f := range files {
		want = append(want, dir+f.name)
	}
	sort.Strings(want)
	if d := cmp.Diff(want, st.keys(t, dir)); d != "" {
		t.Errorf("keys under %s (-want +got):\n%s", dir, d)
	}
	for _, f := range files {
		if got := st.get(t, dir+f.name); got != f.body {
			t.Errorf("%s:\n got %s\nwant %s", f.name, got, f.body)
		}
	}
	if got, want := st.get(t, dir+"manifest.json"), manifest(dir, arn, files); got != want {
		t.Errorf("manifest.json:\n got %s\nwant %s", got, want)
	}
}

func checkEmpty(t *testing.T, dir string) {
	t.Helper()
	left, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(left) > 0 {
		t.Errorf("temporary files left in %s: %v", dir, left)
	}
}

// TestWriteSplits checks AWS's split rule with a small maximum: a file
// takes results until the next would take it over the maximum, then
// STATUS_1.json starts; a result larger than the maximum gets a file of
// its own.
func TestWriteSplits(t *testing.T) {
	var recs []resultwriter.Record
	var entries []string
	for i := range 7 {
		recs = append(recs, resultwriter.Record{Index: i * 2, Status: resultwriter.StatusSucceeded, Output: fmt.Sprintf(`{"n":%d}`, i)})
		entries = append(entries, fmt.Sprintf(`{"n":%d}`, i))
	}
	tests := []struct {
		name  string
		out   resultwriter.OutputType
		max   int64
		files []file
	}{
		// [{"n":0},{"n":1}] is 17 bytes; a third result would make 25.
		{name: "JSON", out: "JSON", max: 24, files: []file{
			{"SUCCEEDED_0.json", jsonArray(entries[0:2]...)}, {"SUCCEEDED_1.json", jsonArray(entries[2:4]...)},
			{"SUCCEEDED_2.json", jsonArray(entries[4:6]...)}, {"SUCCEEDED_3.json", jsonArray(entries[6])}}},
		{name: "JSON exactly at the maximum", out: "JSON", max: 25, files: []file{
			{"SUCCEEDED_0.json", jsonArray(entries[0:3]...)}, {"SUCCEEDED_1.json", jsonArray(entries[3:6]...)},
			{"SUCCEEDED_2.json", jsonArray(entries[6])}}},
		// Each line is 8 bytes.
		{name: "JSONL", out: "JSONL", max: 23, files: []file{
			{"SUCCEEDED_0.json", jsonLines(entries[0:2]...)}, {"SUCCEEDED_1.json", jsonLines(entries[2:4]...)},
			{"SUCCEEDED_2.json", jsonLines(entries[4:6]...)}, {"SUCCEEDED_3.json", jsonLines(entries[6])}}},
		{name: "result larger than the maximum", out: "JSONL", max: 5, files: []file{
			{"SUCCEEDED_0.json", jsonLines(entries[0])}, {"SUCCEEDED_1.json", jsonLines(entries[1])}, {"SUCCEEDED_2.json", jsonLines(entries[2])},
			{"SUCCEEDED_3.json", jsonLines(entries[3])}, {"SUCCEEDED_4.json", jsonLines(entries[4])}, {"SUCCEEDED_5.json", jsonLines(entries[5])},
			{"SUCCEEDED_6.json", jsonLines(entries[6])}}},
	}
	stores(t, func(t *testing.T, st store) {
		for i, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				runID := "split-" + strconv.Itoa(i)
				tmp := t.TempDir()
				cfg := resultwriter.Config{Export: true, Bucket: bucket, Prefix: "p", OutputType: tt.out, Transformation: "COMPACT", MaxFileSize: tt.max, TempDir: tmp}
				if _, err := resultwriter.Write(t.Context(), st, cfg, runARN+runID, seq(recs)); err != nil {
					t.Fatalf("Write: %v", err)
				}
				checkFiles(t, st, "p/"+runID+"/", runARN+runID, tt.files)
				checkEmpty(t, tmp)
			})
		}
	})
}

// TestWriteSplitsByStatus checks that each status is split on its own
// while records of the statuses interleave.
func TestWriteSplitsByStatus(t *testing.T) {
	var recs []resultwriter.Record
	for i := range 4 {
		recs = append(recs, resultwriter.Record{Index: 2 * i, Status: resultwriter.StatusSucceeded, Output: `1`},
			resultwriter.Record{Index: 2*i + 1, Status: resultwriter.StatusAborted, Input: `{}`})
	}
	const aborted = `{"Input":"{}","InputDetails":{"Included":true},"OutputDetails":{"Included":true},"RedriveCount":0,"RedriveStatus":"REDRIVABLE_BY_MAP_RUN","Status":"ABORTED"}`
	st := newMemStore()
	cfg := resultwriter.Config{Export: true, Bucket: bucket, OutputType: "JSON", Transformation: "COMPACT", MaxFileSize: int64(len(jsonArray(aborted, aborted)))}
	if _, err := resultwriter.Write(t.Context(), st, cfg, runARN+"x", seq(recs)); err != nil {
		t.Fatalf("Write: %v", err)
	}
	checkFiles(t, st, "x/", runARN+"x", []file{
		{"FAILED_0.json", jsonArray(aborted, aborted)}, {"FAILED_1.json", jsonArray(aborted, aborted)},
		{"SUCCEEDED_0.json", `[1,1,1,1]`}})
}

// TestWriteEmpty: a Map Run with no children writes only its manifest,
// with empty lists, as AWS lists a status without files.
func TestWriteEmpty(t *testing.T) {
	stores(t, func(t *testing.T, st store) {
		cfg := resultwriter.Config{Export: true, Bucket: bucket, Prefix: "empty", OutputType: "JSON", Transformation: "NONE"}
		got, err := resultwriter.Write(t.Context(), st, cfg, runARN+"e", seq(nil))
		if err != nil {
			t.Fatalf("Write: %v", err)
		}
		if s := jsonval.MustMarshalString(got); s != `{"MapRunArn":"`+runARN+`e","ResultWriterDetails":{"Bucket":"results","Key":"empty/e/manifest.json"}}` {
			t.Errorf("output %s", s)
		}
		checkFiles(t, st, "empty/e/", runARN+"e", nil)
		if got := st.get(t, "empty/e/manifest.json"); got != `{"DestinationBucket":"results","MapRunArn":"`+runARN+`e","ResultFiles":{"FAILED":[],"PENDING":[],"SUCCEEDED":[]}}` {
			t.Errorf("manifest %s", got)
		}
	})
}

// TestWriteOutput covers a WriterConfig without Resource: the transformed
// results are the Map state's output, in item order, a failed child's
// record kept as NONE keeps it.
func TestWriteOutput(t *testing.T) {
	tests := []struct {
		transform resultwriter.Transformation
		want      string
	}{
		{"NONE", jsonArray(none0, none1, none2, none3, none4)},
		{"COMPACT", jsonArray(out0, none1, out2, none3, none4)},
		{"FLATTEN", jsonArray(out0a, out0b, none1, out2, none3, none4)},
	}
	for _, out := range []resultwriter.OutputType{"JSON", "JSONL"} {
		for _, tt := range tests {
			t.Run(string(out)+" "+string(tt.transform), func(t *testing.T) {
				cfg, err := resultwriter.Parse("", nil, obj(t, `{"OutputType":"`+string(out)+`","Transformation":"`+string(tt.transform)+`"}`))
				if err != nil {
					t.Fatal(err)
				}
				got, err := resultwriter.Write(t.Context(), nil, cfg, runARN+"o", seq(records()))
				if err != nil {
					t.Fatalf("Write: %v", err)
				}
				if s := jsonval.MustMarshalString(got); s != tt.want {
					t.Errorf("output:\n got %s\nwant %s", s, tt.want)
				}
			})
		}
	}
	t.Run("at and over the limit", func(t *testing.T) {
		// One result of n bytes makes an array of n+2 bytes.
		rec := func(n int) []resultwriter.Record {
			return []resultwriter.Record{{Status: "SUCCEEDED", Output: `"` + strings.Repeat("é", (n-2)/2) + `"`}}
		}
		cfg := resultwriter.Config{OutputType: "JSON", Transformation: "COMPACT"}
		got, err := resultwriter.Write(t.Context(), nil, cfg, runARN+"o", seq(rec(resultwriter.MaxOutputSize-2)))
		if err != nil || jsonval.Size(got) != resultwriter.MaxOutputSize {
			t.Fatalf("Write at the limit: %d bytes, %v", jsonval.Size(got), err)
		}
		_, err = resultwriter.Write(t.Context(), nil, cfg, runARN+"o", seq(rec(resultwriter.MaxOutputSize)))
		var te *tasks.Error
		if !errors.As(err, &te) || te.Name != resultwriter.ErrorDataLimitExceeded {
			t.Fatalf("Write over the limit: %v; want States.DataLimitExceeded", err)
		}
		// A run of many children stops at the limit rather than at its end.
		many := func(yield func(resultwriter.Record, error) bool) {
			for i := range 1 << 30 {
				if !yield(resultwriter.Record{Index: i, Status: "SUCCEEDED", Output: `"0123456789"`}, nil) {
					return
				}
			}
		}
		if _, err := resultwriter.Write(t.Context(), nil, cfg, runARN+"o", many); !errors.As(err, &te) || te.Name != resultwriter.ErrorDataLimitExceeded {
			t.Fatalf("Write of many: %v; want States.DataLimitExceeded", err)
		}
	})
	t.Run("empty", func(t *testing.T) {
		got, err := resultwriter.Write(t.Context(), nil, resultwriter.Config{OutputType: "JSON", Transformation: "FLATTEN"}, runARN+"o", seq(nil))
		if err != nil || jsonval.MustMarshalString(got) != `[]` {
			t.Errorf("Write = %v, %v; want []", jsonval.MustMarshalString(got), err)
		}
	})
}

// TestWriteDocExamples checks the shapes the ResultWriter docs show: the
// NONE record of their first child execution and the COMPACT and FLATTEN
// arrays of their two-order outputs.
func TestWriteDocExamples(t *testing.T) {
	const arn = "arn:aws:states:us-east-2:123456789012:execution:orderProcessing/getOrders:da4e9fc7-abab-3b27-9a77-a277e463b709"
	rec := resultwriter.Record{ExecutionARN: arn, Name: "da4e9fc7-abab-3b27-9a77-a277e463b709",
		StateMachineARN: "arn:aws:states:us-east-2:123456789012:stateMachine:orderProcessing/getOrders", Status: "SUCCEEDED",
		Input:  `{}`,
		Output: `[{"customer_id":"145538","order_id":"100000"},{"customer_id":"898037","order_id":"100001"}]`,
		Start:  time.Date(2025, 2, 4, 1, 49, 50, 99e6, time.UTC), Stop: time.Date(2025, 2, 4, 1, 49, 50, 163e6, time.UTC)}
	rec2 := rec
	rec2.Index = 1
	rec2.Output = `[{"customer_id":"169881","order_id":"100005"},{"customer_id":"797471","order_id":"100006"}]`
	// The docs' record, member for member, with "Input": ... filled in.
	const doc = `{
	  "ExecutionArn": "arn:aws:states:us-east-2:123456789012:execution:orderProcessing/getOrders:da4e9fc7-abab-3b27-9a77-a277e463b709",
	  "Input": "{}",
	  "InputDetails": {"Included": true},
	  "Name": "da4e9fc7-abab-3b27-9a77-a277e463b709",
	  "Output": "[{\"customer_id\":\"145538\",\"order_id\":\"100000\"},{\"customer_id\":\"898037\",\"order_id\":\"100001\"}]",
	  "OutputDetails": {"Included": true},
	  "RedriveCount": 0,
	  "RedriveStatus": "NOT_REDRIVABLE",
	  "RedriveStatusReason": "Execution is SUCCEEDED and cannot be redriven",
	  "StartDate": "2025-02-04T01:49:50.099Z",
	  "StateMachineArn": "arn:aws:states:us-east-2:123456789012:stateMachine:orderProcessing/getOrders",
	  "Status": "SUCCEEDED",
	  "StopDate": "2025-02-04T01:49:50.163Z"
	}`
	compact := func(s string) string {
		v, err := jsonval.ParseString(s)
		if err != nil {
			t.Fatal(err)
		}
		return jsonval.MustMarshalString(v)
	}
	tests := []struct {
		transform resultwriter.Transformation
		want      string
	}{
		{"NONE", "[" + compact(doc) + "]"},
		{"COMPACT", compact(`[[{"customer_id":"145538","order_id":"100000"},{"customer_id":"898037","order_id":"100001"}],
			[{"customer_id":"169881","order_id":"100005"},{"customer_id":"797471","order_id":"100006"}]]`)},
		{"FLATTEN", compact(`[{"customer_id":"145538","order_id":"100000"},{"customer_id":"898037","order_id":"100001"},
			{"customer_id":"169881","order_id":"100005"},{"customer_id":"797471","order_id":"100006"}]`)},
	}
	for _, tt := range tests {
		t.Run(string(tt.transform), func(t *testing.T) {
			recs := []resultwriter.Record{rec, rec2}
			if tt.transform == "NONE" {
				recs = recs[:1]
			}
			st := newMemStore()
			cfg := resultwriter.Config{Export: true, Bucket: bucket, Prefix: "csvProcessJobs", OutputType: "JSON", Transformation: tt.transform}
			if _, err := resultwriter.Write(t.Context(), st, cfg, "arn:aws:states:us-east-2:123456789012:mapRun:csvProcess/Map:ad9b5f27-090b-3ac6-9beb-243cd77144a7", seq(recs)); err != nil {
				t.Fatal(err)
			}
			if got := st.get(t, "csvProcessJobs/ad9b5f27-090b-3ac6-9beb-243cd77144a7/SUCCEEDED_0.json"); got != tt.want {
				t.Errorf("SUCCEEDED_0.json:\n got %s\nwant %s", got, tt.want)
			}
		})
	}
}

// TestFailedRecordMembers checks a FAILED record's members against a
// FAILED_0.json AWS wrote (quoted in the tests of a public project that
// reads them): Cause, Error, no Output but OutputDetails, and
// REDRIVABLE_BY_MAP_RUN with no reason.
func TestFailedRecordMembers(t *testing.T) {
	st := newMemStore()
	rec := resultwriter.Record{ExecutionARN: "arn:aws:states:eu-west-2:123456789012:execution:sm/run:55334b15", Name: "55334b15",
		StateMachineARN: "arn:aws:states:eu-west-2:123456789012:stateMachine:sm/run", Status: "FAILED", Input: `{"Bucket":"b"}`,
		Output: `{"ignored":true}`, Error: "States.Runtime", Cause: "An error occurred", Start: start, Stop: stop}
	cfg := resultwriter.Config{Export: true, Bucket: bucket, OutputType: "JSON", Transformation: "NONE"}
	if _, err := resultwriter.Write(t.Context(), st, cfg, runARN+"f", seq([]resultwriter.Record{rec})); err != nil {
		t.Fatal(err)
	}
	v, err := jsonval.ParseString(st.get(t, "f/FAILED_0.json"))
	if err != nil {
		t.Fatal(err)
	}
	got := v.([]any)[0].(*jsonval.Object).Keys()
	want := []string{"Cause", "Error", "ExecutionArn", "Input", "InputDetails", "Name", "OutputDetails", "RedriveCount",
		"RedriveStatus", "StartDate", "StateMachineArn", "Status", "StopDate"}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("members (-want +got):\n%s", d)
	}
}

// TestWriteFailures checks what Write returns when it cannot finish.
func TestWriteFailures(t *testing.T) {
	cfg := resultwriter.Config{Export: true, Bucket: bucket, OutputType: "JSON", Transformation: "NONE"}
	t.Run("put fails", func(t *testing.T) {
		st := newMemStore()
		st.fail = func(key string) error {
			if strings.HasSuffix(key, "SUCCEEDED_0.json") {
				return errors.New("AccessDenied: Access Denied")
			}
			return nil
		}
		tmp := t.TempDir()
		c := cfg
		c.TempDir = tmp
		_, err := resultwriter.Write(t.Context(), st, c, runARN+"pf", seq(records()))
		var te *tasks.Error
		if !errors.As(err, &te) || te.Name != resultwriter.ErrorResultWriterFailed ||
			!strings.Contains(te.Cause, "s3://results/pf/SUCCEEDED_0.json") || !strings.Contains(te.Cause, "AccessDenied") {
			t.Fatalf("Write: %v; want States.ResultWriterFailed naming the file and the S3 error", err)
		}
		if keys := st.keys(t, "pf/"); slices.Contains(keys, "pf/manifest.json") {
			t.Errorf("manifest written after a failed result file: %v", keys)
		}
		checkEmpty(t, tmp)
	})
	t.Run("missing bucket on S3", func(t *testing.T) {
		st := s3Store{newS3Client(s3test.Start(t, bucket))}
		c := cfg
		c.Bucket = "no-such-bucket"
		_, err := resultwriter.Write(t.Context(), st, c, runARN+"nb", seq(records()))
		var te *tasks.Error
		if !errors.As(err, &te) || te.Name != resultwriter.ErrorResultWriterFailed || !strings.Contains(te.Cause, "NoSuchBucket") {
			t.Fatalf("Write: %v; want States.ResultWriterFailed with NoSuchBucket", err)
		}
	})
	t.Run("records fail", func(t *testing.T) {
		boom := errors.New("store: read failed")
		recs := func(yield func(resultwriter.Record, error) bool) {
			if yield(records()[0], nil) {
				yield(resultwriter.Record{}, boom)
			}
		}
		for _, c := range []resultwriter.Config{cfg, {OutputType: "JSON", Transformation: "NONE"}} {
			if _, err := resultwriter.Write(t.Context(), newMemStore(), c, runARN+"rf", recs); !errors.Is(err, boom) {
				t.Errorf("Write (export %v): %v; want the records' error", c.Export, err)
			}
		}
	})
	t.Run("cancelled", func(t *testing.T) {
		ctx, cancel := context.WithCancel(t.Context())
		recs := func(yield func(resultwriter.Record, error) bool) {
			for i, r := range records() {
				if i == 2 {
					cancel()
				}
				if !yield(r, nil) {
					return
				}
			}
		}
		if _, err := resultwriter.Write(ctx, newMemStore(), cfg, runARN+"c", recs); !errors.Is(err, context.Canceled) {
			t.Errorf("Write: %v; want context.Canceled", err)
		}
	})
	bad := []struct {
		name string
		recs []resultwriter.Record
		cfg  resultwriter.Config
	}{
		{"out of order", []resultwriter.Record{{Index: 1, Status: "SUCCEEDED", Output: "1"}, {Index: 1, Status: "SUCCEEDED", Output: "1"}}, cfg},
		{"running", []resultwriter.Record{{Status: "RUNNING"}}, cfg},
		{"no status", []resultwriter.Record{{}}, cfg},
		{"output not JSON", []resultwriter.Record{{Status: "SUCCEEDED", Output: "{"}}, resultwriter.Config{Export: true, Bucket: bucket, OutputType: "JSON", Transformation: "COMPACT"}},
		{"output not JSON, no export", []resultwriter.Record{{Status: "SUCCEEDED", Output: "nope"}}, resultwriter.Config{OutputType: "JSON", Transformation: "FLATTEN"}},
	}
	for _, tt := range bad {
		t.Run(tt.name, func(t *testing.T) {
			st := newMemStore()
			got, err := resultwriter.Write(t.Context(), st, tt.cfg, runARN+"b", seq(tt.recs))
			if err == nil {
				t.Fatalf("Write = %v; want an error", jsonval.MustMarshalString(got))
			}
			if keys := st.keys(t, ""); len(keys) > 0 {
				t.Errorf("wrote %v", keys)
			}
		})
	}
	t.Run("bad map run ARN", func(t *testing.T) {
		for _, arn := range []string{"", "noColon", "arn:aws:states:us-east-1:123456789012:mapRun:sm/Map:"} {
			if _, err := resultwriter.Write(t.Context(), newMemStore(), cfg, arn, seq(nil)); err == nil {
				t.Errorf("Write with Map Run ARN %q: no error", arn)
			}
		}
	})
	t.Run("bad config", func(t *testing.T) {
		for _, c := range []resultwriter.Config{{}, {OutputType: "JSON"}, {Transformation: "NONE"}, {OutputType: "CSV", Transformation: "NONE"},
			{Export: true, OutputType: "JSON", Transformation: "NONE"}} {
			st := newMemStore()
			if _, err := resultwriter.Write(t.Context(), st, c, runARN+"bc", seq(records())); err == nil {
				t.Errorf("Write with %+v: no error", c)
			}
			if keys := st.keys(t, ""); len(keys) > 0 {
				t.Errorf("Write with %+v wrote %v", c, keys)
			}
		}
	})
	t.Run("no putter", func(t *testing.T) {
		if _, err := resultwriter.Write(t.Context(), nil, cfg, runARN+"n", seq(nil)); err == nil {
			t.Error("Write with no Putter: no error")
		}
	})
}

// heapStore measures the live heap when each file is put, and counts
// bytes without keeping them.
type heapStore struct {
	maxHeap uint64
	bytes   int64
}

func (h *heapStore) PutObject(_ context.Context, _, _ string, body io.Reader, size int64) error {
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	h.maxHeap = max(h.maxHeap, ms.HeapAlloc)
	n, err := io.Copy(io.Discard, body)
	if n != size {
		return fmt.Errorf("body has %d bytes, size says %d", n, size)
	}
	h.bytes += n
	return err
}

// TestWriteBoundedMemory writes 30 MB of results into one file and checks
// that they were not held in memory: when the file is put, the live heap
// is within a few MB of what it was before Write.
func TestWriteBoundedMemory(t *testing.T) {
	const n = 60_000
	payload := strings.Repeat("x", 400)
	recs := func(yield func(resultwriter.Record, error) bool) {
		for i := range n {
			r := resultwriter.Record{Index: i, Status: resultwriter.StatusSucceeded, Name: strconv.Itoa(i),
				Input: `{"i":` + strconv.Itoa(i) + `}`, Output: `"` + payload + `"`, Start: start, Stop: stop}
			if !yield(r, nil) {
				return
			}
		}
	}
	runtime.GC()
	var before runtime.MemStats
	runtime.ReadMemStats(&before)
	st := &heapStore{}
	cfg := resultwriter.Config{Export: true, Bucket: bucket, OutputType: "JSONL", Transformation: "NONE", TempDir: t.TempDir()}
	if _, err := resultwriter.Write(t.Context(), st, cfg, runARN+"big", recs); err != nil {
		t.Fatal(err)
	}
	if st.bytes < 30<<20 {
		t.Fatalf("wrote %d bytes; the test needs at least 30 MB", st.bytes)
	}
	if grew := int64(st.maxHeap) - int64(before.HeapAlloc); grew > 4<<20 {
		t.Errorf("live heap grew by %d bytes while writing %d bytes of results", grew, st.bytes)
	}
}
