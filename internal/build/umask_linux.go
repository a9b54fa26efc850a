package build

import (
	"bufio"
	"bytes"
	"errors"
	"os"
	"strconv"
)

// umask reads the process's file mode creation mask from /proc (Linux 4.7
// and later) without changing it, as umask(2) would for a moment.
func umask() (uint32, error) {
	data, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0, err
	}
	sc := bufio.NewScanner(bytes.NewReader(data))
	for sc.Scan() {
		if v, ok := bytes.CutPrefix(sc.Bytes(), []byte("Umask:")); ok {
			m, err := strconv.ParseUint(string(bytes.TrimSpace(v)), 8, 32)
			return uint32(m), err
		}
	}
	return 0, errors.New("no Umask line in /proc/self/status")
}
