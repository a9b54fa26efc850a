package build

import (
	"errors"
	"fmt"
	"hash/maphash"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/glassboard/glassboard/internal/board"
	"github.com/glassboard/glassboard/internal/diag"
	"github.com/glassboard/glassboard/internal/load"
	"github.com/glassboard/glassboard/internal/opendata"
	"github.com/glassboard/glassboard/internal/render"
)

// Preview builds a board into memory again and again as it is edited: what
// `glassboard serve` shows. A rebuild after an edit decodes only the
// changed record files and renders only the pages whose inputs changed;
// every other page keeps the bytes it had. The result is byte for byte what
// Run writes for the same input (the tests compare them on random edits).
//
// Which pages an edit reaches is worked out from fingerprints: every
// record file has a version that changes when the file is decoded again,
// every derived view a fingerprint of its version and derived state (and
// of the records it shows, such as a commitment's parent and children),
// and every page a key of what it shows. A page whose key is the same as
// in the previous build is not rendered again. A change to board.toml,
// layouts/, static/ or i18n/ rebuilds everything, and so does a board
// whose layouts differ from the built-in theme's, since a template of its
// own may show anything on any page.
//
// A Preview is not safe for concurrent use; the site it returns is never
// changed and may be read while the next one is built.
type Preview struct {
	o         Options
	srcFS     fs.FS
	cache     load.Cache
	derive    board.Deriver // keeps what the views of unchanged records need
	lister    render.Lister // keeps the pages of unchanged records' views
	seed      maphash.Seed
	mustReset bool // the next rebuild must be a full one

	site     *site             // templates, strings and static files of the last full build
	static   []string          // static/ files copied as they are
	fixed    map[string][]byte // static files and assets, by output path
	ownTheme bool              // the board's layouts differ from the theme's
	gen      uint64            // counts full rebuilds; part of every page key
	versions versions
	prints   viewPrints // the fingerprints of views kept since the last rebuild
	next     uint64
	pages    []*memo          // the last rebuild's pages as rendered, in order
	at       map[string]int32 // the places of their paths (shared by the sites made)

	// The open data of the previous rebuild, its day and what was
	// published of each record then (see fingerprints.published).
	data      *opendata.Data
	today     board.Date
	published [3][]uint64
}

// versions are the record files' versions, by decoded record: the loader
// decodes a changed file into a new value, which gets a new version.
type versions struct {
	commitments map[*board.Commitment]uint64
	notices     map[*board.NoticeView]uint64 // a notice's view is kept while its record is (board.Deriver)
	ratings     map[*board.Rating]uint64
	pages       map[*board.Page]uint64
}

// memo is a page as last rendered, with its key and what its key leaves
// out because it is the same for every page of its kind (or is the
// page's own record, whose version is in the key): its layout, kind,
// title and path to the root.
type memo struct {
	path                      string
	key                       uint64
	layout, kind, title, root string
	data                      []byte
}

// same reports whether m was rendered from job j with key k.
func (m *memo) same(j render.Job, k uint64) bool {
	pg := j.Page
	return m.key == k && m.layout == j.Layout && m.kind == pg.Kind && m.title == pg.Title && m.root == pg.Root
}

// NewPreview returns a Preview of the board o.Source; o.Dest is not used.
func NewPreview(o Options) (*Preview, error) {
	src, err := filepath.Abs(o.Source)
	if err != nil {
		return nil, err
	}
	return &Preview{o: o, srcFS: os.DirFS(src), seed: maphash.MakeSeed()}, nil
}

// SetNow sets the clock for the next rebuild (Options.Now): a preview left
// running past midnight shows the new day.
func (p *Preview) SetNow(t time.Time) { p.o.Now = t }

// PreviewResult is one rebuild's outcome.
type PreviewResult struct {
	Diags    diag.List
	Snapshot *board.Snapshot
	Site     *MemSite // nil when the build failed
	Pages    int      // HTML pages in the site
	Rendered int      // pages rendered by this rebuild; the rest were kept
}

