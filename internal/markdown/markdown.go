// Package markdown renders the board's Markdown fields (record bodies, update
// notes, outcome summaries, free pages) to HTML. It is the only package of
// glassboard that imports goldmark.
//
// Rendering is safe by construction: goldmark runs without html.WithUnsafe, so
// raw HTML is dropped ("<!-- raw HTML omitted -->"). Links and images whose
// destination is javascript:, vbscript:, file: or data: (other than
// data:image/png|gif|jpeg|webp) — in any case, behind entities, percent
// escapes, tabs or leading spaces, inline, by reference or as an autolink —
// are removed by an AST transformer and only their text is kept (goldmark's
// own safe renderer, which would empty the href, stays as a second line).
// Heading ids keep Han and other Unicode letters (the goldmark default turns
// "工作进展" into "heading").
package markdown

import (
	"bytes"
	stdhtml "html"
	"html/template"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/extension"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/renderer/html"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"
)

// Converter renders the board's Markdown safely. Safe for concurrent use.
type Converter struct {
	md   goldmark.Markdown
	bufs sync.Pool
}

// New returns a Converter configured with GFM (tables, strikethrough,
// linkify, task lists), footnotes, CJK-aware line breaks and Unicode-aware
// automatic heading ids.
func New() *Converter {
	md := goldmark.New(
		goldmark.WithExtensions(
			extension.GFM,
			extension.Footnote,
			extension.NewCJK(
				extension.WithEastAsianLineBreaks(),
				extension.WithEscapedSpace(),
			),
		),
		goldmark.WithParserOptions(
			parser.WithAutoHeadingID(),
			parser.WithASTTransformers(util.Prioritized(linkGuard{}, 10000)),
		),
		// Deliberately no html.WithUnsafe(): raw HTML and dangerous
		// links must never reach the page.
	)
	c := &Converter{md: md}
	c.bufs.New = func() any { return new(bytes.Buffer) }
	return c
}

// Render converts src to HTML. It never fails: should goldmark return an
// error (or panic), the source is returned as escaped text in a paragraph.
// Heading ids are unique within one call; each call starts afresh.
// Invalid UTF-8 (which the loader already refuses) is replaced by U+FFFD
// first: goldmark 1.8.7 panics on some of it (found by FuzzMarkdown).
func (c *Converter) Render(src string) (out template.HTML) {
	src = strings.ToValidUTF8(src, "\uFFFD")
	buf := c.bufs.Get().(*bytes.Buffer)
	buf.Reset()
	defer func() {
		if r := recover(); r != nil {
			out = fallback(src)
		}
		if buf.Cap() <= 1<<20 { // do not keep huge buffers alive
			c.bufs.Put(buf)
		}
	}()
	ctx := parser.NewContext(parser.WithIDs(newIDs()))
	if err := c.md.Convert([]byte(src), bufWriter{buf}, parser.WithContext(ctx)); err != nil {
		return fallback(src)
	}
	return template.HTML(buf.String())
}

// bufWriter is a bytes.Buffer that goldmark writes into directly: being a
// util.BufWriter, it spares each call a bufio.Writer of 4 KB, which was
// a tenth of what rendering a board allocated.
type bufWriter struct{ *bytes.Buffer }

// Buffered reports that nothing waits to be written: it all is.
func (bufWriter) Buffered() int { return 0 }

// Flush has nothing to do.
func (bufWriter) Flush() error { return nil }

var _ util.BufWriter = bufWriter{}

func fallback(src string) template.HTML {
	if src == "" {
		return ""
	}
	return template.HTML("<p>" + stdhtml.EscapeString(src) + "</p>\n")
}

// ids implements parser.IDs for one document.
type ids struct {
	used map[string]bool
	next map[string]int // last suffix used per base id
}

func newIDs() *ids {
	return &ids{used: map[string]bool{}, next: map[string]int{}}
}

// Generate derives an id from heading text: Unicode letters (Han included)
// and digits are kept, letters are lowercased, runs of spaces, '-' and '_'
// become a single '-', everything else is dropped. An empty result becomes
// "section"; repeats get "-1", "-2", …
func (s *ids) Generate(value []byte, kind ast.NodeKind) []byte {
	base := Slug(value)
	if base == "" {
		base = "section"
	}
	if !s.used[base] {
		s.used[base] = true
		return []byte(base)
	}
	for i := s.next[base] + 1; ; i++ {
		id := base + "-" + strconv.Itoa(i)
		if !s.used[id] {
			s.used[id] = true
			s.next[base] = i
			return []byte(id)
		}
	}
}

// Put records an id given explicitly so that generated ones avoid it.
func (s *ids) Put(value []byte) {
	s.used[string(value)] = true
}

// maxSlugBytes bounds the length of a heading id.
const maxSlugBytes = 100

