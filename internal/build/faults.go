package build

import (
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	"syscall"
)

// refuseDest refuses output folders that no build should ever replace: the
// root of the file system, and the home folder or any folder that holds it.
func refuseDest(dest, home string) error {
	if dest == filepath.Dir(dest) {
		return fmt.Errorf("refusing to build into %s: it is the root of the file system", dest)
	}
	if home == "" {
		return nil
	}
	home = filepath.Clean(home)
	sep := string(filepath.Separator)
	if dest == home {
		return fmt.Errorf("refusing to build into your home folder %s", dest)
	}
	if strings.HasPrefix(home+sep, dest+sep) {
		return fmt.Errorf("refusing to build into %s: it contains your home folder %s", dest, home)
	}
	return nil
}

// writeErr says, for an error while writing the new site or swapping it
// in, that the previous site is untouched, and what a full or read-only
// disk means.
func writeErr(err error, dest string) error {
	hint := ""
	switch {
	case errors.Is(err, syscall.ENOSPC), errors.Is(err, syscall.EDQUOT):
		hint = "the disk is full: free some space (the new site is written beside the old one before they are swapped, so it needs room for both); "
	case errors.Is(err, syscall.EROFS):
		hint = "the output folder is on a read-only file system; "
	case errors.Is(err, syscall.EACCES), errors.Is(err, syscall.EPERM):
		hint = "no permission to write beside the output folder; "
	}
	return fmt.Errorf("writing the site failed: %w (%sthe previous site in %s is unchanged)", err, hint, dest)
}
