package board

import (
	"fmt"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"unicode"
)

// Problem is a broken rule, located by the record's file and a field path
// such as "updates[2].date" (empty for the whole file).
type Problem struct {
	File    string
	Field   string
	Message string
	Warning bool // true for advice that does not stop a build
}

// ValidID reports whether s is a valid record, unit or page id: it matches
// ^[a-z0-9][a-z0-9-]{0,79}$ (written out by hand: the loader asks for every
// file, and a compiled pattern would also cost every start of the program).
func ValidID(s string) bool {
	if len(s) == 0 || len(s) > 80 || s[0] == '-' {
		return false
	}
	for i := 0; i < len(s); i++ {
		if c := s[i]; !('a' <= c && c <= 'z' || '0' <= c && c <= '9' || c == '-') {
			return false
		}
	}
	return true
}

// IDRule describes ValidID for messages.
const IDRule = "lowercase ASCII letters, digits and hyphens, starting with a letter or digit, at most 80 characters"

// ReservedSlugs are top-level output names a page may not take.
var ReservedSlugs = []string{"assets", "commitments", "data", "feed", "files", "index", "notices", "posters", "ratings", "sitemap", "static", "units", "404"}

// Check returns every rule of SPEC §1 that the board breaks. The rules do not
// depend on the date; derived states do (see Board.At).
func (b *Board) Check() []Problem {
	c := &checker{b: b}
	return c.run()
}

func (c *checker) run() []Problem {
	c.config()
	c.commitments()
	c.notices()
	c.ratings()
	c.pages()
	c.invisibles()
	return c.problems
}

type checker struct {
	b        *Board
	problems []Problem
	// memo, when not nil, holds the problems of each record's own rules
	// from an earlier check (see Checker).
	memo *Checker
	seen []string // scratch for the walk up a commitment's parents

	// What a check without a Checker gives the rules to fill, and forgets.
	scratchCommitment commitmentProblems
	scratchNotice     recordProblems
	scratchRating     ratingProblems
	scratchPage       recordProblems
}

func (c *checker) add(file, field, format string, args ...any) {
	c.problems = append(c.problems, Problem{File: file, Field: field, Message: fmt.Sprintf(format, args...)})
}

func (c *checker) required(file, field, value string) {
	if blank(value) {
		c.add(file, field, "%s is required", lastKey(field))
	}
}

// blank reports whether s is empty or white space only, as
// strings.TrimSpace(s) == "" does, but stops at the first other character.
func blank(s string) bool {
	for _, r := range s {
		if !unicode.IsSpace(r) {
			return false
		}
	}
	return true
}

// elem names the i-th element of a list of a record, like updates[2]. The
// rules of a list's elements name them only when they have something to
// say: most elements break no rule, and making every name cost much of a
// check.
type elem struct {
	list string
	i    int
}

// field names the field sub (".note", or "" for the element itself).
func (e elem) field(sub string) string { return e.list + "[" + strconv.Itoa(e.i) + "]" + sub }

func (c *checker) requiredIn(file string, e elem, sub, value string) {
	if blank(value) {
		c.required(file, e.field(sub), value)
	}
}

func (c *checker) unitRefIn(file string, e elem, sub, id string) {
	if id == "" || c.b.Config.Unit(id) == nil {
		c.unitRef(file, e.field(sub), id)
	}
}

func (c *checker) requiredDate(file, field string, d Date) {
	if d.IsZero() {
		c.add(file, field, "%s is required (a date like 2019-09-02)", lastKey(field))
	}
}

func lastKey(field string) string {
	if i := strings.LastIndexByte(field, '.'); i >= 0 {
		field = field[i+1:]
	}
	if i := strings.IndexByte(field, '['); i >= 0 {
		field = field[:i]
	}
	return field
}

const configFile = "board.toml"

