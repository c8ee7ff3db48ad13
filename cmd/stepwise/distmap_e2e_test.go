package main

import (
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/s3"

	"stepwise/internal/s3test"
)

// distMapWorkflow is a distributed Map over the rows of a CSV object:
// each child adds its row's price to a greeting, one row ("bad") fails
// within the tolerated failures, and the results go to S3 through a
// ResultWriter.
const distMapWorkflow = `{
  "StartAt": "Rows",
  "States": {
    "Rows": {"Type": "Map",
      "ItemReader": {"Resource": "arn:aws:states:::s3:getObject",
        "ReaderConfig": {"InputType": "CSV", "CSVHeaderLocation": "FIRST_ROW"},
        "Parameters": {"Bucket": "in", "Key.$": "$.key"}},
      "ItemSelector": {"row.$": "$$.Map.Item.Value", "index.$": "$$.Map.Item.Index"},
      "ToleratedFailureCount": 1,
      "ItemProcessor": {"ProcessorConfig": {"Mode": "DISTRIBUTED", "ExecutionType": "STANDARD"},
        "StartAt": "Check", "States": {
          "Check": {"Type": "Choice", "Choices": [{"Variable": "$.row.name", "StringEquals": "bad", "Next": "Bad"}], "Default": "Greet"},
          "Bad": {"Type": "Fail", "Error": "Row.Bad", "Cause": "a bad row"},
          "Greet": {"Type": "Pass", "Parameters": {"greeting.$": "States.Format('{} costs {}', $.row.name, $.row.price)"}, "End": true}}},
      "ResultWriter": {"Resource": "arn:aws:states:::s3:putObject", "Parameters": {"Bucket": "out", "Prefix": "runs"}},
      "End": true}
  }
}`

const distMapCSV = "name,price\napple,1\nbad,0\npear,3\n"

// manifest is the part of a ResultWriter's manifest.json the tests read.
type manifest struct {
	DestinationBucket string
	MapRunArn         string
	ResultFiles       map[string][]struct {
		Key  string
		Size float64
	}
}

// checkDistMapRun checks the output of distMapWorkflow and returns the
// manifest's key.
func checkDistMapRun(t *testing.T, code int, out, stderr string) string {
	t.Helper()
	r := decodeRun(t, out)
	if code != exitOK || r.Status != "SUCCEEDED" {
		t.Fatalf("code %d, %+v, stderr %s", code, r, stderr)
	}
	var got struct {
		MapRunArn           string
		ResultWriterDetails struct{ Bucket, Key string }
	}
	remarshal(t, r.Output, &got)
	if !strings.Contains(got.MapRunArn, ":mapRun:") || got.ResultWriterDetails.Bucket != "out" ||
		!strings.HasPrefix(got.ResultWriterDetails.Key, "runs/") || !strings.HasSuffix(got.ResultWriterDetails.Key, "/manifest.json") {
		t.Fatalf("output %+v", got)
	}
	return got.ResultWriterDetails.Key
}

// checkResults checks the manifest and the result files of distMapWorkflow,
// read with get.
func checkResults(t *testing.T, manifestData []byte, get func(key string) []byte) {
	t.Helper()
	var m manifest
	if err := json.Unmarshal(manifestData, &m); err != nil {
		t.Fatalf("manifest %s: %v", manifestData, err)
	}
	if m.DestinationBucket != "out" || !strings.Contains(m.MapRunArn, ":mapRun:") {
		t.Errorf("manifest %+v", m)
	}
	count := func(status string, want int, check func(rec map[string]any)) {
		files := m.ResultFiles[status]
		if len(files) != 1 {
			t.Fatalf("%s files %+v", status, files)
		}
		var recs []map[string]any
		if err := json.Unmarshal(get(files[0].Key), &recs); err != nil {
			t.Fatalf("%s: %v", files[0].Key, err)
		}
		if len(recs) != want {
			t.Fatalf("%s has %d records, want %d: %v", files[0].Key, len(recs), want, recs)
		}
		for _, rec := range recs {
			check(rec)
		}
	}
	count("SUCCEEDED", 2, func(rec map[string]any) {
		out, _ := rec["Output"].(string)
		if !strings.Contains(out, "costs") || rec["Status"] != "SUCCEEDED" {
			t.Errorf("succeeded record %v", rec)
		}
	})
	count("FAILED", 1, func(rec map[string]any) {
		if rec["Error"] != "Row.Bad" || rec["Status"] != "FAILED" {
			t.Errorf("failed record %v", rec)
		}
	})
}

