package build

import (
	"crypto/sha256"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"

	"github.com/glassboard/glassboard/internal/board"
	"github.com/glassboard/glassboard/internal/load"
)

// The fingerprint of a build is a SHA-256 of everything its output depends
// on, except the time written into data files and feeds (Generated), which
// the manifest keeps apart (see refresh.go):
//
//   - every file under the board's board.toml, content/, layouts/, static/
//     and i18n/, by path, type and content (hidden and backup files too:
//     a stray file costs a full build, never a stale one);
//   - every file of the theme (Options.Theme);
//   - the running executable, byte for byte: a rebuilt glassboard may
//     render the same board differently;
//   - the time zone data the board's timezone is read from;
//   - the day of the build, whether it is pinned (--now), BaseURL, Paper;
//   - who makes the files (owner, group, umask), which decides their modes.
//
// Two builds with the same fingerprint and the same Generated write the
// same output, byte for byte and mode for mode.

// fingerprintVersion changes whenever what goes into a fingerprint does.
const fingerprintVersion = "glassboard-fingerprint 1"

// A sourceScan fingerprints the files a build reads from the board folder,
// in two steps around the load (scanSource, then sum), so that the board's
// records are read once, not once to hash and once to build:
//
//   - scanSource lists every file first, and hashes at once those the
//     build reads after the load (layouts/, static/, i18n/) and those the
//     load passes over (load.Ignored). A file edited while the build runs
//     then makes the stored fingerprint differ from the board's, so that
//     the next build is a full one; a file hashed after it was read could
//     instead leave the next build a stale output.
//   - The loader hands over the bytes of board.toml and of each record and
//     page as it reads them (read, through load.LoadReading): the hash is
//     of exactly what was built.
//   - sum combines it all. It fails, which leaves the output without a
//     manifest and makes the next build a full one, when the files the
//     loader read are not the files listed: a listed file it did not hand
//     over (gone, or replaced by a folder, during the build; or a stray
//     file, which fails the build anyway), or one it read that the listing
//     did not find (made during the build). Either way the output may hold
//     a board that was never on disk as listed, and hashing the disk after
//     the load could make a later board match it.
type sourceScan struct {
	src   string
	files []sourceFile
	// byPath indexes the files the loader must hand over; read-only after
	// scanSource.
	byPath map[string]int
	mu     sync.Mutex // guards the sums and done of those files, and unlisted
	// unlisted is a file the loader read that the listing did not find.
	unlisted string
}

type sourceFile struct {
	path   string
	kind   fs.FileMode
	absent bool
	done   bool // hashed
	sum    [sha256.Size]byte
}

// readByLoader reports whether the loader reads the board file at path:
// board.toml, and what it does not pass over under content/.
func readByLoader(path string) bool {
	return path == "board.toml" || strings.HasPrefix(path, "content/") && !load.Ignored(path)
}

// hashable reports whether f is hashed by content: regular files and links
// (a link through to what it names). A folder counts by its entries, a
// pipe or device, which no build reads, by its name and type only.
func (f *sourceFile) hashable() bool {
	return !f.absent && (f.kind == 0 || f.kind == fs.ModeSymlink)
}

// scanSource lists the board folder src and hashes the files the build
// reads after the load.
func scanSource(src string) (*sourceScan, error) {
	fsys := os.DirFS(src)
	sc := &sourceScan{src: src, byPath: map[string]int{}}
	for _, top := range []string{"board.toml", "content", "layouts", "static", "i18n"} {
		// Walked through os.DirFS as the build reads them: a top folder
		// that is a symbolic link is followed, links inside are read
		// through.
		err := fs.WalkDir(fsys, top, func(p string, d fs.DirEntry, err error) error {
			if err != nil {
				if p == top && errors.Is(err, fs.ErrNotExist) {
					sc.files = append(sc.files, sourceFile{path: p, absent: true})
					return nil
				}
				return err
			}
			sc.files = append(sc.files, sourceFile{path: p, kind: d.Type()})
			return nil
		})
		if err != nil {
			return nil, fmt.Errorf("fingerprint of the board: %w", err)
		}
	}
	var now []int
	for i := range sc.files {
		f := &sc.files[i]
		switch {
		case !f.hashable():
			f.done = true
		case readByLoader(f.path):
			sc.byPath[f.path] = i
		default:
			now = append(now, i)
		}
	}
	if err := sc.hashFiles(now); err != nil {
		return nil, err
	}
	return sc, nil
}

// read takes the content of a file the loader read (load.LoadReading).
func (sc *sourceScan) read(path string, data []byte) {
	i, ok := sc.byPath[path]
	if !ok {
		sc.mu.Lock()
		sc.unlisted = path // made after the listing
		sc.mu.Unlock()
		return
	}
	sum := sha256.Sum256(data)
	sc.mu.Lock()
	sc.files[i].sum, sc.files[i].done = sum, true
	sc.mu.Unlock()
}

