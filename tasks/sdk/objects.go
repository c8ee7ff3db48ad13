package sdk

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/s3/types"
	"github.com/aws/smithy-go"

	"stepwise/tasks/objects"
)

// Objects returns an [objects.Store] over the Invoker's S3 client: the
// endpoint, region and credentials of its Config, path-style for an
// S3-compatible server. S3's failures come back as *[objects.Error]s with
// S3's code, status and message. Without an S3 client (no s3 endpoint and
// not AWS) every call fails with an error saying how to configure one.
func (iv *Invoker) Objects() objects.Store {
	c, _ := iv.clients["s3"].(*s3.Client)
	return s3Objects{c: c}
}

// s3Objects is an objects.Store over an S3 client; a nil client fails.
// version, when set, is the VersionId GetObject and HeadObject read.
type s3Objects struct {
	c       *s3.Client
	version string
}

var (
	_ objects.Store    = s3Objects{}
	_ objects.Versions = s3Objects{}
)

// Version returns the Store reading version id of each key.
func (s s3Objects) Version(id string) objects.Store {
	s.version = id
	return s
}

func (s s3Objects) versionID() *string {
	if s.version == "" {
		return nil
	}
	return aws.String(s.version)
}

var errNoS3 = errors.New("sdk: the s3 service has no endpoint: start Stepwise with --aws-endpoint s3=URL for a compatible server, or --aws to call AWS")

func (s s3Objects) GetObject(ctx context.Context, bucket, key string, offset, length int64) (io.ReadCloser, error) {
	if s.c == nil {
		return nil, errNoS3
	}
	if offset < 0 {
		return nil, &objects.Error{Code: objects.CodeInvalidArgument, StatusCode: 400, Message: "The offset is negative.", Bucket: bucket, Key: key}
	}
	if length == 0 {
		// HTTP has no range of no bytes.
		return io.NopCloser(bytes.NewReader(nil)), nil
	}
	in := &s3.GetObjectInput{Bucket: aws.String(bucket), Key: aws.String(key), VersionId: s.versionID()}
	switch {
	case length > 0:
		in.Range = aws.String(fmt.Sprintf("bytes=%d-%d", offset, offset+length-1))
	case offset > 0:
		in.Range = aws.String(fmt.Sprintf("bytes=%d-", offset))
	}
	out, err := s.c.GetObject(ctx, in)
	if err != nil {
		return nil, objectError(ctx, err, bucket, key, false)
	}
	return out.Body, nil
}

func (s s3Objects) HeadObject(ctx context.Context, bucket, key string) (objects.Info, error) {
	if s.c == nil {
		return objects.Info{}, errNoS3
	}
	out, err := s.c.HeadObject(ctx, &s3.HeadObjectInput{Bucket: aws.String(bucket), Key: aws.String(key), VersionId: s.versionID()})
	if err != nil {
		return objects.Info{}, objectError(ctx, err, bucket, key, true)
	}
	return objects.Info{Size: aws.ToInt64(out.ContentLength), ETag: aws.ToString(out.ETag), LastModified: aws.ToTime(out.LastModified)}, nil
}

