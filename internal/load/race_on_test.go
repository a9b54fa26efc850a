//go:build race

package load

// raceEnabled: the race detector is on. Its sync.Pool drops a random share
// of what is put back, so allocation counts that rely on reuse do not hold.
const raceEnabled = true
