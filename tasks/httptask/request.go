package httptask

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"

	"stepwise/jsonval"
)

// Request is the HTTP request an HTTP Task's parameters describe, as the
// [Invoker] sends it but for the User-Agent it adds and what the Task's
// connection adds (its credentials, query and body parameters): what
// TestState's TRACE shows without revealSecrets.
type Request struct {
	// Method is the Method parameter in upper case.
	Method string
	// URL is ApiEndpoint with QueryParameters added; an array value adds
	// one parameter per element.
	URL *url.URL
	// Header holds Headers (non-string values as JSON) and, with a body
	// and no Content-Type of the Task's, the body's content type.
	Header http.Header
	// Body is RequestBody encoded as Transform says ([EncodeBody]); nil
	// without one.
	Body []byte

	body      any // RequestBody, to which a connection adds its body parameters
	transform any
}

// NewRequest builds the request of an HTTP Task's parameters (after
// Parameters or Arguments). Parameters that describe no request (no
// string ApiEndpoint and Method, a URL that is not http or https, a body
// that cannot be encoded) fail with States.Runtime task errors.
func NewRequest(params any) (*Request, error) {
	p, ok := params.(*jsonval.Object)
	if !ok {
		return nil, runtimeError("the HTTP Task needs Parameters with ApiEndpoint and Method")
	}
	endpoint, _ := field(p, "ApiEndpoint").(string)
	method, _ := field(p, "Method").(string)
	if endpoint == "" || method == "" {
		return nil, runtimeError("the HTTP Task needs string ApiEndpoint and Method parameters")
	}
	u, err := url.Parse(endpoint)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, runtimeError(fmt.Sprintf("ApiEndpoint %q is not an http or https URL", endpoint))
	}
	q := u.Query()
	if qp, ok := field(p, "QueryParameters").(*jsonval.Object); ok {
		for k, v := range qp.All() {
			for _, s := range queryValues(v) {
				q.Add(k, s)
			}
		}
	}
	u.RawQuery = q.Encode()
	// net/http checks the method as it will when the request is sent.
	hreq, err := http.NewRequest(strings.ToUpper(method), u.String(), nil)
	if err != nil {
		return nil, runtimeError(fmt.Sprintf("build the request: %v", err))
	}
	r := &Request{Method: hreq.Method, URL: hreq.URL, Header: hreq.Header, body: field(p, "RequestBody"), transform: field(p, "Transform")}
	if hp, ok := field(p, "Headers").(*jsonval.Object); ok {
		for k, v := range hp.All() {
			s, ok := v.(string)
			if !ok {
				s = jsonval.MustMarshalString(v)
			}
			r.Header.Set(k, s)
		}
	}
	if r.body != nil {
		data, contentType, err := EncodeBody(r.body, r.transform)
		if err != nil {
			return nil, err
		}
		r.Body = data
		if r.Header.Get("Content-Type") == "" {
			r.Header.Set("Content-Type", contentType)
		}
	}
	return r, nil
}
