// Package objects is the S3 object access a Distributed Map's item readers
// and result writers need: one [Store] interface, the [Error] type that
// carries S3's error code, status and message, and [Dir], a Store over
// local folders mapped as buckets (stepwise run --bucket NAME=DIR). The
// Store backed by an S3 client is tasks/sdk's (Invoker.Objects).
//
// objectstest holds the contract every Store passes.
package objects
