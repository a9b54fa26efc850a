package load

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/BurntSushi/toml"
)

// locatorDocs are TOML documents with tricky layouts; each must parse.
var locatorDocs = map[string]string{
	"nested-arrays": `[[a]]
x = 1
[[a]]
x = 2
[[a.b]]
y = 3
[[a.b]]
y = 4
[c]
z = 5
`,
	"sub-tables": `[[updates]]
date = 1
[updates.meta]
k = 1
[[updates]]
[updates.meta]
k = 2
[updates.meta.deep]
k = 3
`,
	"dotted": `a.b.c = 1
[t]
x . y = 2
  "q.r".s = 3
`,
	"quoted": `"quoted key" = 1
'lit.eral' = 2
"esc\u0041\t" = 3
"" = 4
[table."with space"]
k = 5
`,
	"multiline-strings": `body = """
title = "x"
[fake]
[[fake2]]
"""
title = "real"
note = '''
[[updates]]
date = 1
'''
esc = """ a \""" b """
tricky = """quote at end"""""
last = 1
`,
	"arrays": `evidence = [
  "a", # first
  # a comment line with "quotes" and [brackets] and key = 1
  "b",
]
after = 1
nested = [[1, 2], [3, [4, 5]]]
mixed = ["x", { k = 1 }, [2]]
`,
	"inline": `point = { x = 1, y = { z = 2 } }
cands = [{ name = "a" }, { name = "b", unit = "u" }]
multi = {
  a = 1, # TOML 1.1: newlines and comments in inline tables
  b = 2,
}
`,
	"cjk": `t = { "名字" = "公开栏", k = 1 }
"说明" = 1
`,
	"crlf": "a = 1\r\n[t]\r\nb = \"x\"\r\n[[u]]\r\nc = 2\r\n",
	"datetimes": `d = 2019-09-02 08:00:00
e = [1979-05-27 07:32:00, 2019-09-02, 07:32:00]
f = 1979-05-27T07:32:00+08:00
g = 1
`,
	"comments-and-blank": `# a comment with title = "x"

  title = "indented" # trailing [comment]
	tabbed = 1
`,
}

func TestLocatorDocsParse(t *testing.T) {
	for name, doc := range locatorDocs {
		var m map[string]any
		if _, err := toml.Decode(doc, &m); err != nil {
			t.Errorf("%s: %v", name, err)
		}
	}
}

