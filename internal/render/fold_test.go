package render

import (
	"bytes"
	"html/template"
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"
	"text/template/parse"

	glassboard "github.com/glassboard/glassboard"
	"github.com/glassboard/glassboard/internal/board"
	"github.com/glassboard/glassboard/internal/load"
	"github.com/glassboard/glassboard/internal/sample"
	"github.com/glassboard/glassboard/internal/scaffold"
)

// TestFoldedSameOutput renders every page of the example board and of a
// sample board, in both languages and with UI strings full of characters
// that need escaping, with the UI strings folded into the templates and
// without, and wants the same bytes.
func TestFoldedSameOutput(t *testing.T) {
	eachRendering(t, func(c rendering) {
		folded, err := newRenderer(c.o, true, false)
		if err != nil {
			t.Fatal(err)
		}
		unfolded, err := newRenderer(c.o, false, false)
		if err != nil {
			t.Fatal(err)
		}
		for _, j := range c.jobs {
			got, err1 := folded.RenderBytes(j)
			want, err2 := unfolded.RenderBytes(j)
			if err1 != nil || err2 != nil {
				t.Fatalf("%s %s: %v, %v", c, j.Page.Path, err1, err2)
			}
			if !bytes.Equal(got, want) {
				t.Fatalf("%s %s: folded output differs:\n%s", c, j.Page.Path, firstDiff(got, want))
			}
		}
	})
}

// rendering is one board, day, language and set of UI strings to render
// every page of, two ways.
type rendering struct {
	board, lang, strings string
	o                    Options
	jobs                 []Job
}

func (c rendering) String() string { return c.board + " " + c.lang + " " + c.strings }

// eachRendering calls f for the example board on three days, a new
// site's starter board, and samples of 300 and 12 records, each in
// English and Chinese, with the real UI strings and with strings full of
// characters that need escaping ("hostile").
func eachRendering(t *testing.T, f func(rendering)) {
	t.Helper()
	sampleDir, smallDir, starterDir := filepath.Join(t.TempDir(), "sample"), filepath.Join(t.TempDir(), "small"), filepath.Join(t.TempDir(), "starter")
	day, _ := board.ParseDate("2026-06-15")
	if err := sample.Write(sampleDir, 300, day.Time()); err != nil {
		t.Fatal(err)
	}
	if err := sample.Write(smallDir, 12, day.Time()); err != nil {
		t.Fatal(err)
	}
	if err := scaffold.Site(starterDir); err != nil {
		t.Fatal(err)
	}
	boards := []struct {
		name, dir, day string
	}{
		{"example", "../..", "2019-11-15"},
		{"example-later", "../..", "2020-03-02"},
		{"example-before", "../..", "2019-01-02"},
		{"starter", starterDir, "2026-06-15"},
		{"sample", sampleDir, "2026-06-15"},
		{"small", smallDir, "2027-06-15"},
	}
	for _, b := range boards {
		srcFS := os.DirFS(b.dir)
		bd, _, err := load.Load(srcFS)
		if err != nil {
			t.Fatal(err)
		}
		today, _ := board.ParseDate(b.day)
		jobs := Jobs(bd.At(today))
		for _, lang := range []string{"en", "zh-CN"} {
			strs, err := load.Strings(lang, glassboard.Theme, srcFS)
			if err != nil {
				t.Fatal(err)
			}
			hostile := maps.Clone(strs)
			for k, v := range hostile {
				hostile[k] = v + ` <b>&amp; "'+</b>` + "\x00\u202e"
			}
			for _, v := range []struct {
				name string
				strs map[string]string
			}{{"plain", strs}, {"hostile", hostile}} {
				f(rendering{board: b.name, lang: lang, strings: v.name, o: themeOptions(t, v.strs, lang), jobs: jobs})
			}
		}
	}
}

func themeOptions(t *testing.T, strs map[string]string, lang string) Options {
	layouts, err := fs.Sub(glassboard.Theme, "layouts")
	if err != nil {
		t.Fatal(err)
	}
	return Options{
		Layouts:  layouts,
		Strings:  strs,
		Lang:     lang,
		Assets:   map[string]string{"style.css": "assets/style.css", "board.js": "assets/board.js", "poster.css": "assets/poster.css", "poster.js": "assets/poster.js"},
		Live:     lang == "en",
		Code:     func(kind, id string) string { return "c0de" + id[:1] },
		URL:      func(kind, id string) string { return "https://example.org/" + kind + "/" + id + "/" },
		UnitCode: func(id string) string { return "u" + id },
	}
}

