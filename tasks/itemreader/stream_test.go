package itemreader_test

import (
	"context"
	"fmt"
	"io"
	"runtime"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/s3/types"

	"stepwise/internal/s3test"
	"stepwise/tasks/itemreader"
	"stepwise/tasks/objects"
	"stepwise/tasks/sdk"
)

// TestJSONLInBoundedMemory reads a 200,000-line JSONL object of about
// 84 MB, larger than the bound, and checks the heap in use stays under
// 64 MiB: the reader streams. The object is generated as it is written,
// so the test itself holds none of it.
func TestJSONLInBoundedMemory(t *testing.T) {
	s := newDir(t)
	const lines = 200_000
	gen := &lineGen{n: lines}
	size := int64(lines) * int64(len(gen.line(0)))
	if err := s.PutObject(t.Context(), "items", "big.jsonl", gen, size); err != nil {
		t.Fatal(err)
	}
	var base runtime.MemStats
	runtime.ReadMemStats(&base)
	t.Logf("heap in use before reading: %d bytes", base.HeapInuse)
	r, err := itemreader.Open(t.Context(), s, get, mustJSON(t, `{"Bucket":"items","Key":"big.jsonl"}`), mustJSON(t, `{"InputType":"JSONL"}`), itemreader.Cursor{})
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	var peak uint64
	var ms runtime.MemStats
	n := 0
	for {
		item, ok, err := r.Next(t.Context())
		if err != nil {
			t.Fatal(err)
		}
		if !ok {
			break
		}
		if n == 0 || n == lines-1 {
			if got, want := marshal(t, item), strings.TrimSpace(gen.line(n)); got != want {
				t.Fatalf("item %d = %s, want %s", n, got, want)
			}
		}
		n++
		if n%10_000 == 0 {
			runtime.ReadMemStats(&ms)
			peak = max(peak, ms.HeapInuse)
		}
	}
	if n != lines {
		t.Fatalf("read %d items, want %d", n, lines)
	}
	const bound = 64 << 20
	if size <= bound {
		t.Fatalf("the object (%d bytes) must be larger than the bound for the test to mean anything", size)
	}
	if peak > bound {
		t.Errorf("heap in use reached %d bytes reading a %d-byte object, want under %d", peak, size, bound)
	}
	if c := r.Cursor(); !c.Done || c.Items != lines {
		t.Errorf("cursor at the end = %+v", c)
	}
	t.Logf("object %d bytes, peak heap in use %d bytes", size, peak)
}

// lineGen generates n JSONL lines of one length as it is read.
type lineGen struct {
	n, i int
	buf  []byte
}

func (g *lineGen) line(i int) string {
	return fmt.Sprintf(`{"id":%d,"name":"item %07d","pad":"%s"}`+"\n", 1_000_000+i, i, strings.Repeat("p", 380))
}

func (g *lineGen) Read(p []byte) (int, error) {
	for len(g.buf) == 0 {
		if g.i == g.n {
			return 0, io.EOF
		}
		g.buf = append(g.buf, g.line(g.i)...)
		g.i++
	}
	n := copy(p, g.buf)
	g.buf = g.buf[n:]
	return n, nil
}

// TestResumeDoesNotReread checks that a reader opened from a cursor in
// the middle of a JSONL object asks the store for the bytes from the
// cursor's offset only.
func TestResumeDoesNotReread(t *testing.T) {
	s := &countingStore{Store: newDir(t)}
	body := strings.Repeat(`{"x":"0123456789"}`+"\n", 1000)
	if err := s.PutObject(t.Context(), "items", "r.jsonl", strings.NewReader(body), int64(len(body))); err != nil {
		t.Fatal(err)
	}
	c := readCase{resource: get, params: `{"Bucket":"items","Key":"r.jsonl"}`, config: `{"InputType":"JSONL"}`}
	_, cursors, err := readAll(t, s, c, itemreader.Cursor{})
	if err != nil {
		t.Fatal(err)
	}
	s.read.Store(0)
	mid := cursors[899]
	rest, _, err := readAll(t, s, c, mid)
	if err != nil {
		t.Fatal(err)
	}
	if len(rest) != 100 || mid.Offset != int64(900*19) {
		t.Errorf("resumed at %+v: %d items", mid, len(rest))
	}
	if got := s.read.Load(); got != int64(100*19) {
		t.Errorf("resuming read %d bytes from the store, want %d", got, 100*19)
	}
}

