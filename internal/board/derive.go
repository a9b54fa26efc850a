package board

import (
	"cmp"
	"slices"
)

// Snapshot is the board as it is published on one day: scheduled records
// are left out, derived states are computed, and redacted notices have lost
// their candidates. Renderers and encoders read only snapshots.
type Snapshot struct {
	Today       Date
	Config      *Config
	Units       []*UnitView       // in board.toml order
	Commitments []*CommitmentView // by id
	Notices     []*NoticeView     // open (closing soonest first), upcoming, closed (latest first)
	Ratings     []*RatingView     // latest rated first
	Pages       []*Page           // by weight, then title
	Changes     []Change          // upcoming state changes, soonest first
}

// UnitView is a unit with the published records that belong to it.
type UnitView struct {
	*Unit
	Commitments []*CommitmentView
	Notices     []*NoticeView // notices with a candidate of this unit
	Ratings     []*RatingView
}

// CommitmentView is a published commitment with its derived state.
type CommitmentView struct {
	*Commitment
	Unit         *Unit
	Updates      []Update // published updates only, oldest first
	Progress     int      // effective progress; meaningful when HasProgress
	HasProgress  bool
	FromChildren bool // Progress is the mean of the children's
	LastActivity Date // made, or the last published update
	Overdue      bool
	DaysOverdue  int
	NoNews       bool
	DaysQuiet    int // days since LastActivity
	Parent       *CommitmentView
	Children     []*CommitmentView
}

// NoticeState is a notice's place in its objection window.
type NoticeState string

// Notice states of SPEC §1.
const (
	Upcoming NoticeState = "upcoming"
	Open     NoticeState = "open"
	Closed   NoticeState = "closed"
	Redacted NoticeState = "redacted"
)

// NoticeView is a published notice with its derived state. It is built
// field by field: once the notice is redacted, Candidates is nil and the
// free texts that could name them (body, stage, outcome summary, posting
// photo) are empty, so no output can show them.
type NoticeView struct {
	ID, File       string
	Title, Issuer  string
	Purpose        Purpose
	Stage, Body    string
	Published      Date
	Opens, Closes  Date
	Objections     Contacts // the board's contacts with this notice's overrides
	Posted         *Posting
	Outcome        *Outcome
	Candidates     []Candidate
	CandidateCount int
	UnitIDs        []string // units of the candidates, in first-seen order
	State          NoticeState
	RedactedFrom   Date // first day of redaction
	WorkingDays    int  // working days in the window
	DaysLeft       int  // working days left, today included, while open
	DaysToOpen     int  // calendar days until the window opens, while upcoming
}

// Redacted reports whether the notice's candidate details are gone.
func (n *NoticeView) Redacted() bool { return n.State == Redacted }

// RatingView is a published rating board with its ranks and statistics.
type RatingView struct {
	*Rating
	Unit         *Unit
	Entries      []RankedEntry // by rank
	Distribution []int         // Distribution[s] entries have s stars, s = 0..MaxStars
	Mean         float64       // mean stars
	Previous     *RatingView   // nil when there is none or it is not published
}

// RankedEntry is an entry with its stars, rank and change.
type RankedEntry struct {
	Entry
	Stars     int
	Rank      int
	HasChange bool // the name was on the previous board
	Change    int  // stars now minus stars then
	IsNew     bool // a previous board exists but the name was not on it
}

// Change is a future day on which a derived state changes.
type Change struct {
	Date  Date
	Kind  string // "commitment", "notice", "rating"
	ID    string
	Title string
	What  string // published, opens, closes, redacted, overdue, no-news, update
}

// At derives the board as published on today.
func (b *Board) At(today Date) *Snapshot { return b.at(today, nil) }

