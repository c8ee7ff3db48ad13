package httptask

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
)

// maxRedirects bounds the redirect responses one request follows: the
// tenth ends it, as net/http's default policy ends it.
const maxRedirects = 10

// errDowngrade refuses a redirect from https to http of a request that
// carries a connection's credentials. It becomes the cause of a
// States.Http.Socket error, so it reads as a sentence.
var errDowngrade = errors.New("a redirect from https to http was refused because the request carries connection credentials")

// credentials records what a connection added to one request, so that a
// redirect to another origin can leave it out.
type credentials struct {
	// headers are the names of the headers the connection set: the API
	// key header, Authorization, and its invocation header parameters.
	headers []string
	// plainBody, when not nil, is the request body without the
	// connection's body parameters, sent instead of the full body by a
	// 307 or 308 redirect to another origin.
	plainBody []byte
}

// addHeader sets a header on h and records its name.
func (c *credentials) addHeader(h http.Header, key, value string) {
	h.Set(key, value)
	c.headers = append(c.headers, key)
}

// redirectPolicy is the CheckRedirect of one request. Credentials go only
// to the origin (scheme, host and port) the Task or the connection names,
// and only until a redirect has left it: from then on the other host
// chooses where the request goes, so a hop back carries none either, as
// net/http keeps Authorization stripped once it has stripped it.
type redirectPolicy struct {
	origin *url.URL
	creds  *credentials // nil when no connection is used
	next   func(*http.Request, []*http.Request) error
	left   bool // a hop has left origin
}

// redirectClient returns a copy of c, sharing its transport, that follows
// redirects under a policy for a request to origin carrying creds.
func redirectClient(c *http.Client, origin *url.URL, creds *credentials) *http.Client {
	rp := &redirectPolicy{origin: origin, creds: creds, next: c.CheckRedirect}
	cc := *c
	cc.CheckRedirect = rp.check
	return &cc
}

func (rp *redirectPolicy) check(req *http.Request, via []*http.Request) error {
	if len(via) >= maxRedirects {
		return fmt.Errorf("stopped after %d redirects", maxRedirects)
	}
	if rp.creds != nil {
		if via[len(via)-1].URL.Scheme == "https" && req.URL.Scheme != "https" {
			return errDowngrade
		}
		if !rp.left && !sameOrigin(rp.origin, req.URL) {
			rp.left = true
		}
		if rp.left {
			rp.strip(req)
		}
	}
	if rp.next != nil {
		return rp.next(req, via)
	}
	return nil
}

// strip removes the connection's credentials from a request to another
// origin. The Referer goes too: it holds the previous URL, with the
// connection's query string parameters.
func (rp *redirectPolicy) strip(req *http.Request) {
	for _, h := range rp.creds.headers {
		req.Header.Del(h)
	}
	req.Header.Del("Authorization")
	req.Header.Del("Referer")
	if rp.creds.plainBody != nil && req.Body != nil {
		req.Body.Close()
		plain := rp.creds.plainBody
		req.Body = io.NopCloser(bytes.NewReader(plain))
		req.ContentLength = int64(len(plain))
		req.GetBody = func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(plain)), nil }
	}
}

// sameOrigin reports whether a and b have the same scheme, host and port,
// the port defaulted from the scheme.
func sameOrigin(a, b *url.URL) bool {
	return strings.EqualFold(a.Scheme, b.Scheme) &&
		strings.EqualFold(a.Hostname(), b.Hostname()) &&
		port(a) == port(b)
}

func port(u *url.URL) string {
	if p := u.Port(); p != "" {
		return p
	}
	switch strings.ToLower(u.Scheme) {
	case "https":
		return "443"
	case "http":
		return "80"
	}
	return ""
}
