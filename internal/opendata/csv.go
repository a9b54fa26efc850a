package opendata

import (
	"bytes"
	"encoding/csv"
	"encoding/hex"
	"strconv"
	"strings"

	"github.com/glassboard/glassboard/internal/board"
)

// bom is the UTF-8 byte-order mark that tells spreadsheet programs (Excel
// in particular) that the file is UTF-8, so Chinese text opens readably.
const bom = "\ufeff"

// Column headers of the CSV files.
var (
	commitmentColumns = []string{"id", "url", "code", "title", "unit", "unit_name", "owner", "made", "due",
		"status", "progress", "overdue", "no_news", "parent", "category", "target", "last_update"}
	noticeColumns = []string{"id", "url", "code", "title", "issuer", "purpose", "state", "published", "opens", "closes",
		"candidate_count", "name", "unit", "unit_name", "gender", "born", "education", "applied", "activist_since", "role", "note"}
	ratingColumns = []string{"id", "url", "code", "title", "unit", "period", "rated", "max_stars",
		"rank", "name", "post", "duty", "stars", "scores", "change", "note"}
)

// csvFile is a CSV file being written: RFC 4180 with CRLF line ends, UTF-8
// with a byte-order mark.
type csvFile struct {
	buf bytes.Buffer
	w   *csv.Writer
	row []string
}

func newCSV(columns []string, size int) *csvFile {
	f := &csvFile{row: make([]string, 0, len(columns))}
	f.buf.Grow(size)
	f.buf.WriteString(bom)
	f.w = csv.NewWriter(&f.buf)
	f.w.UseCRLF = true
	f.w.Write(columns)
	return f
}

func (f *csvFile) add(fields ...string) { f.row = append(f.row, fields...) }

func (f *csvFile) end() {
	f.w.Write(f.row)
	f.row = f.row[:0]
}

func (f *csvFile) bytes() ([]byte, error) {
	f.w.Flush()
	if err := f.w.Error(); err != nil {
		return nil, err
	}
	return f.buf.Bytes(), nil
}

func itoa(n int) string { return strconv.Itoa(n) }

func boolStr(b bool) string {
	if b {
		return "true"
	}
	return "false"
}

func (d *Data) code(k, i int) string { return hex.EncodeToString(d.kinds[k].recs[i].sum[:4]) }

func (d *Data) unitName(id string) string {
	if u := d.s.Config.Unit(id); u != nil {
		return u.Name
	}
	return ""
}

// commitmentsCSV writes one row per commitment.
func (d *Data) commitmentsCSV() ([]byte, error) {
	f := newCSV(commitmentColumns, 256+len(d.s.Commitments)*(350+len(d.base)))
	for i, c := range d.s.Commitments {
		progress := ""
		if c.HasProgress {
			progress = itoa(c.Progress)
		}
		last := ""
		if n := len(c.Updates); n > 0 {
			last = c.Updates[n-1].Date.String()
		}
		f.add(c.ID, URL(d.base, Commitments, c.ID), d.code(kCommitments, i), c.Title,
			c.Commitment.Unit, d.unitName(c.Commitment.Unit), c.Owner, c.Made.String(), c.Due.String(),
			string(c.Status), progress, boolStr(c.Overdue), boolStr(c.NoNews),
			c.Commitment.Parent, c.Category, c.Target, last)
		f.end()
	}
	return f.bytes()
}

// noticesCSV writes one row per candidate, with the notice's columns on
// each; a notice without candidates (a redacted one) gives one row with the
// candidate columns empty, so that it stays visible with its count.
func (d *Data) noticesCSV() ([]byte, error) {
	size := 256
	for _, n := range d.s.Notices {
		rows := max(len(n.Candidates), 1)
		size += rows * (2*len(d.base) + 2*len(n.ID) + len(n.Title) + len(n.Issuer) + 300)
	}
	f := newCSV(noticeColumns, size)
	for i, n := range d.s.Notices {
		url, code, count := URL(d.base, Notices, n.ID), d.code(kNotices, i), itoa(n.CandidateCount)
		published, opens, closes := n.Published.String(), n.Opens.String(), n.Closes.String()
		notice := func() {
			f.add(n.ID, url, code, n.Title, n.Issuer,
				string(n.Purpose), string(n.State), published, opens, closes, count)
		}
		if n.Redacted() || len(n.Candidates) == 0 {
			notice()
			f.add("", "", "", "", "", "", "", "", "", "")
			f.end()
			continue
		}
		for _, c := range n.Candidates {
			notice()
			f.add(c.Name, c.Unit, d.unitName(c.Unit), c.Gender, c.Born.String(), c.Education,
				c.Applied.String(), c.ActivistSince.String(), c.Role, c.Note)
			f.end()
		}
	}
	return f.bytes()
}

// ratingsCSV writes one row per entry, in rank order, with the board's
// columns on each.
func (d *Data) ratingsCSV() ([]byte, error) {
	size := 256
	for _, r := range d.s.Ratings {
		size += len(r.Entries) * (len(d.base) + 2*len(r.ID) + len(r.Title) + len(r.Period) + 250)
	}
	f := newCSV(ratingColumns, size)
	var sb strings.Builder
	for i, r := range d.s.Ratings {
		url, code, rated, maxStars := URL(d.base, Ratings, r.ID), d.code(kRatings, i), r.Rated.String(), itoa(r.MaxStars)
		for _, e := range r.Entries {
			sb.Reset()
			for j, s := range e.Scores {
				if j > 0 {
					sb.WriteByte(';')
				}
				sb.WriteString(itoa(s))
			}
			f.add(r.ID, url, code, r.Title, r.Rating.Unit, r.Period, rated, maxStars,
				itoa(e.Rank), e.Name, e.Post, e.Duty, itoa(e.Stars), sb.String(), changeStr(e), e.Note)
			f.end()
		}
	}
	return f.bytes()
}

// changeStr is "+1", "-2", "0", "new", or "" when the board has no
// previous one.
func changeStr(e board.RankedEntry) string {
	switch {
	case e.HasChange && e.Change > 0:
		return "+" + itoa(e.Change)
	case e.HasChange:
		return itoa(e.Change)
	case e.IsNew:
		return "new"
	}
	return ""
}