func TestLocator(t *testing.T) {
	tests := []struct {
		doc, path string
		want      Pos
	}{
		{"nested-arrays", "a[0]", Pos{1, 1}},
		{"nested-arrays", "a[0].x", Pos{2, 1}},
		{"nested-arrays", "a[1].x", Pos{4, 1}},
		{"nested-arrays", "a[1].b[0]", Pos{5, 1}},
		{"nested-arrays", "a[1].b[0].y", Pos{6, 1}},
		{"nested-arrays", "a[1].b[1].y", Pos{8, 1}},
		{"nested-arrays", "c.z", Pos{10, 1}},
		{"nested-arrays", "a[1].b[7].y", Pos{5, 1}}, // falls back to a[1].b, the first [[a.b]]
		{"sub-tables", "updates[0].meta", Pos{3, 1}},
		{"sub-tables", "updates[0].meta.k", Pos{4, 1}},
		{"sub-tables", "updates[1]", Pos{5, 1}},
		{"sub-tables", "updates[1].meta.k", Pos{7, 1}},
		{"sub-tables", "updates[1].meta.deep.k", Pos{9, 1}},
		{"sub-tables", "updates[1].date", Pos{5, 1}}, // missing: its [[updates]] header
		{"dotted", "a.b.c", Pos{1, 1}},
		{"dotted", "t.x.y", Pos{3, 1}},
		{"dotted", "t.q.r.s", Pos{4, 3}},
		{"quoted", "quoted key", Pos{1, 1}},
		{"quoted", "lit.eral", Pos{2, 1}},
		{"quoted", "escA\t", Pos{3, 1}},
		{"quoted", "table.with space.k", Pos{6, 1}},
		{"multiline-strings", "title", Pos{6, 1}},
		{"multiline-strings", "fake", Pos{1, 1}},    // not recorded: the file start
		{"multiline-strings", "updates", Pos{1, 1}}, // idem
		{"multiline-strings", "esc", Pos{11, 1}},
		{"multiline-strings", "tricky", Pos{12, 1}},
		{"multiline-strings", "last", Pos{13, 1}},
		{"arrays", "evidence[0]", Pos{2, 3}},
		{"arrays", "evidence[1]", Pos{4, 3}},
		{"arrays", "evidence[2]", Pos{1, 1}}, // no such element: the key
		{"arrays", "after", Pos{6, 1}},
		{"arrays", "nested[1][1][0]", Pos{7, 24}},
		{"arrays", "mixed[1].k", Pos{8, 17}},
		{"arrays", "mixed[2]", Pos{8, 26}},
		{"arrays", "mixed[2][0]", Pos{8, 27}},
		{"inline", "point.y.z", Pos{1, 24}},
		{"inline", "cands[1].unit", Pos{2, 40}},
		{"inline", "multi.b", Pos{5, 3}},
		{"cjk", "t.k", Pos{1, 21}},
		{"cjk", "说明", Pos{2, 1}},
		{"crlf", "t.b", Pos{3, 1}},
		{"crlf", "u[0].c", Pos{5, 1}},
		{"datetimes", "e[1]", Pos{2, 27}},
		{"datetimes", "e[2]", Pos{2, 39}},
		{"datetimes", "g", Pos{4, 1}},
		{"comments-and-blank", "title", Pos{3, 3}},
		{"comments-and-blank", "tabbed", Pos{4, 2}},
	}
	for _, tc := range tests {
		t.Run(tc.doc+"/"+tc.path, func(t *testing.T) {
			l := locate(locatorDocs[tc.doc], 0)
			if got := l.Pos(tc.path); got != tc.want {
				t.Errorf("Pos(%q) = %d:%d, want %d:%d", tc.path, got.Line, got.Col, tc.want.Line, tc.want.Col)
			}
		})
	}

	// Text inside multi-line strings is never taken for keys or headers.
	l := locate(locatorDocs["multiline-strings"], 0)
	for _, k := range l.keys {
		if strings.Contains(k.Path, "fake") || strings.Contains(k.Path, "updates") || k.Pos.Line == 2 {
			t.Errorf("recorded %q at %d:%d from inside a string", k.Path, k.Pos.Line, k.Pos.Col)
		}
	}
	// Nor inside comments.
	l = locate(locatorDocs["comments-and-blank"], 0)
	if len(l.keys) != 2 {
		t.Errorf("comments: want 2 keys, got %+v", l.keys)
	}
}

func TestLocatorOccurrence(t *testing.T) {
	l := locate(locatorDocs["nested-arrays"], 0)
	for _, tc := range []struct {
		bare string
		n    int
		key  Pos
		val  Pos
	}{
		{"a", 0, Pos{1, 1}, Pos{1, 1}},
		{"a", 1, Pos{3, 1}, Pos{3, 1}}, // the second [[a]], not an element record
		{"a.x", 1, Pos{4, 1}, Pos{4, 5}},
		{"a.b", 1, Pos{7, 1}, Pos{7, 1}},
		{"a.b.y", 1, Pos{8, 1}, Pos{8, 5}},
	} {
		if got, ok := l.Occurrence(tc.bare, tc.n); !ok || got != tc.key {
			t.Errorf("Occurrence(%q, %d) = %v, %v; want %v", tc.bare, tc.n, got, ok, tc.key)
		}
		if got, ok := l.ValueOccurrence(tc.bare, tc.n); !ok || got != tc.val {
			t.Errorf("ValueOccurrence(%q, %d) = %v, %v; want %v", tc.bare, tc.n, got, ok, tc.val)
		}
	}
	if _, ok := l.Occurrence("a.x", 2); ok {
		t.Errorf("Occurrence(a.x, 2) found a third x")
	}
	// Quoted keys are matched as toml.Key.String() spells them.
	l = locate(locatorDocs["quoted"], 0)
	for _, key := range []toml.Key{{"quoted key"}, {"lit.eral"}, {"escA\t"}, {""}, {"table", "with space", "k"}} {
		if _, ok := l.Occurrence(key.String(), 0); !ok {
			t.Errorf("Occurrence(%s) not found; keys: %s", key, dump(l))
		}
	}
	// KeyOnLine finds the last key of that name on a line.
	l = locate(locatorDocs["inline"], 0)
	if p, ok := l.KeyOnLine(2, "name"); !ok || p != (Pos{2, 28}) {
		t.Errorf("KeyOnLine(2, name) = %v, %v", p, ok)
	}
	// A line offset (front matter) moves every line, not the fallback.
	l = locate("title = \"x\"\nweight = 1\n", 1)
	if p := l.Pos("weight"); p != (Pos{3, 1}) {
		t.Errorf("with offset, Pos(weight) = %v", p)
	}
	if p := l.Pos("missing"); p != (Pos{1, 1}) {
		t.Errorf("with offset, Pos(missing) = %v, want the file start", p)
	}
}

