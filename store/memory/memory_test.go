package memory_test

import (
	"testing"

	"go.uber.org/goleak"

	"stepwise/store"
	"stepwise/store/memory"
	"stepwise/store/storetest"
)

func TestStore(t *testing.T) {
	storetest.Run(t, func(t *testing.T) store.Store {
		s := memory.New()
		t.Cleanup(func() { s.Close() })
		return s
	})
}

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }
