package api

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"net/textproto"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
)

// maxSkew is how far a request's signing time may be from the server's
// clock, as on AWS.
const maxSkew = 15 * time.Minute

const (
	sigAlgorithm  = "AWS4-HMAC-SHA256"
	amzDateFormat = "20060102T150405Z"
)

// signingService is the service name of Step Functions in a SigV4
// credential scope.
const signingService = "states"

// verifySigV4 checks that r carries a valid AWS Signature Version 4 made
// with one of creds (access key id to secret key), scoped to region and
// the service "states", computed over body, within maxSkew of now. It
// returns UnrecognizedClientException for an unknown access key and
// InvalidSignatureException for a missing, malformed, wrong, misscoped or
// expired signature and for a body whose hash is not what was signed.
func verifySigV4(r *http.Request, body []byte, creds map[string]string, region string, keys *keyCache, now time.Time) error {
	auth := r.Header.Get("Authorization")
	if auth == "" {
		return errorf(codeInvalidSignature, "Missing Authentication Token: the request must be signed with AWS Signature Version 4")
	}
	a, err := parseAuthorization(auth)
	if err != nil {
		return err
	}
	secret, ok := creds[a.accessKey]
	if !ok {
		return errorf(codeUnrecognizedClient, "The security token included in the request is invalid.")
	}
	amzDate := r.Header.Get("X-Amz-Date")
	var signed time.Time
	if amzDate != "" {
		signed, err = time.Parse(amzDateFormat, amzDate)
	} else if d := r.Header.Get("Date"); d != "" {
		signed, err = http.ParseTime(d)
		amzDate = signed.UTC().Format(amzDateFormat)
	} else {
		return errorf(codeInvalidSignature, "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header.")
	}
	if err != nil {
		return errorf(codeInvalidSignature, "Invalid date header: %v", err)
	}
	if !slices.Contains(a.signedHeaders, "host") {
		return errorf(codeInvalidSignature, "'Host' must be a signed header.")
	}
	if !slices.Contains(a.signedHeaders, "x-amz-date") && !slices.Contains(a.signedHeaders, "date") {
		return errorf(codeInvalidSignature, "The date header must be signed.")
	}
	if d := now.Sub(signed); d > maxSkew || d < -maxSkew {
		return errorf(codeInvalidSignature, "Signature expired: %s is now earlier than %s (%s - 15 min.)",
			amzDate, now.UTC().Add(-maxSkew).Format(amzDateFormat), now.UTC().Format(amzDateFormat))
	}
	if a.date != amzDate[:8] {
		return errorf(codeInvalidSignature, "Credential should be scoped to a valid date: '%s' does not match the request date %s.", a.date, amzDate[:8])
	}
	// AWS's messages, trailing space included: a key signed for another
	// region or service must not be replayable here.
	if a.region != region {
		return errorf(codeInvalidSignature, "Credential should be scoped to a valid region, not '%s'. ", a.region)
	}
	if a.service != signingService {
		return errorf(codeInvalidSignature, "Credential should be scoped to correct service: '%s'. ", signingService)
	}
	bodyHash := sha256Hex(body)
	if err := checkContentHash(r.Header.Get("X-Amz-Content-Sha256"), bodyHash); err != nil {
		return err
	}
	want := signature(keys.get(secret, a), a, amzDate, canonicalRequest(r, bodyHash, a.signedHeaders))
	if !hmac.Equal([]byte(want), []byte(a.signature)) {
		return errorf(codeInvalidSignature, "The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.")
	}
	return nil
}

// authorization is the parsed Authorization header of a SigV4 request.
type authorization struct {
	accessKey, date, region, service string
	signedHeaders                    []string
	signature                        string
}

func (a authorization) scope() string {
	return a.date + "/" + a.region + "/" + a.service + "/aws4_request"
}

func parseAuthorization(h string) (authorization, error) {
	var a authorization
	rest, ok := strings.CutPrefix(h, sigAlgorithm+" ")
	if !ok {
		return a, errorf(codeInvalidSignature, "Unsupported Authorization Type: only %s is accepted", sigAlgorithm)
	}
	var credential, signed string
	for part := range strings.SplitSeq(rest, ",") {
		k, v, _ := strings.Cut(strings.TrimSpace(part), "=")
		switch k {
		case "Credential":
			credential = v
		case "SignedHeaders":
			signed = v
		case "Signature":
			a.signature = v
		}
	}
	scope := strings.Split(credential, "/")
	if len(scope) != 5 || scope[4] != "aws4_request" || signed == "" || a.signature == "" {
		return a, errorf(codeInvalidSignature, "Authorization header requires 'Credential', 'SignedHeaders' and 'Signature' parameters.")
	}
	a.accessKey, a.date, a.region, a.service = scope[0], scope[1], scope[2], scope[3]
	a.signedHeaders = strings.Split(signed, ";")
	return a, nil
}

