// Package metrics keeps Prometheus metrics of what the runtime does
// (executions, state transitions, task and commit latencies), as a
// [stepwise/runtime.Observer]. The API's own request metrics stay in
// package api, which serves them all at /metrics.
package metrics