// Rebuild builds the board again. changed lists the source paths
// (slash-separated, relative to the board) changed since the previous
// call; nil means anything may have changed. Content errors come back as
// ErrContent with the diagnostics in the result.
func (p *Preview) Rebuild(changed []string) (*PreviewResult, error) {
	full := p.site == nil || changed == nil || p.mustReset
	for _, c := range changed {
		if !strings.HasPrefix(c, "content/") {
			full = true
		}
	}
	// Until a full rebuild succeeds, every rebuild is one: a change to a
	// template that came with a content error must not be lost.
	p.mustReset = full
	if full {
		p.prints = viewPrints{}
	}
	var contentChanged []string
	if !full {
		contentChanged = changed
	}
	// The day's states are derived while the rules are checked, unless
	// the options change the board first.
	var (
		s         *board.Snapshot
		generated time.Time
		snapErr   error
		derive    = func(b *board.Board) { s, generated, snapErr = p.o.snapshot(b, &p.derive) }
		alongside = derive
	)
	if p.o.Paper != "" || p.o.BaseURL != "" {
		alongside = nil
	}
	b, ds, err := p.cache.Load(p.srcFS, contentChanged, alongside)
	res := &PreviewResult{Diags: ds}
	if err != nil {
		return res, fmt.Errorf("%s: %w", p.o.Source, err)
	}
	if ds.Errors() > 0 {
		return res, ErrContent
	}
	if alongside == nil {
		derive(b)
	}
	if snapErr != nil {
		return res, snapErr
	}
	res.Snapshot = s
	// The pages are listed while the records are fingerprinted and their
	// open data is made: all three only read the snapshot.
	var jobs []render.Job
	listed := make(chan struct{})
	go func() {
		defer close(listed)
		jobs = p.lister.Jobs(s) // pages without Site: see render.Lister
	}()
	defer func() { <-listed }() // on every return, so that no goroutine outlives the rebuild
	p.updateVersions(b, s)
	fp := p.newFingerprints(s)
	var data *opendata.Data
	if !full && p.data != nil && p.today == s.Today {
		data = opendata.NewReusing(s, generated, p.data, func(kind, i, j int) bool {
			return fp.published[kind][i] == p.published[kind][j]
		})
	} else {
		data = opendata.New(s, generated)
	}
	if full {
		if err := p.reset(b, data); err != nil {
			return res, err
		}
	} else {
		p.site.useData(data)
	}

	<-listed
	// The same page paths as in the last rebuild, in the same order,
	// keep the places of the paths and need no new check against the
	// static files (which change only with a full rebuild).
	samePaths := !full && p.at != nil && len(jobs) == len(p.pages)
	keys := p.pageKeys(fp, s, jobs)
	var todo []render.Job
	var todoAt []int // the places of todo's pages in jobs
	kept := make([]*memo, len(jobs))
	// The pages are mostly listed in the same order as in the last
	// rebuild: a page is looked for in its place first, then by path.
	var byPath map[string]int
	for i, j := range jobs {
		path := j.Page.Path
		var m *memo
		if i < len(p.pages) && p.pages[i].path == path {
			m = p.pages[i]
		} else if len(p.pages) > 0 {
			samePaths = false
			if byPath == nil {
				byPath = make(map[string]int, len(p.pages))
				for k := range p.pages {
					byPath[p.pages[k].path] = k
				}
			}
			if k, ok := byPath[path]; ok {
				m = p.pages[k]
			}
		}
		if m != nil && m.same(j, keys[i]) {
			kept[i] = m
			continue
		}
		todo = append(todo, j)
		todoAt = append(todoAt, i)
	}
	if !samePaths {
		if err := checkStatic(p.static, jobs, func(j render.Job) string { return j.Page.Path }); err != nil {
			return res, err
		}
	}
	for i, j := range todo {
		todo[i] = j.On(s)
	}
	rendered := make(map[string][]byte, len(todo))
	var mu sync.Mutex
	err = p.site.renderPages(todo, func(path string, data []byte) error {
		data = append([]byte(nil), data...)
		mu.Lock()
		rendered[path] = data
		mu.Unlock()
		return nil
	}, nil, nil)
	if err != nil {
		return res, err
	}
	// Only a rebuild that got this far changes the pages kept; a page's
	// key says what its bytes show.
	for _, i := range todoAt {
		j := jobs[i]
		pg := j.Page
		kept[i] = &memo{path: pg.Path, key: keys[i], layout: j.Layout, kind: pg.Kind, title: pg.Title, root: pg.Root, data: rendered[pg.Path]}
	}
	if !samePaths {
		// Of two pages of one path, the last is served, as a full build
		// writes it last.
		p.at = make(map[string]int32, len(kept))
		for i, m := range kept {
			p.at[m.path] = int32(i)
		}
	}
	p.pages = kept
	pages := &pageFiles{at: p.at, pages: kept}

	// The open data, feeds and sitemap are made now when everything was
	// rebuilt (a static file must not overwrite them), else when first
	// asked for: a clerk editing records rarely opens them.
	static := p.static
	dataFiles := func() (map[string][]byte, error) {
		fs, err := data.Files()
		if err != nil {
			return nil, err
		}
		fs = append(fs, opendata.SitemapFiles(s.Config.BaseURL, sitemap(s, jobs))...)
		if err := checkStatic(static, fs, func(f opendata.File) string { return f.Path }); err != nil {
			return nil, err
		}
		out := make(map[string][]byte, len(fs))
		for _, f := range fs {
			out[f.Path] = f.Data
		}
		return out, nil
	}
	var (
		later func() (map[string][]byte, error)
		made  map[string][]byte
	)
	if full || len(jobs) > opendata.SitemapLimit { // the sitemap's file names depend on the number of pages
		made, err = dataFiles()
		if err != nil {
			return res, err
		}
	} else {
		later = dataFiles
	}
	p.data, p.published, p.today = data, fp.published, s.Today
	p.mustReset = false
	res.Site = newMemSite(made, pages, p.fixed, later)
	res.Pages, res.Rendered = len(jobs), len(todo)
	return res, nil
}

