package teststate

import (
	"net/url"
	"sort"
	"strconv"
	"strings"

	"stepwise/jsonval"
	"stepwise/resource"
	"stepwise/tasks/httptask"
)

// isHTTPInvoke reports whether a Task resource is an HTTP Task
// (arn:PARTITION:states:::http:invoke).
func isHTTPInvoke(r resource.Resource) bool {
	return r.Is("http", "invoke") && r.Pattern == resource.RequestResponse
}

// traceHTTP describes an HTTP Task's request and response for TRACE. They
// are rebuilt from the Task's parameters and its result, so what an
// EventBridge connection adds to the request (its secrets) is never shown,
// which is what AWS shows without revealSecrets. The response is only
// known when the task returned one.
func traceHTTP(params any, res TaskResult) (*HTTPRequest, *HTTPResponse) {
	p, _ := params.(*jsonval.Object)
	if p == nil {
		return nil, nil
	}
	str := func(o *jsonval.Object, k string) string {
		v, _ := o.Get(k)
		s, _ := v.(string)
		return s
	}
	endpoint := str(p, "ApiEndpoint")
	req := &HTTPRequest{Method: strings.ToUpper(str(p, "Method")), URL: endpoint, Protocol: "https"}
	if u, err := url.Parse(endpoint); err == nil && u.Scheme != "" {
		req.Protocol = u.Scheme
		if q, ok := objectOf(p, "QueryParameters"); ok {
			values := u.Query()
			for k, v := range q.All() {
				values.Add(k, plainText(v))
			}
			u.RawQuery = values.Encode()
			req.URL = u.String()
		}
	}
	headers := jsonval.NewObject(4)
	if h, ok := objectOf(p, "Headers"); ok {
		headers = h.Clone()
	}
	if body, ok := p.Get("RequestBody"); ok {
		transform, _ := objectOf(p, "Transform")
		var contentType string
		req.Body, contentType = encodeBody(body, transform)
		if !hasHeader(headers, "Content-Type") {
			headers.Set("Content-Type", contentType)
		}
	}
	req.Headers = headerText(headers)
	out, _ := res.Output.(*jsonval.Object)
	if res.Failed || out == nil {
		return req, nil
	}
	resp := &HTTPResponse{Protocol: req.Protocol, StatusMessage: str(out, "StatusText")}
	if code, ok := out.Get("StatusCode"); ok {
		if n, ok := jsonval.Int(code); ok {
			resp.StatusCode = strconv.FormatInt(n, 10)
		} else {
			resp.StatusCode = plainText(code)
		}
	}
	if h, ok := objectOf(out, "Headers"); ok {
		resp.Headers = headerText(h)
	}
	if body, ok := out.Get("ResponseBody"); ok {
		resp.Body = plainText(body)
	}
	return req, resp
}

func objectOf(o *jsonval.Object, k string) (*jsonval.Object, bool) {
	v, _ := o.Get(k)
	obj, ok := v.(*jsonval.Object)
	return obj, ok
}

// headerText shows headers as "[Name: value, Name: value]", sorted by
// name; a header with several values shows each.
func headerText(h *jsonval.Object) string {
	var lines []string
	for k, v := range h.All() {
		if list, ok := v.([]any); ok {
			for _, x := range list {
				lines = append(lines, k+": "+plainText(x))
			}
			continue
		}
		lines = append(lines, k+": "+plainText(v))
	}
	sort.Strings(lines)
	return "[" + strings.Join(lines, ", ") + "]"
}

func hasHeader(h *jsonval.Object, name string) bool {
	for k := range h.All() {
		if strings.EqualFold(k, name) {
			return true
		}
	}
	return false
}

// encodeBody shows a RequestBody as the HTTP Task sends it, and its
// content type. A body the task could not encode (it would fail with
// States.Runtime) is shown as JSON.
func encodeBody(body any, transform *jsonval.Object) (string, string) {
	var t any
	if transform != nil {
		t = transform
	}
	data, contentType, err := httptask.EncodeBody(body, t)
	if err != nil {
		return jsonString(body), "application/json; charset=UTF-8"
	}
	return string(data), contentType
}
