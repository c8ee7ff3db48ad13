package itemreader

import (
	"context"
	"errors"
	"fmt"

	"stepwise/tasks"
	"stepwise/tasks/objects"
)

// ErrorItemReaderFailed is the error name of a Map state whose ItemReader
// could not read its items.
const ErrorItemReaderFailed = "States.ItemReaderFailed"

// The bounds of what a Reader reads at once.
const (
	// MaxItemBytes bounds one item (a JSON value, a line, a CSV row, a
	// Parquet row as JSON): 256 KiB, Step Functions' payload limit, which
	// the child execution's input could not exceed anyway.
	MaxItemBytes = 256 << 10
	// MaxCSVHeaderBytes bounds a CSV header: "Step Functions supports CSV
	// headers of up to 10 KiB" (ItemReader (Map), CSVHeaderLocation).
	MaxCSVHeaderBytes = 10 << 10
	// MaxManifestBytes bounds an S3 Inventory manifest.json or an Athena
	// manifest, which are read whole to list their data files.
	MaxManifestBytes = 16 << 20
	// MaxParquetFooterBytes bounds a Parquet file's metadata, which is
	// read whole to open it.
	MaxParquetFooterBytes = 16 << 20
	// MaxItemsLimit is the largest MaxItems: "up to 100,000,000" (ItemReader
	// (Map), MaxItems).
	MaxItemsLimit = 100_000_000
)

func failed(format string, args ...any) *tasks.Error {
	return &tasks.Error{Name: ErrorItemReaderFailed, Cause: fmt.Sprintf(format, args...)}
}

func runtimeError(format string, args ...any) *tasks.Error {
	return &tasks.Error{Name: tasks.ErrorRuntime, Cause: fmt.Sprintf(format, args...)}
}

// storeError names a Store's failure as States.ItemReaderFailed with S3's
// message, status and code in the cause, as the SDK for Java prints S3's
// errors; a cancelled ctx returns ctx's error.
func storeError(ctx context.Context, err error) error {
	if ctx.Err() != nil {
		return ctx.Err()
	}
	if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return err
	}
	var te *tasks.Error
	if errors.As(err, &te) {
		return te
	}
	var oe *objects.Error
	if errors.As(err, &oe) {
		id := ""
		if oe.RequestID != "" {
			id = ", Request ID: " + oe.RequestID
		}
		return failed("%s (Service: S3, Status Code: %d, Error Code: %s%s)", oe.Message, oe.StatusCode, oe.Code, id)
	}
	return failed("%v", err)
}
