package resultwriter_test

import (
	"context"
	"fmt"
	"io"
	"time"

	"stepwise/jsonval"
	"stepwise/tasks/resultwriter"
)

// printPutter prints what it is asked to store.
type printPutter struct{}

func (printPutter) PutObject(_ context.Context, bucket, key string, body io.Reader, size int64) error {
	b, err := io.ReadAll(body)
	fmt.Printf("s3://%s/%s (%d bytes): %s\n", bucket, key, size, b)
	return err
}

// ExampleWrite writes a Map Run of two children, one failed, with COMPACT
// and JSONL: the succeeded child's output alone, the failed child's whole
// record, then the manifest; the Map state's output points at it.
func ExampleWrite() {
	params, _ := jsonval.ParseString(`{"Bucket":"amzn-s3-demo-destination-bucket","Prefix":"csvProcessJobs"}`)
	writerConfig, _ := jsonval.ParseString(`{"OutputType":"JSONL","Transformation":"COMPACT"}`)
	cfg, err := resultwriter.Parse(resultwriter.ResourcePutObject, params, writerConfig)
	if err != nil {
		fmt.Println(err)
		return
	}
	at := time.Date(2025, 2, 4, 1, 49, 50, 99e6, time.UTC)
	records := func(yield func(resultwriter.Record, error) bool) {
		_ = yield(resultwriter.Record{Index: 0, Name: "c0", Status: resultwriter.StatusSucceeded, Input: `{"n":1}`, Output: `{"n":2}`, Start: at, Stop: at}, nil) &&
			yield(resultwriter.Record{Index: 1, Name: "c1", Status: resultwriter.StatusFailed, Input: `{"n":0}`, Error: "Oops", Cause: "zero", Start: at, Stop: at}, nil)
	}
	out, err := resultwriter.Write(context.Background(), printPutter{}, cfg,
		"arn:aws:states:us-east-2:123456789012:mapRun:csvProcess/Map:ad9b5f27-090b-3ac6-9beb-243cd77144a7", records)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(jsonval.MustMarshalString(out))
	// Output:
	// s3://amzn-s3-demo-destination-bucket/csvProcessJobs/ad9b5f27-090b-3ac6-9beb-243cd77144a7/FAILED_0.json (283 bytes): {"Cause":"zero","Error":"Oops","Input":"{\"n\":0}","InputDetails":{"Included":true},"Name":"c1","OutputDetails":{"Included":true},"RedriveCount":0,"RedriveStatus":"REDRIVABLE_BY_MAP_RUN","StartDate":"2025-02-04T01:49:50.099Z","Status":"FAILED","StopDate":"2025-02-04T01:49:50.099Z"}
	//
	// s3://amzn-s3-demo-destination-bucket/csvProcessJobs/ad9b5f27-090b-3ac6-9beb-243cd77144a7/SUCCEEDED_0.json (8 bytes): {"n":2}
	//
	// s3://amzn-s3-demo-destination-bucket/csvProcessJobs/ad9b5f27-090b-3ac6-9beb-243cd77144a7/manifest.json (395 bytes): {"DestinationBucket":"amzn-s3-demo-destination-bucket","MapRunArn":"arn:aws:states:us-east-2:123456789012:mapRun:csvProcess/Map:ad9b5f27-090b-3ac6-9beb-243cd77144a7","ResultFiles":{"FAILED":[{"Key":"csvProcessJobs/ad9b5f27-090b-3ac6-9beb-243cd77144a7/FAILED_0.json","Size":283}],"PENDING":[],"SUCCEEDED":[{"Key":"csvProcessJobs/ad9b5f27-090b-3ac6-9beb-243cd77144a7/SUCCEEDED_0.json","Size":8}]}}
	// {"MapRunArn":"arn:aws:states:us-east-2:123456789012:mapRun:csvProcess/Map:ad9b5f27-090b-3ac6-9beb-243cd77144a7","ResultWriterDetails":{"Bucket":"amzn-s3-demo-destination-bucket","Key":"csvProcessJobs/ad9b5f27-090b-3ac6-9beb-243cd77144a7/manifest.json"}}
}
