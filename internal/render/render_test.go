package render

import (
	"fmt"
	"io/fs"
	"math/rand/v2"
	"reflect"
	"slices"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/glassboard/glassboard/internal/board"
)

func TestUnionEarlierWins(t *testing.T) {
	boardFS := fstest.MapFS{"index.html": {Data: []byte("board")}, "partials/a.html": {Data: []byte("a")}}
	themeFS := fstest.MapFS{"index.html": {Data: []byte("theme")}, "partials/b.html": {Data: []byte("b")}, "404.html": {Data: []byte("theme 404")}}
	u := Union(boardFS, nil, themeFS)
	for name, want := range map[string]string{"index.html": "board", "404.html": "theme 404", "partials/b.html": "b"} {
		got, err := fs.ReadFile(u, name)
		if err != nil || string(got) != want {
			t.Errorf("%s: got %q, %v; want %q", name, got, err, want)
		}
	}
	matches, _ := fs.Glob(u, "partials/*.html")
	if len(matches) != 2 {
		t.Errorf("partials merged: %v", matches)
	}
	if _, err := fs.ReadFile(u, "missing.html"); err == nil {
		t.Error("missing file found")
	}
}

func TestStringsDatesPlurals(t *testing.T) {
	strs := map[string]string{"days_left_one": "%d working day left", "days_left_other": "%d working days left", "hello": "Hello %s"}
	d, _ := board.ParseDate("2019-09-02")
	tests := []struct {
		lang, date string
	}{
		{"en", "2 September 2019"},
		{"zh-CN", "2019年9月2日"},
	}
	for _, tc := range tests {
		r := &Renderer{strings: strs, lang: tc.lang}
		if got := r.date(d); got != tc.date {
			t.Errorf("%s date: got %q want %q", tc.lang, got, tc.date)
		}
	}
	r := &Renderer{strings: strs, lang: "en"}
	for n, want := range map[int]string{0: "0 working days left", 1: "1 working day left", 5: "5 working days left"} {
		if got, err := r.N("days_left", n); err != nil || got != want {
			t.Errorf("N(%d) = %q, %v", n, got, err)
		}
	}
	if _, err := r.T("no_such_key"); err == nil {
		t.Error("a missing UI string must be an error")
	}
	if got, _ := r.Tf("hello", "Li"); got != "Hello Li" {
		t.Errorf("Tf: %q", got)
	}
	if got := stars(4, 5); got != "★★★★☆" {
		t.Errorf("stars: %q", got)
	}
}

func TestExcerpt(t *testing.T) {
	tests := []struct {
		in   string
		n    int
		want string
	}{
		{"Short text.", 40, "Short text."},
		{"First sentence here. Second sentence is longer than the limit allows.", 40, "First sentence here. …"},
		{"One very long sentence without any stop that goes on and on", 30, "One very long sentence…"},
		{"第一句话。第二句话比较长，超过了限制。", 16, "第一句话。 …"},
		{"  spaces\n\nand   newlines  ", 40, "spaces and newlines"},
	}
	for _, tc := range tests {
		if got := excerpt(tc.in, tc.n); got != tc.want {
			t.Errorf("excerpt(%q, %d) = %q, want %q", tc.in, tc.n, got, tc.want)
		}
	}
}

func TestPagerLinks(t *testing.T) {
	var got []string
	for _, l := range pagerLinks("c/", 6, 12) {
		if l.Gap {
			got = append(got, "…")
		} else if l.Current {
			got = append(got, "["+l.Path+"]")
		} else {
			got = append(got, l.Path)
		}
	}
	want := "c/index.html … c/page/4/index.html c/page/5/index.html [c/page/6/index.html] c/page/7/index.html c/page/8/index.html … c/page/12/index.html"
	if s := strings.Join(got, " "); s != want {
		t.Errorf("got  %s\nwant %s", s, want)
	}
}

func TestGroupsContinueAcrossPages(t *testing.T) {
	a, b := &board.Unit{ID: "a"}, &board.Unit{ID: "b"}
	c := func(u *board.Unit, st board.Status) *board.CommitmentView {
		return &board.CommitmentView{Commitment: &board.Commitment{Unit: u.ID, Status: st}, Unit: u}
	}
	list := []*board.CommitmentView{c(a, board.Planned), c(a, board.Done), c(a, board.Done), c(b, board.Done)}
	tot := countGroups(list)
	gs := groupCommitments(list[2:], list[1], true, true, tot)
	if len(gs) != 2 || !gs[0].Continued || !gs[0].Statuses[0].Continued || gs[1].Continued || gs[1].Statuses[0].Continued {
		t.Fatalf("groups: %+v", gs)
	}
	if gs[0].Total != 3 || gs[0].Statuses[0].Total != 2 || len(gs[0].Statuses[0].Items) != 1 {
		t.Errorf("totals: %+v", gs[0])
	}
	gs = groupCommitments(list[1:], list[0], true, true, tot)
	if !gs[0].Continued || gs[0].Statuses[0].Continued {
		t.Errorf("a new status in a continued unit: %+v", gs[0])
	}
}

