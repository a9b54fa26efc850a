package build

import (
	"bytes"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"sync"
	"testing"
	"testing/fstest"
	"time"

	"github.com/glassboard/glassboard"
	"github.com/glassboard/glassboard/internal/board"
	"github.com/glassboard/glassboard/internal/sample"
)

// extraCommitment is a record that no other record names, so that a test
// can delete it.
const extraCommitment = `title = "A well for the upper village"
unit = "xinfang"
owner = "Li Ming"
made = 2026-01-10
due = 2026-12-31
status = "in-progress"
`

// rebuildBoard writes a sample board with extraCommitment in it.
func rebuildBoard(t *testing.T) string {
	t.Helper()
	src := t.TempDir()
	if err := sample.Write(src, 40, today("2026-06-15").Time()); err != nil {
		t.Fatal(err)
	}
	writeBoard(t, src, map[string]string{"content/commitments/zz-extra.toml": extraCommitment})
	return src
}

// baseOptions builds src into dest on the benchmarks' day.
func baseOptions(src, dest string) Options {
	return Options{Source: src, Dest: dest, Theme: glassboard.Theme, Today: today("2026-06-15")}
}

func build(t *testing.T, o Options) *Result {
	t.Helper()
	res, err := Run(o)
	if err != nil {
		if res != nil {
			t.Logf("diagnostics:\n%v", res.Diags)
		}
		t.Fatalf("build: %v", err)
	}
	return res
}

