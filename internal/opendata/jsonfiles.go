package opendata

import (
	"bytes"
	"encoding/hex"
	"math"
	"time"

	"github.com/glassboard/glassboard/internal/board"
)

// boardInfo is the "board" object at the top of every data file.
type boardInfo struct {
	Title    string `json:"title"`
	BaseURL  string `json:"base_url"`
	Language string `json:"language"`
	Timezone string `json:"timezone"`
}

// The derived state of a record: computed for the snapshot's day, not
// hashed into the code.

type commitmentState struct {
	Overdue              bool       `json:"overdue"`
	DaysOverdue          int        `json:"days_overdue"`
	NoNews               bool       `json:"no_news"`
	DaysQuiet            int        `json:"days_quiet"`
	Progress             *int       `json:"progress,omitempty"`
	ProgressFromChildren bool       `json:"progress_from_children"`
	LastActivity         board.Date `json:"last_activity"`
}

type noticeState struct {
	State           board.NoticeState `json:"state"`
	WorkingDays     int               `json:"working_days"`
	WorkingDaysLeft *int              `json:"working_days_left,omitempty"`
	DaysToOpen      *int              `json:"days_to_open,omitempty"`
	RedactedFrom    board.Date        `json:"redacted_from"`
	Units           []string          `json:"units"`
}

type ratingState struct {
	Mean         float64      `json:"mean"`
	Distribution []int        `json:"distribution"`
	Entries      []entryState `json:"entries"`
}

type entryState struct {
	Name   string `json:"name"`
	Rank   int    `json:"rank"`
	Stars  int    `json:"stars"`
	Change *int   `json:"change,omitempty"`
	New    bool   `json:"new,omitempty"`
}

func commitmentStateOf(c *board.CommitmentView) any {
	st := &commitmentState{
		Overdue: c.Overdue, DaysOverdue: c.DaysOverdue, NoNews: c.NoNews, DaysQuiet: c.DaysQuiet,
		ProgressFromChildren: c.FromChildren, LastActivity: c.LastActivity,
	}
	if c.HasProgress {
		p := c.Progress
		st.Progress = &p
	}
	return st
}

func noticeStateOf(n *board.NoticeView) any {
	st := &noticeState{State: n.State, WorkingDays: n.WorkingDays, RedactedFrom: n.RedactedFrom, Units: n.UnitIDs}
	if st.Units == nil {
		st.Units = []string{}
	}
	switch n.State {
	case board.Open:
		v := n.DaysLeft
		st.WorkingDaysLeft = &v
	case board.Upcoming:
		v := n.DaysToOpen
		st.DaysToOpen = &v
	}
	return st
}

func ratingStateOf(r *board.RatingView) any {
	st := &ratingState{Mean: round2(r.Mean), Distribution: r.Distribution, Entries: make([]entryState, len(r.Entries))}
	if st.Distribution == nil {
		st.Distribution = []int{}
	}
	for i, e := range r.Entries {
		es := entryState{Name: e.Name, Rank: e.Rank, Stars: e.Stars, New: e.IsNew}
		if e.HasChange {
			c := e.Change
			es.Change = &c
		}
		st.Entries[i] = es
	}
	return st
}

func round2(f float64) float64 { return math.Round(f*100) / 100 }

// header writes the start of a data file, up to and including `"key":[`.
func (d *Data) header(buf *bytes.Buffer, e *jsonEnc, key string) error {
	cfg := d.s.Config
	b, err := e.marshal(boardInfo{Title: cfg.Title, BaseURL: d.base, Language: cfg.Language, Timezone: cfg.Timezone})
	if err != nil {
		return err
	}
	buf.WriteString(`{"generated":"`)
	buf.WriteString(d.generated.Format(time.RFC3339))
	buf.WriteString(`","as_of":"`)
	buf.WriteString(d.s.Today.String())
	buf.WriteString(`","board":`)
	buf.Write(b)
	buf.WriteString(`,"`)
	buf.WriteString(key)
	buf.WriteString(`":[`)
	return nil
}

