package render

import (
	"io/fs"
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
