package load

import (
	"os"
	"testing"
	"time"

	"github.com/glassboard/glassboard/internal/sample"
)

// benchBoard writes (once per process) a sample board of n records.
func benchBoard(b *testing.B, n int) string {
	b.Helper()
	dir := b.TempDir()
	if err := sample.Write(dir, n, time.Date(2026, 6, 15, 0, 0, 0, 0, time.UTC)); err != nil {
		b.Fatal(err)
	}
	return dir
}

func benchmarkLoad(b *testing.B, n int) {
	dir := benchBoard(b, n)
	fsys := os.DirFS(dir)
	b.ResetTimer()
	for b.Loop() {
		_, ds, err := Load(fsys)
		if err != nil || ds.Errors() > 0 {
			b.Fatalf("%v %v", err, ds)
		}
	}
}

// BenchmarkLoad1k and BenchmarkLoad10k load and check a sample board.
func BenchmarkLoad1k(b *testing.B)  { benchmarkLoad(b, 1000) }
func BenchmarkLoad10k(b *testing.B) { benchmarkLoad(b, 10000) }
