// The escapers below are those of html/template (html.go, url.go, css.go and
// content.go of Go's html/template), which the compiled theme calls where
// html/template would call its own. They are copied because html/template
// does not export them.
//
// Copyright 2011 The Go Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in Go's LICENSE file.

package render

import (
	"bytes"
	"fmt"
	"html/template"
	"reflect"
	"strings"
	"unicode"
	"unicode/utf8"
)

// filterFailsafe is what html/template writes in place of a value it
// refuses in a URL or CSS context.
const filterFailsafe = "ZgotmplZ"

// contentType is the kind of a value as stringify sees it.
type contentType uint8

const (
	contentTypePlain contentType = iota
	contentTypeCSS
	contentTypeHTML
	contentTypeOther // HTMLAttr, JS, JSStr, URL or Srcset
	contentTypeURL
)

// indirect returns the value, after dereferencing as many times as
// necessary to reach the base type (or nil).
func indirect(a any) any {
	if a == nil {
		return nil
	}
	if t := reflect.TypeOf(a); t.Kind() != reflect.Pointer {
		return a
	}
	v := reflect.ValueOf(a)
	for v.Kind() == reflect.Pointer && !v.IsNil() {
		v = v.Elem()
	}
	return v.Interface()
}

var (
	errorType       = reflect.TypeFor[error]()
	fmtStringerType = reflect.TypeFor[fmt.Stringer]()
)

// indirectToStringerOrError returns the value, after dereferencing as many
// times as necessary to reach the base type (or nil) or an implementation
// of fmt.Stringer or error.
func indirectToStringerOrError(a any) any {
	if a == nil {
		return nil
	}
	v := reflect.ValueOf(a)
	for !v.Type().Implements(fmtStringerType) && !v.Type().Implements(errorType) && v.Kind() == reflect.Pointer && !v.IsNil() {
		v = v.Elem()
	}
	return v.Interface()
}

// stringify converts a value to a string and the type of its content, as
// html/template's escapers do with a single argument.
func stringify(a any) (string, contentType) {
	switch s := indirect(a).(type) {
	case string:
		return s, contentTypePlain
	case template.CSS:
		return string(s), contentTypeCSS
	case template.HTML:
		return string(s), contentTypeHTML
	case template.URL:
		return string(s), contentTypeURL
	case template.HTMLAttr, template.JS, template.JSStr, template.Srcset:
		return fmt.Sprint(s), contentTypeOther
	}
	if a == nil {
		return "", contentTypePlain // untyped nil arguments are skipped
	}
	return fmt.Sprint(indirectToStringerOrError(a)), contentTypePlain
}

// The escapers of values of any type. The second result is false when
// the compiled theme leaves the value to html/template: typed content
// that the escaper would treat in ways not copied here.

func escHTML(a any) (string, bool) {
	s, t := stringify(a)
	switch t {
	case contentTypeHTML:
		return s, true
	case contentTypePlain:
		return escHTMLString(s), true
	}
	return "", false
}

func escAttr(a any) (string, bool) {
	s, t := stringify(a)
	if t != contentTypePlain {
		return "", false
	}
	return escHTMLString(s), true
}

func escRCDATA(a any) (string, bool) { return escAttr(a) }

func escURLFilter(a any) (string, bool) {
	s, t := stringify(a)
	if t != contentTypePlain {
		return "", false
	}
	return escURLFilterString(s), true
}

func escURLNormalizer(a any) (string, bool) {
	s, t := stringify(a)
	if t != contentTypePlain {
		return "", false
	}
	return urlProcessor(true, s), true
}

func escURLEscaper(a any) (string, bool) {
	s, t := stringify(a)
	if t != contentTypePlain {
		return "", false
	}
	return urlProcessor(false, s), true
}

func escCSSValue(a any) (string, bool) {
	s, t := stringify(a)
	if t != contentTypePlain {
		return "", false
	}
	return cssValueFilterString(s), true
}

// The escapers of strings, the common case.

// escHTMLString escapes s for HTML text, a quoted attribute or RCDATA.
func escHTMLString(s string) string { return htmlReplacer(s, htmlReplacementTable) }

func escAttrString(s string) string   { return escHTMLString(s) }
func escRCDATAString(s string) string { return escHTMLString(s) }

func escURLFilterString(s string) string {
	if !isSafeURL(s) {
		return "#" + filterFailsafe
	}
	return s
}

func escURLNormalizerString(s string) string { return urlProcessor(true, s) }
func escURLEscaperString(s string) string    { return urlProcessor(false, s) }
func escCSSValueString(s string) string      { return cssValueFilterString(s) }

// htmlReplacementTable contains the runes that need to be escaped inside
// a quoted attribute value or in a text node.
var htmlReplacementTable = []string{
	0:    "\uFFFD",
	'"':  "&#34;",
	'&':  "&amp;",
	'\'': "&#39;",
	'+':  "&#43;",
	'<':  "&lt;",
	'>':  "&gt;",
}

// htmlReplacer returns s with runes replaced according to replacementTable
// (html/template's, with badRunes true).
func htmlReplacer(s string, replacementTable []string) string {
	// Most strings need nothing: look for a byte to replace first.
	i := 0
	for i < len(s) {
		c := s[i]
		if int(c) < len(replacementTable) && replacementTable[c] != "" {
			break
		}
		i++
	}
	if i == len(s) {
		return s
	}
	written, b := 0, new(strings.Builder)
	r, w := rune(0), 0
	for ; i < len(s); i += w {
		r, w = utf8.DecodeRuneInString(s[i:])
		if int(r) < len(replacementTable) {
			if repl := replacementTable[r]; len(repl) != 0 {
				if written == 0 {
					b.Grow(len(s))
				}
				b.WriteString(s[written:i])
				b.WriteString(repl)
				written = i + w
			}
		}
	}
	b.WriteString(s[written:])
	return b.String()
}

