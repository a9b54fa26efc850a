package markdown

import (
	"bytes"
	"strings"
	"testing"

	"github.com/yuin/goldmark/parser"

	"github.com/glassboard/glassboard/internal/htmlcheck"
)

// FuzzMarkdown renders arbitrary Markdown. Properties: goldmark itself
// never panics on it (Render would hide a panic behind its fallback, so
// the converter is called directly first, on the text as Render
// repairs it), and the HTML that Render
// returns holds no script, no event handler, no javascript:/vbscript:/
// data: URL and no embedding element, whatever the source says.
// Seeds: testdata/fuzz/FuzzMarkdown and the hostile cases below.
func FuzzMarkdown(f *testing.F) {
	for _, s := range []string{
		"", "# 工作进展\n\nText *em* **strong** ~~del~~ <https://example.org>",
		"[x](javascript:alert(1)) [y](JaVaScRiPt:alert(1)) <javascript:alert(1)>",
		"[x](java\tscript:alert(1)) [y](&#106;avascript:alert(1)) [z](%6Aavascript:alert(1))",
		"[r]\n\n[r]: javascript:alert(1)\n", "![i](data:text/html;base64,PHNjcmlwdD4=) ![ok](data:image/png;base64,AA)",
		"<script>alert(1)</script>\n\n<div onclick=\"x()\">raw</div>\n\n<img src=x onerror=alert(1)>",
		"| a | b |\n|---|---|\n| <b onmouseover=x>1</b> | [l](vbscript:msgbox) |\n",
		"Footnote[^1].\n\n[^1]: <iframe src=javascript:x>\n",
		"```html\n<script>x</script>\n```\n", "`<script>`", "<!-- <script>x</script> -->",
		"www.example.org/?q=<script> and javascript:alert(1)",
		"[x](<javascript:alert(1)>) [y](\"javascript:alert(1)\")",
		"- [ ] task\n- [x] done\n", "> quote\n>> nested\n", "中文\n换行 CJK\\ space",
		"<a href=\"javascript:x\">a</a> <svg onload=x> <math><mtext></mtext></math>",
	} {
		f.Add(s)
	}
	c := New()
	f.Fuzz(func(t *testing.T, src string) {
		// Render repairs invalid UTF-8 first (goldmark panics on some).
		valid := strings.ToValidUTF8(src, "\uFFFD")
		var buf bytes.Buffer
		ctx := parser.NewContext(parser.WithIDs(newIDs()))
		if err := c.md.Convert([]byte(valid), &buf, parser.WithContext(ctx)); err != nil {
			t.Fatalf("goldmark: %v", err)
		}
		out := string(c.Render(src))
		if live := htmlcheck.Live(out); len(live) > 0 {
			t.Fatalf("live HTML from Markdown %q:\n%s\nin:\n%s", src, strings.Join(live, "\n"), out)
		}
	})
}
