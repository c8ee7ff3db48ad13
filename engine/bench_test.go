package engine_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"stepwise/asl"
	"stepwise/engine"
	"stepwise/engine/enginetest"
	"stepwise/jsonval"
)

// passChain is a chain of n Pass states, each with Parameters and
// ResultPath, as in issue #4's benchmark (a).
func passChain(n int) string {
	var b strings.Builder
	b.WriteString(`{"StartAt":"S0","States":{`)
	for i := range n {
		if i > 0 {
			b.WriteString(",")
		}
		fmt.Fprintf(&b, `"S%d":{"Type":"Pass","Parameters":{"step":%d,"value.$":"$.value"},"ResultPath":"$.last"`, i, i)
		if i == n-1 {
			b.WriteString(`,"End":true}`)
		} else {
			fmt.Fprintf(&b, `,"Next":"S%d"}`, i+1)
		}
	}
	b.WriteString(`}}`)
	return b.String()
}

const mapOfPass = `{"StartAt":"M","States":{"M":{"Type":"Map","ItemsPath":"$.items","MaxConcurrency":0,
	"ItemProcessor":{"StartAt":"P","States":{"P":{"Type":"Pass","Parameters":{"v.$":"$"},"End":true}}},"End":true}}}`

// choiceLoop counts $.i up to $.n with a Choice and an intrinsic.
const choiceLoop = `{"StartAt":"Check","States":{
	"Check":{"Type":"Choice","Choices":[{"Variable":"$.i","NumericGreaterThanEqualsPath":"$.n","Next":"Done"}],"Default":"Inc"},
	"Inc":{"Type":"Pass","Parameters":{"i.$":"States.MathAdd($.i, 1)","n.$":"$.n"},"Next":"Check"},
	"Done":{"Type":"Succeed"}}}`

func benchMachine(b *testing.B, def string, opts engine.Options) *engine.Machine {
	b.Helper()
	sm, err := asl.Parse([]byte(def))
	if err != nil {
		b.Fatal(err)
	}
	return engine.NewMachine(sm, opts)
}

func benchRun(b *testing.B, m *engine.Machine, input string, transitions int) {
	in, err := jsonval.ParseString(input)
	if err != nil {
		b.Fatal(err)
	}
	exec := engine.Execution{ARN: "arn:aws:states:us-east-1:123456789012:execution:bench:1", Input: in, TokenKey: []byte(enginetest.TestTokenKey)}
	now := time.Unix(1700000000, 0)
	b.ReportAllocs()
	for b.Loop() {
		st, _, err := m.Start(exec, 1, now)
		if err != nil || st.Status != engine.StatusSucceeded {
			b.Fatalf("status %v err %v: %s %s", st.Status, err, st.Error, st.Cause)
		}
	}
	b.ReportMetric(float64(transitions)*float64(b.N)/b.Elapsed().Seconds(), "transitions/s")
}

func BenchmarkPassChain100(b *testing.B) {
	for _, history := range []bool{false, true} {
		b.Run(fmt.Sprintf("history=%v", history), func(b *testing.B) {
			m := benchMachine(b, passChain(100), engine.Options{NoHistory: !history})
			benchRun(b, m, `{"value":{"id":"order-1","amount":42}}`, 100)
		})
	}
}

func BenchmarkMap1000(b *testing.B) {
	items := make([]string, 1000)
	for i := range items {
		items[i] = fmt.Sprint(i)
	}
	input := `{"items":[` + strings.Join(items, ",") + `]}`
	for _, history := range []bool{false, true} {
		b.Run(fmt.Sprintf("history=%v", history), func(b *testing.B) {
			m := benchMachine(b, mapOfPass, engine.Options{NoHistory: !history})
			benchRun(b, m, input, 1001)
		})
	}
}

func BenchmarkChoiceLoop(b *testing.B) {
	for _, history := range []bool{false, true} {
		b.Run(fmt.Sprintf("history=%v", history), func(b *testing.B) {
			m := benchMachine(b, choiceLoop, engine.Options{NoHistory: !history, MaxEvents: 1 << 30})
			benchRun(b, m, `{"i":0,"n":500}`, 1001)
		})
	}
}
