//go:build !unix

package build

import (
	"hash"
	"io"
	"os"
)

// hashFile writes the content of the file at path into h.
func hashFile(h hash.Hash, path string, buf []byte) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	_, err = io.CopyBuffer(struct{ io.Writer }{h}, f, buf)
	return err
}

// writeFile is os.WriteFile; ok is false: the manifest lstats the file.
func writeFile(path string, data []byte, perm uint32) (e entry, ok bool, err error) {
	return e, false, os.WriteFile(path, data, os.FileMode(perm))
}
