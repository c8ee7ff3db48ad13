package api

import (
	"strconv"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"stepwise/store"
)

// metrics are the Prometheus collectors of a Handler. The execution
// counters count what the API sees: every start, the end of every
// StartSyncExecution and every StopExecution. Standard executions that end
// on their own, in the service's workers, are not seen here.
type metrics struct {
	requests   *prometheus.CounterVec
	inFlight   *prometheus.GaugeVec
	latency    *prometheus.HistogramVec
	starts     *prometheus.CounterVec
	executions *prometheus.CounterVec
}

func newMetrics(reg prometheus.Registerer) *metrics {
	m := &metrics{
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "stepwise_api_requests_total",
			Help: "API requests by action and error code (empty for success).",
		}, []string{"action", "code", "status"}),
		inFlight: prometheus.NewGaugeVec(prometheus.GaugeOpts{
			Name: "stepwise_api_requests_in_flight",
			Help: "API requests being answered, by action (GetActivityTask long polls show here).",
		}, []string{"action"}),
		latency: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "stepwise_api_request_duration_seconds",
			Help:    "Time to answer API requests, by action.",
			Buckets: prometheus.ExponentialBuckets(0.0001, 4, 10),
		}, []string{"action"}),
		starts: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "stepwise_executions_started_total",
			Help: "Executions started through the API, by state machine.",
		}, []string{"state_machine_arn"}),
		executions: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "stepwise_executions_finished_total",
			Help: "Executions whose end the API saw (StartSyncExecution, StopExecution), by state machine and status.",
		}, []string{"state_machine_arn", "status"}),
	}
	if reg != nil {
		reg.MustRegister(m.requests, m.inFlight, m.latency, m.starts, m.executions)
	}
	return m
}

func (m *metrics) observeRequest(action, code string, status int, d time.Duration) {
	m.requests.WithLabelValues(action, code, strconv.Itoa(status)).Inc()
	m.latency.WithLabelValues(action).Observe(d.Seconds())
}

func (m *metrics) started(stateMachineARN string) {
	m.starts.WithLabelValues(stateMachineARN).Inc()
}

func (m *metrics) finished(stateMachineARN string, status store.ExecutionStatus) {
	m.executions.WithLabelValues(stateMachineARN, string(status)).Inc()
}
