package board

import "slices"

// Deriver derives a board again and again as it is edited, as Board.At
// does, and returns an equal snapshot. What depends on one record only and
// costs most to work out again is kept between derivations: the view of a
// notice (on the same day, with the same notice rules in board.toml) and
// the ranks of a rating board (with the same previous board). A record is
// told by identity, so it must not be changed in place between two
// derivations (the loader decodes an edited file into a new value). Views
// kept are shared by the snapshots, which nothing changes.
//
// The view of a commitment is kept too (on the same day, with the same
// stale_after_days and an equal unit), with its upcoming changes, as long
// as its family (the commitments joined to it by parent links) is the
// same: a view links to its parent and children, and its progress may
// come from theirs. The units of the snapshots are the Deriver's copy of
// board.toml's, kept while they are equal, so that a kept view's unit is
// the snapshot's.
//
// The zero Deriver is ready to use. A Deriver is not safe for concurrent
// use.
type Deriver struct {
	// What a notice's view depends on besides the notice.
	today      Date
	objections Contacts
	redact     int
	holidays   []Date
	workdays   []Date

	stale    int    // board.toml's stale_after_days
	units    []Unit // a copy of board.toml's units, kept while they are equal
	gen      uint64 // counts derivations
	unitsGen uint64 // the derivation that copied units

	// The views kept, updated in place: a derivation marks those of the
	// records it meets, and the others are forgotten.
	notices              map[*Notice]*keptNotice
	commitments          map[*Commitment]*keptCommitment
	ratings, nextRatings map[*Rating]ranks

	// The sort orders of the last derivation: an edit seldom changes them.
	commitmentIDs keptOrder[string]      // by the ids of the published commitments
	noticeViews   keptOrder[*NoticeView] // by the views of the published notices (kept views do not change)
	changes       keptOrder[Change]
}

func (d *Deriver) commitmentOrder() *keptOrder[string] {
	if d == nil {
		return nil
	}
	return &d.commitmentIDs
}

func (d *Deriver) noticeOrder() *keptOrder[*NoticeView] {
	if d == nil {
		return nil
	}
	return &d.noticeViews
}

func (d *Deriver) changeOrder() *keptOrder[Change] {
	if d == nil {
		return nil
	}
	return &d.changes
}

// ranks are a rating board's ranked entries, compared with its previous
// board's.
type ranks struct {
	previous     *Rating // the previous board's record, nil for none
	entries      []RankedEntry
	distribution []int
	mean         float64
}

// At returns what b.At(today) returns.
func (d *Deriver) At(b *Board, today Date) *Snapshot {
	cfg := &b.Config
	if d.today != today || d.objections != cfg.Objections || d.redact != cfg.Notices.RedactAfterDays ||
		!slices.Equal(d.holidays, cfg.Notices.Holidays) || !slices.Equal(d.workdays, cfg.Notices.Workdays) {
		d.today, d.objections, d.redact = today, cfg.Objections, cfg.Notices.RedactAfterDays
		d.holidays, d.workdays = slices.Clone(cfg.Notices.Holidays), slices.Clone(cfg.Notices.Workdays)
		d.notices = nil
		d.commitments = nil
	}
	if d.stale != cfg.Commitments.StaleAfterDays {
		d.stale = cfg.Commitments.StaleAfterDays
		d.commitments = nil
	}
	d.gen++
	if d.unitsGen == 0 || !slices.Equal(d.units, cfg.Units) {
		d.units = slices.Clone(cfg.Units) // views kept point to the old copy's units: they are made again
		d.unitsGen = d.gen
	}
	if d.notices == nil {
		d.notices = make(map[*Notice]*keptNotice, len(b.Notices))
	}
	if d.commitments == nil {
		d.commitments = make(map[*Commitment]*keptCommitment, len(b.Commitments))
	}
	d.nextRatings = make(map[*Rating]ranks, len(b.Ratings))
	s := b.at(today, d)
	// Records gone since are forgotten.
	forget(d.notices, d.gen)
	forget(d.commitments, d.gen)
	d.ratings, d.nextRatings = d.nextRatings, nil
	return s
}

// forget deletes the entries not marked by derivation gen.
func forget[K comparable, V interface{ mark() uint64 }](m map[K]V, gen uint64) {
	for k, v := range m {
		if v.mark() != gen {
			delete(m, k)
		}
	}
}

// keptCommitment is a commitment's view with the upcoming changes of its
// own state, and the place in the snapshot's units of the view that lists
// it (-1 for none) as found with the units of derivation unitsGen.
type keptCommitment struct {
	view     *CommitmentView
	changes  []Change
	unit     int32
	unitsGen uint64
	seen     uint64 // the last derivation that met the record
}

func (k *keptCommitment) mark() uint64 { return k.seen }

// keptNotice is a notice's view.
type keptNotice struct {
	view *NoticeView
	seen uint64
}

func (k *keptNotice) mark() uint64 { return k.seen }

// unitsOf returns the units of cfg the snapshot's views point to: the
// Deriver's copy when there is a Deriver (see At).
func (d *Deriver) unitsOf(cfg *Config) []Unit {
	if d == nil {
		return cfg.Units
	}
	return d.units
}

// commitment returns what is kept of c from the last derivation, or nil,
// and marks it as met.
func (d *Deriver) commitment(c *Commitment) *keptCommitment {
	if d == nil {
		return nil
	}
	k := d.commitments[c]
	if k != nil {
		k.seen = d.gen
	}
	return k
}

// keepCommitment keeps v in k, or in a new entry when k is nil.
func (d *Deriver) keepCommitment(k *keptCommitment, v *CommitmentView, changes []Change, unit int32) {
	if k == nil {
		k = &keptCommitment{}
		d.commitments[v.Commitment] = k
	}
	*k = keptCommitment{view: v, changes: changes, unit: unit, unitsGen: d.unitsGen, seen: d.gen}
}

// notice returns the view of n kept from the last derivation, or nil.
func (d *Deriver) notice(n *Notice) *NoticeView {
	if d == nil {
		return nil
	}
	if k := d.notices[n]; k != nil {
		k.seen = d.gen
		return k.view
	}
	return nil
}

// keepNotice keeps a new view of n.
func (d *Deriver) keepNotice(n *Notice, v *NoticeView) {
	if d != nil {
		d.notices[n] = &keptNotice{v, d.gen}
	}
}

// ranks fills v's ranks as kept from the last derivation, and reports
// whether it could: its record and its previous board's are the same.
func (d *Deriver) ranks(v *RatingView) bool {
	if d == nil {
		return false
	}
	r, ok := d.ratings[v.Rating]
	if !ok || r.previous != previousRecord(v) {
		return false
	}
	v.Entries, v.Distribution, v.Mean = r.entries, r.distribution, r.mean
	d.nextRatings[v.Rating] = r
	return true
}

func (d *Deriver) keepRanks(v *RatingView) {
	if d != nil {
		d.nextRatings[v.Rating] = ranks{previousRecord(v), v.Entries, v.Distribution, v.Mean}
	}
}

func previousRecord(v *RatingView) *Rating {
	if v.Previous == nil {
		return nil
	}
	return v.Previous.Rating
}
