package build

import (
	"bytes"
	"context"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"runtime/pprof"
	"slices"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/glassboard/glassboard"
	"github.com/glassboard/glassboard/internal/board"
	"github.com/glassboard/glassboard/internal/load"
	"github.com/glassboard/glassboard/internal/opendata"
	"github.com/glassboard/glassboard/internal/render"
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

const benchDay = "2026-06-15"

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
	if err := sample.Write(dir, n, today(benchDay).Time()); err != nil {
		b.Fatal(err)
	}
	benchBoards[n] = dir
	return dir
}

func benchRun(b *testing.B, src, dest string) *Result {
	res, err := Run(Options{Source: src, Dest: dest, Theme: glassboard.Theme, Today: today(benchDay)})
	if err != nil {
		b.Fatal(err)
	}
	return res
}

// benchmarkBuild runs full builds (load, check, render, write, swap) into
// an empty folder, as a first build does.
//
// Every build goes into a folder of its own, removed when the benchmark
// ends: on an ext4 without a journal, creating files within minutes of
// deleting many is several times slower (docs/performance.md), and
// removing the last build's output first would time that instead.
func benchmarkBuild(b *testing.B, n int) {
	src := benchBoard(b, n)
	dir := b.TempDir()
	i := 0
	b.ResetTimer()
	for b.Loop() {
		i++
		benchRun(b, src, filepath.Join(dir, fmt.Sprintf("public-%d", i)))
	}
}

// The ways a build with nothing changed since the last one can go.
const (
	rebuildUnchanged = iota // the manifest verifies: nothing is written
	rebuildRelink           // no manifest: every page rendered, every file linked
	rebuildRefresh          // not pinned to a day: the data files get the new time
)

// benchmarkRebuild runs builds with nothing changed since the last one,
// the way given. It reports the process's CPU time per build too.
func benchmarkRebuild(b *testing.B, n, way int) {
	src := benchBoard(b, n)
	dest := filepath.Join(b.TempDir(), "public")
	o := Options{Source: src, Dest: dest, Theme: glassboard.Theme, Today: today(benchDay)}
	if way == rebuildRefresh {
		o.Today, o.Now = board.Date{}, today(benchDay).Time().Add(4*time.Hour)
	}
	first, err := Run(o)
	if err != nil {
		b.Fatal(err)
	}
	var cpu time.Duration
	b.ResetTimer()
	for b.Loop() {
		switch way {
		case rebuildRelink:
			b.StopTimer()
			if err := os.Remove(filepath.Join(dest, manifestName)); err != nil {
				b.Fatal(err)
			}
			b.StartTimer()
		case rebuildRefresh:
			o.Now = o.Now.Add(time.Minute)
		}
		before := cpuTime()
		res, err := Run(o)
		if err != nil {
			b.Fatal(err)
		}
		cpu += cpuTime() - before
		ok := res.Files == first.Files
		switch way {
		case rebuildUnchanged:
			ok = ok && res.Unchanged && res.Reused == res.Files
		case rebuildRelink:
			ok = ok && !res.Unchanged && res.Reused == res.Files
		case rebuildRefresh:
			ok = ok && res.Refreshed > 0 && res.Reused == res.Files-res.Refreshed
		}
		if !ok {
			b.Fatalf("rebuild: unchanged %v, %d refreshed, %d reused of %d files (first build: %d)",
				res.Unchanged, res.Refreshed, res.Reused, res.Files, first.Files)
		}
	}
	b.ReportMetric(float64(cpu.Microseconds())/1000/float64(b.N), "cpu-ms/op")
}

