package httptask

import (
	"bytes"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"stepwise/jsonval"
)

// result builds AWS's result object: header names in lower case, each
// with its list of values.
func result(resp *http.Response, body []byte) *jsonval.Object {
	return ResultObject(resp, body, strings.ToLower)
}

// ResultObject is the result object AWS gives an HTTP call (the HTTP Task,
// apigateway:invoke): Headers (each name as headerName spells it, with its
// list of values, in name order), ResponseBody (parsed when the response
// is JSON, else text), StatusCode and StatusText.
func ResultObject(resp *http.Response, body []byte, headerName func(string) string) *jsonval.Object {
	names := make([]string, 0, len(resp.Header))
	for k := range resp.Header {
		names = append(names, k)
	}
	slices.Sort(names)
	headers := jsonval.NewObject(len(names))
	for _, k := range names {
		vs := make([]any, len(resp.Header[k]))
		for i, v := range resp.Header[k] {
			vs[i] = v
		}
		headers.Set(headerName(k), vs)
	}
	var rb any = string(body)
	if len(bytes.TrimSpace(body)) > 0 && strings.Contains(strings.ToLower(resp.Header.Get("Content-Type")), "json") {
		if v, err := jsonval.Parse(body); err == nil {
			rb = v
		}
	}
	out := jsonval.NewObject(4)
	out.Set("Headers", headers)
	out.Set("ResponseBody", rb)
	out.Set("StatusCode", jsonval.FromGo(resp.StatusCode))
	out.Set("StatusText", http.StatusText(resp.StatusCode))
	return out
}

// Response is the HTTP response an HTTP Task's result object describes:
// the object Invoke returns, or a mock standing for it. Its members are
// text as TestState's TRACE shows them: strings as they are, other values
// as JSON.
type Response struct {
	// StatusCode is StatusCode, an integral number in decimal.
	StatusCode string
	// StatusText is StatusText when it is a string.
	StatusText string
	// Header is Headers, each a value or a list of values; nil when the
	// result has no Headers object.
	Header http.Header
	// Body is ResponseBody.
	Body string
}

// ReadResult reads the response an HTTP Task's result object
// ({Headers, ResponseBody, StatusCode, StatusText}) describes; false when
// v is no object. Members that are missing stay empty.
func ReadResult(v any) (*Response, bool) {
	out, ok := v.(*jsonval.Object)
	if !ok {
		return nil, false
	}
	r := &Response{}
	r.StatusText, _ = field(out, "StatusText").(string)
	if code, ok := out.Get("StatusCode"); ok {
		if n, ok := jsonval.Int(code); ok {
			r.StatusCode = strconv.FormatInt(n, 10)
		} else {
			r.StatusCode = text(code)
		}
	}
	if h, ok := field(out, "Headers").(*jsonval.Object); ok {
		r.Header = http.Header{}
		for k, v := range h.All() {
			list, ok := v.([]any)
			if !ok {
				list = []any{v}
			}
			for _, x := range list {
				r.Header[k] = append(r.Header[k], text(x))
			}
		}
	}
	if body, ok := out.Get("ResponseBody"); ok {
		r.Body = text(body)
	}
	return r, true
}

// text shows a value as text: a string as it is, anything else as JSON.
func text(v any) string {
	if s, ok := v.(string); ok {
		return s
	}
	return jsonval.MustMarshalString(v)
}
