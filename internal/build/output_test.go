package build

import (
	"bytes"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/glassboard/glassboard"
	"github.com/glassboard/glassboard/internal/sample"
)

// modes maps every path under dir to its type and permission bits.
// sameModes fails unless dir holds the files and folders of fresh, with
// the same modes.
func sameModes(t *testing.T, fresh, dir string) {
	t.Helper()
	want, got := modes(t, fresh), modes(t, dir)
	for p, m := range want {
		if got[p] != m {
			t.Errorf("%s: mode %v, want %v", p, got[p], m)
		}
	}
	for p := range got {
		if _, ok := want[p]; !ok {
			t.Errorf("%s: not in a fresh build", p)
		}
	}
}

func modes(t *testing.T, dir string) map[string]fs.FileMode {
	t.Helper()
	out := map[string]fs.FileMode{}
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		fi, err := os.Lstat(p)
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		out[filepath.ToSlash(rel)] = fi.Mode()
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// sameAsFresh checks that dest holds exactly what a build into an empty
// folder makes: the same files, bytes, folders and modes.
func sameAsFresh(t *testing.T, src, dest string) {
	t.Helper()
	fresh := filepath.Join(t.TempDir(), "fresh")
	run(t, src, fresh, "2026-06-15")
	sameTree(t, tree(t, fresh), tree(t, dest))
	sameModes(t, fresh, dest)
}

// TestRebuildReusesUnchangedFiles builds twice with nothing changed: the
// second build links every file of the first instead of writing it, and
// the output is still exactly a fresh build's.
func TestRebuildReusesUnchangedFiles(t *testing.T) {
	src := t.TempDir()
	if err := sample.Write(src, 60, today("2026-06-15").Time()); err != nil {
		t.Fatal(err)
	}
	dest := filepath.Join(t.TempDir(), "public")
	first := run(t, src, dest, "2026-06-15")
	if first.Reused != 0 {
		t.Errorf("first build reused %d files", first.Reused)
	}
	before, err := os.Stat(filepath.Join(dest, "index.html"))
	if err != nil {
		t.Fatal(err)
	}
	second := run(t, src, dest, "2026-06-15")
	if second.Reused != second.Files || second.Files != first.Files {
		t.Errorf("second build reused %d of %d files (first build: %d)", second.Reused, second.Files, first.Files)
	}
	after, err := os.Stat(filepath.Join(dest, "index.html"))
	if err != nil {
		t.Fatal(err)
	}
	if !os.SameFile(before, after) {
		t.Error("index.html was written again, not reused")
	}
	sameAsFresh(t, src, dest)
	entries, _ := os.ReadDir(filepath.Dir(dest))
	if len(entries) != 1 {
		t.Errorf("left beside the output: %d entries", len(entries))
	}
}

// TestRebuildAfterChange edits a record and the output by hand: only what
// is the same as a fresh build is reused, the rest is written anew.
func TestRebuildAfterChange(t *testing.T) {
	src := t.TempDir()
	if err := sample.Write(src, 60, today("2026-06-15").Time()); err != nil {
		t.Fatal(err)
	}
	dest := filepath.Join(t.TempDir(), "public")
	first := run(t, src, dest, "2026-06-15")

	// A record changes its title.
	var record string
	filepath.WalkDir(filepath.Join(src, "content", "commitments"), func(p string, d fs.DirEntry, err error) error {
		if record == "" && strings.HasSuffix(p, ".toml") {
			record = p
		}
		return nil
	})
	data, err := os.ReadFile(record)
	if err != nil {
		t.Fatal(err)
	}
	data = bytes.Replace(data, []byte(`title = "`), []byte(`title = "CHANGED `), 1)
	if err := os.WriteFile(record, data, 0o644); err != nil {
		t.Fatal(err)
	}
	id := strings.TrimSuffix(filepath.Base(record), ".toml")
	page := filepath.Join(dest, "commitments", id, "index.html")
	before, err := os.Stat(page)
	if err != nil {
		t.Fatal(err)
	}

	// Someone edits the output: same size, other bytes; a mode; a link.
	home := filepath.Join(dest, "index.html")
	text, _ := os.ReadFile(home)
	os.WriteFile(home, bytes.ToUpper(text), 0o644)
	if err := os.Chmod(filepath.Join(dest, "404.html"), 0o600); err != nil {
		t.Fatal(err)
	}
	target := filepath.Join(t.TempDir(), "elsewhere.xml")
	feed, _ := os.ReadFile(filepath.Join(dest, "feed.xml"))
	os.WriteFile(target, feed, 0o644)
	os.Remove(filepath.Join(dest, "feed.xml"))
	if err := os.Symlink(target, filepath.Join(dest, "feed.xml")); err != nil {
		t.Fatal(err)
	}

	second := run(t, src, dest, "2026-06-15")
	if second.Reused == 0 || second.Reused >= second.Files-3 {
		t.Errorf("rebuild reused %d of %d files (first build: %d)", second.Reused, second.Files, first.Files)
	}
	after, err := os.Stat(page)
	if err != nil {
		t.Fatal(err)
	}
	if os.SameFile(before, after) {
		t.Error("the changed record's page was reused")
	}
	if b, _ := os.ReadFile(page); !bytes.Contains(b, []byte("CHANGED")) {
		t.Error("the changed record's page does not show the change")
	}
	sameAsFresh(t, src, dest)
	if b, _ := os.ReadFile(target); !bytes.Equal(b, feed) {
		t.Error("the file behind a symbolic link in the output was written to")
	}
}

// TestStaticCannotOverwriteGenerated: a static file in the place of a page
// or of a data file stops the build, and the output is left as it was.
func TestStaticCannotOverwriteGenerated(t *testing.T) {
	for _, name := range []string{"index.html", "feed.xml", "data/commitments.json", "sitemap.xml"} {
		t.Run(name, func(t *testing.T) {
			src := t.TempDir()
			writeBoard(t, src, map[string]string{
				"board.toml":             boardTOML,
				"content/pages/about.md": "+++\ntitle = \"About\"\n+++\nHello.\n",
			})
			dest := filepath.Join(t.TempDir(), "public")
			run(t, src, dest, "2019-11-15")
			before := tree(t, dest)
			writeBoard(t, src, map[string]string{"static/" + name: "mine"})
			_, err := Run(Options{Source: src, Dest: dest, Theme: glassboard.Theme, Today: today("2019-11-15")})
			if err == nil || !strings.Contains(err.Error(), "static/"+name+" would overwrite a generated file") {
				t.Fatalf("got %v", err)
			}
			sameTree(t, before, tree(t, dest))
			entries, _ := os.ReadDir(filepath.Dir(dest))
			if len(entries) != 1 {
				t.Errorf("left beside the output: %d entries", len(entries))
			}
		})
	}
}