func (c *checker) config() {
	cfg := &c.b.Config
	c.required(configFile, "title", cfg.Title)
	if cfg.BaseURL == "" {
		c.add(configFile, "base_url", "base_url is required (the address the site is published at, like https://board.example.org/)")
	} else if u, err := url.Parse(cfg.BaseURL); err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" || u.RawQuery != "" || u.Fragment != "" {
		c.add(configFile, "base_url", "base_url %q must be an absolute http or https address like https://board.example.org/", cfg.BaseURL)
	}
	if cfg.Language != "en" && cfg.Language != "zh-CN" {
		c.add(configFile, "language", "unknown language %q (want en or zh-CN)", cfg.Language)
	}
	if len(cfg.Units) == 0 {
		c.add(configFile, "", "board.toml needs at least one [[units]] entry")
	}
	seen := map[string]int{}
	for i, u := range cfg.Units {
		f := fmt.Sprintf("units[%d]", i)
		switch {
		case u.ID == "":
			c.add(configFile, f+".id", "id is required")
		case !ValidID(u.ID):
			c.add(configFile, f+".id", "invalid unit id %q: use %s", u.ID, IDRule)
		default:
			if j, dup := seen[u.ID]; dup {
				c.add(configFile, f+".id", "duplicate unit id %q: [[units]] entry %d has it too", u.ID, j+1)
			}
			seen[u.ID] = i
		}
		c.required(configFile, f+".name", u.Name)
		if u.Members < 0 {
			c.add(configFile, f+".members", "members must not be negative")
		}
	}
	if cfg.Commitments.StaleAfterDays < 1 {
		c.add(configFile, "commitments.stale_after_days", "stale_after_days must be at least 1")
	}
	if cfg.Notices.MinWorkingDays < 1 {
		c.add(configFile, "notices.min_working_days", "min_working_days must be at least 1")
	}
	if cfg.Notices.RedactAfterDays < 0 {
		c.add(configFile, "notices.redact_after_days", "redact_after_days must not be negative")
	}
	for i, h := range cfg.Notices.Holidays {
		for _, w := range cfg.Notices.Workdays {
			if h == w {
				c.add(configFile, fmt.Sprintf("notices.holidays[%d]", i), "%s is listed both as a holiday and as a workday", h)
			}
		}
	}
	if cfg.Print.Paper != "A4" && cfg.Print.Paper != "A3" {
		c.add(configFile, "print.paper", "unknown paper %q (want A4 or A3)", cfg.Print.Paper)
	}
	if cfg.Print.Orientation != "portrait" && cfg.Print.Orientation != "landscape" {
		c.add(configFile, "print.orientation", "unknown orientation %q (want portrait or landscape)", cfg.Print.Orientation)
	}
}

func (c *checker) unitRef(file, field, id string) {
	if id == "" {
		c.add(file, field, "%s is required (a unit id from board.toml)", lastKey(field))
		return
	}
	switch {
	case len(c.b.Config.Units) == 0:
		c.add(file, field, "unknown unit %q: board.toml has no [[units]]", id)
	case c.b.Config.Unit(id) == nil:
		c.add(file, field, "unknown unit %q (want one of the [[units]] ids in board.toml: %s)", id, c.unitIDs())
	}
}

func (c *checker) unitIDs() string {
	ids := make([]string, len(c.b.Config.Units))
	for i, u := range c.b.Config.Units {
		ids[i] = u.ID
	}
	if len(ids) > 12 {
		ids = append(ids[:12], "…")
	}
	return strings.Join(ids, ", ")
}

func (c *checker) percent(file, field string, p *int) {
	if p != nil && (*p < 0 || *p > 100) {
		c.add(file, field, "progress %d is out of range (want 0 to 100)", *p)
	}
}

// link checks an evidence or photo reference: an http(s) URL or a path under static/.
func (c *checker) link(file, field, ref string, imageOnly bool) {
	if msg := c.linkProblem(ref, imageOnly); msg != "" {
		c.add(file, field, "%s", msg)
	}
}

// linkProblem says what is wrong with a reference, or "".
func (c *checker) linkProblem(ref string, imageOnly bool) string {
	if ref == "" {
		return "empty evidence entry: give an http(s) address or a path under static/"
	}
	if u, err := url.Parse(ref); err == nil && u.Scheme != "" {
		if (u.Scheme == "http" || u.Scheme == "https") && u.Host != "" && !imageOnly {
			return ""
		}
		if imageOnly {
			return fmt.Sprintf("photo %q must be a path under static/, like files/notice.jpg", ref)
		}
		return fmt.Sprintf("evidence %q must be an http(s) address or a path under static/", ref)
	}
	p := strings.TrimPrefix(ref, "/")
	if strings.Contains(p, "\\") || strings.Contains("/"+p+"/", "/../") {
		return fmt.Sprintf("%q must be a plain path under static/", ref)
	}
	if !c.b.Static[p] {
		return fmt.Sprintf("%q is not a file under static/ (put it at static/%s)", ref, p)
	}
	return ""
}

func checkDuplicates[T any](c *checker, kind string, recs []T, id func(T) (string, string)) {
	first := make(map[string]string, len(recs))
	for _, r := range recs {
		rid, file := id(r)
		if prev, dup := first[rid]; dup {
			c.add(file, "", "duplicate %s id %q: %s has the same file name", kind, rid, prev)
			continue
		}
		first[rid] = file
	}
}

func (c *checker) commitments() {
	byID := make(map[string]*Commitment, len(c.b.Commitments))
	checkDuplicates(c, "commitment", c.b.Commitments, func(m *Commitment) (string, string) { return m.ID, m.File })
	for _, m := range c.b.Commitments {
		byID[m.ID] = m
	}
	for _, m := range c.b.Commitments {
		e := c.commitmentMemo(m)
		c.own(&e.head, func() { c.commitmentHead(m) })
		c.parent(m, byID)
		c.own(&e.updates, func() { c.commitmentUpdates(m) })
	}
}

// commitmentHead checks a commitment's own fields, before its parent.
func (c *checker) commitmentHead(m *Commitment) {
	f := m.File
	c.required(f, "title", m.Title)
	c.unitRef(f, "unit", m.Unit)
	c.required(f, "owner", m.Owner)
	c.requiredDate(f, "made", m.Made)
	c.requiredDate(f, "due", m.Due)
	if !m.Made.IsZero() && !m.Due.IsZero() && m.Due.Before(m.Made) {
		c.add(f, "due", "due %s is before made %s", m.Due, m.Made)
	}
	if m.Status == "" {
		c.add(f, "status", "status is required (want %s)", orList(Statuses))
	}
	c.percent(f, "progress", m.Progress)
	if m.Status == Done && m.Progress != nil && *m.Progress != 100 {
		c.add(f, "progress", "status done means progress 100, but progress is %d", *m.Progress)
	}
}

// parent checks a commitment's parent reference: a rule across records.
func (c *checker) parent(m *Commitment, byID map[string]*Commitment) {
	f := m.File
	switch {
	case m.Parent == "":
	case m.Parent == m.ID:
		c.add(f, "parent", "a commitment cannot be its own parent")
	case byID[m.Parent] == nil:
		if !c.b.Unreadable["commitments/"+m.Parent] {
			c.add(f, "parent", "unknown parent commitment %q", m.Parent)
		}
	default:
		// Walk up; a cycle is reported once, at each member's parent key.
		// The ids seen are in a slice while the walk is short (parents
		// are rarely more than a few levels deep), in a map beyond.
		seen := append(c.seen[:0], m.ID)
		var seenMap map[string]bool
		for p := byID[m.Parent]; p != nil && p.Parent != ""; p = byID[p.Parent] {
			var again bool
			if seenMap != nil {
				again = seenMap[p.Parent]
			} else {
				again = slices.Contains(seen, p.Parent)
			}
			if again {
				if p.Parent == m.ID {
					c.add(f, "parent", "parent %q makes a cycle: %s", m.Parent, cyclePath(byID, m))
				}
				break
			}
			if seenMap != nil {
				seenMap[p.ID] = true
				continue
			}
			seen = append(seen, p.ID)
			if len(seen) > 32 {
				seenMap = make(map[string]bool, 2*len(seen))
				for _, id := range seen {
					seenMap[id] = true
				}
			}
		}
		c.seen = seen[:0]
	}
}

// commitmentUpdates checks a commitment's updates, after its parent.
func (c *checker) commitmentUpdates(m *Commitment) {
	f := m.File
	var last Date
	for i, u := range m.Updates {
		uf := elem{"updates", i}
		if u.Date.IsZero() {
			c.requiredDate(f, uf.field(".date"), u.Date)
		} else {
			if !m.Made.IsZero() && u.Date.Before(m.Made) {
				c.add(f, uf.field(".date"), "update dated %s is before the commitment was made (%s)", u.Date, m.Made)
			}
			if !last.IsZero() && u.Date.Before(last) {
				c.add(f, uf.field(".date"), "update dated %s comes after one dated %s: list updates oldest first", u.Date, last)
			}
			last = u.Date
		}
		c.requiredIn(f, uf, ".note", u.Note)
		if p := u.Progress; p != nil && (*p < 0 || *p > 100) {
			c.percent(f, uf.field(".progress"), p)
		}
		for j, e := range u.Evidence {
			if msg := c.linkProblem(e, false); msg != "" {
				c.add(f, uf.field(".evidence["+strconv.Itoa(j)+"]"), "%s", msg)
			}
		}
	}
}

// cyclePath names the commitments of the cycle m is on, from m. It walks
// up from m itself: another commitment with m's id (a duplicate) may have
// another parent, or one that is not there.
func cyclePath(byID map[string]*Commitment, m *Commitment) string {
	path := []string{m.ID}
	for p := m.Parent; p != m.ID && len(path) < 50; p = byID[p].Parent {
		path = append(path, p)
	}
	return strings.Join(append(path, m.ID), " → ")
}

func (c *checker) notices() {
	checkDuplicates(c, "notice", c.b.Notices, func(n *Notice) (string, string) { return n.ID, n.File })
	var cal Calendar
	calMade := false
	for _, n := range c.b.Notices {
		e := c.noticeMemo(n)
		c.own(&e.rules, func() {
			if !calMade {
				cal, calMade = c.b.Config.Calendar(), true
			}
			c.notice(n, cal)
		})
	}
}

// notice checks a notice's own rules.
func (c *checker) notice(n *Notice, cal Calendar) {
	f := n.File
	c.required(f, "title", n.Title)
	c.required(f, "issuer", n.Issuer)
	if n.Purpose == "" {
		c.add(f, "purpose", "purpose is required (want %s)", orList(Purposes))
	}
	c.requiredDate(f, "published", n.Published)
	c.requiredDate(f, "opens", n.Opens)
	c.requiredDate(f, "closes", n.Closes)
	if !n.Opens.IsZero() && !n.Published.IsZero() && n.Opens.Before(n.Published) {
		c.add(f, "opens", "opens %s is before the notice is published (%s)", n.Opens, n.Published)
	}
	if !n.Opens.IsZero() && !n.Closes.IsZero() {
		if n.Closes.Before(n.Opens) {
			c.add(f, "closes", "closes %s is before opens %s", n.Closes, n.Opens)
		} else if wd, min := cal.WorkingDays(n.Opens, n.Closes), c.b.Config.Notices.MinWorkingDays; wd < min {
			c.add(f, "closes", "the objection window %s to %s has %d working days; the board requires at least %d", n.Opens, n.Closes, wd, min)
		}
	}
	if c.b.Config.Objections.Merge(n.Objections).IsZero() {
		c.add(f, "", "no objection contacts: set [objections] in board.toml or in this notice")
	}
	if p := n.Posted; p != nil {
		c.requiredDate(f, "posted.date", p.Date)
		if !p.Date.IsZero() && !n.Published.IsZero() && p.Date.Before(n.Published) {
			c.add(f, "posted.date", "posted %s is before the notice is published (%s)", p.Date, n.Published)
		}
		if p.Photo != "" {
			c.link(f, "posted.photo", p.Photo, true)
		}
	}
	if o := n.Outcome; o != nil {
		c.requiredDate(f, "outcome.date", o.Date)
		if !o.Date.IsZero() && !n.Closes.IsZero() && !o.Date.After(n.Closes) {
			c.add(f, "outcome.date", "the outcome is dated %s, but the window closes %s: an outcome comes after the window", o.Date, n.Closes)
		}
		if o.Objections != nil && *o.Objections < 0 {
			c.add(f, "outcome.objections", "objections must not be negative")
		}
	}
	if len(n.Candidates) == 0 {
		c.add(f, "", "a notice needs at least one [[candidates]] entry")
	}
	for i, cd := range n.Candidates {
		cf := elem{"candidates", i}
		c.requiredIn(f, cf, ".name", cd.Name)
		c.unitRefIn(f, cf, ".unit", cd.Unit)
	}
}

func (c *checker) ratings() {
	checkDuplicates(c, "rating", c.b.Ratings, func(r *Rating) (string, string) { return r.ID, r.File })
	byID := make(map[string]*Rating, len(c.b.Ratings))
	for _, r := range c.b.Ratings {
		byID[r.ID] = r
	}
	for _, r := range c.b.Ratings {
		e := c.ratingMemo(r)
		c.own(&e.head, func() { c.ratingHead(r) })
		c.previous(r, byID)
		c.own(&e.entries, func() { c.ratingEntries(r) })
	}
}

