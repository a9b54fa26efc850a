package board

import (
	"cmp"
	"math/rand/v2"
	"reflect"
	"slices"
	"testing"
)

func d(s string) Date {
	t, err := ParseDate(s)
	if err != nil {
		panic(err)
	}
	return t
}

func ip(n int) *int { return &n }

func testBoard() *Board {
	cfg := DefaultConfig()
	cfg.Title = "T"
	cfg.BaseURL = "https://b.example/"
	cfg.Units = []Unit{{ID: "a", Name: "A"}, {ID: "b", Name: "B"}}
	cfg.Objections = Contacts{Phone: "1"}
	cfg.Notices.Holidays = []Date{d("2019-10-01"), d("2019-10-02")}
	cfg.Notices.Workdays = []Date{d("2019-09-29")}
	return &Board{Config: cfg}
}

func TestDateBasics(t *testing.T) {
	tests := []struct {
		in      string
		weekday string
	}{
		{"1970-01-01", "Thursday"},
		{"2019-09-02", "Monday"},
		{"1969-12-31", "Wednesday"},
		{"2000-02-29", "Tuesday"},
	}
	for _, tc := range tests {
		got := d(tc.in)
		if got.String() != tc.in {
			t.Errorf("round trip %s: got %s", tc.in, got)
		}
		if got.Weekday().String() != tc.weekday {
			t.Errorf("%s weekday = %s, want %s", tc.in, got.Weekday(), tc.weekday)
		}
	}
	if d("2019-03-01").Sub(d("2019-02-28")) != 1 || d("2019-12-31").AddDays(1) != d("2020-01-01") {
		t.Error("date arithmetic")
	}
	if !(Date{}).IsZero() || d("1970-01-01").IsZero() {
		t.Error("zero date")
	}
}

func TestWorkingDays(t *testing.T) {
	b := testBoard()
	cal := b.Config.Calendar()
	tests := []struct {
		name     string
		from, to string
		want     int
	}{
		{"plain week", "2019-09-02", "2019-09-06", 5},
		{"over a weekend", "2019-09-05", "2019-09-10", 4},
		{"holidays drop out", "2019-09-30", "2019-10-04", 3},
		{"a Sunday workday counts", "2019-09-29", "2019-09-30", 2},
		{"single day", "2019-09-07", "2019-09-07", 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := cal.WorkingDays(d(tc.from), d(tc.to)); got != tc.want {
				t.Errorf("WorkingDays(%s, %s) = %d, want %d", tc.from, tc.to, got, tc.want)
			}
		})
	}
}

func TestNoticeStates(t *testing.T) {
	b := testBoard()
	n := &Notice{ID: "n", Title: "N", Published: d("2019-09-01"), Opens: d("2019-09-02"), Closes: d("2019-09-06"),
		Body: "names Zhang", Stage: "s",
		Outcome:    &Outcome{Date: d("2019-09-10"), Objections: ip(0), Summary: "Zhang proceeds"},
		Posted:     &Posting{Date: d("2019-09-02"), Where: "gate", Photo: "files/p.jpg"},
		Candidates: []Candidate{{Name: "Zhang San", Unit: "a"}, {Name: "Li Si", Unit: "b"}}}
	b.Notices = []*Notice{n}
	tests := []struct {
		today    string
		state    NoticeState
		daysLeft int
		outcome  bool
	}{
		{"2019-09-01", Upcoming, 0, false},
		{"2019-09-02", Open, 5, false},
		{"2019-09-06", Open, 1, false},
		{"2019-09-07", Closed, 0, false},
		{"2019-09-10", Closed, 0, true},
		{"2019-10-06", Closed, 0, true},
		{"2019-10-07", Redacted, 0, true},
	}
	for _, tc := range tests {
		t.Run(tc.today+"-"+string(tc.state), func(t *testing.T) {
			s := b.At(d(tc.today))
			v := s.Notices[0]
			if v.State != tc.state || v.DaysLeft != tc.daysLeft {
				t.Fatalf("state %s days left %d, want %s %d", v.State, v.DaysLeft, tc.state, tc.daysLeft)
			}
			if (v.Outcome != nil) != tc.outcome {
				t.Errorf("outcome shown = %v, want %v", v.Outcome != nil, tc.outcome)
			}
			if v.CandidateCount != 2 {
				t.Errorf("candidate count %d", v.CandidateCount)
			}
			if tc.state == Redacted {
				if v.Candidates != nil || v.Body != "" || v.Stage != "" || v.Outcome.Summary != "" || v.Posted.Photo != "" {
					t.Errorf("redacted notice keeps details: %+v", v)
				}
			} else if len(v.Candidates) != 2 {
				t.Errorf("candidates missing before redaction")
			}
			if got := len(s.Units[0].Notices) + len(s.Units[1].Notices); got != 2 {
				t.Errorf("notice on %d unit pages, want 2", got)
			}
		})
	}
}

