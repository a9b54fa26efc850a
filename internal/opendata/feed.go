package opendata

import (
	"bytes"
	"cmp"
	"encoding/xml"
	"html"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/glassboard/glassboard/internal/board"
)

// FeedLimit is the number of entries a feed carries: the latest ones.
const FeedLimit = 50

type atomFeed struct {
	XMLName   xml.Name      `xml:"http://www.w3.org/2005/Atom feed"`
	Lang      string        `xml:"xml:lang,attr,omitempty"`
	Title     string        `xml:"title"`
	Subtitle  string        `xml:"subtitle,omitempty"`
	Links     []atomLink    `xml:"link"`
	ID        string        `xml:"id"`
	Updated   string        `xml:"updated"`
	Author    atomPerson    `xml:"author"`
	Generator atomGenerator `xml:"generator"`
	Entries   []*atomEntry  `xml:"entry"`
}

type atomLink struct {
	Rel  string `xml:"rel,attr,omitempty"`
	Type string `xml:"type,attr,omitempty"`
	Href string `xml:"href,attr"`
}

type atomPerson struct {
	Name string `xml:"name"`
}

type atomGenerator struct {
	URI  string `xml:"uri,attr,omitempty"`
	Name string `xml:",chardata"`
}

type atomEntry struct {
	Title     string       `xml:"title"`
	Link      atomLink     `xml:"link"`
	ID        string       `xml:"id"`
	Published string       `xml:"published"`
	Updated   string       `xml:"updated"`
	Category  atomCategory `xml:"category"`
	Content   atomText     `xml:"content"`
}

type atomCategory struct {
	Term string `xml:"term,attr"`
}

type atomText struct {
	Type string `xml:"type,attr"`
	Body string `xml:",chardata"`
}

// What a feed entry is about.
const (
	itemNotice     = iota // a published notice
	itemCommitment        // a commitment made
	itemUpdate            // an update of a commitment
	itemRating            // a rating board
)

// feedItem is an entry before it is rendered: which record, and when.
type feedItem struct {
	date board.Date
	kind uint8
	rec  int32 // index in the snapshot's slice of its kind
	upd  int32 // the update's index in CommitmentView.Updates
	seq  int32 // 1 for the first update of a day, 2 for the second…
}

