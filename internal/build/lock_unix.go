//go:build unix

package build

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"golang.org/x/sys/unix"
)

// lockDest makes sure that only one build at a time writes beside dest: it
// takes an exclusive flock(2) on the folder that holds dest (the temporary
// folder and the swap happen there), waiting while another build, in this
// process or another, holds it. No lock file is left behind, and a build
// that is killed releases the lock with its last file descriptor.
func lockDest(dest string) (unlock func(), err error) {
	parent := filepath.Dir(dest)
	if err := os.MkdirAll(parent, 0o755); err != nil {
		return nil, err
	}
	f, err := os.Open(parent)
	if err != nil {
		return nil, fmt.Errorf("locking the output folder: %w", err)
	}
	for {
		err = unix.Flock(int(f.Fd()), unix.LOCK_EX)
		if !errors.Is(err, unix.EINTR) {
			break
		}
	}
	if err != nil {
		f.Close()
		return nil, fmt.Errorf("locking the output folder %s: %w", parent, err)
	}
	return func() { f.Close() }, nil
}
