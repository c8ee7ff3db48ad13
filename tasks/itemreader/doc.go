// Package itemreader reads the items of a Distributed Map's ItemReader
// from S3 (an [objects.Store]) as a stream: s3:listObjectsV2 (each
// object's description, or with Transformation LOAD_AND_FLATTEN the items
// of each object), and s3:getObject of a JSON array, JSON Lines, CSV,
// Parquet, an S3 Inventory manifest (InputType MANIFEST) or an Athena
// manifest (ManifestType ATHENA_DATA).
//
// A [Reader] never holds more than one item, one listing page, one
// manifest's list of files and one data file's buffers in memory, and its
// [Cursor] says where it stopped, so that a reader opened again from it
// carries on from there without reading again what it passed where the
// format allows: the byte offset for JSON, JSON Lines and CSV, the row for
// Parquet and gzip-compressed CSV, the page and position for listings.
//
// Failures are *[tasks.Error]s named as AWS names them:
// States.ItemReaderFailed for data and S3 failures, States.Runtime for a
// configuration Stepwise cannot carry out.
package itemreader