// ratingHead checks a rating board's own fields, before its previous board.
func (c *checker) ratingHead(r *Rating) {
	f := r.File
	c.required(f, "title", r.Title)
	c.unitRef(f, "unit", r.Unit)
	c.required(f, "period", r.Period)
	c.requiredDate(f, "rated", r.Rated)
	if r.MaxStars < 1 || r.MaxStars > 10 {
		c.add(f, "max_stars", "max_stars %d is out of range (want 1 to 10)", r.MaxStars)
	}
	for i, cr := range r.Criteria {
		if blank(cr) {
			c.add(f, fmt.Sprintf("criteria[%d]", i), "criteria entry %d is empty: name the criterion or remove it", i+1)
		}
	}
}

// previous checks a rating board's previous board: a rule across records.
func (c *checker) previous(r *Rating, byID map[string]*Rating) {
	f := r.File
	if r.Previous != "" {
		p := byID[r.Previous]
		switch {
		case r.Previous == r.ID:
			c.add(f, "previous", "a rating board cannot be its own previous period")
		case p == nil:
			if !c.b.Unreadable["ratings/"+r.Previous] {
				c.add(f, "previous", "unknown rating board %q", r.Previous)
			}
		case p.Unit != r.Unit:
			c.add(f, "previous", "previous board %q belongs to unit %q, not %q", p.ID, p.Unit, r.Unit)
		case !p.Rated.Before(r.Rated):
			c.add(f, "previous", "previous board %q was rated %s, not before this one (%s)", p.ID, p.Rated, r.Rated)
		}
	}
}

// ratingEntries checks a rating board's entries, after its previous board.
func (c *checker) ratingEntries(r *Rating) {
	f := r.File
	if len(r.Entries) == 0 {
		c.add(f, "", "a rating board needs at least one [[entries]] entry")
	}
	names := map[string]int{}
	for i, e := range r.Entries {
		ef := elem{"entries", i}
		c.requiredIn(f, ef, ".name", e.Name)
		c.requiredIn(f, ef, ".post", e.Post)
		if j, dup := names[e.Name]; dup && e.Name != "" {
			c.add(f, ef.field(".name"), "%q is rated twice on this board: [[entries]] entry %d has the same name", e.Name, j+1)
		}
		names[e.Name] = i
		max := r.MaxStars
		if max < 1 || max > 10 {
			max = 10 // reported above; do not also report every entry against it
		}
		if len(r.Criteria) == 0 {
			if len(e.Scores) > 0 {
				c.add(f, ef.field(".scores"), "scores need criteria on the board; without criteria give stars")
			}
			if e.Stars == nil {
				c.add(f, ef.field(""), "stars is required (an integer 0 to %d)", max)
			} else if *e.Stars < 0 || *e.Stars > max {
				c.add(f, ef.field(".stars"), "stars %d is out of range (want 0 to %d)", *e.Stars, max)
			}
			continue
		}
		if e.Stars != nil {
			c.add(f, ef.field(".stars"), "with criteria, stars are computed from scores: remove stars")
		}
		if len(e.Scores) == 0 {
			c.add(f, ef.field(".scores"), "scores is required with criteria: one whole number 0 to %d per criterion (%s)", max, strings.Join(r.Criteria, ", "))
			continue
		}
		if len(e.Scores) != len(r.Criteria) {
			c.add(f, ef.field(".scores"), "scores has %d values but the board has %d criteria (%s)", len(e.Scores), len(r.Criteria), strings.Join(r.Criteria, ", "))
			continue
		}
		for j, s := range e.Scores {
			if s < 0 || s > max {
				c.add(f, ef.field(".scores["+strconv.Itoa(j)+"]"), "score %d for %s is out of range (want 0 to %d)", s, r.Criteria[j], max)
			}
		}
	}
}

func (c *checker) pages() {
	checkDuplicates(c, "page", c.b.Pages, func(p *Page) (string, string) { return p.ID, p.File })
	for _, p := range c.b.Pages {
		e := c.pageMemo(p)
		c.own(&e.rules, func() {
			c.required(p.File, "title", p.Title)
			for _, r := range ReservedSlugs {
				if p.ID == r {
					c.add(p.File, "", "page slug %q collides with the built-in /%s/ path: rename the file", p.ID, r)
				}
			}
		})
	}
}
