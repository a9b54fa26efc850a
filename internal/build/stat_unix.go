//go:build unix

package build

import (
	"fmt"
	"io/fs"
	"os"
	"syscall"
)

// statIDs returns the inode number, owner and group of a file; ok is false
// where the system does not say.
func statIDs(fi fs.FileInfo) (ino, uid, gid uint64, ok bool) {
	st, ok := fi.Sys().(*syscall.Stat_t)
	if !ok {
		return 0, 0, 0, false
	}
	return uint64(st.Ino), uint64(st.Uid), uint64(st.Gid), true
}

// creatorKey describes what a file or folder made by this process in
// parent gets besides its bytes: its owner and group, and the permission
// bits the umask takes away. Two builds with the same key make files with
// the same owner, group and mode; a build with another key must not take
// over the files of the last one as its own.
func creatorKey(parent string) (string, error) {
	mask, err := umask()
	if err != nil {
		return "", err
	}
	key := fmt.Sprintf("uid %d gid %d umask %#o", os.Geteuid(), os.Getegid(), mask)
	// A folder with the set-group-ID bit gives what is made in it its group.
	if fi, err := os.Stat(parent); err == nil && fi.Mode()&fs.ModeSetgid != 0 {
		if _, _, gid, ok := statIDs(fi); ok {
			key += fmt.Sprintf(" setgid %d", gid)
		}
	}
	return key, nil
}
