package resultwriter_test

import (
	"testing"

	"go.uber.org/goleak"
)

// TestMain checks that no goroutine outlives the tests: Write starts none,
// and the S3 server and client the tests start must be stopped.
func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }
