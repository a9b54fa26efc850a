// Package render turns a board snapshot into HTML pages with html/template.
//
// Lookup order, in one paragraph: a layout named X (say "notices/single.html")
// is read from the board's own layouts/X when that file exists, and from the
// theme embedded in the binary otherwise; every page is the page layout plus
// _default/baseof.html (posters/baseof.html for layouts under posters/) plus
// all of partials/, each looked up the same way.
// UI strings come from the theme's i18n/LANG.toml with the board's
// i18n/LANG.toml overriding key by key. Templates are parsed once, in New.
package render

import (
	"bytes"
	"fmt"
	"html/template"
	"io"
	"io/fs"
	"slices"
	"strings"

	"github.com/glassboard/glassboard/internal/board"
	"github.com/glassboard/glassboard/internal/markdown"
)

// Layouts are the page layouts a theme provides, one per kind of page.
var Layouts = []string{
	"index.html",
	"commitments/list.html", "commitments/single.html",
	"notices/list.html", "notices/single.html",
	"ratings/list.html", "ratings/single.html",
	"units/list.html", "units/single.html",
	"pages/single.html",
	"404.html",
	"posters/commitment.html", "posters/notice.html", "posters/rating.html", "posters/unit.html",
}

const (
	baseLayout   = "_default/baseof.html"
	posterLayout = "posters/baseof.html" // the base of every layout under posters/
)

// baseOf returns the base layout a page layout is executed through.
func baseOf(layout string) string {
	if strings.HasPrefix(layout, "posters/") {
		return posterLayout
	}
	return baseLayout
}

// Renderer executes the board's templates. It is safe for concurrent use.
type Renderer struct {
	pages   map[string]*template.Template
	strings map[string]string
	lang    string
	md      *markdown.Converter
	assets  map[string]string
	live    bool
	code    func(kind, id string) string
	url     func(kind, id string) string
	unit    func(id string) string
	// partials holds every partial, for partialCached, which keeps the
	// output of a partial per snapshot in fragments.
	partials  *template.Template
	fragments fragments
	// partialNames are the files under partials/, for sources; src holds
	// every layout file as it was read and parsed, by name.
	partialNames []string
	src          map[string][]byte
	// compiled holds the page layouts that run as Go (see compiled.go),
	// and cfuncs the template functions they call.
	compiled map[string]compiledLayout
	cfuncs   any
}

// Options configure a Renderer.
type Options struct {
	Layouts fs.FS             // layouts folder: board's over the theme's (see Union)
	Strings map[string]string // UI strings of the board's language
	Lang    string            // "en" or "zh-CN"
	Assets  map[string]string // logical asset name → output path, like "style.css" → "assets/style.1a2b3c4d.css"
	// Live lets the pages' script refresh date-based states when read on a
	// later day. It is false for a build pinned to a date with --now, which
	// must show that date's states whenever it is read.
	Live bool
	// Code returns a record's code (kind: commitments, notices, ratings);
	// nil means no codes.
	Code func(kind, id string) string
	// URL returns a record's absolute URL (kind: commitments, notices,
	// ratings, units); UnitCode the code of a unit's wall.
	URL      func(kind, id string) string
	UnitCode func(id string) string
}

// New parses every layout once, and folds the UI strings into the
// templates (see fold.go).
func New(o Options) (*Renderer, error) { return newRenderer(o, true, true) }

// newRenderer makes a Renderer; fold folds the UI strings into the
// templates, and compile lets the compiled theme run where it may.
func newRenderer(o Options, fold, compile bool) (*Renderer, error) {
	r := &Renderer{pages: map[string]*template.Template{}, strings: o.Strings, lang: o.Lang, md: markdown.New(), assets: o.Assets, live: o.Live, code: o.Code, url: o.URL, unit: o.UnitCode, src: map[string][]byte{}}
	partials, err := fs.Glob(o.Layouts, "partials/*.html")
	if err != nil {
		return nil, err
	}
	roots := map[string]*template.Template{}
	for _, base := range []string{baseLayout, posterLayout} {
		root := template.New("").Funcs(r.funcs())
		for _, name := range append([]string{base}, partials...) {
			if err := r.parseInto(root, o.Layouts, name); err != nil {
				return nil, err
			}
		}
		roots[base] = root
	}
	r.partials = roots[baseLayout]
	r.partialNames = partials
	for _, name := range Layouts {
		t, err := roots[baseOf(name)].Clone()
		if err != nil {
			return nil, err
		}
		if err := r.parseInto(t, o.Layouts, name); err != nil {
			return nil, err
		}
		r.pages[name] = t
	}
	if compile {
		r.useCompiled()
	}
	if fold {
		f := &folder{r: r}
		for _, name := range Layouts {
			f.fold(r.pages[name], baseOf(name))
		}
	}
	return r, nil
}

// sources are the names of the templates a page layout is made of: its
// base, every partial and itself.
func (r *Renderer) sources(layout string) []string {
	return append([]string{baseOf(layout), layout}, r.partialNames...)
}

// useCompiled takes the compiled layouts whose sources are those of the
// board's layouts (see compiled.go).
func (r *Renderer) useCompiled() {
	if compiledTheme.layouts == nil {
		return
	}
	cf, ok := compiledTheme.funcs(r.funcs())
	if !ok {
		return
	}
	for _, name := range Layouts {
		c, ok := compiledTheme.layouts[name]
		if !ok {
			continue
		}
		if sourcesSum(r.src, r.sources(name)) == c.sum {
			if r.compiled == nil {
				r.compiled = map[string]compiledLayout{}
			}
			r.compiled[name] = c
		}
	}
	r.cfuncs = cf
}

// parseInto parses the layout file name into t, reading it once per
// Renderer (the partials go into two roots) and keeping it in r.src.
func (r *Renderer) parseInto(t *template.Template, fsys fs.FS, name string) error {
	b, ok := r.src[name]
	if !ok {
		var err error
		if b, err = fs.ReadFile(fsys, name); err != nil {
			return fmt.Errorf("layouts/%s: %w", name, err)
		}
		r.src[name] = b
	}
	if _, err := t.New(name).Parse(string(b)); err != nil {
		return fmt.Errorf("layouts/%s: %w", name, err)
	}
	return nil
}

// Page is what every layout receives as its dot.
type Page struct {
	Site  *board.Snapshot
	Path  string // output path, slash-separated: "notices/x/index.html"
	Root  string // relative path from this page to the site root: "", "../", "../../"
	Kind  string // home, commitments, commitment, notices, notice, ratings, rating, units, unit, page, 404, poster-commitment, poster-notice, poster-rating, poster-unit
	Title string

	Commitment *board.CommitmentView
	Notice     *board.NoticeView
	Rating     *board.RatingView
	Unit       *board.UnitView // a unit's page and wall; on a list page, the unit whose records it lists
	Page       *board.Page

	// A list page (Kind commitments, notices or ratings) shows exactly the
	// records in its own fields, never all of Site's: one page of at most
	// PageSize records of its list. Its layout reads only these fields, the
	// Unit it is scoped to, and site-wide settings (config, units, today).
	Commitments  []*board.CommitmentView
	Groups       []UnitGroup // Commitments split by unit and status, in order (nil in a list by flag)
	Notices      []*board.NoticeView
	NoticeGroups []NoticeGroup // Notices split by group, in order
	Ratings      []*board.RatingView
	// Filter names the commitments a list holds: "" for all of them (or all
	// of Unit's), "overdue", "no-news", or a status.
	Filter string
	Pager  *Pager
	// Summary counts the whole list, on the first page of a commitments list.
	Summary *Summary
	// Jump says where each group of the notices list begins (notices list
	// pages and the dashboard).
	Jump []Jump
}

// Job is one page to render: its layout and data.
type Job struct {
	Layout string
	Page   *Page
}

// Jobs lists every page of the site for a snapshot, in a stable order.
//
// The lists are paginated (see PageSize and ListPath):
//
//	commitments/                   all commitments, by unit and status
//	commitments/status/<status>/   those of one status, by unit
//	commitments/flag/overdue/      overdue ones, most overdue first
//	commitments/flag/no-news/      quiet ones, quietest first
//	notices/                       open, upcoming, closed
//	ratings/                       latest first
//	units/<unit>/commitments/      one unit's commitments, by status
//	units/<unit>/notices/          notices with a candidate of the unit
//	units/<unit>/ratings/          one unit's rating boards
func Jobs(s *board.Snapshot) []Job { return jobs(s, nil) }

