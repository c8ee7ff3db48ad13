// Package httptask carries out HTTP Tasks (Resource
// arn:aws:states:::http:invoke) as AWS Step Functions does: it reads
// ApiEndpoint, Method, Headers, QueryParameters, RequestBody, Transform
// and Authentication from the task's parameters, calls the endpoint with
// a 60 second limit, and returns {Headers, ResponseBody, StatusCode,
// StatusText}.
//
// A response outside 2xx fails the task with States.Http.StatusCode.NNN;
// a request that gets no response (refused connection, DNS failure,
// timeout) fails it with States.Http.Socket. Authentication comes from
// EventBridge-style connections configured by ARN ([Connection]): API
// key, basic, or OAuth client credentials. Their secrets are added to the
// outgoing request only; they never appear in results, errors or logs.
//
// Redirects are followed up to the tenth, as net/http follows them. The
// connection's credentials (the API key header, basic auth, the OAuth
// token, its header parameters, its body parameters on a 307 or 308, and
// the Referer that holds its query parameters) go only to the origin
// (scheme, host and port) the Task names, and only until a redirect has
// left it; the OAuth token request keeps the client secret to the
// authorization endpoint's origin the same way. A redirect from https to
// http of a request with a connection is refused with States.Http.Socket.
// AWS does not document its redirect handling; this is the safe reading.
package httptask