// Changes returns what At(today).Changes is, without deriving the rest of
// the snapshot: the views are made only for their changes and let go of,
// and nothing is linked, ranked or sorted but the changes. check prints
// only these.
func (b *Board) Changes(today Date) []Change {
	// In the order at adds them, which decides among equal changes.
	s := &Snapshot{Today: today, Config: &b.Config}
	cfg := &b.Config
	for _, c := range b.Commitments {
		if c.Made.After(today) {
			s.change(c.Made, "commitment", c.ID, c.Title, "published")
			continue
		}
		var v CommitmentView // for its changes only
		fillCommitmentView(&v, s, c, cfg, today, nil)
	}
	for _, n := range b.Notices {
		if n.Published.After(today) {
			s.change(n.Published, "notice", n.ID, n.Title, "published")
			continue
		}
		var v NoticeView // its state, for its changes
		v.State, v.RedactedFrom = noticeState(n, cfg, today)
		s.noticeChanges(n, &v)
	}
	for _, r := range b.Ratings {
		if r.Rated.After(today) {
			s.change(r.Rated, "rating", r.ID, r.Title, "published")
		}
	}
	cs := s.Changes
	return permute(cs, sortedOrder(nil, cs, func(i, j int) int { return compareChanges(&cs[i], &cs[j]) }))
}

