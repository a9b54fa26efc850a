package build

import (
	"bytes"
	"io"
	"io/fs"
	"path"
	"slices"
	"strings"
	"time"
)

// MemSite is a built site held in memory: what the preview serves. It is
// never changed once made, so one request reads one version of the site
// and a rebuild replaces it whole. It implements fs.FS, fs.StatFS and
// fs.ReadFileFS; folders exist implicitly, as the parents of files.
type MemSite struct {
	files map[string][]byte // slash path → content
	dirs  map[string]bool
}

func newMemSite(files map[string][]byte) *MemSite {
	m := &MemSite{files: files, dirs: map[string]bool{".": true}}
	for p := range files {
		for d := path.Dir(p); d != "." && !m.dirs[d]; d = path.Dir(d) {
			m.dirs[d] = true
		}
	}
	return m
}

// Paths returns the paths of every file, sorted.
func (m *MemSite) Paths() []string {
	out := make([]string, 0, len(m.files))
	for p := range m.files {
		out = append(out, p)
	}
	slices.Sort(out)
	return out
}

// Open opens a file or folder of the site.
func (m *MemSite) Open(name string) (fs.File, error) {
	fi, err := m.Stat(name)
	if err != nil {
		return nil, &fs.PathError{Op: "open", Path: name, Err: fs.ErrNotExist}
	}
	return &memFile{Reader: bytes.NewReader(m.files[name]), info: fi.(memInfo)}, nil
}

// Stat describes a file or folder of the site.
func (m *MemSite) Stat(name string) (fs.FileInfo, error) {
	if !fs.ValidPath(name) {
		return nil, &fs.PathError{Op: "stat", Path: name, Err: fs.ErrInvalid}
	}
	if data, ok := m.files[name]; ok {
		return memInfo{name: path.Base(name), size: int64(len(data))}, nil
	}
	if m.dirs[name] {
		return memInfo{name: path.Base(name), dir: true}, nil
	}
	return nil, &fs.PathError{Op: "stat", Path: name, Err: fs.ErrNotExist}
}

// ReadFile returns a file's content; the caller must not modify it.
func (m *MemSite) ReadFile(name string) ([]byte, error) {
	data, ok := m.files[name]
	if !ok || !fs.ValidPath(name) || strings.HasSuffix(name, "/") {
		return nil, &fs.PathError{Op: "read", Path: name, Err: fs.ErrNotExist}
	}
	return data, nil
}

type memInfo struct {
	name string
	size int64
	dir  bool
}

func (i memInfo) Name() string { return i.name }
func (i memInfo) Size() int64  { return i.size }
func (i memInfo) Mode() fs.FileMode {
	if i.dir {
		return fs.ModeDir | 0o555
	}
	return 0o444
}
func (i memInfo) ModTime() time.Time { return time.Time{} }
func (i memInfo) IsDir() bool        { return i.dir }
func (i memInfo) Sys() any           { return nil }

// memFile is an open file: a reader over its bytes (none for a folder).
type memFile struct {
	*bytes.Reader
	info memInfo
}

func (f *memFile) Stat() (fs.FileInfo, error) { return f.info, nil }
func (f *memFile) Close() error               { return nil }

var _ io.ReadSeeker = (*memFile)(nil)