// FuzzLocator checks that the locator never panics and that, for any
// document the TOML library accepts, every key the library reports is found
// at its occurrence: the loader relies on this to place unknown keys.
func FuzzLocator(f *testing.F) {
	for _, doc := range locatorDocs {
		f.Add(doc)
	}
	for _, seed := range []string{
		"", "a = 1", "[a]\n[[b]]\n", "a = \"\"\"\n\"\"\"", "a = '''x''''", "a = [\n]",
		"[[a]]\n[a.b]\nc = 1\n[[a]]\n[a.b]\nc = 2\n",
		"a = {b.c = 1, d = [{e = 1}, {e = 2}]}",
		"\"a.b\".c = 1\n'd.e' = {f = 1}",
		"[a . \"b c\" . d]\ne = 1",
		"a=1#c\nb=[1,#c\n2]#c\n",
		"x = \"\\\"[y]\\\"\"\n[z]\n",
		"\"\\x41\\u00e9\\U0001F600\\e\" = 1",
		"a = 1979-05-27 07:32:00\nb = [1979-05-27 07:32:00Z, 1]",
		"a = [[{b = 1}], [{b = 2}]]",
		"公 = 1", "\"公\" = { \"开\" = 1 }",
		"a = \"\"\"\\\n  b\"\"\"\nc = 1",
		"[a]\r\nb = 1\r\n",
	} {
		f.Add(seed)
	}
	// The base board of the rule tests.
	filepath.WalkDir(filepath.Join(rulesDir, "base"), func(p string, d os.DirEntry, err error) error {
		if err == nil && strings.HasSuffix(p, ".toml") {
			if data, err := os.ReadFile(p); err == nil {
				f.Add(string(data))
			}
		}
		return nil
	})
	f.Fuzz(func(t *testing.T, src string) {
		if _, deep := tooDeep([]byte(src)); deep {
			return // the loader refuses it before anything reads it
		}
		l := locate(src, 0) // must not panic, whatever src is
		_ = l.Pos("a[0].b")
		var m map[string]any
		md, err := toml.Decode(src, &m)
		if err != nil {
			return
		}
		lines := strings.Count(src, "\n") + 1
		seen := map[string]int{}
		for _, key := range md.Keys() {
			bare := key.String()
			n := seen[bare]
			seen[bare]++
			p, ok := l.Occurrence(bare, n)
			if !ok {
				t.Fatalf("key %s (occurrence %d) not found\nsource:\n%s\nkeys: %s", bare, n, src, dump(l))
			}
			if p.Line < 1 || p.Line > lines || p.Col < 1 {
				t.Fatalf("key %s at impossible position %d:%d", bare, p.Line, p.Col)
			}
		}
	})
}

func dump(l *locator) string {
	var b strings.Builder
	for _, k := range l.keys {
		fmt.Fprintf(&b, "\n  %s (%s) %d:%d elem=%v", k.Path, k.Bare, k.Pos.Line, k.Pos.Col, k.Elem)
	}
	return b.String()
}
