package load

import (
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/glassboard/glassboard/internal/sample"
)

func TestWalkCompare(t *testing.T) {
	for _, tt := range []struct {
		a, b string
		want int
	}{
		{"content/a/x.toml", "content/a/x.toml", 0},
		{"content/a/x.toml", "content/a/y.toml", -1},
		{"content/a/z/x.toml", "content/a-b.toml", -1}, // the folder a comes before the file a-b.toml
		{"content/a-b.toml", "content/a/z/x.toml", 1},
		{"content/a/b", "content/a/b/c", -1},
		{"content/b/x.toml", "content/a/z/x.toml", 1},
	} {
		if got := walkCompare(tt.a, tt.b); got != tt.want {
			t.Errorf("walkCompare(%q, %q) = %d, want %d", tt.a, tt.b, got, tt.want)
		}
	}
}

// TestCacheEqualsLoad edits a board in ways a clerk and an editor do and
// checks that a Cache, told what changed, loads the same board with the
// same diagnostics as a load from scratch, whether or not it walks the
// folders again.
func TestCacheEqualsLoad(t *testing.T) {
	dir := t.TempDir()
	if err := sample.Write(dir, 80, time.Date(2026, 6, 15, 0, 0, 0, 0, time.UTC)); err != nil {
		t.Fatal(err)
	}
	fsys := os.DirFS(dir)
	var c Cache
	if _, _, err := c.Load(fsys, nil, nil); err != nil {
		t.Fatal(err)
	}
	write := func(rel, text string) {
		p := filepath.Join(dir, filepath.FromSlash(rel))
		os.MkdirAll(filepath.Dir(p), 0o755)
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	read := func(rel string) string {
		b, err := os.ReadFile(filepath.Join(dir, filepath.FromSlash(rel)))
		if err != nil {
			t.Fatal(err)
		}
		return string(b)
	}
	first := c.order[0].file
	second := c.order[1].file
	for _, step := range []struct {
		what    string
		edit    func() []string
		walkNew bool // the cache must walk again
	}{
		{"edit a record", func() []string {
			write(first, strings.Replace(read(first), `title = "`, `title = "Edited `, 1))
			return []string{first}
		}, false},
		{"break a record", func() []string {
			write(first, read(first)+"\nnonsense = 1\n")
			return []string{first}
		}, false},
		{"add a record in a new folder", func() []string {
			write("content/commitments/aaa/new/new-one.toml", read(second))
			return []string{"content/commitments/aaa/new/new-one.toml"}
		}, false},
		{"delete a record", func() []string {
			os.Remove(filepath.Join(dir, filepath.FromSlash(second)))
			return []string{second}
		}, false},
		{"an editor's swap file", func() []string {
			write("content/commitments/.x.toml.swp", "junk")
			return []string{"content/commitments/.x.toml.swp"}
		}, false},
		{"a stray file", func() []string {
			write("content/commitments/notes.txt", "junk")
			return []string{"content/commitments/notes.txt"}
		}, true},
		{"the stray file goes", func() []string {
			os.Remove(filepath.Join(dir, "content/commitments/notes.txt"))
			return []string{"content/commitments/notes.txt"}
		}, true},
		{"an invalid id", func() []string {
			write("content/commitments/Bad_Name.toml", read(first))
			return []string{"content/commitments/Bad_Name.toml"}
		}, true},
	} {
		changed := step.edit()
		got, gotDiags, err := c.Load(fsys, changed, nil)
		if err != nil {
			t.Fatal(err)
		}
		if c.reuseWalk == step.walkNew {
			t.Errorf("%s: walked again %v, want %v", step.what, !c.reuseWalk, step.walkNew)
		}
		want, wantDiags, err := Load(fsys)
		if err != nil {
			t.Fatal(err)
		}
		if fmt.Sprint(gotDiags) != fmt.Sprint(wantDiags) {
			t.Errorf("%s: diagnostics\n%v\nwant\n%v", step.what, gotDiags, wantDiags)
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("%s: the cached load differs from a load from scratch", step.what)
		}
	}
}
