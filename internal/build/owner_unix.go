//go:build unix

package build

import (
	"io/fs"
	"syscall"
)

// sameOwner reports whether two files have the same owner and group.
func sameOwner(a, b fs.FileInfo) bool {
	sa, ok := a.Sys().(*syscall.Stat_t)
	sb, ok2 := b.Sys().(*syscall.Stat_t)
	return ok && ok2 && sa.Uid == sb.Uid && sa.Gid == sb.Gid
}

// sameFS reports whether two files are on the same device, so that one
// can be hard-linked beside the other.
func sameFS(a, b fs.FileInfo) bool {
	sa, ok := a.Sys().(*syscall.Stat_t)
	sb, ok2 := b.Sys().(*syscall.Stat_t)
	return ok && ok2 && sa.Dev == sb.Dev
}
