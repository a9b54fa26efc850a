package build

import (
	"bytes"
	"errors"
	"io"
	"io/fs"
	"math"
	"os"
	"path"
	"path/filepath"
	"runtime"
	"sync"
	"sync/atomic"
)

// output writes the files of one build into a new folder (tmp). When the
// previous build's folder (prev) holds a file with exactly the same bytes,
// the same mode and the same owner a new file would get, the new folder
// gets a hard link to it instead of a copy: creating a file costs far more
// than comparing one, and the unchanged pages of a rebuild are most pages.
//
// This keeps the swap atomic and the output exact: prev is never written
// to (a changed file is always a new file, never an existing one
// rewritten), the comparison is of the whole content, and tmp ends up
// byte for byte what a build into an empty folder writes.
type output struct {
	tmp   string
	prev  string      // "" when there is no previous build to reuse
	fresh fs.FileInfo // the marker as created: what a new file looks like here

	noLink  atomic.Bool // set once linking has failed: copy from then on
	reused  atomic.Int64
	written atomic.Int64
	bufs    sync.Pool

	// The folders, made in order by one goroutine ahead of the writers.
	dirs     []string       // parents first, in the order files come
	dirIndex map[string]int // folder → its place in dirs
	dirsMade atomic.Int64   // how many of dirs exist
	dirMu    sync.Mutex
	dirCond  sync.Cond // signalled as folders are made
	dirErr   error     // why making a folder failed, under dirMu
	dirsDone chan struct{}
	dirsStop atomic.Bool // the build failed: make no more folders

	statMu sync.Mutex
	stats  map[string]entry // the entries of the files written and the folders filled, by path (see writeFile, entryMade)

	// pending counts, for each folder of dirs, the entries planned in it
	// (its files and folders) that are not made yet: see entryMade.
	pending []atomic.Int32
}

// markerText is the content of the marker file.
const markerText = "This folder is written by glassboard build and replaced on every build.\n"

// newOutput writes the marker into tmp (the first file, so that a fresh
// file's mode and owner can be read from it) and reuses files from prev
// when prev is a folder glassboard made.
func newOutput(tmp, prev string) (*output, error) {
	o := &output{tmp: tmp}
	o.bufs.New = func() any { return new([]byte) }
	markerPath := filepath.Join(tmp, marker)
	if err := os.WriteFile(markerPath, []byte(markerText), 0o644); err != nil {
		return nil, err
	}
	fi, err := os.Lstat(markerPath)
	if err != nil {
		return nil, err
	}
	o.fresh = fi
	if prev != "" {
		if pfi, err := os.Lstat(filepath.Join(prev, marker)); err == nil && pfi.Mode().IsRegular() && sameFS(pfi, fi) {
			o.prev = prev
		}
	}
	return o, nil
}

// makeDirs starts making the folders of the files (slash paths) in the
// order given, parents first, in a goroutine of its own: put waits for a
// file's folder only if that goroutine is not there yet, and since the
// files come in about the order given, it rarely is not.
//
// Making a folder costs as much as writing a small file, a site has a
// folder per record, and folders made in parallel in one parent only wait
// for each other's lock on it: one goroutine, beside the renderers, is
// what makes them fastest.
func (o *output) makeDirs(files []string) {
	o.dirIndex = map[string]int{".": -1}
	var add func(d string)
	add = func(d string) {
		if _, ok := o.dirIndex[d]; ok {
			return
		}
		add(path.Dir(d))
		o.dirIndex[d] = len(o.dirs)
		o.dirs = append(o.dirs, d)
	}
	for _, f := range files {
		add(path.Dir(f))
	}
	o.pending = make([]atomic.Int32, len(o.dirs))
	for _, d := range o.dirs {
		if i := o.dirIndex[path.Dir(d)]; i >= 0 {
			o.pending[i].Add(1)
		}
	}
	for _, f := range files {
		if i := o.dirIndex[path.Dir(f)]; i >= 0 {
			o.pending[i].Add(1)
		}
	}
	o.dirCond.L = &o.dirMu
	o.dirsDone = make(chan struct{})
	go func() {
		defer close(o.dirsDone)
		for i, d := range o.dirs {
			if o.dirsStop.Load() {
				return
			}
			err := os.Mkdir(filepath.Join(o.tmp, filepath.FromSlash(d)), 0o755)
			if err != nil && !errors.Is(err, fs.ErrExist) {
				o.dirMu.Lock()
				o.dirErr = err
				o.dirMu.Unlock()
				o.dirCond.Broadcast()
				return
			}
			o.dirsMade.Store(int64(i + 1))
			o.entryMade(path.Dir(d))
			if i%16 == 15 || i == len(o.dirs)-1 {
				o.dirMu.Lock()
				o.dirMu.Unlock()
				o.dirCond.Broadcast()
			}
		}
	}()
}

// waitDir waits until the folder of the file rel exists. A folder not
// planned by makeDirs is made once the planned ones are.
func (o *output) waitDir(rel string) error {
	i, ok := o.dirIndex[path.Dir(rel)]
	if !ok {
		if err := o.finish(false); err != nil {
			return err
		}
		// The folders made here add an entry to a planned one, which
		// then changes after its planned entries: leave it to the lstat
		// after the build.
		for d := path.Dir(path.Dir(rel)); d != "."; d = path.Dir(d) {
			if j, ok := o.dirIndex[d]; ok {
				o.statMu.Lock()
				o.pending[j].Store(math.MinInt32 / 2)
				delete(o.stats, d)
				o.statMu.Unlock()
				break
			}
		}
		return os.MkdirAll(filepath.Join(o.tmp, filepath.FromSlash(path.Dir(rel))), 0o755)
	}
	if o.dirsMade.Load() > int64(i) {
		return nil
	}
	o.dirMu.Lock()
	defer o.dirMu.Unlock()
	for o.dirsMade.Load() <= int64(i) && o.dirErr == nil {
		o.dirCond.Wait()
	}
	return o.dirErr
}

