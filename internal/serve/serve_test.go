package serve_test

// These tests run the preview over real builds of small boards, as
// `glassboard serve` does. The serve package itself does not import build;
// only its tests do, to feed it a real rebuild function.

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/glassboard/glassboard"
	"github.com/glassboard/glassboard/internal/board"
	"github.com/glassboard/glassboard/internal/build"
	"github.com/glassboard/glassboard/internal/sample"
	"github.com/glassboard/glassboard/internal/serve"
)

// wait bounds every wait for something the preview does by itself; it is
// generous because the tests share a slow machine.
const wait = 30 * time.Second

// debounce is longer than the default so that a test descheduled in the
// middle of a save on a loaded machine still makes one burst of changes.
const debounce = 300 * time.Millisecond

// quiet is how long "nothing more happens" is watched for.
const quiet = 3 * debounce

var today = board.NewDate(2019, 11, 15)

const boardTOML = `title = "Serve Test Board"
base_url = "https://board.example.org/"
language = "en"
timezone = "Asia/Shanghai"

[organization]
name = "Test Township Committee"

[[units]]
id = "xinfang"
name = "Xinfang Village Branch"
kind = "rural"

[objections]
phone = "0313-0000000"
`

func commitment(title, status string) string {
	return fmt.Sprintf(`title = %q
unit = "xinfang"
owner = "Village committee"
made = 2019-03-01
due = 2019-12-31
status = %q
progress = 20
`, title, status)
}

// writeBoard makes a small board: two commitments and a stylesheet.
func writeBoard(t *testing.T) string {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "board")
	files := map[string]string{
		"board.toml":                        boardTOML,
		"content/commitments/wells.toml":    commitment("Two wells for drinking water", "in-progress"),
		"content/commitments/fencing.toml":  commitment("1,000 mu of fencing", "planned"),
		"static/assets/style.css":           "body { color: black }\n",
		"content/pages/how-to-object.md":    "+++\ntitle = \"How to object\"\n+++\nCall the office.\n",
		"static/files/minutes-2019-06.txt":  "minutes\n",
		"layouts/.keep-this-folder-watched": "",
	}
	for name, data := range files {
		writeFile(t, filepath.Join(dir, name), data)
	}
	return dir
}

func writeFile(t *testing.T, name, data string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(name), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(name, []byte(data), 0o644); err != nil {
		t.Fatal(err)
	}
}