// countingStore counts the bytes read through GetObject.
type countingStore struct {
	objects.Store
	read atomic.Int64
}

func (c *countingStore) GetObject(ctx context.Context, bucket, key string, offset, length int64) (io.ReadCloser, error) {
	rc, err := c.Store.GetObject(ctx, bucket, key, offset, length)
	if err != nil {
		return nil, err
	}
	return countingBody{rc, &c.read}, nil
}

type countingBody struct {
	io.ReadCloser
	n *atomic.Int64
}

func (b countingBody) Read(p []byte) (int, error) {
	n, err := b.ReadCloser.Read(p)
	b.n.Add(int64(n))
	return n, err
}

// TestCSVDelimiters reads one table written with each delimiter AWS
// lists, resuming at every row.
func TestCSVDelimiters(t *testing.T) {
	s := newDir(t)
	for name, d := range map[string]string{"COMMA": ",", "PIPE": "|", "SEMICOLON": ";", "SPACE": " ", "TAB": "\t"} {
		t.Run(name, func(t *testing.T) {
			rows := [][]string{{"id", "text"}, {"1", "a"}, {"2", `"x` + d + `y"`}, {"3", ""}}
			var lines []string
			for _, r := range rows {
				lines = append(lines, strings.Join(r, d))
			}
			key := "d-" + name + ".csv"
			body := strings.Join(lines, "\n") + "\n"
			if err := s.PutObject(t.Context(), "items", key, strings.NewReader(body), int64(len(body))); err != nil {
				t.Fatal(err)
			}
			c := readCase{resource: get, params: `{"Bucket":"items","Key":"` + key + `"}`,
				config: `{"InputType":"CSV","CSVHeaderLocation":"FIRST_ROW","CSVDelimiter":"` + name + `"}`}
			items, cursors, err := readAll(t, s, c, itemreader.Cursor{})
			if err != nil {
				t.Fatal(err)
			}
			want := `[{"id":"1","text":"a"},{"id":"2","text":"x` + strings.ReplaceAll(d, "\t", `\t`) + `y"},{"id":"3","text":""}]`
			if got := marshal(t, items); got != want {
				t.Fatalf("got %s, want %s", got, want)
			}
			for k, cur := range cursors {
				rest, _, err := readAll(t, s, c, roundTrip(t, cur))
				if err != nil {
					t.Fatal(err)
				}
				if got, want := marshal(t, rest), marshal(t, items[k+1:]); got != want {
					t.Errorf("after %d: got %s, want %s", k+1, got, want)
				}
			}
		})
	}
}

// TestReadS3 runs the read cases over the AWS SDK's S3 client against a
// real S3-compatible server (gofakes3, its own process).
func TestReadS3(t *testing.T) {
	endpoint := s3test.Start(t, "items", "inventory")
	iv := sdk.New(sdk.Config{Endpoints: map[string]string{"s3": endpoint}})
	runReadCases(t, iv.Objects())
}

// stallingStore answers the first GetObject with a body that gives its
// first line and then blocks until the context of the GetObject call
// ends, as a stalled connection would; later calls read normally.
type stallingStore struct {
	objects.Store
	calls   atomic.Int32
	blocked chan struct{} // closed when the body blocks
}

func (s *stallingStore) GetObject(ctx context.Context, bucket, key string, offset, length int64) (io.ReadCloser, error) {
	rc, err := s.Store.GetObject(ctx, bucket, key, offset, length)
	if err != nil || s.calls.Add(1) > 1 {
		return rc, err
	}
	first, _ := io.ReadAll(io.LimitReader(rc, 2)) // "1\n"
	rc.Close()
	return &stallBody{first: first, ctx: ctx, blocked: s.blocked}, nil
}

type stallBody struct {
	first   []byte
	ctx     context.Context
	blocked chan struct{}
}

