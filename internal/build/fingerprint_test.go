package build

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/glassboard/glassboard/internal/load"
)

// TestSourceScanMatchesDisk holds the fingerprint a build takes, with the
// records hashed from the bytes the loader read, to the fingerprint of the
// same files all read from the disk; and checks that the loader did hand
// the records over, so that the build does not read them twice. The board
// has what the loader reads differently or not at all: a record with a
// byte order mark, one behind a symbolic link, a hidden file and a stray
// file in a record folder, a file in no record folder, and files under
// layouts/, static/ and i18n/.
func TestSourceScanMatchesDisk(t *testing.T) {
	src := rebuildBoard(t)
	writeBoard(t, src, map[string]string{
		"content/commitments/zz-bom.toml":     "\uFEFF" + strings.Replace(extraCommitment, "upper", "bom", 1),
		"content/commitments/.zz-hidden.toml": "not = [valid",
		"content/commitments/notes.txt":       "a stray file",
		"content/elsewhere/x.toml":            "title = 'in no record folder'",
		"linked/zz-linked.toml":               strings.Replace(extraCommitment, "upper", "linked", 1),
		"layouts/404.html":                    `{{define "main"}}<p>Lost.</p>{{end}}`,
		"static/files/minutes.txt":            "minutes",
		"i18n/en.toml":                        `site_title = "x"`,
	})
	if err := os.Symlink(filepath.Join(src, "linked", "zz-linked.toml"), filepath.Join(src, "content", "commitments", "zz-linked.toml")); err != nil {
		t.Fatal(err)
	}

	sc, err := scanSource(src)
	if err != nil {
		t.Fatal(err)
	}
	var mu sync.Mutex // the loader reads on several goroutines
	handed := map[string]bool{}
	var bom bool
	_, _, err = load.LoadReading(os.DirFS(src), func(file string, data []byte) {
		sc.read(file, data)
		mu.Lock()
		defer mu.Unlock()
		handed[file] = true
		if file == "content/commitments/zz-bom.toml" {
			bom = bytes.HasPrefix(data, []byte("\uFEFF"))
		}
	})
	if err != nil {
		t.Fatal(err)
	}
	taken := map[string]bool{} // hashed before sum: at the listing, or from the loader
	for _, f := range sc.files {
		taken[f.path] = f.done
	}
	got, err := sc.sum()
	if err != nil {
		t.Fatal(err)
	}
	want, err := sourceSum(src)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("fingerprint with the loader's bytes %x, from the disk %x", got, want)
	}
	if !bom {
		t.Error("the loader handed over a record with its byte order mark removed")
	}
	// Every regular record file is handed over (content/ reads no links:
	// zz-linked.toml is refused, and hashed from the disk).
	records := 0
	for p := range sc.byPath {
		if strings.HasSuffix(p, ".toml") && strings.Contains(p, "/commitments/") && !strings.Contains(p, "/.") && !strings.Contains(p, "linked") {
			records++
			if !handed[p] || !taken[p] {
				t.Errorf("%s: handed over by the loader %v, its hash taken from that %v", p, handed[p], taken[p])
			}
		}
	}
	if !handed["board.toml"] || records < 20 {
		t.Errorf("board.toml handed over: %v; %d commitments", handed["board.toml"], records)
	}
	for _, p := range []string{"layouts/404.html", "static/files/minutes.txt", "i18n/en.toml"} {
		if _, ok := sc.byPath[p]; ok || handed[p] {
			t.Errorf("%s: left to the loader, which does not read it", p)
		}
	}

	// A record changed between the listing and the load changes the
	// fingerprint: it is of what the build read.
	sc, err = scanSource(src)
	if err != nil {
		t.Fatal(err)
	}
	writeBoard(t, src, map[string]string{"content/commitments/zz-extra.toml": strings.Replace(extraCommitment, "upper", "edited", 1)})
	if _, _, err := load.LoadReading(os.DirFS(src), sc.read); err != nil {
		t.Fatal(err)
	}
	got, err = sc.sum()
	if err != nil {
		t.Fatal(err)
	}
	want, err = sourceSum(src)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("after an edit before the load: fingerprint %x, of the board as read %x", got, want)
	}
}