func (b *Board) at(today Date, memo *Deriver) *Snapshot {
	s := &Snapshot{Today: today, Config: &b.Config}
	cfg := &b.Config
	// A record's unit is the first of its id (Config.Unit), and it is
	// listed in the view of the last of its id.
	type unitSlot struct {
		first *Unit
		view  *UnitView
		at    int32 // the place of view in s.Units
	}
	units := make(map[string]unitSlot, len(cfg.Units))
	cfgUnits := memo.unitsOf(cfg)
	for i := range cfgUnits {
		uv := &UnitView{Unit: &cfgUnits[i]}
		s.Units = append(s.Units, uv)
		u := units[uv.ID]
		if u.first == nil {
			u.first = uv.Unit
		}
		u.view, u.at = uv, int32(i)
		units[uv.ID] = u
	}

	// Commitments, sorted by id with their units' views at hand.
	list := make([]listedCommitment, 0, len(b.Commitments))
	for _, c := range b.Commitments {
		if c.Made.After(today) {
			s.change(c.Made, "commitment", c.ID, c.Title, "published")
			continue
		}
		k := memo.commitment(c)
		var u unitSlot
		if k != nil && k.unitsGen == memo.unitsGen {
			// The same units as when it was kept: the same unit.
			u.first = k.view.Unit
			if u.at = k.unit; u.at >= 0 {
				u.view = s.Units[u.at]
			}
		} else {
			u = units[c.Unit]
			if u.view == nil {
				u.at = -1
			}
		}
		var (
			v       *CommitmentView
			changes []Change
		)
		kept := k != nil && k.view.Unit == u.first
		if kept {
			v, changes = k.view, k.changes
			s.Changes = append(s.Changes, changes...)
		} else {
			from := len(s.Changes)
			v = commitmentView(s, c, cfg, today, u.first)
			if memo != nil {
				changes = slices.Clone(s.Changes[from:])
			}
		}
		list = append(list, listedCommitment{c.ID, v, u.view, kept, changes, k, u.at})
	}
	ids := make([]string, len(list))
	for i := range list {
		ids[i] = list[i].id
	}
	order := sortedOrder(memo.commitmentOrder(), ids, func(i, j int) int { return cmp.Compare(ids[i], ids[j]) })
	if memo != nil {
		linkKept(list, order)
		for _, pc := range list {
			if pc.k == nil || pc.k.view != pc.v || pc.k.unitsGen != memo.unitsGen {
				memo.keepCommitment(pc.k, pc.v, pc.changes, pc.unitAt)
			}
		}
	} else {
		link(list, order)
	}
	if len(list) > 0 {
		s.Commitments = make([]*CommitmentView, len(list))
	}
	for i, at := range order {
		pc := list[at]
		s.Commitments[i] = pc.v
		if u := pc.unit; u != nil {
			u.Commitments = append(u.Commitments, pc.v)
		}
	}

	// Notices.
	cal := cfg.Calendar()
	for _, n := range b.Notices {
		if n.Published.After(today) {
			s.change(n.Published, "notice", n.ID, n.Title, "published")
			continue
		}
		v := memo.notice(n)
		if v == nil {
			v = noticeView(n, cfg, cal, today)
			memo.keepNotice(n, v)
		}
		s.noticeChanges(n, v)
		s.Notices = append(s.Notices, v)
	}
	// Sorted once: a unit's notices are in the order of all of them.
	ns := s.Notices
	s.Notices = permute(ns, sortedOrder(memo.noticeOrder(), ns, func(i, j int) int { return compareNotices(ns[i], ns[j]) }))
	for _, v := range s.Notices {
		for _, id := range v.UnitIDs {
			if u := units[id].view; u != nil {
				u.Notices = append(u.Notices, v)
			}
		}
	}

	// Ratings.
	ratings := make(map[string]*RatingView, len(b.Ratings))
	for _, r := range b.Ratings {
		if r.Rated.After(today) {
			s.change(r.Rated, "rating", r.ID, r.Title, "published")
			continue
		}
		v := &RatingView{Rating: r, Unit: units[r.Unit].first}
		ratings[r.ID] = v
		s.Ratings = append(s.Ratings, v)
	}
	slices.SortFunc(s.Ratings, func(a, b *RatingView) int {
		if c := b.Rated.Compare(a.Rated); c != 0 {
			return c
		}
		return cmp.Compare(a.ID, b.ID)
	})
	// A board's ranks depend on its record and on its previous board's.
	kept := make([]bool, len(s.Ratings))
	for i, v := range s.Ratings {
		v.Previous = ratings[v.Rating.Previous]
		if kept[i] = memo.ranks(v); !kept[i] {
			v.rank()
		}
	}
	for i, v := range s.Ratings {
		if !kept[i] {
			v.compare()
			memo.keepRanks(v)
		}
	}
	for _, v := range s.Ratings {
		if u := units[v.Rating.Unit].view; u != nil {
			u.Ratings = append(u.Ratings, v)
		}
	}

	s.Pages = slices.Clone(b.Pages)
	slices.SortFunc(s.Pages, func(a, b *Page) int {
		if c := cmp.Compare(a.Weight, b.Weight); c != 0 {
			return c
		}
		if c := cmp.Compare(a.Title, b.Title); c != 0 {
			return c
		}
		return cmp.Compare(a.ID, b.ID)
	})

	cs := s.Changes
	s.Changes = permute(cs, sortedOrder(memo.changeOrder(), cs, func(i, j int) int { return compareChanges(&cs[i], &cs[j]) }))
	return s
}

// listedCommitment is a published commitment with its unit's view, as
// listed in the record order; kept tells a view kept from the last
// derivation, whose parent and children may not be set again.
type listedCommitment struct {
	id      string
	v       *CommitmentView
	unit    *UnitView
	kept    bool
	changes []Change        // the upcoming changes of its own state (with a Deriver)
	k       *keptCommitment // what the Deriver kept of it, or nil
	unitAt  int32           // the place of unit in the snapshot's units, or -1
}

// commitmentView derives a commitment's own state: all but its parent,
// children and progress. Its upcoming changes are added to s.
func commitmentView(s *Snapshot, c *Commitment, cfg *Config, today Date, unit *Unit) *CommitmentView {
	v := &CommitmentView{}
	fillCommitmentView(v, s, c, cfg, today, unit)
	return v
}

