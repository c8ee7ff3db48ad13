package mapio_test

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"stepwise/jsonval"
	"stepwise/tasks"
	"stepwise/tasks/mapio"
	"stepwise/tasks/objects"
)

// bucket serves a folder holding files as the bucket "in".
func bucket(t *testing.T, files map[string]string) objects.Store {
	t.Helper()
	dir := t.TempDir()
	for name, body := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	d, err := objects.NewDir(map[string]string{"in": dir})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { d.Close() })
	return &mapio.Buckets{Local: d, Names: map[string]bool{"in": true}}
}

func readReq(key string) tasks.Request {
	return tasks.Request{MapIO: tasks.MapItemReader, Resource: "arn:aws:states:::s3:getObject",
		Input: parseMust(`{"Parameters":{"Bucket":"in","Key":"` + key + `"},"ReaderConfig":{"InputType":"JSONL"}}`)}
}

func parseMust(s string) any {
	v, err := jsonval.ParseString(s)
	if err != nil {
		panic(err)
	}
	return v
}

func TestReadItems(t *testing.T) {
	inv := &mapio.Invoker{Store: bucket(t, map[string]string{"a.jsonl": "1\n{\"x\":2}\n\"three\"\n"})}
	out, err := inv.Invoke(t.Context(), readReq("a.jsonl"))
	if err != nil {
		t.Fatal(err)
	}
	if got := jsonval.MustMarshalString(out); got != `[1,{"x":2},"three"]` {
		t.Errorf("items %s", got)
	}
}

// TestReadItemsLimit checks that a reader finding more items than one Map
// holds fails with States.ItemReaderFailed rather than fill memory.
func TestReadItemsLimit(t *testing.T) {
	inv := &mapio.Invoker{Store: bucket(t, map[string]string{"big.jsonl": strings.Repeat("1\n", mapio.MaxItems+1)})}
	_, err := inv.Invoke(t.Context(), readReq("big.jsonl"))
	var te *tasks.Error
	if !errors.As(err, &te) || te.Name != "States.ItemReaderFailed" || !strings.Contains(te.Cause, "MaxItems") {
		t.Fatalf("err %v, want States.ItemReaderFailed pointing at MaxItems", err)
	}
	// MaxItems reads within the limit.
	req := readReq("big.jsonl")
	req.Input = parseMust(`{"Parameters":{"Bucket":"in","Key":"big.jsonl"},"ReaderConfig":{"InputType":"JSONL","MaxItems":5}}`)
	out, err := inv.Invoke(t.Context(), req)
	if err != nil || len(out.([]any)) != 5 {
		t.Fatalf("MaxItems 5: %v %v", out, err)
	}
}

// TestNoS3 checks the cause of a reader or an exporting writer when
// Stepwise has no S3 access, and that a WriterConfig alone needs none.
func TestNoS3(t *testing.T) {
	inv := &mapio.Invoker{}
	_, err := inv.Invoke(t.Context(), readReq("a.jsonl"))
	var te *tasks.Error
	if !errors.As(err, &te) || te.Name != "States.ItemReaderFailed" || !strings.Contains(te.Cause, "--aws-endpoint s3=URL") {
		t.Errorf("reader: %v", err)
	}
	results := `[{"ExecutionArn":"arn:aws:states:us-east-1:1:execution:m/M:a","Name":"a","StateMachineArn":"arn:aws:states:us-east-1:1:stateMachine:m/M","Status":"SUCCEEDED","Input":"1","Output":"{\"v\":1}","StartDate":"2026-12-03T00:00:00.000Z","StopDate":"2026-12-03T00:00:01.000Z"}]`
	write := tasks.Request{MapIO: tasks.MapResultWriter, Resource: "arn:aws:states:::s3:putObject",
		Input: parseMust(`{"Parameters":{"Bucket":"out"},"MapRunArn":"arn:aws:states:us-east-1:1:mapRun:m/M:r","Results":` + results + `}`)}
	if _, err := inv.Invoke(t.Context(), write); !errors.As(err, &te) || te.Name != "States.ResultWriterFailed" {
		t.Errorf("exporting writer: %v", err)
	}
	compact := tasks.Request{MapIO: tasks.MapResultWriter,
		Input: parseMust(`{"WriterConfig":{"OutputType":"JSON","Transformation":"COMPACT"},"MapRunArn":"arn:aws:states:us-east-1:1:mapRun:m/M:r","Results":` + results + `}`)}
	out, err := inv.Invoke(t.Context(), compact)
	if err != nil {
		t.Fatal(err)
	}
	if got := jsonval.MustMarshalString(out); got != `[{"v":1}]` {
		t.Errorf("COMPACT output %s", got)
	}
}