// recordsJSON writes data/<kind>.json: one record a line, each its
// canonical published object followed by url, code, sha256 and state.
// extra estimates the bytes of all states beyond a fixed 240 per record.
func (d *Data) recordsJSON(k, n, extra int, id func(int) string, state func(int) any) ([]byte, error) {
	kd := &d.kinds[k]
	size := 512 + n*(len(d.base)+len(kindNames[k])+2*40+130+240) + extra
	for i := range n {
		if c := kd.recs[i].canon; c != nil {
			size += len(c)
		} else {
			size += 600 // dropped (DropCanonical): a guess
		}
	}
	size += size / 16
	var buf bytes.Buffer
	buf.Grow(size)
	e := newJSONEnc()
	if err := d.header(&buf, e, kindNames[k]); err != nil {
		return nil, err
	}
	qbase, err := e.marshal(d.base)
	if err != nil {
		return nil, err
	}
	qbase = append([]byte(nil), qbase[:len(qbase)-1]...) // without its closing quote
	var hx [64]byte
	var scratch bytes.Buffer
	for i := range n {
		if i > 0 {
			buf.WriteByte(',')
		}
		buf.WriteByte('\n')
		r := &kd.recs[i]
		canon, err := d.canonical(k, i, &scratch)
		if err != nil {
			return nil, err
		}
		buf.Write(canon[:len(canon)-1]) // without the closing brace
		buf.WriteString(`,"url":`)
		buf.Write(qbase)
		buf.WriteString(kindNames[k])
		buf.WriteByte('/')
		buf.WriteString(id(i))
		buf.WriteString(`/","code":"`)
		hex.Encode(hx[:], r.sum[:])
		buf.Write(hx[:8])
		buf.WriteString(`","sha256":"`)
		buf.Write(hx[:])
		buf.WriteString(`","state":`)
		st, err := e.marshal(state(i))
		if err != nil {
			return nil, err
		}
		buf.Write(st)
		buf.WriteByte('}')
	}
	if n > 0 {
		buf.WriteByte('\n')
	}
	buf.WriteString("]}\n")
	return buf.Bytes(), nil
}

func (d *Data) commitmentsJSON() ([]byte, error) {
	cs := d.s.Commitments
	return d.recordsJSON(kCommitments, len(cs), 0,
		func(i int) string { return cs[i].ID },
		func(i int) any { return commitmentStateOf(cs[i]) })
}

func (d *Data) noticesJSON() ([]byte, error) {
	ns := d.s.Notices
	extra := 0
	for _, n := range ns {
		extra += 20 * len(n.UnitIDs)
	}
	return d.recordsJSON(kNotices, len(ns), extra,
		func(i int) string { return ns[i].ID },
		func(i int) any { return noticeStateOf(ns[i]) })
}

func (d *Data) ratingsJSON() ([]byte, error) {
	rs := d.s.Ratings
	extra := 0
	for _, r := range rs {
		extra += 4*len(r.Distribution) + len(r.Entries)*(50+4*len(r.Criteria))
		for _, e := range r.Entries {
			extra += len(e.Name)
		}
	}
	return d.recordsJSON(kRatings, len(rs), extra,
		func(i int) string { return rs[i].ID },
		func(i int) any { return ratingStateOf(rs[i]) })
}

// unitRecord is one unit in data/units.json.
type unitRecord struct {
	ID          string          `json:"id"`
	Name        string          `json:"name"`
	Kind        string          `json:"kind,omitempty"`
	Members     int             `json:"members,omitempty"`
	URL         string          `json:"url"`
	Feed        string          `json:"feed"`
	Commitments unitCommitments `json:"commitments"`
	Notices     int             `json:"notices"`
	OpenNotices int             `json:"open_notices"`
	Ratings     int             `json:"ratings"`
}

type unitCommitments struct {
	Total    int          `json:"total"`
	Overdue  int          `json:"overdue"`
	NoNews   int          `json:"no_news"`
	ByStatus statusCounts `json:"by_status"`
}