// fillCommitmentView is commitmentView into v, a zero view.
func fillCommitmentView(v *CommitmentView, s *Snapshot, c *Commitment, cfg *Config, today Date, unit *Unit) {
	v.Commitment, v.Unit, v.LastActivity = c, unit, c.Made
	var nextUpdate Date
	published := 0
	for _, u := range c.Updates {
		if u.Date.After(today) {
			if nextUpdate.IsZero() {
				nextUpdate = u.Date
			}
			continue
		}
		published++
		if u.Date.After(v.LastActivity) {
			v.LastActivity = u.Date
		}
	}
	switch {
	case published == 0:
	case published == len(c.Updates):
		// All of them: the record's own list, which nothing changes.
		v.Updates = c.Updates[:published:published]
	default:
		v.Updates = make([]Update, 0, published)
		for _, u := range c.Updates {
			if !u.Date.After(today) {
				v.Updates = append(v.Updates, u)
			}
		}
	}
	if !nextUpdate.IsZero() {
		s.change(nextUpdate, "commitment", c.ID, c.Title, "update")
	}
	v.DaysQuiet = today.Sub(v.LastActivity)
	if c.Status.Unfinished() {
		if today.After(c.Due) {
			v.Overdue, v.DaysOverdue = true, today.Sub(c.Due)
		} else {
			s.change(c.Due.AddDays(1), "commitment", c.ID, c.Title, "overdue")
		}
		stale := cfg.Commitments.StaleAfterDays
		if v.DaysQuiet > stale {
			v.NoNews = true
		} else if day := v.LastActivity.AddDays(stale + 1); nextUpdate.IsZero() || day.Before(nextUpdate) {
			s.change(day, "commitment", c.ID, c.Title, "no-news")
		}
	}
}

// link sets the parents, children and progress of fresh views: a
// commitment's parent is the last of its parent's id, and its children
// are in the order of the ids.
func link(list []listedCommitment, order []int32) {
	byID := make(map[string]*CommitmentView, len(list))
	for _, pc := range list {
		byID[pc.id] = pc.v
	}
	for _, at := range order {
		v := list[at].v
		if id := v.Commitment.Parent; id != "" {
			if p := byID[id]; p != nil {
				v.Parent = p
				p.Children = append(p.Children, v)
			}
		}
	}
	visiting := map[*CommitmentView]bool{}
	for _, at := range order {
		list[at].v.progress(visiting)
		if len(visiting) > 0 {
			clear(visiting)
		}
	}
}

// linkKept does what link does when some views are kept from the last
// derivation. A view is linked to its parent and children, and its
// progress may come from its children's, so views go together by family
// (the commitments joined by parent links): a family is kept when all its
// views are and their parents and children are the same as before;
// otherwise each of its views is made again from its own state, and
// linked as link does. A kept view is never changed: the last snapshot
// shares it.
func linkKept(list []listedCommitment, order []int32) {
	n := len(list)
	byID := make(map[string]int32, n)
	for i, pc := range list {
		byID[pc.id] = int32(i)
	}
	parent := make([]int32, n) // the place in list of each one's parent, or -1
	family := make([]int32, n) // union-find over the parent links
	for i, pc := range list {
		family[i] = int32(i)
		parent[i] = -1
		if id := pc.v.Commitment.Parent; id != "" {
			if p, ok := byID[id]; ok {
				parent[i] = p
			}
		}
	}
	find := func(i int32) int32 {
		for family[i] != i {
			family[i] = family[family[i]]
			i = family[i]
		}
		return i
	}
	for i, p := range parent {
		if p >= 0 {
			family[find(int32(i))] = find(p)
		}
	}
	// A family is renewed when one of its views is new or its links differ.
	renew := make([]bool, n) // by the family's root
	seen := make([]int32, n) // children met so far, in the order of the ids
	for _, at := range order {
		pc := list[at]
		if !pc.kept {
			renew[find(at)] = true
			continue
		}
		var p *CommitmentView
		if k := parent[at]; k >= 0 {
			p = list[k].v
			if list[k].kept {
				ch := list[k].v.Children
				if int(seen[k]) >= len(ch) || ch[seen[k]] != pc.v {
					renew[find(at)] = true
				}
			}
			seen[k]++
		}
		if pc.v.Parent != p {
			renew[find(at)] = true
		}
	}
	for i, pc := range list {
		if pc.kept && int(seen[i]) != len(pc.v.Children) {
			renew[find(int32(i))] = true
		}
	}
	fresh := false
	for i := range list {
		pc := &list[i]
		if !renew[find(int32(i))] {
			continue
		}
		fresh = true
		if pc.kept {
			v := *pc.v
			v.Parent, v.Children = nil, nil
			v.Progress, v.HasProgress, v.FromChildren = 0, false, false
			pc.v, pc.kept = &v, false
		}
	}
	if !fresh {
		return
	}
	for _, at := range order {
		pc := list[at]
		if pc.kept {
			continue
		}
		if k := parent[at]; k >= 0 {
			p := list[k].v
			pc.v.Parent = p
			p.Children = append(p.Children, pc.v)
		}
	}
	visiting := map[*CommitmentView]bool{}
	for _, at := range order {
		if pc := list[at]; !pc.kept {
			pc.v.progress(visiting)
			if len(visiting) > 0 {
				clear(visiting)
			}
		}
	}
}

