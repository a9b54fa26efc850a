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
	pages    *pageFiles        // nil: none; under files
	fixed    map[string][]byte // under pages
	dirsOnce sync.Once         // dirs are listed when first asked for: pages link to files
	dirs     map[string]bool
	later    *lazyFiles // nil: none
}

// pageFiles are the preview's pages: their paths' places, shared by the
// sites whose pages have the same paths in the same order, and the pages
// in that order.
type pageFiles struct {
	at    map[string]int32
	pages []*memo
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

// newMemSite returns a site of files, over pages (nil for none), over
// fixed files, and of the files later makes when first asked for (nil
// for none). Of two files of one path, the one over the other is read.
func newMemSite(files map[string][]byte, pages *pageFiles, fixed map[string][]byte, later func() (map[string][]byte, error)) *MemSite {
	m := &MemSite{files: files, pages: pages, fixed: fixed}
	if later != nil {
		m.later = &lazyFiles{make: later}
	}
	return m
}

// paths calls fn with the path of every file but the lazy ones.
func (m *MemSite) paths(fn func(string)) {
	for p := range m.files {
		fn(p)
	}
	if m.pages != nil {
		for p := range m.pages.at {
			fn(p)
		}
	}
	for p := range m.fixed {
		fn(p)
	}
}

func dirsOf(files map[string][]byte) map[string]bool {
	dirs := map[string]bool{".": true}
	for p := range files {
		addDirs(dirs, p)
	}
	return dirs
}

// addDirs adds the folders of path p to dirs.
func addDirs(dirs map[string]bool, p string) {
	for d := path.Dir(p); d != "." && !dirs[d]; d = path.Dir(d) {
		dirs[d] = true
	}
}

// lookup finds a file or folder, making the lazy files if it must.
func (m *MemSite) lookup(name string) (data []byte, isFile, isDir bool, err error) {
	if data, ok := m.files[name]; ok {
		return data, true, false, nil
	}
	if m.pages != nil {
		if i, ok := m.pages.at[name]; ok {
			return m.pages.pages[i].data, true, false, nil
		}
	}
	if data, ok := m.fixed[name]; ok {
		return data, true, false, nil
	}
	m.dirsOnce.Do(func() {
		m.dirs = map[string]bool{".": true}
		m.paths(func(p string) { addDirs(m.dirs, p) })
	})
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
	m.paths(func(p string) { out = append(out, p) })
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
	return slices.Compact(out), nil
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
