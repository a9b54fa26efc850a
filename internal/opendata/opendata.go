// Package opendata encodes a board snapshot as open data: JSON and CSV per
// record kind, a JSON Schema per JSON file, the Atom feeds, the sitemap and
// the schedule, and the record codes that tie pages and posters to it.
//
// It only encodes: it reads no files and no clock. The format is documented
// in docs/open-data.md.
package opendata

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"runtime"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/glassboard/glassboard/internal/board"
)

// The record kinds, as they appear in paths, URLs and file names.
const (
	Commitments = "commitments"
	Notices     = "notices"
	Ratings     = "ratings"
)

const (
	kCommitments = iota
	kNotices
	kRatings
	nKinds
)

var kindNames = [nKinds]string{Commitments, Notices, Ratings}

// kindIndex maps "commitments" (or the singular "commitment" that
// board.Change.Kind uses) to its index, or -1.
func kindIndex(kind string) int {
	switch kind {
	case Commitments, "commitment":
		return kCommitments
	case Notices, "notice":
		return kNotices
	case Ratings, "rating":
		return kRatings
	}
	return -1
}

// plural returns the path segment of a kind: "notice" → "notices"; other
// kinds ("units", "notices") are returned as they are.
func plural(kind string) string {
	if k := kindIndex(kind); k >= 0 {
		return kindNames[k]
	}
	return kind
}

// Data is the open data of one snapshot. New computes every record's
// published object and code once.
type Data struct {
	s         *board.Snapshot
	generated time.Time
	base      string // base_url ending in "/"
	loc       *time.Location
	err       error
	strs      map[string]string

	kinds [nKinds]kindData
}

type kindData struct {
	recs []rec // in snapshot order
	byID map[string]int
}

// rec is a record's canonical JSON and its hash.
type rec struct {
	canon []byte
	sum   [sha256.Size]byte
}

// New computes the published object, canonical JSON and code of every
// record of s. generated is the time the data is said to be generated
// (written in UTC, to the second); pass a fixed time (SOURCE_DATE_EPOCH, or
// midnight of s.Today) for reproducible output.
func New(s *board.Snapshot, generated time.Time) *Data {
	return NewReusing(s, generated, nil, nil)
}

// NewReusing is New, but takes a record's canonical JSON and code from
// prev instead of encoding it again when same(kind, i, j) reports that the
// record is published exactly as it was in prev's snapshot. kind is 0, 1
// or 2 for commitments, notices and ratings; i is the record's place in
// its list of s (s.Commitments, s.Notices, s.Ratings), j the place of the
// record of the same id in prev's snapshot. The preview uses it after an
// edit; the result is the same as New's.
func NewReusing(s *board.Snapshot, generated time.Time, prev *Data, same func(kind, i, j int) bool) *Data {
	d := &Data{
		s:         s,
		generated: generated.UTC().Truncate(time.Second),
		base:      normalBase(s.Config.BaseURL),
		strs:      builtinStrings(s.Config.Language),
	}
	d.loc, d.err = time.LoadLocation(s.Config.Timezone)
	if d.err != nil {
		d.err = fmt.Errorf("timezone %q: %w", s.Config.Timezone, d.err)
	}
	counts := [nKinds]int{len(s.Commitments), len(s.Notices), len(s.Ratings)}
	for k := range d.kinds {
		d.kinds[k] = kindData{recs: make([]rec, counts[k]), byID: make(map[string]int, counts[k])}
	}
	for i, c := range s.Commitments {
		d.kinds[kCommitments].byID[c.ID] = i
	}
	for i, n := range s.Notices {
		d.kinds[kNotices].byID[n.ID] = i
	}
	for i, r := range s.Ratings {
		d.kinds[kRatings].byID[r.ID] = i
	}

	// Encode and hash in parallel chunks, each into its own arena.
	type job struct{ k, lo, hi int }
	var jobs []job
	const chunk = 512
	for k, n := range counts {
		for lo := 0; lo < n; lo += chunk {
			jobs = append(jobs, job{k, lo, min(lo+chunk, n)})
		}
	}
	errs := make([]error, len(jobs))
	parallel(len(jobs), func(j int) {
		jb := jobs[j]
		var arena bytes.Buffer
		enc := json.NewEncoder(&arena)
		enc.SetEscapeHTML(false)
		recs := d.kinds[jb.k].recs
		ends := make([]int, jb.hi-jb.lo) // of each record in the arena
		reused := make([]bool, jb.hi-jb.lo)
		for i := jb.lo; i < jb.hi; i++ {
			var id string
			var publish func() any
			switch jb.k {
			case kCommitments:
				c := s.Commitments[i]
				id, publish = c.ID, func() any { return publishCommitment(c) }
			case kNotices:
				n := s.Notices[i]
				id, publish = n.ID, func() any { return publishNotice(n) }
			default:
				r := s.Ratings[i]
				id, publish = r.ID, func() any { return publishRating(r) }
			}
			if prev != nil {
				if j := prev.index(jb.k, i, id); j >= 0 && same(jb.k, i, j) {
					recs[i] = prev.kinds[jb.k].recs[j]
					reused[i-jb.lo] = true
					ends[i-jb.lo] = arena.Len()
					continue
				}
			}
			v := publish()
			if err := enc.Encode(v); err != nil {
				errs[j] = err
				return
			}
			ends[i-jb.lo] = arena.Len()
			if i == jb.lo {
				arena.Grow(arena.Len() * (jb.hi - jb.lo) * 5 / 4)
			}
		}
		// The arena no longer grows: point the records into it. Each
		// record ends with Encode's newline, which is not part of it.
		buf, start := arena.Bytes(), 0
		for i, end := range ends {
			if reused[i] {
				continue
			}
			r := &recs[jb.lo+i]
			r.canon = buf[start : end-1 : end-1]
			r.sum = sha256.Sum256(r.canon)
			start = end
		}
	})
	for _, err := range errs {
		if err != nil && d.err == nil {
			d.err = err
		}
	}
	return d
}

