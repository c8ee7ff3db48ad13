package teststate_test

import (
	"testing"

	"stepwise/teststate"
)

// FuzzTestState checks that any definition, input, variables and context
// give a response or a refusal, never a panic.
func FuzzTestState(f *testing.F) {
	seeds := []struct{ def, input, vars, ctx, mock string }{
		{`{"Type":"Pass","End":true}`, `{}`, ``, ``, ``},
		{`{"Type":"Pass","InputPath":"$.a","Parameters":{"b.$":"$.c"},"ResultPath":"$.d","Next":"N"}`, `{"a":{"c":1}}`, ``, ``, ``},
		{`{"Type":"Choice","Choices":[{"Variable":"$.x","NumericGreaterThan":1,"Next":"A"}],"Default":"B"}`, `{"x":2}`, ``, ``, ``},
		{`{"Type":"Fail","ErrorPath":"$.e","CausePath":"$.c"}`, `{"e":"E","c":"C"}`, ``, ``, ``},
		{`{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke","Retry":[{"ErrorEquals":["States.ALL"]}],"End":true}`, `{}`, ``, ``, `E`},
		{`{"Type":"Task","QueryLanguage":"JSONata","Resource":"arn:aws:states:::lambda:invoke","Output":"{% $states.result %}","End":true}`, `{}`, `{"v":1}`, `{"State":{"RetryCount":1}}`, `{"a":1}`},
		{`{"Type":"Map","ItemsPath":"$.i","End":true,"ItemProcessor":{"StartAt":"P","States":{"P":{"Type":"Pass","End":true}}}}`, `{"i":[1]}`, ``, ``, `[2]`},
		{`{"Type":"Wait","SecondsPath":"$.s","Next":"N"}`, `{"s":-1}`, ``, ``, ``},
	}
	for _, s := range seeds {
		f.Add(s.def, s.input, s.vars, s.ctx, s.mock)
	}
	f.Fuzz(func(t *testing.T, def, input, vars, ctx, mock string) {
		req := teststate.Request{Definition: def, Input: input, Variables: vars, Context: ctx, InspectionLevel: teststate.LevelTrace}
		switch mock {
		case "":
		case "E":
			req.Mock = &teststate.Mock{ErrorOutput: &teststate.MockError{Error: "E"}}
		default:
			req.Mock = &teststate.Mock{Result: mock, HasResult: true, FieldValidationMode: "NONE"}
		}
		ts, err := teststate.Prepare(req, env())
		if err != nil {
			if _, ok := err.(*teststate.Error); !ok {
				t.Fatalf("Prepare error %T %v, want a *teststate.Error", err, err)
			}
			return
		}
		resp, inv := ts.Start()
		if inv != nil {
			resp = ts.Finish(teststate.TaskResult{Output: inv.Input})
		}
		if resp == nil || resp.Status == "" {
			t.Fatalf("no response for %q", def)
		}
	})
}