// Lister lists the pages of a board's snapshots again and again, as Jobs
// does, for a board edited between two lists. A record's page and poster
// are the Page values of the previous list when the record's view is the
// same (a board.Deriver keeps the views of unchanged records), so that an
// edit allocates only the pages it changes and the lists.
//
// The pages it lists are shared with the lists that follow, so their Site
// is nil, lest they keep old snapshots: a page is rendered from a copy
// with Site set (see Job.On). Nothing may change a Page it returns.
//
// The zero Lister is ready to use. A Lister is not safe for concurrent use.
type Lister struct {
	commitments, commitmentPosters keptPages[*board.CommitmentView]
	notices, noticePosters         keptPages[*board.NoticeView]

	// The pages of the lists of commitments, by path, and what they
	// were made of besides their records: the record before their
	// first, and the counts by unit and status of all commitments.
	lists      map[string]keptList
	units      []string // the ids of the units counted
	count      [][nStatuses]int
	flags      [][2]int
	sameCounts bool // this list's counts are the last one's
}

// keptList is a page of a list of commitments and the record before its
// first (nil for none).
type keptList struct {
	page *Page
	prev *board.CommitmentView
}

// counted notes the counts of ls, and reports whether they are the same
// as the last list's: then so are the totals and summaries of every list
// of commitments.
func (l *Lister) counted(ls *lists) bool {
	same := len(l.units) == len(ls.units) && slices.Equal(l.count, ls.count) && slices.Equal(l.flags, ls.flags)
	for i := 0; same && i < len(ls.units); i++ {
		same = l.units[i] == ls.units[i].ID
	}
	if !same {
		l.units = l.units[:0]
		for _, u := range ls.units {
			l.units = append(l.units, u.ID)
		}
		l.count, l.flags = slices.Clone(ls.count), slices.Clone(ls.flags)
	}
	return same
}

// listPage returns the last list's page of a list of commitments at path
// when it would be made the same: the same counts, the same place in a
// list as long, the same records and the same record before them. A
// unit's list gets a copy with the unit's new view.
func (l *Lister) listPage(path string, u *board.UnitView, pg *Pager, cs []*board.CommitmentView, prev *board.CommitmentView) *Page {
	if !l.sameCounts {
		return nil
	}
	k, ok := l.lists[path]
	if !ok || k.prev != prev || !slices.Equal(k.page.Commitments, cs) {
		return nil
	}
	old := k.page.Pager
	if old.Number != pg.Number || old.Count != pg.Count || old.Total != pg.Total || old.From != pg.From || old.To != pg.To {
		return nil
	}
	if k.page.Unit == u {
		return k.page
	}
	p := *k.page
	p.Unit = u
	return &p
}

// Jobs returns what Jobs(s) returns, except that every page's Site is nil.
func (l *Lister) Jobs(s *board.Snapshot) []Job { return jobs(s, l) }

// On returns j with a copy of its page whose Site is s.
func (j Job) On(s *board.Snapshot) Job {
	p := *j.Page
	p.Site = s
	j.Page = &p
	return j
}

// keptPages are the pages of the records of one kind in a list, in the
// order of the records' views.
type keptPages[V comparable] struct {
	views []V
	pages []*Page
	at    map[V]int // the place of each view, made when first needed
	n     int       // the length of the new list
}

// find returns the page of view v, at place i in the new list, or nil.
func (k *keptPages[V]) find(i int, v V) *Page {
	if i < len(k.views) && k.views[i] == v {
		return k.pages[i]
	}
	// A list as long as the last one has its records in their places,
	// but for records changed: their views are new. (A view moved is
	// then not found, and gets a new page.)
	if len(k.views) == 0 || len(k.views) == k.n {
		return nil
	}
	if k.at == nil {
		k.at = make(map[V]int, len(k.views))
		for j, w := range k.views {
			k.at[w] = j
		}
	}
	if j, ok := k.at[v]; ok {
		return k.pages[j]
	}
	return nil
}

