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

// sourceSum hashes the files a build reads from the board folder src. It
// is taken before the board is loaded: a file edited while the build runs
// then makes the stored fingerprint differ from the board's, so that the
// next build is a full one.
func sourceSum(src string) ([]byte, error) {
	fsys := os.DirFS(src)
	type file struct {
		path   string
		kind   fs.FileMode
		absent bool
		sum    [sha256.Size]byte
	}
	var files []file
	for _, top := range []string{"board.toml", "content", "layouts", "static", "i18n"} {
		// Walked through os.DirFS as the build reads them: a top folder
		// that is a symbolic link is followed, links inside are read
		// through.
		err := fs.WalkDir(fsys, top, func(p string, d fs.DirEntry, err error) error {
			if err != nil {
				if p == top && errors.Is(err, fs.ErrNotExist) {
					files = append(files, file{path: p, absent: true})
					return nil
				}
				return err
			}
			files = append(files, file{path: p, kind: d.Type()})
			return nil
		})
		if err != nil {
			return nil, fmt.Errorf("fingerprint of the board: %w", err)
		}
	}
	bufs := sync.Pool{New: func() any { return new([64 << 10]byte) }}
	err := parallel(len(files), func(i int) error {
		f := &files[i]
		// Regular files and links are read (a link through to what it
		// names); a folder by its entries; a pipe or device, which no
		// build reads, by its name and type only.
		if f.absent || (f.kind != 0 && f.kind != fs.ModeSymlink) {
			return nil
		}
		buf := bufs.Get().(*[64 << 10]byte)
		defer bufs.Put(buf)
		h := sha256.New()
		if err := hashFile(h, filepath.Join(src, filepath.FromSlash(f.path)), buf[:]); err != nil {
			return fmt.Errorf("fingerprint of the board: %w", err)
		}
		h.Sum(f.sum[:0])
		return nil
	})
	if err != nil {
		return nil, err
	}
	h := sha256.New()
	for _, f := range files {
		fmt.Fprintf(h, "%q %v %t %x\n", f.path, f.kind, f.absent, f.sum)
	}
	return h.Sum(nil), nil
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
