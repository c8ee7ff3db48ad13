package objects_test

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"stepwise/tasks/objects"
	"stepwise/tasks/objects/objectstest"
)

func newDir(t *testing.T) (*objects.Dir, string, string) {
	t.Helper()
	folder := t.TempDir()
	d, err := objects.NewDir(map[string]string{"bucket": folder})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { d.Close() })
	return d, "bucket", folder
}

func TestDirContract(t *testing.T) {
	objectstest.Run(t, objectstest.Options{}, func(t *testing.T) (objects.Store, string) {
		d, bucket, _ := newDir(t)
		return d, bucket
	})
}

func TestDirKeysStayInTheFolder(t *testing.T) {
	d, bucket, folder := newDir(t)
	outside := t.TempDir()
	if err := os.WriteFile(filepath.Join(outside, "secret"), []byte("secret"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(folder, "inside"), []byte("inside"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(filepath.Join(outside, "secret"), filepath.Join(folder, "out-link")); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(folder, "back\\slash"), []byte("x"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink("inside", filepath.Join(folder, "in-link")); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(outside, filepath.Join(folder, "out-dir")); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		key  string
		code string
	}{
		{"../secret", objects.CodeAccessDenied},
		{"a/../../secret", objects.CodeAccessDenied},
		{"/etc/passwd", objects.CodeAccessDenied},
		{"out-link", objects.CodeAccessDenied},
		{"out-dir/secret", objects.CodeAccessDenied},
		{"a//b", objects.CodeInvalidArgument},
		{"./inside", objects.CodeInvalidArgument},
		{"folder/", objects.CodeInvalidArgument},
		{"a\\b", objects.CodeInvalidArgument},
		{"", objects.CodeInvalidArgument},
		{strings.Repeat("k", 1025), objects.CodeKeyTooLong},
	}
	for _, tt := range tests {
		t.Run(tt.key, func(t *testing.T) {
			_, err := d.GetObject(t.Context(), bucket, tt.key, 0, -1)
			if got := objects.Code(err); got != tt.code {
				t.Errorf("GetObject: %v, want %s", err, tt.code)
			}
			if tt.key == "out-link" {
				return // below: a put replaces the link itself
			}
			err = d.PutObject(t.Context(), bucket, tt.key, strings.NewReader("x"), 1)
			if got := objects.Code(err); got != tt.code {
				t.Errorf("PutObject: %v, want %s", err, tt.code)
			}
		})
	}
	if got := objectstest.Get(t, d, bucket, "in-link", 0, -1); got != "inside" {
		t.Errorf("in-link reads %q", got)
	}
	p, err := d.ListObjectsV2(t.Context(), objects.ListQuery{Bucket: bucket})
	if err != nil {
		t.Fatal(err)
	}
	var keys []string
	for _, o := range p.Objects {
		keys = append(keys, o.Key)
	}
	if strings.Join(keys, ",") != "in-link,inside" {
		t.Errorf("listing %v, want in-link and inside only", keys)
	}
	// Writing a key that is a link replaces the link, inside the folder;
	// the file it pointed to is untouched.
	objectstest.Put(t, d, bucket, "out-link", "new")
	if got := objectstest.Get(t, d, bucket, "out-link", 0, -1); got != "new" {
		t.Errorf("out-link after put reads %q", got)
	}
	if b, _ := os.ReadFile(filepath.Join(outside, "secret")); string(b) != "secret" {
		t.Errorf("the file outside was changed: %q", b)
	}
}

func TestDirPutIsAtomic(t *testing.T) {
	d, bucket, folder := newDir(t)
	objectstest.Put(t, d, bucket, "x/y.json", "old")
	// A body shorter than its size writes nothing.
	err := d.PutObject(t.Context(), bucket, "x/y.json", strings.NewReader("ne"), 3)
	if got := objects.Code(err); got != objects.CodeIncompleteBody {
		t.Errorf("short body: %v, want IncompleteBody", err)
	}
	err = d.PutObject(t.Context(), bucket, "x/y.json", strings.NewReader("newer"), 3)
	if got := objects.Code(err); got != objects.CodeInvalidArgument {
		t.Errorf("long body: %v, want InvalidArgument", err)
	}
	if got := objectstest.Get(t, d, bucket, "x/y.json", 0, -1); got != "old" {
		t.Errorf("after failed puts: %q, want old", got)
	}
	ents, err := os.ReadDir(filepath.Join(folder, "x"))
	if err != nil {
		t.Fatal(err)
	}
	if len(ents) != 1 {
		t.Errorf("folder holds %v, want y.json only (no temporary files left)", ents)
	}
	// A key whose folder would be a file cannot be held.
	err = d.PutObject(t.Context(), bucket, "x/y.json/z", strings.NewReader("z"), 1)
	if got := objects.Code(err); got != objects.CodeInvalidArgument {
		t.Errorf("file as folder: %v, want InvalidArgument", err)
	}
	err = d.PutObject(t.Context(), bucket, "x", strings.NewReader("z"), 1)
	if got := objects.Code(err); got != objects.CodeInvalidArgument {
		t.Errorf("folder as file: %v, want InvalidArgument", err)
	}
}

func TestDirBadToken(t *testing.T) {
	d, bucket, _ := newDir(t)
	_, err := d.ListObjectsV2(t.Context(), objects.ListQuery{Bucket: bucket, ContinuationToken: "not a token"})
	var oe *objects.Error
	if !errors.As(err, &oe) || oe.Code != objects.CodeInvalidArgument || oe.StatusCode != 400 {
		t.Errorf("bad token: %v, want InvalidArgument", err)
	}
}

func TestNewDirRefusesMissingFolder(t *testing.T) {
	if _, err := objects.NewDir(map[string]string{"b": filepath.Join(t.TempDir(), "none")}); err == nil {
		t.Error("NewDir of a missing folder succeeded")
	}
}