// benchmarkRender renders every page into memory, on every core, without
// writing anything: the template execution alone.
func benchmarkRender(b *testing.B, n int) {
	src := benchBoard(b, n)
	srcFS := os.DirFS(src)
	bd, ds, err := load.Load(srcFS)
	if err != nil || ds.Errors() > 0 {
		b.Fatal(err, ds)
	}
	s := bd.At(today(benchDay))
	data := opendata.New(s, today(benchDay).Time())
	st, err := newSite(srcFS, glassboard.Theme, &bd.Config, false, data)
	if err != nil {
		b.Fatal(err)
	}
	jobs := render.Jobs(s)
	discard := func(string, []byte) error { return nil }
	b.ResetTimer()
	for b.Loop() {
		if err := st.renderPages(jobs, discard, nil, nil); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkBuild1k and BenchmarkBuild10k run a first build of a sample
// board into an empty folder; see docs/performance.md.
func BenchmarkBuild1k(b *testing.B)  { benchmarkBuild(b, 1000) }
func BenchmarkBuild10k(b *testing.B) { benchmarkBuild(b, 10000) }

// BenchmarkRebuild1k and BenchmarkRebuild10k build again with nothing
// changed: the output verifies against its manifest and nothing is
// written.
func BenchmarkRebuild1k(b *testing.B)  { benchmarkRebuild(b, 1000, rebuildUnchanged) }
func BenchmarkRebuild10k(b *testing.B) { benchmarkRebuild(b, 10000, rebuildUnchanged) }

// BenchmarkRebuildRelink1k and BenchmarkRebuildRelink10k build again with
// nothing changed but without the manifest (as after a hand edit of the
// output): every page is rendered, every file is the same and is linked
// into a new folder, which is swapped in.
func BenchmarkRebuildRelink1k(b *testing.B)  { benchmarkRebuild(b, 1000, rebuildRelink) }
func BenchmarkRebuildRelink10k(b *testing.B) { benchmarkRebuild(b, 10000, rebuildRelink) }

// BenchmarkRebuildRefresh1k and BenchmarkRebuildRefresh10k build again,
// not pinned to a day, a minute later: the pages are kept and the data
// files that carry the time of generation are replaced.
func BenchmarkRebuildRefresh1k(b *testing.B)  { benchmarkRebuild(b, 1000, rebuildRefresh) }
func BenchmarkRebuildRefresh10k(b *testing.B) { benchmarkRebuild(b, 10000, rebuildRefresh) }

// BenchmarkRender1k and BenchmarkRender10k render every page into memory.
func BenchmarkRender1k(b *testing.B)  { benchmarkRender(b, 1000) }
func BenchmarkRender10k(b *testing.B) { benchmarkRender(b, 10000) }

// renderedSite renders a sample board once and keeps every page in memory.
func renderedSite(b *testing.B, n int) map[string][]byte {
	src := benchBoard(b, n)
	srcFS := os.DirFS(src)
	bd, ds, err := load.Load(srcFS)
	if err != nil || ds.Errors() > 0 {
		b.Fatal(err, ds)
	}
	s := bd.At(today(benchDay))
	data := opendata.New(s, today(benchDay).Time())
	st, err := newSite(srcFS, glassboard.Theme, &bd.Config, false, data)
	if err != nil {
		b.Fatal(err)
	}
	var mu sync.Mutex
	pages := map[string][]byte{}
	err = st.renderPages(render.Jobs(s), func(p string, data []byte) error {
		mu.Lock()
		pages[p] = bytes.Clone(data)
		mu.Unlock()
		return nil
	}, nil, nil)
	if err != nil {
		b.Fatal(err)
	}
	return pages
}

// writeSite writes pages into a new folder beside dest the way a build
// does, reusing dest's files when it is a previous output, and swaps.
func writeSite(b *testing.B, pages map[string][]byte, dest string) *output {
	parent := filepath.Dir(dest)
	tmp, err := os.MkdirTemp(parent, ".bench-")
	if err != nil {
		b.Fatal(err)
	}
	out, err := newOutput(tmp, dest)
	if err != nil {
		b.Fatal(err)
	}
	order := make([]string, 0, len(pages))
	for p := range pages {
		order = append(order, p)
	}
	slices.Sort(order)
	out.makeDirs(order)
	paths := make(chan string)
	var wg sync.WaitGroup
	for range runtime.GOMAXPROCS(0) {
		wg.Go(func() {
			for p := range paths {
				if err := out.put(p, pages[p]); err != nil {
					b.Error(err)
				}
			}
		})
	}
	for _, p := range order {
		paths <- p
	}
	close(paths)
	wg.Wait()
	if err := out.finish(false); err != nil {
		b.Fatal(err)
	}
	if err := swap(tmp, dest); err != nil {
		b.Fatal(err)
	}
	return out
}

// benchmarkWrite writes the pages of a rendered site: into an empty folder
// (first), or beside the same site (again: every file is linked).
// A first write goes into a folder of its own each time (see
// benchmarkBuild).
func benchmarkWrite(b *testing.B, n int, again bool) {
	pages := renderedSite(b, n)
	dir := b.TempDir()
	dest := filepath.Join(dir, "public")
	if again {
		writeSite(b, pages, dest)
	}
	i := 0
	b.ResetTimer()
	for b.Loop() {
		if !again {
			i++
			dest = filepath.Join(dir, fmt.Sprintf("public-%d", i))
		}
		writeSite(b, pages, dest)
	}
}

// BenchmarkWrite10k writes the 10k pages, rendered beforehand, into an
// empty folder; BenchmarkWriteAgain10k beside the same pages (a rebuild
// with nothing changed, swap and removal of the old site included).
func BenchmarkWrite10k(b *testing.B)      { benchmarkWrite(b, 10000, false) }
func BenchmarkWriteAgain10k(b *testing.B) { benchmarkWrite(b, 10000, true) }

// benchmarkPreviewEdit times what `glassboard serve` does after a clerk
// saves a record: one commitment's title is edited, and the preview
// rebuilds incrementally. The file is put back afterwards.
func benchmarkPreviewEdit(b *testing.B, n int) {
	src := benchBoard(b, n)
	p, err := NewPreview(Options{Source: src, Theme: glassboard.Theme, Today: today(benchDay)})
	if err != nil {
		b.Fatal(err)
	}
	if _, err := p.Rebuild(nil); err != nil {
		b.Fatal(err)
	}
	rel := "content/commitments/" + firstFile(b, filepath.Join(src, "content", "commitments"))
	file := filepath.Join(src, filepath.FromSlash(rel))
	orig, err := os.ReadFile(file)
	if err != nil {
		b.Fatal(err)
	}
	defer os.WriteFile(file, orig, 0o644)
	rendered := 0
	var cpu time.Duration
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		b.StopTimer()
		edited := bytes.Replace(orig, []byte(`title = "`), fmt.Appendf(nil, `title = "Edit %d `, i), 1)
		if err := os.WriteFile(file, edited, 0o644); err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		before := cpuTime()
		var res *PreviewResult
		// The label tells these rebuilds from the first, full one in a
		// CPU profile: go tool pprof -tagfocus=preview=edit.
		pprof.Do(context.Background(), pprof.Labels("preview", "edit"), func(context.Context) {
			res, err = p.Rebuild([]string{rel})
		})
		if err != nil {
			b.Fatal(err)
		}
		cpu += cpuTime() - before
		rendered += res.Rendered
	}
	b.ReportMetric(float64(rendered)/float64(b.N), "pages/op")
	// The process's CPU time (user and system, all threads, the garbage
	// collector's too): on a busy machine it varies less than wall time.
	b.ReportMetric(float64(cpu.Microseconds())/1000/float64(b.N), "cpu-ms/op")
}

// cpuTime returns the CPU time the process has used so far.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// firstFile returns the slash path, relative to dir, of the first file
// under it.
func firstFile(b *testing.B, dir string) string {
	var found string
	filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() && found == "" {
			found, _ = filepath.Rel(dir, p)
			return fs.SkipAll
		}
		return err
	})
	if found == "" {
		b.Fatalf("no file under %s", dir)
	}
	return filepath.ToSlash(found)
}

// BenchmarkPreviewEdit1k and BenchmarkPreviewEdit10k time the preview's
// rebuild after one record is edited; see docs/performance.md.
func BenchmarkPreviewEdit1k(b *testing.B)  { benchmarkPreviewEdit(b, 1000) }
func BenchmarkPreviewEdit10k(b *testing.B) { benchmarkPreviewEdit(b, 10000) }