// compareChanges orders changes by day, kind, id and what.
func compareChanges(a, b *Change) int {
	if c := a.Date.Compare(b.Date); c != 0 {
		return c
	}
	if c := cmp.Compare(a.Kind, b.Kind); c != 0 {
		return c
	}
	if c := cmp.Compare(a.ID, b.ID); c != 0 {
		return c
	}
	return cmp.Compare(a.What, b.What)
}

// keptOrder is a sort order kept between derivations: the keys sorted,
// in the order they were given, and the order sorting them gave.
type keptOrder[K comparable] struct {
	keys  []K
	order []int32
}

// sortedOrder returns the places of keys in sorted order, as compare
// orders the keys at two places; those alike keep their order (a stable
// sort), so the order depends on the keys only. When kept is not nil and
// holds the same keys, its order is returned without sorting; otherwise
// kept is set to keys and their order. keys must not be changed after.
func sortedOrder[K comparable](kept *keptOrder[K], keys []K, compare func(i, j int) int) []int32 {
	if kept != nil && kept.order != nil && slices.Equal(kept.keys, keys) {
		return kept.order
	}
	order := make([]int32, len(keys))
	for i := range order {
		order[i] = int32(i)
	}
	slices.SortFunc(order, func(i, j int32) int {
		if c := compare(int(i), int(j)); c != 0 {
			return c
		}
		return cmp.Compare(i, j)
	})
	if kept != nil {
		kept.keys, kept.order = keys, order
	}
	return order
}

// permute returns xs in the given order.
func permute[T any](xs []T, order []int32) []T {
	if len(xs) == 0 {
		return xs
	}
	out := make([]T, len(xs))
	for k, i := range order {
		out[k] = xs[i]
	}
	return out
}

// noticeChanges adds the upcoming changes of a published notice's state.
func (s *Snapshot) noticeChanges(n *Notice, v *NoticeView) {
	switch v.State {
	case Upcoming:
		s.change(n.Opens, "notice", n.ID, n.Title, "opens")
		s.change(n.Closes.AddDays(1), "notice", n.ID, n.Title, "closes")
		s.change(v.RedactedFrom, "notice", n.ID, n.Title, "redacted")
	case Open:
		s.change(n.Closes.AddDays(1), "notice", n.ID, n.Title, "closes")
		s.change(v.RedactedFrom, "notice", n.ID, n.Title, "redacted")
	case Closed:
		s.change(v.RedactedFrom, "notice", n.ID, n.Title, "redacted")
	}
}

func (s *Snapshot) change(d Date, kind, id, title, what string) {
	s.Changes = append(s.Changes, Change{Date: d, Kind: kind, ID: id, Title: title, What: what})
}

