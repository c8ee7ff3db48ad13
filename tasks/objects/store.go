package objects

import (
	"context"
	"errors"
	"fmt"
	"io"
	"time"
)

// Store reads and writes the objects of S3 buckets.
//
// Failures S3 would name are *[Error]s with S3's code (NoSuchKey,
// NoSuchBucket, AccessDenied, InvalidRange, ...); a cancelled ctx returns
// ctx's error. Implementations are safe for concurrent use.
type Store interface {
	// GetObject reads key from offset; length < 0 reads to the end.
	GetObject(ctx context.Context, bucket, key string, offset, length int64) (io.ReadCloser, error)
	// HeadObject returns the object's size and ETag.
	HeadObject(ctx context.Context, bucket, key string) (Info, error)
	// ListObjectsV2 returns one page of a listing, as S3's ListObjectsV2.
	ListObjectsV2(ctx context.Context, q ListQuery) (ListPage, error)
	// PutObject writes body (size bytes) as key.
	PutObject(ctx context.Context, bucket, key string, body io.Reader, size int64) error
}

// Versions is an optional interface of a [Store] whose buckets keep
// object versions (S3 with versioning on; not [Dir]).
type Versions interface {
	// Version returns a view of the Store whose GetObject and HeadObject
	// read version id of a key (S3's VersionId) instead of the current one;
	// its other methods are the Store's.
	Version(id string) Store
}

// Info describes one object, as HeadObject returns it.
type Info struct {
	Size         int64
	ETag         string // quoted, as S3 sends it: "\"9b2cf535f27731c974343645a3985328\""
	LastModified time.Time
}

// ListQuery is the request of one ListObjectsV2 page; its fields are the
// request members of S3's ListObjectsV2.
type ListQuery struct {
	Bucket    string
	Prefix    string
	Delimiter string
	// StartAfter lists keys after this one; ignored when
	// ContinuationToken is set, as S3 does.
	StartAfter string
	// ContinuationToken is a previous page's NextContinuationToken.
	ContinuationToken string
	// MaxKeys bounds the keys and common prefixes of the page: 0 means
	// S3's default, 1000; more than 1000 is 1000, as S3 caps it.
	MaxKeys int
	// FetchOwner asks for each object's Owner.
	FetchOwner bool
	// RequestPayer ("requester") and ExpectedBucketOwner are passed to S3
	// as given; Dir ignores them.
	RequestPayer        string
	ExpectedBucketOwner string
}

// DefaultMaxKeys is the page size of a ListQuery with MaxKeys 0, and the
// most S3 returns in one page.
const DefaultMaxKeys = 1000

// ListPage is one page of a listing.
type ListPage struct {
	Objects               []Object
	CommonPrefixes        []string
	NextContinuationToken string // set when IsTruncated
	IsTruncated           bool
}

// Object is one object of a listing, with the members of S3's Object.
type Object struct {
	Key          string
	LastModified time.Time
	ETag         string // quoted, as S3 sends it
	Size         int64
	StorageClass string // STANDARD, ...
	Owner        *Owner // set only when the query asked for it
}

// Owner is an object's owner.
type Owner struct {
	ID          string
	DisplayName string
}

// The S3 error codes the Stores of this package return.
const (
	CodeNoSuchKey       = "NoSuchKey"
	CodeNoSuchBucket    = "NoSuchBucket"
	CodeAccessDenied    = "AccessDenied"
	CodeInvalidRange    = "InvalidRange"
	CodeInvalidArgument = "InvalidArgument"
	CodeKeyTooLong      = "KeyTooLongError"
	CodeIncompleteBody  = "IncompleteBody"
	CodeInternalError   = "InternalError"
)

// Error is a failure S3 names: its error code, HTTP status and message.
type Error struct {
	Code       string // NoSuchKey, NoSuchBucket, AccessDenied, ...
	StatusCode int    // HTTP status: 404, 403, ...
	Message    string // S3's message: "The specified key does not exist."
	Bucket     string
	Key        string // empty for bucket-level failures
	RequestID  string // S3's x-amz-request-id, when there is one
}

func (e *Error) Error() string {
	where := e.Bucket
	if e.Key != "" {
		where += "/" + e.Key
	}
	return fmt.Sprintf("objects: %s: %s (Status Code: %d, Error Code: %s)", where, e.Message, e.StatusCode, e.Code)
}

// Code returns the S3 error code of err, or "" when err is not an *[Error].
func Code(err error) string {
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	return ""
}

func noSuchKey(bucket, key string) *Error {
	return &Error{Code: CodeNoSuchKey, StatusCode: 404, Message: "The specified key does not exist.", Bucket: bucket, Key: key}
}

func noSuchBucket(bucket string) *Error {
	return &Error{Code: CodeNoSuchBucket, StatusCode: 404, Message: "The specified bucket does not exist", Bucket: bucket}
}
