//go:build !linux

package load

// Folders are opened for reading relative to them on Linux only, where
// package syscall has openat; elsewhere files are read by their path.

const readScratch = 0

func openDir(path string) (int, bool) { return -1, false }

func closeDir(fd int) {}

func readAt(dir int, name string, scratch []byte) ([]byte, bool) { return nil, false }
