package load

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/glassboard/glassboard/internal/diag"
)

// links refuses symbolic links that would make a build read files from
// outside the board: the folders content/, static/, layouts/ and i18n/
// themselves, and anything in static/, layouts/ and i18n/ (content/ reads
// only regular files: see files). A link to a file inside the board is
// fine. Only a board on disk has links.
func (l *loader) links() {
	if l.dir == "" {
		return
	}
	root, err := filepath.EvalSymlinks(l.dir)
	if err != nil {
		return
	}
	var ds diag.List
	check := func(rel string) {
		target, err := filepath.EvalSymlinks(filepath.Join(l.dir, filepath.FromSlash(rel)))
		switch {
		case err != nil:
			ds.Errorf(rel, 1, 1, "symbolic link that leads nowhere (%v): replace it with the file", unwrapPath(err))
		case !within(target, root):
			ds.Errorf(rel, 1, 1, "symbolic link to %s, outside the board: refused (copy what is needed into the board)", target)
		case !strings.HasPrefix(rel, "content") && within(target, filepath.Join(root, "content")):
			// The source of a record holds its private table.
			ds.Errorf(rel, 1, 1, "symbolic link into content/: refused, it would publish a record's source with its private data")
		default:
			if fi, err := os.Stat(target); err == nil && fi.IsDir() && strings.Contains(rel, "/") {
				ds.Errorf(rel, 1, 1, "symbolic link to a folder: not followed (move the folder here instead)")
			}
		}
	}
	for _, top := range []string{"content", "static", "layouts", "i18n"} {
		fi, err := os.Lstat(filepath.Join(l.dir, top))
		if err != nil {
			continue
		}
		if fi.Mode()&fs.ModeSymlink != 0 {
			check(top)
			continue
		}
		if top == "content" {
			continue
		}
		fs.WalkDir(l.fsys, top, func(p string, d fs.DirEntry, err error) error {
			if err != nil {
				if errors.Is(err, fs.ErrNotExist) {
					return nil
				}
				return nil // unreadable folders are reported where they are read
			}
			if d.Type()&fs.ModeSymlink != 0 {
				check(p)
			}
			return nil
		})
	}
	l.add(ds...)
}

// within reports whether path is dir or inside it.
func within(path, dir string) bool {
	return path == dir || strings.HasPrefix(path, dir+string(filepath.Separator))
}
