// Package api serves the AWS Step Functions API over HTTP: the AWS JSON 1.0
// protocol (POST / with X-Amz-Target: AWSStepFunctions.<Action> and
// Content-Type: application/x-amz-json-1.0), with requests, responses and
// errors shaped as AWS shapes them, so the AWS CLI and every AWS SDK work
// unchanged against it.
//
// [NewHandler] returns the one [http.Handler] a server mounts. Besides the
// API at "/", it answers "/healthz" and serves Prometheus metrics at
// "/metrics". With [Options.Credentials] set, every API request and every
// read of /metrics must carry a valid AWS Signature Version 4, scoped to
// the server's region and the service "states", over the body that
// arrived. A server without credentials wraps its handlers in
// [RestrictHosts], which refuses requests for host names other than its
// own (DNS rebinding); requests an SDK sends to the "sync-" host prefix
// (StartSyncExecution) pass like any other.
//
// List actions hand out nextTokens bound by an HMAC to the action and the
// query's parameters ([Options.TokenKey]); a token used with another
// query, edited or forged gets AWS's InvalidToken.
//
// Every error response is made in errors.go from one table that maps error
// codes to HTTP statuses; a panic in an action is recovered, logged and
// answered with an AWS-shaped 500.
package api
