package load

import (
	"bytes"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"testing/fstest"
	"unicode/utf8"

	"github.com/BurntSushi/toml"

	"github.com/glassboard/glassboard/internal/board"
)

// The fuzz targets below replace one file of the base board of the rule
// tests (testdata/rules/base) with the fuzzer's text and load the board.
// Properties, for any text:
//
//   - Load never panics and never reports an internal error (the loader
//     turns a decoder panic into one: it would hide a bug);
//   - every diagnostic names a file of the board and a line and column
//     inside that file;
//   - nothing written under [candidates.private] reaches the loaded board:
//     a private marker found in any string of the domain must also be in
//     the file outside every private table.
//
// Seeds: testdata/fuzz/<target>/, the base file, and every section of the
// rule cases (testdata/rules/*.txtar) that replaces that file.

const (
	fuzzCommitment = "content/commitments/young-member.toml"
	fuzzNotice     = "content/notices/q3-targets.toml"
	fuzzRating     = "content/ratings/xinfang-2019.toml"
	fuzzPage       = "content/pages/how-to-object.md"
	fuzzBoard      = "board.toml"
	privateMarker  = "PRIVATE-MARKER"
)

func FuzzCommitment(f *testing.F)  { fuzzFile(f, fuzzCommitment) }
func FuzzNotice(f *testing.F)      { fuzzFile(f, fuzzNotice) }
func FuzzRating(f *testing.F)      { fuzzFile(f, fuzzRating) }
func FuzzFrontMatter(f *testing.F) { fuzzFile(f, fuzzPage) }
func FuzzBoardTOML(f *testing.F)   { fuzzFile(f, fuzzBoard) }

func fuzzFile(f *testing.F, file string) {
	base := baseBoard(&testing.T{})
	f.Add(string(base[file].Data))
	if file == fuzzNotice {
		f.Add(strings.ReplaceAll(string(base[file].Data), "13800000000", privateMarker+"-phone"))
	}
	cases, _ := filepath.Glob(filepath.Join(rulesDir, "*.txtar"))
	for _, c := range cases {
		data, err := os.ReadFile(c)
		if err != nil {
			f.Fatal(err)
		}
		for _, s := range parseTxtar(data).sections {
			if s.name == file || path0(s.name) == path0(file) && s.name != "want" {
				f.Add(string(s.data))
			}
		}
	}
	f.Fuzz(func(t *testing.T, text string) {
		fsys := baseBoard(t)
		fsys[file] = &fstest.MapFile{Data: []byte(text), Mode: 0o644}
		checkLoad(t, fsys)
	})
}

// path0 is the record folder of a file ("content/notices"), or the file.
func path0(name string) string {
	if d := filepath.ToSlash(filepath.Dir(name)); strings.HasPrefix(d, "content/") {
		return d
	}
	return name
}

// checkLoad loads fsys and checks the properties above.
func checkLoad(t *testing.T, fsys fstest.MapFS) *board.Board {
	t.Helper()
	b, ds, err := Load(fsys)
	if err != nil {
		t.Fatalf("Load: %v", err)
	}
	for _, d := range ds {
		if strings.Contains(d.Message, "internal error") {
			t.Fatalf("a decoder panicked: %s", d)
		}
		f, ok := fsys[d.File]
		if !ok {
			t.Fatalf("diagnostic names no file of the board: %s", d)
		}
		if !inside(f.Data, d.Line, d.Col) {
			t.Fatalf("diagnostic outside its file: line %d col %d: %s\nfile:\n%q", d.Line, d.Col, d, f.Data)
		}
	}
	if ds.Errors() == 0 && b != nil {
		var leaked []string
		walkStrings(reflect.ValueOf(b), map[uintptr]bool{}, func(s string) {
			if strings.Contains(s, privateMarker) {
				leaked = append(leaked, s)
			}
		})
		if len(leaked) > 0 {
			public := publicText(fsys)
			for _, s := range leaked {
				for _, m := range markers(s) {
					if !strings.Contains(public, m) {
						t.Fatalf("private marker %q reached the board in %q", m, s)
					}
				}
			}
		}
	}
	return b
}

