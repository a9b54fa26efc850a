package load

import (
	"bytes"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"runtime"
	"strconv"
	"strings"
	"testing"
)

// A board on disk is read relative to its open folders (dirHandle). The
// records, the diagnostics and the order must be those of reading every
// file by its path, also when a folder's files come before and after its
// subfolders and when two folders hold a file of the same name.
func TestReadInFolders(t *testing.T) {
	dir := writeBase(t)
	commitment, err := os.ReadFile(filepath.Join(dir, filepath.FromSlash(hostileCommitment)))
	if err != nil {
		t.Fatal(err)
	}
	retitled := func(title string) []byte {
		return []byte(strings.Replace(string(commitment), "title = ", "title = \""+title+"\"\n#", 1))
	}
	for name, data := range map[string][]byte{
		"content/commitments/a-first.toml":         retitled("First, before the folders"),
		"content/commitments/b/2024/same-id.toml":  retitled("In b/2024"),
		"content/commitments/b/2025/same-id.toml":  retitled("In b/2025"),
		"content/commitments/b/between.toml":       retitled("Between b's folders"),
		"content/commitments/b/2025/between.toml":  retitled("The other between, in b/2025"),
		"content/commitments/b/z/deep/last.toml":   retitled("Deep"),
		"content/commitments/c-after.toml":         retitled("After the folders"),
		"content/notices/2024/n-in-a-folder.toml":  []byte("title = \"unfinished\n"),
		"content/commitments/d/empty/.gitkeep":     nil,
		"content/commitments/d/not-a-record.txt":   []byte("stray"),
		"content/commitments/e/f/g/h/broken.toml":  []byte("title = 1\n"),
		"content/commitments/e/f/g/h/unicode.toml": retitled("公开 in a deep folder"),
	} {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	byPath := struct{ fs.FS }{os.DirFS(dir)} // not an os.DirFS: every file is read through fs.FS
	want, wantDs, err := Load(byPath)
	if err != nil {
		t.Fatal(err)
	}
	if len(wantDs) == 0 || len(want.Commitments) < 8 {
		t.Fatalf("the test board should load with some diagnostics: %d commitments, %v", len(want.Commitments), wantDs)
	}
	fds := openFiles(t)
	got, gotDs, err := Load(os.DirFS(dir))
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(gotDs, wantDs) {
		t.Errorf("diagnostics differ:\n%v\nwant\n%v", gotDs, wantDs)
	}
	if !reflect.DeepEqual(got, want) {
		for i := range min(len(got.Commitments), len(want.Commitments)) {
			if g, w := got.Commitments[i], want.Commitments[i]; !reflect.DeepEqual(g, w) {
				t.Errorf("commitment %d: %s %q, want %s %q", i, g.File, g.Title, w.File, w.Title)
			}
		}
		t.Fatal("the boards differ")
	}
	if after := openFiles(t); after != fds {
		t.Errorf("%d files open after the load, %d before: folders left open", after, fds)
	}
}

// openFiles counts the process's open files (Linux only).
func openFiles(t *testing.T) int {
	if runtime.GOOS != "linux" {
		return 0
	}
	es, err := os.ReadDir("/proc/self/fd")
	if err != nil {
		t.Fatal(err)
	}
	return len(es)
}

// dirStack gives each file the handle of its own folder, and lets go of
// each folder once the walk has left it.
func TestDirStack(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("folders are opened on Linux only")
	}
	root := t.TempDir()
	for _, d := range []string{"c/a/1", "c/a/2", "c/b", "c/b/x/y"} {
		if err := os.MkdirAll(filepath.Join(root, d), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	// The walk's order: a folder's files and subfolders by name.
	steps := []struct {
		enter string // a folder the walk goes into…
		file  string // … or a file it hands on, read in want
		want  string
	}{
		{enter: "c"},
		{file: "c/0.toml", want: "c"},
		{enter: "c/a"},
		{enter: "c/a/1"},
		{file: "c/a/1/x.toml", want: "c/a/1"},
		{enter: "c/a/2"},
		{file: "c/a/2/x.toml", want: "c/a/2"},
		{file: "c/a/3.toml", want: "c/a"},
		{enter: "c/b"},
		{enter: "c/b/x"},
		{enter: "c/b/x/y"},
		{file: "c/b/x/y/z.toml", want: "c/b/x/y"},
		{file: "c/b/z.toml", want: "c/b"},
		{file: "c/z.toml", want: "c"},
		{file: "elsewhere/z.toml"}, // no folder open for it
	}
	fds := openFiles(t)
	var st dirStack
	var held []*dirHandle
	for _, s := range steps {
		if s.enter != "" {
			st.enter(root, s.enter)
			continue
		}
		h := st.of(s.file)
		if s.want == "" {
			if h != nil {
				t.Errorf("%s: a folder's handle, want none", s.file)
			}
			continue
		}
		if h == nil {
			t.Fatalf("%s: no handle", s.file)
		}
		if got, err := os.Readlink("/proc/self/fd/" + strconv.Itoa(h.fd)); err != nil || got != filepath.Join(root, s.want) {
			t.Errorf("%s: handle of %s (%v), want %s", s.file, got, err, s.want)
		}
		h.hold() // as found does, until the file is read
		held = append(held, h)
	}
	st.leave("")
	if len(st) != 0 {
		t.Errorf("%d folders still on the stack", len(st))
	}
	if n := openFiles(t); n != fds+len(uniq(held)) {
		t.Errorf("%d open, want %d: the folders whose files are not read yet", n, fds+len(uniq(held)))
	}
	for _, h := range held {
		h.release()
	}
	if n := openFiles(t); n != fds {
		t.Errorf("%d open after every file is read, want %d", n, fds)
	}
}

func uniq(hs []*dirHandle) map[*dirHandle]bool {
	m := map[*dirHandle]bool{}
	for _, h := range hs {
		m[h] = true
	}
	return m
}

// readAt reads whole files, whether they fit in the scratch buffer or
// not, and refuses what is not a file.
func TestReadAt(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("folders are opened on Linux only")
	}
	root := t.TempDir()
	if err := os.Mkdir(filepath.Join(root, "folder.toml"), 0o755); err != nil {
		t.Fatal(err)
	}
	fd, ok := openDir(root)
	if !ok {
		t.Fatal("openDir failed")
	}
	defer closeDir(fd)
	const small = 16 // a scratch buffer of this size
	for _, size := range []int{0, 1, small - 1, small, small + 1, 3*small + 5, readScratch - 1, readScratch, readScratch + 1, 5 * readScratch} {
		for _, scratch := range [][]byte{nil, make([]byte, small), make([]byte, readScratch)} {
			name := fmt.Sprintf("f%d.toml", size)
			want := make([]byte, size)
			for i := range want {
				want[i] = byte('a' + i%26)
			}
			if err := os.WriteFile(filepath.Join(root, name), want, 0o644); err != nil {
				t.Fatal(err)
			}
			got, ok := readAt(fd, name, scratch)
			if !ok || !bytes.Equal(got, want) || got == nil {
				t.Errorf("%d bytes, scratch of %d: got %d bytes (ok %v), want them all", size, len(scratch), len(got), ok)
			}
		}
	}
	for _, name := range []string{"folder.toml", "missing.toml"} {
		if _, ok := readAt(fd, name, make([]byte, small)); ok {
			t.Errorf("readAt read %s", name)
		}
	}
}
