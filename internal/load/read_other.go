//go:build !unix

package load

func readDirect(path string) ([]byte, bool) { return nil, false }
