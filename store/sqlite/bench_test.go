package sqlite_test

import (
	"path/filepath"
	"strconv"
	"testing"

	"stepwise/store/sqlite"
	"stepwise/store/storetest"
)

// BenchmarkCommit runs storetest.BenchCommit from 1, 16 and 256
// concurrent committers on a real file with real fsync
// (synchronous=FULL), and reports how many commits the group commit put in
// one transaction.
func BenchmarkCommit(b *testing.B) {
	for _, n := range []int{1, 16, 256} {
		b.Run("committers="+strconv.Itoa(n), func(b *testing.B) {
			s, err := sqlite.Open(b.Context(), filepath.Join(b.TempDir(), "bench.db"), sqlite.Options{})
			if err != nil {
				b.Fatal(err)
			}
			defer s.Close()
			var batches0, writes0 int64
			storetest.BenchCommit(b, s, n, func() { batches0, writes0 = s.Batches() })
			if batches, writes := s.Batches(); batches > batches0 {
				b.ReportMetric(float64(writes-writes0)/float64(batches-batches0), "commits/batch")
			}
		})
	}
}