// sum returns the fingerprint of the board's files. Call it after the
// load, when the loader has handed over what it read.
func (sc *sourceScan) sum() ([]byte, error) {
	if sc.unlisted != "" {
		return nil, fmt.Errorf("fingerprint of the board: %s appeared during the build", sc.unlisted)
	}
	for _, f := range sc.files {
		if !f.done {
			return nil, fmt.Errorf("fingerprint of the board: %s was not read as listed (changed during the build?)", f.path)
		}
	}
	h := sha256.New()
	for _, f := range sc.files {
		fmt.Fprintf(h, "%q %v %t %x\n", f.path, f.kind, f.absent, f.sum)
	}
	return h.Sum(nil), nil
}

// hashFiles hashes the files at the indexes, from the disk, in parallel.
func (sc *sourceScan) hashFiles(idx []int) error {
	bufs := sync.Pool{New: func() any { return new([64 << 10]byte) }}
	return parallel(len(idx), func(i int) error {
		f := &sc.files[idx[i]]
		buf := bufs.Get().(*[64 << 10]byte)
		defer bufs.Put(buf)
		h := sha256.New()
		if err := hashFile(h, filepath.Join(sc.src, filepath.FromSlash(f.path)), buf[:]); err != nil {
			return fmt.Errorf("fingerprint of the board: %w", err)
		}
		h.Sum(f.sum[:0])
		f.done = true
		return nil
	})
}

// themeSum hashes every file of the theme.
func themeSum(theme fs.FS) ([]byte, error) {
	if theme == nil {
		return nil, errors.New("fingerprint of the theme: no theme")
	}
	h := sha256.New()
	err := fs.WalkDir(theme, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		fmt.Fprintf(h, "%q %v", p, d.Type())
		if !d.IsDir() {
			data, err := fs.ReadFile(theme, p)
			if err != nil {
				return err
			}
			fmt.Fprintf(h, " %x", sha256.Sum256(data))
		}
		h.Write([]byte{'\n'})
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("fingerprint of the theme: %w", err)
	}
	return h.Sum(nil), nil
}

// binarySum returns the SHA-256 of the running executable. It is a
// variable so that tests can stand for a rebuilt glassboard.
//
// The bytes of the executable are the only exact identity of the code
// that renders: build information (debug.ReadBuildInfo) names a commit
// but not uncommitted changes, nor a `go run`. On Linux /proc/self/exe is
// read, the file the process runs even if a newer glassboard has since
// been installed over it; elsewhere the path os.Executable gives. It is
// read once per process (16 MB, about 10 ms).
var binarySum = sync.OnceValues(func() ([]byte, error) {
	name := "/proc/self/exe"
	if runtime.GOOS != "linux" {
		exe, err := os.Executable()
		if err != nil {
			return nil, fmt.Errorf("fingerprint of the executable: %w", err)
		}
		name = exe
	}
	f, err := os.Open(name)
	if err != nil {
		return nil, fmt.Errorf("fingerprint of the executable: %w", err)
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return nil, fmt.Errorf("fingerprint of the executable: %w", err)
	}
	return h.Sum(nil), nil
})

// zoneSources are where time.LoadLocation looks for a zone on Unix, after
// $ZONEINFO and before the data embedded in the executable.
var zoneSources = []string{"/usr/share/zoneinfo/", "/usr/share/lib/zoneinfo/", "/usr/lib/locale/TZ/", "/etc/zoneinfo"}

// zoneSum hashes the time zone data the board's timezone is read from, as
// time.LoadLocation finds it: a tzdata update can move an offset that the
// feeds print. The data embedded in the executable is in binarySum.
func zoneSum(name string) []byte {
	h := sha256.New()
	fmt.Fprintf(h, "zone %q\n", name)
	if name == "" || name == "UTC" || strings.Contains(name, "..") {
		return h.Sum(nil)
	}
	sources := zoneSources
	if env := os.Getenv("ZONEINFO"); env != "" {
		fmt.Fprintf(h, "ZONEINFO %q\n", env)
		sources = append([]string{env}, sources...)
	}
	for _, dir := range sources {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if fi, err := os.Stat(dir); err == nil && fi.Mode().IsRegular() {
			p = dir // a zip file of zones, as $ZONEINFO may name
		}
		data, err := os.ReadFile(p)
		if err != nil {
			continue
		}
		fmt.Fprintf(h, "%q %x\n", p, sha256.Sum256(data))
		break
	}
	return h.Sum(nil)
}

// inputKey is the fingerprint of a build of the board whose files hash to
// source, for the day today (live when the day was not pinned), into the
// folder parent. timezone is the board's.
func (o Options) inputKey(source []byte, today board.Date, live bool, timezone, parent string) (string, error) {
	bin, err := binarySum()
	if err != nil {
		return "", err
	}
	theme, err := themeSum(o.Theme)
	if err != nil {
		return "", err
	}
	creator, err := creatorKey(parent)
	if err != nil {
		return "", fmt.Errorf("fingerprint of the file owner: %w", err)
	}
	h := sha256.New()
	fmt.Fprintf(h, "%s\nexecutable %x\ntheme %x\nboard %x\nzone %x\n", fingerprintVersion, bin, theme, source, zoneSum(timezone))
	fmt.Fprintf(h, "today %s\nlive %t\nbase_url %q\npaper %q\ncreator %s\n", today, live, o.BaseURL, o.Paper, creator)
	return fmt.Sprintf("%x", h.Sum(nil)), nil
}