// recordPages adds the page of each of views, of the given layout: when k is
// not nil, the page kept in k for the same view, else a new one of
// newPage; then k keeps them.
func recordPages[V comparable](k *keptPages[V], layout string, views []V, keep func(Job), newPage func(V) *Page) {
	if k == nil {
		for _, v := range views {
			newPage(v)
		}
		return
	}
	pages := make([]*Page, len(views))
	k.n = len(views)
	for i, v := range views {
		p := k.find(i, v)
		if p == nil {
			p = newPage(v)
		} else {
			keep(Job{Layout: layout, Page: p})
		}
		pages[i] = p
	}
	*k = keptPages[V]{views: views, pages: pages}
}

func jobs(s *board.Snapshot, l *Lister) []Job {
	records := len(s.Commitments) + len(s.Notices) + len(s.Ratings) + len(s.Units)
	jobs := make([]Job, 0, 2*records+len(s.Pages)+(4*len(s.Commitments)+2*len(s.Notices)+2*len(s.Ratings))/PageSize+64)
	site := s
	if l != nil {
		site = nil
	}
	// The pages are allocated a block at a time: a site has thousands.
	var block []Page
	add := func(layout, out, kind, title string) *Page {
		if len(block) == cap(block) {
			block = make([]Page, 0, min(256, max(16, cap(jobs)-len(jobs))))
		}
		block = append(block, Page{Site: site, Path: out, Root: rootOf(out), Kind: kind, Title: title})
		p := &block[len(block)-1]
		jobs = append(jobs, Job{Layout: layout, Page: p})
		return p
	}
	// A record's page that a Lister keeps is allocated on its own: a
	// block would live as long as any of its pages, and keep the others'
	// records and lists.
	addRecord := add
	if l != nil {
		addRecord = func(layout, out, kind, title string) *Page {
			p := &Page{Path: out, Root: rootOf(out), Kind: kind, Title: title}
			jobs = append(jobs, Job{Layout: layout, Page: p})
			return p
		}
	}
	var nextLists map[string]keptList // the lists of commitments' pages a Lister keeps
	// keep adds a page kept from the last list.
	keep := func(j Job) { jobs = append(jobs, j) }
	var (
		commitmentPages, commitmentPosters *keptPages[*board.CommitmentView]
		noticePages, noticePosters         *keptPages[*board.NoticeView]
	)
	if l != nil {
		commitmentPages, commitmentPosters = &l.commitments, &l.commitmentPosters
		noticePages, noticePosters = &l.notices, &l.noticePosters
	}
	// A paginated list of commitments under base.
	// totals counts cs by unit and status (countGroups), when the
	// list is grouped.
	// summary summarizes cs (summarize), for a list of all commitments or
	// of all of a unit's.
	commitments := func(base string, u *board.UnitView, filter string, cs []*board.CommitmentView, byUnit, byStatus bool, totals func() groupTotals, summary func() *Summary) {
		var t groupTotals
		counted := false
		pages(base, len(cs), func(lo, hi int, pg *Pager) {
			path := ListPath(base, pg.Number)
			var prev *board.CommitmentView
			if lo > 0 {
				prev = cs[lo-1]
			}
			if l != nil {
				if p := l.listPage(path, u, pg, cs[lo:hi], prev); p != nil {
					jobs = append(jobs, Job{Layout: "commitments/list.html", Page: p})
					nextLists[path] = keptList{p, prev}
					return
				}
			}
			var p *Page
			if l != nil {
				// Kept by the Lister: on its own, with its own list.
				p = addRecord("commitments/list.html", path, "commitments", "")
				p.Commitments = slices.Clone(cs[lo:hi:hi])
				nextLists[path] = keptList{p, prev}
			} else {
				p = add("commitments/list.html", path, "commitments", "")
				p.Commitments = cs[lo:hi:hi]
			}
			p.Unit, p.Filter, p.Pager = u, filter, pg
			if byUnit || byStatus {
				if !counted {
					t, counted = totals(), true
				}
				p.Groups = groupCommitments(p.Commitments, prev, byUnit, byStatus, t)
			}
			if pg.Number == 1 && filter == "" {
				p.Summary = summary()
			}
		})
	}
	notices := func(base string, u *board.UnitView, ns []*board.NoticeView) {
		jump := noticeJumps(base, ns)
		pages(base, len(ns), func(lo, hi int, pg *Pager) {
			p := add("notices/list.html", ListPath(base, pg.Number), "notices", "")
			p.Unit, p.Pager, p.Jump = u, pg, jump
			p.Notices = ns[lo:hi:hi]
			var prev *board.NoticeView
			if lo > 0 {
				prev = ns[lo-1]
			}
			p.NoticeGroups = groupNotices(p.Notices, prev)
		})
	}
	ratings := func(base string, u *board.UnitView, rs []*board.RatingView) {
		pages(base, len(rs), func(lo, hi int, pg *Pager) {
			p := add("ratings/list.html", ListPath(base, pg.Number), "ratings", "")
			p.Unit, p.Pager = u, pg
			p.Ratings = rs[lo:hi:hi]
		})
	}

	add("index.html", "index.html", "home", "").Jump = noticeJumps("notices/", s.Notices)
	ls := sortLists(s.Units)
	if l != nil {
		l.sameCounts = l.counted(&ls)
		nextLists = make(map[string]keptList, len(l.lists))
		defer func() { l.lists = nextLists }()
	}
	commitments("commitments/", nil, "", ls.all, true, true,
		func() groupTotals { return ls.totals(-1, -1) }, func() *Summary { return ls.summary(-1) })
	for i, st := range board.Statuses {
		if cs := ls.status[i]; len(cs) > 0 {
			commitments("commitments/status/"+string(st)+"/", nil, string(st), cs, true, false,
				func() groupTotals { return ls.totals(i, -1) }, nil)
		}
	}
	commitments("commitments/flag/overdue/", nil, "overdue", overdueOf(s.Commitments), false, false, nil, nil)
	commitments("commitments/flag/no-news/", nil, "no-news", noNewsOf(s.Commitments), false, false, nil, nil)
	recordPages(commitmentPages, "commitments/single.html", s.Commitments, keep, func(c *board.CommitmentView) *Page {
		p := addRecord("commitments/single.html", "commitments/"+c.ID+"/index.html", "commitment", c.Title)
		p.Commitment = c
		return p
	})
	notices("notices/", nil, s.Notices)
	recordPages(noticePages, "notices/single.html", s.Notices, keep, func(n *board.NoticeView) *Page {
		p := addRecord("notices/single.html", "notices/"+n.ID+"/index.html", "notice", n.Title)
		p.Notice = n
		return p
	})
	ratings("ratings/", nil, s.Ratings)
	for _, r := range s.Ratings {
		add("ratings/single.html", "ratings/"+r.ID+"/index.html", "rating", r.Title).Rating = r
	}
	add("units/list.html", "units/index.html", "units", "")
	for i, u := range s.Units {
		add("units/single.html", "units/"+u.ID+"/index.html", "unit", u.Name).Unit = u
		if len(u.Commitments) > UnitPage.Commitments {
			commitments("units/"+u.ID+"/commitments/", u, "", ls.unit[i], false, true,
				func() groupTotals { return ls.totals(-1, i) }, func() *Summary { return ls.summary(i) })
		}
		if len(u.Notices) > UnitPage.Notices {
			notices("units/"+u.ID+"/notices/", u, u.Notices)
		}
		if len(u.Ratings) > UnitPage.Ratings {
			ratings("units/"+u.ID+"/ratings/", u, u.Ratings)
		}
	}
	for _, pg := range s.Pages {
		add("pages/single.html", pg.ID+"/index.html", "page", pg.Title).Page = pg
	}
	recordPages(commitmentPosters, "posters/commitment.html", s.Commitments, keep, func(c *board.CommitmentView) *Page {
		p := addRecord("posters/commitment.html", "posters/commitments/"+c.ID+"/index.html", "poster-commitment", c.Title)
		p.Commitment = c
		return p
	})
	recordPages(noticePosters, "posters/notice.html", s.Notices, keep, func(n *board.NoticeView) *Page {
		p := addRecord("posters/notice.html", "posters/notices/"+n.ID+"/index.html", "poster-notice", n.Title)
		p.Notice = n
		return p
	})
	for _, r := range s.Ratings {
		add("posters/rating.html", "posters/ratings/"+r.ID+"/index.html", "poster-rating", r.Title).Rating = r
	}
	for _, u := range s.Units {
		add("posters/unit.html", "posters/units/"+u.ID+"/index.html", "poster-unit", u.Name).Unit = u
	}
	// Served at any depth by a web server: link from the site's own path.
	add("404.html", "404.html", "404", "").Root = sitePath(s.Config.BaseURL)
	return jobs
}

