package sdk

import (
	"fmt"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/s3/types"

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

// TestObjectsVersion reads an older version of an object through
// objects.Versions, against gofakes3 with versioning on.
func TestObjectsVersion(t *testing.T) {
	endpoint := s3test.Start(t, "versioned")
	iv := New(Config{Endpoints: map[string]string{"s3": endpoint}})
	c := iv.clients["s3"].(*s3.Client)
	ctx := t.Context()
	if _, err := c.PutBucketVersioning(ctx, &s3.PutBucketVersioningInput{Bucket: aws.String("versioned"),
		VersioningConfiguration: &types.VersioningConfiguration{Status: types.BucketVersioningStatusEnabled}}); err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, body := range []string{"first", "second!"} {
		out, err := c.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String("versioned"), Key: aws.String("k"), Body: strings.NewReader(body)})
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, aws.ToString(out.VersionId))
	}
	if ids[0] == "" || ids[0] == ids[1] {
		t.Fatalf("versions %q", ids)
	}
	store := iv.Objects()
	vs, ok := store.(objects.Versions)
	if !ok {
		t.Fatal("the S3 store does not read versions")
	}
	if got := objectstest.Get(t, vs.Version(ids[0]), "versioned", "k", 0, -1); got != "first" {
		t.Errorf("version 1 reads %q", got)
	}
	if got := objectstest.Get(t, store, "versioned", "k", 0, -1); got != "second!" {
		t.Errorf("current version reads %q", got)
	}
	// HeadObject of a version is not checked: gofakes3 v1.2.0 answers a
	// HEAD with the current version whatever its versionId (headObject in
	// gofakes3.go ignores it).
	_, err := vs.Version("no-such-version").GetObject(ctx, "versioned", "k", 0, -1)
	if code := objects.Code(err); code != "NoSuchVersion" && code != objects.CodeInvalidArgument {
		t.Errorf("missing version: %v, want NoSuchVersion", err)
	}
}