// stats maps every path under dir to what lstat says of it.
func stats(t *testing.T, dir string) map[string]fs.FileInfo {
	t.Helper()
	out := map[string]fs.FileInfo{}
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		fi, err := os.Lstat(p)
		rel, _ := filepath.Rel(dir, p)
		out[filepath.ToSlash(rel)] = fi
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// sameAsFreshBuild checks that dest holds exactly what o builds into an
// empty folder: the same files, bytes, folders and modes.
func sameAsFreshBuild(t *testing.T, o Options, dest string) {
	t.Helper()
	o.Dest = filepath.Join(t.TempDir(), "fresh")
	build(t, o)
	sameTree(t, tree(t, o.Dest), tree(t, dest))
	sameModes(t, o.Dest, dest)
}

// TestSecondBuildWritesNothing builds twice with nothing changed: the
// second build verifies the output against the manifest and writes
// nothing; every file and folder keeps its inode and times; the output is
// still exactly a fresh build's.
func TestSecondBuildWritesNothing(t *testing.T) {
	src := rebuildBoard(t)
	dest := filepath.Join(t.TempDir(), "public")
	o := baseOptions(src, dest)
	first := build(t, o)
	if first.Unchanged || first.Reused != 0 {
		t.Errorf("first build: unchanged %v, reused %d", first.Unchanged, first.Reused)
	}
	before := stats(t, dest)
	manifest, err := os.ReadFile(filepath.Join(dest, manifestName))
	if err != nil {
		t.Fatalf("no manifest after a build: %v", err)
	}
	second := build(t, o)
	if !second.Unchanged || second.Refreshed != 0 || second.Pages != first.Pages || second.Files != first.Files || second.Reused != first.Files {
		t.Errorf("second build: unchanged %v, refreshed %d, %d pages, %d files, %d reused; first: %d pages, %d files",
			second.Unchanged, second.Refreshed, second.Pages, second.Files, second.Reused, first.Pages, first.Files)
	}
	if second.Snapshot == nil || second.Snapshot.Today != first.Snapshot.Today {
		t.Error("the second build has no snapshot of the day")
	}
	after := stats(t, dest)
	for p, b := range before {
		a, ok := after[p]
		switch {
		case !ok:
			t.Errorf("%s: gone", p)
		case !os.SameFile(a, b):
			t.Errorf("%s: another file now", p)
		case p != "." && !a.ModTime().Equal(b.ModTime()):
			t.Errorf("%s: written again (%v, was %v)", p, a.ModTime(), b.ModTime())
		case a.Mode() != b.Mode() || a.Size() != b.Size():
			t.Errorf("%s: %v %d bytes, was %v %d bytes", p, a.Mode(), a.Size(), b.Mode(), b.Size())
		}
	}
	for p := range after {
		if _, ok := before[p]; !ok {
			t.Errorf("%s: new", p)
		}
	}
	if m, _ := os.ReadFile(filepath.Join(dest, manifestName)); !bytes.Equal(m, manifest) {
		t.Error("the manifest was written again")
	}
	sameAsFreshBuild(t, o, dest)
	onlyDest(t, dest)
}

// TestRebuildAfterEachChange changes one thing at a time, in the board,
// the options or the output: each makes a full build whose output is
// exactly a fresh build's, never an error, and the build after it, with
// nothing changed, writes nothing.
func TestRebuildAfterEachChange(t *testing.T) {
	firstFile := func(t *testing.T, dir, suffix string) string {
		t.Helper()
		var found string
		filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
			if err == nil && found == "" && strings.HasSuffix(p, suffix) {
				found = p
			}
			return err
		})
		if found == "" {
			t.Fatalf("no %s under %s", suffix, dir)
		}
		return found
	}
	edit := func(t *testing.T, p string, f func([]byte) []byte) {
		t.Helper()
		data, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, f(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	manifest := func(dest string) string { return filepath.Join(dest, manifestName) }
	page := func(dest string) string { return filepath.Join(dest, "commitments", "zz-extra", "index.html") }
	tests := []struct {
		name   string
		change func(t *testing.T, src, dest string, o *Options)
	}{
		// The board.
		{"a record edited", func(t *testing.T, src, dest string, o *Options) {
			edit(t, firstFile(t, filepath.Join(src, "content", "commitments"), ".toml"), func(b []byte) []byte {
				return bytes.Replace(b, []byte(`title = "`), []byte(`title = "EDITED `), 1)
			})
		}},
		{"a record edited, same size", func(t *testing.T, src, dest string, o *Options) {
			edit(t, filepath.Join(src, "content", "commitments", "zz-extra.toml"), func(b []byte) []byte {
				return bytes.Replace(b, []byte("upper"), []byte("lower"), 1)
			})
		}},
		{"a record added", func(t *testing.T, src, dest string, o *Options) {
			writeBoard(t, src, map[string]string{"content/commitments/zz-added.toml": strings.Replace(extraCommitment, "upper", "new", 1)})
		}},
		{"a record deleted", func(t *testing.T, src, dest string, o *Options) {
			if err := os.Remove(filepath.Join(src, "content", "commitments", "zz-extra.toml")); err != nil {
				t.Fatal(err)
			}
		}},
		{"board.toml", func(t *testing.T, src, dest string, o *Options) { retitle(t, src, "A board with another title") }},
		{"a layout override added", func(t *testing.T, src, dest string, o *Options) {
			writeBoard(t, src, map[string]string{"layouts/404.html": `{{define "main"}}<p>Lost here.</p>{{end}}`})
		}},
		{"a static file added", func(t *testing.T, src, dest string, o *Options) {
			writeBoard(t, src, map[string]string{"static/files/minutes.txt": "minutes"})
		}},
		{"a static asset", func(t *testing.T, src, dest string, o *Options) {
			writeBoard(t, src, map[string]string{"static/assets/style.css": "body{color:red}"})
		}},
		{"an i18n override", func(t *testing.T, src, dest string, o *Options) {
			writeBoard(t, src, map[string]string{"i18n/en.toml": "nav_home = \"Start\"\n"})
		}},
		{"an empty folder in content", func(t *testing.T, src, dest string, o *Options) {
			os.MkdirAll(filepath.Join(src, "content", "notices", "2026"), 0o755)
		}},
		// The options and the program.
		{"another --now", func(t *testing.T, src, dest string, o *Options) { o.Today = today("2026-06-16") }},
		{"not pinned to a day", func(t *testing.T, src, dest string, o *Options) {
			o.Today, o.Now = board.Date{}, today("2026-06-15").Time().Add(10*time.Hour)
		}},
		{"BaseURL", func(t *testing.T, src, dest string, o *Options) { o.BaseURL = "https://elsewhere.example.org/board" }},
		{"Paper", func(t *testing.T, src, dest string, o *Options) { o.Paper = "A3" }},
		{"the theme", func(t *testing.T, src, dest string, o *Options) {
			theme := fstest.MapFS{}
			fs.WalkDir(glassboard.Theme, ".", func(p string, d fs.DirEntry, err error) error {
				if err == nil && !d.IsDir() {
					data, _ := fs.ReadFile(glassboard.Theme, p)
					theme[p] = &fstest.MapFile{Data: data, Mode: 0o644}
				}
				return err
			})
			theme["layouts/404.html"].Data = []byte(`{{define "main"}}<p>Themed.</p>{{end}}`)
			o.Theme = theme
		}},
		{"another glassboard", func(t *testing.T, src, dest string, o *Options) {
			was := binarySum
			binarySum = func() ([]byte, error) { return []byte("a rebuilt glassboard"), nil }
			t.Cleanup(func() { binarySum = was })
		}},
		// The output, by hand, right after the build.
		{"an output file edited, same size", func(t *testing.T, src, dest string, o *Options) {
			edit(t, page(dest), func(b []byte) []byte { return bytes.Replace(b, []byte("upper"), []byte("lower"), 1) })
		}},
		{"an output file replaced by a copy with its time", func(t *testing.T, src, dest string, o *Options) {
			p := page(dest)
			fi, _ := os.Stat(p)
			data, _ := os.ReadFile(p)
			tmp := filepath.Join(filepath.Dir(p), "copy")
			os.WriteFile(tmp, data, 0o644)
			os.Chtimes(tmp, fi.ModTime(), fi.ModTime())
			if err := os.Rename(tmp, p); err != nil {
				t.Fatal(err)
			}
		}},
		{"an output file deleted", func(t *testing.T, src, dest string, o *Options) {
			if err := os.Remove(page(dest)); err != nil {
				t.Fatal(err)
			}
		}},
		{"a data file deleted", func(t *testing.T, src, dest string, o *Options) {
			if err := os.Remove(filepath.Join(dest, "data", "notices.csv")); err != nil {
				t.Fatal(err)
			}
		}},
		{"a file added in a folder", func(t *testing.T, src, dest string, o *Options) {
			writeBoard(t, dest, map[string]string{"commitments/zz-extra/notes.txt": "mine"})
		}},
		{"a file added at the top", func(t *testing.T, src, dest string, o *Options) {
			writeBoard(t, dest, map[string]string{"robots.txt": "User-agent: *\n"})
		}},
		{"a folder added", func(t *testing.T, src, dest string, o *Options) {
			os.Mkdir(filepath.Join(dest, "commitments", "zz-ghost"), 0o755)
		}},
		{"a folder deleted", func(t *testing.T, src, dest string, o *Options) {
			if err := os.RemoveAll(filepath.Join(dest, "posters", "commitments", "zz-extra")); err != nil {
				t.Fatal(err)
			}
		}},
		{"an output file's mode", func(t *testing.T, src, dest string, o *Options) {
			if err := os.Chmod(page(dest), 0o600); err != nil {
				t.Fatal(err)
			}
		}},
		{"an output folder's mode", func(t *testing.T, src, dest string, o *Options) {
			if err := os.Chmod(filepath.Dir(page(dest)), 0o700); err != nil {
				t.Fatal(err)
			}
		}},
		{"an output file made a link", func(t *testing.T, src, dest string, o *Options) {
			p := page(dest)
			data, _ := os.ReadFile(p)
			target := filepath.Join(t.TempDir(), "page.html")
			os.WriteFile(target, data, 0o644)
			os.Remove(p)
			if err := os.Symlink(target, p); err != nil {
				t.Fatal(err)
			}
		}},
		// The manifest.
		{"the manifest deleted", func(t *testing.T, src, dest string, o *Options) {
			if err := os.Remove(manifest(dest)); err != nil {
				t.Fatal(err)
			}
		}},
		{"the manifest emptied", func(t *testing.T, src, dest string, o *Options) {
			os.WriteFile(manifest(dest), nil, 0o644)
		}},
		{"the manifest cut short", func(t *testing.T, src, dest string, o *Options) {
			edit(t, manifest(dest), func(b []byte) []byte { return b[:len(b)/2] })
		}},
		{"the manifest garbled", func(t *testing.T, src, dest string, o *Options) {
			edit(t, manifest(dest), func(b []byte) []byte { return bytes.ReplaceAll(b, []byte(" "), []byte("\x00")) })
		}},
		{"the manifest's checksum wrong", func(t *testing.T, src, dest string, o *Options) {
			edit(t, manifest(dest), func(b []byte) []byte {
				return bytes.Replace(b, []byte("\nfiles "), []byte("\nfiles 1"), 1)
			})
		}},
		{"the manifest wrong about a file", func(t *testing.T, src, dest string, o *Options) {
			// A well-formed manifest that does not match the output.
			m, err := readManifest(dest)
			if err != nil {
				t.Fatal(err)
			}
			for i, e := range m.entries {
				if e.path == "commitments/zz-extra/index.html" {
					m.entries[i].size++
				}
			}
			if err := os.WriteFile(manifest(dest), m.encode(), 0o644); err != nil {
				t.Fatal(err)
			}
		}},
		{"the manifest a folder", func(t *testing.T, src, dest string, o *Options) {
			os.Remove(manifest(dest))
			os.Mkdir(manifest(dest), 0o755)
		}},
		{"the manifest of another day", func(t *testing.T, src, dest string, o *Options) {
			other := filepath.Join(t.TempDir(), "other")
			oo := *o
			oo.Dest, oo.Today = other, today("2026-07-01")
			build(t, oo)
			data, _ := os.ReadFile(manifest(other))
			os.WriteFile(manifest(dest), data, 0o644)
		}},
		{"a leftover temporary manifest", func(t *testing.T, src, dest string, o *Options) {
			os.WriteFile(manifest(dest)+".tmp", []byte("half"), 0o644)
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			src := rebuildBoard(t)
			dest := filepath.Join(t.TempDir(), "public")
			o := baseOptions(src, dest)
			build(t, o)
			tc.change(t, src, dest, &o)
			second := build(t, o)
			if second.Unchanged || second.Refreshed != 0 {
				t.Errorf("after the change: unchanged %v, %d refreshed; want a full build", second.Unchanged, second.Refreshed)
			}
			sameAsFreshBuild(t, o, dest)
			onlyDest(t, dest)
			if third := build(t, o); !third.Unchanged || third.Pages != second.Pages || third.Files != second.Files {
				t.Errorf("the build after it: unchanged %v, %d pages, %d files; want unchanged, %d pages, %d files",
					third.Unchanged, third.Pages, third.Files, second.Pages, second.Files)
			}
		})
	}
}

// TestUnpinnedRebuildRefreshesTheTime builds without --now, as a clerk
// does by default, twice on the same day: the data files and feeds that
// carry the time of generation are made again and replaced, the pages are
// kept (same inodes and times), and the output is exactly a fresh build's
// with the same time of generation. The same with a time fixed by
// SOURCE_DATE_EPOCH (Generated): then the next build writes nothing.
func TestUnpinnedRebuildRefreshesTheTime(t *testing.T) {
	src := rebuildBoard(t)
	dest := filepath.Join(t.TempDir(), "public")
	morning := today("2026-06-15").Time().Add(10 * time.Hour)
	o := Options{Source: src, Dest: dest, Theme: glassboard.Theme, Now: morning}
	first := build(t, o)
	steps := []struct {
		name      string
		now       time.Time
		generated time.Time
		unchanged bool
	}{
		{"a minute later", morning.Add(time.Minute), time.Time{}, false},
		{"in the same second", morning.Add(time.Minute + 300*time.Millisecond), time.Time{}, true},
		{"an hour later", morning.Add(time.Hour), time.Time{}, false},
		{"SOURCE_DATE_EPOCH", morning.Add(2 * time.Hour), time.Unix(1781000000, 0), false},
		{"SOURCE_DATE_EPOCH again, later", morning.Add(3 * time.Hour), time.Unix(1781000000, 0), true},
	}
	for _, step := range steps {
		before, beforeTree := stats(t, dest), tree(t, dest)
		o.Now, o.Generated = step.now, step.generated
		res := build(t, o)
		after, afterTree := stats(t, dest), tree(t, dest)
		changed := 0
		for p, fi := range before {
			if p == manifestName || p == "." || fi.IsDir() {
				continue
			}
			switch same := os.SameFile(fi, after[p]); {
			case beforeTree[p] != afterTree[p] && same:
				t.Errorf("%s: %s changed in place", step.name, p)
			case beforeTree[p] != afterTree[p]:
				changed++
				if strings.HasSuffix(p, ".html") || !(strings.HasPrefix(p, "data/") || strings.HasSuffix(p, "feed.xml")) {
					t.Errorf("%s: %s changed, which does not carry the time", step.name, p)
				}
			case !same || !fi.ModTime().Equal(after[p].ModTime()):
				t.Errorf("%s: %s written again with the same bytes", step.name, p)
			}
		}
		if step.unchanged {
			if !res.Unchanged || res.Refreshed != 0 || changed != 0 {
				t.Errorf("%s: unchanged %v, %d refreshed, %d files changed; want nothing written", step.name, res.Unchanged, res.Refreshed, changed)
			}
		} else if res.Unchanged || changed == 0 || res.Refreshed != changed || res.Reused != res.Files-changed {
			t.Errorf("%s: unchanged %v, %d refreshed, %d reused of %d; %d files changed", step.name, res.Unchanged, res.Refreshed, res.Reused, res.Files, changed)
		}
		if res.Pages != first.Pages || res.Files != first.Files {
			t.Errorf("%s: %d pages, %d files; first build: %d, %d", step.name, res.Pages, res.Files, first.Pages, first.Files)
		}
		sameAsFreshBuild(t, o, dest)
		onlyDest(t, dest)
	}
	// The next day, the pages change: a full build.
	o.Now, o.Generated = morning.Add(24*time.Hour), time.Time{}
	if res := build(t, o); res.Unchanged || res.Refreshed != 0 {
		t.Errorf("the next day: unchanged %v, %d refreshed; want a full build", res.Unchanged, res.Refreshed)
	}
	sameAsFreshBuild(t, o, dest)
}

// TestManifestRoundTrip encodes a manifest and decodes it, and refuses
// every way of damaging it without a panic.
func TestManifestRoundTrip(t *testing.T) {
	m := &manifest{key: "k", generated: "2026-06-15T00:00:00Z", pages: 2, files: 3, entries: []entry{
		{path: ".", mode: fs.ModeDir | 0o755, ino: 1},
		{path: "a b/\"quoted\"\n.html", mode: 0o644, ino: 2, uid: 1000, gid: 100, size: 12, mtime: -5},
		{path: "index.html", mode: 0o644, ino: 3, size: 1 << 40, mtime: 1781000000123456789},
	}}
	data := m.encode()
	got, err := decodeManifest(data)
	if err != nil {
		t.Fatal(err)
	}
	if string(got.encode()) != string(data) {
		t.Errorf("round trip:\n%s\n%s", got.encode(), data)
	}
	for i := range len(data) {
		if _, err := decodeManifest(data[:i]); err == nil {
			t.Errorf("cut to %d bytes: accepted", i)
		}
		flipped := bytes.Clone(data)
		flipped[i] ^= 0x20
		if _, err := decodeManifest(flipped); err == nil {
			t.Errorf("byte %d changed: accepted", i)
		}
	}
}

// FuzzManifest: decoding never panics, and what decodes encodes back to
// the same bytes.
func FuzzManifest(f *testing.F) {
	m := &manifest{key: "k", generated: "g", entries: []entry{{path: ".", mode: fs.ModeDir | 0o755}, {path: "x", size: 1}}}
	f.Add(m.encode())
	f.Add([]byte("glassboard-manifest 1\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		m, err := decodeManifest(data)
		if err != nil {
			return
		}
		if got := m.encode(); !bytes.Equal(got, data) {
			t.Errorf("decoded and encoded again:\n%q\nwas\n%q", got, data)
		}
	})
}

// TestRecordKnownEqualsLstat: the entries writeFile returns for the files
// it wrote are those lstat gives afterwards, so the manifest made from
// them is the one made by lstat'ing everything.
func TestRecordKnownEqualsLstat(t *testing.T) {
	dir := t.TempDir()
	known := map[string]entry{}
	var files []string
	for i, rel := range []string{"index.html", "a/index.html", "a/b/index.html", "c/data.json", "c/empty.txt"} {
		if err := os.MkdirAll(filepath.Join(dir, filepath.Dir(rel)), 0o755); err != nil {
			t.Fatal(err)
		}
		e, ok, err := writeFile(filepath.Join(dir, rel), bytes.Repeat([]byte("x"), i*1000), 0o644)
		if err != nil {
			t.Fatal(err)
		}
		if ok {
			known[rel] = e
		}
		files = append(files, rel)
	}
	want, wantNewest, err := record(dir, files, nil)
	if err != nil {
		t.Fatal(err)
	}
	got, gotNewest, err := record(dir, files, known)
	if err != nil {
		t.Fatal(err)
	}
	if len(known) != len(files) && runtime.GOOS == "linux" {
		t.Errorf("writeFile gave %d entries of %d files", len(known), len(files))
	}
	if !slices.Equal(got, want) || !gotNewest.Equal(wantNewest) {
		t.Errorf("entries from writeFile differ from lstat's:\n got %v\nwant %v", got, want)
	}
}

// TestOutputRecordsFolders: an output records each folder's entry as its
// last planned entry is made, and what it recorded is what lstat gives
// after the build, so the manifest made from it is the one made by
// lstat'ing everything; a folder that gets an entry it was not planned to
// get is left to the lstat.
func TestOutputRecordsFolders(t *testing.T) {
	planned := []string{
		"data/a.json", "index.html", "a/index.html", "a/b/index.html", "a/b/c/index.html",
		"a/d/index.html", "e/f/g/index.html", "e/x.css", "h/index.html",
	}
	// Not planned: a file in a planned folder, one at the root, and one in
	// a folder not planned inside a planned one.
	extra := []string{"h/stray.xml", "sitemap.xml", "a/d/new/x.xml"}
	for _, reuse := range []bool{false, true} {
		t.Run(fmt.Sprint("reuse=", reuse), func(t *testing.T) {
			parent := t.TempDir()
			prev := ""
			if reuse {
				// A previous output with the same files: they are linked.
				prev = filepath.Join(parent, "prev")
				if err := os.Mkdir(prev, 0o755); err != nil {
					t.Fatal(err)
				}
				o, err := newOutput(prev, "")
				if err != nil {
					t.Fatal(err)
				}
				o.makeDirs(planned)
				for _, p := range append(planned, extra...) {
					if err := o.put(p, []byte(p)); err != nil {
						t.Fatal(err)
					}
				}
				o.finish(false)
			}
			tmp := filepath.Join(parent, "tmp")
			if err := os.Mkdir(tmp, 0o755); err != nil {
				t.Fatal(err)
			}
			o, err := newOutput(tmp, prev)
			if err != nil {
				t.Fatal(err)
			}
			o.makeDirs(planned)
			// In parallel, but a little apart, so that a folder recorded
			// before its last entry would show an older time than lstat's
			// (the file system's clock moves in ticks of a few ms).
			var wg sync.WaitGroup
			for i, p := range append(slices.Clone(planned), extra...) {
				wg.Go(func() {
					time.Sleep(time.Duration(i) * 25 * time.Millisecond)
					if err := o.put(p, []byte(p)); err != nil {
						t.Error(err)
					}
				})
			}
			wg.Wait()
			if err := o.finish(false); err != nil {
				t.Fatal(err)
			}
			if reuse && o.reused.Load() != int64(len(planned)+len(extra)) {
				t.Errorf("%d files linked, want %d", o.reused.Load(), len(planned)+len(extra))
			}
			files := append(append([]string{marker}, planned...), extra...)
			want, _, err := record(tmp, files, nil)
			if err != nil {
				t.Fatal(err)
			}
			got, _, err := record(tmp, files, o.stats)
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(got, want) {
				t.Errorf("recorded entries differ from lstat's:\n got %v\nwant %v", got, want)
			}
			if runtime.GOOS != "linux" {
				return
			}
			for _, d := range []string{"data", "a", "a/b", "a/b/c", "e", "e/f", "e/f/g"} {
				if _, ok := o.stats[d]; !ok {
					t.Errorf("folder %s was not recorded as it was filled", d)
				}
			}
			for _, d := range []string{"h", "a/d"} {
				if _, ok := o.stats[d]; ok {
					t.Errorf("folder %s was recorded, though it got entries not planned", d)
				}
			}
		})
	}
}