// parallel calls f(0) … f(n-1) on up to GOMAXPROCS goroutines.
func parallel(n int, f func(int)) {
	workers := min(runtime.GOMAXPROCS(0), n)
	if workers <= 1 {
		for i := range n {
			f(i)
		}
		return
	}
	var (
		wg   sync.WaitGroup
		mu   sync.Mutex
		next int
	)
	for range workers {
		wg.Go(func() {
			for {
				mu.Lock()
				i := next
				next++
				mu.Unlock()
				if i >= n {
					return
				}
				f(i)
			}
		})
	}
	wg.Wait()
}

// UseStrings sets the UI strings (as loaded from the theme's and the
// board's i18n files) used for the texts of the feeds. Keys it lacks keep
// their built-in value. Call it before Files.
func (d *Data) UseStrings(strs map[string]string) {
	for k, v := range strs {
		if _, ok := d.strs[k]; ok {
			d.strs[k] = v
		}
	}
}

// index returns the place of the record of kind k (kCommitments…) and
// id in d's snapshot, or -1. near is where to look first: a record is
// mostly in the same place after an edit.
func (d *Data) index(k, near int, id string) int {
	if near < len(d.kinds[k].recs) && d.id(k, near) == id {
		return near
	}
	if i, ok := d.kinds[k].byID[id]; ok {
		return i
	}
	return -1
}

// id returns the id of the record of kind k at place i of d's snapshot.
func (d *Data) id(k, i int) string {
	switch k {
	case kCommitments:
		return d.s.Commitments[i].ID
	case kNotices:
		return d.s.Notices[i].ID
	}
	return d.s.Ratings[i].ID
}

func (d *Data) lookup(kind, id string) *rec {
	k, i, ok := d.find(kind, id)
	if !ok {
		return nil
	}
	return &d.kinds[k].recs[i]
}

// find finds a record (kind: commitments, notices or ratings): its kind
// and its place in the snapshot.
func (d *Data) find(kind, id string) (k, i int, ok bool) {
	if k = kindIndex(kind); k < 0 {
		return 0, 0, false
	}
	i, ok = d.kinds[k].byID[id]
	return k, i, ok
}

// Code returns the 8-hex-digit record code of a record; kind is
// "commitments", "notices" or "ratings" (or the singular). "" if unknown.
func (d *Data) Code(kind, id string) string {
	if r := d.lookup(kind, id); r != nil {
		return hex.EncodeToString(r.sum[:4])
	}
	return ""
}

// Hash returns the full hex SHA-256 behind the code.
func (d *Data) Hash(kind, id string) string {
	if r := d.lookup(kind, id); r != nil {
		return hex.EncodeToString(r.sum[:])
	}
	return ""
}