// feeds returns feed.xml and units/<unit>/feed.xml for every unit.
func (d *Data) feeds() ([]File, error) {
	s := d.s
	nItems := len(s.Notices) + len(s.Commitments) + len(s.Ratings)
	for _, c := range s.Commitments {
		nItems += len(c.Updates)
	}
	items := make([]feedItem, 0, nItems)
	for i, n := range s.Notices {
		// A redacted notice's entry is dated by its redaction, so that feed
		// readers replace the copy that still named the candidates.
		date := n.Published
		if n.Redacted() {
			date = n.RedactedFrom
		}
		items = append(items, feedItem{date: date, kind: itemNotice, rec: int32(i)})
	}
	for i, c := range s.Commitments {
		items = append(items, feedItem{date: c.Made, kind: itemCommitment, rec: int32(i)})
		seq := int32(0)
		for j, u := range c.Updates {
			if j > 0 && u.Date.Equal(c.Updates[j-1].Date) {
				seq++
			} else {
				seq = 1
			}
			items = append(items, feedItem{date: u.Date, kind: itemUpdate, rec: int32(i), upd: int32(j), seq: seq})
		}
	}
	for i, r := range s.Ratings {
		items = append(items, feedItem{date: r.Rated, kind: itemRating, rec: int32(i)})
	}
	// Newest first; on the same day by kind, record id and later update first.
	ranks := [4][]int32{
		itemNotice:     idRanks(len(s.Notices), func(i int) string { return s.Notices[i].ID }),
		itemCommitment: idRanks(len(s.Commitments), func(i int) string { return s.Commitments[i].ID }),
		itemRating:     idRanks(len(s.Ratings), func(i int) string { return s.Ratings[i].ID }),
	}
	ranks[itemUpdate] = ranks[itemCommitment]
	slices.SortFunc(items, func(a, b feedItem) int {
		if c := b.date.Compare(a.date); c != 0 {
			return c
		}
		if c := cmp.Compare(a.kind, b.kind); c != 0 {
			return c
		}
		if c := cmp.Compare(ranks[a.kind][a.rec], ranks[b.kind][b.rec]); c != 0 {
			return c
		}
		return cmp.Compare(b.upd, a.upd)
	})

	// Pick the latest FeedLimit entries for the board and for every unit.
	unitIdx := make(map[string]int, len(s.Units))
	for i, u := range s.Units {
		unitIdx[u.ID] = i
	}
	global := make([]feedItem, 0, FeedLimit)
	perUnit := make([][]feedItem, len(s.Units))
	full := 0
	for _, it := range items {
		if len(global) == FeedLimit && full == len(s.Units) {
			break
		}
		if len(global) < FeedLimit {
			global = append(global, it)
		}
		for _, u := range d.itemUnits(it) {
			i, ok := unitIdx[u]
			if !ok || len(perUnit[i]) == FeedLimit {
				continue
			}
			perUnit[i] = append(perUnit[i], it)
			if len(perUnit[i]) == FeedLimit {
				full++
			}
		}
	}

	fc, err := d.newFeedContext()
	if err != nil {
		return nil, err
	}
	rendered := map[feedItem]*atomEntry{}
	entries := func(its []feedItem) []*atomEntry {
		out := make([]*atomEntry, len(its))
		for i, it := range its {
			e, ok := rendered[it]
			if !ok {
				e = fc.entry(it)
				rendered[it] = e
			}
			out[i] = e
		}
		return out
	}
	cfg := s.Config
	files := make([]File, 0, 1+len(s.Units))
	data, err := fc.feed(cfg.Title+" — "+d.t("feed_title"), d.base, "feed.xml", entries(global))
	if err != nil {
		return nil, err
	}
	files = append(files, File{Path: "feed.xml", Data: data})
	for i, u := range s.Units {
		p := "units/" + u.ID + "/feed.xml"
		data, err := fc.feed(cfg.Title+" — "+d.tf("unit_feed_title", u.Name), URL(d.base, "units", u.ID), p, entries(perUnit[i]))
		if err != nil {
			return nil, err
		}
		files = append(files, File{Path: p, Data: data})
	}
	return files, nil
}

// idRanks returns, for each of n records, its place in the order of ids.
func idRanks(n int, id func(int) string) []int32 {
	order := make([]int32, n)
	for i := range order {
		order[i] = int32(i)
	}
	slices.SortFunc(order, func(a, b int32) int { return strings.Compare(id(int(a)), id(int(b))) })
	ranks := make([]int32, n)
	for r, i := range order {
		ranks[i] = int32(r)
	}
	return ranks
}

// itemUnits returns the units an entry belongs to: a notice's are the units
// of its candidates.
func (d *Data) itemUnits(it feedItem) []string {
	switch it.kind {
	case itemNotice:
		return d.s.Notices[it.rec].UnitIDs
	case itemRating:
		return []string{d.s.Ratings[it.rec].Rating.Unit}
	}
	return []string{d.s.Commitments[it.rec].Commitment.Unit}
}

// feedContext holds what every entry needs.
type feedContext struct {
	*Data
	tagPrefix string // "tag:board.example.org,"
	tagPath   string // the base URL's path, without the leading "/"
	author    string
}

func (d *Data) newFeedContext() (*feedContext, error) {
	fc := &feedContext{Data: d, author: d.s.Config.Organization.Name}
	if fc.author == "" {
		fc.author = d.s.Config.Title
	}
	host := "glassboard.invalid"
	if u, err := url.Parse(d.base); err == nil && u.Hostname() != "" {
		host = strings.ToLower(u.Hostname())
		fc.tagPath = strings.TrimPrefix(u.EscapedPath(), "/")
	}
	fc.tagPrefix = "tag:" + host + ","
	return fc, nil
}

// tag returns a stable entry id: tag:HOST,YEAR:PATH, where YEAR is the
// record's first year and PATH is relative to the base URL's path.
func (fc *feedContext) tag(year int, path string) string {
	return fc.tagPrefix + strconv.Itoa(year) + ":" + fc.tagPath + path
}

