package opendata

import (
	"bytes"
	"crypto/sha256"
	"encoding/csv"
	"encoding/hex"
	"encoding/json"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"os"
	"reflect"
	"slices"
	"strings"
	"sync"
	"testing"
	"testing/fstest"
	"time"

	"github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/glassboard/glassboard/internal/board"
	"github.com/glassboard/glassboard/internal/load"
	"github.com/glassboard/glassboard/internal/sample"
)

func day(s string) board.Date {
	d, err := board.ParseDate(s)
	if err != nil {
		panic(err)
	}
	return d
}

func ip(n int) *int { return &n }

// generated is the fixed "generated" time of the tests.
var generated = time.Date(2019, 11, 15, 1, 2, 3, 0, time.UTC)

// Names and texts of the notice that is redacted from 2019-07-09: none of
// them may appear in any output once it is.
var redactedSecrets = []string{
	"Redacted Person One", "隐私候选人", "SECRET-BODY", "SECRET-STAGE", "SECRET-SUMMARY",
	"files/secret-photo.jpg", "SECRET-EDUCATION", "SECRET-ROLE", "SECRET-NOTE",
}

// testBoard is a small board with every kind of record and every state:
// tested at 2019-11-15, notice "open" is open, "coming" upcoming, "old"
// redacted, "future" and commitment "future" scheduled.
func testBoard() *board.Board {
	cfg := board.DefaultConfig()
	cfg.Title = "测试镇 Test Township Board"
	cfg.BaseURL = "https://board.example.org/"
	cfg.Timezone = "Asia/Shanghai"
	cfg.Description = "Promises & notices <all of them>"
	cfg.Organization.Name = "Test Township Party Committee"
	cfg.Units = []board.Unit{
		{ID: "xinfang", Name: "新房村党支部", Kind: "rural", Members: 46},
		{ID: "nantai", Name: "Nantai Village Branch", Kind: "rural"},
		{ID: "school", Name: "Middle School Branch", Kind: "school", Members: 3},
	}
	cfg.Objections = board.Contacts{Phone: "0313-0000000", Email: "jubao@example.org", Hours: "Mon–Fri"}
	b := &board.Board{Config: cfg}
	b.Commitments = []*board.Commitment{
		{
			ID: "wells", Title: "Drill two wells <safe> & clean", Unit: "nantai", Owner: "Li Ming",
			Made: day("2019-01-15"), Due: day("2019-12-31"), Status: board.InProgress,
			Category: "water", Target: "2 wells", Body: "Two wells.\n\nFor 500,000 yuan.",
			Updates: []board.Update{
				{Date: day("2019-03-01"), Note: "Surveyed.", Progress: ip(10)},
				{Date: day("2019-06-30"), Note: "First well drilled.", Status: board.InProgress, Progress: ip(50),
					Evidence: []string{"https://example.org/a.pdf", "files/minutes.pdf"}},
				{Date: day("2019-06-30"), Note: "Second well started the same day."},
				{Date: day("2020-03-01"), Note: "SECRET-SCHEDULED-UPDATE"},
			},
		},
		{ID: "book", Title: "责任书 Responsibility book", Unit: "xinfang", Owner: "Township committee",
			Made: day("2019-01-10"), Due: day("2019-12-31"), Status: board.InProgress},
		{ID: "book-xinfang", Title: "Xinfang signs the book", Unit: "xinfang", Owner: "Wang Fang",
			Made: day("2019-01-11"), Due: day("2019-03-31"), Status: board.Done, Parent: "book"},
		{ID: "late", Title: "A late promise", Unit: "school", Owner: "Head", Made: day("2018-01-01"),
			Due: day("2018-06-30"), Status: board.Planned, Progress: ip(0)},
		{ID: "future", Title: "SECRET-SCHEDULED-COMMITMENT", Unit: "school", Owner: "Head",
			Made: day("2030-01-01"), Due: day("2030-06-30"), Status: board.Planned},
	}
	b.Notices = []*board.Notice{
		{
			ID: "open", Title: "Notice on probationary members", Issuer: "Township Party Committee",
			Purpose: board.Membership, Stage: "probationary member", Published: day("2019-11-11"),
			Opens: day("2019-11-11"), Closes: day("2019-11-19"), Body: "Object **now**.",
			Objections: &board.Contacts{Phone: "0313-1111111"},
			Posted:     &board.Posting{Date: day("2019-11-11"), Where: "Gate", Photo: "files/open.jpg"},
			Outcome:    &board.Outcome{Date: day("2019-11-25"), Objections: ip(0), Summary: "No objections (not yet published)."},
			Candidates: []board.Candidate{
				{Name: "Han Xue", Unit: "xinfang", Gender: "female", Born: board.Born{Year: 1997, Month: 3},
					Education: "college", Applied: day("2017-04-12"), ActivistSince: day("2017-10-20"), Note: "E-commerce"},
				{Name: "白永军", Unit: "nantai", Born: board.Born{Year: 1995}, Role: "member"},
			},
		},
		{
			ID: "coming", Title: "Notice on an appointment", Issuer: "Township Party Committee",
			Purpose: board.Appointment, Published: day("2019-11-14"), Opens: day("2019-11-18"), Closes: day("2019-11-22"),
			Candidates: []board.Candidate{{Name: "Tian Haibo", Unit: "school", Role: "secretary"}},
		},
		{
			ID: "old", Title: "Notice on development targets", Issuer: "Township Party Committee",
			Purpose: board.Award, Stage: "SECRET-STAGE", Published: day("2019-06-03"),
			Opens: day("2019-06-03"), Closes: day("2019-06-07"), Body: "SECRET-BODY about Redacted Person One",
			Posted:  &board.Posting{Date: day("2019-06-03"), Where: "Village gate", Photo: "files/secret-photo.jpg"},
			Outcome: &board.Outcome{Date: day("2019-06-10"), Objections: ip(1), Summary: "SECRET-SUMMARY: one objection about Redacted Person One"},
			Candidates: []board.Candidate{
				{Name: "Redacted Person One", Unit: "xinfang", Gender: "male", Born: board.Born{Year: 1990},
					Education: "SECRET-EDUCATION", Applied: day("2016-01-01"), Role: "SECRET-ROLE", Note: "SECRET-NOTE"},
				{Name: "隐私候选人", Unit: "nantai"},
			},
		},
		{
			ID: "future", Title: "SECRET-SCHEDULED-NOTICE", Issuer: "Township Party Committee",
			Purpose: board.Other, Published: day("2030-01-01"), Opens: day("2030-01-07"), Closes: day("2030-01-11"),
			Candidates: []board.Candidate{{Name: "SECRET-FUTURE-CANDIDATE", Unit: "school"}},
		},
	}
	b.Ratings = []*board.Rating{
		{
			ID: "posts-2018", Title: "2018 posts", Unit: "xinfang", Period: "2018", Rated: day("2018-12-20"), MaxStars: 5,
			Entries: []board.Entry{
				{Name: "Wang Changyu", Post: "Sheep association", Stars: ip(4)},
				{Name: "Zhao Dexiang", Post: "Council", Stars: ip(5)},
			},
		},
		{
			ID: "posts-2019", Title: "2019 posts", Unit: "xinfang", Period: "2019", Rated: day("2019-10-16"), MaxStars: 5,
			Criteria: []string{"Duty", "Participation", "Example"}, Previous: "posts-2018", Body: "Rated at the branch meeting.",
			Entries: []board.Entry{
				{Name: "Wang Changyu", Post: "Sheep association", Duty: "Trains 30 households", Scores: []int{5, 5, 5}, Note: "Good"},
				{Name: "Zhao Dexiang", Post: "Council", Scores: []int{4, 4, 5}},
				{Name: "李新", Post: "Forest patrol", Scores: []int{3, 3, 3}},
			},
		},
		{
			ID: "future-rating", Title: "SECRET-SCHEDULED-RATING", Unit: "school", Period: "2030", Rated: day("2030-12-20"), MaxStars: 5,
			Entries: []board.Entry{{Name: "SECRET-FUTURE-ENTRY", Post: "x", Stars: ip(3)}},
		},
	}
	return b
}

