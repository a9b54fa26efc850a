package render

import (
	"strconv"

	"github.com/glassboard/glassboard/internal/board"
)

// PageSize is how many records one list page shows. At 50 a page of
// commitments is about 35 KB and a page of notice cards about 60 KB, however
// large the board.
const PageSize = 50

// UnitLimits is how many records of each kind a unit's page shows in full.
// A unit with more gets a paginated list of that kind, under
// units/<unit>/, and its page links there.
type UnitLimits struct{ Commitments, Notices, Ratings int }

// UnitPage are the limits of the default theme's unit page.
var UnitPage = UnitLimits{Commitments: 30, Notices: 10, Ratings: 5}

// ListPath is the output path of page n (1-based) of the list whose first
// page is base+"index.html", as Hugo names them: "commitments/index.html",
// "commitments/page/2/index.html". A record's id cannot make a file of that
// name: a record page is always <kind>/<id>/index.html.
func ListPath(base string, n int) string {
	if n <= 1 {
		return base + "index.html"
	}
	return base + "page/" + strconv.Itoa(n) + "/index.html"
}

// Pager is the place of a list page among the pages of its list. Paths are
// from the site root; layouts prefix them with Page.Root.
type Pager struct {
	Number, Count int    // this page, 1-based, and the number of pages
	Total         int    // records in the whole list
	From, To      int    // 1-based positions of this page's first and last record
	Prev, Next    string // paths of the previous and next page, "" when none
	Links         []PageLink
}

// PageLink is one entry of a pager's navigation: the first and last pages
// and the pages around the current one; Gap stands for pages left out.
type PageLink struct {
	Number  int
	Path    string
	Current bool
	Gap     bool
}

// pagerLinks lists 1, the pages within 2 of n, and count, with gaps between.
func pagerLinks(base string, n, count int) []PageLink {
	var out []PageLink
	last := 0
	for i := 1; i <= count; i++ {
		if i != 1 && i != count && (i < n-2 || i > n+2) {
			continue
		}
		if last != 0 && i > last+1 {
			out = append(out, PageLink{Gap: true})
		}
		out = append(out, PageLink{Number: i, Path: ListPath(base, i), Current: i == n})
		last = i
	}
	return out
}

// pages splits n records into pages of PageSize and calls fn for each with
// the bounds of its records and its pager. An empty list has one page.
func pages(base string, n int, fn func(lo, hi int, pg *Pager)) {
	count := max(1, (n+PageSize-1)/PageSize)
	for i := 1; i <= count; i++ {
		lo, hi := (i-1)*PageSize, min(i*PageSize, n)
		pg := &Pager{Number: i, Count: count, Total: n, From: lo + 1, To: hi}
		if n == 0 {
			pg.From = 0
		}
		if i > 1 {
			pg.Prev = ListPath(base, i-1)
		}
		if i < count {
			pg.Next = ListPath(base, i+1)
		}
		if count > 1 {
			pg.Links = pagerLinks(base, i, count)
		}
		fn(lo, hi, pg)
	}
}

// UnitGroup is the run of a commitments list page under one unit heading.
type UnitGroup struct {
	Unit      *board.Unit // nil in a list of one unit's commitments: no heading
	Continued bool        // the unit's heading began on an earlier page
	Total     int         // the unit's commitments in the whole list
	Statuses  []StatusRun
}

// StatusRun is the run of commitments under one status heading.
type StatusRun struct {
	Status    board.Status // "" in a list of one status: no heading
	Continued bool         // the heading began on an earlier page
	Total     int          // commitments under this heading in the whole list
	Items     []*board.CommitmentView
}

// groupTotals counts a whole list's commitments by unit and by unit and status.
type groupTotals struct {
	units map[string]*unitTotals
}

// nStatuses is the number of board.Statuses (checked in init).
const nStatuses = 7

type unitTotals struct {
	n      int
	status [nStatuses]int       // by the index of the status in board.Statuses
	other  map[board.Status]int // statuses not in board.Statuses (a board with errors)
}

// unit returns the number of the unit's commitments.
func (t groupTotals) unit(id string) int {
	if u := t.units[id]; u != nil {
		return u.n
	}
	return 0
}