// Canonical returns the canonical JSON of a record's published object: the
// bytes whose SHA-256 is Hash. nil if unknown. The caller must not modify it.
func (d *Data) Canonical(kind, id string) []byte {
	k, i, ok := d.find(kind, id)
	if !ok {
		return nil
	}
	var scratch bytes.Buffer
	c, err := d.canonical(k, i, &scratch)
	if err != nil {
		return nil
	}
	return c
}

// DropCanonical lets go of every record's canonical JSON and keeps the
// codes and hashes; the data files then encode each record again as they
// are made, to the same bytes. A build calls it after New, since the JSON
// of 100,000 records takes about 100 MB for as long as the pages render.
// NewReusing may still take codes from such Data; it then encodes the JSON
// again when the files are made.
func (d *Data) DropCanonical() {
	for k := range d.kinds {
		for i := range d.kinds[k].recs {
			d.kinds[k].recs[i].canon = nil
		}
	}
}

// canonical returns record i of kind k's canonical JSON: the kept bytes,
// or, once dropped, the record encoded again into scratch.
func (d *Data) canonical(k, i int, scratch *bytes.Buffer) ([]byte, error) {
	if c := d.kinds[k].recs[i].canon; c != nil {
		return c, nil
	}
	var v any
	switch k {
	case kCommitments:
		v = publishCommitment(d.s.Commitments[i])
	case kNotices:
		v = publishNotice(d.s.Notices[i])
	default:
		v = publishRating(d.s.Ratings[i])
	}
	scratch.Reset()
	enc := json.NewEncoder(scratch)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return scratch.Bytes()[:scratch.Len()-1], nil // without Encode's newline
}

// CombinedCode returns a code derived from other codes, for a sheet that
// shows several records (a unit's wall poster): the first 8 hex digits of
// the SHA-256 of the codes in the given order, each followed by "\n".
func CombinedCode(codes []string) string {
	h := sha256.New()
	for _, c := range codes {
		h.Write([]byte(c))
		h.Write([]byte{'\n'})
	}
	return hex.EncodeToString(h.Sum(nil)[:4])
}

// UnitCode returns the code of a unit's wall (its poster and its page): the
// combined code of the records the wall shows, in this order: its open
// notices, its commitments, its latest rating board. "" for an unknown unit.
func (d *Data) UnitCode(id string) string {
	for _, u := range d.s.Units {
		if u.ID != id {
			continue
		}
		var codes []string
		for _, n := range u.Notices {
			if n.State == board.Open {
				codes = append(codes, "notices/"+n.ID+"="+d.Code(Notices, n.ID))
			}
		}
		for _, c := range u.Commitments {
			codes = append(codes, "commitments/"+c.ID+"="+d.Code(Commitments, c.ID))
		}
		if len(u.Ratings) > 0 {
			r := u.Ratings[0]
			codes = append(codes, "ratings/"+r.ID+"="+d.Code(Ratings, r.ID))
		}
		return CombinedCode(codes)
	}
	return ""
}

// File is one output file.
type File struct {
	Path string // slash-separated, relative to the site root
	Data []byte
}

// Files returns data/commitments.json, notices.json, ratings.json,
// units.json, the matching data/*.csv (commitments, notices, ratings),
// data/schedule.json, data/<name>.schema.json beside each JSON file,
// feed.xml and units/<unit>/feed.xml for every unit, sorted by path.
// The same snapshot and generated time give the same bytes.
func (d *Data) Files() ([]File, error) {
	if d.err != nil {
		return nil, d.err
	}
	gens := d.generators()
	out := make([]File, len(gens), len(gens)+len(schemaNames)+1+len(d.s.Units))
	errs := make([]error, len(gens)+1)
	var feeds []File
	parallel(len(gens)+1, func(i int) {
		if i == len(gens) {
			feeds, errs[i] = d.feeds()
			return
		}
		data, err := gens[i].f()
		out[i], errs[i] = File{Path: gens[i].path, Data: data}, err
	})
	for _, err := range errs {
		if err != nil {
			return nil, err
		}
	}
	schemas, err := schemaFiles()
	if err != nil {
		return nil, err
	}
	out = append(out, schemas...)
	out = append(out, feeds...)
	slices.SortFunc(out, func(a, b File) int { return strings.Compare(a.Path, b.Path) })
	return out, nil
}

