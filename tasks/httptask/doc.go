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
package httptask
