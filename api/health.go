package api

import (
	"encoding/json"
	"net/http"
)

// healthBody is what /healthz answers: {"status":"ok"}, or while the
// store is failing {"status":"unavailable","error":"..."} with 503, so
// that a load balancer or orchestrator stops sending work to a node whose
// disk is full.
type healthBody struct {
	Status string `json:"status"`
	Error  string `json:"error,omitempty"`
}

// serveHealth answers /healthz from [service.Service.Health]. It needs no
// authentication: it names no resource.
func (h *Handler) serveHealth(w http.ResponseWriter, _ *http.Request) {
	body, status := healthBody{Status: "ok"}, http.StatusOK
	if err := h.svc.Health(); err != nil {
		body, status = healthBody{Status: "unavailable", Error: err.Error()}, http.StatusServiceUnavailable
	}
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(body)
}