// status returns the number of the unit's commitments of a status.
func (t groupTotals) status(id string, st board.Status) int {
	u := t.units[id]
	switch i := statusIndex(st); {
	case u == nil:
		return 0
	case i >= 0:
		return u.status[i]
	default:
		return u.other[st]
	}
}

func init() {
	if len(board.Statuses) != len(unitTotals{}.status) {
		panic("render: the counts by status need one place per status of board.Statuses")
	}
}

// statusIndex returns the index of st in board.Statuses, or -1.
func statusIndex(st board.Status) int {
	for i, s := range board.Statuses {
		if s == st {
			return i
		}
	}
	return -1
}

// groupCommitments splits a page's commitments (already in list order) into
// runs by unit and by status; prev is the last record of the previous page,
// nil on the first page, and tells which headings continue; t counts the
// whole list.
func groupCommitments(cs []*board.CommitmentView, prev *board.CommitmentView, byUnit, byStatus bool, t groupTotals) []UnitGroup {
	var out []UnitGroup
	start := 0 // of the current status run in cs
	for k, c := range cs {
		if len(out) == 0 || (byUnit && out[len(out)-1].Unit.ID != c.Commitment.Unit) {
			g := UnitGroup{}
			if byUnit {
				g.Unit = c.Unit
				g.Total = t.unit(c.Commitment.Unit)
				g.Continued = len(out) == 0 && prev != nil && prev.Commitment.Unit == c.Commitment.Unit
			}
			out = append(out, g)
		}
		g := &out[len(out)-1]
		if len(g.Statuses) == 0 || (byStatus && g.Statuses[len(g.Statuses)-1].Status != c.Status) {
			r := StatusRun{}
			if byStatus {
				r.Status = c.Status
				r.Total = t.status(c.Commitment.Unit, c.Status)
				r.Continued = len(out) == 1 && len(g.Statuses) == 0 && prev != nil &&
					(!byUnit || prev.Commitment.Unit == c.Commitment.Unit) && prev.Status == c.Status
			}
			g.Statuses = append(g.Statuses, r)
			start = k
		}
		// A run is a stretch of the page's commitments.
		g.Statuses[len(g.Statuses)-1].Items = cs[start : k+1 : k+1]
	}
	return out
}

// NoticeGroup is the notices in one place of their window: "open",
// "upcoming" or "closed" (closed and redacted together, latest first).
type NoticeGroup struct {
	State     string
	Continued bool // on a list page: the group began on an earlier page
	Items     []*board.NoticeView
}

// noticeGroupOf is the group a notice is listed in.
func noticeGroupOf(n *board.NoticeView) string {
	switch n.State {
	case board.Open:
		return "open"
	case board.Upcoming:
		return "upcoming"
	}
	return "closed"
}

// groupNotices splits a page's notices (sorted as Snapshot.Notices is) into
// runs by group; prev is the last notice of the previous page or nil.
func groupNotices(ns []*board.NoticeView, prev *board.NoticeView) []NoticeGroup {
	var out []NoticeGroup
	start := 0 // of the current group in ns
	for k, n := range ns {
		st := noticeGroupOf(n)
		if len(out) == 0 || out[len(out)-1].State != st {
			out = append(out, NoticeGroup{State: st, Continued: len(out) == 0 && prev != nil && noticeGroupOf(prev) == st})
			start = k
		}
		out[len(out)-1].Items = ns[start : k+1 : k+1] // a stretch of the page's notices
	}
	return out
}

// Jump is a link to where one group of a paginated list begins: the page's
// path and the group's anchor.
type Jump struct {
	State string // the group: "open", "upcoming", "closed"
	Count int    // notices in the group, over all pages
	Path  string // the page the group begins on, from the site root
}

// noticeJumps lists where each group of the notices list under base begins.
func noticeJumps(base string, ns []*board.NoticeView) []Jump {
	var out []Jump
	for i, n := range ns {
		st := noticeGroupOf(n)
		if len(out) == 0 || out[len(out)-1].State != st {
			out = append(out, Jump{State: st, Path: ListPath(base, i/PageSize+1)})
		}
		out[len(out)-1].Count++
	}
	return out
}

// Summary counts the commitments of a whole list, for its first page.
type Summary struct {
	Statuses []StatusCount // by status, in display order, leaving out empty ones
	Overdue  int
	NoNews   int
}