// NextChange returns the first day on which a derived state changes, or the
// zero Date when nothing is scheduled to change.
func (s *Snapshot) NextChange() Date {
	if len(s.Changes) == 0 {
		return Date{}
	}
	return s.Changes[0].Date
}

// progress fills the effective progress: the commitment's own, else its
// latest update's, else 100 when done, else the mean of its children's.
func (v *CommitmentView) progress(visiting map[*CommitmentView]bool) (int, bool) {
	if v.HasProgress || visiting[v] {
		return v.Progress, v.HasProgress
	}
	// Only a commitment whose progress comes from its children is marked
	// as visited: the others do not walk on.
	switch {
	case v.Commitment.Progress != nil:
		v.Progress, v.HasProgress = *v.Commitment.Progress, true
	case v.Status == Done:
		v.Progress, v.HasProgress = 100, true
	default:
		for i := len(v.Updates) - 1; i >= 0; i-- {
			if p := v.Updates[i].Progress; p != nil {
				v.Progress, v.HasProgress = *p, true
				break
			}
		}
	}
	if !v.HasProgress && len(v.Children) > 0 {
		visiting[v] = true
		sum, n := 0, 0
		for _, c := range v.Children {
			if p, ok := c.progress(visiting); ok {
				sum += p
				n++
			}
		}
		if n > 0 {
			v.Progress, v.HasProgress, v.FromChildren = (2*sum+n)/(2*n), true, true
		}
	}
	return v.Progress, v.HasProgress
}

// noticeState returns the state of a published notice on today, and the
// day it is redacted from.
func noticeState(n *Notice, cfg *Config, today Date) (NoticeState, Date) {
	redacted := n.Closes.AddDays(cfg.Notices.RedactAfterDays + 1)
	switch {
	case today.Before(n.Opens):
		return Upcoming, redacted
	case !today.After(n.Closes):
		return Open, redacted
	case today.Before(redacted):
		return Closed, redacted
	}
	return Redacted, redacted
}

func noticeView(n *Notice, cfg *Config, cal Calendar, today Date) *NoticeView {
	v := &NoticeView{
		ID: n.ID, File: n.File, Title: n.Title, Issuer: n.Issuer, Purpose: n.Purpose,
		Published: n.Published, Opens: n.Opens, Closes: n.Closes,
		Objections:     cfg.Objections.Merge(n.Objections),
		CandidateCount: len(n.Candidates),
		WorkingDays:    cal.WorkingDays(n.Opens, n.Closes),
	}
	for _, c := range n.Candidates {
		if !slices.Contains(v.UnitIDs, c.Unit) {
			v.UnitIDs = append(v.UnitIDs, c.Unit)
		}
	}
	v.State, v.RedactedFrom = noticeState(n, cfg, today)
	switch v.State {
	case Upcoming:
		v.DaysToOpen = n.Opens.Sub(today)
	case Open:
		v.DaysLeft = cal.WorkingDays(today, n.Closes)
	}
	if v.State == Redacted {
		// Keep only what SPEC §1 lets a redacted notice keep, plus the
		// non-personal facts of its posting and outcome.
		if n.Posted != nil {
			v.Posted = &Posting{Date: n.Posted.Date, Where: n.Posted.Where}
		}
		if n.Outcome != nil {
			v.Outcome = &Outcome{Date: n.Outcome.Date, Objections: n.Outcome.Objections}
		}
		return v
	}
	v.Stage, v.Body = n.Stage, n.Body
	v.Posted, v.Outcome = n.Posted, n.Outcome
	if v.Outcome != nil && v.Outcome.Date.After(today) {
		v.Outcome = nil // not yet published
	}
	v.Candidates = slices.Clone(n.Candidates)
	return v
}

func noticeRank(s NoticeState) int {
	switch s {
	case Open:
		return 0
	case Upcoming:
		return 1
	}
	return 2
}

