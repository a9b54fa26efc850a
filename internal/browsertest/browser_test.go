package browsertest

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"

	"github.com/glassboard/glassboard"
	"github.com/glassboard/glassboard/internal/board"
	"github.com/glassboard/glassboard/internal/build"
	"github.com/glassboard/glassboard/internal/poster"
	"github.com/glassboard/glassboard/internal/sample"
)

const axeVersion = "4.14.1"

// pages are the pages every check visits: the dashboard, each list, one
// record of each kind, a unit, the free pages and a poster.
var pages = []string{
	"index.html",
	"commitments/index.html",
	"notices/index.html",
	"ratings/index.html",
	"units/index.html",
	"commitments/drinking-water-wells/index.html",
	"notices/2019-gangou-yao-young-cadre/index.html",
	"ratings/2019-xinfang-posts/index.html",
	"units/xinfang/index.html",
	"how-to-object/index.html",
	"about/index.html",
	"posters/notices/2019-gangou-yao-young-cadre/index.html",
}

func isPoster(p string) bool { return strings.HasPrefix(p, "posters/") }

// pagedPages are the pages visited on the paginated sample board: later
// pages of each list, the lists the dashboard links to, a unit's own list.
var pagedPages = []string{
	"index.html",
	"commitments/page/2/index.html",
	"commitments/flag/overdue/index.html",
	"commitments/status/in-progress/index.html",
	"notices/page/2/index.html",
	"ratings/page/2/index.html",
	"units/xinfang/index.html",
	"units/xinfang/notices/index.html",
}

// site is one built board, served over HTTP and readable from file://.
type site struct {
	name  string   // the subtest's name
	pages []string // the pages the checks visit
	lang  string   // "en" or "zh-CN"
	dir   string   // the built site
	http  string   // base URL, ending in "/"
	file  string   // file:// URL of dir, ending in "/"
}

func (s site) url(mode, p string) string {
	if mode == "file" {
		return s.file + p
	}
	return s.http + p
}

// env is shared by all the tests of the package: two built boards and one
// browser.
type env struct {
	sites   []site // the example board in English and in Chinese
	paged   site   // a sample board of 700 records, whose lists have several pages
	browser context.Context
}

var (
	envOnce sync.Once
	envVal  *env
	envErr  error
	envSkip string
	cleanup []func()
)

func TestMain(m *testing.M) {
	code := m.Run()
	for i := len(cleanup) - 1; i >= 0; i-- {
		cleanup[i]()
	}
	os.Exit(code)
}

// all is every built site.
func (e *env) all() []site { return append(slices.Clone(e.sites), e.paged) }

// setup returns the shared environment, building it on first use. Without a
// browser the test is skipped, or fails when CI is set.
func setup(t *testing.T) *env {
	t.Helper()
	envOnce.Do(func() { envVal, envSkip, envErr = newEnv() })
	if envSkip != "" {
		if os.Getenv("CI") != "" {
			t.Fatalf("CI is set and %s", envSkip)
		}
		t.Skip(envSkip)
	}
	if envErr != nil {
		t.Fatal(envErr)
	}
	return envVal
}

func newEnv() (*env, string, error) {
	chrome, err := poster.FindChrome(os.Getenv)
	if err != nil {
		if p, err2 := exec.LookPath("chromium"); err2 == nil {
			chrome = p
		} else {
			return nil, "no headless browser found: " + err.Error(), nil
		}
	}
	tmp, err := os.MkdirTemp("", "glassboard-browsertest-")
	if err != nil {
		return nil, "", err
	}
	cleanup = append(cleanup, func() { os.RemoveAll(tmp) })

	e := &env{}
	for _, lang := range []string{"en", "zh-CN"} {
		s, err := buildSite(tmp, lang)
		if err != nil {
			return nil, "", err
		}
		e.sites = append(e.sites, s)
	}
	src := filepath.Join(tmp, "paged", "board")
	if err := sample.Write(src, 700, time.Date(2026, 6, 15, 0, 0, 0, 0, time.UTC)); err != nil {
		return nil, "", err
	}
	paged, err := serveSite(src, filepath.Join(tmp, "paged", "public"), "2026-06-15")
	if err != nil {
		return nil, "", err
	}
	paged.name, paged.lang, paged.pages = "paged", "en", pagedPages
	e.paged = paged

	profile := filepath.Join(tmp, "profile")
	actx, acancel := chromedp.NewExecAllocator(context.Background(),
		chromedp.ExecPath(chrome),
		chromedp.Headless,
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		chromedp.NoDefaultBrowserCheck,
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-extensions", true),
		chromedp.Flag("mute-audio", true),
		chromedp.Flag("hide-scrollbars", true),
		chromedp.UserDataDir(profile),
		chromedp.WindowSize(1280, 900),
	)
	bctx, bcancel := chromedp.NewContext(actx)
	// Start the browser now, on a context without a timeout (see chromedp.Run).
	if err := chromedp.Do(bctx, chromedp.Navigate("about:blank")); err != nil {
		bcancel()
		acancel()
		return nil, "", fmt.Errorf("starting %s: %w", chrome, err)
	}
	cleanup = append(cleanup, acancel, bcancel)
	e.browser = bctx
	return e, "", nil
}

