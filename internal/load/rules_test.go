package load

import (
	"bytes"
	"errors"
	"flag"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"testing/fstest"
)

var update = flag.Bool("update", false, "rewrite the want sections of testdata/rules/*.txtar from the actual diagnostics")

const rulesDir = "testdata/rules"

// ruleCase is one testdata/rules/*.txtar file: a comment saying which rule
// it proves, then sections. A section is a file added to the base board or
// replacing one of its files; a section whose content is exactly DELETE
// removes the base file; the section named "want" holds the expected
// diagnostics, one PATH:LINE:COL: message per line, sorted.
type ruleCase struct {
	comment  string
	sections []section
}

type section struct {
	name string
	data []byte
}

// parseTxtar reads the txtar format: section headers are lines of the form
// "-- NAME --"; everything before the first header is the comment.
func parseTxtar(data []byte) ruleCase {
	var c ruleCase
	var cur *section
	var comment bytes.Buffer
	for len(data) > 0 {
		line, rest, _ := bytes.Cut(data, []byte("\n"))
		full := data[:len(data)-len(rest)]
		data = rest
		if name, ok := txtarHeader(line); ok {
			c.sections = append(c.sections, section{name: name, data: []byte{}})
			cur = &c.sections[len(c.sections)-1]
			continue
		}
		if cur == nil {
			comment.Write(full)
		} else {
			cur.data = append(cur.data, full...)
		}
	}
	c.comment = comment.String()
	return c
}

func txtarHeader(line []byte) (string, bool) {
	s := string(line)
	if !strings.HasPrefix(s, "-- ") || !strings.HasSuffix(s, " --") || len(s) < 7 {
		return "", false
	}
	return strings.TrimSpace(s[3 : len(s)-3]), true
}

// formatTxtar is the inverse of parseTxtar.
func formatTxtar(c ruleCase) []byte {
	var b bytes.Buffer
	b.WriteString(c.comment)
	for _, s := range c.sections {
		fmt.Fprintf(&b, "-- %s --\n", s.name)
		b.Write(s.data)
		if len(s.data) > 0 && s.data[len(s.data)-1] != '\n' {
			b.WriteByte('\n')
		}
	}
	return b.Bytes()
}

// baseBoard reads testdata/rules/base into a MapFS.
func baseBoard(t *testing.T) fstest.MapFS {
	t.Helper()
	root := filepath.Join(rulesDir, "base")
	fsys := fstest.MapFS{}
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(root, p)
		fsys[filepath.ToSlash(rel)] = &fstest.MapFile{Data: data, Mode: 0o644}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return fsys
}

// diagnose loads fsys and returns its diagnostics as text lines.
func diagnose(t *testing.T, fsys fs.FS) []string {
	t.Helper()
	_, ds, err := Load(fsys)
	if err != nil {
		t.Fatalf("Load: %v", err)
	}
	var lines []string
	for _, d := range ds {
		lines = append(lines, d.String())
	}
	return lines
}

func wantLines(data []byte) []string {
	var lines []string
	for l := range strings.SplitSeq(string(data), "\n") {
		if strings.TrimSpace(l) != "" {
			lines = append(lines, strings.TrimRight(l, " \r"))
		}
	}
	return lines
}

func diffLines(t *testing.T, got, want []string) {
	t.Helper()
	if slices.Equal(got, want) {
		return
	}
	var b strings.Builder
	for _, w := range want {
		if !slices.Contains(got, w) {
			fmt.Fprintf(&b, "\n  missing: %s", w)
		}
	}
	for _, g := range got {
		if !slices.Contains(want, g) {
			fmt.Fprintf(&b, "\n  unexpected: %s", g)
		}
	}
	if b.Len() == 0 {
		b.WriteString("\n  same lines, different order")
	}
	t.Errorf("diagnostics differ:%s\ngot:\n  %s\nwant:\n  %s", b.String(), strings.Join(got, "\n  "), strings.Join(want, "\n  "))
}

