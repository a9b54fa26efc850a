package board

import (
	"maps"
	"reflect"
	"slices"
)

// Checker checks a board again and again as it is edited, as Check does,
// and returns the same problems in the same order. The rules that look at
// one record only are run again only for records it has not seen: an
// unchanged record is told by identity, so a record must not be changed in
// place between two checks (the loader decodes an edited file into a new
// value). The rules across records (duplicate ids, parents and their
// cycles, previous rating boards) run on every check, and a change to
// board.toml or to the files under static/ runs every rule again.
//
// The zero Checker is ready to use. A Checker is not safe for concurrent
// use.
type Checker struct {
	// What the records' own rules read besides the record: board.toml
	// (units, calendar, objection contacts) and the static files.
	config Config
	static map[string]bool

	commitments map[*Commitment]*commitmentProblems
	notices     map[*Notice]*recordProblems
	ratings     map[*Rating]*ratingProblems
	pages       map[*Page]*recordProblems
}

// Each record's problems of its own rules, in the parts that Check lists
// around the rules across records.
type (
	commitmentProblems struct {
		id, file      string
		head, updates part // before and after the parent
		invisible     part
		seen          bool
	}
	ratingProblems struct {
		id, file      string
		head, entries part // before and after the previous board
		invisible     part
		seen          bool
	}
	recordProblems struct {
		id, file         string
		rules, invisible part
		seen             bool
	}
)

// part is a list of problems, and whether it was worked out yet.
type part struct {
	problems []Problem
	done     bool
}

// Check returns what b.Check() returns.
func (k *Checker) Check(b *Board) []Problem {
	if k.commitments == nil || !reflect.DeepEqual(k.config, b.Config) || !maps.Equal(k.static, b.Static) {
		k.reset(b)
	}
	c := &checker{b: b, memo: k}
	ps := c.run()
	sweep(k.commitments, func(e *commitmentProblems) *bool { return &e.seen })
	sweep(k.notices, func(e *recordProblems) *bool { return &e.seen })
	sweep(k.ratings, func(e *ratingProblems) *bool { return &e.seen })
	sweep(k.pages, func(e *recordProblems) *bool { return &e.seen })
	return ps
}

// reset forgets every record: b's configuration or static files are not
// those of the last check.
func (k *Checker) reset(b *Board) {
	k.config = b.Config
	k.config.Units = slices.Clone(b.Config.Units)
	k.config.Notices.Holidays = slices.Clone(b.Config.Notices.Holidays)
	k.config.Notices.Workdays = slices.Clone(b.Config.Notices.Workdays)
	k.static = maps.Clone(b.Static)
	k.commitments = make(map[*Commitment]*commitmentProblems, len(b.Commitments))
	k.notices = make(map[*Notice]*recordProblems, len(b.Notices))
	k.ratings = make(map[*Rating]*ratingProblems, len(b.Ratings))
	k.pages = make(map[*Page]*recordProblems, len(b.Pages))
}

// sweep forgets the records the last check did not see, and clears the
// mark of the others for the next.
func sweep[K comparable, E any](m map[K]*E, seen func(*E) *bool) {
	for key, e := range m {
		if s := seen(e); *s {
			*s = false
		} else {
			delete(m, key)
		}
	}
}

// commitmentMemo returns what the Checker keeps of m's problems; when
// the check is not a Checker's, an entry that nothing reads.
func (c *checker) commitmentMemo(m *Commitment) *commitmentProblems {
	k := c.memo
	if k == nil {
		return &c.scratchCommitment
	}
	e := k.commitments[m]
	if e == nil || e.id != m.ID || e.file != m.File {
		e = &commitmentProblems{id: m.ID, file: m.File}
		k.commitments[m] = e
	}
	e.seen = true
	return e
}

func (c *checker) noticeMemo(n *Notice) *recordProblems {
	k := c.memo
	if k == nil {
		return &c.scratchNotice
	}
	e := k.notices[n]
	if e == nil || e.id != n.ID || e.file != n.File {
		e = &recordProblems{id: n.ID, file: n.File}
		k.notices[n] = e
	}
	e.seen = true
	return e
}

func (c *checker) ratingMemo(r *Rating) *ratingProblems {
	k := c.memo
	if k == nil {
		return &c.scratchRating
	}
	e := k.ratings[r]
	if e == nil || e.id != r.ID || e.file != r.File {
		e = &ratingProblems{id: r.ID, file: r.File}
		k.ratings[r] = e
	}
	e.seen = true
	return e
}

func (c *checker) pageMemo(p *Page) *recordProblems {
	k := c.memo
	if k == nil {
		return &c.scratchPage
	}
	e := k.pages[p]
	if e == nil || e.id != p.ID || e.file != p.File {
		e = &recordProblems{id: p.ID, file: p.File}
		k.pages[p] = e
	}
	e.seen = true
	return e
}

// own runs rules that look at one record only, or takes over their
// problems from an earlier check.
func (c *checker) own(p *part, rules func()) {
	if c.memo == nil {
		rules()
		return
	}
	if p.done {
		c.problems = append(c.problems, p.problems...)
		return
	}
	start := len(c.problems)
	rules()
	p.problems, p.done = slices.Clone(c.problems[start:]), true
}
