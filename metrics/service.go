package metrics

import (
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"stepwise/runtime"
	"stepwise/store"
)

// Service is a [runtime.Observer] that keeps Prometheus metrics of what
// the service's runtime does: executions started, ended (by status) and open,
// state transitions, task latencies and store commit latencies. Register
// it on the registry the handler serves (Options.Registerer/Gatherer). It
// is safe for concurrent use. Counts start at zero when the process starts.
type Service struct {
	started     *prometheus.CounterVec
	ended       *prometheus.CounterVec
	open        prometheus.Gauge
	transitions *prometheus.CounterVec
	tasks       *prometheus.HistogramVec
	commits     *prometheus.HistogramVec
}

var _ runtime.Observer = (*Service)(nil)

// NewService creates the metrics and registers them on reg (nil:
// not registered). It panics if reg already holds metrics of these names.
func NewService(reg prometheus.Registerer) *Service {
	m := &Service{
		started: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "stepwise_service_executions_started_total", Help: "Executions started, by state machine."}, []string{"state_machine_arn"}),
		ended: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "stepwise_service_executions_ended_total", Help: "Executions ended, by state machine and status (SUCCEEDED, FAILED, TIMED_OUT, ABORTED)."},
			[]string{"state_machine_arn", "status"}),
		open: prometheus.NewGauge(prometheus.GaugeOpts{
			Name: "stepwise_service_executions_open", Help: "Executions started and not yet ended by this process."}),
		transitions: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "stepwise_service_state_transitions_total", Help: "States entered, by state machine."}, []string{"state_machine_arn"}),
		tasks: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name: "stepwise_service_task_duration_seconds", Help: "Task invocation latency, by resource and outcome.",
			Buckets: prometheus.ExponentialBuckets(0.0005, 4, 10)}, []string{"resource", "outcome"}),
		commits: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name: "stepwise_service_commit_duration_seconds", Help: "Store commit latency of execution steps, by outcome.",
			Buckets: prometheus.ExponentialBuckets(0.0001, 4, 10)}, []string{"outcome"}),
	}
	if reg != nil {
		reg.MustRegister(m.started, m.ended, m.open, m.transitions, m.tasks, m.commits)
	}
	return m
}

func outcome(err error) string {
	if err != nil {
		return "error"
	}
	return "ok"
}

// ExecutionStarted implements [runtime.Observer].
func (m *Service) ExecutionStarted(arn string) {
	m.started.WithLabelValues(arn).Inc()
	m.open.Inc()
}

// ExecutionEnded implements [runtime.Observer].
func (m *Service) ExecutionEnded(arn string, status store.ExecutionStatus, _ time.Duration) {
	m.ended.WithLabelValues(arn, string(status)).Inc()
	m.open.Dec()
}

// StateTransitions implements [runtime.Observer].
func (m *Service) StateTransitions(arn string, n int) {
	m.transitions.WithLabelValues(arn).Add(float64(n))
}

// TaskDone implements [runtime.Observer].
func (m *Service) TaskDone(resource string, d time.Duration, err error) {
	m.tasks.WithLabelValues(resource, outcome(err)).Observe(d.Seconds())
}

// Committed implements [runtime.Observer].
func (m *Service) Committed(d time.Duration, err error) {
	m.commits.WithLabelValues(outcome(err)).Observe(d.Seconds())
}
