package build

import (
	"errors"
	"io/fs"
	"os"
	"strconv"

	"golang.org/x/sys/unix"
)

// swap puts the new site at dest in one atomic step: with renameat2's
// RENAME_EXCHANGE the path dest names the old site, then the new one,
// never nothing. The old site is then removed from the temporary name.
func swap(tmp, dest string) error {
	if _, err := os.Lstat(dest); errors.Is(err, fs.ErrNotExist) {
		return os.Rename(tmp, dest)
	}
	err := unix.Renameat2(unix.AT_FDCWD, tmp, unix.AT_FDCWD, dest, unix.RENAME_EXCHANGE)
	if errors.Is(err, unix.ENOSYS) || errors.Is(err, unix.EINVAL) {
		return swapByRename(tmp, dest)
	}
	if err != nil {
		return &os.LinkError{Op: "exchange", Old: tmp, New: dest, Err: err}
	}
	return removeTree(tmp)
}

func processAlive(pid string) bool {
	n, err := strconv.Atoi(pid)
	if err != nil || n <= 0 {
		return false
	}
	return unix.Kill(n, 0) == nil || errors.Is(unix.Kill(n, 0), unix.EPERM)
}
