package api_test

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"stepwise/api"
	"stepwise/service"
	"stepwise/store"
	"stepwise/store/memory"
)

// failingStore fails every claim of work, as a full disk does.
type failingStore struct {
	store.Store
	mu   sync.Mutex
	fail bool
}

func (f *failingStore) ClaimWork(ctx context.Context, c store.Claim) ([]store.WorkItem, error) {
	f.mu.Lock()
	fail := f.fail
	f.mu.Unlock()
	if fail {
		return nil, errors.New("database or disk is full")
	}
	return f.Store.ClaimWork(ctx, c)
}

// TestHealthz checks /healthz: 200 {"status":"ok"} normally, 503 with
// the store's error while it fails, and ok again once it recovers.
func TestHealthz(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		st := &failingStore{Store: memory.New()}
		svc, err := service.Open(service.Config{Store: st})
		if err != nil {
			t.Fatal(err)
		}
		ctx, cancel := context.WithCancel(context.Background())
		var wg sync.WaitGroup
		wg.Go(func() { _ = svc.Run(ctx) })
		defer func() { cancel(); wg.Wait(); svc.Close() }()
		h := api.NewHandler(svc, api.Options{})
		get := func() (int, map[string]string) {
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "http://127.0.0.1:8083/healthz", nil))
			var body map[string]string
			if err := json.Unmarshal(rec.Body.Bytes(), &body); err != nil {
				t.Fatalf("body %q: %v", rec.Body, err)
			}
			return rec.Code, body
		}
		if code, body := get(); code != http.StatusOK || body["status"] != "ok" || len(body) != 1 {
			t.Fatalf("healthy: %d %v", code, body)
		}
		st.mu.Lock()
		st.fail = true
		st.mu.Unlock()
		time.Sleep(10 * time.Second)
		if code, body := get(); code != http.StatusServiceUnavailable || body["status"] != "unavailable" || body["error"] == "" {
			t.Fatalf("failing store: %d %v", code, body)
		}
		st.mu.Lock()
		st.fail = false
		st.mu.Unlock()
		time.Sleep(time.Minute)
		if code, body := get(); code != http.StatusOK {
			t.Fatalf("recovered: %d %v", code, body)
		}
	})
}