func files(t testing.TB, s *board.Snapshot) map[string][]byte {
	t.Helper()
	fs, err := New(s, generated).Files()
	if err != nil {
		t.Fatal(err)
	}
	m := map[string][]byte{}
	for _, f := range fs {
		if _, dup := m[f.Path]; dup {
			t.Fatalf("duplicate file %s", f.Path)
		}
		m[f.Path] = f.Data
	}
	return m
}

var (
	exampleOnce  *board.Board
	sampleBoards = map[int]*board.Board{}
)

// exampleBoard loads the repository's example board.
func exampleBoard(t testing.TB) *board.Board {
	t.Helper()
	if exampleOnce == nil {
		b, ds, err := load.Load(os.DirFS("../.."))
		if err != nil || ds.Errors() > 0 {
			t.Fatalf("example board: %v %v", err, ds)
		}
		exampleOnce = b
	}
	return exampleOnce
}

// sampleAnchor is the anchor date of the synthetic boards.
var sampleAnchor = time.Date(2026, 6, 15, 0, 0, 0, 0, time.UTC)

func sampleBoard(t testing.TB, n int) *board.Board {
	t.Helper()
	if b := sampleBoards[n]; b != nil {
		return b
	}
	dir := t.TempDir()
	if err := sample.Write(dir, n, sampleAnchor); err != nil {
		t.Fatal(err)
	}
	b, ds, err := load.Load(os.DirFS(dir))
	if err != nil || ds.Errors() > 0 {
		t.Fatalf("sample board: %v %v", err, ds)
	}
	sampleBoards[n] = b
	return b
}

// snapshots are the boards and days every format test runs on.
func snapshots(t *testing.T) []struct {
	name string
	s    *board.Snapshot
} {
	sampleDay := board.DateOf(sampleAnchor)
	return []struct {
		name string
		s    *board.Snapshot
	}{
		{"test/2019-06-05 open", testBoard().At(day("2019-06-05"))},
		{"test/2019-11-15", testBoard().At(day("2019-11-15"))},
		{"test/2019-12-25 redacted", testBoard().At(day("2019-12-25"))},
		{"test/2031-01-01 all published", testBoard().At(day("2031-01-01"))},
		{"test/2000-01-01 empty", testBoard().At(day("2000-01-01"))},
		{"example/2019-11-15", exampleBoard(t).At(day("2019-11-15"))},
		{"example/2020-06-01", exampleBoard(t).At(day("2020-06-01"))},
		{"sample-600", sampleBoard(t, 600).At(sampleDay)},
	}
}

func compileSchema(t *testing.T, name string, data []byte) *jsonschema.Schema {
	t.Helper()
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(data))
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	c := jsonschema.NewCompiler()
	c.AssertFormat()
	url := "https://board.example.org/data/" + name + ".schema.json"
	if err := c.AddResource(url, doc); err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	sch, err := c.Compile(url)
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	return sch
}

func validate(sch *jsonschema.Schema, data []byte) error {
	inst, err := jsonschema.UnmarshalJSON(bytes.NewReader(data))
	if err != nil {
		return err
	}
	return sch.Validate(inst)
}

func TestFilesList(t *testing.T) {
	s := testBoard().At(day("2019-11-15"))
	fs, err := New(s, generated).Files()
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, f := range fs {
		got = append(got, f.Path)
	}
	want := []string{
		"data/commitments.csv", "data/commitments.json", "data/commitments.schema.json",
		"data/notices.csv", "data/notices.json", "data/notices.schema.json",
		"data/ratings.csv", "data/ratings.json", "data/ratings.schema.json",
		"data/schedule.json", "data/schedule.schema.json",
		"data/units.json", "data/units.schema.json",
		"feed.xml", "units/nantai/feed.xml", "units/school/feed.xml", "units/xinfang/feed.xml",
	}
	if !slices.Equal(got, want) {
		t.Errorf("files:\n got %q\nwant %q", got, want)
	}
}

func TestJSONValidatesAgainstSchemas(t *testing.T) {
	for _, tc := range snapshots(t) {
		t.Run(tc.name, func(t *testing.T) {
			m := files(t, tc.s)
			for _, name := range schemaNames {
				sch := compileSchema(t, name, m["data/"+name+".schema.json"])
				data := m["data/"+name+".json"]
				if err := validate(sch, data); err != nil {
					t.Errorf("data/%s.json: %v", name, err)
				}
				if !bytes.Equal(Schema(name), m["data/"+name+".schema.json"]) {
					t.Errorf("Schema(%q) differs from the published file", name)
				}
			}
		})
	}
}

