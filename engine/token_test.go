package engine_test

import (
	"fmt"
	"strconv"
	"strings"
	"testing"
	"time"

	"stepwise/asl"
	"stepwise/engine"
	"stepwise/engine/enginetest"
	"stepwise/jsonval"
)

const activity = "arn:aws:states:us-east-1:123456789012:activity:approve"

// tokenMachine makes a UUID visible to its tasks, then waits on three
// activities at once: three task tokens issued in one step.
func tokenMachine(t *testing.T) *engine.Machine {
	t.Helper()
	def := `{"StartAt":"U","States":{
	  "U":{"Type":"Pass","Parameters":{"u.$":"States.UUID()"},"Next":"P"},
	  "P":{"Type":"Parallel","End":true,"Branches":[
	    {"StartAt":"A","States":{"A":{"Type":"Task","Resource":"` + activity + `","End":true}}},
	    {"StartAt":"B","States":{"B":{"Type":"Task","Resource":"` + activity + `","End":true}}},
	    {"StartAt":"C","States":{"C":{"Type":"Task","Resource":"` + activity + `","End":true}}}]}}}`
	sm, err := asl.Parse([]byte(def))
	if err != nil {
		t.Fatal(err)
	}
	return engine.NewMachine(sm, engine.Options{})
}

// started starts an execution of m and returns the tokens of the tasks it
// invoked, by state name, and the UUID its tasks see.
func started(t *testing.T, m *engine.Machine, seed uint64, key string) (tokens map[string]string, uuid string) {
	t.Helper()
	exec := testExecution(`{}`)
	exec.TokenKey = []byte(key)
	_, out, err := m.Start(exec, seed, start)
	if err != nil {
		t.Fatal(err)
	}
	tokens = map[string]string{}
	for _, c := range out.Commands {
		if c.Kind != engine.CommandInvoke {
			continue
		}
		tokens[c.Invoke.StateName] = c.Invoke.TaskToken
		u, _ := c.Invoke.Input.(*jsonval.Object).Get("u")
		uuid = u.(string)
	}
	if len(tokens) != 3 || uuid == "" {
		t.Fatalf("tokens %v, uuid %q: want three tasks that see a UUID", tokens, uuid)
	}
	return tokens, uuid
}

// The generator behind UUIDs and jitter (SplitMix64) is invertible: one
// output gives its state and with it every later output. An attacker who
// sees one token, or one UUID, predicts a window of outputs from it; no
// other token of the execution may be in that window.
func TestTaskTokensNotPredictable(t *testing.T) {
	// The attack works on the generator itself: a state recovered from an
	// output predicts the outputs after it.
	if s := uint64(12345); predictTokens(splitmixState(mix(s)))[0] != predictTokens(s)[0] {
		t.Fatal("splitmixState does not invert the generator")
	}
	m := tokenMachine(t)
	tokens, uuid := started(t, m, 42, "0123456789abcdef0123456789abcdef")
	seen := map[string]bool{}
	for name, tok := range tokens {
		if seen[tok] {
			t.Fatalf("token of %s repeats another task's: %s", name, tok)
		}
		seen[tok] = true
	}

	// From one token: its first 16 hex digits as one generator output.
	for name, tok := range tokens {
		x, ok := outputFromHex(tok[:16])
		if !ok {
			continue
		}
		for _, p := range predictTokens(splitmixState(x)) {
			for other, ot := range tokens {
				if other != name && ot == p {
					t.Fatalf("token of %s predicted from the token of %s", other, name)
				}
			}
		}
	}

	// From the UUID: its first 64 bits are one output with the version
	// nibble overwritten; try all 16 originals.
	hexu := strings.ReplaceAll(uuid, "-", "")
	a, err := strconv.ParseUint(hexu[:16], 16, 64)
	if err != nil {
		t.Fatal(err)
	}
	for v := range uint64(16) {
		for _, p := range predictTokens(splitmixState(a&^(0xf<<12) | v<<12)) {
			for name, tok := range tokens {
				if tok == p {
					t.Fatalf("token of %s predicted from the UUID %s", name, uuid)
				}
			}
		}
	}
}

