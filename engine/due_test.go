package engine_test

import (
	"testing"
	"time"

	"stepwise/asl"
	"stepwise/engine"
	"stepwise/engine/enginetest"
)

// commandOf returns the id and due time of the last command of kind k in
// out (zero when there is none).
func commandOf(out engine.Output, k engine.CommandKind) (int64, time.Time) {
	var id int64
	var due time.Time
	for _, c := range out.Commands {
		if c.Kind == k {
			id, due = c.ID, c.Due
		}
	}
	return id, due
}

// TestTimersNeverEarly checks that no wait, timeout or back-off AWS accepts
// gives a timer that is already due: lengths beyond what a time.Duration
// holds (about 292 years) or beyond the year 2262 (the end of Unix
// nanoseconds) saturate instead of wrapping around (issue 14, item 8: a
// Wait until 9999-12-31 ended after 4 ms).
func TestTimersNeverEarly(t *testing.T) {
	year9999 := time.Date(9999, 1, 1, 0, 0, 0, 0, time.UTC)
	tests := []struct {
		name  string
		def   string
		input string
		fails int // task failures to feed before looking at the timer
		want  func(due time.Time) bool
	}{
		{
			name: "Timestamp in 9999",
			def:  `{"StartAt":"W","States":{"W":{"Type":"Wait","Timestamp":"9999-12-31T00:00:00Z","End":true}}}`,
			want: func(d time.Time) bool { return d.Equal(time.Date(9999, 12, 31, 0, 0, 0, 0, time.UTC)) },
		},
		{
			name: "TimestampPath in 9999", input: `{"t":"9999-12-31T00:00:00Z"}`,
			def:  `{"StartAt":"W","States":{"W":{"Type":"Wait","TimestampPath":"$.t","End":true}}}`,
			want: func(d time.Time) bool { return d.Year() == 9999 },
		},
		{
			name: "JSONata Timestamp in 9999",
			def:  `{"QueryLanguage":"JSONata","StartAt":"W","States":{"W":{"Type":"Wait","Timestamp":"{% '9999-12-31T00:00:00Z' %}","End":true}}}`,
			want: func(d time.Time) bool { return d.Year() == 9999 },
		},
		{
			name: "SecondsPath 1e12", input: `{"s":1e12}`,
			def:  `{"StartAt":"W","States":{"W":{"Type":"Wait","SecondsPath":"$.s","End":true}}}`,
			want: func(d time.Time) bool { return !d.Before(year9999) },
		},
		{
			name: "SecondsPath beyond int64 seconds of a Duration", input: `{"s":9223372037}`,
			def:  `{"StartAt":"W","States":{"W":{"Type":"Wait","SecondsPath":"$.s","End":true}}}`,
			want: func(d time.Time) bool { return d.Equal(start.Add(9223372036 * time.Second).Add(time.Second)) },
		},
		{
			name: "largest Seconds is exact",
			def:  `{"StartAt":"W","States":{"W":{"Type":"Wait","Seconds":99999999,"End":true}}}`,
			want: func(d time.Time) bool { return d.Equal(start.Add(99999999 * time.Second)) },
		},
		{
			name: "JSONata Seconds 1e12",
			def:  `{"QueryLanguage":"JSONata","StartAt":"W","States":{"W":{"Type":"Wait","Seconds":"{% 1000000000000 %}","End":true}}}`,
			want: func(d time.Time) bool { return !d.Before(year9999) },
		},
		{
			name: "TimeoutSecondsPath 1e12", input: `{"s":1e12}`,
			def:  `{"StartAt":"T","States":{"T":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke","TimeoutSecondsPath":"$.s","End":true}}}`,
			want: func(d time.Time) bool { return !d.Before(year9999) },
		},
		{
			name: "HeartbeatSecondsPath 1e12", input: `{"s":1e12}`,
			def:  `{"StartAt":"T","States":{"T":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke.waitForTaskToken","HeartbeatSecondsPath":"$.s","End":true}}}`,
			want: func(d time.Time) bool { return !d.Before(year9999) },
		},
		{
			name: "retry back-off beyond a Duration", fails: 2,
			def: `{"StartAt":"T","States":{"T":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke",
				"Retry":[{"ErrorEquals":["States.ALL"],"IntervalSeconds":99999999,"BackoffRate":99999999,"MaxAttempts":5}],"End":true}}}`,
			want: func(d time.Time) bool { return !d.Before(year9999) },
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			sm, err := asl.Parse([]byte(tt.def))
			if err != nil {
				t.Fatal(err)
			}
			input := tt.input
			if input == "" {
				input = `{}`
			}
			exec := testExecution(input)
			exec.TokenKey = []byte(enginetest.TestTokenKey)
			m := engine.NewMachine(sm, engine.Options{})
			st, out, err := m.Start(exec, 1, start)
			if err != nil {
				t.Fatal(err)
			}
			now := start
			for i := range tt.fails {
				if i > 0 {
					// Fire the back-off timer, which runs the task again.
					timer, due := commandOf(out, engine.CommandTimer)
					now = due
					if out, err = m.Step(st, engine.Event{Kind: engine.TimerFired, ID: timer, Time: now}); err != nil {
						t.Fatal(err)
					}
				}
				task, _ := commandOf(out, engine.CommandInvoke)
				if out, err = m.Step(st, engine.Event{Kind: engine.TaskFailed, ID: task, Time: now, Error: "X"}); err != nil {
					t.Fatal(err)
				}
			}
			if st.Status != engine.StatusRunning {
				t.Fatalf("execution ended: %s %s %s", st.Status, st.Error, st.Cause)
			}
			_, due := commandOf(out, engine.CommandTimer)
			if due.IsZero() || !due.After(start) || !tt.want(due) {
				t.Errorf("timer due %v (started %v)", due, start)
			}
		})
	}
}

// TestWaitNegativeSecondsPath checks AWS's cause for a SecondsPath that
// selects a negative number (LocalStack's AWS-validated Wait state), which
// differs from the one for a value that is not an integer.
func TestWaitNegativeSecondsPath(t *testing.T) {
	sm, err := asl.Parse([]byte(`{"StartAt":"W","States":{"W":{"Type":"Wait","SecondsPath":"$.s","End":true}}}`))
	if err != nil {
		t.Fatal(err)
	}
	for input, cause := range map[string]string{
		`{"s":-1}`:  "An error occurred while executing the state 'W' (entered at the event id #2). The SecondsPath parameter references a negative value: $.s == -1",
		`{"s":1.5}`: "An error occurred while executing the state 'W' (entered at the event id #2). The SecondsPath parameter cannot be parsed as a long value: $.s == 1.5",
	} {
		res, err := enginetest.Run(engine.NewMachine(sm, engine.Options{}), testExecution(input), 1, start, answers(nil))
		if err != nil {
			t.Fatal(err)
		}
		if st := res.State; st.Status != engine.StatusFailed || st.Error != "States.Runtime" || st.Cause != cause {
			t.Errorf("input %s: got %s %s %q, want States.Runtime %q", input, st.Status, st.Error, st.Cause, cause)
		}
	}
}