type statusCounts struct {
	Planned    int `json:"planned"`
	InProgress int `json:"in-progress"`
	Stalled    int `json:"stalled"`
	Done       int `json:"done"`
	Partial    int `json:"partial"`
	Missed     int `json:"missed"`
	Dropped    int `json:"dropped"`
}

func (sc *statusCounts) add(s board.Status) {
	switch s {
	case board.Planned:
		sc.Planned++
	case board.InProgress:
		sc.InProgress++
	case board.Stalled:
		sc.Stalled++
	case board.Done:
		sc.Done++
	case board.Partial:
		sc.Partial++
	case board.Missed:
		sc.Missed++
	case board.Dropped:
		sc.Dropped++
	}
}

func (d *Data) unitsJSON() ([]byte, error) {
	var buf bytes.Buffer
	buf.Grow(512 + 400*len(d.s.Units))
	e := newJSONEnc()
	if err := d.header(&buf, e, "units"); err != nil {
		return nil, err
	}
	for i, u := range d.s.Units {
		ur := unitRecord{
			ID: u.ID, Name: u.Name, Kind: u.Kind, Members: u.Members,
			URL:     URL(d.base, "units", u.ID),
			Feed:    d.base + "units/" + u.ID + "/feed.xml",
			Notices: len(u.Notices), Ratings: len(u.Ratings),
		}
		for _, c := range u.Commitments {
			ur.Commitments.Total++
			ur.Commitments.ByStatus.add(c.Status)
			if c.Overdue {
				ur.Commitments.Overdue++
			}
			if c.NoNews {
				ur.Commitments.NoNews++
			}
		}
		for _, n := range u.Notices {
			if n.State == board.Open {
				ur.OpenNotices++
			}
		}
		b, err := e.marshal(&ur)
		if err != nil {
			return nil, err
		}
		if i > 0 {
			buf.WriteByte(',')
		}
		buf.WriteByte('\n')
		buf.Write(b)
	}
	if len(d.s.Units) > 0 {
		buf.WriteByte('\n')
	}
	buf.WriteString("]}\n")
	return buf.Bytes(), nil
}

// scheduleChange is one upcoming state change in data/schedule.json.
type scheduleChange struct {
	Date  board.Date `json:"date"`
	Kind  string     `json:"kind"`
	ID    string     `json:"id,omitempty"`
	Title string     `json:"title,omitempty"`
	What  string     `json:"what"`
	URL   string     `json:"url,omitempty"`
}

// scheduleJSON writes data/schedule.json. A record that is itself still
// scheduled ("published" on a later day) appears in no output before that
// day (SPEC §1), so its change gives only the date, the kind and "published":
// no id, title or URL.
func (d *Data) scheduleJSON() ([]byte, error) {
	var buf bytes.Buffer
	buf.Grow(256 + (200+len(d.base))*len(d.s.Changes))
	e := newJSONEnc()
	buf.WriteString(`{"generated":"`)
	buf.WriteString(d.generated.Format(time.RFC3339))
	buf.WriteString(`","as_of":"`)
	buf.WriteString(d.s.Today.String())
	buf.WriteString(`","next_change":`)
	if next := d.s.NextChange(); next.IsZero() {
		buf.WriteString("null")
	} else {
		buf.WriteString(`"` + next.String() + `"`)
	}
	buf.WriteString(`,"changes":[`)
	for i, c := range d.s.Changes {
		sc := scheduleChange{Date: c.Date, Kind: plural(c.Kind), What: c.What}
		if c.What != "published" {
			sc.ID, sc.Title, sc.URL = c.ID, c.Title, URL(d.base, c.Kind, c.ID)
		}
		b, err := e.marshal(&sc)
		if err != nil {
			return nil, err
		}
		if i > 0 {
			buf.WriteByte(',')
		}
		buf.WriteByte('\n')
		buf.Write(b)
	}
	if len(d.s.Changes) > 0 {
		buf.WriteByte('\n')
	}
	buf.WriteString("]}\n")
	return buf.Bytes(), nil
}