// stamp returns midnight of day in the board's timezone, as RFC 3339.
func (fc *feedContext) stamp(day board.Date) string {
	return time.Date(day.Year(), day.Month(), day.Day(), 0, 0, 0, 0, fc.loc).Format(time.RFC3339)
}

func (fc *feedContext) feed(title, alternate, self string, entries []*atomEntry) ([]byte, error) {
	cfg := fc.s.Config
	f := atomFeed{
		Lang:     cfg.Language,
		Title:    title,
		Subtitle: cfg.Description,
		Links: []atomLink{
			{Rel: "self", Type: "application/atom+xml", Href: fc.base + self},
			{Rel: "alternate", Type: "text/html", Href: alternate},
		},
		ID:        fc.base + self,
		Author:    atomPerson{Name: fc.author},
		Generator: atomGenerator{URI: "https://github.com/glassboard/glassboard", Name: "glassboard"},
		Entries:   entries,
	}
	if len(entries) > 0 {
		f.Updated = entries[0].Updated
	} else {
		f.Updated = fc.generated.Format(time.RFC3339)
	}
	var buf bytes.Buffer
	buf.Grow(2048 + 1500*len(entries))
	buf.WriteString(xml.Header)
	enc := xml.NewEncoder(&buf)
	enc.Indent("", "  ")
	if err := enc.Encode(&f); err != nil {
		return nil, err
	}
	buf.WriteByte('\n')
	return buf.Bytes(), nil
}

// entry renders one entry. Its content is escaped HTML built from plain
// text; Markdown (bodies, notes) is shown as written, paragraph by
// paragraph. A redacted notice says only its title, issuer, purpose, dates
// and number of candidates.
func (fc *feedContext) entry(it feedItem) *atomEntry {
	var (
		h    htmlText
		e    = &atomEntry{Updated: fc.stamp(it.date)}
		kind string
		id   string
	)
	h.colon = fc.t("colon")
	switch it.kind {
	case itemNotice:
		n := fc.s.Notices[it.rec]
		kind, id = Notices, n.ID
		e.Title = n.Title
		e.ID = fc.tag(n.Published.Year(), Notices+"/"+n.ID)
		h.field(fc.t("issuer"), n.Issuer)
		h.field(fc.t("purpose"), fc.t("purpose_"+string(n.Purpose)))
		if n.Redacted() {
			h.field(fc.t("window"), n.Opens.String()+" – "+n.Closes.String())
			h.para(fc.tn("redacted_note", n.CandidateCount))
			break
		}
		h.field(fc.t("stage"), n.Stage)
		h.field(fc.t("window"), n.Opens.String()+" – "+n.Closes.String()+" ("+fc.tn("working_days", n.WorkingDays)+")")
		h.markdown(n.Body)
		if len(n.Candidates) > 0 {
			h.para(fc.t("candidates") + strings.TrimSpace(fc.t("colon")))
			h.b.WriteString("<ul>")
			for _, c := range n.Candidates {
				extra := []string{fc.unitName(c.Unit)}
				if c.Role != "" {
					extra = append(extra, c.Role)
				}
				h.b.WriteString("<li>")
				h.b.WriteString(escapeText(c.Name + " (" + strings.Join(extra, ", ") + ")"))
				h.b.WriteString("</li>")
			}
			h.b.WriteString("</ul>")
		}
		if o := n.Outcome; o != nil && o.Objections != nil {
			h.field(fc.t("outcome_objections"), fc.tn("objections_received", *o.Objections)+" ("+o.Date.String()+")")
		}
	case itemCommitment:
		c := fc.s.Commitments[it.rec]
		kind, id = Commitments, c.ID
		e.Title = fc.tf("feed_new_commitment", c.Title)
		e.ID = fc.tag(c.Made.Year(), Commitments+"/"+c.ID)
		h.field(fc.t("unit"), fc.unitName(c.Commitment.Unit))
		h.field(fc.t("owner"), c.Owner)
		h.field(fc.t("due"), c.Due.String())
		h.field(fc.t("target"), c.Target)
		h.field(fc.t("filter_status"), fc.t(statusKey(c.Status)))
		h.markdown(c.Body)
	case itemUpdate:
		c := fc.s.Commitments[it.rec]
		u := c.Updates[it.upd]
		kind, id = Commitments, c.ID
		e.Title = fc.tf("feed_update_title", c.Title)
		path := Commitments + "/" + c.ID + "/updates/" + u.Date.String()
		if it.seq > 1 {
			path += "-" + strconv.Itoa(int(it.seq))
		}
		e.ID = fc.tag(c.Made.Year(), path)
		h.markdown(u.Note)
		if u.Status != "" {
			h.field(fc.t("filter_status"), fc.t(statusKey(u.Status)))
		}
		if u.Progress != nil {
			h.para(fc.tf("progress_pct", *u.Progress))
		}
		if len(u.Evidence) > 0 {
			h.para(fc.t("evidence"))
			h.b.WriteString("<ul>")
			for _, ev := range u.Evidence {
				href := ev
				if !strings.HasPrefix(ev, "http://") && !strings.HasPrefix(ev, "https://") {
					href = fc.base + strings.TrimPrefix(ev, "/")
				}
				h.b.WriteString(`<li><a href="` + html.EscapeString(href) + `">` + escapeText(ev) + "</a></li>")
			}
			h.b.WriteString("</ul>")
		}
	case itemRating:
		r := fc.s.Ratings[it.rec]
		kind, id = Ratings, r.ID
		e.Title = r.Title
		e.ID = fc.tag(r.Rated.Year(), Ratings+"/"+r.ID)
		h.field(fc.t("unit"), fc.unitName(r.Rating.Unit))
		h.field(fc.t("period"), r.Period)
		h.field(fc.t("rated_on"), r.Rated.String())
		h.field(fc.t("mean"), strconv.FormatFloat(round2(r.Mean), 'f', -1, 64)+" / "+strconv.Itoa(r.MaxStars))
		h.markdown(r.Body)
		h.b.WriteString("<ol>")
		for _, en := range r.Entries {
			line := en.Name + " — " + en.Post + fc.t("colon") + fc.tn("stars_label", en.Stars, r.MaxStars)
			h.b.WriteString("<li>" + escapeText(line) + "</li>")
		}
		h.b.WriteString("</ol>")
	}
	e.Published = e.Updated
	if it.kind == itemNotice {
		e.Published = fc.stamp(fc.s.Notices[it.rec].Published)
	}
	e.Link = atomLink{Rel: "alternate", Type: "text/html", Href: URL(fc.base, kind, id)}
	e.Category = atomCategory{Term: kind}
	e.Content = atomText{Type: "html", Body: h.b.String()}
	return e
}

