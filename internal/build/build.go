// Package build turns a board folder into a site: load, check, derive,
// render into a temporary folder, then swap it with the output folder in
// one step, so that readers never see a half-built site and a failed or
// killed build leaves the previous one intact.
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
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/glassboard/glassboard/internal/board"
	"github.com/glassboard/glassboard/internal/diag"
	"github.com/glassboard/glassboard/internal/load"
	"github.com/glassboard/glassboard/internal/opendata"
	"github.com/glassboard/glassboard/internal/render"
)

// Options say what to build and where.
type Options struct {
	Source  string     // board folder
	Dest    string     // output folder; default Source/public
	Theme   fs.FS      // the embedded theme: layouts/, static/assets/, i18n/
	Today   board.Date // pins the build to a day (--now); zero: Now in the board's timezone
	Now     time.Time  // the clock, used when Today is zero
	BaseURL string     // overrides board.toml's base_url when set
	Paper   string     // overrides board.toml's [print] paper when set (A4 or A3)
	// LimitMemory sets a soft memory limit for the rest of the build,
	// from the heap the loaded board takes (see limitMemory). It is a
	// setting of the whole process; the CLI sets it unless GOMEMLIMIT is
	// set.
	LimitMemory bool
	// Generated is the timestamp written into feeds and data files
	// (SOURCE_DATE_EPOCH). Zero: midnight of Today in the board's timezone
	// when the build is pinned to a day, else Now; so the same input and
	// --now give the same bytes.
	Generated time.Time
}

// Result reports what a build did.
type Result struct {
	Diags    diag.List       // every problem found, errors and warnings
	Snapshot *board.Snapshot // nil when the content has errors
	Pages    int             // HTML pages written
	Files    int             // all files written
	// Reused counts the files that were the same as in the previous build
	// and were kept, or hard-linked from it, instead of written again.
	Reused int
	// Unchanged is set when the output folder already held exactly what
	// this build makes, as its manifest proved (see manifest.go): no page
	// was rendered and nothing was written.
	Unchanged bool
	// Refreshed counts the files written again when only the time of
	// generation changed since the last build (a build not pinned to a
	// day): the data files and feeds that carry it. The pages were kept.
	Refreshed int
	Dest      string
}

// ErrContent is returned when the content has errors; Result.Diags lists them.
var ErrContent = errors.New("content has errors")

// Run loads, checks and builds the board. Content errors come back as
// ErrContent with the diagnostics in the result; the output is untouched.
//
// When the output folder holds the output of a build with the same
// fingerprint (the board's files, the theme, the executable, the day and
// the options: see fingerprint.go) and verifies against the manifest that
// build left in it (manifest.go), no page is rendered and nothing is
// written: Result.Unchanged. When only the time of generation differs,
// only the files that carry it are replaced: Result.Refreshed
// (refresh.go). Otherwise the site is rendered into a new folder and
// swapped in.
func Run(o Options) (*Result, error) {
	src, err := filepath.Abs(o.Source)
	if err != nil {
		return nil, err
	}
	if o.Dest == "" {
		o.Dest = filepath.Join(src, "public")
	}
	dest, err := filepath.Abs(o.Dest)
	if err != nil {
		return nil, err
	}
	res := &Result{Dest: dest}
	if err := checkDest(src, dest); err != nil {
		return res, err
	}
	unlock, err := lockDest(dest) // two builds into one folder take turns
	if err != nil {
		return res, err
	}
	defer unlock()
	// The fingerprint of the board's files is taken around the load, of
	// the records as read and of the other files before they are read:
	// see sourceScan. Failing to take it only costs a full build.
	scan, keyErr := scanSource(src)
	var onRead func(string, []byte)
	if keyErr == nil {
		onRead = scan.read
	}
	srcFS := os.DirFS(src)
	b, ds, err := load.LoadReading(srcFS, onRead)
	if err != nil {
		return res, fmt.Errorf("%s: %w", o.Source, err)
	}
	var sourceKey []byte
	if keyErr == nil {
		sourceKey, keyErr = scan.sum()
	}
	res.Diags = ds
	if ds.Errors() > 0 {
		return res, ErrContent
	}
	s, generated, err := o.snapshot(b, nil)
	if err != nil {
		return res, err
	}
	res.Snapshot = s

	// key stays "" when the fingerprint cannot be taken: then the output
	// is neither taken over nor given a manifest.
	key := ""
	if keyErr == nil {
		key, _ = o.inputKey(sourceKey, s.Today, o.Today.IsZero(), b.Config.Timezone, filepath.Dir(dest))
	}
	if key != "" && o.keep(res, dest, key, srcFS, s, generated) {
		return res, nil
	}

	if o.LimitMemory {
		defer limitMemory()()
	}
	data := opendata.New(s, generated)
	data.DropCanonical() // the data files encode each record again, last
	site, err := newSite(srcFS, o.Theme, &b.Config, o.Today.IsZero(), data)
	if err != nil {
		return res, err
	}
	tmp, err := site.write(s, dest)
	if err != nil {
		return res, writeErr(err, dest)
	}
	res.Pages, res.Files, res.Reused = site.pages, site.files, site.reused
	if key != "" {
		// Without a manifest the next build is a full one: nothing worse.
		site.writeManifest(tmp, key, generated)
	}
	if err := swap(tmp, dest); err != nil {
		os.RemoveAll(tmp)
		return res, writeErr(err, dest)
	}
	return res, nil
}

