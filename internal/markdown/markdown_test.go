package markdown

import (
	"bytes"
	"fmt"
	"strings"
	"sync"
	"testing"

	"github.com/yuin/goldmark/parser"
)

func TestRender(t *testing.T) {
	c := New()
	tests := []struct {
		name    string
		src     string
		want    []string // substrings that must appear
		notWant []string // substrings that must not appear
	}{
		{
			name: "gfm table",
			src:  "| unit | progress |\n|---|---:|\n| 新房村 | 60 |\n",
			want: []string{"<table>", "<th>unit</th>", `<td style="text-align:right">60</td>`, "<td>新房村</td>"},
		},
		{
			name: "strikethrough",
			src:  "~~500,000 yuan~~ 450,000 yuan",
			want: []string{"<del>500,000 yuan</del>"},
		},
		{
			name: "autolinked url",
			src:  "See https://board.example.org/notices/ and www.example.org.",
			want: []string{`<a href="https://board.example.org/notices/">https://board.example.org/notices/</a>`, `<a href="http://www.example.org">www.example.org</a>`},
		},
		{
			name: "footnote",
			src:  "Two wells[^w].\n\n[^w]: 500,000 yuan, county budget.\n",
			want: []string{`<sup id="fnref:1">`, `<a href="#fn:1"`, `<li id="fn:1">`, "county budget"},
		},
		{
			name: "task list",
			src:  "- [x] fence\n- [ ] wells\n",
			want: []string{`<input checked="" disabled="" type="checkbox"> fence`, `<input disabled="" type="checkbox"> wells`},
		},
		{
			name: "chinese heading id",
			src:  "## 工作进展\n\ntext\n",
			want: []string{`<h2 id="工作进展">工作进展</h2>`},
		},
		{
			name: "mixed heading id, ascii lowercased, punctuation dropped",
			src:  "# 2019 饮水井: Well No. 12!\n",
			want: []string{`<h1 id="2019-饮水井-well-no-12">`},
		},
		{
			name: "duplicate and empty heading ids",
			src:  "## 进展\n\n## 进展\n\n## 进展\n\n## !!!\n\n## ???\n",
			want: []string{`id="进展"`, `id="进展-1"`, `id="进展-2"`, `id="section"`, `id="section-1"`},
		},
		{
			name: "cjk line break joins without space",
			src:  "修建饮水井\n两眼",
			want: []string{"<p>修建饮水井两眼</p>"},
		},
		{
			name: "levels kept as written",
			src:  "# One\n\n### Three\n",
			want: []string{"<h1 ", "<h3 "},
		},
		{
			name:    "raw script dropped",
			src:     "before\n\n<script>alert(1)</script>\n\nafter",
			want:    []string{"<p>before</p>", "<p>after</p>"},
			notWant: []string{"<script", "alert(1)"},
		},
		{
			name:    "img onerror dropped",
			src:     `hi <img src=x onerror=alert(1)> there`,
			notWant: []string{"<img", " onerror"},
		},
		{
			name:    "raw anchor dropped",
			src:     `<a href="javascript:alert(1)">x</a>`,
			notWant: []string{"<a ", "javascript:"},
		},
		{name: "javascript link", src: "[x](javascript:alert(1))", want: []string{"<p>x</p>"}},
		{name: "mixed case javascript link", src: "[x](JaVaScRiPt:alert(1))", want: []string{"x"}},
		{name: "entity javascript link", src: "[x](&#106;avascript:alert(1))", want: []string{"x"}},
		{name: "hex entity javascript link", src: "[x](&#x6A;avascript:alert(1))"},
		{name: "tab entity javascript link", src: "[x](java&#9;script:alert(1))"},
		{name: "angle javascript link with tab", src: "[x](<java\tscript:alert(1)>)"},
		{name: "leading space javascript link", src: "[x]( javascript:alert(1))"},
		{name: "escaped javascript link", src: `[x](\javascript:alert(1))`},
		{name: "javascript autolink", src: "<javascript:alert(1)>", want: []string{"javascript&#58;alert(1)"}},
		{name: "reference javascript link", src: "[x][r]\n\n[r]: javascript:alert(1)\n", want: []string{"<p>x</p>"}},
		{name: "javascript image", src: "![pic](javascript:alert(1))", notWant: []string{"<img"}},
		{name: "vbscript link", src: "[x](vbscript:msgbox(1))"},
		{name: "vbscript autolink", src: "<VBScript:msgbox(1)>"},
		{name: "data html link", src: "[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)"},
		{name: "data html reference", src: "[x][d]\n\n[d]: data:text/html,<script>alert(1)</script>\n"},
		{name: "file link", src: "[x](file:///etc/passwd)", notWant: []string{"file:"}},
		{name: "safe links kept", src: "[plan](https://example.org/plan) [doc](files/minutes.pdf) [top](#section)",
			want: []string{`<a href="https://example.org/plan">plan</a>`, `<a href="files/minutes.pdf">doc</a>`, `<a href="#section">top</a>`}},
		{name: "quote in url escaped", src: `[a](https://ex.org/"onmouseover="alert(1))`, notWant: []string{`"onmouseover`}},
		{name: "empty", src: "", want: nil},
	}
	always := []string{"javascript:", "vbscript:", "data:text/html", "<script", " onerror", `href=""`}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := string(c.Render(tt.src))
			for _, w := range tt.want {
				if !strings.Contains(got, w) {
					t.Errorf("Render(%q) = %q, missing %q", tt.src, got, w)
				}
			}
			for _, nw := range append(append([]string{}, always...), tt.notWant...) {
				if strings.Contains(strings.ToLower(got), strings.ToLower(nw)) {
					t.Errorf("Render(%q) = %q, contains %q", tt.src, got, nw)
				}
			}
		})
	}
}

