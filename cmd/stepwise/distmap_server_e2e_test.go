package main

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/sfn"
	"github.com/aws/aws-sdk-go-v2/service/sfn/types"
	"github.com/parquet-go/parquet-go"

	"stepwise/internal/s3test"
)

// distMapRow is a row of the Parquet items the server test reads.
type distMapRow struct {
	N    int64  `parquet:"n"`
	Name string `parquet:"name"`
}

// distMapObjects are the items of TestServeDistributedMapS3, three in
// every format an ItemReader reads.
func distMapObjects(t *testing.T) map[string]string {
	t.Helper()
	var pq bytes.Buffer
	w := parquet.NewGenericWriter[distMapRow](&pq)
	if _, err := w.Write([]distMapRow{{1, "a"}, {2, "b"}, {3, "c"}}); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	var inv bytes.Buffer
	zw := gzip.NewWriter(&inv)
	fmt.Fprint(zw, "\"in\",\"list/1.txt\"\n\"in\",\"list/2.txt\"\n\"in\",\"list/3.txt\"\n")
	zw.Close()
	return map[string]string{
		"items.json":          `[{"n":1,"name":"a"},{"n":2,"name":"b"},{"n":3,"name":"c"}]`,
		"items.jsonl":         "{\"n\":1,\"name\":\"a\"}\n{\"n\":2,\"name\":\"b\"}\n{\"n\":3,\"name\":\"c\"}\n",
		"first.csv":           "n,name\n1,a\n2,b\n3,c\n",
		"given.csv":           "1,a\n2,b\n3,c\n",
		"items.parquet":       pq.String(),
		"inv/manifest.json":   `{"sourceBucket":"in","destinationBucket":"arn:aws:s3:::in","version":"2016-11-30","fileFormat":"CSV","fileSchema":"Bucket, Key","files":[{"key":"inv/data.csv.gz","size":1,"MD5checksum":"x"}]}`,
		"inv/data.csv.gz":     inv.String(),
		"list/1.txt":          "one",
		"list/2.txt":          "two",
		"list/3.txt":          "three",
		"unlisted/4.txt":      "four",
		"unlisted/nothing.md": "",
	}
}

// distMapDef is a distributed Map that reads its items with reader and
// runs processor over each; extra fields go on the Map state.
func distMapDef(reader, processor, extra string) string {
	return `{"StartAt":"M","States":{"M":{"Type":"Map","ItemReader":` + reader + `,` + extra + `
		"ItemProcessor":{"ProcessorConfig":{"Mode":"DISTRIBUTED","ExecutionType":"STANDARD"},"StartAt":"P","States":` + processor + `},
		"End":true}}}`
}

const passThrough = `{"P":{"Type":"Pass","End":true}}`