// snapshot applies the options to a loaded board and derives it for the
// day of the build (with d, when not nil, which keeps views between
// derivations); it also returns the timestamp of generated files.
func (o Options) snapshot(b *board.Board, d *board.Deriver) (*board.Snapshot, time.Time, error) {
	if o.Paper != "" {
		if o.Paper != "A4" && o.Paper != "A3" {
			return nil, time.Time{}, fmt.Errorf("unknown paper %q (want A4 or A3)", o.Paper)
		}
		b.Config.Print.Paper = o.Paper
	}
	if o.BaseURL != "" {
		b.Config.BaseURL = strings.TrimSuffix(o.BaseURL, "/") + "/"
	}
	loc, err := time.LoadLocation(b.Config.Timezone)
	if err != nil {
		return nil, time.Time{}, err
	}
	today, generated := o.Today, o.Generated
	if today.IsZero() {
		today = board.DateOf(o.Now.In(loc))
		if generated.IsZero() {
			generated = o.Now
		}
	} else if generated.IsZero() {
		generated = time.Date(today.Year(), today.Month(), today.Day(), 0, 0, 0, 0, loc)
	}
	if d != nil {
		return d.At(b, today), generated, nil
	}
	return b.At(today), generated, nil
}

// marker is the file that says glassboard owns an output folder.
const marker = ".glassboard-output"

// checkDest refuses output folders that would destroy the source or
// something glassboard did not make.
func checkDest(src, dest string) error {
	if dest == src || strings.HasPrefix(src+string(filepath.Separator), dest+string(filepath.Separator)) {
		return fmt.Errorf("refusing to build into %s: it contains the board's source", dest)
	}
	for _, d := range []string{"content", "layouts", "static", "i18n"} {
		inside := filepath.Join(src, d)
		if dest == inside || strings.HasPrefix(dest, inside+string(filepath.Separator)) {
			return fmt.Errorf("refusing to build into %s: it is inside the board's %s/ folder", dest, d)
		}
	}
	home, _ := os.UserHomeDir()
	if err := refuseDest(dest, home); err != nil {
		return err
	}
	entries, err := os.ReadDir(dest)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("output folder: %w", err)
	}
	if len(entries) == 0 {
		return nil
	}
	if _, err := os.Stat(filepath.Join(dest, marker)); err != nil {
		return fmt.Errorf("refusing to replace %s: it is not empty and was not made by glassboard (no %s file in it)", dest, marker)
	}
	return nil
}

// site holds what one build writes besides the pages.
type site struct {
	renderer *render.Renderer
	data     *opendata.Data    // open data, feeds and record codes
	strs     map[string]string // UI strings
	static   fs.FS             // board's static/ over the theme's
	assets   map[string]string // asset name → fingerprinted output path
	pages    int
	files    int
	reused   int
	written  []string // every file of the output, the marker too (slash paths)
	// stats holds the manifest entries of the files written, as fstat saw
	// them after the write (see writeFile), by path.
	stats map[string]entry
}

func newSite(srcFS, theme fs.FS, cfg *board.Config, live bool, data *opendata.Data) (*site, error) {
	lang, baseURL := cfg.Language, cfg.BaseURL
	boardSub := func(dir string) fs.FS {
		if fi, err := fs.Stat(srcFS, dir); err == nil && fi.IsDir() {
			sub, _ := fs.Sub(srcFS, dir)
			return sub
		}
		return nil
	}
	themeSub := func(dir string) fs.FS {
		sub, err := fs.Sub(theme, dir)
		if err != nil {
			return nil
		}
		return sub
	}
	strs, err := load.Strings(lang, theme, srcFS)
	if err != nil {
		return nil, err
	}
	st := &site{static: render.Union(boardSub("static"), themeSub("static")), assets: map[string]string{}, strs: strs}
	st.useData(data)
	if err := st.fingerprint(); err != nil {
		return nil, err
	}
	r, err := render.New(render.Options{
		Layouts: render.Union(boardSub("layouts"), themeSub("layouts")),
		Strings: strs,
		Lang:    lang,
		Assets:  st.assets,
		Live:    live,
		Code:    func(kind, id string) string { return st.data.Code(kind, id) },
		URL: func(kind, id string) string {
			return opendata.URL(baseURL, kind, id)
		},
		UnitCode: func(id string) string { return st.data.UnitCode(id) },
	})
	if err != nil {
		return nil, err
	}
	st.renderer = r
	return st, nil
}

