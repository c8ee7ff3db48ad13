package objects

import (
	"bytes"
	"context"
	"crypto/md5"
	"crypto/rand"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"slices"
	"strings"
	"sync"
	"syscall"
	"time"
	"unicode/utf8"
)

// Dir is a [Store] over local folders, each mapped as a bucket: a key is a
// slash path under its bucket's folder.
//
// Keys that a folder cannot hold, or that would reach outside it, are
// refused rather than mapped: a key with an empty, "." or ".." segment, a
// leading or trailing slash or a backslash is InvalidArgument (or
// AccessDenied when it would climb out with ".."), and a symbolic link that
// points outside the folder is AccessDenied to read and is left out of
// listings (the folders are opened with [os.Root], which refuses such
// links). Symbolic links to files inside the folder read and list as the
// file; links to folders are not followed when listing, so a loop of links
// cannot make a listing endless.
//
// An object's ETag is not the MD5 of its content, which would mean reading
// every file to list a folder: it is the MD5 of the file's size and
// modification time, so it changes when the file does. Every object's
// StorageClass is STANDARD, and with FetchOwner its Owner is "stepwise".
//
// PutObject creates the folders a key needs and writes atomically: the
// body goes to a temporary file (named .stepwise-tmp-*, which listings
// leave out) in the key's folder, is synced, and is renamed over the key,
// so a reader sees the old object or the new one, never part of one.
//
// Dir is safe for concurrent use. Close releases the folders.
type Dir struct {
	mu      sync.RWMutex        // guards buckets
	buckets map[string]*os.Root // nil after Close
}

var _ Store = (*Dir)(nil)

// tempPrefix begins the names of PutObject's temporary files.
const tempPrefix = ".stepwise-tmp-"

// maxKeyLen is S3's limit on the length of a key, in UTF-8 bytes.
const maxKeyLen = 1024

// NewDir returns a Dir serving each folder of buckets (by bucket name). A
// folder that does not exist or is not a folder is an error.
func NewDir(buckets map[string]string) (*Dir, error) {
	d := &Dir{buckets: map[string]*os.Root{}}
	for name, dir := range buckets {
		if name == "" || strings.ContainsAny(name, "/\\") {
			d.Close()
			return nil, fmt.Errorf("objects: bucket name %q: a bucket name is not empty and has no slash", name)
		}
		root, err := os.OpenRoot(dir)
		if err != nil {
			d.Close()
			return nil, fmt.Errorf("objects: bucket %s: open folder %s: %w", name, dir, err)
		}
		d.buckets[name] = root
	}
	return d, nil
}

// Close releases the folders; the Dir's methods then fail as for a bucket
// that does not exist. Close is idempotent.
func (d *Dir) Close() error {
	d.mu.Lock()
	defer d.mu.Unlock()
	var errs []error
	for _, r := range d.buckets {
		errs = append(errs, r.Close())
	}
	d.buckets = nil
	return errors.Join(errs...)
}

func (d *Dir) root(bucket string) (*os.Root, error) {
	d.mu.RLock()
	defer d.mu.RUnlock()
	r, ok := d.buckets[bucket]
	if !ok {
		return nil, noSuchBucket(bucket)
	}
	return r, nil
}

// checkKey refuses a key S3 would refuse, or a folder cannot hold.
func checkKey(bucket, key string) error {
	bad := func(code string, status int, msg string) error {
		return &Error{Code: code, StatusCode: status, Message: msg, Bucket: bucket, Key: key}
	}
	switch {
	case key == "":
		return bad(CodeInvalidArgument, 400, "The key is empty.")
	case len(key) > maxKeyLen:
		return bad(CodeKeyTooLong, 400, "Your key is too long")
	case !utf8.ValidString(key) || strings.IndexByte(key, 0) >= 0:
		return bad(CodeInvalidArgument, 400, "The key is not valid UTF-8 text.")
	case strings.HasPrefix(key, "/"):
		return bad(CodeAccessDenied, 403, "The key is an absolute path, outside the bucket's folder.")
	case strings.ContainsRune(key, '\\'):
		return bad(CodeInvalidArgument, 400, "A key in a folder bucket has no backslash.")
	}
	for seg := range strings.SplitSeq(key, "/") {
		switch seg {
		case "..":
			return bad(CodeAccessDenied, 403, "The key climbs out of the bucket's folder with '..'.")
		case "", ".":
			return bad(CodeInvalidArgument, 400, "A key in a folder bucket has no empty or '.' segment and does not end in '/'.")
		}
	}
	return nil
}

