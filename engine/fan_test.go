package engine_test

import (
	"strings"
	"testing"

	"stepwise/asl"
	"stepwise/engine"
	"stepwise/engine/enginetest"
	"stepwise/history"
)

// TestMapItemReaderResultWriterFail checks that a Map with an ItemReader or
// a ResultWriter, which Stepwise does not carry out yet, fails the
// execution with States.Runtime naming the field, even under a Catch,
// instead of iterating over the state's input or dropping its results
// (issue 14, item 14).
func TestMapItemReaderResultWriterFail(t *testing.T) {
	const processor = `"ItemProcessor":{"ProcessorConfig":{"Mode":"DISTRIBUTED","ExecutionType":"STANDARD"},"StartAt":"P","States":{"P":{"Type":"Pass","End":true}}}`
	tests := []struct{ name, field, def string }{
		{"JSONPath ItemReader", "ItemReader", `{"StartAt":"M","States":{"M":{"Type":"Map",
			"ItemReader":{"Resource":"arn:aws:states:::s3:getObject","ReaderConfig":{"InputType":"JSON"},"Parameters":{"Bucket":"b","Key":"k"}},` + processor + `,
			"Catch":[{"ErrorEquals":["States.ALL"],"Next":"S"}],"End":true},"S":{"Type":"Succeed"}}}`},
		{"JSONPath ResultWriter", "ResultWriter", `{"StartAt":"M","States":{"M":{"Type":"Map",
			"ResultWriter":{"Resource":"arn:aws:states:::s3:putObject","Parameters":{"Bucket":"b","Prefix":"p"}},` + processor + `,"End":true}}}`},
		{"JSONata ItemReader", "ItemReader", `{"QueryLanguage":"JSONata","StartAt":"M","States":{"M":{"Type":"Map",
			"ItemReader":{"Resource":"arn:aws:states:::s3:getObject","ReaderConfig":{"InputType":"JSON"},"Arguments":{"Bucket":"b","Key":"k"}},` + processor + `,"End":true}}}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			sm, err := asl.Parse([]byte(tt.def))
			if err != nil {
				t.Fatal(err)
			}
			res, err := enginetest.Run(engine.NewMachine(sm, engine.Options{}), testExecution(`[1,2,3]`), 1, start, answers(nil))
			if err != nil {
				t.Fatal(err)
			}
			st := res.State
			if st.Status != engine.StatusFailed || st.Error != "States.Runtime" || !strings.Contains(st.Cause, "'"+tt.field+"'") {
				t.Fatalf("got %s %s %q, want States.Runtime naming %s", st.Status, st.Error, st.Cause, tt.field)
			}
			for _, e := range res.Events {
				if e.Type == history.MapStateStarted || e.Type == history.MapRunStarted {
					t.Errorf("the Map started (%s)", e.Type)
				}
			}
		})
	}
}