func TestRulesBaseIsValid(t *testing.T) {
	b, ds, err := Load(baseBoard(t))
	if err != nil {
		t.Fatal(err)
	}
	if len(ds) != 0 {
		t.Fatalf("the base board must load without diagnostics, got:\n%v", ds)
	}
	if len(b.Config.Units) != 2 || len(b.Commitments) != 1 || len(b.Notices) != 1 || len(b.Ratings) != 1 || len(b.Pages) != 1 {
		t.Fatalf("base board: %d units, %d commitments, %d notices, %d ratings, %d pages",
			len(b.Config.Units), len(b.Commitments), len(b.Notices), len(b.Ratings), len(b.Pages))
	}
	if n := b.Notices[0]; len(n.Candidates) != 2 || n.Candidates[1].Born.String() != "1997-05" {
		t.Fatalf("base notice candidates: %+v", n.Candidates)
	}
}

func TestRules(t *testing.T) {
	files, err := filepath.Glob(filepath.Join(rulesDir, "*.txtar"))
	if err != nil {
		t.Fatal(err)
	}
	if len(files) == 0 {
		t.Fatal("no cases in testdata/rules")
	}
	for _, file := range files {
		name := strings.TrimSuffix(filepath.Base(file), ".txtar")
		t.Run(name, func(t *testing.T) {
			data, err := os.ReadFile(file)
			if err != nil {
				t.Fatal(err)
			}
			c := parseTxtar(data)
			if strings.TrimSpace(c.comment) == "" {
				t.Errorf("%s: say in a comment which rule the case proves", file)
			}
			fsys := baseBoard(t)
			wantAt := -1
			for i, s := range c.sections {
				switch {
				case s.name == "want":
					wantAt = i
				case path.Clean(s.name) != s.name || path.IsAbs(s.name) || strings.HasPrefix(s.name, "../"):
					t.Fatalf("bad section name %q", s.name)
				case string(s.data) == "DELETE\n" || string(s.data) == "DELETE":
					if _, ok := fsys[s.name]; !ok {
						t.Fatalf("DELETE of %s, which is not in the base board", s.name)
					}
					delete(fsys, s.name)
				default:
					fsys[s.name] = &fstest.MapFile{Data: s.data, Mode: 0o644}
				}
			}
			if wantAt < 0 {
				t.Fatalf("%s has no -- want -- section", file)
			}
			got := diagnose(t, fsys)
			if *update {
				out := strings.Join(got, "\n")
				if out != "" {
					out += "\n"
				}
				c.sections[wantAt].data = []byte(out)
				if err := os.WriteFile(file, formatTxtar(c), 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			diffLines(t, got, wantLines(c.sections[wantAt].data))
		})
	}
}

// TestRulesGenerated covers files a txtar archive cannot hold or should not
// hold: large files, invalid UTF-8, NUL bytes, byte-order marks and CRLF
// line endings. Each case changes one file of the base board.
func TestRulesGenerated(t *testing.T) {
	const commitment = "content/commitments/young-member.toml"
	crlf := func(b []byte) []byte { return bytes.ReplaceAll(b, []byte("\n"), []byte("\r\n")) }
	cases := []struct {
		name string
		edit func(fstest.MapFS)
		want []string
	}{
		// A large body makes the file one byte over the limit.
		{"over-2mib", func(fsys fstest.MapFS) {
			data := []byte("title = \"x\"\nbody = \"\"\"\n")
			pad := MaxFileSize + 1 - len(data) - len("\"\"\"\n")
			data = append(data, bytes.Repeat([]byte("a"), pad)...)
			data = append(data, "\"\"\"\n"...)
			fsys[commitment].Data = data
		}, []string{
			commitment + ":1:1: file is 2097153 bytes; the limit is 2097152 (2 MiB)",
		}},
		// Exactly at the limit is accepted (the body is Markdown, any size up to it).
		{"exactly-2mib", func(fsys fstest.MapFS) {
			data := bytes.TrimSuffix(fsys[commitment].Data, []byte("\n"))
			data = append(data, "\n# "...)
			pad := MaxFileSize - len(data) - 1
			data = append(data, bytes.Repeat([]byte("a"), pad)...)
			data = append(data, '\n')
			fsys[commitment].Data = data
		}, nil},
		// A Latin-1 "é" (0xE9) in the title on line 2: the column is the character's.
		{"invalid-utf8", func(fsys fstest.MapFS) {
			fsys["content/pages/about.md"] = &fstest.MapFile{Data: []byte("+++\ntitle = \"Caf\xe9\"\n+++\n")}
		}, []string{
			"content/pages/about.md:2:13: invalid UTF-8: save the file as UTF-8",
		}},
		// Invalid UTF-8 after CJK text: the column counts characters, not bytes.
		{"invalid-utf8-after-cjk", func(fsys fstest.MapFS) {
			fsys[commitment].Data = append([]byte("title = \"公开\xff\"\n"), fsys[commitment].Data...)
		}, []string{
			commitment + ":1:12: invalid UTF-8: save the file as UTF-8",
		}},
		{"nul-byte", func(fsys fstest.MapFS) {
			fsys[commitment].Data = bytes.Replace(fsys[commitment].Data, []byte("Li Ming"), []byte("Li\x00Ming"), 1)
		}, []string{
			commitment + ":3:12: NUL byte in text file",
		}},
		// A byte-order mark at the start is accepted everywhere.
		{"bom-accepted", func(fsys fstest.MapFS) {
			for _, f := range []string{"board.toml", commitment, "content/notices/q3-targets.toml", "content/ratings/xinfang-2019.toml", "content/pages/how-to-object.md"} {
				fsys[f].Data = append([]byte("\uFEFF"), fsys[f].Data...)
			}
		}, nil},
		// After a BOM, a problem's column does not count the BOM.
		{"bom-then-error", func(fsys fstest.MapFS) {
			fsys[commitment].Data = append([]byte("\uFEFFcolor = \"red\"\n"), fsys[commitment].Data...)
		}, []string{
			commitment + `:1:1: unknown key "color" at the top level (allowed here: body, category, due, made, owner, parent, progress, status, target, title, unit, updates)`,
		}},
		{"bom-then-invalid-utf8", func(fsys fstest.MapFS) {
			fsys[commitment].Data = append([]byte("\uFEFFtitle = \"\xff\"\n"), fsys[commitment].Data...)
		}, []string{
			commitment + ":1:10: invalid UTF-8: save the file as UTF-8",
		}},
		{"bom-then-nul", func(fsys fstest.MapFS) {
			fsys[commitment].Data = append([]byte("\uFEFFtitle\x00"), fsys[commitment].Data...)
		}, []string{
			commitment + ":1:6: NUL byte in text file",
		}},
		// CRLF line endings are accepted everywhere.
		{"crlf-accepted", func(fsys fstest.MapFS) {
			for _, f := range []string{"board.toml", commitment, "content/notices/q3-targets.toml", "content/ratings/xinfang-2019.toml", "content/pages/how-to-object.md"} {
				fsys[f].Data = crlf(fsys[f].Data)
			}
		}, nil},
		// With CRLF, lines and columns are as a text editor shows them.
		{"crlf-positions", func(fsys fstest.MapFS) {
			data := bytes.Replace(fsys[commitment].Data, []byte("progress = 60\n"), []byte("progress = 160\n"), 1)
			fsys[commitment].Data = crlf(data)
			page := "+++\ntitle = \"About\"\ncolour = \"red\"\n+++\nText.\n"
			fsys["content/pages/about.md"] = &fstest.MapFile{Data: crlf([]byte(page))}
		}, []string{
			`content/commitments/young-member.toml:7:1: progress 160 is out of range (want 0 to 100)`,
			`content/pages/about.md:3:1: unknown key "colour" at the top level (allowed here: title, weight)`,
		}},
		// A syntax error in a CRLF file: the column is not thrown off by the \r.
		{"crlf-syntax-error", func(fsys fstest.MapFS) {
			fsys[commitment].Data = crlf([]byte("title = \"x\"\nowner = \"Li\n"))
		}, []string{
			commitment + `:2:12: the text in quotes is not closed on this line: add the closing " (text over several lines goes between """ and """)`,
		}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			fsys := baseBoard(t)
			tc.edit(fsys)
			diffLines(t, diagnose(t, fsys), tc.want)
		})
	}
}

// A folder without board.toml is not a board: an environment error, not a
// content diagnostic.
func TestRulesNoBoard(t *testing.T) {
	fsys := baseBoard(t)
	delete(fsys, "board.toml")
	if _, _, err := Load(fsys); !errors.Is(err, ErrNotABoard) {
		t.Fatalf("Load without board.toml: err = %v, want ErrNotABoard", err)
	}
}