// openError names the failure to open key in a bucket's folder.
func openError(bucket, key string, err error) error {
	var errno syscall.Errno
	switch {
	case errors.Is(err, fs.ErrNotExist), errors.Is(err, syscall.ENOTDIR):
		return noSuchKey(bucket, key)
	case errors.Is(err, fs.ErrPermission):
		return &Error{Code: CodeAccessDenied, StatusCode: 403, Message: "Access Denied", Bucket: bucket, Key: key}
	case !errors.As(err, &errno):
		// os.Root's refusal of a link out of the folder is not an errno.
		return &Error{Code: CodeAccessDenied, StatusCode: 403, Message: "Access Denied: the key leads outside the bucket's folder.", Bucket: bucket, Key: key}
	}
	return fmt.Errorf("objects: open %s/%s: %w", bucket, key, err)
}

// etag is a Dir object's ETag: see [Dir].
func etag(fi fs.FileInfo) string {
	sum := md5.Sum(fmt.Appendf(nil, "%d:%d", fi.Size(), fi.ModTime().UnixNano()))
	return `"` + hex.EncodeToString(sum[:]) + `"`
}

func (d *Dir) open(ctx context.Context, bucket, key string) (*os.File, fs.FileInfo, error) {
	if err := ctx.Err(); err != nil {
		return nil, nil, err
	}
	root, err := d.root(bucket)
	if err != nil {
		return nil, nil, err
	}
	if err := checkKey(bucket, key); err != nil {
		return nil, nil, err
	}
	f, err := root.Open(key)
	if err != nil {
		return nil, nil, openError(bucket, key, err)
	}
	fi, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, nil, fmt.Errorf("objects: stat %s/%s: %w", bucket, key, err)
	}
	if !fi.Mode().IsRegular() {
		f.Close()
		return nil, nil, noSuchKey(bucket, key)
	}
	return f, fi, nil
}

// GetObject reads key from offset; length < 0 reads to the end and
// length 0 reads nothing. An offset at or past the end of a non-empty
// object is InvalidRange, as S3 answers such a Range.
func (d *Dir) GetObject(ctx context.Context, bucket, key string, offset, length int64) (io.ReadCloser, error) {
	if offset < 0 {
		return nil, &Error{Code: CodeInvalidArgument, StatusCode: 400, Message: "The offset is negative.", Bucket: bucket, Key: key}
	}
	f, fi, err := d.open(ctx, bucket, key)
	if err != nil {
		return nil, err
	}
	if offset > 0 && offset >= fi.Size() {
		f.Close()
		return nil, &Error{Code: CodeInvalidRange, StatusCode: 416, Message: "The requested range is not satisfiable", Bucket: bucket, Key: key}
	}
	if length == 0 {
		f.Close()
		return io.NopCloser(bytes.NewReader(nil)), nil
	}
	if _, err := f.Seek(offset, io.SeekStart); err != nil {
		f.Close()
		return nil, fmt.Errorf("objects: seek %s/%s to %d: %w", bucket, key, offset, err)
	}
	if length < 0 {
		return f, nil
	}
	return limitedFile{io.LimitReader(f, length), f}, nil
}

type limitedFile struct {
	io.Reader
	io.Closer
}

// HeadObject returns the object's size, ETag and modification time (to
// the second, as S3 gives it).
func (d *Dir) HeadObject(ctx context.Context, bucket, key string) (Info, error) {
	f, fi, err := d.open(ctx, bucket, key)
	if err != nil {
		return Info{}, err
	}
	f.Close()
	return Info{Size: fi.Size(), ETag: etag(fi), LastModified: fi.ModTime().UTC().Truncate(time.Second)}, nil
}

