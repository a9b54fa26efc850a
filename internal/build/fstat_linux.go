package build

import (
	"io/fs"
	"syscall"
)

// fstatEntry is the manifest entry (without its path) of the open file fd,
// when it is a plain regular file (no set-ID or sticky bits).
func fstatEntry(fd int) (entry, bool) {
	var st syscall.Stat_t
	if syscall.Fstat(fd, &st) != nil || st.Mode&syscall.S_IFMT != syscall.S_IFREG || st.Mode&^(syscall.S_IFMT|0o777) != 0 {
		return entry{}, false
	}
	return entry{mode: fs.FileMode(st.Mode & 0o777), ino: uint64(st.Ino), uid: uint64(st.Uid), gid: uint64(st.Gid), size: st.Size, mtime: st.Mtim.Nano()}, true
}