// TestSchemasAreStrict shows that the schemas reject a stray field, such as
// anything private, and a redacted notice that kept its candidates.
func TestSchemasAreStrict(t *testing.T) {
	m := files(t, testBoard().At(day("2019-11-15")))
	tests := []struct {
		name, file, old, new string
	}{
		{"private phone in a candidate", "notices", `"name":"Han Xue"`, `"name":"Han Xue","phone":"000-0000-0001"`},
		{"private table in a candidate", "notices", `"name":"Han Xue"`, `"name":"Han Xue","private":{"id_number":"X"}`},
		{"id_number on a notice", "notices", `"id":"open"`, `"id":"open","id_number":"X"`},
		{"redacted notice with candidates", "notices", `"candidate_count":2,"closes":"2019-06-07"`, `"candidate_count":2,"candidates":[{"name":"X","unit":"xinfang"}],"closes":"2019-06-07"`},
		{"empty optional value", "commitments", `"category":"water"`, `"category":""`},
		{"null optional value", "commitments", `"category":"water"`, `"category":null`},
		{"stray state field", "commitments", `"overdue":false`, `"overdue":false,"rank":1`},
		{"stray entry field", "ratings", `"name":"Zhao Dexiang"`, `"name":"Zhao Dexiang","phone":"1"`},
		{"stray unit field", "units", `"id":"nantai"`, `"id":"nantai","address":"x"`},
		{"scheduled record named", "schedule", `"what":"published"`, `"what":"published","title":"x"`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			sch := compileSchema(t, tc.file, m["data/"+tc.file+".schema.json"])
			data := m["data/"+tc.file+".json"]
			if err := validate(sch, data); err != nil {
				t.Fatalf("unchanged file does not validate: %v", err)
			}
			bad := bytes.Replace(data, []byte(tc.old), []byte(tc.new), 1)
			if bytes.Equal(bad, data) {
				t.Fatalf("%s not found in data/%s.json", tc.old, tc.file)
			}
			if err := validate(sch, bad); err == nil {
				t.Errorf("schema accepts %s", tc.new)
			}
		})
	}
}

// dataRecords decodes the records of data/<kind>.json as generic maps.
func dataRecords(t *testing.T, data []byte, kind string) []map[string]any {
	t.Helper()
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	var doc map[string]any
	if err := dec.Decode(&doc); err != nil {
		t.Fatal(err)
	}
	var out []map[string]any
	for _, r := range doc[kind].([]any) {
		out = append(out, r.(map[string]any))
	}
	return out
}

// canonicalOf encodes v as the docs say: keys sorted, no HTML escaping,
// no insignificant space.
func canonicalOf(t *testing.T, v any) []byte {
	t.Helper()
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		t.Fatal(err)
	}
	return bytes.TrimSuffix(buf.Bytes(), []byte("\n"))
}

// TestCanonicalIsSorted checks that the struct encoding of every published
// object equals the encoding of the same object as sorted maps, and that a
// record's code can be recomputed from the data file as docs/open-data.md
// says: drop url, code, sha256 and state, encode canonically, SHA-256.
func TestCanonicalIsSorted(t *testing.T) {
	for _, tc := range snapshots(t) {
		t.Run(tc.name, func(t *testing.T) {
			d := New(tc.s, generated)
			fs, err := d.Files()
			if err != nil {
				t.Fatal(err)
			}
			n := 0
			for _, f := range fs {
				kind, ok := strings.CutSuffix(strings.TrimPrefix(f.Path, "data/"), ".json")
				if !ok || kindIndex(kind) < 0 {
					continue
				}
				for _, r := range dataRecords(t, f.Data, kind) {
					id := r["id"].(string)
					canon := d.Canonical(kind, id)
					var asMap any
					dec := json.NewDecoder(bytes.NewReader(canon))
					dec.UseNumber()
					if err := dec.Decode(&asMap); err != nil {
						t.Fatal(err)
					}
					if sorted := canonicalOf(t, asMap); !bytes.Equal(sorted, canon) {
						t.Fatalf("%s/%s: canonical JSON is not sorted:\n got %s\nwant %s", kind, id, canon, sorted)
					}
					code, sum := r["code"].(string), r["sha256"].(string)
					for _, k := range []string{"url", "code", "sha256", "state"} {
						delete(r, k)
					}
					h := sha256.Sum256(canonicalOf(t, r))
					if hex.EncodeToString(h[:]) != sum || sum[:8] != code {
						t.Errorf("%s/%s: recomputed %x, file says %s / %s", kind, id, h, sum, code)
					}
					if d.Code(kind, id) != code || d.Hash(kind, id) != sum {
						t.Errorf("%s/%s: Code/Hash differ from the file", kind, id)
					}
					n++
				}
			}
			if want := len(tc.s.Commitments) + len(tc.s.Notices) + len(tc.s.Ratings); n != want {
				t.Errorf("checked %d records, want %d", n, want)
			}
		})
	}
}

// TestPublishedFieldsDeclaredSorted checks every published struct, even
// fields that no test record fills: declaration order is key order.
func TestPublishedFieldsDeclaredSorted(t *testing.T) {
	seen := map[reflect.Type]bool{}
	var check func(reflect.Type)
	check = func(rt reflect.Type) {
		for rt.Kind() == reflect.Pointer || rt.Kind() == reflect.Slice {
			rt = rt.Elem()
		}
		if rt.Kind() != reflect.Struct || seen[rt] || rt.PkgPath() != reflect.TypeFor[pubNotice]().PkgPath() {
			return
		}
		seen[rt] = true
		var keys []string
		for i := range rt.NumField() {
			name, _, _ := strings.Cut(rt.Field(i).Tag.Get("json"), ",")
			keys = append(keys, name)
			check(rt.Field(i).Type)
		}
		if !slices.IsSorted(keys) {
			t.Errorf("%s keys are not declared in sorted order: %q", rt.Name(), keys)
		}
	}
	for _, v := range []any{pubCommitment{}, pubNotice{}, pubRating{}} {
		check(reflect.TypeOf(v))
	}
	if len(seen) != 9 {
		t.Errorf("checked %d published types, want 9", len(seen))
	}
}

func codes(b *board.Board, at string) map[string]string {
	s := b.At(day(at))
	d := New(s, generated)
	m := map[string]string{}
	for _, c := range s.Commitments {
		m["commitments/"+c.ID] = d.Code(Commitments, c.ID)
	}
	for _, n := range s.Notices {
		m["notices/"+n.ID] = d.Code(Notices, n.ID)
	}
	for _, r := range s.Ratings {
		m["ratings/"+r.ID] = d.Code(Ratings, r.ID)
	}
	return m
}

func TestCodeChangesWithPublishedContent(t *testing.T) {
	tests := []struct {
		name    string
		records []string
		edit    func(b *board.Board)
	}{
		{"commitment title", []string{"commitments/wells"}, func(b *board.Board) { b.Commitments[0].Title += "!" }},
		{"an update's note", []string{"commitments/wells"}, func(b *board.Board) { b.Commitments[0].Updates[1].Note = "Drilled." }},
		{"an update's evidence", []string{"commitments/wells"}, func(b *board.Board) { b.Commitments[0].Updates[1].Evidence = nil }},
		{"commitment status", []string{"commitments/book"}, func(b *board.Board) { b.Commitments[1].Status = board.Stalled }},
		{"commitment progress 0 vs none", []string{"commitments/late"}, func(b *board.Board) { b.Commitments[3].Progress = nil }},
		{"a candidate's name", []string{"notices/open"}, func(b *board.Board) { b.Notices[0].Candidates[1].Name = "白永君" }},
		{"a candidate's birth month", []string{"notices/open"}, func(b *board.Board) { b.Notices[0].Candidates[1].Born.Month = 4 }},
		{"the notice's own contacts", []string{"notices/open"}, func(b *board.Board) { b.Notices[0].Objections.Phone = "1" }},
		{"the board's contacts, inherited", []string{"notices/coming", "notices/open", "notices/old"}, func(b *board.Board) { b.Config.Objections.Email = "x@example.org" }},
		{"a rating score", []string{"ratings/posts-2019"}, func(b *board.Board) { b.Ratings[1].Entries[2].Scores[0] = 4 }},
		{"a rating's previous board", []string{"ratings/posts-2019"}, func(b *board.Board) { b.Ratings[1].Previous = "" }},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			before := codes(testBoard(), "2019-11-15")
			b := testBoard()
			tc.edit(b)
			after := codes(b, "2019-11-15")
			for rec, code := range before {
				switch {
				case slices.Contains(tc.records, rec) && after[rec] == code:
					t.Errorf("%s: code %s did not change", rec, code)
				case !slices.Contains(tc.records, rec) && after[rec] != code:
					t.Errorf("%s: code changed from %s to %s, but only %v changed", rec, code, after[rec], tc.records)
				}
			}
		})
	}
}