func (s s3Objects) ListObjectsV2(ctx context.Context, q objects.ListQuery) (objects.ListPage, error) {
	if s.c == nil {
		return objects.ListPage{}, errNoS3
	}
	in := &s3.ListObjectsV2Input{Bucket: aws.String(q.Bucket)}
	if q.Prefix != "" {
		in.Prefix = aws.String(q.Prefix)
	}
	if q.Delimiter != "" {
		in.Delimiter = aws.String(q.Delimiter)
	}
	if q.StartAfter != "" {
		in.StartAfter = aws.String(q.StartAfter)
	}
	if q.ContinuationToken != "" {
		in.ContinuationToken = aws.String(q.ContinuationToken)
	}
	switch {
	case q.MaxKeys < 0:
		return objects.ListPage{}, &objects.Error{Code: objects.CodeInvalidArgument, StatusCode: 400, Message: "Argument maxKeys must be an integer between 0 and 2147483647", Bucket: q.Bucket}
	case q.MaxKeys > objects.DefaultMaxKeys:
		in.MaxKeys = aws.Int32(objects.DefaultMaxKeys)
	case q.MaxKeys > 0:
		in.MaxKeys = aws.Int32(int32(q.MaxKeys))
	}
	if q.FetchOwner {
		in.FetchOwner = aws.Bool(true)
	}
	if q.RequestPayer != "" {
		in.RequestPayer = types.RequestPayer(q.RequestPayer)
	}
	if q.ExpectedBucketOwner != "" {
		in.ExpectedBucketOwner = aws.String(q.ExpectedBucketOwner)
	}
	out, err := s.c.ListObjectsV2(ctx, in)
	if err != nil {
		return objects.ListPage{}, objectError(ctx, err, q.Bucket, "", false)
	}
	page := objects.ListPage{IsTruncated: aws.ToBool(out.IsTruncated), NextContinuationToken: aws.ToString(out.NextContinuationToken)}
	for _, o := range out.Contents {
		obj := objects.Object{Key: aws.ToString(o.Key), LastModified: aws.ToTime(o.LastModified), ETag: aws.ToString(o.ETag),
			Size: aws.ToInt64(o.Size), StorageClass: string(o.StorageClass)}
		if obj.StorageClass == "" {
			// S3 always sends it; compatible servers (gofakes3) may
			// leave S3's default out.
			obj.StorageClass = string(types.ObjectStorageClassStandard)
		}
		if q.FetchOwner && o.Owner != nil {
			obj.Owner = &objects.Owner{ID: aws.ToString(o.Owner.ID), DisplayName: aws.ToString(o.Owner.DisplayName)}
		}
		page.Objects = append(page.Objects, obj)
	}
	for _, p := range out.CommonPrefixes {
		page.CommonPrefixes = append(page.CommonPrefixes, aws.ToString(p.Prefix))
	}
	return page, nil
}

// PutObject writes body as key. A body that cannot seek is read into
// memory first (size bytes at most), since the SDK signs the payload's
// hash over plain HTTP.
func (s s3Objects) PutObject(ctx context.Context, bucket, key string, body io.Reader, size int64) error {
	if s.c == nil {
		return errNoS3
	}
	if size < 0 {
		return &objects.Error{Code: objects.CodeInvalidArgument, StatusCode: 400, Message: "The size is negative.", Bucket: bucket, Key: key}
	}
	rs, ok := body.(io.ReadSeeker)
	if !ok {
		b, err := io.ReadAll(io.LimitReader(body, size+1))
		if err != nil {
			return fmt.Errorf("sdk: read the body of %s/%s: %w", bucket, key, err)
		}
		rs = bytes.NewReader(b)
		if int64(len(b)) != size {
			return &objects.Error{Code: objects.CodeIncompleteBody, StatusCode: 400, Message: "You did not provide the number of bytes specified by the Content-Length HTTP header", Bucket: bucket, Key: key}
		}
	}
	_, err := s.c.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String(bucket), Key: aws.String(key), Body: rs, ContentLength: aws.Int64(size)})
	if err != nil {
		return objectError(ctx, err, bucket, key, false)
	}
	return nil
}

// objectError maps an S3 client's failure to an *objects.Error; a
// request that got no answer, or a cancelled ctx, stays as it is.
func objectError(ctx context.Context, err error, bucket, key string, head bool) error {
	if ctx.Err() != nil {
		return ctx.Err()
	}
	var api smithy.APIError
	if !errors.As(err, &api) {
		return fmt.Errorf("sdk: s3 %s/%s: %w", bucket, key, err)
	}
	e := &objects.Error{Code: api.ErrorCode(), Message: api.ErrorMessage(), Bucket: bucket, Key: key}
	var re *awshttp.ResponseError
	if errors.As(err, &re) {
		e.StatusCode, e.RequestID = re.HTTPStatusCode(), re.ServiceRequestID()
	}
	if head && e.Code == "NotFound" {
		// A HEAD answer has no body to name what is missing; the key is
		// the likelier (a missing bucket fails a GET the same way).
		e.Code = objects.CodeNoSuchKey
	}
	if i := strings.LastIndexByte(e.Code, '#'); i >= 0 {
		e.Code = e.Code[i+1:]
	}
	if e.Message == "" {
		e.Message = s3Messages[e.Code]
	}
	if e.Message == "" {
		e.Message = e.Code
	}
	return e
}
