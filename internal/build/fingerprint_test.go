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

// sourceSum is the fingerprint of the board's files, all read from the
// disk, as the build took it before the loader handed over what it read.
func sourceSum(src string) ([]byte, error) {
	sc, err := scanSource(src)
	if err != nil {
		return nil, err
	}
	var rest []int
	for i, f := range sc.files {
		if !f.done {
			rest = append(rest, i)
		}
	}
	if err := sc.hashFiles(rest); err != nil {
		return nil, err
	}
	return sc.sum()
}

// fingerprintBoard is a sample board with what the loader reads
// differently or not at all: a record with a byte order mark, a hidden
// file, editor backups and a hidden folder in content/ (which the loader
// passes over), and files under layouts/, static/ and i18n/.
func fingerprintBoard(t *testing.T) string {
	src := rebuildBoard(t)
	writeBoard(t, src, map[string]string{
		"content/commitments/zz-bom.toml":     "\uFEFF" + strings.Replace(extraCommitment, "upper", "bom", 1),
		"content/commitments/.zz-hidden.toml": "not = [valid",
		"content/commitments/zz-extra.toml~":  "not = [valid",
		"content/commitments/#zz-extra.toml#": "not = [valid",
		"content/.git/HEAD":                   "ref: refs/heads/main",
		"layouts/404.html":                    `{{define "main"}}<p>Lost.</p>{{end}}`,
		"static/files/minutes.txt":            "minutes",
		"i18n/en.toml":                        `site_title = "x"`,
	})
	return src
}

// TestSourceScanMatchesDisk holds the fingerprint a build takes, with the
// records hashed from the bytes the loader read, to the fingerprint of the
// same files all read from the disk; and checks that the loader did hand
// the records over, so that the build does not read them twice.
func TestSourceScanMatchesDisk(t *testing.T) {
	src := fingerprintBoard(t)
	sc, err := scanSource(src)
	if err != nil {
		t.Fatal(err)
	}
	var mu sync.Mutex // the loader reads on several goroutines
	handed := map[string]bool{}
	var bom bool
	_, ds, err := load.LoadReading(os.DirFS(src), func(file string, data []byte) {
		sc.read(file, data)
		mu.Lock()
		defer mu.Unlock()
		handed[file] = true
		if file == "content/commitments/zz-bom.toml" {
			bom = bytes.HasPrefix(data, []byte("\uFEFF"))
		}
	})
	if err != nil || ds.Errors() > 0 {
		t.Fatalf("load: %v\n%v", err, ds)
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
	records := 0
	for p := range sc.byPath {
		if !handed[p] {
			t.Errorf("%s: left to the loader, which did not hand it over", p)
		}
		if strings.HasPrefix(p, "content/commitments/") {
			records++
		}
	}
	if !handed["board.toml"] || records < 20 {
		t.Errorf("board.toml handed over: %v; %d commitments", handed["board.toml"], records)
	}
	for _, p := range []string{"layouts/404.html", "static/files/minutes.txt", "i18n/en.toml",
		"content/commitments/.zz-hidden.toml", "content/commitments/zz-extra.toml~", "content/.git/HEAD"} {
		if _, ok := sc.byPath[p]; ok || handed[p] {
			t.Errorf("%s: left to the loader, which does not read it", p)
		}
	}

	// A record edited between the listing and the load: the fingerprint
	// is of what the build read.
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

// TestSourceScanRefusesChanges: when the files the loader read are not
// the files listed, no fingerprint is taken (the output gets no manifest
// and the next build is a full one). Hashing the disk after the load
// instead would let a later board match an output built from another.
func TestSourceScanRefusesChanges(t *testing.T) {
	record := "content/commitments/zz-extra.toml"
	tests := []struct {
		name      string
		before    func(t *testing.T, src string) // after the listing, before the load
		after     func(t *testing.T, src string) // after the load, before sum
		loadFails bool
	}{
		{"a record deleted", func(t *testing.T, src string) {
			os.Remove(filepath.Join(src, record))
		}, nil, false},
		{"a record deleted, then made again", func(t *testing.T, src string) {
			os.Remove(filepath.Join(src, record))
		}, func(t *testing.T, src string) {
			writeBoard(t, src, map[string]string{record: strings.Replace(extraCommitment, "upper", "again", 1)})
		}, false},
		{"a record made", func(t *testing.T, src string) {
			writeBoard(t, src, map[string]string{"content/commitments/zz-new.toml": strings.Replace(extraCommitment, "upper", "new", 1)})
		}, nil, false},
		{"a stray file", func(t *testing.T, src string) {}, nil, true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			src := fingerprintBoard(t)
			if tc.loadFails {
				writeBoard(t, src, map[string]string{"content/commitments/notes.txt": "a stray file"})
			}
			sc, err := scanSource(src)
			if err != nil {
				t.Fatal(err)
			}
			tc.before(t, src)
			_, ds, err := load.LoadReading(os.DirFS(src), sc.read)
			if err != nil {
				t.Fatal(err)
			}
			if (ds.Errors() > 0) != tc.loadFails {
				t.Fatalf("load errors: %v", ds)
			}
			if tc.after != nil {
				tc.after(t, src)
			}
			if key, err := sc.sum(); err == nil {
				t.Errorf("fingerprint %x taken; want none", key)
			} else {
				t.Log(err)
			}
		})
	}
}