func TestCodeStaysWhenOnlyTheDateChanges(t *testing.T) {
	tests := []struct {
		name    string
		a, b    string
		changed []string // records whose published content does change between the days
	}{
		{"a day later", "2019-11-15", "2019-11-16", nil},
		{"a weekend later", "2019-11-15", "2019-11-18", nil},
		{"notice opens and closes", "2019-11-15", "2019-11-24", nil},
		{"commitments become overdue and quiet", "2019-11-15", "2019-12-05", []string{"notices/open"}},
		// The outcome (dated 2019-11-25) becomes visible, then the notice is
		// redacted: both are changes of the published content.
		{"outcome published", "2019-11-24", "2019-11-25", []string{"notices/open"}},
		{"notice redacted", "2019-12-19", "2019-12-20", []string{"notices/open"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			a, b := codes(testBoard(), tc.a), codes(testBoard(), tc.b)
			if len(a) != len(b) {
				t.Fatalf("%d records on %s, %d on %s", len(a), tc.a, len(b), tc.b)
			}
			for rec, code := range a {
				if slices.Contains(tc.changed, rec) {
					if b[rec] == code {
						t.Errorf("%s: code %s did not change", rec, code)
					}
				} else if b[rec] != code {
					t.Errorf("%s: code changed from %s to %s with the date alone", rec, code, b[rec])
				}
			}
		})
	}
}

// TestCodeIgnoresPrivate loads two boards, through the real loader, that
// differ only in a candidate's [candidates.private] table (and in a key
// written empty): every code and every output file is the same.
func TestCodeIgnoresPrivate(t *testing.T) {
	notice := func(private, extra string) fstest.MapFS {
		return fstest.MapFS{
			"board.toml": {Data: []byte(`title = "T"
base_url = "https://board.example.org/"
[[units]]
id = "xinfang"
name = "Xinfang"
[objections]
phone = "1"
`)},
			"content/notices/n.toml": {Data: []byte(`title = "N"
issuer = "I"
purpose = "membership"
published = 2019-09-02
opens = 2019-09-02
closes = 2019-09-06
` + extra + `
[[candidates]]
name = "Zhang San"
unit = "xinfang"
[candidates.private]
` + private + "\n")},
		}
	}
	var outs []map[string][]byte
	var cs []string
	for _, fsys := range []fstest.MapFS{
		notice(`id_number = "FAKE-1"`, ""),
		notice(`id_number = "FAKE-2"`+"\n"+`phone = "000-0000-0002"`, `stage = ""`),
	} {
		b, ds, err := load.Load(fsys)
		if err != nil || ds.Errors() > 0 {
			t.Fatalf("%v %v", err, ds)
		}
		s := b.At(day("2019-09-03"))
		cs = append(cs, New(s, generated).Code(Notices, "n"))
		outs = append(outs, files(t, s))
	}
	if cs[0] == "" || cs[0] != cs[1] {
		t.Errorf("codes %q", cs)
	}
	if !reflect.DeepEqual(outs[0], outs[1]) {
		t.Error("outputs differ")
	}
	for path, data := range outs[1] {
		if bytes.Contains(data, []byte("FAKE-")) || bytes.Contains(data, []byte("000-0000")) {
			t.Errorf("%s contains private data", path)
		}
	}
}

// TestEmptyOptionalValuesChangeNoCode: an empty list is the same as none.
func TestEmptyOptionalValuesChangeNoCode(t *testing.T) {
	before := codes(testBoard(), "2019-11-15")
	b := testBoard()
	b.Commitments[0].Updates[0].Evidence = []string{}
	b.Ratings[0].Criteria = []string{}
	after := codes(b, "2019-11-15")
	if !reflect.DeepEqual(before, after) {
		t.Errorf("codes changed:\n%v\n%v", before, after)
	}
}

// TestPrivateCannotBeExpressed: the published candidate has exactly the
// public keys, and neither it nor board.Candidate has a field that could
// hold private data.
func TestPrivateCannotBeExpressed(t *testing.T) {
	want := []string{"activist_since", "applied", "born", "education", "gender", "name", "note", "role", "unit"}
	var got []string
	pt := reflect.TypeFor[pubCandidate]()
	for i := range pt.NumField() {
		name, _, _ := strings.Cut(pt.Field(i).Tag.Get("json"), ",")
		got = append(got, name)
	}
	if !slices.Equal(got, want) {
		t.Errorf("published candidate keys = %q, want %q", got, want)
	}
	ct := reflect.TypeFor[board.Candidate]()
	if ct.NumField() != len(want) {
		t.Errorf("board.Candidate has %d fields, the published candidate %d: publish or refuse the new one", ct.NumField(), len(want))
	}
	for i := range ct.NumField() {
		tag := ct.Field(i).Tag.Get("toml")
		if tag == "private" || slices.Contains(board.PersonalKeys, tag) || !slices.Contains(want, tag) {
			t.Errorf("board.Candidate field %s (toml %q) is not a published key", ct.Field(i).Name, tag)
		}
	}
	for _, name := range schemaNames {
		for _, k := range append([]string{"private"}, board.PersonalKeys...) {
			if k == "email" || k == "address" || k == "phone" {
				continue // objection contacts of the board, not of a person
			}
			if bytes.Contains(Schema(name), []byte(`"`+k+`"`)) {
				t.Errorf("schema %s names %q", name, k)
			}
		}
	}
}

