package load

import (
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/glassboard/glassboard/internal/board"
	"github.com/glassboard/glassboard/internal/sample"
)

// The benchmarks run on `glassboard new site --sample N` boards, written
// once per process (a 10k board takes seconds to write on a slow disk).
// GLASSBOARD_BENCH_BOARD_<N> names a board folder to use instead, so that
// scripts/bench can reuse the boards it has made. See docs/performance.md.

var (
	benchMu     sync.Mutex
	benchBoards = map[int]string{}
	benchTmp    string
)

func TestMain(m *testing.M) {
	code := m.Run()
	if benchTmp != "" {
		os.RemoveAll(benchTmp)
	}
	os.Exit(code)
}

var benchDay = time.Date(2026, 6, 15, 0, 0, 0, 0, time.UTC)

// benchBoard returns the folder of a sample board of n records.
func benchBoard(b *testing.B, n int) string {
	b.Helper()
	if dir := os.Getenv(fmt.Sprintf("GLASSBOARD_BENCH_BOARD_%d", n)); dir != "" {
		return dir
	}
	benchMu.Lock()
	defer benchMu.Unlock()
	if dir, ok := benchBoards[n]; ok {
		return dir
	}
	if benchTmp == "" {
		dir, err := os.MkdirTemp("", "glassboard-bench-")
		if err != nil {
			b.Fatal(err)
		}
		benchTmp = dir
	}
	dir := filepath.Join(benchTmp, fmt.Sprint(n))
	if err := sample.Write(dir, n, benchDay); err != nil {
		b.Fatal(err)
	}
	benchBoards[n] = dir
	return dir
}

// benchmarkLoad reads, decodes and checks every file (load.Load).
func benchmarkLoad(b *testing.B, n int) {
	fsys := os.DirFS(benchBoard(b, n))
	b.ResetTimer()
	for b.Loop() {
		_, ds, err := Load(fsys)
		if err != nil || ds.Errors() > 0 {
			b.Fatalf("%v %v", err, ds)
		}
	}
}

// benchmarkCheck is what `glassboard check` does: load and check every
// file, deriving meanwhile the changes to come of the states of the day
// (before check4, it derived the whole snapshot after the load).
func benchmarkCheck(b *testing.B, n int) {
	fsys := os.DirFS(benchBoard(b, n))
	b.ResetTimer()
	for b.Loop() {
		_, ds, err := LoadAlongside(fsys, func(bd *board.Board) { bd.Changes(board.DateOf(benchDay)) })
		if err != nil || ds.Errors() > 0 {
			b.Fatalf("%v %v", err, ds)
		}
	}
}

// benchmarkRules runs the rules alone (board.Check) on a loaded board.
func benchmarkRules(b *testing.B, n int) {
	bd, _, err := Load(os.DirFS(benchBoard(b, n)))
	if err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	for b.Loop() {
		if ps := bd.Check(); len(ps) > 0 {
			b.Fatal(ps)
		}
	}
}

// benchmarkDerive derives the states of the day (board.At) of a loaded
// board: what check does beside the rules.
func benchmarkDerive(b *testing.B, n int) {
	bd, _, err := Load(os.DirFS(benchBoard(b, n)))
	if err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	for b.Loop() {
		bd.At(board.DateOf(benchDay))
	}
}

// benchmarkDecode decodes the record files, already in memory, on one
// core: with the decoder the loader uses (fast path, library when needed)
// or, for comparison, with the TOML library alone.
func benchmarkDecode(b *testing.B, n int, library bool) {
	dir := benchBoard(b, n)
	type file struct {
		kind string
		data []byte
	}
	var files []file
	for _, kind := range []string{"commitments", "notices", "ratings"} {
		filepath.WalkDir(filepath.Join(dir, "content", kind), func(p string, d os.DirEntry, err error) error {
			if err == nil && !d.IsDir() {
				data, err := os.ReadFile(p)
				if err != nil {
					b.Fatal(err)
				}
				files = append(files, file{kind, data})
			}
			return nil
		})
	}
	b.ResetTimer()
	for b.Loop() {
		for _, f := range files {
			dec := &fileDecoder{file: f.kind, src: f.data}
			decode := dec.decode
			if library {
				decode = dec.decodeSlow
			}
			ok := false
			switch f.kind {
			case "commitments":
				ok = decode(&board.Commitment{})
			case "notices":
				ok = decode(&noticeFile{})
			case "ratings":
				ok = decode(&board.Rating{MaxStars: 5})
			}
			if !ok {
				b.Fatal(dec.diags)
			}
		}
	}
}

// BenchmarkLoad1k and BenchmarkLoad10k load and check a sample board.
func BenchmarkLoad1k(b *testing.B)  { benchmarkLoad(b, 1000) }
func BenchmarkLoad10k(b *testing.B) { benchmarkLoad(b, 10000) }

// BenchmarkCheck1k and BenchmarkCheck10k do what `glassboard check` does.
func BenchmarkCheck1k(b *testing.B)  { benchmarkCheck(b, 1000) }
func BenchmarkCheck10k(b *testing.B) { benchmarkCheck(b, 10000) }

// BenchmarkRules1k and BenchmarkRules10k run the rules on a loaded board.
func BenchmarkRules1k(b *testing.B)  { benchmarkRules(b, 1000) }
func BenchmarkRules10k(b *testing.B) { benchmarkRules(b, 10000) }

// BenchmarkDerive1k and BenchmarkDerive10k derive the day's states.
func BenchmarkDerive1k(b *testing.B)  { benchmarkDerive(b, 1000) }
func BenchmarkDerive10k(b *testing.B) { benchmarkDerive(b, 10000) }

// BenchmarkDecode1k and BenchmarkDecode10k decode the record files alone;
// the Library variants decode them with the TOML library only, as before
// the fast path.
func BenchmarkDecode1k(b *testing.B)         { benchmarkDecode(b, 1000, false) }
func BenchmarkDecode10k(b *testing.B)        { benchmarkDecode(b, 10000, false) }
func BenchmarkDecodeLibrary1k(b *testing.B)  { benchmarkDecode(b, 1000, true) }
func BenchmarkDecodeLibrary10k(b *testing.B) { benchmarkDecode(b, 10000, true) }
