package console

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"fmt"
	"io/fs"
	"mime"
	"net/http"
	"path"
	"strconv"
	"strings"
	"sync"
)

//go:embed all:dist
var dist embed.FS

// contentTypes fixes the types of the files Vite emits, so they do not
// depend on the host's MIME tables.
var contentTypes = map[string]string{
	".html":  "text/html; charset=utf-8",
	".js":    "text/javascript; charset=utf-8",
	".mjs":   "text/javascript; charset=utf-8",
	".css":   "text/css; charset=utf-8",
	".json":  "application/json",
	".map":   "application/json",
	".svg":   "image/svg+xml",
	".png":   "image/png",
	".ico":   "image/x-icon",
	".woff2": "font/woff2",
	".txt":   "text/plain; charset=utf-8",
}

// securityPolicy allows the app's own scripts and styles and API calls
// to its own origin only.
const securityPolicy = "default-src 'self'; img-src 'self' data: blob:; style-src 'self' 'unsafe-inline'; " +
	"connect-src 'self'; object-src 'none'; base-uri 'self'; frame-ancestors 'none'"

// file is one embedded file, ready to serve.
type file struct {
	body        []byte
	gzipped     []byte // nil when compression does not pay
	contentType string
	etag        string
	immutable   bool // a content-hashed name under assets/
}

// handler serves the embedded files. It is read-only after construction.
type handler struct {
	files map[string]*file // by path without the leading slash
}

var defaultHandler = sync.OnceValues(func() (*handler, error) {
	sub, err := fs.Sub(dist, "dist")
	if err != nil {
		return nil, err
	}
	return newHandler(sub)
})

// Handler returns the handler of the console. It serves the app at /:
// the built files with their content types, content-hashed assets under
// /assets/ as immutable, and index.html (never cached) for every other
// path without a file extension, so that the app's own routes such as
// /state-machines/ARN load the app. Paths with an extension that match
// no file get 404; methods other than GET and HEAD get 405. Responses are
// gzip-compressed when the client accepts it. The handler is safe for
// concurrent use.
//
// If the embedded build is unusable (no index.html, which check-build.sh
// and the package's tests prevent), every request gets 503 Service
// Unavailable with the reason.
func Handler() http.Handler {
	h, err := defaultHandler()
	if err != nil {
		msg := "console: " + err.Error()
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			http.Error(w, msg, http.StatusServiceUnavailable)
		})
	}
	return h
}

// WithAPI returns a handler that serves the console and api on one port:
// GET and HEAD requests without an X-Amz-Target header go to the console,
// except /healthz and /metrics; every other request goes to api. The
// result is safe for concurrent use if api is.
func WithAPI(api http.Handler) http.Handler {
	c := Handler()
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if IsConsoleRequest(r) {
			c.ServeHTTP(w, r)
			return
		}
		api.ServeHTTP(w, r)
	})
}

// IsConsoleRequest reports whether r is for the console rather than the
// API: a GET or HEAD without an X-Amz-Target header, for a path other
// than /healthz and /metrics.
func IsConsoleRequest(r *http.Request) bool {
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		return false
	}
	if r.Header.Get("X-Amz-Target") != "" {
		return false
	}
	return r.URL.Path != "/healthz" && r.URL.Path != "/metrics"
}

// newHandler reads every file of fsys into memory.
func newHandler(fsys fs.FS) (*handler, error) {
	h := &handler{files: map[string]*file{}}
	err := fs.WalkDir(fsys, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		body, err := fs.ReadFile(fsys, p)
		if err != nil {
			return err
		}
		h.files[p] = newFile(p, body)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("read console files: %w", err)
	}
	if h.files["index.html"] == nil {
		return nil, fmt.Errorf("console build has no index.html; run console/check-build.sh")
	}
	return h, nil
}

func newFile(p string, body []byte) *file {
	ext := path.Ext(p)
	ct := contentTypes[ext]
	if ct == "" {
		ct = mime.TypeByExtension(ext)
	}
	if ct == "" {
		ct = http.DetectContentType(body)
	}
	sum := sha256.Sum256(body)
	f := &file{
		body:        body,
		contentType: ct,
		etag:        `"` + hex.EncodeToString(sum[:12]) + `"`,
		immutable:   strings.HasPrefix(p, "assets/"),
	}
	if compressible(ct) && len(body) > 512 {
		var buf bytes.Buffer
		zw, _ := gzip.NewWriterLevel(&buf, gzip.BestCompression)
		_, _ = zw.Write(body)
		_ = zw.Close()
		if buf.Len() < len(body)*9/10 {
			f.gzipped = buf.Bytes()
		}
	}
	return f
}

func compressible(ct string) bool {
	return strings.HasPrefix(ct, "text/") || strings.HasPrefix(ct, "application/json") || strings.HasPrefix(ct, "image/svg")
}

func (h *handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		w.Header().Set("Allow", "GET, HEAD")
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		return
	}
	p := strings.TrimPrefix(path.Clean("/"+r.URL.Path), "/")
	f := h.files[p]
	if f == nil || p == "" {
		if path.Ext(p) != "" || p == "assets" || strings.HasPrefix(p, "assets/") {
			http.NotFound(w, r)
			return
		}
		// One of the app's routes: the app itself routes it.
		f = h.files["index.html"]
	}
	h.serveFile(w, r, f)
}

func (h *handler) serveFile(w http.ResponseWriter, r *http.Request, f *file) {
	hd := w.Header()
	hd.Set("Content-Type", f.contentType)
	hd.Set("X-Content-Type-Options", "nosniff")
	hd.Set("ETag", f.etag)
	if f.immutable {
		hd.Set("Cache-Control", "public, max-age=31536000, immutable")
	} else {
		hd.Set("Cache-Control", "no-cache")
	}
	if strings.HasPrefix(f.contentType, "text/html") {
		hd.Set("Content-Security-Policy", securityPolicy)
		hd.Set("Referrer-Policy", "same-origin")
	}
	body := f.body
	if f.gzipped != nil {
		hd.Add("Vary", "Accept-Encoding")
		if acceptsGzip(r) {
			hd.Set("Content-Encoding", "gzip")
			body = f.gzipped
		}
	}
	if etagMatch(r.Header.Get("If-None-Match"), f.etag) {
		w.WriteHeader(http.StatusNotModified)
		return
	}
	hd.Set("Content-Length", strconv.Itoa(len(body)))
	if r.Method == http.MethodHead {
		return
	}
	_, _ = w.Write(body)
}

func acceptsGzip(r *http.Request) bool {
	for _, part := range strings.Split(r.Header.Get("Accept-Encoding"), ",") {
		enc, q, _ := strings.Cut(strings.TrimSpace(part), ";")
		if strings.TrimSpace(enc) == "gzip" && strings.TrimSpace(q) != "q=0" {
			return true
		}
	}
	return false
}

func etagMatch(header, etag string) bool {
	for _, t := range strings.Split(header, ",") {
		t = strings.TrimPrefix(strings.TrimSpace(t), "W/")
		if t == etag || t == "*" {
			return true
		}
	}
	return false
}