// TestNoPrivateOrRedactedData searches every output file for the private
// values of the example board and for the redacted notice's candidates.
func TestNoPrivateOrRedactedData(t *testing.T) {
	private := []string{"FAKE-ID-", "000-0000-"}
	scheduled := []string{"SECRET-SCHEDULED", "SECRET-FUTURE"}
	tests := []struct {
		name    string
		s       *board.Snapshot
		secrets []string
	}{
		{"test board, old notice redacted", testBoard().At(day("2019-11-15")), append(slices.Clone(redactedSecrets), scheduled...)},
		{"test board, all redacted", testBoard().At(day("2020-01-30")), append(slices.Clone(redactedSecrets), "Han Xue", "白永军", "Tian Haibo", "SECRET-SCHEDULED-NOTICE")},
		{"example board, open notices", exampleBoard(t).At(day("2019-11-15")), private},
		{"example board, all redacted", exampleBoard(t).At(day("2020-06-01")), append(slices.Clone(private), exampleCandidates(t)...)},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			for path, data := range files(t, tc.s) {
				for _, secret := range tc.secrets {
					if bytes.Contains(data, []byte(secret)) || bytes.Contains(data, []byte(xmlEscape(secret))) {
						t.Errorf("%s contains %q", path, secret)
					}
				}
			}
		})
	}
}

func xmlEscape(s string) string {
	var b strings.Builder
	xml.EscapeText(&b, []byte(s))
	return b.String()
}

// exampleCandidates returns the names of the example board's candidates
// that appear in no other record (a commitment update may name a person
// in public).
func exampleCandidates(t *testing.T) []string {
	b := exampleBoard(t)
	others, err := json.Marshal([]any{b.Commitments, b.Ratings})
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, n := range b.Notices {
		for _, c := range n.Candidates {
			if !bytes.Contains(others, []byte(c.Name)) {
				names = append(names, c.Name)
			}
		}
	}
	if len(names) < 5 {
		t.Fatalf("only %d example candidates to look for", len(names))
	}
	return names
}

func TestDeterministic(t *testing.T) {
	for _, tc := range snapshots(t) {
		t.Run(tc.name, func(t *testing.T) {
			d := New(tc.s, generated)
			a, err := d.Files()
			if err != nil {
				t.Fatal(err)
			}
			b, err := d.Files()
			if err != nil {
				t.Fatal(err)
			}
			c, err := New(tc.s, generated).Files()
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(a, b) || !reflect.DeepEqual(a, c) {
				t.Error("Files() differs between calls")
			}
			// EachFile makes the same files, one at a time.
			var each []File
			if err := d.EachFile(func(f File) error { each = append(each, f); return nil }); err != nil {
				t.Fatal(err)
			}
			slices.SortFunc(each, func(x, y File) int { return strings.Compare(x.Path, y.Path) })
			if !reflect.DeepEqual(a, each) {
				t.Errorf("EachFile gave %d files, Files %d, or other bytes", len(each), len(a))
			}
			// The makers, all at once, make the same files, at the paths
			// Paths names.
			var (
				mu    sync.Mutex
				wg    sync.WaitGroup
				made  []File
				paths []string
			)
			for _, m := range d.Makers() {
				wg.Go(func() {
					if err := m(func(f File) error {
						mu.Lock()
						made = append(made, f)
						mu.Unlock()
						return nil
					}); err != nil {
						t.Error(err)
					}
				})
			}
			wg.Wait()
			slices.SortFunc(made, func(x, y File) int { return strings.Compare(x.Path, y.Path) })
			if !reflect.DeepEqual(a, made) {
				t.Errorf("the makers gave %d files, Files %d, or other bytes", len(made), len(a))
			}
			for _, f := range a {
				paths = append(paths, f.Path)
			}
			if got := slices.Sorted(slices.Values(d.Paths())); !slices.Equal(got, paths) {
				t.Errorf("Paths() = %q, want %q", got, paths)
			}
			// Without the canonical JSON kept, the files are the same.
			dropped := New(tc.s, generated)
			dropped.DropCanonical()
			df, err := dropped.Files()
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(a, df) {
				t.Error("Files() differs after DropCanonical")
			}
			for _, c := range tc.s.Commitments {
				if !bytes.Equal(d.Canonical(Commitments, c.ID), dropped.Canonical(Commitments, c.ID)) {
					t.Errorf("Canonical(%s) differs after DropCanonical", c.ID)
				}
			}
			stop := errors.New("stop")
			n := 0
			if err := d.EachFile(func(File) error { n++; return stop }); err != stop || n != 1 {
				t.Errorf("EachFile after an error from yield: %v, %d calls", err, n)
			}
		})
	}
}

func readCSV(t *testing.T, path string, data []byte) [][]string {
	t.Helper()
	rest, ok := bytes.CutPrefix(data, []byte(bom))
	if !ok {
		t.Fatalf("%s does not start with the UTF-8 byte-order mark", path)
	}
	for i, c := range rest {
		if c == '\n' && (i == 0 || rest[i-1] != '\r') {
			t.Fatalf("%s: bare LF at byte %d", path, i)
		}
	}
	if !bytes.HasSuffix(rest, []byte("\r\n")) {
		t.Fatalf("%s does not end with CRLF", path)
	}
	r := csv.NewReader(bytes.NewReader(rest))
	rows, err := r.ReadAll() // also checks that every row has the header's width
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	return rows
}

func TestCSV(t *testing.T) {
	for _, tc := range snapshots(t) {
		t.Run(tc.name, func(t *testing.T) {
			s := tc.s
			m := files(t, s)
			d := New(s, generated)
			wantNotices, wantEntries := 0, 0
			for _, n := range s.Notices {
				if n.Redacted() {
					wantNotices++
				} else {
					wantNotices += len(n.Candidates)
				}
			}
			for _, r := range s.Ratings {
				wantEntries += len(r.Entries)
			}
			for _, f := range []struct {
				kind    string
				columns []string
				rows    int
			}{
				{Commitments, commitmentColumns, len(s.Commitments)},
				{Notices, noticeColumns, wantNotices},
				{Ratings, ratingColumns, wantEntries},
			} {
				path := "data/" + f.kind + ".csv"
				rows := readCSV(t, path, m[path])
				if !slices.Equal(rows[0], f.columns) {
					t.Errorf("%s header %q", path, rows[0])
				}
				if got := len(rows) - 1; got != f.rows {
					t.Errorf("%s has %d rows, want %d", path, got, f.rows)
				}
				// Every row carries its record's id, URL and current code.
				for _, row := range rows[1:] {
					if row[1] != URL(s.Config.BaseURL, f.kind, row[0]) || row[2] != d.Code(f.kind, row[0]) {
						t.Errorf("%s: row %q has the wrong url or code", path, row[:3])
					}
				}
			}
			// A redacted notice keeps exactly one row, with its count and no candidate.
			rows := readCSV(t, "data/notices.csv", m["data/notices.csv"])
			for _, n := range s.Notices {
				var mine [][]string
				for _, row := range rows[1:] {
					if row[0] == n.ID {
						mine = append(mine, row)
					}
				}
				if !n.Redacted() {
					continue
				}
				if len(mine) != 1 || mine[0][6] != "redacted" || mine[0][10] != fmt.Sprint(n.CandidateCount) || strings.Join(mine[0][11:], "") != "" {
					t.Errorf("redacted notice %s rows: %q", n.ID, mine)
				}
			}
		})
	}
}

