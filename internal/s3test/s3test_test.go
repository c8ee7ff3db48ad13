package s3test

import (
	"errors"
	"io"
	"slices"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/s3/types"
	"github.com/aws/smithy-go"
	"go.uber.org/goleak"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

func newClient(endpoint string) *s3.Client {
	return s3.New(s3.Options{
		Region:       "us-east-1",
		BaseEndpoint: aws.String(endpoint),
		UsePathStyle: true,
		Credentials:  credentials.NewStaticCredentialsProvider("AKIDTEST", "sekrit", ""),
	})
}

// TestServerSpeaksS3 drives the server, started as its own process, with
// the AWS SDK's S3 client: the calls a workflow's aws-sdk:s3 Tasks make.
func TestServerSpeaksS3(t *testing.T) {
	endpoint := Start(t, "bucket-a", "bucket-b")
	c := newClient(endpoint)
	ctx := t.Context()

	for _, key := range []string{"dir/one.txt", "dir/two.txt", "top.txt"} {
		if _, err := c.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String("bucket-a"), Key: aws.String(key),
			Body: strings.NewReader("body of " + key)}); err != nil {
			t.Fatalf("PutObject %s: %v", key, err)
		}
	}

	got, err := c.GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String("bucket-a"), Key: aws.String("dir/two.txt")})
	if err != nil {
		t.Fatalf("GetObject: %v", err)
	}
	body, err := io.ReadAll(got.Body)
	got.Body.Close()
	if err != nil || string(body) != "body of dir/two.txt" {
		t.Errorf("GetObject body = %q, %v", body, err)
	}

	list, err := c.ListObjectsV2(ctx, &s3.ListObjectsV2Input{Bucket: aws.String("bucket-a"), Prefix: aws.String("dir/")})
	if err != nil {
		t.Fatalf("ListObjectsV2: %v", err)
	}
	var keys []string
	for _, o := range list.Contents {
		keys = append(keys, aws.ToString(o.Key))
	}
	if want := []string{"dir/one.txt", "dir/two.txt"}; !slices.Equal(keys, want) {
		t.Errorf("ListObjectsV2 keys = %q, want %q", keys, want)
	}

	// Buckets are separate: the same key is missing from the other one.
	_, err = c.GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String("bucket-b"), Key: aws.String("top.txt")})
	var nsk *types.NoSuchKey
	if !errors.As(err, &nsk) {
		t.Errorf("GetObject of a missing key: %v, want NoSuchKey", err)
	}

	_, err = c.GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String("no-such-bucket"), Key: aws.String("k")})
	// GetObject does not model NoSuchBucket; the SDK gives its code.
	var ae smithy.APIError
	if !errors.As(err, &ae) || ae.ErrorCode() != "NoSuchBucket" {
		t.Errorf("GetObject from a missing bucket: %v, want NoSuchBucket", err)
	}
}

// TestServersAreSeparate checks that each Start gets its own process and
// its own objects, so tests cannot see each other's data.
func TestServersAreSeparate(t *testing.T) {
	a, b := Start(t, "shared"), Start(t, "shared")
	if a == b {
		t.Fatalf("two servers at one endpoint %s", a)
	}
	ctx := t.Context()
	if _, err := newClient(a).PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String("shared"), Key: aws.String("k"),
		Body: strings.NewReader("v")}); err != nil {
		t.Fatal(err)
	}
	_, err := newClient(b).GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String("shared"), Key: aws.String("k")})
	var nsk *types.NoSuchKey
	if !errors.As(err, &nsk) {
		t.Errorf("the second server has the first one's object: %v", err)
	}
}
