package build

import (
	"hash/maphash"

	"github.com/glassboard/glassboard/internal/board"
	"github.com/glassboard/glassboard/internal/render"
)

// pageKeys returns a key for every job: the same key as in the previous
// rebuild means the page would render to the same bytes. A key covers the
// page's own identity (layout, path, title), what every page shows (the
// day, the next change, the free pages in the navigation, the templates)
// and the fingerprints of the records the page shows: a record page its
// record's, a page of a list its own records' and its place in the list,
// a unit's page all of the unit's. The dashboard depends on every record.
func (p *Preview) pageKeys(f *fingerprints, s *board.Snapshot, jobs []render.Job) []uint64 {
	global := mix(p.gen, uint64(s.Today.Sub(board.Date{})))
	global = mix(global, uint64(s.NextChange().Sub(board.Date{})))
	global = mix(global, boolBit(p.o.Today.IsZero()))
	for _, pg := range s.Pages { // in the navigation of every page
		global = mix(global, maphash.String(p.seed, pg.ID))
		global = mix(global, maphash.String(p.seed, pg.Title))
	}

	// A page's layout, kind, title and path to the root are compared
	// with the page kept (see memo.same) instead of hashed here, and its
	// path is where it is kept.
	keys := make([]uint64, len(jobs))
	for i, j := range jobs {
		pg := j.Page
		var shows uint64
		switch {
		case p.ownTheme:
			shows = f.all
		case pg.Kind == "404":
		case pg.Page != nil:
			shows = p.versions.pages[pg.Page]
		case pg.Pager != nil: // one page of a list
			shows = f.list(pg)
		case pg.Commitment != nil:
			shows = f.commitment[pg.Commitment].full
		case pg.Notice != nil:
			shows = f.notice[pg.Notice].full
		case pg.Rating != nil:
			shows = f.rating[pg.Rating]
		case pg.Unit != nil:
			shows = f.unit[pg.Unit]
		case pg.Kind == "units":
			shows = f.kinds[3]
		default: // the dashboard, and any page a theme adds
			shows = f.all
		}
		keys[i] = mix(global, shows)
	}
	return keys
}

// fingerprints of the views of one snapshot. A view's fingerprint changes
// when its record file was decoded again or when any derived state a page
// shows of it changed.
type fingerprints struct {
	p          *Preview
	commitment map[*board.CommitmentView]*viewPrint // with its parent and children (full)
	notice     map[*board.NoticeView]*viewPrint
	rating     map[*board.RatingView]uint64 // with its previous board
	unit       map[*board.UnitView]uint64   // with all its records
	kinds      [4]uint64                    // every commitment, every notice, every rating, every unit
	all        uint64                       // all of kinds, and every upcoming change
	// published has the fingerprint of each record as published in the
	// open data (its record and derived state only): of the commitments,
	// notices and ratings, in the snapshot's order.
	published [3][]uint64
}

// newFingerprints fingerprints the views of s.
func (p *Preview) newFingerprints(s *board.Snapshot) *fingerprints {
	f := &fingerprints{p: p}
	f.compute(s)
	return f
}