func (b *stallBody) Read(p []byte) (int, error) {
	if len(b.first) > 0 {
		n := copy(p, b.first)
		b.first = b.first[n:]
		return n, nil
	}
	close(b.blocked)
	<-b.ctx.Done()
	return 0, b.ctx.Err()
}

func (b *stallBody) Close() error { return nil }

// TestNextStopsWithItsContext checks that a read stalled inside Next ends
// when Next's ctx does, and that the next call carries on from the cursor.
func TestNextStopsWithItsContext(t *testing.T) {
	s := &stallingStore{Store: newDir(t), blocked: make(chan struct{})}
	body := "1\n2\n3\n"
	if err := s.PutObject(t.Context(), "items", "s.jsonl", strings.NewReader(body), int64(len(body))); err != nil {
		t.Fatal(err)
	}
	r, err := itemreader.Open(t.Context(), s, get, mustJSON(t, `{"Bucket":"items","Key":"s.jsonl"}`), mustJSON(t, `{"InputType":"JSONL"}`), itemreader.Cursor{})
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	ctx, cancel := context.WithCancel(t.Context())
	done := make(chan struct{})
	go func() {
		defer close(done)
		<-s.blocked
		cancel()
	}()
	var got []string
	for {
		item, ok, err := r.Next(ctx)
		if err != nil {
			if ctx.Err() == nil || err != ctx.Err() {
				t.Fatalf("Next: %v, want the context's error", err)
			}
			break
		}
		if !ok {
			t.Fatal("the stalled read ended the items")
		}
		got = append(got, marshal(t, item))
	}
	<-done
	for {
		item, ok, err := r.Next(t.Context())
		if err != nil {
			t.Fatalf("Next after the stall: %v", err)
		}
		if !ok {
			break
		}
		got = append(got, marshal(t, item))
	}
	if strings.Join(got, ",") != "1,2,3" {
		t.Errorf("items %v, want 1,2,3", got)
	}
}

// TestVersionIdS3 reads an older version of a JSON object, named by
// VersionId, from gofakes3 with versioning on.
func TestVersionIdS3(t *testing.T) {
	endpoint := s3test.Start(t, "items")
	c := s3.New(s3.Options{BaseEndpoint: aws.String(endpoint), UsePathStyle: true, Region: "us-east-1",
		Credentials: credentials.NewStaticCredentialsProvider("k", "s", "")})
	ctx := t.Context()
	if _, err := c.PutBucketVersioning(ctx, &s3.PutBucketVersioningInput{Bucket: aws.String("items"),
		VersioningConfiguration: &types.VersioningConfiguration{Status: types.BucketVersioningStatusEnabled}}); err != nil {
		t.Fatal(err)
	}
	var first string
	for i, body := range []string{`[1,2]`, `[3]`} {
		out, err := c.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String("items"), Key: aws.String("v.json"), Body: strings.NewReader(body)})
		if err != nil {
			t.Fatal(err)
		}
		if i == 0 {
			first = aws.ToString(out.VersionId)
		}
	}
	store := sdk.New(sdk.Config{Endpoints: map[string]string{"s3": endpoint}}).Objects()
	rc := readCase{resource: get, params: `{"Bucket":"items","Key":"v.json","VersionId":"` + first + `"}`, config: `{"InputType":"JSON"}`}
	items, cursors, err := readAll(t, store, rc, itemreader.Cursor{})
	if err != nil {
		t.Fatal(err)
	}
	if got := marshal(t, items); got != `[1,2]` {
		t.Errorf("version %s gives %s, want [1,2]", first, got)
	}
	rest, _, err := readAll(t, store, rc, cursors[0])
	if err != nil || marshal(t, rest) != `[2]` {
		t.Errorf("resumed: %s, %v", marshal(t, rest), err)
	}
	rc.params = `{"Bucket":"items","Key":"v.json"}`
	if items, _, err := readAll(t, store, rc, itemreader.Cursor{}); err != nil || marshal(t, items) != `[3]` {
		t.Errorf("current version gives %s, %v", marshal(t, items), err)
	}
}
