// Package objectstest is the contract every [objects.Store] passes: one
// table of reads, writes, listings and failures, run against a Store and
// an empty bucket the caller provides.
package objectstest

import (
	"bytes"
	"errors"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"stepwise/tasks/objects"
)

// Options are the known faults of a Store's backend that Run leaves
// untested, each with its reason (a server's bug, not the Store's).
type Options struct {
	// DelimiterPaging, when set, skips listing with a delimiter in pages
	// smaller than the listing: gofakes3 repeats a common prefix on the
	// page after the one that ends with it.
	DelimiterPaging string
}

// Run runs the contract's tests. newStore returns a Store and the name of
// an empty bucket it serves, fresh for each call.
func Run(t *testing.T, opts Options, newStore func(t *testing.T) (objects.Store, string)) {
	t.Run("GetObject", func(t *testing.T) { testGet(t, newStore) })
	t.Run("Errors", func(t *testing.T) { testErrors(t, newStore) })
	t.Run("PutOverwrites", func(t *testing.T) { testOverwrite(t, newStore) })
	t.Run("List", func(t *testing.T) { testList(t, opts, newStore) })
}

// Put writes body as key, failing the test if it cannot.
func Put(t testing.TB, s objects.Store, bucket, key, body string) {
	t.Helper()
	if err := s.PutObject(t.Context(), bucket, key, strings.NewReader(body), int64(len(body))); err != nil {
		t.Fatalf("PutObject %s: %v", key, err)
	}
}

// Get reads key from offset for length bytes, failing the test if it
// cannot.
func Get(t testing.TB, s objects.Store, bucket, key string, offset, length int64) string {
	t.Helper()
	rc, err := s.GetObject(t.Context(), bucket, key, offset, length)
	if err != nil {
		t.Fatalf("GetObject %s [%d,%d]: %v", key, offset, length, err)
	}
	defer rc.Close()
	b, err := io.ReadAll(rc)
	if err != nil {
		t.Fatalf("read %s: %v", key, err)
	}
	return string(b)
}

