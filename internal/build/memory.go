package build

import (
	"runtime"
	"runtime/debug"
)

// limitMemory sets a soft memory limit (debug.SetMemoryLimit) of two and a
// half times the heap the loaded and derived board takes, plus 32 MiB for
// the renderers' work, and returns a function that puts the previous limit
// back.
//
// Without it the garbage collector lets the heap grow to twice what is
// live at its peak (GOGC=100), and the peak comes while the pages render,
// when the page list and the open data's codes are live too: a board of
// 100,000 records peaked at 1.2–1.5 GB. With the limit the collector runs
// more often near it, which costs CPU. The factor is what the targets
// allow: at 2 the 100k build spent 17% of its CPU collecting and 25% more
// CPU in all than at 2.5 (31–34 s of user time against 23–24 s, into
// memory), for 640 against 650–720 MB; at 10k, 91 against 103 MB. The
// limit is soft: the heap may pass it rather than stall the build.
func limitMemory() (restore func()) {
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	limit := 5*int64(ms.HeapAlloc)/2 + 32<<20
	prev := debug.SetMemoryLimit(limit)
	return func() { debug.SetMemoryLimit(prev) }
}
