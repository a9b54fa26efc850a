package build

import (
	"runtime"
	"runtime/debug"
)

// limitMemory sets a soft memory limit (debug.SetMemoryLimit) of three
// times the heap the loaded and derived board takes, plus 32 MiB for the
// renderers' work, and returns a function that puts the previous limit
// back.
//
// Without it the garbage collector lets the heap grow to twice what is
// live at its peak (GOGC=100), and the peak comes while the pages render,
// when the page list and the open data's codes are live too: a board of
// 100,000 records peaked at 1.2–1.5 GB. With the limit the collector runs
// more often near it, which costs CPU, and more so the less room the limit
// leaves above the live heap. The factor is what the targets allow, 150 MB
// at 10,000 records and 1 GB at 100,000 (builds into memory, alternated):
//   - at 2, the 100k build spent 17% of its CPU collecting and 25% more
//     CPU in all than at 2.5, for 640 against 650–720 MB;
//   - at 3, in two sets of two alternated pairs, it took 20.2, 24.0, 16.8
//     and 14.5 s (22.4, 25.2, 19.8 and 19.7 s of user time) against 27.5,
//     25.5, 13.7 and 19.4 s (29.5, 28.0, 19.3 and 27.9 s) at 2.5: noisy,
//     but less user time in three pairs of four; for 770 against 660–690
//     MB. At 10k, 112 against 105 MB, with no difference in time.
//
// The limit is soft: the heap may pass it rather than stall the build.
func limitMemory() (restore func()) {
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	limit := 3*int64(ms.HeapAlloc) + 32<<20
	prev := debug.SetMemoryLimit(limit)
	return func() { debug.SetMemoryLimit(prev) }
}