func TestIDsFreshPerDocument(t *testing.T) {
	c := New()
	for i := 0; i < 3; i++ {
		got := string(c.Render("## 进展\n"))
		if !strings.Contains(got, `id="进展"`) {
			t.Fatalf("render %d: %q: ids leak between documents", i, got)
		}
	}
}

func TestSlug(t *testing.T) {
	tests := map[string]string{
		"工作进展":                "工作进展",
		"  Hello,   World!  ": "hello-world",
		"Über straße":         "über-straße",
		"a_b-c  d":            "a-b-c-d",
		"修建饮水井 well no. 12":   "修建饮水井-well-no-12",
		"!!!":                 "",
		"१२ नमस्ते":           "१२-नमस्ते",
		"２０１９年":               "２０１９年",
	}
	for in, want := range tests {
		if got := Slug([]byte(in)); got != want {
			t.Errorf("Slug(%q) = %q, want %q", in, got, want)
		}
	}
	if got := Slug([]byte(strings.Repeat("长", 200))); len(got) > maxSlugBytes {
		t.Errorf("Slug too long: %d bytes", len(got))
	}
}

func TestConcurrentRender(t *testing.T) {
	c := New()
	src := sampleDoc(1)
	want := string(c.Render(src))
	var wg sync.WaitGroup
	errs := make(chan string, 64)
	for g := 0; g < 32; g++ {
		wg.Add(1)
		go func(g int) {
			defer wg.Done()
			for i := 0; i < 20; i++ {
				if got := string(c.Render(src)); got != want {
					errs <- fmt.Sprintf("goroutine %d iteration %d: output differs", g, i)
					return
				}
				// A different document in between must not disturb ids.
				if got := string(c.Render("# 进展\n")); !strings.Contains(got, `id="进展"`) {
					errs <- fmt.Sprintf("goroutine %d: id leaked: %q", g, got)
					return
				}
			}
		}(g)
	}
	wg.Wait()
	close(errs)
	for e := range errs {
		t.Error(e)
	}
}

