package load

import "golang.org/x/sys/unix"

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
func readAt(dir int, name string) ([]byte, bool) {
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
	return readFD(fd)
}