func (f *fingerprints) compute(s *board.Snapshot) {
	f.published = [3][]uint64{make([]uint64, len(s.Commitments)), make([]uint64, len(s.Notices)), make([]uint64, len(s.Ratings))}
	prints := &f.p.prints
	prints.gen++
	if prints.commitments == nil {
		prints.commitments = make(map[*board.CommitmentView]*viewPrint, len(s.Commitments))
		prints.notices = make(map[*board.NoticeView]*viewPrint, len(s.Notices))
	}
	f.commitment, f.notice = prints.commitments, prints.notices
	// A view's own fingerprint first, then with its parent's and
	// children's: a view new since the last rebuild is in a family of new
	// views (board.Deriver).
	cs := make([]*viewPrint, len(s.Commitments))
	var fresh []int
	for i, c := range s.Commitments {
		e := f.commitment[c]
		if e == nil {
			e = &viewPrint{own: f.ownCommitment(c)}
			f.commitment[c] = e
			fresh = append(fresh, i)
		}
		e.seen = prints.gen
		cs[i] = e
		f.published[0][i] = e.own
	}
	for _, i := range fresh {
		c := s.Commitments[i]
		h := cs[i].own
		if c.Parent != nil {
			h = mix(h, f.commitment[c.Parent].own)
		}
		h = mix(h, uint64(len(c.Children)))
		for _, ch := range c.Children {
			h = mix(h, f.commitment[ch].own)
		}
		cs[i].full = h
	}
	commitments := uint64(len(s.Commitments))
	for _, e := range cs {
		commitments = mix(commitments, e.full)
	}
	notices := uint64(len(s.Notices))
	for i, n := range s.Notices {
		e := f.notice[n]
		if e == nil {
			h := mix(f.p.versions.notices[n], maphash.String(f.p.seed, string(n.State)))
			h = mix(h, uint64(n.DaysLeft))
			h = mix(h, uint64(n.DaysToOpen))
			h = mix(h, uint64(n.WorkingDays))
			h = mix(h, uint64(n.RedactedFrom.Sub(board.Date{})))
			h = mix(h, boolBit(n.Outcome != nil))
			e = &viewPrint{own: h, full: h}
			f.notice[n] = e
		}
		e.seen = prints.gen
		f.published[1][i] = e.full
		notices = mix(notices, e.full)
	}
	forgetPrints(f.commitment, prints.gen, len(s.Commitments))
	forgetPrints(f.notice, prints.gen, len(s.Notices))
	f.rating = make(map[*board.RatingView]uint64, len(s.Ratings))
	ratings := uint64(len(s.Ratings))
	for i, r := range s.Ratings {
		h := f.p.versions.ratings[r.Rating]
		if r.Previous != nil {
			h = mix(h, f.p.versions.ratings[r.Previous.Rating])
		}
		f.rating[r] = h
		f.published[2][i] = h
		ratings = mix(ratings, h)
	}
	f.unit = make(map[*board.UnitView]uint64, len(s.Units))
	units := uint64(len(s.Units))
	for _, u := range s.Units {
		h := uint64(len(u.Commitments))
		for _, c := range u.Commitments {
			h = mix(h, f.commitment[c].full)
		}
		h = mix(h, uint64(len(u.Notices)))
		for _, n := range u.Notices {
			h = mix(h, f.notice[n].full)
		}
		h = mix(h, uint64(len(u.Ratings)))
		for _, r := range u.Ratings {
			h = mix(h, f.rating[r])
		}
		f.unit[u] = h
		units = mix(units, h)
	}
	f.kinds = [4]uint64{commitments, notices, ratings, units}
	all := mix(mix(mix(mix(uint64(len(s.Changes)), commitments), notices), ratings), units)
	for _, ch := range s.Changes {
		all = mix(all, uint64(ch.Date.Sub(board.Date{})))
		all = mix(all, maphash.String(f.p.seed, ch.Kind))
		all = mix(all, maphash.String(f.p.seed, ch.ID))
		all = mix(all, maphash.String(f.p.seed, ch.What))
	}
	f.all = all
}

// viewPrints keep the fingerprints of views between rebuilds: a view the
// board.Deriver kept is not changed, nor are the records and views its
// fingerprint covers (a commitment's parent and children are kept with
// it), so neither is its fingerprint. A full rebuild forgets them.
type viewPrints struct {
	commitments map[*board.CommitmentView]*viewPrint
	notices     map[*board.NoticeView]*viewPrint
	gen         uint64 // counts the rebuilds that fingerprinted
}

// viewPrint is a view's fingerprint: of its own record and state, and
// with the views it shows (a commitment's parent and children).
type viewPrint struct {
	own, full uint64
	seen      uint64 // the last rebuild whose snapshot had the view
}

