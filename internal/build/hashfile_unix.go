//go:build unix

package build

import (
	"hash"
	"io"
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

// writeFile creates (or truncates) the file at path with data and mode
// perm (before the umask), as os.WriteFile does, with open, write, fstat
// and close only: os.WriteFile also sets and clears O_NONBLOCK and
// registers the file with the network poller, five more system calls for
// each of the site's tens of thousands of files. It returns the file's
// manifest entry (without its path) as fstat(2) saw it after the write,
// so that the manifest need not lstat it again; ok is false when fstat
// failed or the file is not a plain regular file.
func writeFile(path string, data []byte, perm uint32) (e entry, ok bool, err error) {
	var fd int
	for {
		fd, err = syscall.Open(path, syscall.O_WRONLY|syscall.O_CREAT|syscall.O_TRUNC|syscall.O_CLOEXEC, perm)
		if err != syscall.EINTR {
			break
		}
	}
	if err != nil {
		return e, false, &fs.PathError{Op: "open", Path: path, Err: err}
	}
	for len(data) > 0 {
		n, err := syscall.Write(fd, data)
		if err == syscall.EINTR {
			continue
		}
		if err != nil {
			syscall.Close(fd)
			return e, false, &fs.PathError{Op: "write", Path: path, Err: err}
		}
		if n == 0 {
			syscall.Close(fd)
			return e, false, &fs.PathError{Op: "write", Path: path, Err: io.ErrShortWrite}
		}
		data = data[n:]
	}
	e, ok = fstatEntry(fd)
	if err := syscall.Close(fd); err != nil {
		return e, false, &fs.PathError{Op: "close", Path: path, Err: err}
	}
	return e, ok, nil
}
