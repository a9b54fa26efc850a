package cli

import (
	"errors"
	"flag"
	"fmt"
	iofs "io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/glassboard/glassboard/internal/board"
	"github.com/glassboard/glassboard/internal/load"
	"github.com/glassboard/glassboard/internal/sample"
	"github.com/glassboard/glassboard/internal/scaffold"
)

func (a *app) newCmd(args []string) int {
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" || args[0] == "-help" {
		w, code := a.stderr, exitUsage
		if len(args) > 0 {
			w, code = a.stdout, exitOK
		}
		fmt.Fprint(w, `Usage:
  glassboard new site DIR [--sample N]
  glassboard new commitment|notice|rating|page ID [-s DIR]

"new site" writes a new board folder; with --sample N it fills it with N
deterministic synthetic records (for demos and benchmarks). The others
write a commented skeleton of a record into the board's content folder.
`)
		return code
	}
	if args[0] == "site" {
		return a.newSite(args[1:])
	}
	if _, ok := scaffold.Kinds[args[0]]; ok {
		return a.newRecord(args[0], args[1:])
	}
	return a.errorf("new: unknown kind %q (want site, commitment, notice, rating or page)", args[0])
}

func (a *app) newSite(args []string) int {
	fs := a.flags("new site", "glassboard new site DIR [--sample N] [--now DATE]",
		"Writes a new board into DIR (which must be empty or not exist).\nWith --sample N, writes N synthetic records anchored at --now (default today),\nso that built with the same --now some notices are open and some redacted.")
	n := fs.Int("sample", -1, "write `N` synthetic records")
	now := nowFlag(fs)
	if code, done := a.parse(fs, interleave(fs, args)); done {
		return code
	}
	dir, err := oneArg(fs, "folder")
	if err != nil {
		return a.errorf("new site: %v", err)
	}
	if *n < 0 {
		if err := scaffold.Site(dir); err != nil {
			return a.errorf("new site: %v", err)
		}
		fmt.Fprintf(a.stdout, "Created a new board in %s.\nEdit %s, add records with \"glassboard new commitment ID -s %s\", then run \"glassboard build -s %s\".\n",
			dir, filepath.Join(dir, "board.toml"), dir, dir)
		return exitOK
	}
	asOf := now.d
	if asOf.IsZero() {
		asOf = board.DateOf(a.now())
	}
	start := time.Now()
	if err := sample.Write(dir, *n, asOf.Time()); err != nil {
		return a.errorf("new site: %v", err)
	}
	fmt.Fprintf(a.stdout, "Created a sample board with %d records in %s in %s.\nBuild it with: glassboard build -s %s --now %s\n",
		*n, dir, time.Since(start).Round(time.Millisecond), dir, asOf)
	return exitOK
}

func (a *app) newRecord(kind string, args []string) int {
	fs := a.flags("new "+kind, "glassboard new "+kind+" ID [-s DIR]",
		"Writes a commented skeleton of a new "+kind+" to content/"+scaffold.Kinds[kind]+"/ID.")
	src := sourceFlag(fs)
	now := nowFlag(fs)
	if code, done := a.parse(fs, interleave(fs, args)); done {
		return code
	}
	id, err := oneArg(fs, "id")
	if err != nil {
		return a.errorf("new %s: %v", kind, err)
	}
	if !board.ValidID(id) {
		return a.errorf("new %s: invalid id %q: use %s", kind, id, board.IDRule)
	}
	b, _, err := load.Load(os.DirFS(*src))
	if err != nil {
		return a.errorf("new %s: %s: %v", kind, *src, err)
	}
	if exists(b, kind, id) {
		return a.errorf("new %s: there is already a %s with id %q", kind, kind, id)
	}
	unit := "main"
	if len(b.Config.Units) > 0 {
		unit = b.Config.Units[0].ID
	}
	today := now.d
	if today.IsZero() {
		loc, err := time.LoadLocation(b.Config.Timezone)
		if err != nil {
			loc = time.UTC
		}
		today = board.DateOf(a.now().In(loc))
	}
	text, err := scaffold.Record(kind, unit, &b.Config, today)
	if err != nil {
		return a.errorf("new %s: %v", kind, err)
	}
	rel := scaffold.Path(kind, id)
	p := filepath.Join(*src, filepath.FromSlash(rel))
	if _, err := os.Stat(p); !errors.Is(err, iofs.ErrNotExist) {
		return a.errorf("new %s: %s already exists", kind, p)
	}
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		return a.errorf("new %s: %v", kind, err)
	}
	if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
		return a.errorf("new %s: %v", kind, err)
	}
	fmt.Fprintf(a.stdout, "Created %s. Fill it in, then run \"glassboard check -s %s\".\n", p, *src)
	return exitOK
}

func exists(b *board.Board, kind, id string) bool {
	switch kind {
	case "commitment":
		for _, r := range b.Commitments {
			if r.ID == id {
				return true
			}
		}
	case "notice":
		for _, r := range b.Notices {
			if r.ID == id {
				return true
			}
		}
	case "rating":
		for _, r := range b.Ratings {
			if r.ID == id {
				return true
			}
		}
	case "page":
		for _, r := range b.Pages {
			if r.ID == id {
				return true
			}
		}
	}
	return false
}

// interleave moves positional arguments after the flags, so that both
// "new site DIR --sample 5" and "new site --sample 5 DIR" work.
func interleave(fs *flag.FlagSet, args []string) []string {
	var flags, pos []string
	for i := 0; i < len(args); i++ {
		arg := args[i]
		if arg == "--" {
			pos = append(pos, args[i+1:]...)
			break
		}
		if len(arg) > 1 && arg[0] == '-' {
			flags = append(flags, arg)
			name := strings.TrimLeft(arg, "-")
			if strings.Contains(name, "=") {
				continue
			}
			if f := fs.Lookup(name); f != nil {
				if bf, ok := f.Value.(interface{ IsBoolFlag() bool }); ok && bf.IsBoolFlag() {
					continue
				}
				if i+1 < len(args) {
					flags = append(flags, args[i+1])
					i++
				}
			}
			continue
		}
		pos = append(pos, arg)
	}
	return append(flags, pos...)
}