// checkContentHash compares the X-Amz-Content-Sha256 header, when a
// client sent one, with the hash of the body that arrived. Only S3 takes
// UNSIGNED-PAYLOAD (or a streaming payload); Step Functions always signs
// the body, so an unsigned one is refused, not trusted.
func checkContentHash(header, bodyHash string) error {
	switch {
	case header == "":
		return nil
	case header == "UNSIGNED-PAYLOAD" || strings.HasPrefix(header, "STREAMING-"):
		return errorf(codeInvalidSignature, "The request payload must be signed: x-amz-content-sha256 '%s' is not accepted.", header)
	case !strings.EqualFold(header, bodyHash):
		return errorf(codeInvalidSignature, "The provided 'x-amz-content-sha256' header does not match what was computed.")
	}
	return nil
}

func sha256Hex(b []byte) string {
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}

// canonicalRequest builds SigV4's canonical request of r. Its payload hash
// is always bodyHash, the hash of the body that arrived, never a value
// the client declares.
func canonicalRequest(r *http.Request, bodyHash string, signedHeaders []string) string {
	var b strings.Builder
	b.WriteString(r.Method)
	b.WriteByte('\n')
	path := r.URL.EscapedPath()
	if path == "" {
		path = "/"
	}
	b.WriteString(path)
	b.WriteByte('\n')
	b.WriteString(canonicalQuery(r.URL.Query()))
	b.WriteByte('\n')
	for _, name := range signedHeaders {
		b.WriteString(name)
		b.WriteByte(':')
		writeHeaderValue(&b, r, name)
		b.WriteByte('\n')
	}
	b.WriteByte('\n')
	for i, name := range signedHeaders {
		if i > 0 {
			b.WriteByte(';')
		}
		b.WriteString(name)
	}
	b.WriteByte('\n')
	b.WriteString(bodyHash)
	return b.String()
}

// writeHeaderValue writes the canonical value of a signed header: its
// values joined by commas, each trimmed, with inner runs of spaces
// collapsed to one. The request's headers are left as they are.
func writeHeaderValue(b *strings.Builder, r *http.Request, name string) {
	switch name {
	case "host":
		writeTrimmed(b, r.Host)
		return
	case "content-length":
		b.WriteString(strconv.FormatInt(r.ContentLength, 10))
		return
	}
	for i, v := range r.Header[textproto.CanonicalMIMEHeaderKey(name)] {
		if i > 0 {
			b.WriteByte(',')
		}
		writeTrimmed(b, v)
	}
}

// writeTrimmed writes v as SigV4's canonical form has it: without
// leading and trailing white space, and with each inner run of spaces as
// one space (tabs and other white space inside are kept, as AWS's signers
// keep them).
func writeTrimmed(b *strings.Builder, v string) {
	v = strings.TrimSpace(v)
	for {
		i := strings.Index(v, "  ")
		if i < 0 {
			b.WriteString(v)
			return
		}
		b.WriteString(v[:i+1])
		v = strings.TrimLeft(v[i+1:], " ")
	}
}

func canonicalQuery(q url.Values) string {
	if len(q) == 0 {
		return ""
	}
	var pairs []string
	for k, vs := range q {
		for _, v := range vs {
			pairs = append(pairs, uriEncode(k)+"="+uriEncode(v))
		}
	}
	slices.Sort(pairs)
	return strings.Join(pairs, "&")
}

// uriEncode percent-encodes everything but RFC 3986's unreserved
// characters, as SigV4 requires.
func uriEncode(s string) string {
	return strings.ReplaceAll(url.QueryEscape(s), "+", "%20")
}

// signature computes the hex SigV4 signature of a canonical request with
// a derived signing key.
func signature(key []byte, a authorization, amzDate, canonical string) string {
	sum := sha256.Sum256([]byte(canonical))
	toSign := sigAlgorithm + "\n" + amzDate + "\n" + a.scope() + "\n" + hex.EncodeToString(sum[:])
	return hex.EncodeToString(hmacSHA256(key, toSign))
}

// keyCache is a bounded cache of SigV4 signing keys: a key depends only
// on the secret and the scope (date, region, service), so a client reuses
// one all day. It is safe for concurrent use; the zero value is ready.
type keyCache struct {
	mu   sync.Mutex // guards keys
	keys map[string][]byte
}

// maxCachedKeys bounds the cache; it is emptied when full.
const maxCachedKeys = 1024

func (c *keyCache) get(secret string, a authorization) []byte {
	id := secret + "\x00" + a.scope()
	c.mu.Lock()
	key, ok := c.keys[id]
	c.mu.Unlock()
	if ok {
		return key
	}
	key = hmacSHA256([]byte("AWS4"+secret), a.date)
	key = hmacSHA256(key, a.region)
	key = hmacSHA256(key, a.service)
	key = hmacSHA256(key, "aws4_request")
	c.mu.Lock()
	if c.keys == nil || len(c.keys) >= maxCachedKeys {
		c.keys = map[string][]byte{}
	}
	c.keys[id] = key
	c.mu.Unlock()
	return key
}

func hmacSHA256(key []byte, data string) []byte {
	m := hmac.New(sha256.New, key)
	m.Write([]byte(data))
	return m.Sum(nil)
}