// inside reports whether line:col is a place in data (the column may be
// one past the end of its line). A byte-order mark is not a column.
func inside(data []byte, line, col int) bool {
	data = bytes.TrimPrefix(data, bom)
	lines := bytes.Split(data, []byte("\n"))
	if line < 1 || line > len(lines) || col < 1 {
		return false
	}
	return col <= utf8.RuneCount(lines[line-1])+1
}

// markers returns each PRIVATE-MARKER… word in s.
func markers(s string) []string {
	var out []string
	for {
		i := strings.Index(s, privateMarker)
		if i < 0 {
			return out
		}
		s = s[i:]
		j := strings.IndexFunc(s, func(r rune) bool { return r <= ' ' || r == '"' || r == '\'' })
		if j < 0 {
			j = len(s)
		}
		out = append(out, s[:j])
		s = s[len(privateMarker):]
	}
}

// publicText is every key and string value of the board's files as TOML
// decodes them, with the candidates' private tables left out; for pages,
// the whole file.
func publicText(fsys fstest.MapFS) string {
	var b strings.Builder
	for name, f := range fsys {
		text := string(bytes.TrimPrefix(f.Data, bom))
		if strings.HasSuffix(name, ".md") {
			b.WriteString(text)
			continue
		}
		var m map[string]any
		if _, err := toml.Decode(text, &m); err != nil {
			continue
		}
		if cs, ok := m["candidates"].([]map[string]any); ok {
			for _, c := range cs {
				delete(c, "private")
			}
		}
		walkStrings(reflect.ValueOf(m), map[uintptr]bool{}, func(s string) { b.WriteString(s + "\n") })
	}
	return b.String()
}

// walkStrings calls f with every string (and map key) reachable from v,
// unexported fields included.
func walkStrings(v reflect.Value, seen map[uintptr]bool, f func(string)) {
	switch v.Kind() {
	case reflect.String:
		f(v.String())
	case reflect.Pointer:
		if v.IsNil() || seen[v.Pointer()] {
			return
		}
		seen[v.Pointer()] = true
		walkStrings(v.Elem(), seen, f)
	case reflect.Interface:
		if !v.IsNil() {
			walkStrings(v.Elem(), seen, f)
		}
	case reflect.Struct:
		for i := range v.NumField() {
			walkStrings(v.Field(i), seen, f)
		}
	case reflect.Slice, reflect.Array:
		for i := range v.Len() {
			walkStrings(v.Index(i), seen, f)
		}
	case reflect.Map:
		it := v.MapRange()
		for it.Next() {
			walkStrings(it.Key(), seen, f)
			walkStrings(it.Value(), seen, f)
		}
	}
}

// TestFuzzPrivacyCheckWorks shows that the privacy check of the fuzz
// targets sees the candidates and leaves the private tables out.
func TestFuzzPrivacyCheckWorks(t *testing.T) {
	fsys := baseBoard(t)
	fsys[fuzzNotice].Data = bytes.ReplaceAll(fsys[fuzzNotice].Data, []byte("13800000000"), []byte(privateMarker+"-1"))
	b := checkLoad(t, fsys)
	if b == nil || len(b.Notices) != 1 {
		t.Fatal("the notice did not load")
	}
	// The same text outside the private table is public: found, and allowed.
	if pub := publicText(fsys); strings.Contains(pub, privateMarker) {
		t.Fatalf("publicText keeps the private table: %q", pub)
	}
	var found bool
	b.Notices[0].Candidates[0].Note = privateMarker + "-1"
	walkStrings(reflect.ValueOf(b), map[uintptr]bool{}, func(s string) { found = found || strings.Contains(s, privateMarker) })
	if !found {
		t.Fatal("walkStrings does not reach the candidates")
	}
}