func TestScheduledAndNextChange(t *testing.T) {
	b := testBoard()
	b.Commitments = []*Commitment{
		{ID: "c1", Title: "C1", Unit: "a", Made: d("2019-01-01"), Due: d("2019-12-31"), Status: InProgress,
			Updates: []Update{{Date: d("2019-06-01"), Note: "x"}, {Date: d("2019-12-01"), Note: "later"}}},
		{ID: "c2", Title: "C2", Unit: "a", Made: d("2020-01-01"), Due: d("2020-12-31"), Status: Planned},
	}
	b.Notices = []*Notice{{ID: "n", Title: "N", Published: d("2019-09-01"), Opens: d("2019-09-02"), Closes: d("2019-09-06"), Candidates: []Candidate{{Name: "Z", Unit: "a"}}}}
	b.Ratings = []*Rating{{ID: "r", Title: "R", Unit: "a", Rated: d("2019-12-20"), MaxStars: 5}}

	s := b.At(d("2019-09-03"))
	if len(s.Commitments) != 1 || len(s.Commitments[0].Updates) != 1 || len(s.Ratings) != 0 {
		t.Fatalf("scheduled records or updates shown: %d commitments, %d updates, %d ratings", len(s.Commitments), len(s.Commitments[0].Updates), len(s.Ratings))
	}
	var got []string
	for _, c := range s.Changes {
		got = append(got, c.Date.String()+" "+c.ID+" "+c.What)
	}
	// c1: last activity 2019-06-01, stale after 90 days → no news from 2019-08-31,
	// which is before today: it is already "no news"; its next change is the update.
	want := []string{
		"2019-09-07 n closes",
		"2019-10-07 n redacted",
		"2019-12-01 c1 update",
		"2019-12-20 r published",
		"2020-01-01 c1 overdue",
		"2020-01-01 c2 published",
	}
	if !slices.Equal(got, want) {
		t.Errorf("changes:\n got %q\nwant %q", got, want)
	}
	if !s.Commitments[0].NoNews {
		t.Error("c1 should be flagged no news")
	}
	if s.NextChange() != d("2019-09-07") {
		t.Errorf("next change %s", s.NextChange())
	}
}

func TestOverdueNoNewsAndProgress(t *testing.T) {
	b := testBoard()
	b.Commitments = []*Commitment{
		{ID: "book", Unit: "a", Made: d("2019-01-01"), Due: d("2019-06-30"), Status: InProgress},
		{ID: "k1", Unit: "a", Parent: "book", Made: d("2019-01-01"), Due: d("2019-12-31"), Status: Done},
		{ID: "k2", Unit: "a", Parent: "book", Made: d("2019-01-01"), Due: d("2019-12-31"), Status: InProgress,
			Updates: []Update{{Date: d("2019-05-01"), Progress: ip(40)}, {Date: d("2019-07-01"), Progress: ip(45)}}},
		{ID: "k3", Unit: "a", Parent: "book", Made: d("2019-01-01"), Due: d("2019-12-31"), Status: Planned},
		{ID: "late-done", Unit: "a", Made: d("2019-01-01"), Due: d("2019-02-01"), Status: Done},
	}
	s := b.At(d("2019-07-10"))
	by := map[string]*CommitmentView{}
	for _, c := range s.Commitments {
		by[c.ID] = c
	}
	if !by["book"].Overdue || by["book"].DaysOverdue != 10 {
		t.Errorf("book overdue=%v days=%d", by["book"].Overdue, by["book"].DaysOverdue)
	}
	if by["late-done"].Overdue {
		t.Error("a done commitment is never overdue")
	}
	if p := by["book"]; !p.HasProgress || !p.FromChildren || p.Progress != 73 { // (100+45)/2 = 72.5 → 73; k3 has none
		t.Errorf("book progress %d from children %v", p.Progress, p.FromChildren)
	}
	if len(by["book"].Children) != 3 || by["k1"].Parent != by["book"] {
		t.Error("parent/children links")
	}
	if by["k3"].HasProgress {
		t.Error("k3 has no progress")
	}
	if !by["k3"].NoNews || by["k2"].NoNews {
		t.Errorf("no news: k3=%v k2=%v", by["k3"].NoNews, by["k2"].NoNews)
	}
}