func testGet(t *testing.T, newStore func(t *testing.T) (objects.Store, string)) {
	s, bucket := newStore(t)
	const body = "0123456789"
	Put(t, s, bucket, "dir/digits.txt", body)
	tests := []struct {
		name           string
		offset, length int64
		want           string
	}{
		{"whole", 0, -1, body},
		{"from offset", 4, -1, "456789"},
		{"range", 2, 3, "234"},
		{"range past the end", 8, 10, "89"},
		{"last byte", 9, -1, "9"},
		{"nothing", 3, 0, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Get(t, s, bucket, "dir/digits.txt", tt.offset, tt.length); got != tt.want {
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}
	info, err := s.HeadObject(t.Context(), bucket, "dir/digits.txt")
	if err != nil {
		t.Fatalf("HeadObject: %v", err)
	}
	if info.Size != int64(len(body)) || !strings.HasPrefix(info.ETag, `"`) || len(info.ETag) < 3 {
		t.Errorf("HeadObject = %+v, want size %d and a quoted ETag", info, len(body))
	}
	if d := time.Since(info.LastModified); d < -time.Minute || d > time.Minute {
		t.Errorf("LastModified %v is not about now", info.LastModified)
	}
	Put(t, s, bucket, "empty", "")
	if got := Get(t, s, bucket, "empty", 0, -1); got != "" {
		t.Errorf("empty object reads %q", got)
	}
}

func testErrors(t *testing.T, newStore func(t *testing.T) (objects.Store, string)) {
	s, bucket := newStore(t)
	Put(t, s, bucket, "k", "abc")
	ctx := t.Context()
	check := func(t *testing.T, err error, code string, status int) {
		t.Helper()
		var oe *objects.Error
		if !errors.As(err, &oe) {
			t.Fatalf("err = %v (%T), want an *objects.Error %s", err, err, code)
		}
		if oe.Code != code || oe.StatusCode != status || oe.Message == "" {
			t.Errorf("err = %+v, want code %s, status %d and a message", oe, code, status)
		}
	}
	t.Run("missing key", func(t *testing.T) {
		_, err := s.GetObject(ctx, bucket, "nope/missing.json", 0, -1)
		check(t, err, objects.CodeNoSuchKey, 404)
	})
	t.Run("head missing key", func(t *testing.T) {
		_, err := s.HeadObject(ctx, bucket, "missing")
		check(t, err, objects.CodeNoSuchKey, 404)
	})
	t.Run("missing bucket", func(t *testing.T) {
		_, err := s.GetObject(ctx, "no-such-bucket-here", "k", 0, -1)
		check(t, err, objects.CodeNoSuchBucket, 404)
	})
	t.Run("list missing bucket", func(t *testing.T) {
		_, err := s.ListObjectsV2(ctx, objects.ListQuery{Bucket: "no-such-bucket-here"})
		check(t, err, objects.CodeNoSuchBucket, 404)
	})
	t.Run("range past the end", func(t *testing.T) {
		rc, err := s.GetObject(ctx, bucket, "k", 3, -1)
		if err == nil {
			rc.Close()
		}
		check(t, err, objects.CodeInvalidRange, 416)
	})
}

func testOverwrite(t *testing.T, newStore func(t *testing.T) (objects.Store, string)) {
	s, bucket := newStore(t)
	Put(t, s, bucket, "a/b.json", `{"v":1}`)
	Put(t, s, bucket, "a/b.json", `{"v":22}`)
	if got := Get(t, s, bucket, "a/b.json", 0, -1); got != `{"v":22}` {
		t.Errorf("after overwrite: %q", got)
	}
	big := bytes.Repeat([]byte("x"), 3<<20)
	if err := s.PutObject(t.Context(), bucket, "big", bytes.NewReader(big), int64(len(big))); err != nil {
		t.Fatalf("PutObject big: %v", err)
	}
	if info, err := s.HeadObject(t.Context(), bucket, "big"); err != nil || info.Size != int64(len(big)) {
		t.Errorf("HeadObject big = %+v, %v", info, err)
	}
}

// listKeys are put in this order; S3 lists them in UTF-8 binary order.
var listKeys = []string{"b", "a0", "é.txt", "a/c/d", "Z", "a-c", "a/b"}

// page is the keys and common prefixes of one page.
type page struct {
	Keys     []string
	Prefixes []string
}

func listAll(t *testing.T, s objects.Store, q objects.ListQuery) (all []string, pages []page) {
	t.Helper()
	for range 100 {
		p, err := s.ListObjectsV2(t.Context(), q)
		if err != nil {
			t.Fatalf("ListObjectsV2 %+v: %v", q, err)
		}
		var pg page
		for _, o := range p.Objects {
			pg.Keys = append(pg.Keys, o.Key)
			all = append(all, o.Key)
			if o.StorageClass != "STANDARD" || !strings.HasPrefix(o.ETag, `"`) || o.LastModified.IsZero() {
				t.Errorf("object %+v: want STANDARD, a quoted ETag and a time", o)
			}
		}
		pg.Prefixes = p.CommonPrefixes
		all = append(all, p.CommonPrefixes...)
		pages = append(pages, pg)
		if !p.IsTruncated {
			return all, pages
		}
		if p.NextContinuationToken == "" {
			t.Fatalf("truncated page without a continuation token")
		}
		q.ContinuationToken = p.NextContinuationToken
	}
	t.Fatalf("listing did not end within 100 pages")
	return nil, nil
}

func testList(t *testing.T, opts Options, newStore func(t *testing.T) (objects.Store, string)) {
	s, bucket := newStore(t)
	for _, k := range listKeys {
		Put(t, s, bucket, k, "data of "+k)
	}
	tests := []struct {
		name   string
		q      objects.ListQuery
		want   []string
		pages  int
		paging bool // a delimiter, in pages
	}{
		{"all", objects.ListQuery{}, []string{"Z", "a-c", "a/b", "a/c/d", "a0", "b", "é.txt"}, 1, false},
		{"pages of two", objects.ListQuery{MaxKeys: 2}, []string{"Z", "a-c", "a/b", "a/c/d", "a0", "b", "é.txt"}, 4, false},
		{"prefix", objects.ListQuery{Prefix: "a/"}, []string{"a/b", "a/c/d"}, 1, false},
		{"prefix of no key", objects.ListQuery{Prefix: "q"}, nil, 1, false},
		{"start after", objects.ListQuery{StartAfter: "a/b"}, []string{"a/c/d", "a0", "b", "é.txt"}, 1, false},
		{"start after, pages of one", objects.ListQuery{StartAfter: "a0", MaxKeys: 1}, []string{"b", "é.txt"}, 2, false},
		{"delimiter", objects.ListQuery{Delimiter: "/"}, []string{"Z", "a-c", "a0", "b", "é.txt", "a/"}, 1, false},
		{"delimiter, pages of one", objects.ListQuery{Delimiter: "/", MaxKeys: 1}, []string{"Z", "a-c", "a/", "a0", "b", "é.txt"}, 6, true},
		{"prefix and delimiter", objects.ListQuery{Prefix: "a/", Delimiter: "/"}, []string{"a/b", "a/c/"}, 1, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.paging && opts.DelimiterPaging != "" {
				t.Skip(opts.DelimiterPaging)
			}
			q := tt.q
			q.Bucket = bucket
			got, pages := listAll(t, s, q)
			if d := cmp.Diff(tt.want, got); d != "" {
				t.Errorf("listing (-want +got):\n%s", d)
			}
			if len(pages) != tt.pages {
				t.Errorf("%d pages %v, want %d", len(pages), pages, tt.pages)
			}
		})
	}
	t.Run("sizes", func(t *testing.T) {
		p, err := s.ListObjectsV2(t.Context(), objects.ListQuery{Bucket: bucket, Prefix: "a/c/"})
		if err != nil {
			t.Fatal(err)
		}
		if len(p.Objects) != 1 || p.Objects[0].Size != int64(len("data of a/c/d")) {
			t.Errorf("objects %+v, want a/c/d of %d bytes", p.Objects, len("data of a/c/d"))
		}
	})
}
