package engine_test

import (
	"strings"
	"testing"
	"time"

	"stepwise/asl"
	"stepwise/engine"
	"stepwise/engine/enginetest"
	"stepwise/jsonval"
)

// mapIODefinition is a distributed Map that reads its items with an
// ItemReader, fails item "bad" within its tolerance, and writes its
// results with a ResultWriter.
const mapIODefinition = `{"StartAt":"M","States":{"M":{"Type":"Map",
	"ItemReader":{"Resource":"arn:aws:states:::s3:getObject","ReaderConfig":{"InputType":"JSONL","MaxItemsPath":"$.max"},"Parameters":{"Bucket":"in","Key.$":"$.key"}},
	"ItemSelector":{"v.$":"$$.Map.Item.Value"},
	"ToleratedFailureCount":1,
	"ItemProcessor":{"ProcessorConfig":{"Mode":"DISTRIBUTED","ExecutionType":"STANDARD"},"StartAt":"C","States":{
		"C":{"Type":"Choice","Choices":[{"Variable":"$.v","StringEquals":"bad","Next":"F"}],"Default":"P"},
		"F":{"Type":"Fail","Error":"Bad","Cause":"bad item"},
		"P":{"Type":"Pass","End":true}}},
	"ResultWriter":{"Resource":"arn:aws:states:::s3:putObject","Parameters":{"Bucket":"out","Prefix":"runs"}},
	"ResultPath":"$.written","End":true}}}`

func TestMapItemReaderResultWriter(t *testing.T) {
	sm, err := asl.Parse([]byte(mapIODefinition))
	if err != nil {
		t.Fatal(err)
	}
	var reader, writer *engine.Invocation
	answer := func(inv *engine.Invocation) []engine.Event {
		switch inv.Kind {
		case engine.ResourceItemReader:
			reader = inv
			return []engine.Event{ok(`["a","bad","c"]`)}
		case engine.ResourceResultWriter:
			writer = inv
			return []engine.Event{ok(`{"MapRunArn":"x","ResultWriterDetails":{"Bucket":"out","Key":"runs/x/manifest.json"}}`)}
		}
		t.Errorf("unexpected invocation %s of kind %d", inv.Resource, inv.Kind)
		return nil
	}
	start := time.Date(2026, 12, 3, 0, 0, 0, 0, time.UTC)
	for name, run := range map[string]func(*engine.Machine, engine.Execution, uint64, time.Time, enginetest.Answer) (enginetest.Result, error){
		"run": enginetest.Run, "reloading": enginetest.RunReloading,
	} {
		t.Run(name, func(t *testing.T) {
			reader, writer = nil, nil
			res, err := run(engine.NewMachine(sm, engine.Options{}), testExecution(`{"key":"items.jsonl","max":2}`), 1, start, answer)
			if err != nil {
				t.Fatal(err)
			}
			if res.State.Status != engine.StatusSucceeded {
				t.Fatalf("status %s: %s", res.State.Status, eventTypes(res))
			}
			if reader == nil || reader.Resource != "arn:aws:states:::s3:getObject" {
				t.Fatalf("reader invocation %+v", reader)
			}
			if got, want := jsonText(t, reader.Input), `{"Parameters":{"Bucket":"in","Key":"items.jsonl"},"ReaderConfig":{"InputType":"JSONL","MaxItems":2}}`; got != want {
				t.Errorf("reader input\n got %s\nwant %s", got, want)
			}
			if writer == nil {
				t.Fatal("no writer invocation")
			}
			in := writer.Input.(*jsonval.Object)
			params, _ := in.Get("Parameters")
			if got := jsonText(t, params); got != `{"Bucket":"out","Prefix":"runs"}` {
				t.Errorf("writer parameters %s", got)
			}
			arn, _ := in.Get("MapRunArn")
			if !strings.HasPrefix(arn.(string), "arn:aws:states:us-east-1:123456789012:mapRun:sm/M:") {
				t.Errorf("MapRunArn %v", arn)
			}
			results, _ := in.Get("Results")
			list := results.([]any)
			if len(list) != 3 {
				t.Fatalf("%d results: %s", len(list), jsonText(t, results))
			}
			wantStatus := []string{"SUCCEEDED", "FAILED", "SUCCEEDED"}
			for i, r := range list {
				o := r.(*jsonval.Object)
				status, _ := o.Get("Status")
				input, _ := o.Get("Input")
				execARN, _ := o.Get("ExecutionArn")
				if status != wantStatus[i] {
					t.Errorf("result %d status %v", i, status)
				}
				if !strings.Contains(input.(string), `"v":`) {
					t.Errorf("result %d input %v: want the ItemSelector's output", i, input)
				}
				if !strings.HasPrefix(execARN.(string), "arn:aws:states:us-east-1:123456789012:execution:sm/M:") {
					t.Errorf("result %d ExecutionArn %v", i, execARN)
				}
				if i == 1 {
					if e, _ := o.Get("Error"); e != "Bad" {
						t.Errorf("failed result error %v", e)
					}
				} else if out, _ := o.Get("Output"); out == nil {
					t.Errorf("result %d has no Output", i)
				}
			}
			out := jsonText(t, res.State.Output)
			if !strings.Contains(out, `"written":{"MapRunArn":"x","ResultWriterDetails":{"Bucket":"out","Key":"runs/x/manifest.json"}}`) {
				t.Errorf("output %s", out)
			}
			types := eventTypes(res)
			want := "ExecutionStarted MapStateEntered MapStateStarted MapRunStarted MapRunSucceeded MapStateSucceeded MapStateExited ExecutionSucceeded"
			if types != want {
				t.Errorf("events\n got %s\nwant %s", types, want)
			}
		})
	}
}

// TestMapItemReaderFails checks that a reader's failure fails the Map
// state with the reader's error, which Catch sees.
func TestMapItemReaderFails(t *testing.T) {
	def := strings.Replace(mapIODefinition, `"ResultPath":"$.written","End":true`,
		`"Catch":[{"ErrorEquals":["States.ItemReaderFailed"],"Next":"Caught"}],"End":true},"Caught":{"Type":"Pass","End":true`, 1)
	sm, err := asl.Parse([]byte(def))
	if err != nil {
		t.Fatal(err)
	}
	answer := func(inv *engine.Invocation) []engine.Event {
		return []engine.Event{{Kind: engine.TaskFailed, Error: "States.ItemReaderFailed", Cause: "no such key"}}
	}
	res, err := enginetest.Run(engine.NewMachine(sm, engine.Options{}), testExecution(`{"key":"k","max":5}`), 1, time.Now(), answer)
	if err != nil {
		t.Fatal(err)
	}
	if res.State.Status != engine.StatusSucceeded {
		t.Fatalf("status %s: %s", res.State.Status, eventTypes(res))
	}
	if out := jsonText(t, res.State.Output); !strings.Contains(out, `"Error":"States.ItemReaderFailed","Cause":"no such key"`) {
		t.Errorf("output %s", out)
	}
}

func jsonText(t *testing.T, v any) string {
	t.Helper()
	b, err := jsonval.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func eventTypes(res enginetest.Result) string {
	var types []string
	for _, e := range res.Events {
		types = append(types, string(e.Type))
	}
	return strings.Join(types, " ")
}