func TestRatingRanksAndChanges(t *testing.T) {
	b := testBoard()
	b.Ratings = []*Rating{
		{ID: "r18", Unit: "a", Rated: d("2018-12-20"), MaxStars: 5, Entries: []Entry{
			{Name: "Wang", Stars: ip(3)}, {Name: "Li", Stars: ip(5)}, {Name: "Zhao", Stars: ip(4)}}},
		{ID: "r19", Unit: "a", Rated: d("2019-12-20"), MaxStars: 5, Previous: "r18", Criteria: []string{"a", "b"}, Entries: []Entry{
			{Name: "Wang", Scores: []int{5, 4}}, // 4.5 → 5 (half up)
			{Name: "Li", Scores: []int{4, 4}},
			{Name: "Sun", Scores: []int{2, 3}}, // 2.5 → 3
			{Name: "Zhao", Scores: []int{4, 5}},
		}},
	}
	s := b.At(d("2019-12-31"))
	r := s.Ratings[0]
	if r.ID != "r19" {
		t.Fatalf("latest first: got %s", r.ID)
	}
	var got []string
	for _, e := range r.Entries {
		ch := "new"
		if e.HasChange {
			ch = signed(e.Change)
		}
		got = append(got, e.Name+":"+itoa(e.Stars)+":"+itoa(e.Rank)+":"+ch)
	}
	want := []string{"Wang:5:1:+2", "Zhao:5:2:+1", "Li:4:3:-1", "Sun:3:4:new"}
	if !slices.Equal(got, want) {
		t.Errorf("ranks\n got %q\nwant %q", got, want)
	}
	if !slices.Equal(r.Distribution, []int{0, 0, 0, 1, 1, 2}) {
		t.Errorf("distribution %v", r.Distribution)
	}
	if r.Mean != 4.25 {
		t.Errorf("mean %v", r.Mean)
	}
}

func itoa(n int) string {
	if n < 0 {
		return "-" + itoa(-n)
	}
	if n < 10 {
		return string(rune('0' + n))
	}
	return itoa(n/10) + itoa(n%10)
}

func signed(n int) string {
	if n > 0 {
		return "+" + itoa(n)
	}
	return itoa(n)
}

// TestRankIsStable: ranks sort by stars, then name, and keep the record's
// order among entries alike in both (duplicate names are an error, but the
// preview still derives such a board), as a stable sort of the entries
// themselves does.
func TestRankIsStable(t *testing.T) {
	reference := func(es []Entry) []RankedEntry {
		out := make([]RankedEntry, len(es))
		for i, e := range es {
			out[i] = RankedEntry{Entry: e, Stars: EntryStars(e)}
		}
		slices.SortStableFunc(out, func(a, b RankedEntry) int {
			if c := cmp.Compare(b.Stars, a.Stars); c != 0 {
				return c
			}
			return cmp.Compare(a.Name, b.Name)
		})
		for i := range out {
			out[i].Rank = i + 1
		}
		return out
	}
	rng := rand.New(rand.NewPCG(6, 10000))
	for n := range 60 {
		var es []Entry
		for i := range n {
			e := Entry{Name: []string{"Li", "Wang", "Zhao", "李", ""}[rng.IntN(5)], Post: itoa(i)}
			if rng.IntN(3) == 0 {
				e.Scores = []int{rng.IntN(6), rng.IntN(6)}
			} else {
				e.Stars = ip(rng.IntN(6))
			}
			es = append(es, e)
		}
		v := &RatingView{Rating: &Rating{MaxStars: 5, Entries: es}}
		v.rank()
		if want := reference(es); !reflect.DeepEqual(v.Entries, want) {
			t.Fatalf("%d entries: ranked\n%+v\nwant\n%+v", n, v.Entries, want)
		}
	}
}