func TestCSVContent(t *testing.T) {
	m := files(t, testBoard().At(day("2019-11-15")))
	rows := readCSV(t, "data/notices.csv", m["data/notices.csv"])
	want := []string{"open", "https://board.example.org/notices/open/", "", "Notice on probationary members",
		"Township Party Committee", "membership", "open", "2019-11-11", "2019-11-11", "2019-11-19", "2",
		"白永军", "nantai", "Nantai Village Branch", "", "1995", "", "", "", "member", ""}
	var got []string
	for _, r := range rows {
		if r[0] == "open" && r[11] == "白永军" {
			got = r
		}
	}
	if got == nil {
		t.Fatal("no row for 白永军")
	}
	got[2] = ""
	if !slices.Equal(got, want) {
		t.Errorf("notice row\n got %q\nwant %q", got, want)
	}
	rows = readCSV(t, "data/ratings.csv", m["data/ratings.csv"])
	var ranks []string
	for _, r := range rows[1:] {
		if r[0] == "posts-2019" {
			ranks = append(ranks, r[8]+" "+r[9]+" "+r[12]+" "+r[13]+" "+r[14])
		}
	}
	if want := []string{"1 Wang Changyu 5 5;5;5 +1", "2 Zhao Dexiang 4 4;4;5 -1", "3 李新 3 3;3;3 new"}; !slices.Equal(ranks, want) {
		t.Errorf("rating rows %q, want %q", ranks, want)
	}
	rows = readCSV(t, "data/commitments.csv", m["data/commitments.csv"])
	for _, r := range rows[1:] {
		if r[0] == "wells" {
			if want := []string{"Drill two wells <safe> & clean", "nantai", "Nantai Village Branch"}; !slices.Equal(r[3:6], want) {
				t.Errorf("wells row %q", r)
			}
			if r[10] != "50" || r[11] != "false" || r[16] != "2019-06-30" {
				t.Errorf("wells progress/overdue/last_update %q", r)
			}
		}
		if r[0] == "late" && (r[10] != "0" || r[11] != "true") {
			t.Errorf("late row %q", r)
		}
	}
}

// Atom as read by the tests.
type testFeed struct {
	XMLName xml.Name `xml:"http://www.w3.org/2005/Atom feed"`
	Title   string   `xml:"title"`
	ID      string   `xml:"id"`
	Updated string   `xml:"updated"`
	Author  string   `xml:"author>name"`
	Links   []struct {
		Rel  string `xml:"rel,attr"`
		Href string `xml:"href,attr"`
	} `xml:"link"`
	Entries []struct {
		ID      string `xml:"id"`
		Title   string `xml:"title"`
		Updated string `xml:"updated"`
		Link    struct {
			Href string `xml:"href,attr"`
		} `xml:"link"`
		Content struct {
			Type string `xml:"type,attr"`
			Body string `xml:",chardata"`
		} `xml:"content"`
	} `xml:"entry"`
}

func parseFeed(t *testing.T, path string, data []byte) *testFeed {
	t.Helper()
	var f testFeed
	dec := xml.NewDecoder(bytes.NewReader(data))
	if err := dec.Decode(&f); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			break
		}
		if cd, ok := tok.(xml.CharData); err != nil || !ok || len(bytes.TrimSpace(cd)) > 0 {
			t.Fatalf("%s: trailing content %v: %v", path, tok, err)
		}
	}
	return &f
}

func feedIDs(f *testFeed) []string {
	var ids []string
	for _, e := range f.Entries {
		ids = append(ids, e.ID)
	}
	return ids
}

func TestFeeds(t *testing.T) {
	for _, tc := range snapshots(t) {
		t.Run(tc.name, func(t *testing.T) {
			s := tc.s
			base := s.Config.BaseURL
			for path, data := range files(t, s) {
				if !strings.HasSuffix(path, "feed.xml") {
					continue
				}
				f := parseFeed(t, path, data)
				if f.Title == "" || f.Author == "" || f.ID == "" {
					t.Errorf("%s: missing title, author or id", path)
				}
				rels := map[string]string{}
				for _, l := range f.Links {
					rels[l.Rel] = l.Href
				}
				if rels["self"] != base+path || !strings.HasPrefix(rels["alternate"], base) || !strings.HasSuffix(rels["alternate"], "/") {
					t.Errorf("%s: links %v", path, rels)
				}
				if _, err := time.Parse(time.RFC3339, f.Updated); err != nil {
					t.Errorf("%s: updated %q", path, f.Updated)
				}
				if len(f.Entries) > FeedLimit {
					t.Errorf("%s: %d entries", path, len(f.Entries))
				}
				seen := map[string]bool{}
				var last time.Time
				for i, e := range f.Entries {
					if seen[e.ID] {
						t.Errorf("%s: duplicate id %s", path, e.ID)
					}
					seen[e.ID] = true
					if !strings.HasPrefix(e.ID, "tag:board.example.org,") {
						t.Errorf("%s: id %s", path, e.ID)
					}
					u, err := time.Parse(time.RFC3339, e.Updated)
					if err != nil {
						t.Fatalf("%s: entry updated %q", path, e.Updated)
					}
					if i == 0 && e.Updated != f.Updated {
						t.Errorf("%s: feed updated %s, newest entry %s", path, f.Updated, e.Updated)
					}
					if i > 0 && u.After(last) {
						t.Errorf("%s: entry %s is newer than the one before", path, e.ID)
					}
					last = u
					if !strings.HasPrefix(e.Link.Href, base) || !strings.HasSuffix(e.Link.Href, "/") || e.Title == "" || e.Content.Type != "html" {
						t.Errorf("%s: entry %+v", path, e)
					}
				}
			}
		})
	}
}