// buildSite builds the example board at the repository root into
// tmp/lang/public, with board.toml's language set to lang, and serves it.
func buildSite(tmp, lang string) (site, error) {
	src := filepath.Join(tmp, lang, "board")
	if err := os.CopyFS(filepath.Join(src, "content"), os.DirFS("../../content")); err != nil {
		return site{}, err
	}
	toml, err := os.ReadFile("../../board.toml")
	if err != nil {
		return site{}, err
	}
	re := regexp.MustCompile(`(?m)^language\s*=.*$`)
	if !re.Match(toml) {
		return site{}, errors.New("board.toml has no language line")
	}
	toml = re.ReplaceAll(toml, []byte(fmt.Sprintf("language = %q", lang)))
	if err := os.WriteFile(filepath.Join(src, "board.toml"), toml, 0o644); err != nil {
		return site{}, err
	}
	s, err := serveSite(src, filepath.Join(tmp, lang, "public"), "2019-11-15")
	s.name, s.lang, s.pages = lang, lang, pages
	return s, err
}

// serveSite builds the board in src into dest as of the day now and serves it.
func serveSite(src, dest, now string) (site, error) {
	today, err := board.ParseDate(now)
	if err != nil {
		return site{}, err
	}
	res, err := build.Run(build.Options{Source: src, Dest: dest, Theme: glassboard.Theme, Today: today})
	if err != nil {
		if res != nil {
			return site{}, fmt.Errorf("building %s: %w\n%v", src, err, res.Diags)
		}
		return site{}, fmt.Errorf("building %s: %w", src, err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return site{}, err
	}
	srv := &http.Server{Handler: http.FileServer(http.Dir(dest)), ReadHeaderTimeout: 10 * time.Second}
	go srv.Serve(ln)
	cleanup = append(cleanup, func() { srv.Close() })
	abs, err := filepath.Abs(dest)
	if err != nil {
		return site{}, err
	}
	return site{
		dir:  dest,
		http: "http://" + ln.Addr().String() + "/",
		file: (&url.URL{Scheme: "file", Path: filepath.ToSlash(abs) + "/"}).String(),
	}, nil
}

// tab is one browser tab with its console messages.
type tab struct {
	ctx    context.Context
	cancel context.CancelFunc
	mu     sync.Mutex
	errs   []string
	done   chan struct{}
}

// newTab opens a tab of width×height; noJS disables scripts in it.
func (e *env) newTab(t *testing.T, width, height int64, noJS bool) *tab {
	t.Helper()
	ctx, cancel := chromedp.NewContext(e.browser)
	tb := &tab{ctx: ctx, cancel: cancel, done: make(chan struct{})}
	msgs := chromedp.Console(ctx)
	go func() {
		defer close(tb.done)
		for m, err := range msgs {
			if err != nil {
				return
			}
			if m.Type == chromedp.ConsoleError || m.IsException() {
				tb.mu.Lock()
				tb.errs = append(tb.errs, fmt.Sprintf("%s (%s:%d)", m, m.URL, m.Line))
				tb.mu.Unlock()
			}
		}
	}()
	steps := []chromedp.Action[chromedp.Void]{chromedp.EmulateViewport(width, height)}
	if noJS {
		steps = append(steps, chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
			_, err := cdp.Call(ctx, t, emulation.SetScriptExecutionDisabled, emulation.SetScriptExecutionDisabledParams{Value: true})
			return err
		}))
	}
	if err := chromedp.Do(ctx, steps...); err != nil {
		cancel()
		t.Fatal(err)
	}
	return tb
}

