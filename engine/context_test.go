package engine_test

import (
	"strings"
	"testing"
	"time"

	"stepwise/asl"
	"stepwise/engine"
	"stepwise/engine/enginetest"
	"stepwise/internal/conformance"
	"stepwise/jsonval"
)

// TestExpressContextObject checks that an Express execution's context
// object has no Execution.RedriveCount, as on AWS (Express executions
// cannot be redriven), while a Standard one's has it (conformance
// test_context_object test_input_path; issue 14, item 17).
func TestExpressContextObject(t *testing.T) {
	sm, err := asl.Parse([]byte(`{"StartAt":"P","States":{"P":{"Type":"Pass","Parameters":{"e.$":"$$.Execution"},"OutputPath":"$.e","End":true}}}`))
	if err != nil {
		t.Fatal(err)
	}
	m := engine.NewMachine(sm, engine.Options{})
	for _, express := range []bool{false, true} {
		exec := testExecution(`{}`)
		exec.Express = express
		res, err := enginetest.Run(m, exec, 1, start, answers(nil))
		if err != nil {
			t.Fatal(err)
		}
		obj, ok := res.State.Output.(*jsonval.Object)
		if !ok {
			t.Fatalf("output %v", res.State.Output)
		}
		if _, has := obj.Get("RedriveCount"); has == express {
			t.Errorf("Express %v: context object Execution %s", express, jsonval.MustMarshalString(obj))
		}
		if !obj.Has("Id") || !obj.Has("StartTime") {
			t.Errorf("Express %v: context object Execution lacks members: %s", express, jsonval.MustMarshalString(obj))
		}
	}
}

// TestConformanceExpressCasesRunAsExpress checks that the harness runs
// the cases recorded on Express state machines as Express executions.
func TestConformanceExpressCasesRunAsExpress(t *testing.T) {
	cases, err := conformance.Load(conformance.SuiteDir("asl"))
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, c := range cases {
		if c.Type != conformance.TypeExpress {
			continue
		}
		n++
		res, err := enginetest.RunCase(c)
		if err != nil {
			t.Fatal(err)
		}
		if ex := res.State.Exec; !ex.Express || !strings.Contains(ex.ARN, ":express:") || len(res.Events) != 0 {
			t.Errorf("%s ran as Express=%v, ARN %s, %d history events", c.ID, ex.Express, ex.ARN, len(res.Events))
		}
	}
	if n == 0 {
		t.Fatal("no Express cases")
	}
}

// An Express execution ends TIMED_OUT with States.Timeout after five
// minutes, whatever its TimeoutSeconds; a Standard one waits on.
func TestExpressTimeLimit(t *testing.T) {
	tests := []struct {
		def     string
		express bool
		status  engine.Status
		ended   time.Duration
	}{
		{`{"StartAt":"W","States":{"W":{"Type":"Wait","Seconds":330,"End":true}}}`, true, engine.StatusTimedOut, 300 * time.Second},
		{`{"TimeoutSeconds":3600,"StartAt":"W","States":{"W":{"Type":"Wait","Seconds":330,"End":true}}}`, true, engine.StatusTimedOut, 300 * time.Second},
		{`{"TimeoutSeconds":10,"StartAt":"W","States":{"W":{"Type":"Wait","Seconds":330,"End":true}}}`, true, engine.StatusTimedOut, 10 * time.Second},
		{`{"StartAt":"W","States":{"W":{"Type":"Wait","Seconds":330,"End":true}}}`, false, engine.StatusSucceeded, 330 * time.Second},
	}
	for _, tt := range tests {
		sm, err := asl.Parse([]byte(tt.def))
		if err != nil {
			t.Fatal(err)
		}
		exec := testExecution(`{}`)
		exec.Express = tt.express
		res, err := enginetest.Run(engine.NewMachine(sm, engine.Options{}), exec, 1, start, answers(nil))
		if err != nil {
			t.Fatal(err)
		}
		last := res.Events[len(res.Events)-1]
		if res.State.Status != tt.status || last.Timestamp.Sub(start) != tt.ended {
			t.Errorf("%s express=%v: %s after %v, want %s after %v", tt.def, tt.express, res.State.Status, last.Timestamp.Sub(start), tt.status, tt.ended)
		}
		if tt.status == engine.StatusTimedOut && res.State.Error != "States.Timeout" {
			t.Errorf("%s: error %q, want States.Timeout", tt.def, res.State.Error)
		}
	}
}