// finish waits for the folder goroutine; after a failure, it stops it.
func (o *output) finish(failed bool) error {
	if failed {
		o.dirsStop.Store(true)
	}
	<-o.dirsDone
	o.dirMu.Lock()
	defer o.dirMu.Unlock()
	return o.dirErr
}

// fsWorkers is how many file system calls run at once: more than the
// cores, since a call that waits for the disk frees its core.
func fsWorkers() int { return 2 * runtime.GOMAXPROCS(0) }

// parallel calls f(0) … f(n-1) on fsWorkers goroutines and returns the
// first error.
func parallel(n int, f func(i int) error) error {
	if n == 0 {
		return nil
	}
	var (
		next     atomic.Int64
		wg       sync.WaitGroup
		errOnce  sync.Once
		firstErr error
	)
	for range min(n, fsWorkers()) {
		wg.Go(func() {
			for {
				i := int(next.Add(1)) - 1
				if i >= n {
					return
				}
				if err := f(i); err != nil {
					errOnce.Do(func() { firstErr = err })
				}
			}
		})
	}
	wg.Wait()
	return firstErr
}

// removeTree removes dir and everything in it, like os.RemoveAll, with
// the entries two levels down (the record folders) removed in parallel.
func removeTree(dir string) error {
	var jobs []string
	entries, err := os.ReadDir(dir)
	if err != nil {
		return os.RemoveAll(dir)
	}
	for _, e := range entries {
		p := filepath.Join(dir, e.Name())
		if !e.IsDir() {
			jobs = append(jobs, p)
			continue
		}
		sub, err := os.ReadDir(p)
		if err != nil {
			jobs = append(jobs, p)
			continue
		}
		for _, s := range sub {
			jobs = append(jobs, filepath.Join(p, s.Name()))
		}
	}
	parallel(len(jobs), func(i int) error { return os.RemoveAll(jobs[i]) })
	return os.RemoveAll(dir) // the folders emptied, and anything left
}

// put writes data as the file rel (slash-separated) of the new folder.
func (o *output) put(rel string, data []byte) error {
	if err := o.waitDir(rel); err != nil {
		return err
	}
	to := filepath.Join(o.tmp, filepath.FromSlash(rel))
	if o.prev != "" && !o.noLink.Load() {
		from := filepath.Join(o.prev, filepath.FromSlash(rel))
		if o.same(from, data) {
			err := os.Link(from, to)
			if err == nil {
				o.reused.Add(1)
				o.entryMade(path.Dir(rel))
				return nil
			}
			// No hard links here (or too many): copy from now on.
			o.noLink.Store(true)
		}
	}
	e, ok, err := writeFile(to, data, 0o644)
	if err != nil {
		return err
	}
	if ok {
		o.statMu.Lock()
		if o.stats == nil {
			o.stats = map[string]entry{}
		}
		o.stats[rel] = e
		o.statMu.Unlock()
	}
	o.written.Add(1)
	o.entryMade(path.Dir(rel))
	return nil
}

// entryMade counts one entry of the folder dir (a slash path) as made.
// When it is the last entry planned there, the folder will not change
// again, and its entry is recorded for the manifest now, by the goroutine
// that made the entry, rather than by an lstat of every folder after the
// build: at 100,000 records that is 200,000 calls at the end.
//
// A folder given more entries than planned gets a count below zero (a file
// put there, here; a folder made there, in waitDir), and whatever was
// recorded for it is dropped again, so that the manifest lstats it after
// the build.
func (o *output) entryMade(dir string) {
	i, ok := o.dirIndex[dir]
	if !ok || i < 0 {
		return
	}
	left := o.pending[i].Add(-1)
	switch {
	case left == 0:
		fi, err := os.Lstat(filepath.Join(o.tmp, filepath.FromSlash(dir)))
		if err != nil {
			return
		}
		e, ok := entryOf(dir, fi)
		if !ok {
			return
		}
		o.statMu.Lock()
		if o.pending[i].Load() == 0 {
			if o.stats == nil {
				o.stats = map[string]entry{}
			}
			o.stats[dir] = e
		}
		o.statMu.Unlock()
	case left < 0:
		o.statMu.Lock()
		delete(o.stats, dir)
		o.statMu.Unlock()
	}
}

// same reports whether the file at p is a regular file with exactly the
// bytes data and the mode and owner a new file would get.
func (o *output) same(p string, data []byte) bool {
	fi, err := os.Lstat(p)
	if err != nil || !fi.Mode().IsRegular() || fi.Size() != int64(len(data)) ||
		fi.Mode() != o.fresh.Mode() || !sameOwner(fi, o.fresh) {
		return false
	}
	f, err := os.Open(p)
	if err != nil {
		return false
	}
	defer f.Close()
	bp := o.bufs.Get().(*[]byte)
	defer func() {
		if cap(*bp) <= 4<<20 { // do not keep the buffers of big data files
			o.bufs.Put(bp)
		}
	}()
	if cap(*bp) < len(data)+1 {
		*bp = make([]byte, len(data)+1)
	}
	// One byte more than expected must not be there: the file did not grow.
	buf := (*bp)[:len(data)+1]
	n, _ := io.ReadFull(f, buf)
	return n == len(data) && bytes.Equal(buf[:n], data)
}
