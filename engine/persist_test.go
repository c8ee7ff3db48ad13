package engine_test

import (
	"bytes"
	"testing"

	"stepwise/asl"
	"stepwise/engine"
	"stepwise/engine/enginetest"
	"stepwise/internal/conformance"
)

// TestReloadEveryStep runs every recorded case twice, once straight through
// and once with the State encoded and decoded between all steps, as after a
// crash; the histories must be identical. This is what lets a durable
// service resume an execution exactly where it was.
func TestReloadEveryStep(t *testing.T) {
	for _, suite := range []string{"asl", "asl-tasks"} {
		cases, err := conformance.Load(conformance.SuiteDir(suite))
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range cases {
			t.Run(suite+"/"+c.ID, func(t *testing.T) {
				straight, err := enginetest.RunCase(c)
				if err != nil {
					t.Fatal(err)
				}
				reloaded, err := enginetest.RunCaseWith(c, enginetest.RunReloading)
				if err != nil {
					t.Fatal(err)
				}
				if a, b := historyText(t, straight), historyText(t, reloaded); a != b {
					t.Errorf("histories differ after reloading:\n%s\nvs\n%s", a, b)
				}
			})
		}
	}
}

func historyText(t *testing.T, r enginetest.Result) string {
	t.Helper()
	var b bytes.Buffer
	for _, e := range r.Events {
		j, err := e.MarshalJSON()
		if err != nil {
			t.Fatal(err)
		}
		b.Write(j)
		b.WriteByte('\n')
	}
	b.WriteString(string(r.State.Status) + " " + r.State.Error + " " + r.State.Cause)
	return b.String()
}

func TestLoadStateRejectsGarbage(t *testing.T) {
	sm, err := asl.Parse([]byte(`{"StartAt":"A","States":{"A":{"Type":"Succeed"}}}`))
	if err != nil {
		t.Fatal(err)
	}
	m := engine.NewMachine(sm, engine.Options{})
	for _, data := range []string{``, `{`, `{"v":99}`, `{"v":1,"threads":[{"id":1,"state":"Nope","input":{}}]}`, `{"v":1,"threads":[{"id":1,"owner":"X","state":"A","input":{}}]}`} {
		if _, err := m.LoadState([]byte(data)); err == nil {
			t.Errorf("LoadState(%q) succeeded", data)
		}
	}
}
