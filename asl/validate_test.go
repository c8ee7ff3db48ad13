package asl_test

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"stepwise/asl"
)

type want struct{ code, loc string }

// TestValidateRules pins the code and location of each rule's diagnostic.
func TestValidateRules(t *testing.T) {
	tests := []struct {
		name string
		def  string
		want []want
	}{
		{"empty", ``, []want{{asl.CodeMissingDescription, ""}}},
		{"not json", `{"StartAt":`, []want{{asl.CodeInvalidJSON, ""}}},
		{"duplicate key", `{"StartAt":"A","StartAt":"A","States":{"A":{"Type":"Succeed"}}}`, []want{{asl.CodeInvalidJSON, ""}}},
		{"not an object", `[]`, []want{{asl.CodeInvalidJSON, ""}}},
		{"missing StartAt and States", `{}`, []want{{asl.CodeSchema, "/"}}},
		{"unknown top field", `{"StartAt":"A","Foo":1,"States":{"A":{"Type":"Succeed"}}}`, []want{{asl.CodeSchema, ""}}},
		{"StartAt missing target", `{"StartAt":"B","States":{"A":{"Type":"Succeed"}}}`,
			[]want{{asl.CodeMissingTransition, "/StartAt"}}},
		{"Next missing target", `{"StartAt":"A","States":{"A":{"Type":"Pass","Next":"B"}}}`,
			[]want{{asl.CodeMissingTransition, "/States/A/Next"}, {asl.CodeMissingEndState, ""}}},
		{"Default missing target", `{"StartAt":"A","States":{"A":{"Type":"Choice","Choices":[{"Variable":"$.x","IsPresent":true,"Next":"B"}],"Default":"C"},"B":{"Type":"Succeed"}}}`,
			[]want{{asl.CodeMissingTransition, "/States/A/Default"}}},
		{"Catch Next missing target", `{"StartAt":"A","States":{"A":{"Type":"Task","Resource":"arn:aws:lambda:us-east-1:123456789012:function:f","End":true,"Catch":[{"ErrorEquals":["States.ALL"],"Next":"Nope"}]}}}`,
			[]want{{asl.CodeMissingTransition, "/States/A/Catch/0/Next"}}},
		{"unreachable", `{"StartAt":"A","States":{"A":{"Type":"Succeed"},"B":{"Type":"Succeed"}}}`,
			[]want{{asl.CodeMissingTransition, "/States/B"}}},
		{"no terminal", `{"StartAt":"A","States":{"A":{"Type":"Pass","Next":"B"},"B":{"Type":"Pass","Next":"A"}}}`,
			[]want{{asl.CodeMissingEndState, ""}}},
		{"Next and End", `{"StartAt":"A","States":{"A":{"Type":"Pass","Next":"B","End":true},"B":{"Type":"Succeed"}}}`,
			[]want{{asl.CodeSchema, "/States/A"}}},
		{"neither Next nor End", `{"StartAt":"A","States":{"A":{"Type":"Pass"}}}`,
			[]want{{asl.CodeSchema, "/States/A"}}},
		{"missing Type", `{"StartAt":"A","States":{"A":{"End":true}}}`, []want{{asl.CodeSchema, "/States/A"}}},
		{"bad Type", `{"StartAt":"A","States":{"A":{"Type":"Sleep","End":true}}}`, []want{{asl.CodeSchema, "/States/A/Type"}}},
		{"unknown field", `{"StartAt":"A","States":{"A":{"Type":"Pass","Reslt":1,"End":true}}}`, []want{{asl.CodeSchema, "/States/A"}}},
		{"field of another type", `{"StartAt":"A","States":{"A":{"Type":"Pass","TimeoutSeconds":5,"End":true}}}`, []want{{asl.CodeSchema, "/States/A"}}},
		{"Retry on Pass", `{"StartAt":"A","States":{"A":{"Type":"Pass","Retry":[],"End":true}}}`, []want{{asl.CodeSchema, "/States/A"}}},
		{"state name too long", `{"StartAt":"` + strings.Repeat("x", 81) + `","States":{"` + strings.Repeat("x", 81) + `":{"Type":"Succeed"}}}`,
			[]want{{asl.CodeInvalidStateName, "/States/" + strings.Repeat("x", 81)}}},
		{"duplicate name across branches", `{"StartAt":"P","States":{"P":{"Type":"Parallel","End":true,"Branches":[
			{"StartAt":"X","States":{"X":{"Type":"Succeed"}}},{"StartAt":"X","States":{"X":{"Type":"Succeed"}}}]}}}`,
			[]want{{asl.CodeDuplicateStateName, "/States/P/Branches/1/States/X"}}},
		{"transition out of a branch", `{"StartAt":"P","States":{"P":{"Type":"Parallel","Next":"Z","Branches":[
			{"StartAt":"X","States":{"X":{"Type":"Pass","Next":"Z"}}}]},"Z":{"Type":"Succeed"}}}`,
			[]want{{asl.CodeMissingTransition, "/States/P/Branches/0/States/X/Next"}, {asl.CodeMissingEndState, "/States/P/Branches/0"}}},
		{"branch missing StartAt", `{"StartAt":"P","States":{"P":{"Type":"Parallel","End":true,"Branches":[{"States":{"X":{"Type":"Succeed"}}}]}}}`,
			[]want{{asl.CodeSchema, "/States/P/Branches/0"}}},
		{"States.ALL not alone", `{"StartAt":"A","States":{"A":{"Type":"Task","Resource":"arn:aws:lambda:us-east-1:123456789012:function:f","End":true,"Retry":[{"ErrorEquals":["States.ALL","X"]}]}}}`,
			[]want{{asl.CodeSchema, "/States/A/Retry/0/ErrorEquals"}}},
		{"States.ALL not last", `{"StartAt":"A","States":{"A":{"Type":"Task","Resource":"arn:aws:lambda:us-east-1:123456789012:function:f","End":true,"Catch":[{"ErrorEquals":["States.ALL"],"Next":"B"},{"ErrorEquals":["X"],"Next":"B"}]},"B":{"Type":"Succeed"}}}`,
			[]want{{asl.CodeSchema, "/States/A/Catch/0/ErrorEquals"}}},
		{"empty ErrorEquals", `{"StartAt":"A","States":{"A":{"Type":"Task","Resource":"arn:aws:lambda:us-east-1:123456789012:function:f","End":true,"Retry":[{"ErrorEquals":[]}]}}}`,
			[]want{{asl.CodeSchema, "/States/A/Retry/0/ErrorEquals"}}},
		{"BackoffRate below 1", `{"StartAt":"A","States":{"A":{"Type":"Task","Resource":"arn:aws:lambda:us-east-1:123456789012:function:f","End":true,"Retry":[{"ErrorEquals":["X"],"BackoffRate":0.5}]}}}`,
			[]want{{asl.CodeSchema, "/States/A/Retry/0/BackoffRate"}}},
		{"bad JitterStrategy", `{"StartAt":"A","States":{"A":{"Type":"Task","Resource":"arn:aws:lambda:us-east-1:123456789012:function:f","End":true,"Retry":[{"ErrorEquals":["X"],"JitterStrategy":"HALF"}]}}}`,
			[]want{{asl.CodeSchema, "/States/A/Retry/0/JitterStrategy"}}},
		{"negative MaxAttempts", `{"StartAt":"A","States":{"A":{"Type":"Task","Resource":"arn:aws:lambda:us-east-1:123456789012:function:f","End":true,"Retry":[{"ErrorEquals":["X"],"MaxAttempts":-1}]}}}`,
			[]want{{asl.CodeSchema, "/States/A/Retry/0/MaxAttempts"}}},
		{"TimeoutSeconds and Path", `{"StartAt":"A","States":{"A":{"Type":"Task","Resource":"arn:aws:lambda:us-east-1:123456789012:function:f","End":true,"TimeoutSeconds":5,"TimeoutSecondsPath":"$.t"}}}`,
			[]want{{asl.CodeSchema, "/States/A"}}},
		{"TimeoutSeconds zero", `{"StartAt":"A","States":{"A":{"Type":"Task","Resource":"arn:aws:lambda:us-east-1:123456789012:function:f","End":true,"TimeoutSeconds":0}}}`,
			[]want{{asl.CodeSchema, "/States/A/TimeoutSeconds"}}},
		{"heartbeat not below timeout", `{"StartAt":"A","States":{"A":{"Type":"Task","Resource":"arn:aws:lambda:us-east-1:123456789012:function:f","End":true,"TimeoutSeconds":5,"HeartbeatSeconds":5}}}`,
			[]want{{asl.CodeSchema, "/States/A/HeartbeatSeconds"}}},
		{"Resource a malformed ARN", `{"StartAt":"A","States":{"A":{"Type":"Task","Resource":"arn:aws:lambda","End":true}}}`,
			[]want{{asl.CodeInvalidResource, "/States/A/Resource"}}},
		{"Lambda ARN with a bad alias", `{"StartAt":"A","States":{"A":{"Type":"Task","Resource":"arn:aws:lambda:us-east-1:123456789012:function:f:$*#","End":true}}}`,
			[]want{{asl.CodeInvalidResource, "/States/A/Resource"}}},
		{"Credentials with a bad path", `{"StartAt":"A","States":{"A":{"Type":"Task","Resource":"arn:aws:lambda:us-east-1:123456789012:function:f","Credentials":{"RoleArn.$":"nope"},"End":true}}}`,
			[]want{{asl.CodeSchema, "/States/A/Credentials/RoleArn.$"}}},
		{"Task without Resource", `{"StartAt":"A","States":{"A":{"Type":"Task","End":true}}}`, []want{{asl.CodeSchema, "/States/A"}}},
		{"Credentials not an object", `{"StartAt":"A","States":{"A":{"Type":"Task","Resource":"arn:aws:lambda:us-east-1:123456789012:function:f","Credentials":"x","End":true}}}`,
			[]want{{asl.CodeSchema, "/States/A/Credentials"}}},
		{"Wait with two durations", `{"StartAt":"A","States":{"A":{"Type":"Wait","Seconds":1,"SecondsPath":"$.s","End":true}}}`, []want{{asl.CodeSchema, "/States/A"}}},
		{"Wait without duration", `{"StartAt":"A","States":{"A":{"Type":"Wait","End":true}}}`, []want{{asl.CodeSchema, "/States/A"}}},
		{"Wait bad timestamp", `{"StartAt":"A","States":{"A":{"Type":"Wait","Timestamp":"tomorrow","End":true}}}`, []want{{asl.CodeSchema, "/States/A/Timestamp"}}},
		{"Wait negative seconds", `{"StartAt":"A","States":{"A":{"Type":"Wait","Seconds":-1,"End":true}}}`, []want{{asl.CodeSchema, "/States/A/Seconds"}}},
		{"Fail Error and ErrorPath", `{"StartAt":"A","States":{"A":{"Type":"Fail","Error":"E","ErrorPath":"$.e"}}}`, []want{{asl.CodeSchema, "/States/A"}}},
		{"Choice without Choices", `{"StartAt":"A","States":{"A":{"Type":"Choice","Default":"B"},"B":{"Type":"Succeed"}}}`, []want{{asl.CodeSchema, "/States/A"}}},
		{"Choice rule without Next", `{"StartAt":"A","States":{"A":{"Type":"Choice","Choices":[{"Variable":"$.x","IsNull":true}],"Default":"B"},"B":{"Type":"Succeed"}}}`,
			[]want{{asl.CodeSchema, "/States/A/Choices/0"}}},
		{"Choice operand type", `{"StartAt":"A","States":{"A":{"Type":"Choice","Choices":[{"Variable":"$.x","NumericEquals":"1","Next":"B"}]},"B":{"Type":"Succeed"}}}`,
			[]want{{asl.CodeSchema, "/States/A/Choices/0/NumericEquals"}}},
		{"Choice two operators", `{"StartAt":"A","States":{"A":{"Type":"Choice","Choices":[{"Variable":"$.x","NumericEquals":1,"IsNull":true,"Next":"B"}]},"B":{"Type":"Succeed"}}}`,
			[]want{{asl.CodeSchema, "/States/A/Choices/0"}}},
		{"Choice nested Next", `{"StartAt":"A","States":{"A":{"Type":"Choice","Choices":[{"Not":{"Variable":"$.x","IsNull":true,"Next":"B"},"Next":"B"}]},"B":{"Type":"Succeed"}}}`,
			[]want{{asl.CodeSchema, "/States/A/Choices/0/Not"}}},
		{"Choice without Variable", `{"StartAt":"A","States":{"A":{"Type":"Choice","Choices":[{"IsNull":true,"Next":"B"}]},"B":{"Type":"Succeed"}}}`,
			[]want{{asl.CodeSchema, "/States/A/Choices/0"}}},
		{"Parallel without Branches", `{"StartAt":"A","States":{"A":{"Type":"Parallel","End":true}}}`, []want{{asl.CodeSchema, "/States/A"}}},
		{"Map without processor", `{"StartAt":"A","States":{"A":{"Type":"Map","End":true}}}`, []want{{asl.CodeSchema, "/States/A"}}},
		{"Map Iterator and ItemProcessor", `{"StartAt":"A","States":{"A":{"Type":"Map","End":true,
			"Iterator":{"StartAt":"X","States":{"X":{"Type":"Succeed"}}},"ItemProcessor":{"StartAt":"Y","States":{"Y":{"Type":"Succeed"}}}}}}`,
			[]want{{asl.CodeSchema, "/States/A"}}},
		{"Map tolerated over 100", `{"StartAt":"A","States":{"A":{"Type":"Map","End":true,"ToleratedFailurePercentage":101,
			"ItemProcessor":{"ProcessorConfig":{"Mode":"DISTRIBUTED","ExecutionType":"STANDARD"},"StartAt":"X","States":{"X":{"Type":"Succeed"}}}}}}`,
			[]want{{asl.CodeSchema, "/States/A/ToleratedFailurePercentage"}}},
		{"Map processor QueryLanguage", `{"StartAt":"A","States":{"A":{"Type":"Map","End":true,
			"ItemProcessor":{"QueryLanguage":"JSONata","StartAt":"X","States":{"X":{"Type":"Succeed"}}}}}}`,
			[]want{{asl.CodeSchema, "/States/A/ItemProcessor"}}},
		{"Map distributed without ExecutionType", `{"StartAt":"A","States":{"A":{"Type":"Map","End":true,
			"ItemProcessor":{"ProcessorConfig":{"Mode":"DISTRIBUTED"},"StartAt":"X","States":{"X":{"Type":"Succeed"}}}}}}`,
			[]want{{asl.CodeSchema, "/States/A/ItemProcessor/ProcessorConfig"}}},
		{"Map bad label", `{"StartAt":"A","States":{"A":{"Type":"Map","End":true,"Label":"a b",
			"ItemProcessor":{"ProcessorConfig":{"Mode":"DISTRIBUTED","ExecutionType":"STANDARD"},"StartAt":"X","States":{"X":{"Type":"Succeed"}}}}}}`,
			[]want{{asl.CodeInvalidLabel, "/States/A/Label"}}},
		{"JSONPath field under JSONata", `{"QueryLanguage":"JSONata","StartAt":"A","States":{"A":{"Type":"Pass","InputPath":"$.x","End":true}}}`,
			[]want{{asl.CodeSchema, "/States/A"}}},
		{"JSONata field under JSONPath", `{"StartAt":"A","States":{"A":{"Type":"Pass","Output":"x","End":true}}}`,
			[]want{{asl.CodeSchema, "/States/A"}}},
		{"JSONPath state in JSONata machine", `{"QueryLanguage":"JSONata","StartAt":"A","States":{"A":{"Type":"Pass","QueryLanguage":"JSONPath","End":true}}}`,
			[]want{{asl.CodeSchema, "/States/A"}}},
		{"bad path", `{"StartAt":"A","States":{"A":{"Type":"Pass","InputPath":"x.y","End":true}}}`, []want{{asl.CodeSchema, "/States/A/InputPath"}}},
		{"ResultPath to a variable", `{"StartAt":"A","States":{"A":{"Type":"Pass","ResultPath":"$var","End":true}}}`, []want{{asl.CodeSchema, "/States/A/ResultPath"}}},
		{"ResultPath to context", `{"StartAt":"A","States":{"A":{"Type":"Pass","ResultPath":"$$.Execution","End":true}}}`, []want{{asl.CodeSchema, "/States/A/ResultPath"}}},
		{"template value not a string", `{"StartAt":"A","States":{"A":{"Type":"Pass","Parameters":{"a":{"b.$":1}},"End":true}}}`,
			[]want{{asl.CodeSchema, "/States/A/Parameters/a/b.$"}}},
		{"template bad intrinsic", `{"StartAt":"A","States":{"A":{"Type":"Pass","Parameters":{"a.$":"States.Nope(1)"},"End":true}}}`,
			[]want{{asl.CodeSchema, "/States/A/Parameters/a.$"}}},
		{"template key clash", `{"StartAt":"A","States":{"A":{"Type":"Pass","Parameters":{"a":1,"a.$":"$.a"},"End":true}}}`,
			[]want{{asl.CodeSchema, "/States/A/Parameters/a.$"}}},
		{"Assign bad variable name", `{"StartAt":"A","States":{"A":{"Type":"Pass","Assign":{"1x":1},"End":true}}}`,
			[]want{{asl.CodeSchema, "/States/A/Assign/1x"}}},
		{"no-dollar warning", `{"StartAt":"A","States":{"A":{"Type":"Pass","Parameters":{"a":"$.x"},"End":true}}}`,
			[]want{{asl.CodeNoDollar, "/States/A/Parameters/a"}}},
		{"static Result warning", `{"StartAt":"A","States":{"A":{"Type":"Pass","Result":{"a.$":"$.x"},"End":true}}}`,
			[]want{{asl.CodePassResultIsStatic, "/States/A/Result"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			diags := asl.Validate([]byte(tt.def))
			for _, w := range tt.want {
				if !hasDiagnostic(diags, w) {
					t.Errorf("missing %s at %q; got:\n%s", w.code, w.loc, list(diags))
				}
			}
		})
	}
}

func hasDiagnostic(diags asl.Diagnostics, w want) bool {
	for _, d := range diags {
		if d.Code == w.code && d.Location == w.loc {
			return true
		}
	}
	return false
}

func list(diags asl.Diagnostics) string {
	var b strings.Builder
	for _, d := range diags {
		fmt.Fprintf(&b, "  %s %s\n", d.Severity, d)
	}
	return b.String()
}

// TestValidateReportsAllProblems checks that validation does not stop at the
// first problem.
func TestValidateReportsAllProblems(t *testing.T) {
	def := `{"StartAt":"A","States":{
		"A":{"Type":"Pass","Reslt":1,"Next":"Nowhere"},
		"B":{"Type":"Wait","End":true},
		"C":{"Type":"Fail","Error":"E","ErrorPath":"$.e"}}}`
	diags := asl.Validate([]byte(def))
	for _, w := range []want{
		{asl.CodeSchema, "/States/A"},
		{asl.CodeMissingTransition, "/States/A/Next"},
		{asl.CodeSchema, "/States/B"},
		{asl.CodeMissingTransition, "/States/B"},
		{asl.CodeSchema, "/States/C"},
	} {
		if !hasDiagnostic(diags, w) {
			t.Errorf("missing %s at %s; got:\n%s", w.code, w.loc, list(diags))
		}
	}
}

func TestValidDefinitionsHaveNoDiagnostics(t *testing.T) {
	defs := []string{
		`{"StartAt":"A","States":{"A":{"Type":"Succeed"}}}`,
		`{"Comment":"c","Version":"1.0","TimeoutSeconds":10,"StartAt":"A","States":{
			"A":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke","Parameters":{"FunctionName":"f","Payload.$":"$"},
				"ResultSelector":{"p.$":"$.Payload"},"ResultPath":"$.r","OutputPath":"$.r","TimeoutSeconds":10,"HeartbeatSeconds":5,
				"Retry":[{"ErrorEquals":["States.Timeout"],"IntervalSeconds":2,"MaxAttempts":0,"BackoffRate":1.5,"MaxDelaySeconds":10,"JitterStrategy":"FULL"},{"ErrorEquals":["States.ALL"]}],
				"Catch":[{"ErrorEquals":["States.ALL"],"ResultPath":"$.err","Next":"F"}],"Next":"C"},
			"C":{"Type":"Choice","Choices":[{"And":[{"Variable":"$.a","StringEquals":"x"},{"Not":{"Variable":"$.b","IsPresent":true}}],"Next":"W"},
				{"Variable":"$.n","NumericLessThanPath":"$.m","Next":"M"}],"Default":"F"},
			"W":{"Type":"Wait","Timestamp":"2024-01-01T00:00:00Z","Next":"P"},
			"P":{"Type":"Parallel","Branches":[{"StartAt":"B1","States":{"B1":{"Type":"Pass","End":true}}}],"End":true},
			"M":{"Type":"Map","ItemsPath":"$.items","MaxConcurrency":2,"ItemProcessor":{"StartAt":"I","States":{"I":{"Type":"Pass","End":true}}},"End":true},
			"F":{"Type":"Fail","Error":"Boom","CausePath":"States.Format('bad {}', $.x)"}}}`,
		`{"QueryLanguage":"JSONata","StartAt":"A","States":{"A":{"Type":"Pass","Output":{"x":"{% $states.input.x %}"},"Assign":{"v":1},"Next":"W"},
			"W":{"Type":"Wait","Seconds":"{% $v %}","Next":"C"},
			"C":{"Type":"Choice","Choices":[{"Condition":"{% $v > 0 %}","Next":"S"}],"Default":"S"},"S":{"Type":"Succeed"}}}`,
		`{"StartAt":"A","States":{"A":{"Type":"Pass","QueryLanguage":"JSONata","Output":"{% 1 %}","End":true}}}`,
	}
	for i, def := range defs {
		if diags := asl.Validate([]byte(def)); len(diags) != 0 {
			t.Errorf("definition %d: unexpected diagnostics:\n%s", i, list(diags))
		}
	}
}

func TestParseModel(t *testing.T) {
	def := `{"StartAt":"T","States":{
		"T":{"Type":"Task","Resource":"arn:aws:lambda:us-east-1:123456789012:function:f","InputPath":null,"ResultPath":null,"Next":"M",
			"Retry":[{"ErrorEquals":["A","B"]}]},
		"M":{"Type":"Map","Iterator":{"StartAt":"I","States":{"I":{"Type":"Succeed"}}},"End":true}}}`
	sm, err := asl.Parse([]byte(def))
	if err != nil {
		t.Fatal(err)
	}
	task := sm.States["T"]
	if task.Type != asl.TypeTask || task.Next != "M" || task.Task.Resource != "arn:aws:lambda:us-east-1:123456789012:function:f" {
		t.Errorf("task parsed wrong: %+v", task)
	}
	if !task.InputPath.Null || !task.ResultPath.Null || task.OutputPath.Set {
		t.Errorf("null paths parsed wrong: in %+v result %+v out %+v", task.InputPath, task.ResultPath, task.OutputPath)
	}
	r := task.Retry[0]
	if r.IntervalSeconds != 1 || r.MaxAttempts != 3 || r.BackoffRate != 2 || r.JitterStrategy != "NONE" {
		t.Errorf("retrier defaults wrong: %+v", r)
	}
	if s, ok := sm.State("I"); !ok || s.Type != asl.TypeSucceed {
		t.Errorf("State(I) = %v %v, want the Map's inner Succeed", s, ok)
	}
	if sm.States["M"].Map.Mode != asl.ModeInline {
		t.Errorf("Map mode = %s, want INLINE", sm.States["M"].Map.Mode)
	}
}

func TestParseErrorMessage(t *testing.T) {
	_, err := asl.Parse([]byte(`{"StartAt":"A","States":{"A":{"Type":"Pass","Next":"B"}}}`))
	var ide *asl.InvalidDefinitionError
	if !errors.As(err, &ide) {
		t.Fatalf("got %v, want *InvalidDefinitionError", err)
	}
	want := "Invalid State Machine Definition: 'MISSING_TRANSITION_TARGET: Missing 'Next' target: B at /States/A/Next, MISSING_END_STATE: Workflow has no terminal state'"
	if err.Error() != want {
		t.Errorf("message:\n got %s\nwant %s", err, want)
	}
}

// TestMapItemReaderResultWriter checks how a distributed Map's ItemReader
// and ResultWriter are validated: valid ones pass with no warning (they
// run), and the settings AWS lists are enforced where they are written.
func TestMapItemReaderResultWriter(t *testing.T) {
	const proc = `"ItemProcessor":{"ProcessorConfig":{"Mode":"DISTRIBUTED","ExecutionType":"STANDARD"},"StartAt":"P","States":{"P":{"Type":"Pass","End":true}}},"End":true`
	tests := []struct {
		name, ql, fields string
		wantLoc          string // "" for a definition with no diagnostic
	}{
		{"reader and writer", "", `"ItemReader":{"Resource":"arn:aws:states:::s3:getObject","ReaderConfig":{"InputType":"JSON","MaxItems":10},"Parameters":{"Bucket":"b","Key.$":"$.key"}},
			"ResultWriter":{"Resource":"arn:aws:states:::s3:putObject","Parameters":{"Bucket":"b","Prefix":"p"},"WriterConfig":{"OutputType":"JSONL","Transformation":"COMPACT"}}`, ""},
		{"writer config alone", "", `"ResultWriter":{"WriterConfig":{"Transformation":"FLATTEN"}}`, ""},
		{"flatten listing", "", `"ItemReader":{"Resource":"arn:aws:states:::s3:listObjectsV2","ReaderConfig":{"Transformation":"LOAD_AND_FLATTEN","InputType":"JSON","ItemsPointer":"/items"},"Parameters":{"Bucket":"b"}}`, ""},
		{"bad reader transformation", "", `"ItemReader":{"Resource":"arn:aws:states:::s3:listObjectsV2","ReaderConfig":{"Transformation":"UNZIP"},"Parameters":{"Bucket":"b"}}`, "/States/M/ItemReader/ReaderConfig/Transformation"},
		{"max items path", "", `"ItemReader":{"Resource":"arn:aws:states:::s3:listObjectsV2","ReaderConfig":{"MaxItemsPath":"$.n"},"Parameters":{"Bucket":"b"}}`, ""},
		{"jsonata", "JSONata", `"ItemReader":{"Resource":"arn:aws:states:::s3:getObject","ReaderConfig":{"InputType":"CSV","CSVHeaderLocation":"FIRST_ROW","MaxItems":"{% $states.input.n %}"},"Arguments":{"Bucket":"b","Key":"{% $states.input.key %}"}}`, ""},
		{"bad input type", "", `"ItemReader":{"Resource":"arn:aws:states:::s3:getObject","ReaderConfig":{"InputType":"XML"},"Parameters":{"Bucket":"b","Key":"k"}}`, "/States/M/ItemReader/ReaderConfig/InputType"},
		{"unknown reader config", "", `"ItemReader":{"Resource":"arn:aws:states:::s3:getObject","ReaderConfig":{"Foo":1},"Parameters":{"Bucket":"b","Key":"k"}}`, "/States/M/ItemReader/ReaderConfig"},
		{"max items twice", "", `"ItemReader":{"Resource":"arn:aws:states:::s3:getObject","ReaderConfig":{"MaxItems":1,"MaxItemsPath":"$.n"},"Parameters":{"Bucket":"b","Key":"k"}}`, "/States/M/ItemReader/ReaderConfig"},
		{"max items path under jsonata", "JSONata", `"ItemReader":{"Resource":"arn:aws:states:::s3:getObject","ReaderConfig":{"MaxItemsPath":"$.n"},"Arguments":{"Bucket":"b","Key":"k"}}`, "/States/M/ItemReader/ReaderConfig/MaxItemsPath"},
		{"reader without resource", "", `"ItemReader":{"Parameters":{"Bucket":"b","Key":"k"}}`, "/States/M/ItemReader"},
		{"bad output type", "", `"ResultWriter":{"Resource":"arn:aws:states:::s3:putObject","Parameters":{"Bucket":"b"},"WriterConfig":{"OutputType":"CSV"}}`, "/States/M/ResultWriter/WriterConfig/OutputType"},
		{"bad transformation", "", `"ResultWriter":{"WriterConfig":{"Transformation":"ZIP"}}`, "/States/M/ResultWriter/WriterConfig/Transformation"},
		{"writer parameters without resource", "", `"ResultWriter":{"Parameters":{"Bucket":"b"}}`, "/States/M/ResultWriter"},
		{"writer arguments under jsonpath", "", `"ResultWriter":{"Resource":"arn:aws:states:::s3:putObject","Arguments":{"Bucket":"b"}}`, "/States/M/ResultWriter"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ql := ""
			if tt.ql != "" {
				ql = `"QueryLanguage":"` + tt.ql + `",`
			}
			def := `{` + ql + `"StartAt":"M","States":{"M":{"Type":"Map",` + tt.fields + `,` + proc + `}}}`
			diags := asl.Validate([]byte(def))
			if tt.wantLoc == "" {
				if len(diags) > 0 {
					t.Fatalf("diagnostics:\n%s", list(diags))
				}
				if _, err := asl.Parse([]byte(def)); err != nil {
					t.Fatalf("Parse: %v", err)
				}
				return
			}
			for _, d := range diags {
				if d.Location == tt.wantLoc && d.Severity == asl.SeverityError {
					return
				}
			}
			t.Errorf("no error at %s; got:\n%s", tt.wantLoc, list(diags))
		})
	}
}
