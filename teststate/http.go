package teststate

import (
	"net/http"
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

// traceHTTP describes an HTTP Task's request and response for TRACE. The
// request is the one httptask builds from the Task's parameters, without
// what an EventBridge connection adds (its secrets), which is what AWS
// shows without revealSecrets; parameters that describe no request show
// none. The response is only known when the task returned one.
func traceHTTP(params any, res TaskResult) (*HTTPRequest, *HTTPResponse) {
	r, err := httptask.NewRequest(params)
	if err != nil {
		return nil, nil
	}
	req := &HTTPRequest{Protocol: r.URL.Scheme, Method: r.Method, URL: r.URL.String(), Headers: headerText(r.Header), Body: string(r.Body)}
	out, _ := res.Output.(*jsonval.Object)
	if res.Failed || out == nil {
		return req, nil
	}
	resp := &HTTPResponse{Protocol: req.Protocol}
	resp.StatusMessage, _ = field(out, "StatusText").(string)
	if code, ok := out.Get("StatusCode"); ok {
		if n, ok := jsonval.Int(code); ok {
			resp.StatusCode = strconv.FormatInt(n, 10)
		} else {
			resp.StatusCode = plainText(code)
		}
	}
	if h, ok := field(out, "Headers").(*jsonval.Object); ok {
		// The result's headers, each a value or a list of values.
		header := http.Header{}
		for k, v := range h.All() {
			list, ok := v.([]any)
			if !ok {
				list = []any{v}
			}
			for _, x := range list {
				header[k] = append(header[k], plainText(x))
			}
		}
		resp.Headers = headerText(header)
	}
	if body, ok := out.Get("ResponseBody"); ok {
		resp.Body = plainText(body)
	}
	return req, resp
}

func field(o *jsonval.Object, k string) any {
	v, _ := o.Get(k)
	return v
}

// headerText shows headers as "[Name: value, Name: value]", sorted; a
// header with several values shows each.
func headerText(h http.Header) string {
	var lines []string
	for k, vs := range h {
		for _, v := range vs {
			lines = append(lines, k+": "+v)
		}
	}
	sort.Strings(lines)
	return "[" + strings.Join(lines, ", ") + "]"
}