// isSafeURL is true if s is a relative URL or if URL has a protocol in
// (http, https, mailto).
func isSafeURL(s string) bool {
	if protocol, _, ok := strings.Cut(s, ":"); ok && !strings.Contains(protocol, "/") {
		if !strings.EqualFold(protocol, "http") && !strings.EqualFold(protocol, "https") && !strings.EqualFold(protocol, "mailto") {
			return false
		}
	}
	return true
}

// urlProcessor normalizes (when norm is true) or escapes its input to
// produce a valid hierarchical or opaque URL part.
func urlProcessor(norm bool, s string) string {
	var b strings.Builder
	if processURLOnto(s, norm, &b) {
		return b.String()
	}
	return s
}

// processURLOnto appends a normalized URL corresponding to its input to b
// and reports whether the appended content differs from s.
func processURLOnto(s string, norm bool, b *strings.Builder) bool {
	written := 0
	for i, n := 0, len(s); i < n; i++ {
		c := s[i]
		switch c {
		case '!', '#', '$', '&', '*', '+', ',', '/', ':', ';', '=', '?', '@', '[', ']':
			if norm {
				continue
			}
		case '-', '.', '_', '~':
			continue
		case '%':
			if norm && i+2 < len(s) && isHex(s[i+1]) && isHex(s[i+2]) {
				continue
			}
		default:
			if 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' {
				continue
			}
		}
		if written == 0 {
			b.Grow(len(s) + 16)
		}
		b.WriteString(s[written:i])
		fmt.Fprintf(b, "%%%02x", c)
		written = i + 1
	}
	if written == 0 {
		return false
	}
	b.WriteString(s[written:])
	return true
}

var (
	expressionBytes = []byte("expression")
	mozBindingBytes = []byte("mozbinding")
)

// cssValueFilterString allows innocuous CSS values (10px, 25%, #888,
// inherit) and returns filterFailsafe for anything else.
func cssValueFilterString(s string) string {
	b, id := decodeCSS([]byte(s)), make([]byte, 0, 64)
	for i, c := range b {
		switch c {
		case 0, '"', '\'', '(', ')', '/', ';', '@', '[', '\\', ']', '`', '{', '}', '<', '>':
			return filterFailsafe
		case '-':
			if i != 0 && b[i-1] == '-' {
				return filterFailsafe
			}
		default:
			if c < utf8.RuneSelf && isCSSNmchar(rune(c)) {
				id = append(id, c)
			}
		}
	}
	id = bytes.ToLower(id)
	if bytes.Contains(id, expressionBytes) || bytes.Contains(id, mozBindingBytes) {
		return filterFailsafe
	}
	return string(b)
}

// isCSSNmchar reports whether rune is allowed anywhere in a CSS identifier.
func isCSSNmchar(r rune) bool {
	return 'a' <= r && r <= 'z' ||
		'A' <= r && r <= 'Z' ||
		'0' <= r && r <= '9' ||
		r == '-' ||
		r == '_' ||
		0x80 <= r && r <= 0xd7ff ||
		0xe000 <= r && r <= 0xfffd ||
		0x10000 <= r && r <= 0x10ffff
}

// decodeCSS decodes CSS3 escapes given a sequence of stringchars.
func decodeCSS(s []byte) []byte {
	i := bytes.IndexByte(s, '\\')
	if i == -1 {
		return s
	}
	b := make([]byte, 0, len(s))
	for len(s) != 0 {
		i := bytes.IndexByte(s, '\\')
		if i == -1 {
			i = len(s)
		}
		b, s = append(b, s[:i]...), s[i:]
		if len(s) < 2 {
			break
		}
		if isHex(s[1]) {
			j := 2
			for j < len(s) && j < 7 && isHex(s[j]) {
				j++
			}
			r := hexDecode(s[1:j])
			if r > unicode.MaxRune {
				r, j = r/16, j-1
			}
			n := utf8.EncodeRune(b[len(b):cap(b)], r)
			b, s = b[:len(b)+n], skipCSSSpace(s[j:])
		} else {
			_, n := utf8.DecodeRune(s[1:])
			b, s = append(b, s[1:1+n]...), s[1+n:]
		}
	}
	return b
}

// isHex reports whether the given character is a hex digit.
func isHex(c byte) bool {
	return '0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F'
}

// hexDecode decodes a short hex digit sequence: "10" -> 16.
func hexDecode(s []byte) rune {
	n := '\x00'
	for _, c := range s {
		n <<= 4
		switch {
		case '0' <= c && c <= '9':
			n |= rune(c - '0')
		case 'a' <= c && c <= 'f':
			n |= rune(c-'a') + 10
		case 'A' <= c && c <= 'F':
			n |= rune(c-'A') + 10
		}
	}
	return n
}

// skipCSSSpace returns a suffix of c, skipping over a single space.
func skipCSSSpace(c []byte) []byte {
	if len(c) == 0 {
		return c
	}
	switch c[0] {
	case '\t', '\n', '\f', ' ':
		return c[1:]
	case '\r':
		if len(c) >= 2 && c[1] == '\n' {
			return c[2:]
		}
		return c[1:]
	}
	return c
}
