// Package resultwriter carries out a Distributed Map's ResultWriter: it
// writes the records of a Map Run's child executions to Amazon S3 as AWS
// Step Functions does (a manifest.json and SUCCEEDED_n.json, FAILED_n.json
// and PENDING_n.json result files under Prefix/<MapRunId>/), or, for a
// ResultWriter with only a WriterConfig, returns the transformed results as
// the Map state's output.
//
// [Parse] turns an evaluated ResultWriter (its Resource, its Parameters or
// Arguments after the data flow has evaluated them, and its WriterConfig)
// into a [Config]; [Write] streams the records into result files through a
// [Putter] and returns the Map state's result. Failures to write are task
// errors named States.ResultWriterFailed, which Retry and Catch match.
//
// Memory: a record is encoded once and appended to a temporary file per
// status; a file is uploaded when the next record would take it over
// [Config.MaxFileSize] (5 GiB, AWS's split size, by default), so memory
// holds about one record whatever the number of children, and disk at most
// three result files.
package resultwriter