// EachFile makes the files of Files one at a time and hands each to yield,
// so that no more than one is held in memory; it stops at the first error.
// The order is not Files' order. On a board of 100,000 records the files
// together take hundreds of megabytes. A build runs the same steps through
// Makers, beside its pages; a refresh (refresh.go) runs EachFile.
func (d *Data) EachFile(yield func(File) error) error {
	for _, m := range d.Makers() {
		if err := m(yield); err != nil {
			return err
		}
	}
	return nil
}

// Paths returns the paths of the files of Files, in no set order, without
// making them.
func (d *Data) Paths() []string {
	var ps []string
	for _, g := range d.generators() {
		ps = append(ps, g.path)
	}
	for _, name := range schemaNames {
		ps = append(ps, "data/"+name+".schema.json")
	}
	ps = append(ps, "feed.xml")
	for _, u := range d.s.Units {
		ps = append(ps, "units/"+u.ID+"/feed.xml")
	}
	return ps
}

// A Maker makes some of the data files, hands each to yield as soon as it
// is made, and stops at the first error.
type Maker func(yield func(File) error) error

// Makers returns the makers of the files of Files, each file made by one
// of them. They may run one after the other, as EachFile does, or at the
// same time, each on its own goroutine (yield is then called from
// several). A build runs them one after the other on one of the goroutines
// that render its pages.
func (d *Data) Makers() []Maker {
	if d.err != nil {
		err := d.err
		return []Maker{func(func(File) error) error { return err }}
	}
	var ms []Maker
	for _, g := range d.generators() {
		ms = append(ms, func(yield func(File) error) error {
			data, err := g.f()
			if err != nil {
				return err
			}
			return yield(File{Path: g.path, Data: data})
		})
	}
	return append(ms, func(yield func(File) error) error {
		schemas, err := schemaFiles()
		if err != nil {
			return err
		}
		feeds, err := d.feeds()
		if err != nil {
			return err
		}
		for _, f := range append(schemas, feeds...) {
			if err := yield(f); err != nil {
				return err
			}
		}
		return nil
	})
}

// generator makes one data file.
type generator struct {
	path string
	f    func() ([]byte, error)
}

// generators lists the data files besides the schemas and the feeds.
func (d *Data) generators() []generator {
	return []generator{
		{"data/commitments.json", d.commitmentsJSON},
		{"data/notices.json", d.noticesJSON},
		{"data/ratings.json", d.ratingsJSON},
		{"data/units.json", d.unitsJSON},
		{"data/schedule.json", d.scheduleJSON},
		{"data/commitments.csv", d.commitmentsCSV},
		{"data/notices.csv", d.noticesCSV},
		{"data/ratings.csv", d.ratingsCSV},
	}
}

// schemaFiles returns the JSON Schemas of the data files.
func schemaFiles() ([]File, error) {
	var out []File
	for _, name := range schemaNames {
		data, err := schemaFS.ReadFile("schema/" + name + ".schema.json")
		if err != nil {
			return nil, err
		}
		out = append(out, File{Path: "data/" + name + ".schema.json", Data: data})
	}
	return out, nil
}

// normalBase returns base_url ending in "/" ("" stays "").
func normalBase(base string) string {
	if base != "" && !strings.HasSuffix(base, "/") {
		base += "/"
	}
	return base
}

// URL returns a record's absolute URL in directory form: base_url +
// "notices/x/". kind is "commitments", "notices", "ratings" (or their
// singular) or "units".
func URL(baseURL, kind, id string) string {
	return normalBase(baseURL) + plural(kind) + "/" + id + "/"
}

// jsonEnc marshals like encoding/json but without HTML escaping (so that
// "<", ">" and "&" stay as they are, as in any other JSON encoder) and
// without the trailing newline.
type jsonEnc struct {
	buf bytes.Buffer
	enc *json.Encoder
}

func newJSONEnc() *jsonEnc {
	e := &jsonEnc{}
	e.enc = json.NewEncoder(&e.buf)
	e.enc.SetEscapeHTML(false)
	return e
}

// marshal returns the encoding of v; the bytes are valid until the next call.
func (e *jsonEnc) marshal(v any) ([]byte, error) {
	e.buf.Reset()
	if err := e.enc.Encode(v); err != nil {
		return nil, err
	}
	b := e.buf.Bytes()
	return b[:len(b)-1], nil
}