// PutObject writes body (size bytes) as key: see [Dir] for how. A body
// shorter or longer than size is IncompleteBody or InvalidArgument, and
// nothing is written.
func (d *Dir) PutObject(ctx context.Context, bucket, key string, body io.Reader, size int64) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	root, err := d.root(bucket)
	if err != nil {
		return err
	}
	if err := checkKey(bucket, key); err != nil {
		return err
	}
	if size < 0 {
		return &Error{Code: CodeInvalidArgument, StatusCode: 400, Message: "The size is negative.", Bucket: bucket, Key: key}
	}
	folder := path.Dir(key)
	if folder != "." {
		if err := root.MkdirAll(folder, 0o755); err != nil {
			if errors.Is(err, syscall.ENOTDIR) || errors.Is(err, fs.ErrExist) {
				return &Error{Code: CodeInvalidArgument, StatusCode: 400, Message: "A folder bucket cannot hold this key: a file stands where its folder would be.", Bucket: bucket, Key: key}
			}
			return openError(bucket, key, err)
		}
	}
	tmp := path.Join(folder, tempPrefix+rand.Text())
	f, err := root.OpenFile(tmp, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if err != nil {
		return openError(bucket, key, err)
	}
	keep := false
	defer func() {
		if !keep {
			f.Close()
			_ = root.Remove(tmp)
		}
	}()
	n, err := io.Copy(f, io.LimitReader(ctxReader{ctx, body}, size+1))
	if err != nil {
		return fmt.Errorf("objects: write %s/%s: %w", bucket, key, err)
	}
	switch {
	case n < size:
		return &Error{Code: CodeIncompleteBody, StatusCode: 400, Message: "You did not provide the number of bytes specified by the Content-Length HTTP header", Bucket: bucket, Key: key}
	case n > size:
		return &Error{Code: CodeInvalidArgument, StatusCode: 400, Message: "The body is longer than its stated size.", Bucket: bucket, Key: key}
	}
	if err := f.Sync(); err != nil {
		return fmt.Errorf("objects: sync %s/%s: %w", bucket, key, err)
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("objects: close %s/%s: %w", bucket, key, err)
	}
	if err := root.Rename(tmp, key); err != nil {
		if fi, serr := root.Lstat(key); serr == nil && fi.IsDir() {
			_ = root.Remove(tmp)
			keep = true
			return &Error{Code: CodeInvalidArgument, StatusCode: 400, Message: "A folder bucket cannot hold this key: a folder stands where its file would be.", Bucket: bucket, Key: key}
		}
		return fmt.Errorf("objects: rename into %s/%s: %w", bucket, key, err)
	}
	keep = true
	return nil
}

// ctxReader stops a copy when its context is done.
type ctxReader struct {
	ctx context.Context
	r   io.Reader
}

func (c ctxReader) Read(p []byte) (int, error) {
	if err := c.ctx.Err(); err != nil {
		return 0, err
	}
	return c.r.Read(p)
}

// ListObjectsV2 returns one page of the bucket's keys in UTF-8 binary
// order, as S3 does. Its continuation tokens are its own: a token from
// another Store is InvalidArgument.
func (d *Dir) ListObjectsV2(ctx context.Context, q ListQuery) (ListPage, error) {
	root, err := d.root(q.Bucket)
	if err != nil {
		return ListPage{}, err
	}
	l := lister{ctx: ctx, fsys: root.FS(), q: q, max: q.MaxKeys}
	switch {
	case l.max < 0:
		return ListPage{}, &Error{Code: CodeInvalidArgument, StatusCode: 400, Message: "Argument maxKeys must be an integer between 0 and 2147483647", Bucket: q.Bucket}
	case l.max == 0 || l.max > DefaultMaxKeys:
		l.max = DefaultMaxKeys
	}
	l.after = q.StartAfter
	if q.ContinuationToken != "" {
		after, isPrefix, ok := decodeToken(q.ContinuationToken)
		if !ok {
			return ListPage{}, &Error{Code: CodeInvalidArgument, StatusCode: 400, Message: "The continuation token provided is incorrect", Bucket: q.Bucket}
		}
		l.after = after
		if isPrefix {
			l.afterPrefix = after
		}
	}
	if err := l.walk(""); err != nil && !errors.Is(err, errPageFull) {
		return ListPage{}, err
	}
	if l.page.IsTruncated {
		l.page.NextContinuationToken = l.token
	}
	return l.page, nil
}

// errPageFull stops a walk when the page has its last entry.
var errPageFull = errors.New("objects: page full")

// lister walks a bucket's folder for one page. Entries of each folder are
// visited sorted by name, a folder's name with a "/" after it: since every
// key under folder a begins "a/", this visits keys in their binary order.
type lister struct {
	ctx         context.Context
	fsys        fs.FS
	q           ListQuery
	max         int
	after       string // list keys after this one
	afterPrefix string // the previous page ended on this common prefix
	lastPrefix  string // the last common prefix of this page
	token       string // the token of the page's last entry
	page        ListPage
}

type entry struct {
	name string // with "/" after a folder's name
	dir  bool
	info fs.FileInfo
}

