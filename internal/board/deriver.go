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
// The zero Deriver is ready to use. A Deriver is not safe for concurrent
// use.
type Deriver struct {
	// What a notice's view depends on besides the notice.
	today      Date
	objections Contacts
	redact     int
	holidays   []Date
	workdays   []Date

	notices, nextNotices map[*Notice]*NoticeView
	ratings, nextRatings map[*Rating]ranks

	// The sort orders of the last derivation: an edit seldom changes them.
	commitments keptOrder[string]      // by the ids of the published commitments
	noticeViews keptOrder[*NoticeView] // by the views of the published notices (kept views do not change)
	changes     keptOrder[Change]
}

func (d *Deriver) commitmentOrder() *keptOrder[string] {
	if d == nil {
		return nil
	}
	return &d.commitments
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
	}
	d.nextNotices = make(map[*Notice]*NoticeView, len(b.Notices))
	d.nextRatings = make(map[*Rating]ranks, len(b.Ratings))
	s := b.at(today, d)
	// Records gone since are forgotten.
	d.notices, d.nextNotices = d.nextNotices, nil
	d.ratings, d.nextRatings = d.nextRatings, nil
	return s
}

// notice returns the view of n kept from the last derivation, or nil.
func (d *Deriver) notice(n *Notice) *NoticeView {
	if d == nil {
		return nil
	}
	return d.notices[n]
}

func (d *Deriver) keepNotice(n *Notice, v *NoticeView) {
	if d != nil {
		d.nextNotices[n] = v
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