func (tb *tab) close() {
	tb.cancel()
	<-tb.done
}

// consoleErrors returns the errors seen since the last call.
func (tb *tab) consoleErrors() []string {
	time.Sleep(50 * time.Millisecond) // let the last events arrive
	tb.mu.Lock()
	defer tb.mu.Unlock()
	errs := tb.errs
	tb.errs = nil
	return errs
}

func (tb *tab) open(u string) error {
	ctx, cancel := context.WithTimeout(tb.ctx, 20*time.Second)
	defer cancel()
	return chromedp.Do(ctx, chromedp.Navigate(u))
}

// eval runs a script in the tab. Its limit is generous: axe on a long page
// takes seconds, and can take minutes on a busy machine.
func eval[T any](tb *tab, js string, opts ...chromedp.EvaluateOption) (T, error) {
	ctx, cancel := context.WithTimeout(tb.ctx, 90*time.Second)
	defer cancel()
	return chromedp.Run(ctx, chromedp.Evaluate[T](js, opts...))
}

var axeSource = sync.OnceValues(func() (string, error) {
	b, err := os.ReadFile("testdata/axe.min.js")
	if err != nil {
		return "", err
	}
	if !bytes.Contains(b[:200], []byte("axe v"+axeVersion)) {
		return "", fmt.Errorf("testdata/axe.min.js is not axe-core %s", axeVersion)
	}
	return string(b), nil
})

type axeViolation struct {
	ID     string   `json:"id"`
	Impact string   `json:"impact"`
	Help   string   `json:"help"`
	Nodes  int      `json:"nodes"`
	Where  []string `json:"where"`
}

const axeRun = `axe.run(document, {
  runOnly: {type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]},
  resultTypes: ["violations"]
}).then(r => r.violations.map(v => ({
  id: v.id, impact: v.impact || "", help: v.help, nodes: v.nodes.length,
  where: v.nodes.slice(0, 3).map(n => n.target.join(" ") + ": " + (n.failureSummary || "").replace(/\s+/g, " ").slice(0, 200))
})))`

// structure is what structureJS reports about a page.
type structure struct {
	Lang       string   `json:"lang"`
	H1         int      `json:"h1"`
	Header     int      `json:"header"`
	Nav        int      `json:"nav"`
	Main       int      `json:"main"`
	Footer     int      `json:"footer"`
	MainID     string   `json:"mainID"`
	Skip       bool     `json:"skip"`
	MainText   int      `json:"mainText"`
	Stars      int      `json:"stars"`
	StarsBad   []string `json:"starsBad"`
	Statuses   int      `json:"statuses"`
	StatusBad  []string `json:"statusBad"`
	GlyphsBare []string `json:"glyphsBare"`
}

const structureJS = `(() => {
  const q = s => Array.from(document.querySelectorAll(s));
  const main = document.querySelector("main");
  const first = document.querySelector("a[href], button, input, select, summary");
  const outer = el => el.outerHTML.slice(0, 120);
  const visibleText = el => { const c = el.cloneNode(true); c.querySelectorAll("[aria-hidden=true]").forEach(n => n.remove()); return c.textContent.trim(); };
  const glyphs = [];
  const w = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let n = w.nextNode(); n; n = w.nextNode()) {
    if (/[★☆✩✪⭐●○◐]/.test(n.data) && !n.parentElement.closest("[aria-hidden=true]")) glyphs.push(n.parentElement.outerHTML.slice(0, 120));
  }
  return {
    lang: document.documentElement.getAttribute("lang") || "",
    h1: q("h1").length,
    header: q("body > header, [role=banner]").length,
    nav: q("nav, [role=navigation]").length,
    main: q("main, [role=main]").length,
    footer: q("body > footer, [role=contentinfo]").length,
    mainID: main ? main.id : "",
    skip: !!first && first.getAttribute("href") === "#main",
    mainText: main ? main.innerText.trim().length : 0,
    stars: q(".stars").length,
    starsBad: q(".stars").filter(s => !visibleText(s) && !s.getAttribute("aria-label")).map(outer),
    statuses: q(".status").length,
    statusBad: q(".status").filter(s => !visibleText(s)).map(outer),
    glyphsBare: glyphs,
  };
})()`