func (l *lister) walk(folder string) error {
	if err := l.ctx.Err(); err != nil {
		return err
	}
	dirPath := strings.TrimSuffix(folder, "/")
	if dirPath == "" {
		dirPath = "."
	}
	des, err := fs.ReadDir(l.fsys, dirPath)
	if err != nil {
		return fmt.Errorf("objects: list %s/%s: %w", l.q.Bucket, folder, err)
	}
	entries := make([]entry, 0, len(des))
	for _, de := range des {
		name := de.Name()
		if strings.HasPrefix(name, tempPrefix) {
			continue
		}
		switch {
		case de.IsDir():
			entries = append(entries, entry{name: name + "/", dir: true})
		case de.Type()&fs.ModeSymlink != 0:
			// Stat follows the link inside the folder; a link out of
			// it fails and is left out.
			fi, err := fs.Stat(l.fsys, folder+name)
			if err != nil || !fi.Mode().IsRegular() {
				continue
			}
			entries = append(entries, entry{name: name, info: fi})
		case de.Type().IsRegular():
			fi, err := de.Info()
			if err != nil {
				continue // removed since ReadDir
			}
			entries = append(entries, entry{name: name, info: fi})
		}
	}
	slices.SortFunc(entries, func(a, b entry) int { return strings.Compare(a.name, b.name) })
	for _, e := range entries {
		full := folder + e.name
		if e.dir {
			if l.skipFolder(full) {
				continue
			}
			if err := l.walk(full); err != nil {
				return err
			}
			continue
		}
		if err := l.visit(full, e.info); err != nil {
			return err
		}
	}
	return nil
}

// skipFolder reports whether no key under folder (ending in "/") can be
// on the page.
func (l *lister) skipFolder(folder string) bool {
	p := l.q.Prefix
	if !strings.HasPrefix(folder, p) && !strings.HasPrefix(p, folder) {
		return true
	}
	// Every key under folder is before l.after when folder is and
	// l.after does not begin with it.
	if l.after != "" && folder < l.after && !strings.HasPrefix(l.after, folder) {
		return true
	}
	for _, cp := range []string{l.afterPrefix, l.lastPrefix} {
		if cp != "" && strings.HasPrefix(folder, cp) {
			return true
		}
	}
	return false
}

func (l *lister) visit(key string, fi fs.FileInfo) error {
	if checkKey(l.q.Bucket, key) != nil {
		return nil // a name GetObject would refuse as a key (a backslash, ...)
	}
	if !strings.HasPrefix(key, l.q.Prefix) || (l.after != "" && key <= l.after) {
		return nil
	}
	if l.afterPrefix != "" && strings.HasPrefix(key, l.afterPrefix) {
		return nil
	}
	if d := l.q.Delimiter; d != "" {
		rest := key[len(l.q.Prefix):]
		if i := strings.Index(rest, d); i >= 0 {
			cp := l.q.Prefix + rest[:i+len(d)]
			if cp == l.lastPrefix {
				return nil
			}
			if err := l.full(); err != nil {
				return err
			}
			l.page.CommonPrefixes = append(l.page.CommonPrefixes, cp)
			l.lastPrefix, l.token = cp, encodeToken(cp, true)
			return nil
		}
	}
	if err := l.full(); err != nil {
		return err
	}
	o := Object{Key: key, LastModified: fi.ModTime().UTC().Truncate(time.Second), ETag: etag(fi), Size: fi.Size(), StorageClass: "STANDARD"}
	if l.q.FetchOwner {
		o.Owner = &Owner{ID: "stepwise", DisplayName: "stepwise"}
	}
	l.page.Objects = append(l.page.Objects, o)
	l.token = encodeToken(key, false)
	return nil
}

// full marks the page truncated when it holds max entries already.
func (l *lister) full() error {
	if len(l.page.Objects)+len(l.page.CommonPrefixes) >= l.max {
		l.page.IsTruncated = true
		return errPageFull
	}
	return nil
}

// encodeToken makes the continuation token after a key or a common prefix.
func encodeToken(after string, isPrefix bool) string {
	kind := "k"
	if isPrefix {
		kind = "p"
	}
	return base64.RawURLEncoding.EncodeToString([]byte(kind + after))
}

func decodeToken(tok string) (after string, isPrefix, ok bool) {
	b, err := base64.RawURLEncoding.DecodeString(tok)
	if err != nil || len(b) < 2 || (b[0] != 'k' && b[0] != 'p') || !utf8.Valid(b[1:]) {
		return "", false, false
	}
	return string(b[1:]), b[0] == 'p', true
}