// useData makes d the open data (and record codes) the site is built with.
func (st *site) useData(d *opendata.Data) {
	d.UseStrings(st.strs)
	st.data = d
}

// fingerprint names every file under static/assets/ after its content hash.
func (st *site) fingerprint() error {
	return fs.WalkDir(st.static, "assets", func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			if p == "assets" && errors.Is(err, fs.ErrNotExist) {
				return fs.SkipDir
			}
			return err
		}
		if d.IsDir() {
			return nil
		}
		data, err := fs.ReadFile(st.static, p)
		if err != nil {
			return err
		}
		sum := sha256.Sum256(data)
		ext := path.Ext(p)
		st.assets[strings.TrimPrefix(p, "assets/")] = strings.TrimSuffix(p, ext) + "." + hex.EncodeToString(sum[:4]) + ext
		return nil
	})
}

// write renders the whole site into a new temporary folder beside dest
// and returns its path.
func (st *site) write(s *board.Snapshot, dest string) (string, error) {
	parent := filepath.Dir(dest)
	if err := os.MkdirAll(parent, 0o755); err != nil {
		return "", err
	}
	cleanStale(parent, filepath.Base(dest))
	tmp, err := os.MkdirTemp(parent, tmpPrefix(filepath.Base(dest))+fmt.Sprint(os.Getpid())+"-")
	if err != nil {
		return "", fmt.Errorf("creating a temporary output folder: %w", err)
	}
	ok := false
	defer func() {
		if !ok {
			os.RemoveAll(tmp)
		}
	}()
	if err := os.Chmod(tmp, 0o755); err != nil {
		return "", err
	}

	jobs := render.Jobs(s)
	static, err := st.staticFiles()
	if err != nil {
		return "", err
	}
	if err := checkStatic(static, jobs, func(j render.Job) string { return j.Page.Path }); err != nil {
		return "", err
	}

	out, err := newOutput(tmp, dest)
	if err != nil {
		return "", err
	}
	// Make every folder once, in the order the files come, while the
	// pages are rendered and written in parallel. The data files come
	// first.
	dataPaths := st.data.Paths()
	order := make([]string, 0, len(dataPaths)+len(jobs)+len(static)+len(st.assets))
	order = append(order, dataPaths...)
	for _, j := range jobs {
		order = append(order, j.Page.Path)
	}
	order = append(order, static...)
	for _, p := range st.assets {
		order = append(order, p)
	}
	out.makeDirs(order)
	defer func() { out.finish(!ok) }()

	// The open data, feeds and sitemap are made beside the pages, by one
	// of the workers that render them: each file is made, written and let
	// go in turn.
	if err := checkStatic(static, dataPaths, func(p string) string { return p }); err != nil {
		return "", err
	}
	var dataFiles []string
	putData := func(f opendata.File) error {
		dataFiles = append(dataFiles, f.Path)
		return out.put(f.Path, f.Data)
	}
	makers := append(st.data.Makers(), func(yield func(opendata.File) error) error {
		// The sitemap's files, unlike the data files, are known only once made.
		files := opendata.SitemapFiles(s.Config.BaseURL, sitemap(s, jobs))
		if err := checkStatic(static, files, func(f opendata.File) string { return f.Path }); err != nil {
			return err
		}
		for _, f := range files {
			if err := yield(f); err != nil {
				return err
			}
		}
		return nil
	})
	if err := st.renderPages(jobs, out.put, makers, putData); err != nil {
		return "", err
	}
	st.pages = len(jobs)

	copyFile := func(from, to string) error {
		data, err := fs.ReadFile(st.static, from)
		if err != nil {
			return err
		}
		return out.put(to, data)
	}
	for _, p := range static {
		if err := copyFile(p, p); err != nil {
			return "", err
		}
	}
	for name, p := range st.assets {
		if err := copyFile("assets/"+name, p); err != nil {
			return "", err
		}
	}

	st.files = st.pages + len(static) + len(st.assets) + len(dataFiles)
	st.reused = int(out.reused.Load())
	st.stats = out.stats
	st.written = append(append(order, marker), dataFiles...)
	ok = true
	return tmp, nil
}

// writeManifest records the output just written into tmp (see
// manifest.go) and writes the manifest into it, so that the manifest comes
// with the swap. It waits first until a later edit of any file gets
// another time (settle).
func (st *site) writeManifest(tmp, key string, generated time.Time) error {
	entries, newest, err := record(tmp, st.written, st.stats)
	if err != nil {
		return err
	}
	settle(newest)
	return writeManifest(tmp, &manifest{key: key, generated: stamp(generated), pages: st.pages, files: st.files, entries: entries})
}

