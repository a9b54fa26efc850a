package board

import (
	"fmt"
	"math/rand/v2"
	"reflect"
	"slices"
	"testing"
)

// TestCheckerEqualsCheck edits boards at random, as a clerk would (one
// record at a time, a new value for every edited record), and checks that
// a Checker's problems are, after every edit, those of a full check in
// the same order: errors that appear and disappear, duplicate ids made
// and removed, parents unknown, unreadable and in cycles, previous
// rating boards, invisible characters, board.toml and static/ edited.
func TestCheckerEqualsCheck(t *testing.T) {
	for seed := range uint64(8) {
		t.Run(fmt.Sprint(seed), func(t *testing.T) {
			r := rand.New(rand.NewPCG(seed, 99))
			b := testBoard()
			b.Static = map[string]bool{"files/a.jpg": true}
			b.Unreadable = map[string]bool{}
			for range 30 {
				edit(r, b)
			}
			var k Checker
			for step := range 300 {
				got, want := k.Check(b), b.Check()
				if !slices.Equal(got, want) {
					t.Fatalf("step %d: the Checker says\n%v\nCheck says\n%v", step, got, want)
				}
				for range 1 + r.IntN(3) {
					edit(r, b)
				}
			}
		})
	}
}

// edit makes one random change to b, never changing a record in place.
func edit(r *rand.Rand, b *Board) {
	id := func(prefix string) string { return fmt.Sprintf("%s%d", prefix, r.IntN(8)) }
	pick := func(xs ...string) string { return xs[r.IntN(len(xs))] }
	date := func() Date { return d("2019-09-02").AddDays(r.IntN(60) - 30) }
	text := func() string { return pick("", " ", "Fix the road", "Zhang\u200bSan", "a\u202eb", "Well") }
	unit := func() string { return pick("a", "b", "", "zz") }
	switch k := r.IntN(16); {
	case k < 2 && len(b.Commitments) > 0: // a commitment's parent or title edited
		m := *b.Commitments[r.IntN(len(b.Commitments))]
		if r.IntN(3) == 0 {
			m.Title = text()
		} else {
			m.Parent = pick("", id("c"), "gone")
		}
		b.Commitments = place(r, b.Commitments, &m)
	case k < 7: // a commitment, new or edited
		m := &Commitment{ID: id("c"), Title: text(), Unit: unit(), Owner: text(), Made: date(), Due: date(),
			Status: Status(pick("", "planned", "done", "in-progress")), Parent: pick("", id("c"), id("c"), id("c"), "gone")}
		if r.IntN(3) == 0 {
			m.Progress = ip(r.IntN(130) - 10)
		}
		for range r.IntN(3) {
			u := Update{Date: date(), Note: text(), Evidence: []string{pick("", "https://x.example/1", "files/a.jpg", "files/b.pdf", "../x", "ftp://x")}}
			if r.IntN(2) == 0 {
				u.Date = Date{}
			}
			m.Updates = append(m.Updates, u)
		}
		m.File = "content/commitments/" + pick("", "", "", "x/") + m.ID + ".toml" // x/: a duplicate id
		b.Commitments = place(r, b.Commitments, m)
	case k < 9: // a notice
		n := &Notice{ID: id("n"), Title: text(), Issuer: text(), Purpose: Purpose(pick("", "award")),
			Published: date(), Opens: date(), Closes: date()}
		if r.IntN(3) == 0 {
			n.Posted = &Posting{Date: date(), Photo: pick("", "files/a.jpg", "https://x.example/p.jpg")}
		}
		if r.IntN(3) == 0 {
			n.Outcome = &Outcome{Date: date(), Objections: ip(r.IntN(3) - 1)}
		}
		for range r.IntN(3) {
			n.Candidates = append(n.Candidates, Candidate{Name: text(), Unit: unit()})
		}
		n.File = "content/notices/" + n.ID + ".toml"
		b.Notices = place(r, b.Notices, n)
	case k < 11: // a rating board
		g := &Rating{ID: id("r"), Title: text(), Unit: unit(), Period: text(), Rated: date(), MaxStars: r.IntN(12),
			Previous: pick("", id("r"), id("r"), "gone")}
		if r.IntN(2) == 0 {
			g.Criteria = []string{"A", pick("", "B")}
		}
		for range r.IntN(4) {
			e := Entry{Name: pick("", "Li", "Li", "Wang\u200b"), Post: text()}
			if r.IntN(2) == 0 {
				e.Stars = ip(r.IntN(12) - 1)
			} else {
				e.Scores = []int{r.IntN(7), r.IntN(7)}
			}
			g.Entries = append(g.Entries, e)
		}
		g.File = "content/ratings/" + g.ID + ".toml"
		b.Ratings = place(r, b.Ratings, g)
	case k < 12: // a page
		p := &Page{ID: pick("about", "feed", id("p")), Title: text()}
		p.File = "content/pages/" + p.ID + ".md"
		b.Pages = place(r, b.Pages, p)
	case k < 13: // a file that does not decode any more, or again
		key := pick("commitments/", "ratings/") + pick("gone", id("c"), id("r"))
		b.Unreadable = map[string]bool{key: !b.Unreadable[key]}
	case k < 14: // board.toml
		cfg := b.Config
		cfg.Units = slices.Clone(cfg.Units)
		switch r.IntN(7) {
		case 0:
			cfg.Units = append(cfg.Units, Unit{ID: "zz", Name: "Z"})
		case 5:
			cfg.Commitments.StaleAfterDays = 5 + r.IntN(30)
		case 6: // a unit renamed: the views that show it are made again
			if len(cfg.Units) > 0 {
				cfg.Units[0].Name = pick("A", "A2", "Z")
			}
		case 1:
			cfg.Notices.MinWorkingDays = 1 + r.IntN(8)
		case 2:
			cfg.Objections = Contacts{Email: pick("", "x@example.org")}
			if len(cfg.Units) > 0 && r.IntN(2) == 0 {
				cfg.Units = slices.Delete(cfg.Units, 0, 1)
			}
		case 3:
			cfg.Notices.RedactAfterDays = r.IntN(40)
		case 4:
			cfg.Notices.Holidays = append(slices.Clone(cfg.Notices.Holidays), date())
		}
		b.Config = cfg
	case k < 15: // static/
		st := map[string]bool{"files/a.jpg": true}
		if r.IntN(2) == 0 {
			st["files/b.pdf"] = true
		}
		b.Static = st
	default: // records removed
		if len(b.Commitments) > 0 {
			i := r.IntN(len(b.Commitments))
			b.Commitments = slices.Delete(slices.Clone(b.Commitments), i, i+1)
		}
		if len(b.Ratings) > 0 && r.IntN(2) == 0 {
			i := r.IntN(len(b.Ratings))
			b.Ratings = slices.Delete(slices.Clone(b.Ratings), i, i+1)
		}
	}
}

