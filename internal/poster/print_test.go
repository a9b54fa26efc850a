package poster_test

import (
	"context"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/glassboard/glassboard"
	"github.com/glassboard/glassboard/internal/board"
	"github.com/glassboard/glassboard/internal/build"
	"github.com/glassboard/glassboard/internal/poster"
	"github.com/glassboard/glassboard/internal/sample"
)

// tools returns Chromium and the poppler tools; locally a missing one skips
// the test, in CI (CI set) it fails it: .ci/run installs them.
func tools(t *testing.T, names ...string) (string, []string) {
	t.Helper()
	chrome, err := poster.FindChrome(os.Getenv)
	missing := func(what string, err error) {
		if os.Getenv("CI") != "" {
			t.Fatalf("%s is required in CI (see .ci/run): %v", what, err)
		}
		t.Skipf("%s not installed: %v", what, err)
	}
	if err != nil {
		missing("Chromium", err)
	}
	var paths []string
	for _, n := range names {
		p, err := exec.LookPath(n)
		if err != nil {
			missing(n, err)
		}
		paths = append(paths, p)
	}
	return chrome, paths
}

func day(s string) board.Date {
	d, err := board.ParseDate(s)
	if err != nil {
		panic(err)
	}
	return d
}

func buildSite(t *testing.T, src, paper, now string) string {
	t.Helper()
	dest := filepath.Join(t.TempDir(), "site")
	res, err := build.Run(build.Options{Source: src, Dest: dest, Theme: glassboard.Theme, Today: day(now), Paper: paper})
	if err != nil {
		t.Fatalf("build %s: %v\n%v", src, err, res.Diags)
	}
	return dest
}

// posters lists the poster pages of a site; with longest > 0, only the
// longest pages of each kind (by HTML size: the most content).
func posters(t *testing.T, site string, longest int) []string {
	t.Helper()
	byKind := map[string][]string{}
	size := map[string]int64{}
	filepath.WalkDir(filepath.Join(site, "posters"), func(p string, d fs.DirEntry, err error) error {
		if err == nil && d.Name() == "index.html" {
			rel, _ := filepath.Rel(filepath.Join(site, "posters"), p)
			kind := strings.Split(filepath.ToSlash(rel), "/")[0]
			byKind[kind] = append(byKind[kind], p)
			if fi, err := d.Info(); err == nil {
				size[p] = fi.Size()
			}
		}
		return nil
	})
	var out []string
	for _, ps := range byKind {
		if longest > 0 {
			slices.SortFunc(ps, func(a, b string) int { return int(size[b] - size[a]) })
			ps = ps[:min(longest, len(ps))]
		}
		out = append(out, ps...)
	}
	slices.Sort(out)
	if len(out) == 0 {
		t.Fatalf("no posters in %s", site)
	}
	return out
}

var pagesLine = regexp.MustCompile(`(?m)^Pages:\s+(\d+)`)
var sizeLine = regexp.MustCompile(`(?m)^Page size:.*\((A\d)\)`)

// printAll prints every page to PDF (two at a time) and checks each has
// exactly one page of the wanted paper.
func printAll(t *testing.T, chrome, pdfinfo string, pages []string, paper string) {
	t.Helper()
	out := t.TempDir()
	var wg sync.WaitGroup
	next := make(chan int)
	for range 2 {
		wg.Go(func() {
			for i := range next {
				page := pages[i]
				pdf := filepath.Join(out, strings.ReplaceAll(strings.TrimPrefix(page, "/"), "/", "_")+".pdf")
				ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
				err := poster.PrintPDF(ctx, chrome, page, pdf)
				cancel()
				if err != nil {
					t.Errorf("%s: %v", page, err)
					continue
				}
				info, err := exec.Command(pdfinfo, pdf).Output()
				if err != nil {
					t.Errorf("pdfinfo %s: %v", pdf, err)
					continue
				}
				m := pagesLine.FindSubmatch(info)
				if m == nil || string(m[1]) != "1" {
					t.Errorf("%s prints on %s pages in %s, want exactly 1", rel(page), pageCount(m), paper)
				}
				if s := sizeLine.FindSubmatch(info); s == nil || string(s[1]) != paper {
					t.Errorf("%s: paper is not %s:\n%s", rel(page), paper, info)
				}
			}
		})
	}
	for i := range pages {
		next <- i
	}
	close(next)
	wg.Wait()
}

func pageCount(m [][]byte) string {
	if m == nil {
		return "?"
	}
	return string(m[1])
}

func rel(page string) string {
	if i := strings.Index(page, "/posters/"); i >= 0 {
		return page[i+1:]
	}
	return page
}

// TestPostersPrintOnOnePage prints every poster of the example board and
// the longest records of a 2,000-record sample board through headless
// Chromium, in A4 and A3, and asserts exactly one page each (pdfinfo).
func TestPostersPrintOnOnePage(t *testing.T) {
	chrome, paths := tools(t, "pdfinfo")
	pdfinfo := paths[0]
	sampleSrc := t.TempDir()
	if err := sample.Write(sampleSrc, 2000, day("2026-06-15").Time()); err != nil {
		t.Fatal(err)
	}
	for _, paper := range []string{"A4", "A3"} {
		t.Run(paper, func(t *testing.T) {
			example := posters(t, buildSite(t, "../..", paper, "2019-11-15"), 0)
			long := posters(t, buildSite(t, sampleSrc, paper, "2026-06-15"), 4)
			printAll(t, chrome, pdfinfo, append(example, long...), paper)
			t.Logf("%d example posters and %d long sample posters printed on one %s sheet each", len(example), len(long), paper)
		})
	}
}

// TestPosterQRCodeScans prints a poster, rasterises the PDF and decodes
// its QR code: it must be the record's absolute URL with ?v=CODE.
func TestPosterQRCodeScans(t *testing.T) {
	chrome, paths := tools(t, "pdftoppm", "zbarimg")
	site := buildSite(t, "../..", "A4", "2019-11-15")
	page := filepath.Join(site, "posters", "notices", "2019-q4-probationary-members", "index.html")
	dir := t.TempDir()
	pdf := filepath.Join(dir, "poster.pdf")
	if err := poster.PrintPDF(context.Background(), chrome, page, pdf); err != nil {
		t.Fatal(err)
	}
	if err := exec.Command(paths[0], "-r", "150", "-png", pdf, filepath.Join(dir, "page")).Run(); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(paths[1], "-q", "--raw", filepath.Join(dir, "page-1.png")).Output()
	if err != nil {
		t.Fatalf("zbarimg found no QR code on the printed poster: %v", err)
	}
	html, _ := os.ReadFile(page)
	code := regexp.MustCompile(`class="p-code">([0-9a-f]{8})<`).FindSubmatch(html)
	if code == nil {
		t.Fatal("no record code printed on the poster")
	}
	want := "https://board.example.org/notices/2019-q4-probationary-members/?v=" + string(code[1])
	if got := strings.TrimSpace(string(out)); got != want {
		t.Errorf("QR code says %q, want %q", got, want)
	}
	notice, _ := os.ReadFile(filepath.Join(site, "notices", "2019-q4-probationary-members", "index.html"))
	if !strings.Contains(string(notice), `data-code="`+string(code[1])+`"`) {
		t.Error("the online record does not carry the poster's code")
	}
}
