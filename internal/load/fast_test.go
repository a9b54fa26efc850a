package load

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/glassboard/glassboard/internal/board"
	"github.com/glassboard/glassboard/internal/sample"
)

// kindValue returns a fresh value of the type a file decodes into, as
// decodeFile and config make it, and the TOML text to decode (a page's
// front matter).
func kindValue(name, text string) (any, string, bool) {
	switch {
	case name == "board.toml":
		cfg := board.DefaultConfig()
		return &cfg, text, true
	case strings.HasPrefix(name, "content/commitments/") && strings.HasSuffix(name, ".toml"):
		return &board.Commitment{}, text, true
	case strings.HasPrefix(name, "content/notices/") && strings.HasSuffix(name, ".toml"):
		return &noticeFile{}, text, true
	case strings.HasPrefix(name, "content/ratings/") && strings.HasSuffix(name, ".toml"):
		return &board.Rating{MaxStars: 5}, text, true
	case strings.HasPrefix(name, "content/pages/") && strings.HasSuffix(name, ".md"):
		fm, _, ok := splitFrontMatter(text)
		return &board.Page{}, fm, ok
	}
	return nil, "", false
}

// checkFast decodes text with the fast path and with the TOML library. When
// the fast path accepts the text, the library must accept it too, without
// a single diagnostic, and both must give the same value; when it refuses,
// the value must be left as it was.
func checkFast(t *testing.T, name, text string) (fast bool) {
	t.Helper()
	return checkFastAs(t, name, name, text)
}

func checkFastAs(t *testing.T, label, name, text string) (fast bool) {
	t.Helper()
	v, src, ok := kindValue(name, text)
	if !ok {
		return false
	}
	if _, deep := tooDeep([]byte(src)); deep {
		return false // the loader refuses it before either decoder sees it
	}
	before := reflect.ValueOf(v).Elem().Interface()
	slowV, _, _ := kindValue(name, text)
	fast = fastDecode(src, v)
	f := &fileDecoder{file: name, src: []byte(src)}
	slowOK := f.decodeSlow(slowV)
	if !fast {
		if got := reflect.ValueOf(v).Elem().Interface(); !reflect.DeepEqual(got, before) {
			t.Errorf("%s: the fast path refused the text but changed the value:\n%#v\nwant\n%#v", label, got, before)
		}
		return false
	}
	if !slowOK || len(f.diags) > 0 {
		t.Errorf("%s: the fast path accepted a text the library refuses (%v):\n%s", label, f.diags, src)
		return true
	}
	if !reflect.DeepEqual(v, slowV) {
		t.Errorf("%s: fast and library decoding differ:\nfast    %#v\nlibrary %#v\ntext:\n%s", label, v, slowV, src)
	}
	return true
}

// TestFastDecodeRules runs every file of the rule cases through both paths.
func TestFastDecodeRules(t *testing.T) {
	files, _ := filepath.Glob(filepath.Join(rulesDir, "*.txtar"))
	base := baseBoard(t)
	for name, f := range base {
		if !checkFast(t, name, string(f.Data)) && strings.HasSuffix(name, ".toml") {
			t.Errorf("the fast path refused the base board's %s", name)
		}
	}
	n, accepted := 0, 0
	for _, file := range files {
		data, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		for _, s := range parseTxtar(data).sections {
			if s.name == "want" {
				continue
			}
			n++
			if checkFastAs(t, filepath.Base(file)+": "+s.name, s.name, string(s.data)) {
				accepted++
			}
		}
	}
	t.Logf("%d of %d rule case files took the fast path", accepted, n)
}