// staticFiles lists the files of static/ that are copied as they are
// (not assets/, which are fingerprinted).
func (st *site) staticFiles() ([]string, error) {
	var static []string
	err := fs.WalkDir(st.static, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() || strings.HasPrefix(p, "assets/") {
			return nil
		}
		static = append(static, p)
		return nil
	})
	return static, err
}

// checkStatic refuses a static file that would overwrite a generated one
// (a page or a data file): it returns the error of the first of generated
// whose path, given by pathOf, is a static file.
func checkStatic[T any](static []string, generated []T, pathOf func(T) string) error {
	if len(static) == 0 {
		return nil
	}
	isStatic := make(map[string]bool, len(static))
	for _, p := range static {
		isStatic[p] = true
	}
	for _, g := range generated {
		if p := pathOf(g); isStatic[p] {
			return generatedErr(p)
		}
	}
	return nil
}

func generatedErr(p string) error {
	return fmt.Errorf("static/%s would overwrite a generated file: rename or remove it", p)
}

// renderPages renders the pages on every core and hands each to put.
// Beside them, one worker runs the makers of the data files, one after the
// other, first, and hands their files to putData: so no more than one data
// file is held in memory at a time, however many cores render. It returns
// the first error, and renders nothing more after it.
func (st *site) renderPages(jobs []render.Job, put func(path string, data []byte) error, makers []opendata.Maker, putData func(opendata.File) error) error {
	var (
		wg       sync.WaitGroup
		errMu    sync.Mutex
		firstErr error
		failed   atomic.Bool
		next     atomic.Int64 // the next task: -1 the makers, then the pages
	)
	fail := func(err error) {
		errMu.Lock()
		if firstErr == nil {
			firstErr = err
		}
		errMu.Unlock()
		failed.Store(true)
	}
	if len(makers) > 0 {
		next.Store(-1)
	}
	for w := 0; w < runtime.GOMAXPROCS(0); w++ {
		wg.Go(func() {
			var buf bytes.Buffer
			for !failed.Load() {
				i := int(next.Add(1)) - 1
				if i >= len(jobs) {
					return
				}
				if i < 0 {
					for _, m := range makers {
						if err := m(putData); err != nil {
							fail(err)
							break
						}
					}
					continue
				}
				buf.Reset()
				j := jobs[i]
				if err := st.renderer.Render(&buf, j); err != nil {
					fail(err)
					continue
				}
				if err := put(j.Page.Path, buf.Bytes()); err != nil {
					fail(err)
				}
			}
		})
	}
	wg.Wait()
	return firstErr
}

func tmpPrefix(base string) string { return "." + base + ".tmp-" }

// cleanStale removes temporary folders left by builds that were killed.
func cleanStale(parent, base string) {
	entries, err := os.ReadDir(parent)
	if err != nil {
		return
	}
	prefix := tmpPrefix(base)
	for _, e := range entries {
		name := e.Name()
		if !e.IsDir() || !strings.HasPrefix(name, prefix) {
			continue
		}
		pid, _, _ := strings.Cut(strings.TrimPrefix(name, prefix), "-")
		if !processAlive(pid) {
			os.RemoveAll(filepath.Join(parent, name))
		}
	}
}

// sitemap lists every public page with the last day its content changed:
// a record's latest dated event up to today; lists and free pages, today.
func sitemap(s *board.Snapshot, jobs []render.Job) []opendata.SitemapURL {
	urls := make([]opendata.SitemapURL, 0, len(jobs))
	for _, j := range jobs {
		p := j.Page
		last := s.Today
		switch {
		case p.Kind == "404":
			continue
		case p.Commitment != nil:
			last = p.Commitment.LastActivity
		case p.Notice != nil:
			last = noticeLastMod(p.Notice, s.Today)
		case p.Rating != nil:
			last = p.Rating.Rated
		}
		urls = append(urls, opendata.SitemapURL{Path: p.Path, LastMod: last})
	}
	return urls
}

// noticeLastMod is the latest day up to today on which a notice's page
// changed: published, opened, closed, got its outcome or was redacted.
func noticeLastMod(n *board.NoticeView, today board.Date) board.Date {
	last := n.Published
	for _, d := range []board.Date{n.Opens, n.Closes.AddDays(1), n.RedactedFrom} {
		if !d.After(today) && d.After(last) {
			last = d
		}
	}
	if n.Outcome != nil && !n.Outcome.Date.After(today) && n.Outcome.Date.After(last) {
		last = n.Outcome.Date
	}
	return last
}
