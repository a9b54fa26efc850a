package build

import (
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"time"

	"github.com/glassboard/glassboard/internal/board"
	"github.com/glassboard/glassboard/internal/load"
	"github.com/glassboard/glassboard/internal/opendata"
)

// keep takes over the output in dest when its manifest says that it was
// built with the same fingerprint (key) and it verifies. When the time of
// generation is the same too, nothing is written and res says Unchanged.
// When only that time differs (a build not pinned to a day, without
// SOURCE_DATE_EPOCH, stamps data files with the current time), the files
// that carry it are made again and replaced (refresh). keep reports
// whether the output was taken over; when it was not, the caller builds
// in full, which also makes right whatever keep could not.
func (o Options) keep(res *Result, dest, key string, srcFS fs.FS, s *board.Snapshot, generated time.Time) bool {
	m, err := readManifest(dest)
	if err != nil || m.key != key || !m.verify(dest) {
		return false
	}
	cleanStale(filepath.Dir(dest), filepath.Base(dest))
	if m.generated == stamp(generated) {
		res.Pages, res.Files, res.Reused, res.Unchanged = m.pages, m.files, m.files, true
		return true
	}
	n, err := o.refresh(dest, m, srcFS, s, generated)
	if err != nil {
		return false
	}
	res.Pages, res.Files, res.Reused, res.Refreshed = m.pages, m.files, m.files-n, n
	return true
}

// refresh makes the open data and feeds of s again with the time
// generated, in the output dest that m verified, and replaces each file
// whose bytes changed (the data files' "generated", an empty feed's
// "updated"); the pages do not show that time and stay. It returns how
// many files it replaced.
//
// Every new file is written beside the one it replaces first; only when
// all are written are they renamed over the old ones, each in one atomic
// step, and then the manifest. A reader sees each file whole, old or new;
// for the moment of the renames, some data files may still carry the
// previous time of generation while others carry the new one, with the
// same records in both. Until the new manifest is in place, the renamed
// files' new inodes make the next build a full one.
func (o Options) refresh(dest string, m *manifest, srcFS fs.FS, s *board.Snapshot, generated time.Time) (int, error) {
	strs, err := load.Strings(s.Config.Language, o.Theme, srcFS)
	if err != nil {
		return 0, err
	}
	data := opendata.New(s, generated)
	data.DropCanonical() // the files encode each record again, one file at a time
	data.UseStrings(strs)
	index := make(map[string]int, len(m.entries))
	for i, e := range m.entries {
		index[e.path] = i
	}
	type replacement struct{ path, tmp string }
	var todo []replacement
	defer func() {
		for _, r := range todo {
			os.Remove(r.tmp) // those not renamed: after a failure
		}
	}()
	err = data.EachFile(func(f opendata.File) error {
		i, ok := index[f.Path]
		if !ok || !m.entries[i].mode.IsRegular() {
			return fmt.Errorf("%s is not in the manifest", f.Path)
		}
		p := filepath.Join(dest, filepath.FromSlash(f.Path))
		if sameBytes(p, f.Data) {
			return nil
		}
		tmp, err := writeBeside(p, f.Data)
		if err != nil {
			return err
		}
		todo = append(todo, replacement{f.Path, tmp})
		return nil
	})
	if err != nil {
		return 0, err
	}
	n := len(todo)
	changed := map[string]bool{}
	for len(todo) > 0 {
		r := todo[0]
		if err := os.Rename(r.tmp, filepath.Join(dest, filepath.FromSlash(r.path))); err != nil {
			return 0, err
		}
		todo = todo[1:]
		changed[r.path], changed[path.Dir(r.path)] = true, true
	}
	// The manifest: the replaced files and their folders as they are now.
	var newest time.Time
	for p := range changed {
		i := index[p]
		fi, err := os.Lstat(filepath.Join(dest, filepath.FromSlash(p)))
		if err != nil {
			return 0, err
		}
		e, ok := entryOf(p, fi)
		if !ok {
			return 0, fmt.Errorf("%s: no inode number", p)
		}
		m.entries[i] = e
		if t := fi.ModTime(); t.After(newest) {
			newest = t
		}
	}
	m.generated = stamp(generated)
	settle(newest)
	if err := writeManifest(dest, m); err != nil {
		// The output is right; without a manifest the next build is a
		// full one.
		os.Remove(filepath.Join(dest, manifestName))
	}
	return n, nil
}

// sameBytes reports whether the file p holds exactly data.
func sameBytes(p string, data []byte) bool {
	fi, err := os.Lstat(p)
	if err != nil || !fi.Mode().IsRegular() || fi.Size() != int64(len(data)) {
		return false
	}
	b, err := os.ReadFile(p)
	return err == nil && string(b) == string(data)
}

// writeBeside writes data into a new hidden file in the folder of p, with
// the mode a file of the build gets, and returns its path.
func writeBeside(p string, data []byte) (string, error) {
	dir, base := filepath.Split(p)
	for i := 0; ; i++ {
		tmp := filepath.Join(dir, fmt.Sprintf(".%s.tmp-%d-%d", base, os.Getpid(), i))
		f, err := os.OpenFile(tmp, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
		if os.IsExist(err) && i < 100 {
			continue
		}
		if err != nil {
			return "", err
		}
		_, err = f.Write(data)
		if cerr := f.Close(); err == nil {
			err = cerr
		}
		if err != nil {
			os.Remove(tmp)
			return "", err
		}
		return tmp, nil
	}
}
