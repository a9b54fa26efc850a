package render

import (
	"fmt"
	stdhtml "html"
	"strings"
	"testing"

	"github.com/glassboard/glassboard/internal/board"
	"github.com/glassboard/glassboard/internal/markdown"
)

// plainRef is plain as it was before md kept its HTML for plain and before
// tagName: the reference the faster one must equal.
func plainRef(md *markdown.Converter, src string) string {
	html := string(md.Render(src))
	var b strings.Builder
	for len(html) > 0 {
		i := strings.IndexByte(html, '<')
		if i < 0 {
			b.WriteString(html)
			break
		}
		b.WriteString(html[:i])
		j := strings.IndexByte(html[i:], '>')
		if j < 0 {
			break
		}
		name := strings.TrimPrefix(strings.Fields(html[i+1:i+j] + " ")[0], "/")
		switch name {
		case "strong", "em", "a", "code", "del", "sup", "sub":
		default:
			b.WriteByte(' ')
		}
		html = html[i+j+1:]
	}
	return strings.Join(strings.Fields(stdhtml.UnescapeString(b.String())), " ")
}

var plainSources = []string{
	"",
	"Plain words.",
	"Two\n\nparagraphs, *emphasis* and **strong**, `code` and ~~struck~~.",
	"A [link](https://example.org/a?b=1&c=2) and <https://example.org>, & &amp; &lt;tag&gt;.",
	"# Heading 标题\n\n- one 一\n- two\n\n1. first\n2. second\n\n> quoted\n",
	"| a | b |\n|---|---|\n| 1 | 2 |\n",
	"Raw <b>html</b> <!-- comment --> is dropped.<br>Line",
	"Footnote[^1].\n\n[^1]: The note.",
	"中文第一句。第二句，\n换行不加空格。",
	"Hard  \nbreak and a ![picture](p.png \"title\") here.",
	"[bad](javascript:alert(1)) text",
	"```\ncode <block> & more\n```",
	"- [ ] task\n- [x] done",
}

// TestPlainEqualsReference checks that plain gives what it always gave,
// whether md kept the HTML for it or not.
func TestPlainEqualsReference(t *testing.T) {
	for _, src := range plainSources {
		r := &Renderer{md: markdown.New()}
		want := plainRef(r.md, src)
		if got := r.plain(src); got != want {
			t.Errorf("plain(%q), nothing kept = %q, want %q", src, got, want)
		}
		r.fragments.use(&board.Snapshot{})
		if got := r.plain(src); got != want {
			t.Errorf("plain(%q), nothing kept for this snapshot = %q, want %q", src, got, want)
		}
		if html := r.markdown(src); html != r.md.Render(src) {
			t.Errorf("markdown(%q) = %q, want %q", src, html, r.md.Render(src))
		}
		if _, ok := r.fragments.md[src]; !ok {
			t.Errorf("md did not keep %q", src)
		}
		if got := r.plain(src); got != want {
			t.Errorf("plain(%q) of the HTML md kept = %q, want %q", src, got, want)
		}
		if _, ok := r.fragments.md[src]; ok {
			t.Errorf("plain did not take %q", src)
		}
		// Rendered twice (two records with the same note), taken twice.
		r.markdown(src)
		r.markdown(src)
		for i := range 2 {
			if k, ok := r.fragments.md[src]; !ok || k.n != 2-i {
				t.Errorf("%q kept %d times, want %d", src, k.n, 2-i)
			}
			if got := r.plain(src); got != want {
				t.Errorf("plain(%q) of the HTML md kept = %q, want %q", src, got, want)
			}
		}
		if _, ok := r.fragments.md[src]; ok {
			t.Errorf("plain did not take %q twice", src)
		}
		// Kept for another snapshot: not used.
		r.markdown(src)
		r.fragments.use(&board.Snapshot{})
		if len(r.fragments.md) != 0 {
			t.Errorf("a new snapshot kept the Markdown of the last one")
		}
	}
}

func TestTagName(t *testing.T) {
	for tag, want := range map[string]string{
		"p": "p", "/p": "p", "a href=\"x\"": "a", "br /": "br", " em": "em",
		"/strong\t": "strong", "!-- raw HTML omitted --": "!--", "img\nsrc=x": "img", "": "", "  ": "",
	} {
		if got := tagName(tag); got != want {
			t.Errorf("tagName(%q) = %q, want %q", tag, got, want)
		}
	}
}

// TestExcerptFits checks excerpt's shortcut: fits may say yes only when
// the long way would return s itself (its words joined by single spaces,
// no wider than n), and says it for the usual short names and titles.
func TestExcerptFits(t *testing.T) {
	texts := []string{
		"", " ", "a", "a b", "a  b", " a", "a ", "a\tb", "a\nb", "a\u00a0b", "a\u3000b", "a\u0085b",
		"Short text.", "中文标题", "中文 标题 with words", "\xff\xfe invalid", "exactly ten",
		"First sentence here. Second sentence is longer than the limit allows.",
	}
	for _, s := range texts {
		for _, n := range []int{0, 1, 3, 8, 10, 11, 20, 40, 200} {
			joined := strings.Join(strings.Fields(s), " ")
			width := 0
			for _, r := range joined {
				width += runeWidth(r)
			}
			if long := joined == s && width <= n; fits(s, n) != long {
				t.Errorf("fits(%q, %d) = %v, want %v", s, n, !long, long)
			}
		}
	}
}

// TestDateEqualsSprintf checks date against the fmt.Sprintf it replaced,
// over every day of several years.
func TestDateEqualsSprintf(t *testing.T) {
	en, zh := &Renderer{lang: "en"}, &Renderer{lang: "zh-CN"}
	start, _ := board.ParseDate("1998-12-25")
	for i := range 366 * 30 {
		d := start.AddDays(i)
		if want := fmt.Sprintf("%d %s %d", d.Day(), enMonths[d.Month()], d.Year()); en.date(d) != want {
			t.Fatalf("date(%v) = %q, want %q", d, en.date(d), want)
		}
		if want := fmt.Sprintf("%d年%d月%d日", d.Year(), int(d.Month()), d.Day()); zh.date(d) != want {
			t.Fatalf("zh date(%v) = %q, want %q", d, zh.date(d), want)
		}
	}
	if en.date(board.Date{}) != "" || zh.date(board.Date{}) != "" {
		t.Error("no date must be empty")
	}
}