// TestPages runs, on each page in each language over HTTP: axe-core, the
// structure checks, and the console check.
func TestPages(t *testing.T) {
	e := setup(t)
	axe, err := axeSource()
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range e.all() {
		t.Run(s.name, func(t *testing.T) {
			tb := e.newTab(t, 1280, 900, false)
			defer tb.close()
			for _, p := range s.pages {
				t.Run(strings.TrimSuffix(p, "/index.html"), func(t *testing.T) {
					if err := tb.open(s.url("http", p)); err != nil {
						t.Fatal(err)
					}
					checkStructure(t, tb, s, p)
					if _, err := eval[bool](tb, axe+";true"); err != nil {
						t.Fatalf("loading axe: %v", err)
					}
					vs, err := eval[[]axeViolation](tb, axeRun, chromedp.EvalAwaitPromise)
					if err != nil {
						t.Fatalf("axe: %v", err)
					}
					count := map[string]int{}
					for _, v := range vs {
						count[v.Impact] += v.Nodes
						msg := fmt.Sprintf("axe %s %s (%d nodes): %s\n\t%s", v.Impact, v.ID, v.Nodes, v.Help, strings.Join(v.Where, "\n\t"))
						if v.Impact == "serious" || v.Impact == "critical" {
							t.Error(msg)
						} else {
							t.Log(msg)
						}
					}
					t.Logf("axe %s %s: critical %d, serious %d, moderate %d, minor %d", s.lang, p, count["critical"], count["serious"], count["moderate"], count["minor"])
					for _, m := range tb.consoleErrors() {
						t.Errorf("console: %s", m)
					}
				})
			}
		})
	}
}

func checkStructure(t *testing.T, tb *tab, s site, p string) {
	t.Helper()
	st, err := eval[structure](tb, structureJS)
	if err != nil {
		t.Fatal(err)
	}
	if st.Lang != s.lang {
		t.Errorf(`html lang = %q, want %q`, st.Lang, s.lang)
	}
	if st.H1 != 1 {
		t.Errorf("%d h1 elements, want 1", st.H1)
	}
	if st.Main != 1 {
		t.Errorf("%d main landmarks, want 1", st.Main)
	}
	if st.MainText < 40 {
		t.Errorf("main has only %d characters of text", st.MainText)
	}
	if !isPoster(p) {
		if st.Header != 1 || st.Nav < 1 || st.Footer != 1 {
			t.Errorf("landmarks: %d banner header, %d nav, %d contentinfo footer; want 1, ≥1, 1", st.Header, st.Nav, st.Footer)
		}
		if !st.Skip || st.MainID != "main" {
			t.Errorf("no skip link to #main first on the page (skip link first: %v, main id %q)", st.Skip, st.MainID)
		}
	}
	for _, x := range st.StarsBad {
		t.Errorf("star rating without a text alternative: %s", x)
	}
	for _, x := range st.StatusBad {
		t.Errorf("status without a word: %s", x)
	}
	for _, x := range st.GlyphsBare {
		t.Errorf("rating or status glyph read out by screen readers: %s", x)
	}
	if strings.HasPrefix(p, "ratings/") && strings.Count(p, "/") == 2 && !strings.HasSuffix(p, "ratings/index.html") && st.Stars == 0 {
		t.Errorf("a rating page without star ratings: the check did not run")
	}
}

