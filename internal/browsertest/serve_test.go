package browsertest

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// liveLimit is how soon after a save the open page must show it.
const liveLimit = 2 * time.Second

// pollEvery is how often the page is looked at while waiting.
const pollEvery = 25 * time.Millisecond

// TestServeLive runs `glassboard serve` as a user does (the binary, built
// from this module, over a sample board made by `glassboard new site`) and
// watches one record page in headless Chromium while the record is edited
// on disk, with no action in the page: a new title appears, a broken record
// brings up the error overlay naming its file and line, the fix takes the
// overlay away, and a stylesheet change is applied without reloading the
// page. Ctrl+C (SIGINT) then stops the preview with exit status 0.
func TestServeLive(t *testing.T) {
	e := setup(t)
	tmp := t.TempDir()
	bin := buildGlassboard(t, tmp)

	const now = "2026-06-15"
	dir := filepath.Join(tmp, "board")
	if out, err := exec.Command(bin, "new", "site", dir, "--sample", "30", "--now", now).CombinedOutput(); err != nil {
		t.Fatalf("glassboard new site: %v\n%s", err, out)
	}
	// The board's own copy of the theme's stylesheet, which overrides the
	// embedded one and is what a user would edit.
	css, err := os.ReadFile("../../static/assets/style.css")
	if err != nil {
		t.Fatal(err)
	}
	cssFile := filepath.Join(dir, "static", "assets", "style.css")
	if err := os.MkdirAll(filepath.Dir(cssFile), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(cssFile, css, 0o644); err != nil {
		t.Fatal(err)
	}
	rel, id := pickCommitment(t, dir)
	record := filepath.Join(dir, filepath.FromSlash(rel))
	orig, err := os.ReadFile(record)
	if err != nil {
		t.Fatal(err)
	}

	p := startServe(t, bin, "serve", "-s", dir, "--port", "0", "--now", now)
	pageURL := p.url + "commitments/" + id + "/index.html"

	tb := e.newTab(t, 1280, 900, false)
	defer tb.close()
	if err := tb.open(pageURL); err != nil {
		t.Fatal(err)
	}
	before, err := eval[string](tb, h1JS)
	if err != nil {
		t.Fatal(err)
	}
	oldTitle, err := strconv.Unquote(strings.TrimPrefix(firstMatch(t, titleLine, orig), "title = "))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(before, oldTitle) {
		t.Fatalf("%s: h1 %q, want the record's title %q", pageURL, before, oldTitle)
	}
	// Let the live-reload script connect. (Were an edit to come first, the
	// script's greeting would still reload the page, but the measured time
	// would then include the page's own loading.)
	time.Sleep(300 * time.Millisecond)

	// A marker in the page tells a reload (it goes) from a restyle (it stays).
	if _, err := eval[bool](tb, `window.__glassboardMarker = 1; true`); err != nil {
		t.Fatal(err)
	}

	// 1. A new title.
	newTitle := fmt.Sprintf("Live reload check %d 实时预览", time.Now().UnixNano())
	edited := titleLine.ReplaceAll(orig, []byte(fmt.Sprintf("title = %q", newTitle)))
	if bytes.Equal(edited, orig) {
		t.Fatalf("%s: no title line to change", rel)
	}
	atomicSave(t, record, edited)
	took, got, err := waitPage(tb, h1JS, func(h1 string) bool { return h1 == newTitle })
	t.Logf("save → new title in the page: %s", took.Round(time.Millisecond))
	if err != nil || took > liveLimit {
		t.Fatalf("the new title %q was not in the page within %s of the save (h1 %q after %s, %v)\n%s", newTitle, liveLimit, got, took, err, p.output())
	}
	if kept, err := eval[bool](tb, `window.__glassboardMarker === 1`); err != nil || kept {
		t.Errorf("the page shows the new title but was not reloaded (marker kept: %v, %v)", kept, err)
	}

	// 2. A broken record: the overlay names the file and the line.
	statusAt := lineOf(t, statusLine, edited)
	broken := []byte(strings.Replace(string(edited), firstMatch(t, statusLine, edited), `status = "in-progres"`, 1))
	atomicSave(t, record, broken)
	where := fmt.Sprintf("%s:%d:", rel, statusAt)
	took, got, err = waitPage(tb, overlayJS, func(text string) bool { return strings.Contains(text, where) })
	t.Logf("save → error overlay in the page: %s", took.Round(time.Millisecond))
	if err != nil || took > liveLimit {
		t.Fatalf("no overlay naming %s within %s of the save (overlay %q after %s, %v)\n%s", where, liveLimit, got, took, err, p.output())
	}
	t.Logf("overlay: %s", strings.Join(strings.Fields(got), " "))
	if !strings.Contains(got, "in-progres") {
		t.Errorf("the overlay does not quote the wrong status: %q", got)
	}
	// The last good version stays under the overlay.
	if h1, err := eval[string](tb, h1JS); err != nil || h1 != newTitle {
		t.Errorf("under the overlay the page shows h1 %q (%v), want the last good title %q", h1, err, newTitle)
	}

	// 3. The fix: the overlay goes and the record is shown again.
	atomicSave(t, record, edited)
	took, got, err = waitPage(tb, `(`+overlayJS+`) === "" && `+h1JS, func(h1 string) bool { return h1 == newTitle })
	t.Logf("fix → overlay gone: %s", took.Round(time.Millisecond))
	if err != nil || took > liveLimit {
		t.Fatalf("the overlay was still there, or the record not shown, %s after the fix (h1 %q, %v)\n%s", took, got, err, p.output())
	}
	if text, err := eval[string](tb, `document.querySelector("main") ? document.querySelector("main").innerText : ""`); err != nil || !strings.Contains(text, newTitle) {
		t.Errorf("after the fix the page's main does not show the record (%v): %.200q", err, text)
	}

	// 4. A stylesheet change is applied without reloading the page.
	if _, err := eval[bool](tb, `window.__glassboardMarker = 1; true`); err != nil {
		t.Fatal(err)
	}
	const color = "rgb(1, 2, 3)"
	colorBefore, err := eval[string](tb, h1ColorJS)
	if err != nil {
		t.Fatal(err)
	}
	if colorBefore == color {
		t.Fatalf("the h1 is already %s", color)
	}
	atomicSave(t, cssFile, append(css, "\nh1 { color: rgb(1, 2, 3) !important; }\n"...))
	took, got, err = waitPage(tb, h1ColorJS, func(c string) bool { return c == color })
	t.Logf("stylesheet save → new style in the page: %s", took.Round(time.Millisecond))
	if err != nil || took > liveLimit {
		t.Fatalf("the h1 was %s, not %s, %s after the stylesheet was saved (%v)\n%s", got, color, took, err, p.output())
	}
	if marker, err := eval[bool](tb, `window.__glassboardMarker === 1`); err != nil || !marker {
		t.Errorf("the page was reloaded for a stylesheet change (marker kept: %v, %v)", marker, err)
	}
	if n, err := eval[int](tb, `document.querySelectorAll('link[rel~="stylesheet"]').length`); err != nil || n != 1 {
		t.Errorf("%d stylesheets in the page after the change, want 1 (%v)", n, err)
	}

	for _, m := range tb.consoleErrors() {
		t.Errorf("console: %s", m)
	}
	tb.close()

	// Ctrl+C stops the preview cleanly.
	if err := p.interrupt(); err != nil {
		t.Fatalf("after SIGINT: %v\n%s", err, p.output())
	}
	out := p.output()
	t.Logf("glassboard serve said:\n%s", out)
	for _, want := range []string{"Changed: " + rel, "Changed: static/assets/style.css", "Stopped."} {
		if !strings.Contains(out, want) {
			t.Errorf("the terminal does not say %q:\n%s", want, out)
		}
	}
	if !strings.Contains(out, where) {
		t.Errorf("the terminal does not name %s:\n%s", where, out)
	}
}

var (
	titleLine  = regexp.MustCompile(`(?m)^title = ".*"$`)
	statusLine = regexp.MustCompile(`(?m)^status = ".*"$`)
)

const (
	h1JS      = `(document.querySelector("h1") || {textContent: ""}).textContent.trim()`
	h1ColorJS = `document.querySelector("h1") ? getComputedStyle(document.querySelector("h1")).color : ""`
	// overlayJS is the text of the error overlay when it is shown, else "".
	overlayJS = `(() => {
  const o = document.getElementById("glassboard-errors");
  if (!o) return "";
  const r = o.getBoundingClientRect(), cs = getComputedStyle(o);
  if (r.width === 0 || r.height === 0 || cs.display === "none" || cs.visibility === "hidden") return "";
  return o.innerText;
})()`
)

// firstMatch returns the first match of re in b (only the first line is
// edited: later ones, such as an update's status, stay).
func firstMatch(t *testing.T, re *regexp.Regexp, b []byte) string {
	t.Helper()
	m := re.Find(b)
	if m == nil {
		t.Fatalf("no line matching %s", re)
	}
	return string(m)
}

// lineOf returns the line number of the first match of re in b.
func lineOf(t *testing.T, re *regexp.Regexp, b []byte) int {
	t.Helper()
	loc := re.FindIndex(b)
	if loc == nil {
		t.Fatalf("no line matching %s", re)
	}
	return bytes.Count(b[:loc[0]], []byte("\n")) + 1
}

// pickCommitment returns the first commitment of the board (its path
// relative to the board, slash-separated) and its id.
func pickCommitment(t *testing.T, dir string) (rel, id string) {
	t.Helper()
	files, err := filepath.Glob(filepath.Join(dir, "content", "commitments", "*", "*", "*.toml"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no commitment in the sample board (%v)", err)
	}
	r, err := filepath.Rel(dir, files[0])
	if err != nil {
		t.Fatal(err)
	}
	return filepath.ToSlash(r), strings.TrimSuffix(filepath.Base(files[0]), ".toml")
}

// atomicSave replaces name by a file with data the way editors save: a
// hidden temporary file beside it, renamed over it.
func atomicSave(t *testing.T, name string, data []byte) {
	t.Helper()
	f, err := os.CreateTemp(filepath.Dir(name), "."+filepath.Base(name)+".*")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.Write(data); err != nil {
		f.Close()
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
	if err := os.Rename(f.Name(), name); err != nil {
		t.Fatal(err)
	}
}

// waitPage evaluates js in the tab every pollEvery until ok accepts its
// result, and returns how long that took since the call. It gives up after
// 5 × liveLimit, so that a slow page is measured rather than only failed.
// Evaluation errors (the page is being reloaded) are retried.
func waitPage(tb *tab, js string, ok func(string) bool) (time.Duration, string, error) {
	start := time.Now()
	var last string
	var lastErr error
	for {
		v, err := evalFor[any](tb, js, time.Second)
		switch {
		case err != nil:
			lastErr = err
		default:
			last, lastErr = fmt.Sprint(v), nil
			if s, isString := v.(string); isString && ok(s) {
				return time.Since(start), s, nil
			}
		}
		if time.Since(start) > 5*liveLimit {
			if lastErr == nil {
				lastErr = errors.New("timed out")
			}
			return time.Since(start), last, lastErr
		}
		time.Sleep(pollEvery)
	}
}

// evalFor is eval with a time limit of its own.
func evalFor[T any](tb *tab, js string, limit time.Duration) (T, error) {
	ctx, cancel := context.WithTimeout(tb.ctx, limit)
	defer cancel()
	return chromedp.Run(ctx, chromedp.Evaluate[T](js))
}

// buildGlassboard builds the command into dir with the go tool.
func buildGlassboard(t *testing.T, dir string) string {
	t.Helper()
	goTool, err := exec.LookPath("go")
	if err != nil {
		goTool = filepath.Join(os.Getenv("GOROOT"), "bin", "go")
	}
	bin := filepath.Join(dir, "glassboard")
	start := time.Now()
	if out, err := exec.Command(goTool, "build", "-o", bin, "../../cmd/glassboard").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	t.Logf("built glassboard in %s", time.Since(start).Round(time.Millisecond))
	return bin
}

// preview is a running `glassboard serve`.
type preview struct {
	cmd  *exec.Cmd
	url  string
	mu   sync.Mutex
	out  bytes.Buffer  // stdout and stderr, as they came
	done chan struct{} // closed on exit
	err  error         // the exit status, once done is closed
}

func (p *preview) Write(b []byte) (int, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.out.Write(b)
}

func (p *preview) output() string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.out.String()
}

// startServe starts bin with args and waits for the URL it prints. The
// process is killed at the end of the test if it is still running.
func startServe(t *testing.T, bin string, args ...string) *preview {
	t.Helper()
	p := &preview{cmd: exec.Command(bin, args...), done: make(chan struct{})}
	stdout, err := p.cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	p.cmd.Stderr = p
	if err := p.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	urls := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			line := sc.Text()
			fmt.Fprintln(p, line)
			if u, ok := strings.CutPrefix(line, "Serving the preview at "); ok {
				select {
				case urls <- strings.TrimSpace(u):
				default:
				}
			}
		}
		io.Copy(p, stdout)
		p.err = p.cmd.Wait()
		close(p.done)
	}()
	t.Cleanup(func() {
		select {
		case <-p.done:
		default:
			p.cmd.Process.Kill()
			<-p.done
		}
	})
	select {
	case p.url = <-urls:
	case <-p.done:
		t.Fatalf("glassboard serve ended before serving: %v\n%s", p.err, p.output())
	case <-time.After(60 * time.Second):
		t.Fatalf("glassboard serve printed no URL within a minute:\n%s", p.output())
	}
	if !strings.HasPrefix(p.url, "http://127.0.0.1:") || !strings.HasSuffix(p.url, "/") {
		t.Fatalf("glassboard serve printed the URL %q", p.url)
	}
	return p
}

// interrupt sends SIGINT, as Ctrl+C does, and waits for the exit; an exit
// status other than 0 is an error.
func (p *preview) interrupt() error {
	if err := p.cmd.Process.Signal(os.Interrupt); err != nil {
		return err
	}
	select {
	case <-p.done:
		return p.err
	case <-time.After(15 * time.Second):
		return errors.New("still running 15s after SIGINT")
	}
}
