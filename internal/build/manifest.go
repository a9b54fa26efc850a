package build

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync/atomic"
	"time"
)

// manifestName is the file, in the output folder beside the marker, in
// which a build leaves its fingerprint (fingerprint.go) and what it wrote:
// every file and folder with its type, mode, owner, size, modification
// time and inode number. The next build with the same fingerprint checks
// the output against it with one lstat(2) per entry and, when everything
// is as written and nothing was added, writes nothing.
//
// Like the marker, it is a hidden file: no page links to it, the sitemap
// does not list it, and `glassboard serve` does not serve hidden files. It
// holds paths and file metadata, nothing from the records.
const manifestName = ".glassboard-manifest"

// manifestHeader is the first line of a manifest; another one (an older or
// newer glassboard) is not read, and the build is a full one.
const manifestHeader = "glassboard-manifest 1"

// manifest is what one build wrote into its output folder.
type manifest struct {
	key       string  // inputKey of the build
	generated string  // the time written into data files and feeds (stamp)
	pages     int     // Result.Pages of the build
	files     int     // Result.Files of the build
	entries   []entry // sorted by path; "." is the output folder itself
}

// entry is one file or folder of the output as lstat(2) saw it.
type entry struct {
	path     string // slash path relative to the output folder
	mode     fs.FileMode
	ino      uint64
	uid, gid uint64
	size     int64
	mtime    int64 // nanoseconds; not compared for "." (see verify)
}

// stamp is the time of generation as the data files write it: UTC, to the
// second.
func stamp(generated time.Time) string {
	return generated.UTC().Truncate(time.Second).Format(time.RFC3339)
}

// entryOf makes the entry of path p from what lstat said of it.
func entryOf(p string, fi fs.FileInfo) (entry, bool) {
	ino, uid, gid, ok := statIDs(fi)
	return entry{path: p, mode: fi.Mode(), ino: ino, uid: uid, gid: gid, size: fi.Size(), mtime: fi.ModTime().UnixNano()}, ok
}

// same reports whether e still describes the file or folder fi.
func (e entry) same(fi fs.FileInfo) bool {
	got, ok := entryOf(e.path, fi)
	if !ok {
		return false
	}
	if e.path == "." {
		// The output folder's own time changes with the swap and with
		// the manifest written into it; its entries are listed instead.
		got.mtime, got.size = e.mtime, e.size
	}
	return got == e
}

// record lstats, under dir, the files (slash paths) and every folder that
// holds them, and returns their entries sorted by path, and the latest
// modification time among them. An entry in known is taken as it is there
// (for a file, what fstat said right after writing it; for a folder, what
// lstat said once its last entry was made: see output.entryMade), not
// lstat'ed again.
func record(dir string, files []string, known map[string]entry) ([]entry, time.Time, error) {
	paths := map[string]bool{".": true}
	for _, f := range files {
		for p := f; p != "." && !paths[p]; p = path.Dir(p) {
			paths[p] = true
		}
	}
	entries := make([]entry, 0, len(paths))
	for p := range paths {
		entries = append(entries, entry{path: p})
	}
	slices.SortFunc(entries, func(a, b entry) int { return strings.Compare(a.path, b.path) })
	var newest atomic.Int64
	err := parallel(len(entries), func(i int) error {
		e := &entries[i]
		got, ok := known[e.path]
		if ok {
			got.path = e.path
		} else {
			fi, err := os.Lstat(filepath.Join(dir, filepath.FromSlash(e.path)))
			if err != nil {
				return err
			}
			if got, ok = entryOf(e.path, fi); !ok {
				return errors.New("no inode numbers")
			}
		}
		*e = got
		for {
			old := newest.Load()
			if got.mtime <= old || newest.CompareAndSwap(old, got.mtime) {
				break
			}
		}
		return nil
	})
	if err != nil {
		return nil, time.Time{}, fmt.Errorf("recording the output: %w", err)
	}
	return entries, time.Unix(0, newest.Load()), nil
}

