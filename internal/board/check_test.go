package board

import (
	"slices"
	"strings"
	"testing"
)

// TestCycleThroughDuplicate: two commitment files with the same id (in
// two folders) where one of them is on a parent cycle and the other has an
// unknown parent. The cycle is named from the commitment on it; it used to
// be walked from the other one, into the unknown parent, and panic.
func TestCycleThroughDuplicate(t *testing.T) {
	b := testBoard()
	b.Commitments = []*Commitment{
		{ID: "x", File: "content/commitments/a/x.toml", Parent: "y"},
		{ID: "y", File: "content/commitments/y.toml", Parent: "x"},
		{ID: "x", File: "content/commitments/b/x.toml", Parent: "gone"},
	}
	var cycle []string
	for _, p := range b.Check() {
		if strings.Contains(p.Message, "cycle") {
			cycle = append(cycle, p.File+": "+p.Message)
		}
	}
	want := []string{`content/commitments/a/x.toml: parent "y" makes a cycle: x → y → x`}
	if strings.Join(cycle, "\n") != strings.Join(want, "\n") {
		t.Errorf("cycles reported:\n%s\nwant:\n%s", strings.Join(cycle, "\n"), strings.Join(want, "\n"))
	}
}

// TestListElementFields: the rules of the elements of a record's lists
// (updates, candidates, entries, their evidence and scores) name the
// element and its field exactly, and say nothing of the elements that
// break no rule.
func TestListElementFields(t *testing.T) {
	b := testBoard()
	ok, bad, five := 50, 150, 5
	day := NewDate(2019, 9, 2)
	b.Commitments = []*Commitment{{
		ID: "c", File: "c.toml", Title: "T", Unit: "a", Owner: "O", Made: day, Due: day.AddDays(9), Status: "planned",
		Updates: []Update{
			{Date: day, Note: "fine", Progress: &ok, Evidence: []string{"https://example.org/a"}},
			{Date: day.AddDays(1), Note: " \t\u3000", Progress: &bad, Evidence: []string{"https://example.org/b", "", "ftp://x"}},
			{Note: "undated"},
		},
	}}
	b.Notices = []*Notice{{
		ID: "n", File: "n.toml", Title: "N", Issuer: "I", Purpose: "membership", Published: day, Opens: day, Closes: day.AddDays(5),
		Candidates: []Candidate{{Name: "A", Unit: "a"}, {Name: "", Unit: "nowhere"}, {Name: "C"}},
	}}
	b.Ratings = []*Rating{
		{ID: "r", File: "r.toml", Title: "R", Unit: "a", Period: "P", Rated: day, MaxStars: 5,
			Entries: []Entry{{Name: "A", Post: "P", Stars: &five}, {Name: "B", Post: "\n"}, {Name: "A", Post: "P", Stars: &bad}}},
		{ID: "s", File: "s.toml", Title: "S", Unit: "a", Period: "P", Rated: day, MaxStars: 5, Criteria: []string{"x", "y"},
			Entries: []Entry{{Name: "A", Post: "P", Scores: []int{1, 2}}, {Name: "B", Post: "P", Scores: []int{1, 9}}, {Name: "C", Post: "P", Stars: &five}}},
	}
	var got []string
	for _, p := range b.Check() {
		if p.File != "board.toml" {
			got = append(got, p.File+" "+p.Field+": "+p.Message)
		}
	}
	want := []string{
		`c.toml updates[1].note: note is required`,
		`c.toml updates[1].progress: progress 150 is out of range (want 0 to 100)`,
		`c.toml updates[1].evidence[1]: empty evidence entry: give an http(s) address or a path under static/`,
		`c.toml updates[1].evidence[2]: evidence "ftp://x" must be an http(s) address or a path under static/`,
		`c.toml updates[2].date: date is required (a date like 2019-09-02)`,
		`n.toml candidates[1].name: name is required`,
		`n.toml candidates[1].unit: unknown unit "nowhere" (want one of the [[units]] ids in board.toml: a, b)`,
		`n.toml candidates[2].unit: unit is required (a unit id from board.toml)`,
		`r.toml entries[1]: stars is required (an integer 0 to 5)`,
		`r.toml entries[1].post: post is required`,
		`r.toml entries[2].name: "A" is rated twice on this board: [[entries]] entry 1 has the same name`,
		`r.toml entries[2].stars: stars 150 is out of range (want 0 to 5)`,
		`s.toml entries[1].scores[1]: score 9 for y is out of range (want 0 to 5)`,
		`s.toml entries[2].stars: with criteria, stars are computed from scores: remove stars`,
		`s.toml entries[2].scores: scores is required with criteria: one whole number 0 to 5 per criterion (x, y)`,
	}
	slices.Sort(got)
	slices.Sort(want)
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("got:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}