// TestFastDecodeSample checks that every file of a sample board takes the
// fast path and decodes to what the library gives.
func TestFastDecodeSample(t *testing.T) {
	dir := t.TempDir()
	if err := sample.Write(dir, 300, time.Date(2026, 6, 15, 0, 0, 0, 0, time.UTC)); err != nil {
		t.Fatal(err)
	}
	count := 0
	err := filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		if _, _, ok := kindValue(filepath.ToSlash(rel), string(data)); !ok {
			return nil
		}
		count++
		if !checkFast(t, filepath.ToSlash(rel), string(data)) {
			t.Errorf("%s: the fast path refused a sample file", rel)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if count < 300 {
		t.Fatalf("only %d files checked", count)
	}
}

// fastCases are texts at the edges of what the fast path handles: each is
// decoded both ways (the test does not care which path takes it, only that
// an accepted text decodes as the library decodes it).
var fastCases = map[string]string{
	"content/commitments/a.toml": "title = \"a\"\r\nbody = \"\"\"\r\nline\r\nnext\r\n\"\"\"\r\n[[updates]]\r\ndate = 2019-09-02\r\n",
	"content/commitments/b.toml": `title = 'literal \n kept'
owner = "esc \" \\ \t \u00e9 \U0001F600 \b \f \r \e"
body = '''
raw "quotes" and \ backslash'''
target = """one "" two"""
category = """
ends with a quote\""""
progress = -0
`,
	"content/commitments/c.toml": `title = "x" # comment
  unit = "u"   # indented
[[updates]] # c
date = 2019-09-02 # c
evidence = [ # c
  "a", # c
  'b',
]
[[updates]]
date = 2019-09-03
evidence = []
progress = +5
`,
	"content/commitments/d.toml":  "title = \"x\"\ntitle = \"y\"\n",
	"content/commitments/e.toml":  "Title = \"x\"\n",
	"content/commitments/f.toml":  "title = \"x\"\nmade = 2019-02-29\n",
	"content/commitments/g.toml":  "title = \"x\"\nmade = 2020-02-29\ndue = 2020-02-29T10:00:00\n",
	"content/commitments/h.toml":  "title = \"x\"\nmade = 2020-02-29 10:00:00\n",
	"content/commitments/i.toml":  "title = \"x\"\nprogress = 017\n",
	"content/commitments/j.toml":  "title = \"x\"\nprogress = 1_000\n",
	"content/commitments/k.toml":  "title = \"x\"\nprogress = 1.5\n",
	"content/commitments/l.toml":  "title = \"x\"\nupdates = []\n[[updates]]\ndate = 2019-09-02\n",
	"content/commitments/m.toml":  "title = \"x\"\nstatus = \"done\"\n[updates]\ndate = 2019-09-02\n",
	"content/commitments/n.toml":  "title = \"x\"\nstatus = \"don\"\n",
	"content/commitments/o.toml":  "title = \"x\\\n  y\"\n",
	"content/commitments/p.toml":  "body = \"\"\"\na \\\n  b\"\"\"\n",
	"content/commitments/q.toml":  "title = \"x\"\n\"unit\" = \"y\"\n",
	"content/commitments/r.toml":  "title = \"x\"\nupdates.date = 2019-09-02\n",
	"content/commitments/s.toml":  "title = \"\\ud800\"\n",
	"content/commitments/t.toml":  "title = \"x\"\n[[updates]]\n[[updates]]\ndate = 2019-09-02\n",
	"content/commitments/u.toml":  "title = \"a\x01b\"\n",
	"content/commitments/v.toml":  "title = \"a\rb\"\n",
	"content/commitments/w.toml":  "title = \"x\"\nprogress = 9223372036854775808\n",
	"content/commitments/x.toml":  "title = \"x\" \"y\"\n",
	"content/commitments/y.toml":  "title = \"\"\"\"\"\"\n",
	"content/commitments/z.toml":  "title = \"x\"\n[[updates]]\ndate = 2019-09-02\nevidence = [\"a\", 1]\n",
	"content/notices/a.toml":      "title = \"n\"\n[outcome]\n[posted]\ndate = 2019-09-02\n[[candidates]]\nname = \"a\"\nborn = \"1996-04\"\n[candidates.private]\nphone = \"1\"\nage = 3\n[[candidates]]\nname = \"b\"\nborn = 1996\n",
	"content/notices/b.toml":      "title = \"n\"\n[outcome]\ndate = 2019-09-02\n[outcome]\nsummary = \"x\"\n",
	"content/notices/c.toml":      "title = \"n\"\n[candidates.private]\nphone = \"1\"\n",
	"content/notices/d.toml":      "title = \"n\"\n[[candidates]]\nname = \"a\"\nphone = \"1\"\n",
	"content/notices/e.toml":      "title = \"n\"\n[[candidates]]\nborn = 1996-04-01\n",
	"content/notices/f.toml":      "title = \"n\"\n[[candidates]]\n[candidates.private]\nphone = \"1\"\n[candidates.private]\nemail = \"2\"\n",
	"content/notices/g.toml":      "title = \"n\"\npurpose = \"award\"\nobjections = { phone = \"1\" }\n",
	"content/notices/h.toml":      "title = \"n\"\n[objections]\nphone = \"1\"\nphone = \"2\"\n",
	"content/notices/i.toml":      "title = \"n\"\n[[candidates]]\nname = \"a\"\n[candidates.private]\nlist = [\"x\"]\n",
	"content/ratings/a.toml":      "title = \"r\"\nmax_stars = 3\ncriteria = [\"a\", \"b\"]\n[[entries]]\nname = \"x\"\nstars = 2\nscores = [1, 2]\n[[entries]]\nname = \"y\"\nscores = []\n",
	"content/ratings/b.toml":      "title = \"r\"\ncriteria = [[\"a\"]]\n",
	"content/ratings/c.toml":      "title = \"r\"\n[[entries]]\nstars = true\n",
	"content/pages/a.md":          "+++\ntitle = \"About\"\nweight = 3\n+++\nbody\n",
	"content/pages/b.md":          "+++\ntitle = \"About\"\nbody = \"no\"\n+++\nbody\n",
	"board.toml":                  "title = \"B\"\n[organization]\nname = \"O\"\n[[units]]\nid = \"a\"\nmembers = 3\n[notices]\nholidays = [2019-10-01, 2019-10-02]\n[print]\npaper = \"A3\"\n",
	"content/commitments/aa.toml": "title = \"x\"\nbody = \"\"\"a\"\"\"\"\n",
	"content/commitments/ab.toml": "title = \"x\"\r\n",
	"content/commitments/ac.toml": "title = \"x\"\r",
	"content/commitments/ad.toml": "# only a comment",
	"content/commitments/ae.toml": "title = \"x\"\nmade = 2019-9-02\n",
	"content/commitments/af.toml": "title=\"x\"\nprogress=5",
}

func TestFastDecodeCases(t *testing.T) {
	for name, text := range fastCases {
		checkFast(t, name, text)
	}
	// These must take the fast path, or it would not be worth having.
	for _, name := range []string{"content/commitments/a.toml", "content/commitments/b.toml", "content/commitments/c.toml",
		"content/notices/a.toml", "content/ratings/a.toml", "content/pages/a.md", "board.toml"} {
		if !checkFast(t, name, fastCases[name]) {
			t.Errorf("%s: refused by the fast path", name)
		}
	}
}

// FuzzFastDecode mutates record files: whatever the fast path accepts must
// decode exactly as the TOML library decodes it, without diagnostics.
func FuzzFastDecode(f *testing.F) {
	for name, text := range fastCases {
		f.Add(name, text)
	}
	for name, file := range baseBoard(&testing.T{}) {
		f.Add(name, string(file.Data))
	}
	f.Fuzz(func(t *testing.T, name, text string) {
		checkFast(t, name, text)
	})
}

func TestPlainText(t *testing.T) {
	slow := func(s string) bool { return plainBytes(s, 0, len(s)) }
	texts := []string{"", "a", "title = \"x\"\n", "a\tb\r\nc", "a\rb", "\x7f", "abcdefgh\x01", "abcdefg\x1f", "汉字\n\x00",
		strings.Repeat("abcdefgh", 5) + "\x7f", strings.Repeat("é", 20) + "\r", strings.Repeat("x", 15) + "\r\n"}
	for c := range 256 {
		for pos := range 17 {
			b := []byte(strings.Repeat("ab", 9))
			b[pos] = byte(c)
			texts = append(texts, string(b))
		}
	}
	// Two bytes in a word, on backgrounds with newlines and multi-byte
	// text: the masks must tell each byte apart from its neighbours.
	edges := []byte{0x00, 0x01, 0x08, 0x09, 0x0a, 0x0b, 0x0d, 0x1f, 0x20, 0x21, 0x5f, 0x7e, 0x7f, 0x80, 0x89, 0x8a, 0x9f, 0xa0, 0xe0, 0xff}
	for _, bg := range []string{strings.Repeat("ab", 8), strings.Repeat("a\n", 8), strings.Repeat("\u00e9", 8)} {
		for _, c1 := range edges {
			for _, c2 := range edges {
				for p1 := range 16 {
					for _, p2 := range []int{(p1 + 1) % 16, (p1 + 7) % 16} {
						b := []byte(bg)
						b[p1], b[p2] = c1, c2
						texts = append(texts, string(b))
					}
				}
			}
		}
	}
	for _, s := range texts {
		if plainText(s) != slow(s) {
			t.Errorf("plainText(%q) = %v, want %v", s, plainText(s), slow(s))
		}
	}
}

// TestFastDecodeAllocations: the fast path allocates only what the value
// it decodes to needs. Its parser, its copy of the value as it was and the
// elements of an array are kept from one file to the next (parsers); a
// refused file costs no more.
func TestFastDecodeAllocations(t *testing.T) {
	tests := []struct {
		name string
		src  string
		ok   bool
		max  float64 // allocations, the decoded value itself included
	}{
		{"one key", "title = \"x\"\n", true, 1},
		{"array", "title = \"x\"\n[[updates]]\nevidence = [\"a.pdf\", \"b.pdf\", \"c.pdf\"]\n", true, 3},      // + the updates and the evidence
		{"array of tables", "title = \"x\"\n[[updates]]\nnote = \"a\"\n[[updates]]\nnote = \"b\"\n", true, 2}, // + the slice
		{"refused", "title = \"x\"\ntitle = \"y\"\n", false, 1},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var ok bool
			n := testing.AllocsPerRun(50, func() {
				ok = fastDecode(tc.src, &board.Commitment{})
			})
			if ok != tc.ok {
				t.Fatalf("fastDecode = %v, want %v", ok, tc.ok)
			}
			if n > tc.max && !raceEnabled {
				t.Errorf("%v allocations, want at most %v", n, tc.max)
			}
		})
	}
}

// TestFastDecodeTrustedUTF8: told that a text is valid UTF-8, the fast
// path decodes it as it would otherwise; not told, it refuses invalid
// UTF-8 (which the loader never hands on: read refuses it first).
func TestFastDecodeTrustedUTF8(t *testing.T) {
	tests := []struct {
		name, src string
		valid     bool // whether to vouch for the text
		want      bool
	}{
		{"ASCII", "title = \"x\"\n", true, true},
		{"ASCII, unchecked", "title = \"x\"\n", false, true},
		{"Chinese", "title = \"公开\"\n", true, true},
		{"Chinese, unchecked", "title = \"公开\"\n", false, true},
		{"invalid, unchecked", "title = \"\xff\"\n", false, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var got, want board.Commitment
			ok := fastDecodeUTF8(tc.src, &got, tc.valid)
			if ok != tc.want {
				t.Fatalf("fastDecodeUTF8 = %v, want %v", ok, tc.want)
			}
			if ok && (!fastDecode(tc.src, &want) || !reflect.DeepEqual(got, want)) {
				t.Errorf("got %+v, want %+v", got, want)
			}
		})
	}
}
