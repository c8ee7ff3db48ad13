package mapio

import (
	"context"
	"io"

	"stepwise/tasks/objects"
)

// Buckets is an [objects.Store] that serves some buckets from Local (the
// folders of stepwise run --bucket NAME=DIR) and every other bucket from
// Remote (S3 or an S3-compatible store; nil when there is none, and those
// buckets then do not exist).
type Buckets struct {
	Local  objects.Store
	Names  map[string]bool // the buckets Local serves
	Remote objects.Store
}

var _ objects.Store = (*Buckets)(nil)

func (b *Buckets) store(bucket string) (objects.Store, error) {
	if b.Names[bucket] {
		return b.Local, nil
	}
	if b.Remote == nil {
		return nil, &objects.Error{Code: objects.CodeNoSuchBucket, StatusCode: 404, Bucket: bucket,
			Message: "The specified bucket is not one of the folders given with --bucket, and Stepwise has no S3 endpoint (--aws-endpoint s3=URL or --aws)"}
	}
	return b.Remote, nil
}

// GetObject implements [objects.Store].
func (b *Buckets) GetObject(ctx context.Context, bucket, key string, offset, length int64) (io.ReadCloser, error) {
	s, err := b.store(bucket)
	if err != nil {
		return nil, err
	}
	return s.GetObject(ctx, bucket, key, offset, length)
}

// HeadObject implements [objects.Store].
func (b *Buckets) HeadObject(ctx context.Context, bucket, key string) (objects.Info, error) {
	s, err := b.store(bucket)
	if err != nil {
		return objects.Info{}, err
	}
	return s.HeadObject(ctx, bucket, key)
}

// ListObjectsV2 implements [objects.Store].
func (b *Buckets) ListObjectsV2(ctx context.Context, q objects.ListQuery) (objects.ListPage, error) {
	s, err := b.store(q.Bucket)
	if err != nil {
		return objects.ListPage{}, err
	}
	return s.ListObjectsV2(ctx, q)
}

// PutObject implements [objects.Store].
func (b *Buckets) PutObject(ctx context.Context, bucket, key string, body io.Reader, size int64) error {
	s, err := b.store(bucket)
	if err != nil {
		return err
	}
	return s.PutObject(ctx, bucket, key, body, size)
}