// tapJS measures the page at a phone width: sideways scrolling and tap
// targets smaller than 44×44 px in both directions. Targets inside a line
// of text (inline links in a sentence) are reported apart: WCAG 2.5.8
// exempts them.
const tapJS = `(() => {
  const bad = [], inline = [];
  for (const el of document.querySelectorAll("a[href], button, input, select, summary")) {
    const r = el.getBoundingClientRect();
    const cs = getComputedStyle(el);
    if (r.width === 0 || r.height === 0 || cs.visibility === "hidden" || el.closest("[hidden]")) continue;
    if (el.classList.contains("skip")) continue;
    if (r.height >= 44 || r.width >= 44) continue;
    const d = (el.textContent.trim() || el.getAttribute("aria-label") || el.outerHTML).replace(/\s+/g, " ").slice(0, 40) + " " + Math.round(r.width) + "×" + Math.round(r.height);
    const parent = el.parentElement;
    const inText = cs.display === "inline" && parent && parent.textContent.trim().length > el.textContent.trim().length + 2;
    (inText ? inline : bad).push(d);
  }
  return {scrollWidth: document.documentElement.scrollWidth, bad, inline};
})()`

type tapResult struct {
	ScrollWidth int      `json:"scrollWidth"`
	Bad         []string `json:"bad"`
	Inline      []string `json:"inline"`
}

// TestPhone checks every page at 360×740 (posters are printed sheets and
// are left out) and the dashboard's use of a 1280 px window.
func TestPhone(t *testing.T) {
	e := setup(t)
	for _, s := range e.all() {
		t.Run(s.name, func(t *testing.T) {
			tb := e.newTab(t, 360, 740, false)
			defer tb.close()
			for _, p := range s.pages {
				if isPoster(p) {
					continue
				}
				t.Run(strings.TrimSuffix(p, "/index.html"), func(t *testing.T) {
					if err := tb.open(s.url("http", p)); err != nil {
						t.Fatal(err)
					}
					r, err := eval[tapResult](tb, tapJS)
					if err != nil {
						t.Fatal(err)
					}
					if r.ScrollWidth > 360 {
						t.Errorf("scrolls sideways at 360 px: scrollWidth %d", r.ScrollWidth)
					}
					for _, b := range r.Bad {
						t.Errorf("tap target under 44 px: %s", b)
					}
					if len(r.Inline) > 0 {
						t.Logf("%d inline links in text under 44 px (exempt): %s", len(r.Inline), strings.Join(r.Inline, "; "))
					}
				})
			}
		})
		t.Run(s.name+"/desktop", func(t *testing.T) {
			tb := e.newTab(t, 1280, 900, false)
			defer tb.close()
			if err := tb.open(s.url("http", "index.html")); err != nil {
				t.Fatal(err)
			}
			w, err := eval[float64](tb, `Math.max(...Array.from(document.querySelectorAll("main > *")).map(e => e.getBoundingClientRect().width))`)
			if err != nil {
				t.Fatal(err)
			}
			if w <= 900 {
				t.Errorf("at 1280 px the dashboard's main content is %.0f px wide, want > 900", w)
			}
			cols, err := eval[int](tb, `(() => { const xs = new Set(); for (const el of document.querySelectorAll("main section, main article, main .card, main li")) { const r = el.getBoundingClientRect(); if (r.width > 150) xs.add(Math.round(r.left)); } return xs.size; })()`)
			if err != nil {
				t.Fatal(err)
			}
			t.Logf("dashboard at 1280 px: main content %.0f px wide, blocks start at %d different x positions", w, cols)
		})
	}
}

// noJSResult is what noJSJS reports about a page.
type noJSResult struct {
	H1       int      `json:"h1"`
	MainText int      `json:"mainText"`
	Links    []string `json:"links"`
	IDs      []string `json:"ids"`
}

const noJSJS = `(() => {
  const main = document.querySelector("main");
  return {
    h1: document.querySelectorAll("h1").length,
    mainText: main ? main.innerText.trim().length : 0,
    links: Array.from(document.querySelectorAll("a[href]")).map(a => a.href),
    ids: Array.from(document.querySelectorAll("[id]")).map(e => e.id),
  };
})()`

