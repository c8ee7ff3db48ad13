// Package itemreader reads the items of a Distributed Map's ItemReader
// from S3 (an [objects.Store]) as a stream: s3:listObjectsV2 (each
// object's description, or with Transformation LOAD_AND_FLATTEN the items
// of each object), and s3:getObject of a JSON array (or the array an
// ItemsPointer names), JSON Lines, CSV, Parquet, an S3 Inventory manifest
// (InputType MANIFEST) or an Athena manifest (ManifestType ATHENA_DATA).
//
// A [Reader] never holds more than one item, one listing page, one
// manifest's list of files and one data file's buffers in memory, and its
// [Cursor] says where it stopped, so that a reader opened again from it
// carries on from there without reading again what it passed where the
// format allows: the byte offset for JSON, JSON Lines and CSV, the row for
// Parquet and gzip-compressed files, the page and position for listings.
//
// What each item is follows the AWS page "ItemReader (Map)": a listed
// object is {"Etag", "Key", "LastModified" (seconds since the epoch),
// "Size", "StorageClass"}; a CSV row (and an S3 Inventory row, keyed by
// the manifest's fileSchema) is an object of string values; CSV headers
// are at most 10 KiB; MaxItems is at most 100,000,000. Where that page is
// silent Stepwise chose, and the choice is Stepwise's, not AWS's: blank
// JSON Lines are passed over; a CSV row with fewer fields than headers
// gives "" for the rest and its extra fields are left out; gzip is read
// wherever an object starts with gzip's magic bytes; one item is at most
// 256 KiB; empty "folder/" objects of a listing hold no items; Parquet
// binary columns are base64 text and timestamps RFC 3339 text.
//
// Failures are *[tasks.Error]s: States.ItemReaderFailed for data and S3
// failures (the cause of an S3 failure carries S3's message, status and
// code), States.Runtime for a configuration Stepwise cannot carry out.
package itemreader