// TestServeDistributedMapS3 runs distributed Maps through the server over
// items in an S3-compatible server running as its own process (issue 17,
// first "Done when" bullet): every reader format, a listing under a
// prefix, batching, results written with a manifest, and tolerated
// failures passed and exceeded, with the Map Run API answering for each.
func TestServeDistributedMapS3(t *testing.T) {
	endpoint := s3test.Start(t, "in", "out")
	s3c := s3.New(s3.Options{Region: "us-east-1", BaseEndpoint: aws.String(endpoint), UsePathStyle: true,
		Credentials: credentials.NewStaticCredentialsProvider("AKIDTEST", "sekrit", "")})
	for key, body := range distMapObjects(t) {
		if _, err := s3c.PutObject(t.Context(), &s3.PutObjectInput{Bucket: aws.String("in"), Key: aws.String(key), Body: strings.NewReader(body)}); err != nil {
			t.Fatal(err)
		}
	}
	o := serverOptions{listen: "127.0.0.1:0", dataDir: t.TempDir(), store: "sqlite", logFormat: "text", logLevel: "warn"}
	o.invokers.awsEndpoints = endpointFlag{"s3": endpoint}
	url, logs, stop := startServe(t, o)
	defer stop()
	c := sfn.New(sfn.Options{Region: "us-east-1", BaseEndpoint: aws.String(url), RetryMaxAttempts: 1,
		Credentials: credentials.NewStaticCredentialsProvider("k", "s", "")})

	get := func(key string) string {
		return `{"Resource":"arn:aws:states:::s3:getObject","Parameters":{"Bucket":"in","Key":"` + key + `"},"ReaderConfig":`
	}
	failOn2 := `{"P":{"Type":"Choice","Choices":[{"Variable":"$.n","StringEquals":"2","Next":"F"}],"Default":"OK"},
		"F":{"Type":"Fail","Error":"Item.Bad"},"OK":{"Type":"Pass","End":true}}`
	tests := []struct {
		name, def string
		status    types.ExecutionStatus
		check     func(t *testing.T, output string)
		counts    types.MapRunExecutionCounts // of the Map Run
	}{
		{name: "json", def: distMapDef(get("items.json")+`{"InputType":"JSON"}}`, passThrough, ""), status: types.ExecutionStatusSucceeded,
			check: equalJSON(`[{"n":1,"name":"a"},{"n":2,"name":"b"},{"n":3,"name":"c"}]`), counts: types.MapRunExecutionCounts{Succeeded: 3, Total: 3}},
		{name: "jsonl", def: distMapDef(get("items.jsonl")+`{"InputType":"JSONL"}}`, passThrough, ""), status: types.ExecutionStatusSucceeded,
			check: equalJSON(`[{"n":1,"name":"a"},{"n":2,"name":"b"},{"n":3,"name":"c"}]`), counts: types.MapRunExecutionCounts{Succeeded: 3, Total: 3}},
		{name: "csv first row", def: distMapDef(get("first.csv")+`{"InputType":"CSV","CSVHeaderLocation":"FIRST_ROW"}}`, passThrough, ""), status: types.ExecutionStatusSucceeded,
			check: equalJSON(`[{"n":"1","name":"a"},{"n":"2","name":"b"},{"n":"3","name":"c"}]`), counts: types.MapRunExecutionCounts{Succeeded: 3, Total: 3}},
		{name: "csv given headers", def: distMapDef(get("given.csv")+`{"InputType":"CSV","CSVHeaderLocation":"GIVEN","CSVHeaders":["n","name"]}}`, passThrough, ""), status: types.ExecutionStatusSucceeded,
			check: equalJSON(`[{"n":"1","name":"a"},{"n":"2","name":"b"},{"n":"3","name":"c"}]`), counts: types.MapRunExecutionCounts{Succeeded: 3, Total: 3}},
		{name: "parquet", def: distMapDef(get("items.parquet")+`{"InputType":"PARQUET"}}`, passThrough, ""), status: types.ExecutionStatusSucceeded,
			check: equalJSON(`[{"n":1,"name":"a"},{"n":2,"name":"b"},{"n":3,"name":"c"}]`), counts: types.MapRunExecutionCounts{Succeeded: 3, Total: 3}},
		{name: "manifest", def: distMapDef(get("inv/manifest.json")+`{"InputType":"MANIFEST"}}`, passThrough, ""), status: types.ExecutionStatusSucceeded,
			check: equalJSON(`[{"Bucket":"in","Key":"list/1.txt"},{"Bucket":"in","Key":"list/2.txt"},{"Bucket":"in","Key":"list/3.txt"}]`), counts: types.MapRunExecutionCounts{Succeeded: 3, Total: 3}},
		{name: "list under a prefix", def: distMapDef(`{"Resource":"arn:aws:states:::s3:listObjectsV2","Parameters":{"Bucket":"in","Prefix":"list/"}}`,
			`{"P":{"Type":"Pass","Parameters":{"key.$":"$.Key","size.$":"$.Size"},"End":true}}`, ""), status: types.ExecutionStatusSucceeded,
			check: equalJSON(`[{"key":"list/1.txt","size":3},{"key":"list/2.txt","size":3},{"key":"list/3.txt","size":5}]`), counts: types.MapRunExecutionCounts{Succeeded: 3, Total: 3}},
		{name: "batched", def: distMapDef(get("items.jsonl")+`{"InputType":"JSONL"}}`, `{"P":{"Type":"Pass","Parameters":{"count.$":"States.ArrayLength($.Items)"},"End":true}}`,
			`"ItemBatcher":{"MaxItemsPerBatch":2},`), status: types.ExecutionStatusSucceeded,
			check: equalJSON(`[{"count":2},{"count":1}]`), counts: types.MapRunExecutionCounts{Succeeded: 2, Total: 2}},
		{name: "results written", def: distMapDef(get("items.jsonl")+`{"InputType":"JSONL"}}`, passThrough,
			`"ResultWriter":{"Resource":"arn:aws:states:::s3:putObject","Parameters":{"Bucket":"out","Prefix":"runs"}},`), status: types.ExecutionStatusSucceeded,
			check: func(t *testing.T, output string) {
				var got struct{ ResultWriterDetails struct{ Bucket, Key string } }
				if err := json.Unmarshal([]byte(output), &got); err != nil {
					t.Fatal(err)
				}
				obj, err := s3c.GetObject(t.Context(), &s3.GetObjectInput{Bucket: aws.String(got.ResultWriterDetails.Bucket), Key: aws.String(got.ResultWriterDetails.Key)})
				if err != nil {
					t.Fatalf("manifest %+v: %v", got, err)
				}
				defer obj.Body.Close()
				var m manifest
				if err := json.NewDecoder(obj.Body).Decode(&m); err != nil || len(m.ResultFiles["SUCCEEDED"]) != 1 {
					t.Errorf("manifest %+v, %v", m, err)
				}
			}, counts: types.MapRunExecutionCounts{Succeeded: 3, Total: 3, ResultsWritten: 3}},
		{name: "tolerated failure", def: distMapDef(get("first.csv")+`{"InputType":"CSV","CSVHeaderLocation":"FIRST_ROW"}}`, failOn2, `"ToleratedFailureCount":1,`),
			status: types.ExecutionStatusSucceeded, check: equalJSON(`[{"n":"1","name":"a"},null,{"n":"3","name":"c"}]`),
			counts: types.MapRunExecutionCounts{Succeeded: 2, Failed: 1, Total: 3}},
		{name: "tolerance exceeded", def: distMapDef(get("first.csv")+`{"InputType":"CSV","CSVHeaderLocation":"FIRST_ROW"}}`, failOn2, `"ToleratedFailureCount":0,"MaxConcurrency":1,`),
			status: types.ExecutionStatusFailed, counts: types.MapRunExecutionCounts{Succeeded: 1, Failed: 1, Aborted: 1, Total: 3}},
	}
	for i, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			ctx := t.Context()
			sm, err := c.CreateStateMachine(ctx, &sfn.CreateStateMachineInput{Name: aws.String(fmt.Sprintf("dm%d", i)), Definition: aws.String(tc.def),
				RoleArn: aws.String("arn:aws:iam::123456789012:role/r")})
			if err != nil {
				t.Fatal(err)
			}
			ex, err := c.StartExecution(ctx, &sfn.StartExecutionInput{StateMachineArn: sm.StateMachineArn})
			if err != nil {
				t.Fatal(err)
			}
			d := waitExecution(t, c, ex.ExecutionArn)
			if d.Status != tc.status {
				t.Fatalf("status %s (%s: %s), want %s\n%s", d.Status, aws.ToString(d.Error), aws.ToString(d.Cause), tc.status, logs)
			}
			if tc.check != nil {
				tc.check(t, aws.ToString(d.Output))
			}
			runs, err := c.ListMapRuns(ctx, &sfn.ListMapRunsInput{ExecutionArn: ex.ExecutionArn})
			if err != nil || len(runs.MapRuns) != 1 {
				t.Fatalf("ListMapRuns: %+v, %v", runs, err)
			}
			run, err := c.DescribeMapRun(ctx, &sfn.DescribeMapRunInput{MapRunArn: runs.MapRuns[0].MapRunArn})
			if err != nil {
				t.Fatal(err)
			}
			wantStatus := types.MapRunStatusSucceeded
			if tc.status != types.ExecutionStatusSucceeded {
				wantStatus = types.MapRunStatusFailed
			}
			got := *run.ExecutionCounts
			if run.Status != wantStatus || got.Succeeded != tc.counts.Succeeded || got.Failed != tc.counts.Failed ||
				got.Aborted != tc.counts.Aborted || got.Total != tc.counts.Total || got.ResultsWritten != tc.counts.ResultsWritten {
				t.Errorf("Map Run %s, execution counts %+v; want %s, %+v", run.Status, got, wantStatus, tc.counts)
			}
		})
	}
}

// equalJSON checks that an output is want, as JSON.
func equalJSON(want string) func(t *testing.T, output string) {
	return func(t *testing.T, output string) {
		t.Helper()
		var g, w any
		if err := json.Unmarshal([]byte(output), &g); err != nil {
			t.Fatalf("output %s: %v", output, err)
		}
		if err := json.Unmarshal([]byte(want), &w); err != nil {
			t.Fatal(err)
		}
		gb, _ := json.Marshal(g)
		wb, _ := json.Marshal(w)
		if !bytes.Equal(gb, wb) {
			t.Errorf("output\n got %s\nwant %s", gb, wb)
		}
	}
}