// TestNoJavaScript opens every page with scripts disabled, over HTTP and from
// file://, and checks that it is complete and that its links lead to files
// that exist (on file://, to files, not folders).
func TestNoJavaScript(t *testing.T) {
	e := setup(t)
	for _, s := range e.all() {
		for _, mode := range []string{"http", "file"} {
			t.Run(s.name+"/"+mode, func(t *testing.T) {
				tb := e.newTab(t, 1280, 900, true)
				defer tb.close()
				on, err := eval[bool](tb, `true`)
				if err != nil || !on {
					t.Fatalf("evaluating in a tab without scripts: %v", err)
				}
				for _, p := range s.pages {
					t.Run(strings.TrimSuffix(p, "/index.html"), func(t *testing.T) {
						if err := tb.open(s.url(mode, p)); err != nil {
							t.Fatal(err)
						}
						r, err := eval[noJSResult](tb, noJSJS)
						if err != nil {
							t.Fatal(err)
						}
						if r.H1 != 1 {
							t.Errorf("%d h1 elements without JavaScript", r.H1)
						}
						if r.MainText < 40 {
							t.Errorf("main has only %d characters of text without JavaScript", r.MainText)
						}
						checkLinks(t, s, mode, p, r)
						for _, m := range tb.consoleErrors() {
							t.Errorf("console: %s", m)
						}
					})
				}
			})
		}
	}
}

// checkLinks checks that every link of the page leads somewhere in the site.
func checkLinks(t *testing.T, s site, mode, p string, r noJSResult) {
	t.Helper()
	base := s.url(mode, "")
	self := s.url(mode, p)
	ids := map[string]bool{}
	for _, id := range r.IDs {
		ids[id] = true
	}
	seen := map[string]bool{}
	for _, href := range r.Links {
		if seen[href] {
			continue
		}
		seen[href] = true
		u, err := url.Parse(href)
		if err != nil {
			t.Errorf("bad link %q: %v", href, err)
			continue
		}
		if u.Scheme == "mailto" || u.Scheme == "tel" {
			continue
		}
		frag := u.Fragment
		u.Fragment = ""
		target := u.String()
		if target == self && frag != "" {
			if !ids[frag] {
				t.Errorf("link %q: no element with id %q on the page", href, frag)
			}
			continue
		}
		if !strings.HasPrefix(target, base) {
			continue // outside the site, such as the board's own base_url
		}
		rel, err := url.PathUnescape(strings.TrimPrefix(target, base))
		if err != nil {
			t.Errorf("link %q: %v", href, err)
			continue
		}
		rel = path.Clean("/" + strings.SplitN(rel, "?", 2)[0])[1:]
		fi, err := os.Stat(filepath.Join(s.dir, filepath.FromSlash(rel)))
		switch {
		case err != nil:
			t.Errorf("broken link %q: %v", href, err)
		case fi.IsDir() && mode == "file":
			t.Errorf("link %q leads to a folder: from file:// it needs index.html", href)
		case fi.IsDir():
			if _, err := os.Stat(filepath.Join(s.dir, filepath.FromSlash(rel), "index.html")); err != nil {
				t.Errorf("broken link %q: a folder without index.html", href)
			}
		}
	}
}

// TestFileNavigation follows links from file:// with JavaScript on: from the
// dashboard to the notices list, on to a notice, and back twice.
func TestFileNavigation(t *testing.T) {
	e := setup(t)
	for _, s := range e.sites {
		t.Run(s.lang, func(t *testing.T) {
			tb := e.newTab(t, 1280, 900, false)
			defer tb.close()
			if err := tb.open(s.url("file", "index.html")); err != nil {
				t.Fatal(err)
			}
			click := func(sel, want string) {
				t.Helper()
				ctx, cancel := context.WithTimeout(tb.ctx, 20*time.Second)
				defer cancel()
				_, err := chromedp.Run(ctx, chromedp.WaitEvent(page.LoadEventFired, nil, chromedp.Click(chromedp.CSS(sel))))
				if err != nil {
					t.Fatalf("clicking %s: %v", sel, err)
				}
				checkAt(t, tb, s.url("file", want))
			}
			click(`nav a[href$="notices/index.html"]`, "notices/index.html")
			click(`main a[href$="2019-gangou-yao-young-cadre/index.html"]`, "notices/2019-gangou-yao-young-cadre/index.html")
			for _, want := range []string{"notices/index.html", "index.html"} {
				ctx, cancel := context.WithTimeout(tb.ctx, 20*time.Second)
				err := chromedp.Do(ctx, chromedp.NavigateBack())
				cancel()
				if err != nil {
					t.Fatalf("going back: %v", err)
				}
				checkAt(t, tb, s.url("file", want))
			}
			for _, m := range tb.consoleErrors() {
				t.Errorf("console: %s", m)
			}
		})
	}
}

