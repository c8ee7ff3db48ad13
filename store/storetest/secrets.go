package storetest

import (
	"bytes"
	"errors"
	"sync"
	"testing"

	"stepwise/store"
)

// testServerSecret checks that a secret is created once, at full length,
// that callers racing on a new name all get the same bytes, and that
// different names get different secrets.
func testServerSecret(t *testing.T, s store.Store) {
	ctx := t.Context()
	const racers = 8
	got := make([][]byte, racers)
	errs := make([]error, racers)
	var wg sync.WaitGroup
	for i := range racers {
		wg.Go(func() { got[i], errs[i] = s.ServerSecret(ctx, "pagination") })
	}
	wg.Wait()
	for i := range racers {
		if errs[i] != nil {
			t.Fatalf("ServerSecret racer %d: %v", i, errs[i])
		}
		if len(got[i]) != store.SecretSize {
			t.Fatalf("ServerSecret racer %d: %d bytes, want %d", i, len(got[i]), store.SecretSize)
		}
		if !bytes.Equal(got[i], got[0]) {
			t.Fatalf("ServerSecret racer %d got other bytes than racer 0: two secrets were created", i)
		}
	}
	if bytes.Equal(got[0], make([]byte, store.SecretSize)) {
		t.Fatal("ServerSecret returned zero bytes")
	}
	got[0][0] ^= 0xff // the caller owns the slice: changing it must not change the secret
	again, err := s.ServerSecret(ctx, "pagination")
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(again, got[1]) {
		t.Fatal("ServerSecret changed between calls")
	}
	other, err := s.ServerSecret(ctx, "other")
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Equal(other, again) {
		t.Fatal("two names share one secret")
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := s.ServerSecret(ctx, "pagination"); !errors.Is(err, store.ErrClosed) {
		t.Fatalf("ServerSecret after Close: %v, want ErrClosed", err)
	}
}
