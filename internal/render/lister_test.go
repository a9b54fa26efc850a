package render

import (
	"fmt"
	"math/rand/v2"
	"reflect"
	"slices"
	"testing"

	"github.com/glassboard/glassboard/internal/board"
)

// TestListerEqualsJobs lists boards edited at random, derived by a
// board.Deriver, with a Lister, and checks that its list is Jobs' after
// every edit, page for page, and that it keeps the pages of unchanged
// records.
func TestListerEqualsJobs(t *testing.T) {
	kept, keptLists := 0, 0
	for seed := range uint64(6) {
		r := rand.New(rand.NewPCG(seed, 11))
		day, err := board.ParseDate("2019-09-02")
		if err != nil {
			t.Fatal(err)
		}
		date := func() board.Date { return day.AddDays(r.IntN(60) - 30) }
		cfg := board.DefaultConfig()
		cfg.Units = []board.Unit{{ID: "a", Name: "A"}, {ID: "b", Name: "B"}}
		b := &board.Board{Config: cfg}
		statuses := append(slices.Clone(board.Statuses), "")
		// Enough records that lists take more than a page and units
		// get lists of their own.
		commitment := func() *board.Commitment {
			id := fmt.Sprintf("c%03d", r.IntN(400))
			return &board.Commitment{ID: id, File: id, Title: fmt.Sprint("T", r.IntN(3)), Unit: []string{"a", "b", "zz"}[r.IntN(3)],
				Made: date(), Due: date(), Status: statuses[r.IntN(len(statuses))], Parent: fmt.Sprintf("c%03d", r.IntN(200))}
		}
		notice := func() *board.Notice {
			id := fmt.Sprintf("n%03d", r.IntN(80))
			return &board.Notice{ID: id, File: id, Title: fmt.Sprint("N", r.IntN(3)), Published: date(), Opens: date(), Closes: date(),
				Candidates: []board.Candidate{{Name: "x", Unit: []string{"a", "b"}[r.IntN(2)]}}}
		}
		for range 350 {
			b.Commitments = replace(b.Commitments, commitment())
		}
		for range 60 {
			b.Notices = replace(b.Notices, notice())
		}
		var (
			d board.Deriver
			l Lister
		)
		var prev map[*Page]bool
		for step := range 60 {
			s := d.At(b, day)
			got, want := l.Jobs(s), Jobs(s)
			if len(got) != len(want) {
				t.Fatalf("seed %d step %d: %d pages, want %d", seed, step, len(got), len(want))
			}
			now := map[*Page]bool{}
			for i := range got {
				if got[i].Page.Site != nil {
					t.Fatalf("seed %d step %d: %s has a Site", seed, step, got[i].Page.Path)
				}
				if prev[got[i].Page] {
					kept++
					if got[i].Page.Kind == "commitments" {
						keptLists++
					}
				}
				now[got[i].Page] = true
				if g := got[i].On(s); g.Layout != want[i].Layout || !reflect.DeepEqual(*g.Page, *want[i].Page) {
					t.Fatalf("seed %d step %d: page %d differs:\n%+v\n%+v", seed, step, i, *g.Page, *want[i].Page)
				}
			}
			prev = now
			for range 1 + r.IntN(3) {
				switch k := r.IntN(12); {
				case k < 5:
					b.Commitments = replace(b.Commitments, commitment())
				case k < 7 && len(b.Commitments) > 0: // a title or status: the lists stay as long
					c := *b.Commitments[r.IntN(len(b.Commitments))]
					if r.IntN(2) == 0 {
						c.Title = fmt.Sprint("T", r.IntN(3))
					} else {
						c.Status = statuses[r.IntN(len(statuses))]
					}
					b.Commitments = replace(b.Commitments, &c)
				case k < 9:
					b.Notices = replace(b.Notices, notice())
				case k < 10 && len(b.Commitments) > 0:
					i := r.IntN(len(b.Commitments))
					b.Commitments = slices.Delete(slices.Clone(b.Commitments), i, i+1)
				case k < 11:
					day = day.AddDays(r.IntN(3) - 1)
				default:
					b.Config.Units = slices.Clone(b.Config.Units)
					b.Config.Units[r.IntN(2)].Name = fmt.Sprint("U", r.IntN(3))
				}
			}
		}
	}
	if kept == 0 || keptLists == 0 {
		t.Errorf("the Lister kept %d pages, %d of them of lists of commitments", kept, keptLists)
	}
}

// replace puts x in place of the record of the same file, or at the end.
func replace[T interface {
	*board.Commitment | *board.Notice
}](xs []T, x T) []T {
	file := func(v T) string {
		switch v := any(v).(type) {
		case *board.Commitment:
			return v.File
		case *board.Notice:
			return v.File
		}
		return ""
	}
	xs = slices.Clone(xs)
	for i, y := range xs {
		if file(y) == file(x) {
			xs[i] = x
			return xs
		}
	}
	return append(xs, x)
}