// lists are the commitments in the orders the lists show them.
type lists struct {
	all    []*board.CommitmentView            // byUnitAndStatus
	status [nStatuses][]*board.CommitmentView // withStatus(all, board.Statuses[i])
	unit   [][]*board.CommitmentView          // byStatus(units[i].Commitments)
	count  [][nStatuses]int                   // units[i]'s commitments by status
	flags  [][2]int                           // units[i]'s commitments overdue and with no news
	units  []*board.UnitView
}

// summary returns what summarize returns for the list of all
// commitments (unit < 0) or of one unit's, from the counts.
func (ls *lists) summary(unit int) *Summary {
	var n [nStatuses]int
	s := &Summary{}
	for i := range ls.units {
		if unit < 0 || i == unit {
			for st, c := range ls.count[i] {
				n[st] += c
			}
			s.Overdue += ls.flags[i][0]
			s.NoNews += ls.flags[i][1]
		}
	}
	for i, st := range board.Statuses {
		if n[i] > 0 {
			s.Statuses = append(s.Statuses, StatusCount{st, n[i]})
		}
	}
	return s
}

// totals returns what countGroups returns for the list of all
// commitments (status < 0), for the list of one status, or for the list
// of one unit (unit >= 0), from the counts.
func (ls *lists) totals(status, unit int) groupTotals {
	t := groupTotals{units: make(map[string]*unitTotals, len(ls.units))}
	add := func(i int) {
		id := ls.units[i].ID
		u := t.units[id]
		if u == nil {
			u = &unitTotals{}
		}
		for st, n := range ls.count[i] {
			if status < 0 || st == status {
				u.n += n
				u.status[st] += n
			}
		}
		if u.n > 0 { // countGroups counts only the units in the list
			t.units[id] = u
		}
	}
	if unit >= 0 {
		add(unit)
		return t
	}
	for i := range ls.units {
		add(i)
	}
	return t
}

// sortLists sorts the units' commitments into lists, looking up each
// commitment's status once (a counting sort, which keeps the order of
// each unit's own list within a status). Commitments of a status not in
// board.Statuses are left out, as byStatus leaves them out.
func sortLists(units []*board.UnitView) lists {
	n := 0
	for _, u := range units {
		n += len(u.Commitments)
	}
	idx := make([]int8, 0, n) // each commitment's status, in the units' order
	var total [nStatuses]int
	for _, u := range units {
		for _, c := range u.Commitments {
			i := statusIndex(c.Status)
			idx = append(idx, int8(i))
			if i >= 0 {
				total[i]++
			}
		}
	}
	ls := lists{units: units, count: make([][nStatuses]int, len(units)), flags: make([][2]int, len(units))}
	sum := 0
	for i, t := range total {
		ls.status[i] = make([]*board.CommitmentView, 0, t)
		sum += t
	}
	ls.all = make([]*board.CommitmentView, sum)
	ls.unit = make([][]*board.CommitmentView, len(units))
	at, lo := 0, 0 // the place in idx of the unit's first commitment, and in all
	for ui, u := range units {
		var count [nStatuses]int
		for k, c := range u.Commitments {
			if i := idx[at+k]; i >= 0 {
				count[i]++
				if c.Overdue {
					ls.flags[ui][0]++
				}
				if c.NoNews {
					ls.flags[ui][1]++
				}
			}
		}
		var off [nStatuses]int
		o := lo
		for i, c := range count {
			off[i] = o
			o += c
		}
		out := ls.all[lo:o:o]
		for k, c := range u.Commitments {
			if i := idx[at+k]; i >= 0 {
				ls.all[off[i]] = c
				off[i]++
			}
		}
		for i := range count {
			start := off[i] - count[i]
			ls.status[i] = append(ls.status[i], ls.all[start:off[i]]...)
		}
		ls.unit[ui] = out
		ls.count[ui] = count
		at += len(u.Commitments)
		lo = o
	}
	return ls
}

func byStatus(cs []*board.CommitmentView) []*board.CommitmentView {
	out := make([]*board.CommitmentView, 0, len(cs))
	for _, g := range board.GroupByStatus(cs) {
		out = append(out, g.Items...)
	}
	return out
}
