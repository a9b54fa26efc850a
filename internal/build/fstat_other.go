//go:build unix && !linux

package build

// fstatEntry gives no entry here: the manifest lstats the file.
func fstatEntry(fd int) (entry, bool) { return entry{}, false }
