package build

import (
	"math"
	"runtime/debug"
	"testing"
)

func TestLimitMemorySetsAndRestores(t *testing.T) {
	before := debug.SetMemoryLimit(-1)
	restore := limitMemory()
	set := debug.SetMemoryLimit(-1)
	restore()
	after := debug.SetMemoryLimit(-1)
	if set < 32<<20 || set == math.MaxInt64 || set == before {
		t.Errorf("limit while building: %d (before: %d)", set, before)
	}
	if after != before {
		t.Errorf("limit after: %d, want the one before, %d", after, before)
	}
}