func firstDiff(a, b []byte) string {
	i := 0
	for i < len(a) && i < len(b) && a[i] == b[i] {
		i++
	}
	lo := max(0, i-80)
	return "got:  " + string(a[lo:min(len(a), i+80)]) + "\nwant: " + string(b[lo:min(len(b), i+80)])
}

// TestFoldFolds checks that folding does what it is for: no T with a known
// key, no lang and no live is left in the templates a page executes, and a
// T with an unknown key is left to fail when it runs.
func TestFoldFolds(t *testing.T) {
	strs, err := load.Strings("en", glassboard.Theme)
	if err != nil {
		t.Fatal(err)
	}
	r, err := New(themeOptions(t, strs, "en"))
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range Layouts {
		page := r.pages[name]
		for _, tt := range reached(page, baseOf(name)) {
			var check func(n parse.Node)
			check = func(n parse.Node) {
				switch n := n.(type) {
				case *parse.CommandNode:
					// T with a computed key stays.
					if id, ok := n.Args[0].(*parse.IdentifierNode); ok {
						_, literal := n.Args[len(n.Args)-1].(*parse.StringNode)
						if (id.Ident == "T" || id.Ident == "asset") && literal || id.Ident == "lang" || id.Ident == "live" {
							t.Errorf("%s: %s: %s left", name, tt.Name(), n)
						}
					}
					for _, a := range n.Args {
						check(a)
					}
				case *parse.ListNode:
					if n != nil {
						for _, c := range n.Nodes {
							check(c)
						}
					}
				case *parse.ActionNode:
					if s, ok := n.Pipe.Cmds[0].Args[0].(*parse.StringNode); ok && len(n.Pipe.Decl) == 0 {
						if chain, ok := escapers(n.Pipe.Cmds[1:]); ok {
							if _, known := foldEscapers[chain]; known {
								t.Errorf("%s: %s: %s left with %s", name, tt.Name(), s, chain)
							}
						}
					}
					check(n.Pipe)
				case *parse.PipeNode:
					if n != nil {
						for _, c := range n.Cmds {
							check(c)
						}
					}
				case *parse.ChainNode:
					check(n.Node)
				case *parse.IfNode:
					check(n.Pipe)
					check(n.List)
					check(n.ElseList)
				case *parse.RangeNode:
					check(n.Pipe)
					check(n.List)
					check(n.ElseList)
				case *parse.WithNode:
					check(n.Pipe)
					check(n.List)
					check(n.ElseList)
				case *parse.TemplateNode:
					check(n.Pipe)
				}
			}
			check(tt.Tree.Root)
		}
	}

	// A key nobody wrote still fails, when and only when it runs.
	layouts := fstest.MapFS{
		"_default/baseof.html": {Data: []byte(`{{if .Title}}{{T "no_such_key"}}{{end}}{{T "known"}}`)},
		"posters/baseof.html":  {Data: []byte(`{{T "known"}}`)},
	}
	for _, name := range Layouts {
		layouts[name] = &fstest.MapFile{Data: []byte(`{{define "main"}}{{end}}`)}
	}
	r, err = New(Options{Layouts: layouts, Strings: map[string]string{"known": "Known & <safe>"}, Lang: "en"})
	if err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	if err := r.Render(&b, Job{Layout: "index.html", Page: &Page{Site: &board.Snapshot{}}}); err != nil || b.String() != "Known &amp; &lt;safe&gt;" {
		t.Errorf("got %q, %v", b.String(), err)
	}
	if err := r.Render(&b, Job{Layout: "index.html", Page: &Page{Site: &board.Snapshot{}, Title: "x"}}); err == nil || !strings.Contains(err.Error(), "no_such_key") {
		t.Errorf("a missing key did not fail: %v", err)
	}
}

// reached returns the templates an execution of base reaches.
func reached(page *template.Template, base string) []*template.Template {
	var out []*template.Template
	seen := map[string]bool{}
	var walk func(n parse.Node)
	visit := func(name string) {
		if seen[name] {
			return
		}
		seen[name] = true
		if tt := page.Lookup(name); tt != nil && tt.Tree != nil {
			out = append(out, tt)
			walk(tt.Tree.Root)
		}
	}
	walk = func(n parse.Node) {
		switch n := n.(type) {
		case *parse.ListNode:
			if n != nil {
				for _, c := range n.Nodes {
					walk(c)
				}
			}
		case *parse.IfNode:
			walk(n.List)
			walk(n.ElseList)
		case *parse.RangeNode:
			walk(n.List)
			walk(n.ElseList)
		case *parse.WithNode:
			walk(n.List)
			walk(n.ElseList)
		case *parse.TemplateNode:
			visit(n.Name)
		}
	}
	visit(base)
	return out
}
