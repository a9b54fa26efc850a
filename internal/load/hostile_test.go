package load

import (
	"bytes"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"testing/fstest"
	"time"
)

// Hostile and odd input (issue 8, point 2). Each case breaks one file of
// the base board of the rule tests; the rule cases themselves are in
// testdata/rules (one per rule of SPEC §1) and TestRulesGenerated.

const hostileCommitment = "content/commitments/young-member.toml"

func TestHostileInput(t *testing.T) {
	cases := []struct {
		name string
		edit func(fstest.MapFS)
		want []string
	}{
		// A 20 MB body is refused by its size, at once.
		{"20-mb-body", func(fsys fstest.MapFS) {
			var b bytes.Buffer
			b.WriteString("title = \"x\"\nbody = \"\"\"\n")
			b.Write(bytes.Repeat([]byte("Twenty megabytes of minutes. "), 20<<20/29))
			b.WriteString("\"\"\"\n")
			fsys[hostileCommitment].Data = b.Bytes()
		}, []string{hostileCommitment + ":1:1: file is 20971522 bytes; the limit is 2097152 (2 MiB)"}},
		// Both spellings of a key: the miscased one is an error, never a
		// silent second value.
		{"title-and-Title", func(fsys fstest.MapFS) {
			fsys[hostileCommitment].Data = append([]byte("Title = \"Another title\"\n"), fsys[hostileCommitment].Data...)
		}, []string{hostileCommitment + `:1:1: unknown key "Title" at the top level (did you mean title? keys are case-sensitive)`}},
		// Two file names that differ only in case collide on macOS and
		// Windows checkouts: the upper-case one is not a valid id.
		{"ids-differing-in-case", func(fsys fstest.MapFS) {
			fsys["content/commitments/Young-member.toml"] = &fstest.MapFile{Data: fsys[hostileCommitment].Data}
		}, []string{`content/commitments/Young-member.toml:1:1: invalid id "Young-member" (the file name): use lowercase ASCII letters, digits and hyphens, starting with a letter or digit, at most 80 characters`}},
		{"kind-folder-in-another-case", func(fsys fstest.MapFS) {
			fsys["content/Commitments/other.toml"] = &fstest.MapFile{Data: fsys[hostileCommitment].Data}
		}, []string{`content/Commitments:1:1: unknown content folder "Commitments" (want commitments, notices, ratings or pages)`}},
		// Direction overrides and zero-width characters: in a name, a
		// warning that shows the character; in an id, an error.
		{"rtl-override-in-names", func(fsys fstest.MapFS) {
			n := fsys["content/notices/q3-targets.toml"]
			n.Data = bytes.Replace(n.Data, []byte(`name = "Zhang San"`), []byte("name = \"Zhang San\u202Egnp.exe\""), 1)
			r := fsys["content/ratings/xinfang-2019.toml"]
			r.Data = bytes.Replace(r.Data, []byte(`name = "`), []byte("name = \"\u200B"), 1)
		}, []string{
			"content/notices/q3-targets.toml:21:1: warning: name \"Zhang San\\u202egnp.exe\" contains U+202E RIGHT-TO-LEFT OVERRIDE: it changes the direction of the text after it; the site shows it as [U+202E] instead of obeying it; remove it unless it is meant",
			"content/ratings/xinfang-2019.toml:10:1: warning: name \"\\u200bWang Changyu\" contains U+200B ZERO WIDTH SPACE: it is invisible, so two names that look the same can differ; remove it unless it is meant",
		}},
		{"rtl-override-in-id", func(fsys fstest.MapFS) {
			fsys["content/commitments/young\u202Eeno.toml"] = &fstest.MapFile{Data: fsys[hostileCommitment].Data}
		}, []string{`content/commitments/young` + "\u202E" + `eno.toml:1:1: invalid id "young\u202eeno" (the file name): use lowercase ASCII letters, digits and hyphens, starting with a letter or digit, at most 80 characters`}},
		{"zero-width-in-unit-name", func(fsys fstest.MapFS) {
			b := fsys["board.toml"]
			b.Data = bytes.Replace(b.Data, []byte(`name = "Xinfang`), []byte("name = \"Xin\u200Dfang"), 1)
		}, nil}, // filled in below: the line depends on board.toml
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			fsys := baseBoard(t)
			for name, f := range fsys { // edits must not reach the shared base
				fsys[name] = &fstest.MapFile{Data: bytes.Clone(f.Data), Mode: f.Mode}
			}
			tc.edit(fsys)
			got := diagnose(t, fsys)
			if tc.want == nil {
				if len(got) != 1 || !strings.Contains(got[0], "warning: name \"Xin\\u200dfang") || !strings.Contains(got[0], "U+200D ZERO WIDTH JOINER") {
					t.Fatalf("got %q", got)
				}
				return
			}
			diffLines(t, got, tc.want)
		})
	}
}

