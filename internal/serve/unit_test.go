package serve

import (
	"fmt"
	"strings"
	"syscall"
	"testing"
	"testing/fstest"
)

func TestSitePath(t *testing.T) {
	tests := []struct {
		path string
		want string // "" when refused
	}{
		{"/", "."},
		{"/index.html", "index.html"},
		{"/notices/", "notices"},
		{"/notices/q3/index.html", "notices/q3/index.html"},
		{"/.well-known/security.txt", ".well-known/security.txt"},
		{"/../board.toml", ""},
		{"/notices/../../board.toml", ""},
		{"/..", ""},
		{"/.", ""},
		{"/./index.html", ""},
		{"/..\\board.toml", ""},
		{"/notices\\q3", ""},
		{"//etc/passwd", ""},
		{"/notices//q3", ""},
		{"/a\x00b", ""},
		{"/.glassboard-output", ""},
		{"/notices/.hidden", ""},
		{"relative", ""},
		{"", ""},
	}
	for _, tt := range tests {
		got, ok := sitePath(tt.path)
		if !ok {
			got = ""
		}
		if got != tt.want {
			t.Errorf("sitePath(%q) = %q, %v; want %q", tt.path, got, ok, tt.want)
		}
	}
}

func TestIgnoredNames(t *testing.T) {
	for _, name := range []string{"x.toml~", ".x.toml.swp", ".x.toml.swx", "x.swp", "4913", "#x.toml#", ".#x.toml", ".goutputstream-Q1W2E3", ".DS_Store", ".git", "x.toml___jb_tmp___"} {
		if !ignoredName(name) {
			t.Errorf("%q is not ignored", name)
		}
	}
	for _, name := range []string{"x.toml", "style.css", "2019", "board.toml", "4913.toml", "a#b.md"} {
		if ignoredName(name) {
			t.Errorf("%q is ignored", name)
		}
	}
}

func TestRelevant(t *testing.T) {
	w := &watcher{root: "/b"}
	for name, want := range map[string]string{
		"/b/board.toml":                     "board.toml",
		"/b/content":                        "content",
		"/b/content/notices/2019/x.toml":    "content/notices/2019/x.toml",
		"/b/static/assets/style.css":        "static/assets/style.css",
		"/b/layouts/_default/baseof.html":   "layouts/_default/baseof.html",
		"/b/i18n/en.toml":                   "i18n/en.toml",
		"/b/public/index.html":              "",
		"/b/README.md":                      "",
		"/b/board.toml~":                    "",
		"/b/content/notices/.x.toml.swp":    "",
		"/b/content/.git/HEAD":              "",
		"/b":                                "",
		"/elsewhere/content/x.toml":         "",
		"/b/content/notices/4913":           "",
		"/b/static/.goutputstream-XYZ":      "",
		"/b/content/commitments/#x.toml#":   "",
		"/b/content/commitments/x.toml.swp": "",
	} {
		got, ok := w.relevant(name)
		if !ok {
			got = ""
		}
		if got != want {
			t.Errorf("relevant(%q) = %q, want %q", name, got, want)
		}
	}
}

func TestInject(t *testing.T) {
	v := view{token: "abc-3"}
	got := string(inject([]byte("<html><body><p>x</p></BODY></html>"), v))
	want := `<html><body><p>x</p><script src="/__glassboard/live.js" data-token="abc-3"></script>` + "\n</BODY></html>"
	if got != want {
		t.Errorf("inject:\n%s\nwant:\n%s", got, want)
	}
	if got := string(inject([]byte("no body"), v)); !strings.HasPrefix(got, "no body<script ") {
		t.Errorf("without </body>: %s", got)
	}
	v.problems = []string{`content/x.toml:1:9: unknown status "<img src=x onerror=alert(1)>"`}
	v.site = fstest.MapFS{}
	got = string(inject([]byte("<body></body>"), v))
	if !strings.Contains(got, `<li>content/x.toml:1:9: unknown status &#34;&lt;img src=x onerror=alert(1)&gt;&#34;</li>`) || strings.Contains(got, "<img") {
		t.Errorf("overlay not escaped:\n%s", got)
	}
	if !strings.Contains(got, "last good version") || strings.Index(got, "glassboard-errors") > strings.Index(got, "<script") {
		t.Errorf("overlay:\n%s", got)
	}
}

func TestCSSOnly(t *testing.T) {
	for _, tt := range []struct {
		changed []string
		want    bool
	}{
		{nil, false},
		{[]string{}, false},
		{[]string{"static/assets/style.css"}, true},
		{[]string{"static/a.CSS", "static/b/c.css"}, true},
		{[]string{"static/assets/style.css", "static/assets/board.js"}, false},
		{[]string{"layouts/style.css"}, false},
		{[]string{"static"}, false},
	} {
		if got := cssOnly(tt.changed); got != tt.want {
			t.Errorf("cssOnly(%q) = %v", tt.changed, got)
		}
	}
}

func TestLoopback(t *testing.T) {
	for host, want := range map[string]bool{
		"127.0.0.1": true, "127.1.2.3": true, "::1": true, "[::1]": true, "localhost": true,
		"0.0.0.0": false, "::": false, "192.168.1.5": false, "board.example.org": false, "": false,
	} {
		if got := isLoopback(host); got != want {
			t.Errorf("isLoopback(%q) = %v", host, got)
		}
	}
}

func TestWatchLimitIsExplained(t *testing.T) {
	for _, errno := range []error{syscall.ENOSPC, syscall.EMFILE, fmt.Errorf("inotify_add_watch: %w", syscall.ENOSPC)} {
		msg := watchError("/b/content", errno).Error()
		if !strings.Contains(msg, "fs.inotify.max_user_watches") || !strings.Contains(msg, "sysctl") || !strings.Contains(msg, "/b/content") {
			t.Errorf("%v: %s", errno, msg)
		}
	}
	if msg := watchError("/b", syscall.EACCES).Error(); strings.Contains(msg, "inotify") {
		t.Errorf("a permission error talks of inotify: %s", msg)
	}
}

func TestHubCoalescesAndCaps(t *testing.T) {
	h := newHub(2)
	a, ok1 := h.join()
	_, ok2 := h.join()
	if _, ok3 := h.join(); !ok1 || !ok2 || ok3 {
		t.Fatalf("join: %v %v %v", ok1, ok2, ok3)
	}
	h.broadcast(evReload, "t-1")
	h.broadcast(evCSS, "t-2") // a pending reload is not weakened
	<-a.notify
	if ev, tok := h.take(a); ev != evReload || tok != "t-2" {
		t.Errorf("take: %q %q", ev, tok)
	}
	if ev, _ := h.take(a); ev != evNone {
		t.Errorf("second take: %q", ev)
	}
	h.leave(a)
	if _, ok := h.join(); !ok {
		t.Error("no room after leave")
	}
	h.close()
	h.close()
	if _, ok := h.join(); ok {
		t.Error("join after close")
	}
}

func TestPanickingRebuildIsShown(t *testing.T) {
	var out strings.Builder
	s, err := New(Config{Source: t.TempDir(), Stderr: &out,
		Rebuild: func([]string) (Build, error) { panic("boom") }})
	if err != nil {
		t.Fatal(err)
	}
	s.rebuild(nil, true)
	v := s.view()
	if v.site != nil || len(v.problems) != 1 || !strings.Contains(v.problems[0], "internal error while building") || !strings.Contains(v.problems[0], "boom") {
		t.Errorf("view after a panic: %+v", v)
	}
	if !strings.Contains(out.String(), "no site to show yet") {
		t.Errorf("stderr: %s", out.String())
	}
}
