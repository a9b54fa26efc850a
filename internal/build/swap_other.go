//go:build !linux

package build

import (
	"errors"
	"io/fs"
	"os"
)

// swap puts the new site at dest with two renames: dest is missing for a
// moment, but a complete site is always either at dest or beside it.
func swap(tmp, dest string) error {
	if _, err := os.Lstat(dest); errors.Is(err, fs.ErrNotExist) {
		return os.Rename(tmp, dest)
	}
	return swapByRename(tmp, dest)
}

func processAlive(pid string) bool { return true } // keep what we cannot judge
