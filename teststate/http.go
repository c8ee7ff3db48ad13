package teststate

import (
	"net/http"
	"sort"
	"strings"

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
// none. The response is the one httptask reads from the task's result,
// known only when the task returned one.
func traceHTTP(params any, res TaskResult) (*HTTPRequest, *HTTPResponse) {
	r, err := httptask.NewRequest(params)
	if err != nil {
		return nil, nil
	}
	req := &HTTPRequest{Protocol: r.URL.Scheme, Method: r.Method, URL: r.URL.String(), Headers: headerText(r.Header), Body: string(r.Body)}
	out, ok := httptask.ReadResult(res.Output)
	if res.Failed || !ok {
		return req, nil
	}
	resp := &HTTPResponse{Protocol: req.Protocol, StatusCode: out.StatusCode, StatusMessage: out.StatusText, Body: out.Body}
	if out.Header != nil {
		resp.Headers = headerText(out.Header)
	}
	return req, resp
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
