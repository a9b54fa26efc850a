package build

import (
	"bytes"
	"io"
	"io/fs"
	"path"
	"slices"
	"sync"
	"time"
)

// MemSite is a built site held in memory: what the preview serves. It is
// never changed once made, so one request reads one version of the site
// and a rebuild replaces it whole. It implements fs.FS, fs.StatFS and
// fs.ReadFileFS; folders exist implicitly, as the parents of files.
//
// Some files may be made only when first asked for (the preview's open
// data, feeds and sitemap, which a clerk rarely opens): they are made
// once, from the same snapshot as the rest, so they are never stale.
type MemSite struct {
	files    map[string][]byte // slash path → content
	dirsOnce sync.Once         // dirs are listed when first asked for: pages link to files
	dirs     map[string]bool
	later    *lazyFiles // nil: none
}

// lazyFiles are files made on first use.
type lazyFiles struct {
	once  sync.Once
	make  func() (map[string][]byte, error)
	files map[string][]byte
	dirs  map[string]bool
	err   error
}

func (l *lazyFiles) get() (*lazyFiles, error) {
	l.once.Do(func() {
		l.files, l.err = l.make()
		l.dirs = dirsOf(l.files)
	})
	return l, l.err
}

func newMemSite(files map[string][]byte, later func() (map[string][]byte, error)) *MemSite {
	m := &MemSite{files: files}
	if later != nil {
		m.later = &lazyFiles{make: later}
	}
	return m
}

func dirsOf(files map[string][]byte) map[string]bool {
	dirs := map[string]bool{".": true}
	for p := range files {
		for d := path.Dir(p); d != "." && !dirs[d]; d = path.Dir(d) {
			dirs[d] = true
		}
	}
	return dirs
}

// lookup finds a file or folder, making the lazy files if it must.
func (m *MemSite) lookup(name string) (data []byte, isFile, isDir bool, err error) {
	if data, ok := m.files[name]; ok {
		return data, true, false, nil
	}
	m.dirsOnce.Do(func() { m.dirs = dirsOf(m.files) })
	if m.dirs[name] {
		return nil, false, true, nil
	}
	if m.later == nil {
		return nil, false, false, nil
	}
	l, err := m.later.get()
	if err != nil {
		return nil, false, false, err
	}
	data, ok := l.files[name]
	return data, ok, l.dirs[name], nil
}

// Paths returns the paths of every file, sorted.
func (m *MemSite) Paths() ([]string, error) {
	out := make([]string, 0, len(m.files))
	for p := range m.files {
		out = append(out, p)
	}
	if m.later != nil {
		l, err := m.later.get()
		if err != nil {
			return nil, err
		}
		for p := range l.files {
			out = append(out, p)
		}
	}
	slices.Sort(out)
	return out, nil
}

// Open opens a file or folder of the site.
func (m *MemSite) Open(name string) (fs.File, error) {
	fi, err := m.Stat(name)
	if err != nil {
		return nil, &fs.PathError{Op: "open", Path: name, Err: fs.ErrNotExist}
	}
	data, _ := m.ReadFile(name)
	return &memFile{Reader: bytes.NewReader(data), info: fi.(memInfo)}, nil
}

// Stat describes a file or folder of the site.
func (m *MemSite) Stat(name string) (fs.FileInfo, error) {
	if !fs.ValidPath(name) {
		return nil, &fs.PathError{Op: "stat", Path: name, Err: fs.ErrInvalid}
	}
	data, isFile, isDir, err := m.lookup(name)
	switch {
	case err != nil:
		return nil, &fs.PathError{Op: "stat", Path: name, Err: err}
	case isFile:
		return memInfo{name: path.Base(name), size: int64(len(data))}, nil
	case isDir:
		return memInfo{name: path.Base(name), dir: true}, nil
	}
	return nil, &fs.PathError{Op: "stat", Path: name, Err: fs.ErrNotExist}
}

// ReadFile returns a file's content; the caller must not modify it.
func (m *MemSite) ReadFile(name string) ([]byte, error) {
	if !fs.ValidPath(name) {
		return nil, &fs.PathError{Op: "read", Path: name, Err: fs.ErrInvalid}
	}
	data, isFile, _, err := m.lookup(name)
	if err != nil {
		return nil, &fs.PathError{Op: "read", Path: name, Err: err}
	}
	if !isFile {
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
