package build

import (
	"errors"
	"fmt"
	"io/fs"
	"math/rand/v2"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/glassboard/glassboard"
	"github.com/glassboard/glassboard/internal/sample"
)

// TestPreviewEqualsFullBuild edits a sample board at random, one or a few
// files at a time, and checks after every edit that the preview's
// incremental rebuild holds exactly the files, byte for byte, of a full
// build of the same board into a folder; and that it rendered fewer pages
// than a full build when only records changed.
func TestPreviewEqualsFullBuild(t *testing.T) {
	seeds := []uint64{1, 2, 3}
	steps := 20
	if testing.Short() {
		seeds, steps = seeds[:1], 12
	}
	for _, seed := range seeds {
		t.Run(fmt.Sprint("seed", seed), func(t *testing.T) {
			src := filepath.Join(t.TempDir(), "board")
			if err := sample.Write(src, 120, today(benchDay).Time()); err != nil {
				t.Fatal(err)
			}
			dest := filepath.Join(t.TempDir(), "public")
			o := Options{Source: src, Dest: dest, Theme: glassboard.Theme, Today: today(benchDay)}
			p, err := NewPreview(o)
			if err != nil {
				t.Fatal(err)
			}
			comparePreview(t, p, nil, o, "first build")

			e := &editor{t: t, dir: src, rng: rand.New(rand.NewPCG(seed, 7))}
			valid, failed := 0, 0
			for step := range steps {
				what, changed := e.edit()
				newDay := e.rng.IntN(8) < 2 // a new day renders every page again
				if newDay {
					p.o.Today = p.o.Today.AddDays(1 - 2*e.rng.IntN(2))
					o.Today = p.o.Today
					what += ", and the day moved"
				}
				if comparePreviewStrict(t, p, changed, o, fmt.Sprintf("step %d: %s", step, what), !newDay) {
					valid++
				} else {
					failed++
					// Undo an edit that broke the board, so that most
					// steps build; the undo is a step of its own.
					comparePreview(t, p, e.undo(), o, fmt.Sprintf("step %d: undo", step))
				}
				if t.Failed() {
					return
				}
			}
			if valid < steps/2 || failed == 0 && !testing.Short() {
				t.Errorf("%d edits built and %d did not: the edits should be mostly valid, and some not", valid, failed)
			}
		})
	}
}

// comparePreview rebuilds p and o and compares their outcome; it reports
// whether the board built. With strict set, a rebuild after edits of
// records only must not render every page again.
func comparePreview(t *testing.T, p *Preview, changed []string, o Options, what string) bool {
	return comparePreviewStrict(t, p, changed, o, what, false)
}

func comparePreviewStrict(t *testing.T, p *Preview, changed []string, o Options, what string, strict bool) bool {
	t.Helper()
	pres, perr := p.Rebuild(changed)
	fres, ferr := Run(o)
	if (perr == nil) != (ferr == nil) || (perr != nil && !errors.Is(perr, ErrContent)) {
		t.Fatalf("%s: preview error %v, full build error %v", what, perr, ferr)
	}
	if perr != nil {
		if got, want := fmt.Sprint(pres.Diags), fmt.Sprint(fres.Diags); got != want {
			t.Fatalf("%s: diagnostics differ:\npreview:\n%s\nfull:\n%s", what, got, want)
		}
		t.Logf("%s: content errors, as in the full build: %v", what, pres.Diags)
		return false
	}
	full := tree(t, o.Dest)
	delete(full, marker)
	paths, err := pres.Site.Paths()
	if err != nil {
		t.Fatalf("%s: %v", what, err)
	}
	if len(paths) != len(full) {
		t.Errorf("%s: preview has %d files, full build %d", what, len(paths), len(full))
	}
	for _, path := range paths {
		data, _ := pres.Site.ReadFile(path)
		want, ok := full[path]
		switch {
		case !ok:
			t.Errorf("%s: %s only in the preview", what, path)
		case string(data) != want:
			t.Errorf("%s: %s differs from the full build:\n%s", what, path, firstDiff(want, string(data)))
		}
	}
	for path := range full {
		if _, err := pres.Site.Stat(path); err != nil {
			t.Errorf("%s: %s missing in the preview", what, path)
		}
	}
	if pres.Pages != fres.Pages {
		t.Errorf("%s: preview has %d pages, full build %d", what, pres.Pages, fres.Pages)
	}
	onlyContent := changed != nil
	for _, c := range changed {
		onlyContent = onlyContent && strings.HasPrefix(c, "content/")
	}
	if strict && onlyContent && pres.Rendered >= pres.Pages {
		t.Errorf("%s: rendered all %d pages again", what, pres.Pages)
	}
	t.Logf("%s: rendered %d of %d pages", what, pres.Rendered, pres.Pages)
	return true
}