// checkAt checks that the tab shows the page at want, with its h1.
func checkAt(t *testing.T, tb *tab, want string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(tb.ctx, 10*time.Second)
	defer cancel()
	loc, err := chromedp.Run(ctx, chromedp.Location())
	if err != nil {
		t.Fatal(err)
	}
	if loc != want {
		t.Fatalf("at %s, want %s", loc, want)
	}
	h1, err := eval[int](tb, `document.querySelectorAll("h1").length`)
	if err != nil || h1 != 1 {
		t.Fatalf("%s: %d h1 elements (%v)", loc, h1, err)
	}
}

// TestScreenshots saves the dashboard and a notice, on a desktop and a phone,
// in English and Chinese, as PNG files in GLASSBOARD_SCREENSHOTS (default: a
// temporary folder). It checks that the Chinese pages draw Chinese glyphs.
func TestScreenshots(t *testing.T) {
	e := setup(t)
	dir := os.Getenv("GLASSBOARD_SCREENSHOTS")
	if dir == "" {
		dir = t.TempDir()
	} else if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	shots := []struct{ name, page string }{
		{"dashboard", "index.html"},
		{"notice", "notices/2019-gangou-yao-young-cadre/index.html"},
	}
	sizes := []struct {
		name string
		w, h int64
	}{{"desktop", 1280, 900}, {"phone", 360, 740}}
	for _, s := range e.sites {
		short := strings.SplitN(s.lang, "-", 2)[0]
		for _, sz := range sizes {
			t.Run(s.lang+"/"+sz.name, func(t *testing.T) {
				tb := e.newTab(t, sz.w, sz.h, false)
				defer tb.close()
				for _, sh := range shots {
					if err := tb.open(s.url("http", sh.page)); err != nil {
						t.Fatal(err)
					}
					if _, err := eval[bool](tb, `document.fonts.ready.then(() => true)`, chromedp.EvalAwaitPromise); err != nil {
						t.Fatal(err)
					}
					ctx, cancel := context.WithTimeout(tb.ctx, 30*time.Second)
					png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
					cancel()
					if err != nil {
						t.Fatal(err)
					}
					if len(png) < 10000 {
						t.Errorf("%s: screenshot of only %d bytes", sh.page, len(png))
					}
					name := filepath.Join(dir, fmt.Sprintf("%s-%s-%s.png", sh.name, sz.name, short))
					if err := os.WriteFile(name, png, 0o644); err != nil {
						t.Fatal(err)
					}
					if s.lang == "zh-CN" {
						// Text measured in a CJK font is about 1em per Han character; with
						// no such font the browser draws boxes of another width or nothing.
						ok, err := eval[bool](tb, `document.fonts.check("16px sans-serif", "公示")`)
						if err != nil || !ok {
							t.Errorf("no font for Chinese text (%v)", err)
						}
					}
				}
			})
		}
	}
	t.Logf("screenshots in %s", dir)
}

// TestAxeSeesProblems guards the harness: axe-core must report a page with
// known faults, so that a clean report means something.
func TestAxeSeesProblems(t *testing.T) {
	e := setup(t)
	axe, err := axeSource()
	if err != nil {
		t.Fatal(err)
	}
	tb := e.newTab(t, 1280, 900, false)
	defer tb.close()
	if err := tb.open(e.sites[0].url("http", "index.html")); err != nil {
		t.Fatal(err)
	}
	if _, err := eval[bool](tb, axe+`;document.querySelector("main").insertAdjacentHTML("beforeend", '<img src="x.png"><button></button><p style="color:#bbb;background:#fff">faint</p>');true`); err != nil {
		t.Fatal(err)
	}
	vs, err := eval[[]axeViolation](tb, axeRun, chromedp.EvalAwaitPromise)
	if err != nil {
		t.Fatal(err)
	}
	found := map[string]bool{}
	for _, v := range vs {
		found[v.ID] = true
	}
	for _, id := range []string{"image-alt", "button-name", "color-contrast"} {
		if !found[id] {
			t.Errorf("axe did not report %s on a page made to fail it; it reported %v", id, found)
		}
	}
	tb.consoleErrors() // the broken image is expected
}