// forgetPrints forgets the views not seen by rebuild gen, when there are
// more than the n seen.
func forgetPrints[V comparable](m map[V]*viewPrint, gen uint64, n int) {
	if len(m) <= n {
		return
	}
	for v, e := range m {
		if e.seen != gen {
			delete(m, v)
		}
	}
}

// list fingerprints one page of a list: its records, its headings and
// its place in the list.
func (f *fingerprints) list(pg *render.Page) uint64 {
	str := func(s string) uint64 { return maphash.String(f.p.seed, s) }
	h := mix(str(pg.Filter), uint64(len(pg.Commitments)))
	if pg.Unit != nil {
		h = mix(h, str(pg.Unit.ID))
	}
	for _, c := range pg.Commitments {
		h = mix(h, f.commitment[c].full)
	}
	h = mix(h, uint64(len(pg.Groups)))
	for _, g := range pg.Groups {
		if g.Unit != nil {
			h = mix(h, str(g.Unit.ID))
		}
		h = mix(mix(mix(h, boolBit(g.Continued)), uint64(g.Total)), uint64(len(g.Statuses)))
		for _, r := range g.Statuses {
			h = mix(mix(mix(mix(h, str(string(r.Status))), boolBit(r.Continued)), uint64(r.Total)), uint64(len(r.Items)))
		}
	}
	h = mix(h, uint64(len(pg.Notices)))
	for _, n := range pg.Notices {
		h = mix(h, f.notice[n].full)
	}
	h = mix(h, uint64(len(pg.NoticeGroups)))
	for _, g := range pg.NoticeGroups {
		h = mix(mix(mix(h, str(g.State)), boolBit(g.Continued)), uint64(len(g.Items)))
	}
	h = mix(h, uint64(len(pg.Ratings)))
	for _, r := range pg.Ratings {
		h = mix(h, f.rating[r])
	}
	if pr := pg.Pager; pr != nil {
		for _, n := range []int{pr.Number, pr.Count, pr.Total, pr.From, pr.To} {
			h = mix(h, uint64(n))
		}
		h = mix(mix(h, str(pr.Prev)), str(pr.Next))
		for _, l := range pr.Links {
			h = mix(mix(mix(mix(h, uint64(l.Number)), str(l.Path)), boolBit(l.Current)), boolBit(l.Gap))
		}
	}
	if sm := pg.Summary; sm != nil {
		h = mix(mix(mix(h, uint64(sm.Overdue)), uint64(sm.NoNews)), uint64(len(sm.Statuses)))
		for _, sc := range sm.Statuses {
			h = mix(mix(h, str(string(sc.Status))), uint64(sc.Count))
		}
	}
	h = mix(h, uint64(len(pg.Jump)))
	for _, j := range pg.Jump {
		h = mix(mix(mix(h, str(j.State)), uint64(j.Count)), str(j.Path))
	}
	return h
}

// ownCommitment fingerprints a commitment's record and derived state.
func (f *fingerprints) ownCommitment(c *board.CommitmentView) uint64 {
	h := mix(f.p.versions.commitments[c.Commitment], uint64(len(c.Updates)))
	h = mix(h, uint64(c.Progress))
	h = mix(h, boolBit(c.HasProgress)|boolBit(c.FromChildren)<<1|boolBit(c.Overdue)<<2|boolBit(c.NoNews)<<3)
	h = mix(h, uint64(c.LastActivity.Sub(board.Date{})))
	h = mix(h, uint64(c.DaysOverdue))
	return mix(h, uint64(c.DaysQuiet))
}

// mix folds x into the hash h.
func mix(h, x uint64) uint64 {
	h ^= x + 0x9e3779b97f4a7c15 + h<<6 + h>>2
	h *= 0xbf58476d1ce4e5b9
	return h ^ h>>31
}

func boolBit(b bool) uint64 {
	if b {
		return 1
	}
	return 0
}