// roots are rootOf's answers for the usual depths.
var roots = [...]string{"", "../", "../../", "../../../", "../../../../", "../../../../../", "../../../../../../"}

func rootOf(out string) string {
	if n := strings.Count(out, "/"); n < len(roots) {
		return roots[n]
	}
	return strings.Repeat("../", strings.Count(out, "/"))
}

func sitePath(baseURL string) string {
	i := strings.Index(baseURL, "://")
	if i < 0 {
		return "/"
	}
	rest := baseURL[i+3:]
	j := strings.IndexByte(rest, '/')
	if j < 0 {
		return "/"
	}
	p := rest[j:]
	if !strings.HasSuffix(p, "/") {
		p += "/"
	}
	return p
}

// Render executes a job's layout into w.
func (r *Renderer) Render(w io.Writer, j Job) error {
	t := r.pages[j.Layout]
	if t == nil {
		return fmt.Errorf("no layout %s", j.Layout)
	}
	r.fragments.use(j.Page.Site)
	if c, ok := r.compiled[j.Layout]; ok {
		buf := bufPool.Get().(*bytes.Buffer)
		buf.Reset()
		err := c.run(&cstate{w: buf, f: r.cfuncs}, j.Page)
		if err == nil {
			_, err = w.Write(ShowBidi(buf.Bytes()))
			bufPool.Put(buf)
			return err
		}
		bufPool.Put(buf)
		// The page is rendered again through html/template, which gives
		// its error as it would have.
	}
	if err := t.ExecuteTemplate(bidiWriter{w}, baseOf(j.Layout), j.Page); err != nil {
		return fmt.Errorf("rendering %s with layouts/%s: %w", j.Page.Path, j.Layout, err)
	}
	return nil
}

