package build

import (
	"flag"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite the golden files under testdata/golden/ from the current output")

// TestGoldenPages builds testdata/golden/board as of 2019-11-15 in English
// and in Chinese and compares every page with testdata/golden/LANG/.
// Run "go test ./internal/build -run Golden -update" after a deliberate
// theme change and review the diff.
func TestGoldenPages(t *testing.T) {
	for _, lang := range []string{"en", "zh-CN"} {
		t.Run(lang, func(t *testing.T) {
			src := t.TempDir()
			if err := os.CopyFS(src, os.DirFS("testdata/golden/board")); err != nil {
				t.Fatal(err)
			}
			cfg := filepath.Join(src, "board.toml")
			b, err := os.ReadFile(cfg)
			if err != nil {
				t.Fatal(err)
			}
			os.WriteFile(cfg, []byte(strings.Replace(string(b), `language = "en"`, `language = "`+lang+`"`, 1)), 0o644)
			dest := filepath.Join(t.TempDir(), "public")
			run(t, src, dest, "2019-11-15")
			got := tree(t, dest)
			dir := filepath.Join("testdata", "golden", lang)
			if *update {
				os.RemoveAll(dir)
				for name, text := range got {
					if !strings.HasSuffix(name, ".html") {
						continue
					}
					p := filepath.Join(dir, filepath.FromSlash(name))
					os.MkdirAll(filepath.Dir(p), 0o755)
					if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
						t.Fatal(err)
					}
				}
				return
			}
			want := tree(t, dir)
			var names []string
			for name := range got {
				if strings.HasSuffix(name, ".html") {
					names = append(names, name)
				}
			}
			slices.Sort(names)
			for _, name := range names {
				w, ok := want[name]
				if !ok {
					t.Errorf("%s: new page, not in %s (run with -update)", name, dir)
					continue
				}
				if got[name] != w {
					t.Errorf("%s differs from the golden file:\n%s", name, firstDiff(w, got[name]))
				}
			}
			for name := range want {
				if _, ok := got[name]; !ok {
					t.Errorf("%s: in %s but no longer built", name, dir)
				}
			}
		})
	}
}

// firstDiff shows the first differing line of two texts.
func firstDiff(want, got string) string {
	wl, gl := strings.Split(want, "\n"), strings.Split(got, "\n")
	for i := 0; i < max(len(wl), len(gl)); i++ {
		var w, g string
		if i < len(wl) {
			w = wl[i]
		}
		if i < len(gl) {
			g = gl[i]
		}
		if w != g {
			return "line " + strconv.Itoa(i+1) + ":\n  want: " + w + "\n  got:  " + g
		}
	}
	return "(no line differs)"
}