// settle waits until the clock that stamps files has moved past newest,
// the latest modification time recorded: the kernel stamps files with a
// clock that advances by ticks of a few milliseconds, and a file edited in
// the same tick as it was written would keep its recorded time. An edit
// after settle returns gets a later time, which verify sees (git calls
// this the racily clean entry). Right after a large build the newest file
// is seconds old and settle does not wait; it never waits more than
// 100 ms, however far ahead a file system's clock is.
func settle(newest time.Time) {
	const tick = 20 * time.Millisecond // longer than a kernel tick at 100 Hz
	if d := time.Until(newest.Add(tick)); d > 0 {
		time.Sleep(min(d, 100*time.Millisecond))
	}
}

// encode writes the manifest as text: a header, one line per entry (mode,
// inode, owner, group, size, modification time, quoted path), and the
// SHA-256 of all that, so that a manifest cut short or edited is refused.
func (m *manifest) encode() []byte {
	var b bytes.Buffer
	b.Grow(256 + 80*len(m.entries))
	fmt.Fprintf(&b, "%s\nkey %s\ngenerated %s\npages %d\nfiles %d\n", manifestHeader, m.key, m.generated, m.pages, m.files)
	var line []byte
	for _, e := range m.entries {
		line = line[:0]
		line = strconv.AppendUint(line, uint64(e.mode), 16)
		for _, n := range []uint64{e.ino, e.uid, e.gid} {
			line = append(line, ' ')
			line = strconv.AppendUint(line, n, 10)
		}
		line = append(line, ' ')
		line = strconv.AppendInt(line, e.size, 10)
		line = append(line, ' ')
		line = strconv.AppendInt(line, e.mtime, 10)
		line = append(line, ' ')
		line = strconv.AppendQuote(line, e.path)
		line = append(line, '\n')
		b.Write(line)
	}
	sum := sha256.Sum256(b.Bytes())
	fmt.Fprintf(&b, "sha256 %x\n", sum)
	return b.Bytes()
}

// errManifest says that a manifest is not one this build can read.
var errManifest = errors.New("not a glassboard manifest")

// decodeManifest reads what encode wrote. Anything else (cut short,
// edited, of another version) is an error, never a panic.
func decodeManifest(data []byte) (*manifest, error) {
	body, tail, ok := cutLastLine(data)
	if !ok {
		return nil, errManifest
	}
	want, ok := strings.CutPrefix(tail, "sha256 ")
	if sum := sha256.Sum256(body); !ok || want != hex.EncodeToString(sum[:]) {
		return nil, fmt.Errorf("%w: its checksum does not match", errManifest)
	}
	lines := strings.Split(strings.TrimSuffix(string(body), "\n"), "\n")
	if len(lines) < 5 || lines[0] != manifestHeader {
		return nil, errManifest
	}
	m := &manifest{}
	var err error
	field := func(line, name string) string {
		v, ok := strings.CutPrefix(line, name+" ")
		if !ok && err == nil {
			err = fmt.Errorf("%w: no %s", errManifest, name)
		}
		return v
	}
	number := func(line, name string) int {
		n, perr := strconv.Atoi(field(line, name))
		if perr != nil && err == nil {
			err = fmt.Errorf("%w: %s: %v", errManifest, name, perr)
		}
		return n
	}
	m.key = field(lines[1], "key")
	m.generated = field(lines[2], "generated")
	m.pages = number(lines[3], "pages")
	m.files = number(lines[4], "files")
	if err != nil {
		return nil, err
	}
	m.entries = make([]entry, 0, len(lines)-5)
	for i, line := range lines[5:] {
		e, err := decodeEntry(line)
		if err != nil {
			return nil, fmt.Errorf("%w: line %d: %v", errManifest, i+6, err)
		}
		if n := len(m.entries); n > 0 && m.entries[n-1].path >= e.path {
			return nil, fmt.Errorf("%w: line %d: not in order", errManifest, i+6)
		}
		m.entries = append(m.entries, e)
	}
	if len(m.entries) == 0 || m.entries[0].path != "." {
		return nil, fmt.Errorf("%w: the output folder is not listed", errManifest)
	}
	return m, nil
}