// RenderBytes renders a job into a new byte slice.
func (r *Renderer) RenderBytes(j Job) ([]byte, error) {
	var buf bytes.Buffer
	buf.Grow(16 << 10)
	if err := r.Render(&buf, j); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// Union returns a file system that reads each name from the first of fss
// that has it (golang.org/x/website's unionFS). Directory listings merge.
func Union(fss ...fs.FS) fs.FS { return unionFS(fss) }

type unionFS []fs.FS

func (u unionFS) Open(name string) (fs.File, error) {
	var firstErr error
	for _, f := range u {
		if f == nil {
			continue
		}
		file, err := f.Open(name)
		if err == nil {
			return file, nil
		}
		if firstErr == nil {
			firstErr = err
		}
	}
	if firstErr == nil {
		firstErr = &fs.PathError{Op: "open", Path: name, Err: fs.ErrNotExist}
	}
	return nil, firstErr
}

func (u unionFS) ReadDir(name string) ([]fs.DirEntry, error) {
	var out []fs.DirEntry
	seen := map[string]bool{}
	found := false
	for _, f := range u {
		if f == nil {
			continue
		}
		es, err := fs.ReadDir(f, name)
		if err != nil {
			continue
		}
		found = true
		for _, e := range es {
			if !seen[e.Name()] {
				seen[e.Name()] = true
				out = append(out, e)
			}
		}
	}
	if !found {
		return nil, &fs.PathError{Op: "readdir", Path: name, Err: fs.ErrNotExist}
	}
	slices.SortFunc(out, func(a, b fs.DirEntry) int { return strings.Compare(a.Name(), b.Name()) })
	return out, nil
}
