// Package htmlcheck finds what could run in an HTML page: script-like
// elements, event-handler attributes and URLs with an executable scheme.
// The tests and fuzz targets use it to prove that the board's text never
// comes out live. It is a small tokenizer, not a full HTML parser: it reads
// the markup glassboard writes (every '<' of text escaped), and on markup
// it does not understand it errs on the side of reporting.
package htmlcheck

import (
	"html"
	"strings"
)

// Live returns one line per live construct found in page, in page order:
// "script: <the whole element>", "handler: <tag> <attr>=<value>",
// "url: <tag> <attr>=<value>" or "element: <tag>" (iframe, object, embed,
// frame, base, form; meta refresh).
func Live(page string) []string {
	var out []string
	s := page
	for {
		i := strings.IndexByte(s, '<')
		if i < 0 || i+1 >= len(s) {
			return out
		}
		s = s[i:]
		switch {
		case strings.HasPrefix(s, "<!--"):
			end := strings.Index(s[4:], "-->")
			if end < 0 {
				return out
			}
			s = s[4+end+3:]
			continue
		case s[1] == '!' || s[1] == '?' || s[1] == '/':
			end := strings.IndexByte(s, '>')
			if end < 0 {
				return out
			}
			s = s[end+1:]
			continue
		case !isLetter(s[1]):
			s = s[1:] // a stray '<' in text: not a tag in HTML either
			continue
		}
		tag, attrs, rest := parseTag(s[1:])
		whole := s[:len(s)-len(rest)]
		s = rest
		switch tag {
		case "script", "style", "textarea", "title", "xmp", "noembed", "noframes", "iframe", "noscript":
			// Raw text up to the closing tag.
			end := indexFold(s, "</"+tag)
			if end < 0 {
				end = len(s)
			}
			if tag == "script" {
				out = append(out, "script: "+whole+s[:end])
			}
			s = s[end:]
		}
		switch tag {
		case "iframe", "object", "embed", "frame", "frameset", "applet", "base", "form", "svg", "math":
			out = append(out, "element: "+tag)
		}
		// A meta element's content is a URL only in a refresh; elsewhere
		// (a description, say) it is text.
		refresh := false
		if tag == "meta" {
			for _, a := range attrs {
				if a.name == "http-equiv" && strings.EqualFold(strings.TrimSpace(html.UnescapeString(a.value)), "refresh") {
					out = append(out, "element: meta refresh")
					refresh = true
				}
			}
		}
		for _, a := range attrs {
			if strings.HasPrefix(a.name, "on") {
				out = append(out, "handler: "+tag+" "+a.name+"="+a.value)
			}
			if urlAttr[a.name] && (a.name != "content" || refresh) && Dangerous(a.name, a.value) {
				out = append(out, "url: "+tag+" "+a.name+"="+a.value)
			}
		}
	}
}

var urlAttr = map[string]bool{
	"href": true, "src": true, "action": true, "formaction": true, "xlink:href": true,
	"poster": true, "data": true, "background": true, "cite": true, "srcset": true, "content": true,
}

// Dangerous reports whether the value of the URL attribute attr, as the
// browser reads it, is a URL with a scheme that runs code or carries a
// document: javascript:, vbscript:, or data: other than an image. The
// first two count anywhere in the value, even split by white space. A
// data: URL counts where a URL begins: at the start of the value, and in
// srcset and meta content (which hold URLs after other text: "a.png 1x,
// data:…", a refresh's "0; url='data:…'") also after a comma, semicolon, equals sign,
// quote or white space. In href="=data:x" the browser reads a relative
// path, since a scheme begins with a letter.
func Dangerous(attr, value string) bool {
	v := strings.ToLower(html.UnescapeString(value))
	var b strings.Builder
	for _, r := range v {
		if r <= ' ' || r == 0x7f {
			continue
		}
		b.WriteRune(r)
	}
	stripped := b.String()
	for _, scheme := range []string{"javascript:", "vbscript:", "livescript:"} {
		if strings.Contains(stripped, scheme) {
			return true
		}
	}
	if attr != "srcset" && attr != "content" {
		return dataDocument(urlStart(v))
	}
	for i := 0; i < len(v); i++ {
		if (i == 0 || strings.IndexByte(",;='\" \t\n\r\f", v[i-1]) >= 0) && dataDocument(urlStart(v[i:])) {
			return true
		}
	}
	return false
}

// urlStart returns the beginning of the URL at the start of s as a
// browser's URL parser reads it, enough to tell its scheme: leading
// control characters and spaces dropped, and tabs and newlines anywhere.
func urlStart(s string) string {
	var b []byte
	for i := 0; i < len(s) && len(b) < len("data:image/svg"); i++ {
		c := s[i]
		if c == '\t' || c == '\n' || c == '\r' || len(b) == 0 && (c <= ' ' || c == 0x7f) {
			continue
		}
		b = append(b, c)
	}
	return string(b)
}

// dataDocument reports whether u begins with a data: URL that is not a
// raster image.
func dataDocument(u string) bool {
	return strings.HasPrefix(u, "data:") && (!strings.HasPrefix(u, "data:image/") || strings.HasPrefix(u, "data:image/svg"))
}

type attr struct{ name, value string }

// parseTag reads a start tag after its '<' and returns the lower-cased
// name, the attributes and what follows the '>'.
func parseTag(s string) (string, []attr, string) {
	i := 0
	for i < len(s) && !isSpace(s[i]) && s[i] != '>' && s[i] != '/' {
		i++
	}
	tag := strings.ToLower(s[:i])
	var attrs []attr
	for {
		for i < len(s) && (isSpace(s[i]) || s[i] == '/') {
			i++
		}
		if i >= len(s) {
			return tag, attrs, ""
		}
		if s[i] == '>' {
			return tag, attrs, s[i+1:]
		}
		j := i
		for j < len(s) && !isSpace(s[j]) && s[j] != '=' && s[j] != '>' && (s[j] != '/' || j == i) {
			j++
		}
		name := strings.ToLower(s[i:j])
		i = j
		for i < len(s) && isSpace(s[i]) {
			i++
		}
		value := ""
		if i < len(s) && s[i] == '=' {
			i++
			for i < len(s) && isSpace(s[i]) {
				i++
			}
			if i < len(s) && (s[i] == '"' || s[i] == '\'') {
				q := s[i]
				end := strings.IndexByte(s[i+1:], q)
				if end < 0 {
					return tag, append(attrs, attr{name, s[i+1:]}), ""
				}
				value = s[i+1 : i+1+end]
				i += end + 2
			} else {
				j := i
				for j < len(s) && !isSpace(s[j]) && s[j] != '>' {
					j++
				}
				value = s[i:j]
				i = j
			}
		}
		attrs = append(attrs, attr{name, value})
	}
}

func isLetter(c byte) bool { return c|0x20 >= 'a' && c|0x20 <= 'z' }
func isSpace(c byte) bool  { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' }

func indexFold(s, sub string) int {
	n := len(sub)
	for i := 0; i+n <= len(s); i++ {
		if strings.EqualFold(s[i:i+n], sub) {
			return i
		}
	}
	return -1
}
