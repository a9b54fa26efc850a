package build

import "os"

func swapByRename(tmp, dest string) error {
	old := tmp + "-old"
	if err := os.Rename(dest, old); err != nil {
		return err
	}
	if err := os.Rename(tmp, dest); err != nil {
		os.Rename(old, dest) // put the previous site back
		return err
	}
	return removeTree(old)
}