func compareNotices(a, b *NoticeView) int {
	if c := cmp.Compare(noticeRank(a.State), noticeRank(b.State)); c != 0 {
		return c
	}
	var c int
	switch a.State {
	case Open:
		c = a.Closes.Compare(b.Closes)
	case Upcoming:
		c = a.Opens.Compare(b.Opens)
	default:
		c = b.Closes.Compare(a.Closes)
	}
	if c != 0 {
		return c
	}
	return cmp.Compare(a.ID, b.ID)
}

// EntryStars returns an entry's stars: given, or the mean of its scores
// rounded half up.
func EntryStars(e Entry) int {
	if len(e.Scores) > 0 {
		sum := 0
		for _, s := range e.Scores {
			sum += s
		}
		n := len(e.Scores)
		return (2*sum + n) / (2 * n)
	}
	if e.Stars != nil {
		return *e.Stars
	}
	return 0
}

func (v *RatingView) rank() {
	entries := v.Rating.Entries
	v.Entries = make([]RankedEntry, len(entries))
	v.Distribution = make([]int, max(v.MaxStars, 0)+1)
	sum := 0
	stars := make([]int, len(entries))
	order := make([]int32, len(entries))
	for i, e := range entries {
		st := EntryStars(e)
		stars[i], order[i] = st, int32(i)
		sum += st
		if st >= 0 && st < len(v.Distribution) {
			v.Distribution[st]++
		}
	}
	// Most stars first, then by name; in the record's order when both are
	// the same (a stable sort of the places, cheaper than of the entries).
	slices.SortFunc(order, func(i, j int32) int {
		if c := cmp.Compare(stars[j], stars[i]); c != 0 {
			return c
		}
		if c := cmp.Compare(entries[i].Name, entries[j].Name); c != 0 {
			return c
		}
		return cmp.Compare(i, j)
	})
	for k, i := range order {
		v.Entries[k] = RankedEntry{Entry: entries[i], Stars: stars[i], Rank: k + 1}
	}
	if n := len(v.Entries); n > 0 {
		v.Mean = float64(sum) / float64(n)
	}
}

func (v *RatingView) compare() {
	if v.Previous == nil {
		return
	}
	before := map[string]int{}
	for _, e := range v.Previous.Entries {
		before[e.Name] = e.Stars
	}
	for i := range v.Entries {
		e := &v.Entries[i]
		if st, ok := before[e.Name]; ok {
			e.HasChange, e.Change = true, e.Stars-st
		} else {
			e.IsNew = true
		}
	}
}

// OpenNotices returns the notices whose window is open today.
func (s *Snapshot) OpenNotices() []*NoticeView {
	var out []*NoticeView
	for _, n := range s.Notices {
		if n.State == Open {
			out = append(out, n)
		}
	}
	return out
}

// OverdueCommitments returns the overdue commitments, most overdue first.
func (s *Snapshot) OverdueCommitments() []*CommitmentView {
	var out []*CommitmentView
	for _, c := range s.Commitments {
		if c.Overdue {
			out = append(out, c)
		}
	}
	slices.SortStableFunc(out, func(a, b *CommitmentView) int { return cmp.Compare(b.DaysOverdue, a.DaysOverdue) })
	return out
}

// StatusGroup is the commitments that share a status.
type StatusGroup struct {
	Status Status
	Items  []*CommitmentView
}

// GroupByStatus groups commitments by status in the order of Statuses,
// leaving out empty groups.
func GroupByStatus(cs []*CommitmentView) []StatusGroup {
	var out []StatusGroup
	for _, st := range Statuses {
		g := StatusGroup{Status: st}
		for _, c := range cs {
			if c.Status == st {
				g.Items = append(g.Items, c)
			}
		}
		if len(g.Items) > 0 {
			out = append(out, g)
		}
	}
	return out
}
