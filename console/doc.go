// Package console serves Stepwise's web console: a single-page app that
// shows state machines as graphs and executions as they run. It talks to
// the server only through the AWS Step Functions API (POST / with an
// X-Amz-Target header), like any SDK.
//
// The app's sources are in web/ (Vite, TypeScript, Preact, dagre); the
// built files are committed in dist/ and embedded, so building Stepwise
// needs no Node. check-build.sh rebuilds them and fails when the committed
// build is stale.
//
// Serve the console beside the API on one port with [WithAPI], or route
// requests yourself to [Handler]: GET and HEAD requests without an
// X-Amz-Target header, other than /healthz and /metrics, go to the console.
package console