func TestFeedContent(t *testing.T) {
	m := files(t, testBoard().At(day("2019-11-15")))
	f := parseFeed(t, "feed.xml", m["feed.xml"])
	want := []string{
		"tag:board.example.org,2019:notices/coming",
		"tag:board.example.org,2019:notices/open",
		"tag:board.example.org,2019:ratings/posts-2019",
		"tag:board.example.org,2019:notices/old", // dated by its redaction, so readers replace it
		"tag:board.example.org,2019:commitments/wells/updates/2019-06-30-2",
		"tag:board.example.org,2019:commitments/wells/updates/2019-06-30",
		"tag:board.example.org,2019:commitments/wells/updates/2019-03-01",
		"tag:board.example.org,2019:commitments/wells",
		"tag:board.example.org,2019:commitments/book-xinfang",
		"tag:board.example.org,2019:commitments/book",
		"tag:board.example.org,2018:ratings/posts-2018",
		"tag:board.example.org,2018:commitments/late",
	}
	if got := feedIDs(f); !slices.Equal(got, want) {
		t.Errorf("feed ids\n got %q\nwant %q", got, want)
	}
	if f.Updated != "2019-11-14T00:00:00+08:00" {
		t.Errorf("feed updated %s", f.Updated)
	}
	byID := map[string]string{}
	for _, e := range f.Entries {
		byID[e.ID] = e.Content.Body
	}
	if c := byID["tag:board.example.org,2019:notices/old"]; !strings.Contains(c, "2 candidates were removed") || !strings.Contains(c, "2019-06-03 – 2019-06-07") {
		t.Errorf("redacted notice entry: %s", c)
	}
	if c := byID["tag:board.example.org,2019:notices/open"]; !strings.Contains(c, "<li>白永军 (Nantai Village Branch, member)</li>") || !strings.Contains(c, "7 working days") {
		t.Errorf("open notice entry: %s", c)
	}
	if c := byID["tag:board.example.org,2019:commitments/wells/updates/2019-06-30"]; !strings.Contains(c, `<a href="https://board.example.org/files/minutes.pdf">`) || !strings.Contains(c, "50% done") {
		t.Errorf("update entry: %s", c)
	}

	// Unit feeds: a notice belongs to the units of its candidates.
	units := map[string][]string{
		"nantai":  {"notices/open", "notices/old", "commitments/wells/updates/2019-06-30-2", "commitments/wells/updates/2019-06-30", "commitments/wells/updates/2019-03-01", "commitments/wells"},
		"school":  {"notices/coming", "commitments/late"},
		"xinfang": {"notices/open", "ratings/posts-2019", "notices/old", "commitments/book-xinfang", "commitments/book", "ratings/posts-2018"},
	}
	for u, want := range units {
		f := parseFeed(t, u, m["units/"+u+"/feed.xml"])
		var got []string
		for _, id := range feedIDs(f) {
			_, rest, _ := strings.Cut(id, ":")
			_, rest, _ = strings.Cut(rest, ":")
			got = append(got, rest)
		}
		if !slices.Equal(got, want) {
			t.Errorf("units/%s/feed.xml\n got %q\nwant %q", u, got, want)
		}
	}

	// Chinese boards get Chinese texts.
	b := testBoard()
	b.Config.Language = "zh-CN"
	m = files(t, b.At(day("2019-11-15")))
	if !strings.Contains(string(m["feed.xml"]), "公示期") || !strings.Contains(string(m["feed.xml"]), `xml:lang="zh-CN"`) {
		t.Error("zh-CN feed has no Chinese labels")
	}
}

func TestFeedIDsStable(t *testing.T) {
	t.Run("test board", func(t *testing.T) {
		a := files(t, testBoard().At(day("2019-11-15")))
		b := files(t, testBoard().At(day("2019-11-16")))
		for path := range a {
			if strings.HasSuffix(path, "feed.xml") {
				if x, y := feedIDs(parseFeed(t, path, a[path])), feedIDs(parseFeed(t, path, b[path])); !slices.Equal(x, y) {
					t.Errorf("%s: ids differ a day later:\n%q\n%q", path, x, y)
				}
			}
		}
	})
	t.Run("sample board", func(t *testing.T) {
		sb := sampleBoard(t, 600)
		today := board.DateOf(sampleAnchor)
		a := files(t, sb.At(today))
		b := files(t, sb.At(today.AddDays(1)))
		for path := range a {
			if !strings.HasSuffix(path, "feed.xml") {
				continue
			}
			links := map[string]string{}
			for _, e := range parseFeed(t, path, a[path]).Entries {
				links[e.ID] = e.Link.Href + " " + e.Updated
			}
			fb := parseFeed(t, path, b[path])
			for _, e := range fb.Entries {
				if l, ok := links[e.ID]; ok && l != e.Link.Href+" "+e.Updated {
					t.Errorf("%s: id %s means %s, then %s %s", path, e.ID, l, e.Link.Href, e.Updated)
				}
			}
			if path == "feed.xml" && len(fb.Entries) != FeedLimit {
				t.Errorf("feed.xml of 600 records has %d entries", len(fb.Entries))
			}
		}
	})
}

func TestSchedule(t *testing.T) {
	m := files(t, testBoard().At(day("2019-11-15")))
	var doc struct {
		AsOf       string  `json:"as_of"`
		NextChange *string `json:"next_change"`
		Changes    []map[string]string
	}
	if err := json.Unmarshal(m["data/schedule.json"], &doc); err != nil {
		t.Fatal(err)
	}
	if doc.AsOf != "2019-11-15" || doc.NextChange == nil || *doc.NextChange != "2019-11-18" {
		t.Errorf("as_of %s, next_change %v", doc.AsOf, doc.NextChange)
	}
	var published, opens int
	for _, c := range doc.Changes {
		switch c["what"] {
		case "published":
			published++
			if len(c) != 3 {
				t.Errorf("scheduled record named: %v", c)
			}
		case "opens":
			opens++
			if c["id"] != "coming" || c["kind"] != Notices || c["url"] != "https://board.example.org/notices/coming/" || c["date"] != "2019-11-18" {
				t.Errorf("opens: %v", c)
			}
		}
	}
	if published != 3 || opens != 1 {
		t.Errorf("%d published, %d opens: %v", published, opens, doc.Changes)
	}

	m = files(t, testBoard().At(day("2040-01-01")))
	if !bytes.Contains(m["data/schedule.json"], []byte(`"next_change":null,"changes":[]}`)) {
		t.Errorf("nothing scheduled: %s", m["data/schedule.json"])
	}
}

func TestDataFiles(t *testing.T) {
	m := files(t, testBoard().At(day("2019-11-15")))
	var doc struct {
		Generated string
		AsOf      string `json:"as_of"`
		Board     map[string]string
		Notices   []struct {
			ID         string
			Candidates []any
			Count      int `json:"candidate_count"`
			Objections map[string]string
			Outcome    any
			State      map[string]any
		}
	}
	if err := json.Unmarshal(m["data/notices.json"], &doc); err != nil {
		t.Fatal(err)
	}
	if doc.Generated != "2019-11-15T01:02:03Z" || doc.AsOf != "2019-11-15" || doc.Board["base_url"] != "https://board.example.org/" {
		t.Errorf("header: %s %s %v", doc.Generated, doc.AsOf, doc.Board)
	}
	got := map[string]string{}
	for _, n := range doc.Notices {
		got[n.ID] = fmt.Sprintf("%v %d/%d %v", n.State["state"], len(n.Candidates), n.Count, n.Outcome != nil)
	}
	want := map[string]string{"open": "open 2/2 false", "coming": "upcoming 1/1 false", "old": "redacted 0/2 true"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("notices %v, want %v", got, want)
	}
	if o := doc.Notices[0].Objections; o["phone"] != "0313-1111111" || o["email"] != "jubao@example.org" {
		t.Errorf("merged objections %v", o)
	}
	if bytes.Contains(m["data/commitments.json"], []byte(`\u003c`)) || !bytes.Contains(m["data/commitments.json"], []byte(`<safe> & clean`)) {
		t.Error("JSON escapes HTML characters")
	}
	var units struct{ Units []map[string]any }
	if err := json.Unmarshal(m["data/units.json"], &units); err != nil {
		t.Fatal(err)
	}
	u := units.Units[0]
	if u["id"] != "xinfang" || u["url"] != "https://board.example.org/units/xinfang/" || u["notices"] != 2.0 || u["open_notices"] != 1.0 || u["ratings"] != 2.0 {
		t.Errorf("unit %v", u)
	}
	if c := u["commitments"].(map[string]any); c["total"] != 2.0 || c["by_status"].(map[string]any)["done"] != 1.0 {
		t.Errorf("unit commitments %v", c)
	}
}