func statusKey(s board.Status) string {
	return "status_" + strings.ReplaceAll(string(s), "-", "_")
}

// htmlText builds the escaped HTML of an entry's content.
type htmlText struct {
	b     strings.Builder
	colon string
}

// escapeText escapes text for HTML element content (quotes need no escape).
var escapeText = strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;").Replace

func (h *htmlText) para(text string) {
	h.b.WriteString("<p>")
	h.b.WriteString(escapeText(text))
	h.b.WriteString("</p>")
}

// field writes "label: value", or nothing when value is empty.
func (h *htmlText) field(label, value string) {
	if value == "" {
		return
	}
	h.para(label + h.colon + value)
}

// markdown writes Markdown source as plain-text paragraphs: blank lines
// separate paragraphs, and a line break within one becomes a space (none
// between two Chinese, Japanese or Korean characters).
func (h *htmlText) markdown(src string) {
	for _, p := range strings.Split(strings.ReplaceAll(src, "\r\n", "\n"), "\n\n") {
		var b strings.Builder
		for _, line := range strings.Split(p, "\n") {
			line = strings.TrimSpace(line)
			if line == "" {
				continue
			}
			if b.Len() > 0 {
				last, _ := utf8.DecodeLastRuneInString(b.String())
				first, _ := utf8.DecodeRuneInString(line)
				if !isCJK(last) || !isCJK(first) {
					b.WriteByte(' ')
				}
			}
			b.WriteString(line)
		}
		if b.Len() > 0 {
			h.para(b.String())
		}
	}
}

func isCJK(r rune) bool {
	return unicode.In(r, unicode.Han, unicode.Hiragana, unicode.Katakana, unicode.Hangul) ||
		(r >= 0x3000 && r <= 0x303f) || (r >= 0xff00 && r <= 0xffef)
}