// cutLastLine splits data, which must end in a newline, before its last line.
func cutLastLine(data []byte) (body []byte, last string, ok bool) {
	if len(data) == 0 || data[len(data)-1] != '\n' {
		return nil, "", false
	}
	i := bytes.LastIndexByte(data[:len(data)-1], '\n')
	if i < 0 {
		return nil, "", false
	}
	return data[:i+1], string(data[i+1 : len(data)-1]), true
}

func decodeEntry(line string) (entry, error) {
	var nums [6]string
	rest := line
	for i := range nums {
		var ok bool
		nums[i], rest, ok = strings.Cut(rest, " ")
		if !ok {
			return entry{}, errors.New("too few fields")
		}
	}
	p, err := strconv.Unquote(rest)
	if err != nil {
		return entry{}, fmt.Errorf("path: %v", err)
	}
	if p != "." && !fs.ValidPath(p) {
		return entry{}, fmt.Errorf("path %q is not a path inside the output", p)
	}
	e := entry{path: p}
	mode, err := strconv.ParseUint(nums[0], 16, 32)
	if err != nil {
		return entry{}, err
	}
	e.mode = fs.FileMode(mode)
	for i, dst := range []*uint64{&e.ino, &e.uid, &e.gid} {
		if *dst, err = strconv.ParseUint(nums[1+i], 10, 64); err != nil {
			return entry{}, err
		}
	}
	if e.size, err = strconv.ParseInt(nums[4], 10, 64); err != nil {
		return entry{}, err
	}
	if e.mtime, err = strconv.ParseInt(nums[5], 10, 64); err != nil {
		return entry{}, err
	}
	return e, nil
}

// readManifest reads the manifest of the output folder dest.
func readManifest(dest string) (*manifest, error) {
	data, err := os.ReadFile(filepath.Join(dest, manifestName))
	if err != nil {
		return nil, err
	}
	return decodeManifest(data)
}

// verify reports whether the output folder dir is exactly as the manifest
// recorded it: every entry is there with the same type, mode, owner,
// group, size, modification time and inode, and nothing was added. A file
// edited in place changes its time, one replaced its inode, one removed is
// missing, one added or renamed changes the time of its folder; only the
// output folder itself, whose time changes with every build, is compared
// by listing its entries.
func (m *manifest) verify(dir string) bool {
	var bad atomic.Bool
	parallel(len(m.entries), func(i int) error {
		if bad.Load() {
			return nil
		}
		e := m.entries[i]
		fi, err := os.Lstat(filepath.Join(dir, filepath.FromSlash(e.path)))
		if err != nil || !e.same(fi) {
			bad.Store(true)
		}
		return nil
	})
	if bad.Load() {
		return false
	}
	names, err := readNames(dir)
	if err != nil {
		return false
	}
	want := []string{manifestName}
	for _, e := range m.entries {
		if e.path != "." && !strings.Contains(e.path, "/") {
			want = append(want, e.path)
		}
	}
	slices.Sort(want)
	return slices.Equal(names, want)
}

// readNames returns the names in the folder dir, sorted.
func readNames(dir string) ([]string, error) {
	f, err := os.Open(dir)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	names, err := f.Readdirnames(-1)
	slices.Sort(names)
	return names, err
}

// writeManifest writes m into the output folder dir: through a temporary
// file renamed over the old manifest, so that a manifest is always whole.
// A leftover temporary file (a killed build) is an entry no manifest lists,
// so the next build is a full one and removes it.
func writeManifest(dir string, m *manifest) error {
	tmp := filepath.Join(dir, manifestName+".tmp")
	if err := os.WriteFile(tmp, m.encode(), 0o644); err != nil {
		os.Remove(tmp)
		return fmt.Errorf("writing the manifest: %w", err)
	}
	if err := os.Rename(tmp, filepath.Join(dir, manifestName)); err != nil {
		os.Remove(tmp)
		return fmt.Errorf("writing the manifest: %w", err)
	}
	return nil
}
