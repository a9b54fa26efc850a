//go:build !unix

package build

import (
	"errors"
	"io/fs"
)

// Without inode numbers and owners a manifest cannot tell a replaced file
// from the one it recorded, so every build is a full one.
func statIDs(fi fs.FileInfo) (ino, uid, gid uint64, ok bool) { return 0, 0, 0, false }

func creatorKey(parent string) (string, error) {
	return "", errors.New("no inode numbers on this system")
}