// editor makes random edits to a board folder.
type editor struct {
	t     *testing.T
	dir   string
	rng   *rand.Rand
	added int
	// before holds the text of the files the last edit touched, as they
	// were before it ("" for none).
	before map[string]string
}

// undo puts back the files the last edit touched.
func (e *editor) undo() []string {
	var changed []string
	for rel, text := range e.before {
		if text == "" {
			os.Remove(filepath.Join(e.dir, filepath.FromSlash(rel)))
		} else {
			e.write(rel, text)
		}
		changed = append(changed, rel)
	}
	e.before = nil
	return changed
}

// remember notes the text of files an edit is about to touch.
func (e *editor) remember(rels ...string) {
	for _, rel := range rels {
		b, _ := os.ReadFile(filepath.Join(e.dir, filepath.FromSlash(rel)))
		e.before[rel] = string(b)
	}
}

func (e *editor) files(kind string) []string {
	var out []string
	filepath.WalkDir(filepath.Join(e.dir, "content", kind), func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			rel, _ := filepath.Rel(e.dir, p)
			out = append(out, filepath.ToSlash(rel))
		}
		return nil
	})
	slices.Sort(out)
	return out
}

func (e *editor) pick(kind string) string {
	fs := e.files(kind)
	if len(fs) == 0 {
		e.t.Fatalf("no %s left", kind)
	}
	return fs[e.rng.IntN(len(fs))]
}

func (e *editor) read(rel string) string {
	b, err := os.ReadFile(filepath.Join(e.dir, filepath.FromSlash(rel)))
	if err != nil {
		e.t.Fatal(err)
	}
	return string(b)
}

func (e *editor) write(rel, text string) {
	if _, ok := e.before[rel]; !ok && e.before != nil {
		e.remember(rel)
	}
	p := filepath.Join(e.dir, filepath.FromSlash(rel))
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		e.t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
		e.t.Fatal(err)
	}
}

// replace changes the first line matching re in rel to repl (or appends
// add when no line matches and add is not empty).
func (e *editor) replace(rel, re, repl string) {
	text := e.read(rel)
	rx := regexp.MustCompile("(?m)" + re)
	if loc := rx.FindStringIndex(text); loc != nil {
		text = text[:loc[0]] + repl + text[loc[1]:]
	} else {
		text = repl + "\n" + text
	}
	e.write(rel, text)
}

func (e *editor) id(rel string) string {
	return strings.TrimSuffix(filepath.Base(rel), ".toml")
}

func (e *editor) date() string {
	return fmt.Sprintf("20%02d-%02d-%02d", 24+e.rng.IntN(4), 1+e.rng.IntN(12), 1+e.rng.IntN(28))
}

// edit makes one random change and returns what it did and the paths it
// touched.
func (e *editor) edit() (string, []string) {
	e.before = map[string]string{}
	what, changed := e.change()
	return what, changed
}