// saveAtomically saves like most editors: a temporary file, then a rename.
func saveAtomically(t *testing.T, name, data string) {
	t.Helper()
	tmp := filepath.Join(filepath.Dir(name), "."+filepath.Base(name)+".tmp1234")
	if err := os.WriteFile(tmp, []byte(data), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Rename(tmp, name); err != nil {
		t.Fatal(err)
	}
}

// syncBuffer is an io.Writer the server and the test can share.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// preview is a running server over a board.
type preview struct {
	t        *testing.T
	board    string
	site     atomic.Pointer[build.MemSite] // the last site built
	url      string
	rebuilds atomic.Int32
	stdout   syncBuffer
	stderr   syncBuffer
	cancel   context.CancelFunc
	done     chan error
	stopped  bool
}

type option func(*serve.Config)

func start(t *testing.T, dir string, opts ...option) *preview {
	t.Helper()
	p := &preview{t: t, board: dir, done: make(chan error, 1)}
	builder, err := build.NewPreview(build.Options{Source: dir, Theme: glassboard.Theme, Today: today})
	if err != nil {
		t.Fatal(err)
	}
	cfg := serve.Config{
		Source: dir,
		Bind:   "127.0.0.1",
		Port:   0,
		Rebuild: func(changed []string) (serve.Build, error) {
			p.rebuilds.Add(1)
			res, err := builder.Rebuild(changed)
			var b serve.Build
			if res != nil {
				b.Pages, b.Diags = res.Pages, res.Diags
			}
			if err == nil {
				b.Site, b.Rendered = res.Site, res.Rendered
				p.site.Store(res.Site)
			}
			return b, err
		},
		Stdout:   &p.stdout,
		Stderr:   &p.stderr,
		Debounce: debounce,
	}
	for _, o := range opts {
		o(&cfg)
	}
	s, err := serve.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Start(); err != nil {
		t.Fatal(err)
	}
	p.url = s.URL()
	ctx, cancel := context.WithCancel(context.Background())
	p.cancel = cancel
	go func() { p.done <- s.Serve(ctx) }()
	t.Cleanup(p.stop)
	return p
}

// stop cancels the server and waits for Serve to return.
func (p *preview) stop() {
	p.t.Helper()
	if p.stopped {
		return
	}
	p.stopped = true
	p.cancel()
	select {
	case err := <-p.done:
		if err != nil {
			p.t.Errorf("Serve: %v", err)
		}
	case <-time.After(wait):
		p.t.Errorf("Serve did not return within %s of the cancellation", wait)
	}
}

// get fetches a path and returns the status and body.
func (p *preview) get(path string) (int, string) {
	p.t.Helper()
	c := &http.Client{Timeout: wait, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := c.Get(strings.TrimSuffix(p.url, "/") + path)
	if err != nil {
		p.t.Fatal(err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		p.t.Fatal(err)
	}
	return resp.StatusCode, string(body)
}

// raw sends a request line exactly as given, with no client-side cleaning.
func (p *preview) raw(method, target string) (*http.Response, string) {
	p.t.Helper()
	u, _ := url.Parse(p.url)
	conn, err := net.DialTimeout("tcp", u.Host, wait)
	if err != nil {
		p.t.Fatal(err)
	}
	defer conn.Close()
	conn.SetDeadline(time.Now().Add(wait))
	fmt.Fprintf(conn, "%s %s HTTP/1.1\r\nHost: %s\r\nConnection: close\r\n\r\n", method, target, u.Host)
	resp, err := http.ReadResponse(bufio.NewReader(conn), &http.Request{Method: method})
	if err != nil {
		p.t.Fatalf("%s %s: %v", method, target, err)
	}
	body, _ := io.ReadAll(resp.Body)
	return resp, string(body)
}

// waitRebuilds waits until at least n rebuilds happened.
func (p *preview) waitRebuilds(n int32) {
	p.t.Helper()
	deadline := time.Now().Add(wait)
	for p.rebuilds.Load() < n {
		if time.Now().After(deadline) {
			p.t.Fatalf("%d rebuilds after %s, want %d\nstdout:\n%s\nstderr:\n%s", p.rebuilds.Load(), wait, n, p.stdout.String(), p.stderr.String())
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// settle checks that no more rebuilds than want come during the quiet period.
func (p *preview) settle(want int32) {
	p.t.Helper()
	time.Sleep(quiet)
	if n := p.rebuilds.Load(); n != want {
		p.t.Errorf("%d rebuilds, want %d\nstdout:\n%s", n, want, p.stdout.String())
	}
}

// event is one Server-Sent Event.
type event struct{ name, data string }

// stream is an open live-reload connection.
type stream struct {
	t      *testing.T
	resp   *http.Response
	events chan event
}

func (p *preview) stream() *stream {
	p.t.Helper()
	resp, err := http.Get(p.url + "__glassboard/events")
	if err != nil {
		p.t.Fatal(err)
	}
	if resp.StatusCode != http.StatusOK {
		resp.Body.Close()
		p.t.Fatalf("events: status %d", resp.StatusCode)
	}
	if ct := resp.Header.Get("Content-Type"); !strings.HasPrefix(ct, "text/event-stream") {
		p.t.Errorf("events: Content-Type %q", ct)
	}
	s := &stream{t: p.t, resp: resp, events: make(chan event, 16)}
	go func() {
		defer close(s.events)
		sc := bufio.NewScanner(resp.Body)
		var ev event
		for sc.Scan() {
			line := sc.Text()
			switch {
			case line == "":
				if ev.name != "" {
					s.events <- ev
				}
				ev = event{}
			case strings.HasPrefix(line, "event: "):
				ev.name = strings.TrimPrefix(line, "event: ")
			case strings.HasPrefix(line, "data: "):
				ev.data = strings.TrimPrefix(line, "data: ")
			}
		}
	}()
	p.t.Cleanup(func() { resp.Body.Close() })
	if ev := s.next(); ev.name != "hello" {
		p.t.Fatalf("first event %q, want hello", ev.name)
	}
	return s
}

// next waits for the next event.
func (s *stream) next() event {
	s.t.Helper()
	select {
	case ev, ok := <-s.events:
		if !ok {
			s.t.Fatal("the event stream ended")
		}
		return ev
	case <-time.After(wait):
		s.t.Fatalf("no event within %s", wait)
	}
	return event{}
}

// expect waits for the next event and checks its name.
func (s *stream) expect(name string) {
	s.t.Helper()
	if ev := s.next(); ev.name != name {
		s.t.Fatalf("event %q, want %q", ev.name, name)
	}
}

func TestOnlyTheSiteIsServed(t *testing.T) {
	p := start(t, writeBoard(t))
	for _, target := range []string{
		"/../board.toml",
		"/%2e%2e/board.toml",
		"/%2E%2E/%2e%2e/etc/passwd",
		"/..%5cboard.toml",
		"/commitments/..%5c..%5cboard.toml",
		"/%2fetc/passwd",
		"//etc/passwd",
		"/a%00b",
		"/board.toml",
		"/content/commitments/wells.toml",
		"/.glassboard-output",
		"/commitments/./index.html",
		"/commitments/../index.html",
		"/no-such-page/",
		"/index.html/",
	} {
		t.Run(target, func(t *testing.T) {
			resp, body := p.raw("GET", target)
			if resp.StatusCode != http.StatusNotFound {
				t.Errorf("status %d, want 404", resp.StatusCode)
			}
			if !strings.Contains(body, "kind-404") {
				t.Errorf("not the site's 404 page:\n%.300s", body)
			}
			if strings.Contains(body, "base_url") || strings.Contains(body, "root:") {
				t.Errorf("a source or system file leaked:\n%.300s", body)
			}
		})
	}
}

func TestMethodsAndFolders(t *testing.T) {
	p := start(t, writeBoard(t))
	for _, m := range []string{"POST", "PUT", "DELETE", "OPTIONS", "PATCH"} {
		resp, _ := p.raw(m, "/index.html")
		if resp.StatusCode != http.StatusMethodNotAllowed || resp.Header.Get("Allow") != "GET, HEAD" {
			t.Errorf("%s: status %d, Allow %q; want 405 and GET, HEAD", m, resp.StatusCode, resp.Header.Get("Allow"))
		}
	}
	resp, body := p.raw("HEAD", "/commitments/wells/index.html")
	if resp.StatusCode != http.StatusOK || body != "" || resp.ContentLength <= 0 || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/html") {
		t.Errorf("HEAD: status %d, length %d, type %q, body %q", resp.StatusCode, resp.ContentLength, resp.Header.Get("Content-Type"), body)
	}
	if code, body := p.get("/commitments/"); code != 200 || !strings.Contains(body, "Two wells") {
		t.Errorf("a folder with index.html: %d", code)
	}
	if resp, _ := p.raw("GET", "/commitments?x=1"); resp.StatusCode != http.StatusMovedPermanently || resp.Header.Get("Location") != "/commitments/?x=1" {
		t.Errorf("folder without slash: %d to %q", resp.StatusCode, resp.Header.Get("Location"))
	}
	if code, body := p.get("/assets/"); code != 404 || !strings.Contains(body, "kind-404") {
		t.Errorf("a folder without index.html: %d, want the 404 page", code)
	}
	if code, body := p.get("/files/minutes-2019-06.txt"); code != 200 || body != "minutes\n" {
		t.Errorf("a static file: %d %q", code, body)
	}
}

func TestScriptOnlyInServedHTML(t *testing.T) {
	p := start(t, writeBoard(t))
	_, page := p.get("/commitments/wells/index.html")
	if strings.Count(page, `<script src="/__glassboard/live.js"`) != 1 || !strings.Contains(page, "</script>\n</body>") {
		t.Fatalf("the live-reload script is not injected once before </body>:\n%s", page[max(0, len(page)-400):])
	}
	if code, js := p.get("/__glassboard/live.js"); code != 200 || !strings.Contains(js, "EventSource") {
		t.Errorf("live.js: %d", code)
	}
	css := regexp.MustCompile(`href="([^"]*style\.[0-9a-f]+\.css)"`).FindStringSubmatch(page)
	if css == nil {
		t.Fatal("no stylesheet link")
	}
	u, _ := url.Parse(p.url + "commitments/wells/")
	ref, _ := u.Parse(css[1])
	if code, body := p.get(ref.Path); code != 200 || strings.Contains(body, "glassboard") || strings.Contains(body, "<script") {
		t.Errorf("stylesheet %s: %d %q", ref.Path, code, body)
	}
	if _, body := p.get("/files/minutes-2019-06.txt"); body != "minutes\n" {
		t.Errorf("text file changed: %q", body)
	}
	if _, body := p.get("/no-such-page"); !strings.Contains(body, "/__glassboard/live.js") {
		t.Error("the 404 page has no live-reload script")
	}
	// The preview's additions are made to responses only: the built site
	// holds what `glassboard build` writes.
	site := p.site.Load()
	paths, err := site.Paths()
	if err != nil {
		t.Fatal(err)
	}
	for _, path := range paths {
		data, _ := site.ReadFile(path)
		if bytes.Contains(data, []byte("__glassboard")) || bytes.Contains(data, []byte("glassboard-errors")) {
			t.Errorf("%s in the built site holds preview additions", path)
		}
	}
}

func TestEditsReloadTheBrowser(t *testing.T) {
	p := start(t, writeBoard(t))
	s := p.stream()
	rec := filepath.Join(p.board, "content/commitments/wells.toml")

	t.Run("atomic save", func(t *testing.T) {
		n := p.rebuilds.Load()
		saveAtomically(t, rec, commitment("Two wells, saved atomically", "in-progress"))
		s.expect("reload")
		p.settle(n + 1)
		if _, body := p.get("/commitments/wells/index.html"); !strings.Contains(body, "Two wells, saved atomically") {
			t.Error("the new title is not served")
		}
	})
	t.Run("write in place", func(t *testing.T) {
		n := p.rebuilds.Load()
		writeFile(t, rec, commitment("Two wells, written in place", "in-progress"))
		s.expect("reload")
		p.settle(n + 1)
		if _, body := p.get("/commitments/wells/index.html"); !strings.Contains(body, "Two wells, written in place") {
			t.Error("the new title is not served")
		}
	})
	t.Run("vim save with backup and write test", func(t *testing.T) {
		n := p.rebuilds.Load()
		dir := filepath.Dir(rec)
		writeFile(t, filepath.Join(dir, "4913"), "")
		os.Remove(filepath.Join(dir, "4913"))
		writeFile(t, filepath.Join(dir, ".wells.toml.swp"), "swap")
		if err := os.Rename(rec, rec+"~"); err != nil {
			t.Fatal(err)
		}
		writeFile(t, rec, commitment("Two wells, saved by vim", "in-progress"))
		os.Remove(rec + "~")
		s.expect("reload")
		p.settle(n + 1)
		if _, body := p.get("/commitments/wells/index.html"); !strings.Contains(body, "Two wells, saved by vim") {
			t.Error("the new title is not served")
		}
	})
	t.Run("editor litter and chmod alone rebuild nothing", func(t *testing.T) {
		n := p.rebuilds.Load()
		dir := filepath.Dir(rec)
		for _, name := range []string{"wells.toml~", ".wells.toml.swx", "#wells.toml#", ".goutputstream-ABC123", "4913"} {
			writeFile(t, filepath.Join(dir, name), "x")
			os.Remove(filepath.Join(dir, name))
		}
		os.Chmod(rec, 0o600)
		os.Chmod(rec, 0o644)
		writeFile(t, filepath.Join(p.board, "README.txt"), "not a source")
		p.settle(n)
	})
	t.Run("deleting a record removes its page", func(t *testing.T) {
		if code, _ := p.get("/commitments/fencing/index.html"); code != 200 {
			t.Fatalf("fencing page: %d before the deletion", code)
		}
		if err := os.Remove(filepath.Join(p.board, "content/commitments/fencing.toml")); err != nil {
			t.Fatal(err)
		}
		s.expect("reload")
		if code, body := p.get("/commitments/fencing/index.html"); code != 404 || !strings.Contains(body, "kind-404") {
			t.Errorf("deleted record's page: %d", code)
		}
		if _, body := p.get("/commitments/index.html"); strings.Contains(body, "1,000 mu of fencing") {
			t.Error("the deleted record is still listed")
		}
	})
	t.Run("renaming a record moves its page", func(t *testing.T) {
		if err := os.Rename(rec, filepath.Join(filepath.Dir(rec), "two-wells.toml")); err != nil {
			t.Fatal(err)
		}
		s.expect("reload")
		if code, _ := p.get("/commitments/wells/index.html"); code != 404 {
			t.Errorf("old name: %d, want 404", code)
		}
		if code, _ := p.get("/commitments/two-wells/index.html"); code != 200 {
			t.Errorf("new name: %d, want 200", code)
		}
	})
	if out := p.stdout.String(); !regexp.MustCompile(`Rebuilt in \d+ms \((\d+ of )?\d+ pages( rendered again)?\)`).MatchString(out) {
		t.Errorf("no rebuild line in the output:\n%s", out)
	}
}

func TestErrorsShowInEveryPage(t *testing.T) {
	p := start(t, writeBoard(t))
	s := p.stream()
	rec := filepath.Join(p.board, "content/commitments/wells.toml")

	saveAtomically(t, rec, commitment("Broken wells", "don<b>"))
	s.expect("reload")
	for _, path := range []string{"/commitments/wells/index.html", "/index.html", "/no-such-page"} {
		_, body := p.get(path)
		if strings.Contains(body, "Broken wells") {
			t.Errorf("%s: the broken record reached the site", path)
		}
		if !strings.Contains(body, `id="glassboard-errors"`) {
			t.Fatalf("%s: no overlay", path)
		}
		if !strings.Contains(body, "content/commitments/wells.toml:6:10: unknown status &#34;don&lt;b&gt;&#34;") {
			t.Errorf("%s: the overlay does not show the escaped diagnostic:\n%s", path, body[strings.Index(body, `id="glassboard-errors"`):])
		}
		if strings.Contains(body, "don<b>") {
			t.Errorf("%s: unescaped text in the overlay", path)
		}
	}
	if _, body := p.get("/commitments/wells/index.html"); !strings.Contains(body, "Two wells for drinking water") {
		t.Error("the last good page is not served")
	}
	if errs := p.stderr.String(); !strings.Contains(errs, `content/commitments/wells.toml:6:10: unknown status "don<b>"`) {
		t.Errorf("the terminal does not show the error:\n%s", errs)
	}

	saveAtomically(t, rec, commitment("Fixed wells", "in-progress"))
	s.expect("reload")
	if _, body := p.get("/commitments/wells/index.html"); strings.Contains(body, "glassboard-errors") || !strings.Contains(body, "Fixed wells") {
		t.Errorf("after the fix: overlay still there or new title missing")
	}
}

func TestFirstBuildFails(t *testing.T) {
	dir := writeBoard(t)
	rec := filepath.Join(dir, "content/commitments/wells.toml")
	writeFile(t, rec, commitment("Broken wells", "don"))
	p := start(t, dir)
	code, body := p.get("/commitments/wells/index.html")
	if code != http.StatusServiceUnavailable || !strings.Contains(body, "glassboard-errors") || !strings.Contains(body, "wells.toml:6:10") || !strings.Contains(body, "no site to show yet") {
		t.Fatalf("before any good build: %d\n%s", code, body)
	}
	s := p.stream()
	saveAtomically(t, rec, commitment("Wells at last", "planned"))
	s.expect("reload")
	if code, body := p.get("/commitments/wells/index.html"); code != 200 || strings.Contains(body, "glassboard-errors") || !strings.Contains(body, "Wells at last") {
		t.Errorf("after the fix: %d", code)
	}
}

func TestBrokenLayoutShowsTheError(t *testing.T) {
	p := start(t, writeBoard(t))
	s := p.stream()
	writeFile(t, filepath.Join(p.board, "layouts/404.html"), `{{define "main"}}{{.Nope`)
	s.expect("reload")
	if _, body := p.get("/index.html"); !strings.Contains(body, "glassboard-errors") || !strings.Contains(body, "404.html") {
		t.Errorf("a template error is not shown:\n%s", p.stderr.String())
	}
	os.Remove(filepath.Join(p.board, "layouts/404.html"))
	s.expect("reload")
	if _, body := p.get("/index.html"); strings.Contains(body, "glassboard-errors") {
		t.Error("overlay stays after the layout is removed")
	}
}

func TestStylesheetChangeRefreshesStyles(t *testing.T) {
	p := start(t, writeBoard(t))
	s := p.stream()
	saveAtomically(t, filepath.Join(p.board, "static/assets/style.css"), "body { color: navy }\n")
	s.expect("css")
	_, page := p.get("/index.html")
	m := regexp.MustCompile(`href="([^"]*style\.[0-9a-f]+\.css)"`).FindStringSubmatch(page)
	if m == nil {
		t.Fatal("no stylesheet link")
	}
	if _, css := p.get("/" + strings.TrimPrefix(m[1], "/")); css != "body { color: navy }\n" {
		t.Errorf("the new stylesheet is not served: %q", css)
	}
	// Anything else besides a stylesheet reloads the page.
	writeFile(t, filepath.Join(p.board, "static/assets/style.css"), "body { color: teal }\n")
	writeFile(t, filepath.Join(p.board, "static/files/other.txt"), "x")
	s.expect("reload")
}

func TestNewFoldersAreWatched(t *testing.T) {
	p := start(t, writeBoard(t))
	s := p.stream()

	t.Run("made in place", func(t *testing.T) {
		dir := filepath.Join(p.board, "content/notices/2019/q4")
		writeFile(t, filepath.Join(dir, "dev-targets.toml"), notice("Development targets, fourth quarter"))
		s.expect("reload")
		p.waitFor(t, func() bool {
			code, _ := p.get("/notices/dev-targets/index.html")
			return code == 200
		}, s)
		// The new folder is watched: an edit inside it rebuilds.
		saveAtomically(t, filepath.Join(dir, "dev-targets.toml"), notice("Development targets, revised"))
		p.waitFor(t, func() bool {
			_, body := p.get("/notices/dev-targets/index.html")
			return strings.Contains(body, "Development targets, revised")
		}, s)
	})
	t.Run("moved in", func(t *testing.T) {
		outside := filepath.Join(filepath.Dir(p.board), "incoming", "batch")
		writeFile(t, filepath.Join(outside, "sub", "moved-in.toml"), commitment("Moved in with its folder", "planned"))
		if err := os.Rename(filepath.Dir(outside), filepath.Join(p.board, "content/commitments/incoming")); err != nil {
			t.Fatal(err)
		}
		p.waitFor(t, func() bool {
			_, body := p.get("/commitments/moved-in/index.html")
			return strings.Contains(body, "Moved in with its folder")
		}, s)
		saveAtomically(t, filepath.Join(p.board, "content/commitments/incoming/batch/sub/moved-in.toml"), commitment("Edited after the move", "planned"))
		p.waitFor(t, func() bool {
			_, body := p.get("/commitments/moved-in/index.html")
			return strings.Contains(body, "Edited after the move")
		}, s)
	})
	t.Run("removed", func(t *testing.T) {
		if err := os.RemoveAll(filepath.Join(p.board, "content/commitments/incoming")); err != nil {
			t.Fatal(err)
		}
		p.waitFor(t, func() bool {
			code, _ := p.get("/commitments/moved-in/index.html")
			return code == 404
		}, s)
	})
}

// waitFor checks cond after each event until it holds.
func (p *preview) waitFor(t *testing.T, cond func() bool, s *stream) {
	t.Helper()
	deadline := time.Now().Add(wait)
	for !cond() {
		select {
		case _, ok := <-s.events:
			if !ok {
				t.Fatal("the event stream ended")
			}
		case <-time.After(time.Until(deadline)):
			t.Fatalf("not so within %s\nstdout:\n%s\nstderr:\n%s", wait, p.stdout.String(), p.stderr.String())
		}
	}
}

func notice(title string) string {
	return fmt.Sprintf(`title = %q
issuer = "Test Township Committee"
purpose = "membership"
published = 2019-11-11
opens = 2019-11-11
closes = 2019-11-19

[[candidates]]
name = "Zhang San"
unit = "xinfang"
`, title)
}

func TestSampleBoard(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "board")
	if err := sample.Write(dir, 40, time.Date(2019, 11, 15, 0, 0, 0, 0, time.UTC)); err != nil {
		t.Fatal(err)
	}
	p := start(t, dir)
	if code, body := p.get("/"); code != 200 || !strings.Contains(body, "/__glassboard/live.js") {
		t.Fatalf("home: %d", code)
	}
	s := p.stream()
	// board.toml is replaced the way editors do: rebuild everything.
	cfg, err := os.ReadFile(filepath.Join(dir, "board.toml"))
	if err != nil {
		t.Fatal(err)
	}
	re := regexp.MustCompile(`(?m)^title = ".*"$`)
	saveAtomically(t, filepath.Join(dir, "board.toml"), re.ReplaceAllString(string(cfg), `title = "Renamed sample board"`))
	s.expect("reload")
	if _, body := p.get("/"); !strings.Contains(body, "Renamed sample board") {
		t.Error("the new board title is not served")
	}
}

func TestLiveReloadConnectionsAreCapped(t *testing.T) {
	p := start(t, writeBoard(t), func(c *serve.Config) { c.MaxClients = 2 })
	a, b := p.stream(), p.stream()
	resp, _ := p.raw("GET", "/__glassboard/events")
	if resp.StatusCode != http.StatusServiceUnavailable {
		t.Errorf("third stream: status %d, want 503", resp.StatusCode)
	}
	// Closing one makes room for another.
	a.resp.Body.Close()
	deadline := time.Now().Add(wait)
	for {
		resp, err := http.Get(p.url + "__glassboard/events")
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode == http.StatusOK {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("a closed stream's place is not freed")
		}
		time.Sleep(20 * time.Millisecond)
	}
	_ = b
}

func TestCancelShutsDownCleanly(t *testing.T) {
	p := start(t, writeBoard(t))
	s := p.stream()
	u, _ := url.Parse(p.url)
	p.stop()
	// The event stream ends.
	select {
	case _, ok := <-s.events:
		if ok {
			t.Error("an event after the shutdown")
		}
	case <-time.After(wait):
		t.Fatal("the event stream is still open")
	}
	// The listener is closed.
	if c, err := net.DialTimeout("tcp", u.Host, 2*time.Second); err == nil {
		c.Close()
		t.Error("the port still accepts connections")
	}
	if !strings.Contains(p.stdout.String(), "Stopped.") {
		t.Errorf("stdout:\n%s", p.stdout.String())
	}
	// No goroutine of the server or of its watcher is left.
	deadline := time.Now().Add(wait)
	for {
		buf := make([]byte, 1<<20)
		stacks := string(buf[:runtime.Stack(buf, true)])
		left := ""
		for _, g := range strings.Split(stacks, "\n\n") {
			if strings.Contains(g, "internal/serve.(*") || strings.Contains(g, "fsnotify") || strings.Contains(g, "net/http.(*conn).serve") && !strings.Contains(g, "serve_test") {
				left = g
			}
		}
		if left == "" {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("a goroutine is left:\n%s", left)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func TestBusyPortMovesOn(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	busy := ln.Addr().(*net.TCPAddr).Port
	if busy > 65535-21 {
		t.Skip("no room above the busy port")
	}
	p := start(t, writeBoard(t), func(c *serve.Config) { c.Port = busy })
	u, _ := url.Parse(p.url)
	_, port, _ := net.SplitHostPort(u.Host)
	if port == fmt.Sprint(busy) {
		t.Fatalf("served on the busy port %s", port)
	}
	if !strings.Contains(p.stdout.String(), fmt.Sprintf("Port %d is busy; using %s instead.", busy, port)) || !strings.Contains(p.stdout.String(), p.url) {
		t.Errorf("stdout:\n%s", p.stdout.String())
	}
	if code, _ := p.get("/"); code != 200 {
		t.Errorf("home: %d", code)
	}
}

func TestBadPortIsRefused(t *testing.T) {
	dir := writeBoard(t)
	_, err := serve.New(serve.Config{Source: dir, Port: 70000, Rebuild: func([]string) (serve.Build, error) { return serve.Build{}, errors.New("x") }})
	if err == nil {
		t.Error("port 70000 is accepted")
	}
}

func TestOnlyLocalNamesOnLoopback(t *testing.T) {
	p := start(t, writeBoard(t))
	for host, want := range map[string]int{
		"":                         200,
		"localhost":                200,
		"LOCALHOST.:1313":          200,
		"127.0.0.1:1313":           200,
		"[::1]:1313":               200,
		"board.localhost":          200,
		"attacker.example":         http.StatusMisdirectedRequest,
		"attacker.example:1313":    http.StatusMisdirectedRequest,
		"127.0.0.1.attacker.test":  http.StatusMisdirectedRequest,
		"localhost.attacker.test.": http.StatusMisdirectedRequest,
	} {
		req, _ := http.NewRequest("GET", p.url+"__glassboard/live.js", nil)
		req.Host = host
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != want {
			t.Errorf("Host %q: status %d, want %d", host, resp.StatusCode, want)
		}
	}
}

func TestStopDoesNotWaitForALongRebuild(t *testing.T) {
	dir := writeBoard(t)
	builder, err := build.NewPreview(build.Options{Source: dir, Theme: glassboard.Theme, Today: today})
	if err != nil {
		t.Fatal(err)
	}
	started, release, finished := make(chan struct{}), make(chan struct{}), make(chan struct{})
	calls := 0
	s, err := serve.New(serve.Config{Source: dir, Port: 0, Debounce: debounce,
		Rebuild: func([]string) (serve.Build, error) {
			calls++
			if calls > 1 { // a rebuild that takes "forever"
				close(started)
				<-release
				defer close(finished)
			}
			res, err := builder.Rebuild(nil)
			return serve.Build{Site: res.Site, Pages: res.Pages}, err
		}})
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Start(); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- s.Serve(ctx) }()
	writeFile(t, filepath.Join(dir, "content/commitments/wells.toml"), commitment("Edited", "planned"))
	select {
	case <-started:
	case <-time.After(wait):
		t.Fatal("no rebuild")
	}
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Error(err)
		}
	case <-time.After(wait):
		t.Fatal("Serve waits for the rebuild")
	}
	// Let the abandoned rebuild end before the folders are removed.
	close(release)
	select {
	case <-finished:
	case <-time.After(wait):
		t.Fatal("the released rebuild does not end")
	}
}
