//go:build unix

package load

import "syscall"

// readDirect reads the file at path with four system calls (open, fstat,
// read, close) where os.ReadFile makes six or more (it also registers the
// file with the network poller and reads once more to see the end). It
// reports false on any problem: the caller then reads the usual way, which
// also says what the problem is.
func readDirect(path string) ([]byte, bool) {
	var fd int
	var err error
	for {
		fd, err = syscall.Open(path, syscall.O_RDONLY|syscall.O_CLOEXEC, 0)
		if err != syscall.EINTR {
			break
		}
	}
	if err != nil {
		return nil, false
	}
	return readFD(fd)
}

// readFD reads the regular file open as fd, and closes it.
func readFD(fd int) ([]byte, bool) { return readFDAfter(fd, nil) }

// readFDAfter is readFD for a file whose first bytes, read already, are
// in head.
func readFDAfter(fd int, head []byte) ([]byte, bool) {
	defer syscall.Close(fd)
	var st syscall.Stat_t
	if syscall.Fstat(fd, &st) != nil || st.Mode&syscall.S_IFMT != syscall.S_IFREG || st.Size < 0 || st.Size > 1<<30 {
		return nil, false
	}
	buf := make([]byte, max(st.Size, int64(len(head))))
	n := copy(buf, head)
	for n < len(buf) {
		m, err := syscall.Read(fd, buf[n:])
		if err == syscall.EINTR {
			continue
		}
		if err != nil {
			return nil, false
		}
		if m == 0 {
			break // shorter than it was a moment ago
		}
		n += m
	}
	return buf[:n], true
}