// TestDeepNesting: the TOML library slows down faster than the text grows
// with nesting (tens of seconds for 8,000 levels): a text nested more than
// 32 levels deep is refused before it is decoded, in well under a second.
func TestDeepNesting(t *testing.T) {
	n := 100000
	for name, text := range map[string]string{
		"arrays":         "title = " + strings.Repeat("[", n) + strings.Repeat("]", n) + "\n",
		"inline-tables":  "title = " + strings.Repeat("{a=", n) + "1" + strings.Repeat("}", n) + "\n",
		"table-header":   "[" + strings.Repeat("a.", n) + "a]\nb = 1\n",
		"dotted-key":     strings.Repeat("a.", n) + "a = 1\n",
		"unclosed":       "title = " + strings.Repeat("[", n) + "\n",
		"after-a-string": "title = \"[[[{{{\"\nowner = '''\n[[[\n'''\nx = " + strings.Repeat("[", n) + "\n",
	} {
		t.Run(name, func(t *testing.T) {
			fsys := baseBoard(t)
			fsys[hostileCommitment] = &fstest.MapFile{Data: []byte(text)}
			start := time.Now()
			got := diagnose(t, fsys)
			if d := time.Since(start); d > 5*time.Second {
				t.Errorf("took %v", d)
			}
			if len(got) != 1 || !strings.Contains(got[0], "nested more than 32 levels deep") || !strings.HasPrefix(got[0], hostileCommitment+":") {
				t.Fatalf("got %q", got)
			}
		})
	}
	// 32 levels are fine for the nesting check (the schema still decides).
	if _, deep := tooDeep([]byte("a = " + strings.Repeat("[", 32) + strings.Repeat("]", 32))); deep {
		t.Error("32 levels refused")
	}
	if _, deep := tooDeep([]byte("a = \"" + strings.Repeat("[", 100) + "\"\n# " + strings.Repeat("{", 100))); deep {
		t.Error("brackets in a string or a comment counted")
	}
}

// vanishingFS lists a file, then fails to open or to read it, as when a
// file is deleted or its disk fails while the board is being read.
type vanishingFS struct {
	fstest.MapFS
	name    string
	readErr bool // open works, reading fails halfway
}

func (v vanishingFS) Open(name string) (fs.File, error) {
	if name != v.name {
		return v.MapFS.Open(name)
	}
	if !v.readErr {
		return nil, &fs.PathError{Op: "open", Path: name, Err: fs.ErrNotExist}
	}
	f, err := v.MapFS.Open(name)
	if err != nil {
		return nil, err
	}
	return &failingFile{File: f}, nil
}