// sampleDoc returns a ~2 KB mixed English/Chinese document.
func sampleDoc(k int) string {
	var b strings.Builder
	fmt.Fprintf(&b, "# 2019 年度党建责任书 Responsibility book %d\n\n", k)
	b.WriteString("本承诺由**新房村支部**作出，接受群众监督。The branch commits to *two wells* for drinking water.\n")
	b.WriteString("修建饮水井两眼，总投资 500,000 元，\n预计年底完工。\n\n")
	b.WriteString("## 工作进展 Progress\n\n")
	b.WriteString("- [x] 选址 site survey\n- [ ] 打井 drilling (~~March~~ May)\n- 验收 acceptance, see https://board.example.org/commitments/c-000012/\n\n")
	b.WriteString("| 项目 item | 预算 budget | 进度 |\n|---|---:|:---:|\n| 饮水井 well no. 12 | 250,000 | 60% |\n| 围栏 fencing | 40,000 | 100% |\n\n")
	b.WriteString("> 群众意见请寄乡政府二号房间。Objections to the township office, room 2.\n\n")
	b.WriteString("Details in the [township plan](https://board.example.org/plan/) and the minutes[^1].\n\n")
	b.WriteString("## 工作进展 Progress\n\nSecond section with the same heading, `code`, and <b>raw</b> html.\n\n")
	b.WriteString("1. 发展年轻党员 one member under 25\n2. 每村班子配备 35 岁以下干部\n3. 学习笔记一万字 10,000 words of notes\n\n")
	b.WriteString("沙棘种植三万亩，山杏七万亩；萤石厂新增投资一千二百万元。Sea buckthorn 30,000 mu, apricot 70,000 mu.\n\n")
	b.WriteString("## 群众监督 Supervision\n\n公示期内，任何单位和个人均可通过电话、信函或当面反映情况。*Anyone may object* during the notice period by phone, letter or in person; anonymous letters are accepted but named ones are answered first.\n\n")
	b.WriteString("### 上级审核 Review\n\nThe township committee reviewed the **responsibility book** on 2019-06-30 and found the wells on schedule, the fencing complete (1,000 mu) and the study notes behind; 乡党委已于六月底完成审核，围栏一千亩全部完工，学习笔记进度滞后。\n\n")
	b.WriteString("Contact: jubao@example.org, 0313-0000000, Mon–Fri 8:30–17:30.\n\n")
	b.WriteString("[^1]: 2019 年 6 月支部会议记录 minutes of the June 2019 branch meeting.\n")
	return b.String()
}

func BenchmarkRender(b *testing.B) {
	c := New()
	src := sampleDoc(1)
	b.SetBytes(int64(len(src)))
	b.ReportAllocs()
	for b.Loop() {
		_ = c.Render(src)
	}
}

// TestBufWriterSameHTML checks that goldmark writing into the buffer
// directly (bufWriter) gives what it gave through its own bufio.Writer,
// for short documents and for ones longer than that writer's 4 KB.
func TestBufWriterSameHTML(t *testing.T) {
	docs := []string{
		"",
		"Plain words.",
		"# Heading 标题\n\n- one 一\n- two\n\n1. first\n2. second\n\n> quoted\n",
		"| a | b |\n|---|---|\n| 1 | 2 |\n\nFootnote[^1].\n\n[^1]: The note.",
		"A [link](https://example.org/a?b=1&c=2), <https://example.org>, [bad](javascript:x) & <b>raw</b>.",
		"```go\nfunc main() {}\n```\n\n- [ ] task\n- [x] done\n\n中文第一句。\n第二句，换行。",
		strings.Repeat("Paragraph with **strong** and *em* and `code`, 第三段。\n\n", 200),
		strings.Repeat("## Heading\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n", 150),
	}
	c := New()
	for _, src := range docs {
		var ref bytes.Buffer
		ctx := parser.NewContext(parser.WithIDs(newIDs()))
		if err := c.md.Convert([]byte(src), &ref, parser.WithContext(ctx)); err != nil {
			t.Fatal(err)
		}
		if got := c.Render(src); string(got) != ref.String() {
			t.Errorf("Render(%.40q…) differs from goldmark's own buffering:\ngot  %.200q\nwant %.200q", src, got, ref.String())
		}
	}
}
