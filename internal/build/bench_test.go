package build

import (
	"path/filepath"
	"testing"

	"github.com/glassboard/glassboard"
	"github.com/glassboard/glassboard/internal/sample"
)

func benchmarkBuild(b *testing.B, n int) {
	src := b.TempDir()
	if err := sample.Write(src, n, today("2026-06-15").Time()); err != nil {
		b.Fatal(err)
	}
	dest := filepath.Join(b.TempDir(), "public")
	b.ResetTimer()
	for b.Loop() {
		if _, err := Run(Options{Source: src, Dest: dest, Theme: glassboard.Theme, Today: today("2026-06-15")}); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkBuild1k and BenchmarkBuild10k run a full build (load, check,
// render, write, swap) of a sample board; see docs/performance.md.
func BenchmarkBuild1k(b *testing.B)  { benchmarkBuild(b, 1000) }
func BenchmarkBuild10k(b *testing.B) { benchmarkBuild(b, 10000) }