// TestRunDistributedMapLocalBuckets runs a distributed Map with nothing
// else installed (issue 17.4): stepwise run maps local folders as buckets,
// reads the items from a CSV file in one and writes AWS's manifest and
// result files into the other.
func TestRunDistributedMapLocalBuckets(t *testing.T) {
	in, out := t.TempDir(), t.TempDir()
	if err := os.MkdirAll(filepath.Join(in, "data"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(in, "data", "rows.csv"), []byte(distMapCSV), 0o644); err != nil {
		t.Fatal(err)
	}
	def := writeFile(t, "distmap.asl.json", distMapWorkflow)
	code, stdout, stderr := runCLI(t, "run", def, "--input", `{"key":"data/rows.csv"}`, "--bucket", "in="+in, "--bucket", "out="+out)
	key := checkDistMapRun(t, code, stdout, stderr)
	read := func(key string) []byte {
		data, err := os.ReadFile(filepath.Join(out, filepath.FromSlash(key)))
		if err != nil {
			t.Fatal(err)
		}
		return data
	}
	checkResults(t, read(key), read)
}

// TestRunDistributedMapS3 runs the same Map against an S3-compatible
// server running as its own process, and a missing object fails the Map
// with States.ItemReaderFailed, which Catch takes.
func TestRunDistributedMapS3(t *testing.T) {
	endpoint := s3test.Start(t, "in", "out")
	c := s3.New(s3.Options{Region: "us-east-1", BaseEndpoint: aws.String(endpoint), UsePathStyle: true,
		Credentials: credentials.NewStaticCredentialsProvider("AKIDTEST", "sekrit", "")})
	if _, err := c.PutObject(t.Context(), &s3.PutObjectInput{Bucket: aws.String("in"), Key: aws.String("rows.csv"),
		Body: strings.NewReader(distMapCSV)}); err != nil {
		t.Fatal(err)
	}
	def := writeFile(t, "distmap.asl.json", distMapWorkflow)
	code, stdout, stderr := runCLI(t, "run", def, "--input", `{"key":"rows.csv"}`, "--aws-endpoint", "s3="+endpoint)
	key := checkDistMapRun(t, code, stdout, stderr)
	get := func(key string) []byte {
		obj, err := c.GetObject(t.Context(), &s3.GetObjectInput{Bucket: aws.String("out"), Key: aws.String(key)})
		if err != nil {
			t.Fatalf("get %s: %v", key, err)
		}
		defer obj.Body.Close()
		data, err := io.ReadAll(obj.Body)
		if err != nil {
			t.Fatal(err)
		}
		return data
	}
	checkResults(t, get(key), get)

	caught := strings.Replace(distMapWorkflow, `"End": true}
  }`, `"Catch": [{"ErrorEquals": ["States.ItemReaderFailed"], "Next": "Missing"}], "End": true},
    "Missing": {"Type": "Pass", "End": true}
  }`, 1)
	def = writeFile(t, "missing.asl.json", caught)
	code, stdout, stderr = runCLI(t, "run", def, "--input", `{"key":"no/such.csv"}`, "--aws-endpoint", "s3="+endpoint)
	r := decodeRun(t, stdout)
	if code != exitOK || r.Status != "SUCCEEDED" {
		t.Fatalf("missing object: code %d, %+v, stderr %s", code, r, stderr)
	}
	var got struct{ Error, Cause string }
	remarshal(t, r.Output, &got)
	if got.Error != "States.ItemReaderFailed" || got.Cause == "" {
		t.Errorf("missing object: %+v", got)
	}
}