func (e *editor) change() (string, []string) {
	r := e.rng
	switch n := r.IntN(20); n {
	case 0, 1:
		f := e.pick("commitments")
		e.replace(f, `^title = .*$`, fmt.Sprintf("title = %q", fmt.Sprint("Edited commitment ", r.IntN(1000))))
		return "commitment title " + f, []string{f}
	case 2:
		f := e.pick("commitments")
		st := []string{"planned", "in-progress", "stalled", "done", "partial", "missed", "dropped"}[r.IntN(7)]
		e.replace(f, `^status = .*$`, fmt.Sprintf("status = %q", st))
		return "commitment status " + f, []string{f}
	case 3:
		f := e.pick("commitments")
		e.replace(f, `^due = .*$`, "due = "+e.date())
		return "commitment due " + f, []string{f}
	case 4:
		f := e.pick("commitments")
		parent := e.id(e.pick("commitments"))
		e.replace(f, `^parent = .*$`, fmt.Sprintf("parent = %q", parent))
		return "commitment parent " + f, []string{f}
	case 5:
		f := e.pick("commitments")
		e.replace(f, `^progress = .*$`, fmt.Sprint("progress = ", r.IntN(101)))
		return "commitment progress " + f, []string{f}
	case 6:
		f := e.pick("notices")
		e.replace(f, `^title = .*$`, fmt.Sprintf("title = %q", fmt.Sprint("Edited notice ", r.IntN(1000))))
		return "notice title " + f, []string{f}
	case 7:
		f := e.pick("notices")
		text := e.read(f)
		opens := regexp.MustCompile(`(?m)^opens = (.*)$`).FindStringSubmatch(text)
		if opens == nil {
			return "nothing", []string{}
		}
		d := today(opens[1]).AddDays(7 + r.IntN(60))
		e.replace(f, `^closes = .*$`, "closes = "+d.String())
		return "notice closes " + f, []string{f}
	case 8:
		f := e.pick("ratings")
		e.replace(f, `^stars = .*$`, fmt.Sprint("stars = ", r.IntN(6)))
		return "rating stars " + f, []string{f}
	case 9:
		f := e.pick("ratings")
		e.replace(f, `^title = .*$`, fmt.Sprintf("title = %q", fmt.Sprint("Edited rating ", r.IntN(1000))))
		return "rating title " + f, []string{f}
	case 10:
		kind := []string{"commitments", "notices", "ratings"}[r.IntN(3)]
		f := e.pick(kind)
		e.remember(f)
		if err := os.Remove(filepath.Join(e.dir, filepath.FromSlash(f))); err != nil {
			e.t.Fatal(err)
		}
		return "delete " + f, []string{f}
	case 11:
		kind := []string{"commitments", "notices", "ratings"}[r.IntN(3)]
		f := e.pick(kind)
		e.added++
		to := fmt.Sprintf("content/%s/new/added-%d.toml", kind, e.added)
		e.write(to, e.read(f))
		return "add " + to + " as a copy of " + f, []string{to}
	case 12:
		f := e.pick("commitments")
		to := strings.TrimSuffix(f, ".toml") + "-renamed.toml"
		e.remember(f, to)
		if err := os.Rename(filepath.Join(e.dir, f), filepath.Join(e.dir, to)); err != nil {
			e.t.Fatal(err)
		}
		return "rename " + f, []string{f, to}
	case 13:
		f := e.pick("commitments")
		e.replace(f, `^made = .*$`, "made = 2026-06-2")
		return "break " + f, []string{f}
	case 16: // into another unit: the lists of both units change
		f := e.pick("commitments")
		unit := regexp.MustCompile(`(?m)^unit = (.*)$`).FindStringSubmatch(e.read(e.pick("commitments")))
		if unit == nil {
			return "nothing", []string{}
		}
		e.replace(f, `^unit = .*$`, "unit = "+unit[1])
		return "commitment unit " + f, []string{f}
	case 17: // a notice's window moved: its state and place in the lists change
		f := e.pick("notices")
		d := today(benchDay).AddDays(r.IntN(40) - 20)
		e.replace(f, `^closes = .*$`, "closes = "+d.AddDays(10+r.IntN(20)).String())
		e.replace(f, `^opens = .*$`, "opens = "+d.String())
		return "notice window " + f, []string{f}
	case 18: // the commitments' no-news states change, not their records
		f := "board.toml"
		e.replace(f, `^stale_after_days = .*$`, fmt.Sprint("stale_after_days = ", 20+r.IntN(200)))
		return "board stale_after_days", []string{f}
	case 19: // a unit renamed: shown on the pages of its records
		f := "board.toml"
		e.replace(f, `^name = "(.*) Branch"$`, fmt.Sprintf("name = \"Unit %d\"", r.IntN(1000)))
		return "board unit name", []string{f}
	case 14:
		f := "board.toml"
		e.replace(f, `^title = .*$`, fmt.Sprintf("title = %q", fmt.Sprint("Board ", r.IntN(1000))))
		return "board title", []string{f}
	default:
		f := e.pick("pages")
		e.write(f, e.read(f)+fmt.Sprintf("\nEdited %d.\n", r.IntN(1000)))
		return "page text " + f, []string{f}
	}
}

// TestPreviewKeepsATemplateChangeThatCameWithAnError changes a layout and
// breaks a record in one go, then mends only the record: the rebuild
// after the mend must use the new layout, as a full build does.
func TestPreviewKeepsATemplateChangeThatCameWithAnError(t *testing.T) {
	src := filepath.Join(t.TempDir(), "board")
	if err := sample.Write(src, 20, today(benchDay).Time()); err != nil {
		t.Fatal(err)
	}
	o := Options{Source: src, Dest: filepath.Join(t.TempDir(), "public"), Theme: glassboard.Theme, Today: today(benchDay)}
	p, err := NewPreview(o)
	if err != nil {
		t.Fatal(err)
	}
	comparePreview(t, p, nil, o, "first build")

	e := &editor{t: t, dir: src}
	layout, err := fs.ReadFile(glassboard.Theme, "layouts/404.html")
	if err != nil {
		t.Fatal(err)
	}
	e.write("layouts/404.html", strings.Replace(string(layout), `{{define "main"}}`, `{{define "main"}}<p>NEW-LAYOUT</p>`, 1))
	rec := e.files("commitments")[0]
	good := e.read(rec)
	e.write(rec, good+"\nnonsense = 1\n")
	if comparePreview(t, p, []string{"layouts/404.html", rec}, o, "a new layout and a broken record") {
		t.Fatal("the broken record built")
	}
	e.write(rec, good)
	if !comparePreview(t, p, []string{rec}, o, "the record mended") {
		t.Fatal("the mended board did not build")
	}
	res, _ := p.Rebuild([]string{})
	page, _ := res.Site.ReadFile("404.html")
	if !strings.Contains(string(page), "NEW-LAYOUT") {
		t.Error("the preview lost the layout change")
	}
}