// Slug returns the heading-id form of text (without de-duplication), e.g.
// "2019 工作进展: Wells!" -> "2019-工作进展-wells". It may return "".
func Slug(text []byte) string {
	out := make([]byte, 0, len(text))
	dash := false
	for i := 0; i < len(text); {
		r, size := utf8.DecodeRune(text[i:])
		i += size
		switch {
		case r < utf8.RuneSelf && ('a' <= r && r <= 'z' || '0' <= r && r <= '9'):
			// fast path for ASCII
		case 'A' <= r && r <= 'Z':
			r += 'a' - 'A'
		case r == ' ' || r == '\t' || r == '\n' || r == '\r' || r == '-' || r == '_' ||
			r == '\u3000' || unicode.IsSpace(r):
			dash = len(out) > 0
			continue
		case r == utf8.RuneError && size <= 1:
			continue
		case unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.IsNumber(r):
			r = unicode.ToLower(r)
		case unicode.Is(unicode.Mn, r) || unicode.Is(unicode.Mc, r):
			// combining marks (Devanagari vowel signs, …) belong to letters
			if len(out) == 0 {
				continue
			}
		default:
			continue // punctuation, symbols, emoji
		}
		if len(out)+1+utf8.RuneLen(r) > maxSlugBytes {
			break
		}
		if dash {
			out = append(out, '-')
			dash = false
		}
		out = utf8.AppendRune(out, r)
	}
	return string(out)
}

// linkGuard removes links and images whose destination is dangerous, keeping
// their text. goldmark's safe renderer would already empty the href; dropping
// the element avoids a dead link to the page itself and keeps the scheme out
// of the output altogether. A dangerous autolink becomes plain text.
type linkGuard struct{}

func (linkGuard) Transform(doc *ast.Document, reader text.Reader, pc parser.Context) {
	var bad []ast.Node
	source := reader.Source()
	_ = ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		switch n := n.(type) {
		case *ast.Link:
			if dangerous(n.Destination) {
				bad = append(bad, n)
			}
		case *ast.Image:
			if dangerous(n.Destination) {
				bad = append(bad, n)
			}
		case *ast.AutoLink:
			if n.AutoLinkType == ast.AutoLinkURL && dangerous(n.URL(source)) {
				bad = append(bad, n)
			}
		}
		return ast.WalkContinue, nil
	})
	for _, n := range bad {
		parent := n.Parent()
		if parent == nil {
			continue
		}
		if al, ok := n.(*ast.AutoLink); ok {
			// Escaped label, with the scheme's colon as an entity so
			// that the text reads the same but no "javascript:" remains.
			label := stdhtml.EscapeString(string(al.Label(source)))
			if i := strings.IndexByte(label, ':'); i >= 0 {
				label = label[:i] + "&#58;" + label[i+1:]
			}
			s := ast.NewString([]byte(label))
			s.SetCode(true) // written verbatim: already escaped
			parent.ReplaceChild(parent, n, s)
			continue
		}
		for c := n.FirstChild(); c != nil; {
			next := c.NextSibling()
			parent.InsertBefore(parent, n, c)
			c = next
		}
		parent.RemoveChild(parent, n)
	}
}

// dangerous reports whether a link destination could run script or reach
// local files: goldmark's own test (javascript:, vbscript:, file:, data: other
// than raster images), applied after removing the characters browsers ignore
// in URLs (ASCII tab and newlines, leading controls and spaces), plus any
// destination that mentions javascript: or vbscript: anywhere, even
// percent-encoded.
func dangerous(dest []byte) bool {
	if len(dest) > 0 && dest[0] > ' ' && !bytes.ContainsAny(dest, "&%\\\t\n\r") {
		// fast path: nothing for a browser or goldmark to decode
		lower := bytes.ToLower(dest)
		return html.IsDangerousURL(dest) ||
			bytes.Contains(lower, []byte("javascript:")) || bytes.Contains(lower, []byte("vbscript:"))
	}
	if html.IsDangerousURL(dest) || html.IsDangerousURL(util.URLEscape(dest, true)) {
		return true
	}
	resolved := util.ResolveNumericReferences(util.ResolveEntityNames(util.UnescapePunctuations(dest)))
	forms := [][]byte{dest, resolved}
	if u, err := url.PathUnescape(string(resolved)); err == nil {
		forms = append(forms, []byte(u))
	}
	for _, f := range forms {
		clean := make([]byte, 0, len(f))
		for _, b := range f {
			if b == '\t' || b == '\n' || b == '\r' || (len(clean) == 0 && b <= ' ') {
				continue
			}
			clean = append(clean, b)
		}
		if html.IsDangerousURL(clean) {
			return true
		}
		lower := bytes.ToLower(clean)
		if bytes.Contains(lower, []byte("javascript:")) || bytes.Contains(lower, []byte("vbscript:")) {
			return true
		}
	}
	return false
}
