//go:build unix

package build

import (
	"hash"
	"io/fs"
	"syscall"
)

// hashFile writes the content of the file at path into h, reading with
// buf: with open, read and close only, where os.ReadFile also registers
// the file with the network poller and asks for its size (see
// internal/load's readDirect). Symbolic links are followed.
func hashFile(h hash.Hash, path string, buf []byte) error {
	var fd int
	var err error
	for {
		fd, err = syscall.Open(path, syscall.O_RDONLY|syscall.O_CLOEXEC, 0)
		if err != syscall.EINTR {
			break
		}
	}
	if err != nil {
		return &fs.PathError{Op: "open", Path: path, Err: err}
	}
	defer syscall.Close(fd)
	for {
		n, err := syscall.Read(fd, buf)
		switch {
		case err == syscall.EINTR:
			continue
		case err != nil:
			return &fs.PathError{Op: "read", Path: path, Err: err}
		case n == 0:
			return nil
		}
		h.Write(buf[:n])
	}
}