func TestURL(t *testing.T) {
	tests := []struct{ base, kind, id, want string }{
		{"https://board.example.org/", "notices", "x", "https://board.example.org/notices/x/"},
		{"https://board.example.org", "commitment", "y", "https://board.example.org/commitments/y/"},
		{"https://example.org/sub/board/", "ratings", "z", "https://example.org/sub/board/ratings/z/"},
		{"https://board.example.org/", "units", "xinfang", "https://board.example.org/units/xinfang/"},
	}
	for _, tc := range tests {
		if got := URL(tc.base, tc.kind, tc.id); got != tc.want {
			t.Errorf("URL(%q, %q, %q) = %q, want %q", tc.base, tc.kind, tc.id, got, tc.want)
		}
	}
	d := New(testBoard().At(day("2019-11-15")), generated)
	if d.Code("notices", "open") == "" || d.Code("notice", "open") != d.Code("notices", "open") || len(d.Code("notices", "open")) != 8 || len(d.Hash("notices", "open")) != 64 {
		t.Error("Code/Hash of a known record")
	}
	for _, kind := range []string{"notices", "pages", ""} {
		if d.Code(kind, "future") != "" || d.Hash(kind, "nope") != "" || d.Canonical(kind, "nope") != nil {
			t.Errorf("Code of an unknown or scheduled %s record", kind)
		}
	}
	if a, b := CombinedCode([]string{"1501c47e", "0e83bbde"}), CombinedCode([]string{"0e83bbde", "1501c47e"}); len(a) != 8 || a == b {
		t.Errorf("CombinedCode %s %s", a, b)
	}
}

func TestSitemap(t *testing.T) {
	urls := []SitemapURL{
		{Path: "index.html", LastMod: day("2019-11-15")},
		{Path: "notices/x/index.html", LastMod: day("2019-11-11")},
		{Path: "how-to-object/index.html"},
		{Path: "commitments/index.html", LastMod: day("2019-11-14")},
	}
	data := Sitemap("https://example.org/board", urls)
	var set struct {
		XMLName xml.Name `xml:"http://www.sitemaps.org/schemas/sitemap/0.9 urlset"`
		URLs    []struct {
			Loc     string `xml:"loc"`
			LastMod string `xml:"lastmod"`
		} `xml:"url"`
	}
	if err := xml.Unmarshal(data, &set); err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, u := range set.URLs {
		got = append(got, u.Loc+" "+u.LastMod)
	}
	want := []string{
		"https://example.org/board/ 2019-11-15",
		"https://example.org/board/notices/x/ 2019-11-11",
		"https://example.org/board/how-to-object/ ",
		"https://example.org/board/commitments/ 2019-11-14",
	}
	if !slices.Equal(got, want) {
		t.Errorf("sitemap\n got %q\nwant %q", got, want)
	}
	if !bytes.HasPrefix(data, []byte(xml.Header)) {
		t.Error("no XML header")
	}
	if fs := SitemapFiles("https://example.org/", urls); len(fs) != 1 || fs[0].Path != "sitemap.xml" || !bytes.Equal(fs[0].Data, Sitemap("https://example.org/", urls)) {
		t.Error("SitemapFiles of a small site")
	}

	many := make([]SitemapURL, SitemapLimit+1)
	for i := range many {
		many[i] = SitemapURL{Path: fmt.Sprintf("commitments/c-%06d/index.html", i), LastMod: day("2019-01-01").AddDays(i % 700)}
	}
	fs := SitemapFiles("https://example.org/", many)
	if len(fs) != 3 || fs[0].Path != "sitemap.xml" || fs[1].Path != "sitemap-1.xml" || fs[2].Path != "sitemap-2.xml" {
		t.Fatalf("SitemapFiles of %d URLs: %d files", len(many), len(fs))
	}
	var idx struct {
		XMLName  xml.Name `xml:"http://www.sitemaps.org/schemas/sitemap/0.9 sitemapindex"`
		Sitemaps []struct {
			Loc string `xml:"loc"`
		} `xml:"sitemap"`
	}
	if err := xml.Unmarshal(fs[0].Data, &idx); err != nil || len(idx.Sitemaps) != 2 || idx.Sitemaps[1].Loc != "https://example.org/sitemap-2.xml" {
		t.Errorf("sitemap index: %v %+v", err, idx)
	}
	set.URLs = nil
	if err := xml.Unmarshal(fs[2].Data, &set); err != nil || len(set.URLs) != 1 {
		t.Errorf("second sitemap: %v %d", err, len(set.URLs))
	}
}

func TestBadTimezone(t *testing.T) {
	b := testBoard()
	b.Config.Timezone = "Mars/Olympus_Mons"
	if _, err := New(b.At(day("2019-11-15")), generated).Files(); err == nil || !strings.Contains(err.Error(), "Mars/Olympus_Mons") {
		t.Errorf("err = %v", err)
	}
}

func benchmarkFiles(b *testing.B, n int) {
	sb := sampleBoard(b, n)
	s := sb.At(board.DateOf(sampleAnchor))
	b.ResetTimer()
	var size int
	for b.Loop() {
		fs, err := New(s, generated).Files()
		if err != nil {
			b.Fatal(err)
		}
		size = 0
		for _, f := range fs {
			size += len(f.Data)
		}
	}
	b.ReportMetric(float64(size)/1e6, "MB/op")
}

// BenchmarkFiles encodes the open data of a 10,000-record sample board.
func BenchmarkFiles(b *testing.B) { benchmarkFiles(b, 10000) }

// BenchmarkFiles100k does the same for 100,000 records (slow to set up:
// run it with -bench Files100k).
func BenchmarkFiles100k(b *testing.B) {
	if testing.Short() {
		b.Skip("-short")
	}
	benchmarkFiles(b, 100000)
}