// place puts x in place of the record of the same file, or at a random
// place among the others.
func place[T interface{ comparable }](r *rand.Rand, xs []T, x T) []T {
	xs = slices.Clone(xs)
	file := func(v any) string {
		switch v := v.(type) {
		case *Commitment:
			return v.File
		case *Notice:
			return v.File
		case *Rating:
			return v.File
		case *Page:
			return v.File
		}
		return ""
	}
	for i, y := range xs {
		if file(y) == file(x) {
			xs[i] = x
			return xs
		}
	}
	return slices.Insert(xs, r.IntN(len(xs)+1), x)
}

// TestDeriverEqualsAt derives boards edited at random (see edit), on a day
// that sometimes changes, and checks that a Deriver's snapshot is, after
// every edit, equal to a fresh one.
func TestDeriverEqualsAt(t *testing.T) {
	keptViews := 0 // commitment views the Deriver kept from one snapshot to the next
	defer func() {
		if !t.Failed() && keptViews == 0 {
			t.Error("no commitment view was ever kept")
		}
	}()
	for seed := range uint64(8) {
		t.Run(fmt.Sprint(seed), func(t *testing.T) {
			r := rand.New(rand.NewPCG(seed, 7))
			b := testBoard()
			b.Static = map[string]bool{"files/a.jpg": true}
			b.Unreadable = map[string]bool{}
			for range 30 {
				edit(r, b)
			}
			var k Deriver
			today := d("2019-09-02")
			var (
				prev      *Snapshot // the Deriver's last snapshot
				prevBoard Board     // and the board it was derived from (edits replace records and slices, never change them)
				prevToday Date
			)
			for step := range 300 {
				got, want := k.At(b, today), b.At(today)
				if !reflect.DeepEqual(got, want) {
					t.Fatalf("step %d: the Deriver's snapshot differs from a fresh one:\n%+v\n%+v", step, got, want)
				}
				// The views the snapshots share are not changed by the next derivation.
				// (Its Config is the edited board's, which the test changes in place.)
				if prev != nil {
					w := prevBoard.At(prevToday)
					w.Config = prev.Config
					if !reflect.DeepEqual(prev, w) {
						t.Fatalf("step %d: the Deriver changed the previous snapshot", step)
					}
				}
				if prev != nil {
					before := map[*CommitmentView]bool{}
					for _, v := range prev.Commitments {
						before[v] = true
					}
					for _, v := range got.Commitments {
						if before[v] {
							keptViews++
						}
					}
				}
				prev, prevBoard, prevToday = got, *b, today
				for range 1 + r.IntN(3) {
					edit(r, b)
				}
				if r.IntN(10) == 0 {
					today = today.AddDays(r.IntN(9) - 4)
				}
			}
		})
	}
}

// TestChangesEqualsAt: Changes gives the changes of At, in the same order,
// on boards edited at random (errors included) and on days before, among
// and after their dates.
func TestChangesEqualsAt(t *testing.T) {
	compared := 0
	for seed := range uint64(8) {
		r := rand.New(rand.NewPCG(seed, 11))
		b := testBoard()
		b.Static = map[string]bool{"files/a.jpg": true}
		b.Unreadable = map[string]bool{}
		for range 30 {
			edit(r, b)
		}
		today := d("2019-09-02")
		for step := range 200 {
			want := b.At(today).Changes
			if got := b.Changes(today); !reflect.DeepEqual(got, want) {
				t.Fatalf("seed %d, step %d, %s: Changes gives\n%v\nAt gives\n%v", seed, step, today, got, want)
			}
			compared += len(want)
			edit(r, b)
			today = today.AddDays(r.IntN(41) - 20)
		}
	}
	if compared == 0 {
		t.Error("no change was ever compared")
	}
}
