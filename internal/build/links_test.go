package build

import (
	"html"
	"net/url"
	"path"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
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
			}
			checked++
		}
	}
	if checked < 100 {
		t.Errorf("only %d internal links checked: the test proves little", checked)
	}
	for _, want := range []string{"index.html", "commitments/index.html", "notices/index.html", "ratings/index.html", "units/index.html", "404.html", "how-to-object/index.html", "about/index.html"} {
		if _, ok := files[want]; !ok {
			t.Errorf("%s not built", want)
		}
	}
}
