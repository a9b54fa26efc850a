//go:build unix && !linux

package build

import (
	"sync"
	"syscall"
)

var umaskMu sync.Mutex

// umask reads the process's file mode creation mask. umask(2) can only
// read it by setting it, so it is set back at once: a file that another
// goroutine created in that instant would get 0o022 as the mask; glassboard
// creates none while a build starts.
func umask() (uint32, error) {
	umaskMu.Lock()
	defer umaskMu.Unlock()
	m := syscall.Umask(0o022)
	syscall.Umask(m)
	return uint32(m), nil
}
