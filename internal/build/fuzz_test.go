package build

import (
	"bytes"
	"fmt"
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"sync"
	"testing"
	"testing/fstest"

	"github.com/BurntSushi/toml"

	"github.com/glassboard/glassboard"
	"github.com/glassboard/glassboard/internal/htmlcheck"
	"github.com/glassboard/glassboard/internal/load"
	"github.com/glassboard/glassboard/internal/opendata"
	"github.com/glassboard/glassboard/internal/render"
)

// baseDir is the small valid board of the rule tests.
const baseDir = "../load/testdata/rules/base"

// fuzzFiles are the files FuzzSite replaces, chosen by its first argument.
var fuzzFiles = []string{
	"content/commitments/young-member.toml",
	"content/notices/q3-targets.toml",
	"content/ratings/xinfang-2019.toml",
	"content/pages/how-to-object.md",
	"board.toml",
}

const privateMarker = "PRIVATE-MARKER"

var (
	baseOnce sync.Once
	baseFS   fstest.MapFS
)

// readBase returns a fresh copy of the base board (its files are shared:
// replace them, do not change them).
func readBase(t testing.TB) fstest.MapFS {
	baseOnce.Do(func() {
		fsys := fstest.MapFS{}
		err := filepath.WalkDir(baseDir, func(p string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() {
				return err
			}
			data, err := os.ReadFile(p)
			rel, _ := filepath.Rel(baseDir, p)
			fsys[filepath.ToSlash(rel)] = &fstest.MapFile{Data: data, Mode: 0o644}
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		// The private values are markers, so that a leak is seen.
		n := fsys[fuzzFiles[1]]
		n.Data = bytes.ReplaceAll(n.Data, []byte(`"13800000000"`), []byte(`"`+privateMarker+`-phone"`))
		n.Data = bytes.ReplaceAll(n.Data, []byte(`"110101199601010000"`), []byte(`"`+privateMarker+`-id"`))
		baseFS = fsys
	})
	return maps.Clone(baseFS)
}

// siteFiles builds fsys in memory, as a build would write it, and returns
// every output file; nil when the content has errors.
func siteFiles(t testing.TB, fsys fs.FS, day string) map[string][]byte {
	b, ds, err := load.Load(fsys)
	if err != nil {
		t.Fatalf("load: %v", err)
	}
	if ds.Errors() > 0 {
		return nil
	}
	s := b.At(today(day))
	data := opendata.New(s, today(day).Time())
	st, err := newSite(fsys, glassboard.Theme, &b.Config, false, data)
	if err != nil {
		t.Fatalf("a board without errors does not build: %v", err)
	}
	var mu sync.Mutex
	out := map[string][]byte{}
	err = st.renderPages(render.Jobs(s), func(p string, d []byte) error {
		mu.Lock()
		out[p] = bytes.Clone(d)
		mu.Unlock()
		return nil
	}, nil, nil)
	if err != nil {
		t.Fatalf("a board without errors does not render: %v", err)
	}
	files, err := data.Files()
	if err != nil {
		t.Fatalf("open data: %v", err)
	}
	for _, f := range files {
		out[f.Path] = f.Data
	}
	return out
}

var (
	themeLiveOnce sync.Once
	themeLive     map[string]bool
)

// liveFromTheme is what htmlcheck.Live finds in the base board's site:
// the theme's own scripts.
func liveFromTheme(t testing.TB) map[string]bool {
	themeLiveOnce.Do(func() {
		themeLive = map[string]bool{}
		for _, day := range []string{"2019-09-04", "2019-11-15", "2021-01-01"} {
			for _, data := range siteFiles(t, readBase(t), day) {
				for _, l := range htmlcheck.Live(string(data)) {
					themeLive[l] = true
				}
			}
		}
	})
	return themeLive
}

// FuzzSite replaces one file of a small valid board (kind picks which:
// commitment, notice, rating, page, board.toml) with the fuzzer's text and,
// when it loads without errors, renders the whole site into memory.
// Properties: no panic; no page holds a script, event handler, executable
// URL or embedding element that the theme did not put there; no output
// file (HTML, JSON, CSV, Atom, sitemap) holds a private marker unless the
// text put the marker outside every private table.
func FuzzSite(f *testing.F) {
	base := readBase(f)
	for i, name := range fuzzFiles {
		f.Add(uint8(i), string(base[name].Data))
	}
	hostile := []string{
		`<script>alert(1)</script>`, `<img src=x onerror=alert(1)>`, `javascript:alert(1)`,
		`[x](javascript:alert(1))`, `<a href=\"javascript:x\">a</a>`, `\" onmouseover=\"x`, `' onfocus='x`,
		"\u202egnp.exe", "a\u200bb", `</script><script>x</script>`, `{{.}}`, `]]>`, `<![CDATA[x]]>`,
	}
	for i, h := range hostile { // each in one field of one kind: the seeds run in every go test
		name := fuzzFiles[i%4]
		field := []string{"title = \"", "body = \"", "name = \"", "unit = \""}[i/4%4]
		f.Add(uint8(i%4), strings.Replace(string(base[name].Data), field, field+h, 1))
	}
	f.Fuzz(func(t *testing.T, kind uint8, text string) {
		fsys := readBase(t)
		file := fuzzFiles[int(kind)%len(fuzzFiles)]
		fsys[file] = &fstest.MapFile{Data: []byte(text), Mode: 0o644}
		files := siteFiles(t, fsys, "2019-09-04") // the notice is open
		if files == nil {
			return
		}
		theme := liveFromTheme(t)
		var public string
		for name, data := range files {
			page := string(data)
			if strings.HasSuffix(name, ".html") || strings.HasSuffix(name, ".xml") {
				for _, l := range htmlcheck.Live(page) {
					if !theme[l] {
						t.Fatalf("%s: live markup from the board's text: %s", name, l)
					}
				}
			}
			if strings.Contains(page, privateMarker) {
				if public == "" {
					public = publicText(fsys)
				}
				for _, m := range markersIn(page) {
					if !strings.Contains(public, m) {
						t.Fatalf("%s: private value %q published", name, m)
					}
				}
			}
		}
	})
}

// TestFuzzSiteChecksWork shows that the checks of FuzzSite see the theme's
// scripts and can see a leak.
func TestFuzzSiteChecksWork(t *testing.T) {
	theme := liveFromTheme(t)
	if len(theme) == 0 {
		t.Log("the theme has no scripts on these pages")
	}
	for l := range theme {
		if strings.HasPrefix(l, "handler: ") || strings.Contains(strings.ToLower(l), "javascript:") {
			t.Errorf("the theme itself has an event handler or a javascript: URL: %s", l)
		}
	}
	fsys := readBase(t)
	files := siteFiles(t, fsys, "2019-09-04")
	if files == nil {
		t.Fatal("the base board has errors")
	}
	for name, data := range files {
		if bytes.Contains(data, []byte(privateMarker)) {
			t.Errorf("%s holds a private value", name)
		}
	}
	if !bytes.Contains(files["notices/q3-targets/index.html"], []byte("Zhang San")) {
		t.Error("the open notice does not show its candidates: the privacy check proves nothing")
	}
	if pub := publicText(fsys); strings.Contains(pub, privateMarker) {
		t.Error("publicText keeps the private table")
	}
}

func markersIn(s string) []string {
	var out []string
	for {
		i := strings.Index(s, privateMarker)
		if i < 0 {
			return out
		}
		s = s[i:]
		j := strings.IndexFunc(s, func(r rune) bool { return r <= ' ' || strings.ContainsRune("\"'<>&,;", r) })
		if j < 0 {
			j = len(s)
		}
		out = append(out, s[:j])
		s = s[len(privateMarker):]
	}
}

// publicText is every key and string value of the board's TOML files, the
// candidates' private tables left out, and the whole of the pages.
func publicText(fsys fstest.MapFS) string {
	var b strings.Builder
	names := make([]string, 0, len(fsys))
	for name := range fsys {
		names = append(names, name)
	}
	slices.Sort(names)
	for _, name := range names {
		text := strings.TrimPrefix(string(fsys[name].Data), "\uFEFF")
		if !strings.HasSuffix(name, ".toml") {
			b.WriteString(text)
			continue
		}
		var m map[string]any
		if _, err := toml.Decode(text, &m); err != nil {
			continue
		}
		if cs, ok := m["candidates"].([]map[string]any); ok {
			for _, c := range cs {
				delete(c, "private")
			}
		}
		fmt.Fprintf(&b, "%v\n", m)
		keysAndStrings(reflect.ValueOf(m), &b)
	}
	return b.String()
}

func keysAndStrings(v reflect.Value, b *strings.Builder) {
	switch v.Kind() {
	case reflect.String:
		b.WriteString(v.String() + "\n")
	case reflect.Interface, reflect.Pointer:
		if !v.IsNil() {
			keysAndStrings(v.Elem(), b)
		}
	case reflect.Slice, reflect.Array:
		for i := range v.Len() {
			keysAndStrings(v.Index(i), b)
		}
	case reflect.Map:
		it := v.MapRange()
		for it.Next() {
			keysAndStrings(it.Key(), b)
			keysAndStrings(it.Value(), b)
		}
	}
}