// ReadFile hides the MapFS's own, which would not go through Open.
func (v vanishingFS) ReadFile(name string) ([]byte, error) {
	f, err := v.Open(name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return io.ReadAll(f)
}

type failingFile struct {
	fs.File
	n int
}

func (f *failingFile) Read(p []byte) (int, error) {
	if f.n > 0 {
		return 0, &fs.PathError{Op: "read", Path: "x", Err: syscall.EIO}
	}
	f.n++
	return f.File.Read(p[:min(len(p), 10)])
}

func TestFileVanishesWhileRead(t *testing.T) {
	for _, tc := range []struct {
		name    string
		readErr bool
		want    string
	}{
		{"deleted-after-listing", false, hostileCommitment + ":1:1: cannot read: file does not exist"},
		{"read-fails-halfway", true, hostileCommitment + ":1:1: cannot read: input/output error"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			fsys := vanishingFS{MapFS: baseBoard(t), name: hostileCommitment, readErr: tc.readErr}
			b, ds, err := Load(fsys)
			if err != nil {
				t.Fatal(err)
			}
			if len(ds) != 1 || ds[0].String() != tc.want {
				t.Fatalf("got %v, want %s", ds, tc.want)
			}
			if len(b.Commitments) != 0 || !b.Unreadable["commitments/young-member"] {
				t.Error("the unreadable record should be neither loaded nor called unknown")
			}
		})
	}
	// On disk: the file is removed between the walk and the read.
	dir := writeBase(t)
	if _, ok := readDirect(filepath.Join(dir, "nothing.toml")); ok {
		t.Error("readDirect read a missing file")
	}
}

// writeBase writes the base board into a new folder.
func writeBase(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	for name, f := range baseBoard(t) {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, f.Data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// TestSymlinks: links that would make a build read from outside the board
// (or publish a record's source) are refused; a link to a file inside the
// board is fine.
func TestSymlinks(t *testing.T) {
	outside := t.TempDir()
	secret := filepath.Join(outside, "secret.txt")
	if err := os.WriteFile(secret, []byte("secret"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name, link, target string
		want               string // "" for no diagnostic
	}{
		{"record-to-outside", "content/commitments/leak.toml", secret,
			"content/commitments/leak.toml:1:1: not a regular file (links and devices are not read)"},
		{"record-folder-to-outside", "content/notices/more", outside,
			"content/notices/more:1:1: not a regular file (links and devices are not read)"},
		{"static-to-outside", "static/files/leak.txt", secret,
			"static/files/leak.txt:1:1: symbolic link to " + secret + ", outside the board: refused (copy what is needed into the board)"},
		{"static-folder-to-outside", "static/other", outside,
			"static/other:1:1: symbolic link to " + outside + ", outside the board: refused (copy what is needed into the board)"},
		{"static-to-etc-passwd", "static/passwd", "/etc/passwd",
			"static/passwd:1:1: symbolic link to /etc/passwd, outside the board: refused (copy what is needed into the board)"},
		{"static-into-content", "static/notice.toml", "../content/notices/q3-targets.toml",
			"static/notice.toml:1:1: symbolic link into content/: refused, it would publish a record's source with its private data"},
		{"layout-to-outside", "layouts/index.html", secret,
			"layouts/index.html:1:1: symbolic link to " + secret + ", outside the board: refused (copy what is needed into the board)"},
		{"static-folder-itself", "static", outside,
			"static:1:1: symbolic link to " + outside + ", outside the board: refused (copy what is needed into the board)"},
		{"dangling", "static/gone.pdf", filepath.Join(outside, "gone.pdf"),
			"static/gone.pdf:1:1: symbolic link that leads nowhere (no such file or directory): replace it with the file"},
		{"static-to-a-file-inside", "static/files/same.pdf", "minutes-2019-06.pdf", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := writeBase(t)
			link := filepath.Join(dir, filepath.FromSlash(tc.link))
			if tc.link == "static" {
				if err := os.RemoveAll(link); err != nil {
					t.Fatal(err)
				}
			}
			if err := os.MkdirAll(filepath.Dir(link), 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.Symlink(tc.target, link); err != nil {
				t.Fatal(err)
			}
			got := diagnose(t, os.DirFS(dir))
			var want []string
			if tc.want != "" {
				want = []string{tc.want}
			}
			if tc.link == "static" {
				// The photo and evidence of the base board are gone with static/.
				got = dropMissingFiles(got)
			}
			diffLines(t, got, want)
		})
	}
}

func dropMissingFiles(lines []string) []string {
	var out []string
	for _, l := range lines {
		if !strings.Contains(l, "is not a file under static/") {
			out = append(out, l)
		}
	}
	return out
}