func TestPartialCached(t *testing.T) {
	layouts := fstest.MapFS{
		"_default/baseof.html":  {Data: []byte(`{{block "main" .}}{{end}}`)},
		"posters/baseof.html":   {Data: []byte(`{{block "poster" .}}{{end}}`)},
		"partials/title.html":   {Data: []byte(`<b>{{.Title}}</b>`)},
		"partials/unused.html":  {Data: []byte(`x`)},
		"pages/single.html":     {Data: []byte(`{{define "main"}}[{{partialCached "partials/title.html" . .Kind}}]{{end}}`)},
		"commitments/list.html": {Data: []byte(`{{define "main"}}{{partialCached "partials/title.html" . .Kind}}{{partialCached "partials/missing.html" .}}{{end}}`)},
	}
	for _, name := range Layouts {
		if _, ok := layouts[name]; !ok {
			layouts[name] = &fstest.MapFile{Data: []byte(`{{define "main"}}{{end}}{{define "poster"}}{{end}}`)}
		}
	}
	r, err := New(Options{Layouts: layouts, Lang: "en"})
	if err != nil {
		t.Fatal(err)
	}
	s1, s2 := &board.Snapshot{}, &board.Snapshot{}
	tests := []struct {
		site        *board.Snapshot
		kind, title string
		want        string
	}{
		{s1, "page", "First", "[<b>First</b>]"},
		{s1, "page", "Second", "[<b>First</b>]"}, // same snapshot and variant: cached
		{s1, "other", "Third", "[<b>Third</b>]"}, // another variant
		{s1, "other", "<Fourth>", "[<b>Third</b>]"},
		{s2, "page", "<Fifth>", "[<b>&lt;Fifth&gt;</b>]"}, // a new snapshot: executed again, escaped
		{s2, "page", "Sixth", "[<b>&lt;Fifth&gt;</b>]"},
	}
	for i, tc := range tests {
		got, err := r.RenderBytes(Job{Layout: "pages/single.html", Page: &Page{Site: tc.site, Kind: tc.kind, Title: tc.title}})
		if err != nil || string(got) != tc.want {
			t.Errorf("%d: got %q, %v; want %q", i, got, err, tc.want)
		}
	}
	if _, err := r.RenderBytes(Job{Layout: "commitments/list.html", Page: &Page{Site: s1}}); err == nil {
		t.Error("partialCached of a missing partial must fail")
	}
}

// TestSortListsEqualsFilters compares the lists sorted in one pass with
// the lists made one filter at a time, on random units, statuses (some
// unknown) and duplicate unit ids.
func TestSortListsEqualsFilters(t *testing.T) {
	rng := rand.New(rand.NewPCG(4, 3))
	statuses := append(slices.Clone(board.Statuses), "unknown", "")
	for round := range 200 {
		var units []*board.UnitView
		for range rng.IntN(5) {
			u := &board.UnitView{Unit: &board.Unit{ID: fmt.Sprint(rng.IntN(3))}}
			for range rng.IntN(12) {
				st := statuses[rng.IntN(len(statuses))]
				u.Commitments = append(u.Commitments, &board.CommitmentView{Commitment: &board.Commitment{Unit: u.ID, Status: st}, Unit: u.Unit,
					Overdue: rng.IntN(2) == 0, NoNews: rng.IntN(3) == 0})
			}
			units = append(units, u)
		}
		ls := sortLists(units)
		all := byUnitAndStatus(units)
		if !slices.Equal(ls.all, all) {
			t.Fatalf("round %d: all differs", round)
		}
		if !reflect.DeepEqual(ls.summary(-1), summarize(all)) {
			t.Fatalf("round %d: the summary of all differs", round)
		}
		if !reflect.DeepEqual(ls.totals(-1, -1), countGroups(all)) {
			t.Fatalf("round %d: the totals of all differ", round)
		}
		for i, st := range board.Statuses {
			want := withStatus(all, st)
			if !slices.Equal(ls.status[i], want) {
				t.Fatalf("round %d: status %s differs", round, st)
			}
			if !reflect.DeepEqual(ls.totals(i, -1), countGroups(want)) {
				t.Fatalf("round %d: the totals of status %s differ", round, st)
			}
		}
		for i, u := range units {
			want := byStatus(u.Commitments)
			if !slices.Equal(ls.unit[i], want) {
				t.Fatalf("round %d: unit %d differs", round, i)
			}
			if !reflect.DeepEqual(ls.summary(i), summarize(want)) {
				t.Fatalf("round %d: the summary of unit %d differs", round, i)
			}
			if !reflect.DeepEqual(ls.totals(-1, i), countGroups(want)) {
				t.Fatalf("round %d: the totals of unit %d differ", round, i)
			}
		}
	}
}

func TestMostFirstIsStable(t *testing.T) {
	rng := rand.New(rand.NewPCG(2, 9))
	for range 100 {
		var cs []*board.CommitmentView
		for range rng.IntN(40) {
			cs = append(cs, &board.CommitmentView{Commitment: &board.Commitment{}, DaysOverdue: rng.IntN(5)})
		}
		want := slices.Clone(cs)
		slices.SortStableFunc(want, func(a, b *board.CommitmentView) int { return b.DaysOverdue - a.DaysOverdue })
		if got := mostFirst(cs, func(c *board.CommitmentView) int { return c.DaysOverdue }); !slices.Equal(got, want) {
			t.Fatal("mostFirst differs from a stable sort")
		}
	}
}
