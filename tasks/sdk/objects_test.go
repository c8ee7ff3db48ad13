package sdk

import (
	"fmt"
	"sync/atomic"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"

	"stepwise/internal/s3test"
	"stepwise/tasks/objects"
	"stepwise/tasks/objects/objectstest"
)

// TestObjectsContract runs objects' contract over the S3 client against a
// real S3-compatible server (gofakes3, its own process).
func TestObjectsContract(t *testing.T) {
	endpoint := s3test.Start(t)
	iv := New(Config{Endpoints: map[string]string{"s3": endpoint}})
	var n atomic.Int32
	objectstest.Run(t, objectstest.Options{DelimiterPaging: "gofakes3 repeats a common prefix on the next page"}, func(t *testing.T) (objects.Store, string) {
		bucket := fmt.Sprintf("contract-%d", n.Add(1))
		if _, err := iv.clients["s3"].(*s3.Client).CreateBucket(t.Context(), &s3.CreateBucketInput{Bucket: aws.String(bucket)}); err != nil {
			t.Fatalf("CreateBucket %s: %v", bucket, err)
		}
		return iv.Objects(), bucket
	})
}

func TestObjectsWithoutEndpoint(t *testing.T) {
	_, err := New(Config{}).Objects().GetObject(t.Context(), "b", "k", 0, -1)
	if err == nil || objects.Code(err) != "" {
		t.Errorf("GetObject with no s3 endpoint: %v, want a configuration error", err)
	}
}
