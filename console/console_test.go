package console_test

import (
	"compress/gzip"
	"io"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"

	"stepwise/console"
)

func get(t *testing.T, h http.Handler, method, target string, hdr map[string]string) *http.Response {
	t.Helper()
	req := httptest.NewRequest(method, target, nil)
	for k, v := range hdr {
		req.Header.Set(k, v)
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return rec.Result()
}

func body(t *testing.T, res *http.Response) string {
	t.Helper()
	r := res.Body
	if res.Header.Get("Content-Encoding") == "gzip" {
		zr, err := gzip.NewReader(r)
		if err != nil {
			t.Fatal(err)
		}
		r = zr
	}
	b, err := io.ReadAll(r)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// assets returns the paths of the scripts and styles index.html loads.
func assets(t *testing.T, index string) []string {
	t.Helper()
	m := regexp.MustCompile(`(?:src|href)="(/assets/[^"]+)"`).FindAllStringSubmatch(index, -1)
	if len(m) < 2 {
		t.Fatalf("index.html loads %d assets, want a script and a stylesheet:\n%s", len(m), index)
	}
	var out []string
	for _, x := range m {
		out = append(out, x[1])
	}
	return out
}

func TestServesIndexAndRoutes(t *testing.T) {
	h := console.Handler()
	for _, target := range []string{"/", "/index.html", "/state-machines/arn%3Aaws%3Astates%3Aus-east-1%3A1%3AstateMachine%3Ax", "/executions/x"} {
		t.Run(target, func(t *testing.T) {
			res := get(t, h, "GET", target, nil)
			if res.StatusCode != http.StatusOK {
				t.Fatalf("status %d, want 200", res.StatusCode)
			}
			if ct := res.Header.Get("Content-Type"); ct != "text/html; charset=utf-8" {
				t.Errorf("Content-Type %q", ct)
			}
			if cc := res.Header.Get("Cache-Control"); cc != "no-cache" {
				t.Errorf("Cache-Control %q, want no-cache", cc)
			}
			if res.Header.Get("Content-Security-Policy") == "" {
				t.Error("no Content-Security-Policy")
			}
			if b := body(t, res); !strings.Contains(b, `<div id="app">`) {
				t.Errorf("body is not the app's index.html:\n%s", b)
			}
		})
	}
}

func TestServesAssets(t *testing.T) {
	h := console.Handler()
	index := body(t, get(t, h, "GET", "/", nil))
	for _, p := range assets(t, index) {
		t.Run(p, func(t *testing.T) {
			want := map[string]string{".js": "text/javascript; charset=utf-8", ".css": "text/css; charset=utf-8"}[p[strings.LastIndex(p, "."):]]
			res := get(t, h, "GET", p, map[string]string{"Accept-Encoding": "gzip, br"})
			if res.StatusCode != http.StatusOK {
				t.Fatalf("status %d", res.StatusCode)
			}
			if ct := res.Header.Get("Content-Type"); ct != want {
				t.Errorf("Content-Type %q, want %q", ct, want)
			}
			if cc := res.Header.Get("Cache-Control"); cc != "public, max-age=31536000, immutable" {
				t.Errorf("Cache-Control %q", cc)
			}
			if res.Header.Get("Content-Encoding") != "gzip" {
				t.Error("not gzip-compressed for a client that accepts gzip")
			}
			if len(body(t, res)) < 100 {
				t.Error("asset is nearly empty")
			}
			plain := get(t, h, "GET", p, nil)
			if plain.Header.Get("Content-Encoding") != "" {
				t.Error("compressed for a client that did not ask")
			}
			etag := plain.Header.Get("ETag")
			if etag == "" {
				t.Fatal("no ETag")
			}
			if res := get(t, h, "GET", p, map[string]string{"If-None-Match": etag}); res.StatusCode != http.StatusNotModified {
				t.Errorf("If-None-Match: status %d, want 304", res.StatusCode)
			}
			head := get(t, h, "HEAD", p, nil)
			if head.StatusCode != http.StatusOK || body(t, head) != "" {
				t.Errorf("HEAD: status %d with a body", head.StatusCode)
			}
		})
	}
}

func TestNotFoundAndMethods(t *testing.T) {
	h := console.Handler()
	tests := []struct {
		method, target string
		want           int
	}{
		{"GET", "/assets/missing.js", http.StatusNotFound},
		{"GET", "/favicon.ico", http.StatusNotFound},
		{"GET", "/assets/", http.StatusNotFound},
		{"GET", "/../../assets/../etc/passwd.txt", http.StatusNotFound},
		{"POST", "/", http.StatusMethodNotAllowed},
		{"DELETE", "/state-machines", http.StatusMethodNotAllowed},
	}
	for _, tt := range tests {
		if res := get(t, h, tt.method, tt.target, nil); res.StatusCode != tt.want {
			t.Errorf("%s %s: status %d, want %d", tt.method, tt.target, res.StatusCode, tt.want)
		}
	}
}

func TestWithAPI(t *testing.T) {
	api := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.WriteString(w, "api")
	})
	h := console.WithAPI(api)
	tests := []struct {
		method, target, amzTarget string
		wantAPI                   bool
	}{
		{"GET", "/", "", false},
		{"HEAD", "/executions/x", "", false},
		{"POST", "/", "AWSStepFunctions.ListStateMachines", true},
		{"GET", "/", "AWSStepFunctions.ListStateMachines", true},
		{"POST", "/", "", true},
		{"GET", "/healthz", "", true},
		{"GET", "/metrics", "", true},
	}
	for _, tt := range tests {
		res := get(t, h, tt.method, tt.target, map[string]string{"X-Amz-Target": tt.amzTarget})
		gotAPI := body(t, res) == "api"
		if gotAPI != tt.wantAPI {
			t.Errorf("%s %s (X-Amz-Target %q): went to api = %v, want %v", tt.method, tt.target, tt.amzTarget, gotAPI, tt.wantAPI)
		}
	}
}