// Tokens depend on the execution's key alone: the random numbers an
// execution sees (its seed) do not change them, and another key does.
func TestTaskTokensIndependentOfSeed(t *testing.T) {
	m := tokenMachine(t)
	key := "0123456789abcdef0123456789abcdef"
	t1, u1 := started(t, m, 1, key)
	t2, u2 := started(t, m, 2, key)
	if u1 == u2 {
		t.Fatalf("seeds 1 and 2 gave the same UUID %s", u1)
	}
	for name := range t1 {
		if t1[name] != t2[name] {
			t.Errorf("token of %s changed with the seed: %s, %s", name, t1[name], t2[name])
		}
	}
	t3, u3 := started(t, m, 1, "another key, another execution..")
	if u3 != u1 {
		t.Errorf("the key changed the UUID: %s, %s", u1, u3)
	}
	for name := range t1 {
		if t1[name] == t3[name] {
			t.Errorf("token of %s is the same under two keys: %s", name, t1[name])
		}
	}
}

// A replay from the committed state gives the same tokens as a run that
// never stopped, including for retries.
func TestTaskTokensSurviveReload(t *testing.T) {
	def := `{"StartAt":"A","States":{"A":{"Type":"Task","Resource":"` + activity + `","End":true,
	  "Retry":[{"ErrorEquals":["E"],"IntervalSeconds":1,"MaxAttempts":3,"JitterStrategy":"FULL"}]}}}`
	sm, err := asl.Parse([]byte(def))
	if err != nil {
		t.Fatal(err)
	}
	m := engine.NewMachine(sm, engine.Options{})
	record := func(run func(*engine.Machine, engine.Execution, uint64, time.Time, enginetest.Answer) (enginetest.Result, error)) []string {
		var got []string
		_, err := run(m, testExecution(`{}`), 7, start, func(inv *engine.Invocation) []engine.Event {
			got = append(got, inv.TaskToken)
			if len(got) < 3 {
				return []engine.Event{fail("E", "again")}
			}
			return []engine.Event{ok(`{}`)}
		})
		if err != nil {
			t.Fatal(err)
		}
		return got
	}
	straight, reloaded := record(enginetest.Run), record(enginetest.RunReloading)
	if fmt.Sprint(straight) != fmt.Sprint(reloaded) {
		t.Fatalf("tokens after reload %v, want %v", reloaded, straight)
	}
	if len(straight) != 3 || straight[0] == straight[1] || straight[1] == straight[2] {
		t.Fatalf("tokens of three attempts %v: want three different tokens", straight)
	}
}

func TestStartRefusesMissingTokenKey(t *testing.T) {
	m := tokenMachine(t)
	for _, key := range []string{"", "short"} {
		exec := testExecution(`{}`)
		exec.TokenKey = []byte(key)
		if _, _, err := m.Start(exec, 1, start); err == nil {
			t.Errorf("Start with a %d-byte token key: no error", len(key))
		}
	}
}

// outputFromHex reads 16 hex digits written least significant first, the
// way a token once spelled a generator output.
func outputFromHex(s string) (uint64, bool) {
	var x uint64
	for i := len(s) - 1; i >= 0; i-- {
		d, err := strconv.ParseUint(s[i:i+1], 16, 8)
		if err != nil {
			return 0, false
		}
		x = x<<4 | d
	}
	return x, true
}

const gamma = 0x9e3779b97f4a7c15

// splitmixState returns the generator state that produced output x.
func splitmixState(x uint64) uint64 {
	x = unxorshift(x, 31)
	x *= inverse(0x94d049bb133111eb)
	x = unxorshift(x, 27)
	x *= inverse(0xbf58476d1ce4e5b9)
	return unxorshift(x, 30)
}

func unxorshift(z uint64, k uint) uint64 {
	x := z
	for range 64/k + 1 {
		x = z ^ x>>k
	}
	return x
}

// inverse returns the multiplicative inverse of odd c modulo 2^64.
func inverse(c uint64) uint64 {
	inv := c
	for range 6 {
		inv *= 2 - c*inv
	}
	return inv
}

// mix is SplitMix64's output function of state s.
func mix(s uint64) uint64 {
	z := s
	z = (z ^ z>>30) * 0xbf58476d1ce4e5b9
	z = (z ^ z>>27) * 0x94d049bb133111eb
	return z ^ z>>31
}

// predictTokens returns every token that four consecutive outputs
// following generator state s, within 64 outputs, would spell.
func predictTokens(s uint64) []string {
	outs := make([]uint64, 64)
	for i := range outs {
		s += gamma
		outs[i] = mix(s)
	}
	var toks []string
	for i := 0; i+4 <= len(outs); i++ {
		var b strings.Builder
		for _, x := range outs[i : i+4] {
			for range 16 {
				b.WriteByte("0123456789abcdef"[x&0xf])
				x >>= 4
			}
		}
		toks = append(toks, b.String())
	}
	return toks
}
