package build

import (
	"html"
	"net/url"
	"path"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/glassboard/glassboard/internal/render"
	"github.com/glassboard/glassboard/internal/sample"
)

var linkAttr = regexp.MustCompile(`(?:href|src)="([^"]*)"`)

// TestExampleBoardLinks builds the example board at the repository root and
// checks that every internal link is relative, names a file (not a folder)
// and that the file exists, so the site works under any sub-path and from
// file://. The 404 page alone links from the site's absolute path.
func TestExampleBoardLinks(t *testing.T) {
	dest := filepath.Join(t.TempDir(), "public")
	res := run(t, "../..", dest, "2019-11-15")
	if len(res.Diags) != 0 {
		t.Errorf("the example board has diagnostics:\n%v", res.Diags)
	}
	files := tree(t, dest)
	checkLinks(t, files, 100)
	for _, want := range []string{"index.html", "commitments/index.html", "notices/index.html", "ratings/index.html", "units/index.html", "404.html", "how-to-object/index.html", "about/index.html"} {
		if _, ok := files[want]; !ok {
			t.Errorf("%s not built", want)
		}
	}
}

// TestPaginatedLinks does the same on a sample board large enough for every
// list to have several pages, and checks that the pages of a list link to
// each other and that the dashboard's links to the overdue, quiet and
// upcoming records lead to lists that hold them all.
func TestPaginatedLinks(t *testing.T) {
	src := t.TempDir()
	if err := sample.Write(src, 700, today("2026-06-15").Time()); err != nil {
		t.Fatal(err)
	}
	dest := filepath.Join(t.TempDir(), "public")
	run(t, src, dest, "2026-06-15")
	files := tree(t, dest)
	checkLinks(t, files, 1000)
	for _, want := range []string{"commitments/page/2/index.html", "notices/page/2/index.html", "ratings/page/2/index.html"} {
		if _, ok := files[want]; !ok {
			t.Errorf("%s not built", want)
		}
	}
	// Page 2 of the commitments list links to pages 1 and 3 and marks itself.
	p2 := files["commitments/page/2/index.html"]
	for _, want := range []string{`href="../../../commitments/index.html" aria-label="Page 1"`, `href="../../../commitments/page/3/index.html" rel="next"`, `aria-label="Page 2" aria-current="page"`, `<nav class="pager" aria-label="Pages of this list">`} {
		if !strings.Contains(p2, want) {
			t.Errorf("commitments/page/2/index.html lacks %s", want)
		}
	}
	// Every record of a list is on exactly one of its pages.
	for base, re := range map[string]*regexp.Regexp{
		"commitments/":              regexp.MustCompile(`class="c-title" href="[./]*commitments/([a-z0-9-]+)/index.html"`),
		"commitments/flag/overdue/": regexp.MustCompile(`class="c-title" href="[./]*commitments/([a-z0-9-]+)/index.html"`),
		"notices/":                  regexp.MustCompile(`class="notice-title"><a href="[./]*notices/([a-z0-9-]+)/index.html"`),
		"ratings/":                  regexp.MustCompile(`class="rating-title"><a href="[./]*ratings/([a-z0-9-]+)/index.html"`),
	} {
		seen := map[string]int{}
		for n := 1; ; n++ {
			page, ok := files[render.ListPath(base, n)]
			if !ok {
				break
			}
			for _, m := range re.FindAllStringSubmatch(page, -1) {
				seen[m[1]]++
			}
		}
		want := 0
		kind := strings.Split(base, "/")[0]
		for name := range files {
			if strings.HasPrefix(name, kind+"/") && strings.Count(name, "/") == 2 && !strings.Contains(name, "/page/") &&
				(base != "commitments/flag/overdue/" || strings.Contains(files[name], `class="flag flag-overdue"`)) {
				want++
			}
		}
		if len(seen) != want || want == 0 {
			t.Errorf("%s: %d records over its pages, want %d", base, len(seen), want)
		}
		for id, n := range seen {
			if n != 1 {
				t.Errorf("%s: %s is on %d pages", base, id, n)
			}
		}
	}
}

// checkLinks checks every internal link of every page but the 404 page.
func checkLinks(t *testing.T, files map[string]string, atLeast int) {
	t.Helper()
	checked := 0
	for name, text := range files {
		if !strings.HasSuffix(name, ".html") || name == "404.html" {
			continue
		}
		for _, m := range linkAttr.FindAllStringSubmatch(text, -1) {
			ref := html.UnescapeString(m[1])
			u, err := url.Parse(ref)
			if err != nil {
				t.Errorf("%s: unparsable link %q", name, ref)
				continue
			}
			if u.Scheme != "" || strings.HasPrefix(ref, "//") {
				continue // external, mailto:, tel:
			}
			if u.Path == "" {
				continue // #fragment or ?query on the same page
			}
			if strings.HasPrefix(u.Path, "/") {
				t.Errorf("%s: absolute internal link %q breaks under a sub-path and from file://", name, ref)
				continue
			}
			target := path.Join(path.Dir(name), u.Path)
			if strings.HasSuffix(u.Path, "/") {
				t.Errorf("%s: link %q names a folder, not a file", name, ref)
				continue
			}
			if _, ok := files[target]; !ok {
				t.Errorf("%s: broken link %q (no %s)", name, ref, target)
			} else if u.Fragment != "" && !strings.Contains(files[target], `id="`+u.Fragment+`"`) {
				t.Errorf("%s: link %q to a missing anchor", name, ref)
			}
			checked++
		}
	}
	if checked < atLeast {
		t.Errorf("only %d internal links checked: the test proves little", checked)
	}
}
