package load

import "golang.org/x/sys/unix"

// readScratch is the size of each decoding goroutine's scratch buffer for
// readAt: records are a few kilobytes.
const readScratch = 64 << 10

// openDir opens the folder at path for readAt. O_PATH: the folder is only
// a place to look names up from, never read.
func openDir(path string) (int, bool) {
	for {
		fd, err := unix.Open(path, unix.O_PATH|unix.O_DIRECTORY|unix.O_CLOEXEC, 0)
		if err != unix.EINTR {
			return fd, err == nil
		}
	}
}

func closeDir(fd int) { unix.Close(fd) }

// readAt is readDirect for the file called name in the folder open as dir:
// the kernel looks up one name instead of every folder of the path.
//
// With scratch, a file that fits in it with room to spare is read with
// three system calls: open, one read into scratch (which comes back short
// only at the end of the file), close; the bytes are then copied out. A
// larger one is read as readDirect does, on from what scratch holds.
func readAt(dir int, name string, scratch []byte) ([]byte, bool) {
	var fd int
	var err error
	for {
		fd, err = unix.Openat(dir, name, unix.O_RDONLY|unix.O_CLOEXEC, 0)
		if err != unix.EINTR {
			break
		}
	}
	if err != nil {
		return nil, false
	}
	if len(scratch) == 0 {
		return readFD(fd)
	}
	var n int
	for {
		n, err = unix.Read(fd, scratch)
		if err != unix.EINTR {
			break
		}
	}
	if err != nil {
		unix.Close(fd)
		return nil, false
	}
	if n < len(scratch) {
		unix.Close(fd)
		return append(make([]byte, 0, n), scratch[:n]...), true
	}
	return readFDAfter(fd, scratch)
}
