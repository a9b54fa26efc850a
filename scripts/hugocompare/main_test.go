package main

import (
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/BurntSushi/toml"

	"github.com/glassboard/glassboard/internal/sample"
)

// TestConvert converts a small sample board and checks the Hugo site: one
// content page per published record, one page per unit, valid TOML front
// matter, and no private candidate data anywhere.
func TestConvert(t *testing.T) {
	now := time.Date(2026, 6, 15, 0, 0, 0, 0, time.UTC)
	board := filepath.Join(t.TempDir(), "board")
	if err := sample.Write(board, 120, now); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(t.TempDir(), "site")
	c := &converter{board: board, out: out, now: now}
	if err := c.run("site"); err != nil {
		t.Fatal(err)
	}
	if c.count["commitments"]+c.count["notices"]+c.count["ratings"]+c.count["scheduled"] != 120 {
		t.Errorf("counts %v do not add up to 120 records", c.count)
	}
	for _, f := range []string{"hugo.toml", "layouts/baseof.html", "layouts/commitments/page.poster.html", "content/units/xinfang/_index.md"} {
		if _, err := os.Stat(filepath.Join(out, f)); err != nil {
			t.Error(err)
		}
	}
	var cfg map[string]any
	if _, err := toml.DecodeFile(filepath.Join(out, "hugo.toml"), &cfg); err != nil {
		t.Fatal(err)
	}
	pages := 0
	err := filepath.WalkDir(filepath.Join(out, "content"), func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		s := string(b)
		if strings.Contains(s, "PRIVATE") || strings.Contains(s, "private") || strings.Contains(s, "id_number") {
			t.Errorf("%s: private data copied", path)
		}
		parts := strings.SplitN(s, "+++\n", 3)
		if len(parts) != 3 || parts[0] != "" {
			t.Errorf("%s: no TOML front matter", path)
			return nil
		}
		var fm map[string]any
		if _, err := toml.Decode(parts[1], &fm); err != nil {
			t.Errorf("%s: %v", path, err)
		}
		if strings.Contains(path, "/commitments/") || strings.Contains(path, "/notices/") || strings.Contains(path, "/ratings/") {
			pages++
			if _, ok := fm["units"]; !ok {
				t.Errorf("%s: no units taxonomy", path)
			}
			if _, ok := fm["body"]; ok {
				t.Errorf("%s: body left in the front matter", path)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if want := c.count["commitments"] + c.count["notices"] + c.count["ratings"]; pages != want {
		t.Errorf("%d record pages, want %d", pages, want)
	}
}