// reset starts afresh: templates, strings and static files are read again
// and no page is kept.
func (p *Preview) reset(b *board.Board, data *opendata.Data) error {
	st, err := newSite(p.srcFS, p.o.Theme, &b.Config, p.o.Today.IsZero(), data)
	if err != nil {
		return err
	}
	static, err := st.staticFiles()
	if err != nil {
		return err
	}
	fixed := map[string][]byte{}
	for _, f := range static {
		if fixed[f], err = fs.ReadFile(st.static, f); err != nil {
			return err
		}
	}
	for name, out := range st.assets {
		if fixed[out], err = fs.ReadFile(st.static, "assets/"+name); err != nil {
			return err
		}
	}
	own, err := ownLayouts(p.srcFS, p.o.Theme)
	if err != nil {
		return err
	}
	p.site, p.static, p.fixed, p.ownTheme = st, static, fixed, own
	p.gen++
	p.pages, p.at, p.data, p.published = nil, nil, nil, [3][]uint64{}
	return nil
}

// ownLayouts reports whether the board has a layout that is not the same
// as the theme's file of that name.
func ownLayouts(board, theme fs.FS) (bool, error) {
	own := false
	err := fs.WalkDir(board, "layouts", func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			if p == "layouts" && errors.Is(err, fs.ErrNotExist) {
				return fs.SkipDir
			}
			return err
		}
		if d.IsDir() || own {
			return nil
		}
		mine, err := fs.ReadFile(board, p)
		if err != nil {
			return err
		}
		theirs, err := fs.ReadFile(theme, p)
		if err != nil || string(mine) != string(theirs) {
			own = true
		}
		return nil
	})
	return own, err
}

// updateVersions gives every record file a version: the previous one when
// the file was not decoded again, a new one otherwise.
func (p *Preview) updateVersions(b *board.Board, s *board.Snapshot) {
	prev := p.versions
	p.versions = versions{
		commitments: noteVersions(prev.commitments, b.Commitments, &p.next),
		notices:     noteVersions(prev.notices, s.Notices, &p.next),
		ratings:     noteVersions(prev.ratings, b.Ratings, &p.next),
		pages:       noteVersions(prev.pages, b.Pages, &p.next),
	}
}

// noteVersions returns the versions of recs: prev's for a record seen
// before, the next number otherwise.
func noteVersions[T any](prev map[*T]uint64, recs []*T, next *uint64) map[*T]uint64 {
	cur := make(map[*T]uint64, len(recs))
	for _, r := range recs {
		v, ok := prev[r]
		if !ok {
			*next++
			v = *next
		}
		cur[r] = v
	}
	return cur
}
