package load

import (
	"strconv"
	"strings"
	"unicode/utf8"
)

// Pos is a 1-based line and column (in characters) in a file.
type Pos struct{ Line, Col int }

// keyLoc is one key of a TOML document: its full path with array indices
// ("updates[2].note") and where the key starts.
type keyLoc struct {
	Path string
	Pos  Pos
}

// locator finds where keys, tables and array elements of a TOML document
// are. BurntSushi/toml decodes without positions, so glassboard scans the
// text once more: it tracks table headers ([x], [[x]] with element
// indices), dotted keys, strings, arrays and inline tables. It assumes the
// document already parsed; on odd input it degrades to fewer positions,
// never to a panic.
type locator struct {
	src     string
	i       int
	line    int
	lineAt  int // byte offset where the current line starts
	keys    []keyLoc
	index   map[string]Pos // first position of each path
	counts  map[string]int // elements seen per array-table path
	arrays  map[string]bool
	lineOff int // added to every line (front matter)
}

func locate(src string, lineOffset int) *locator {
	l := &locator{src: src, line: 1, index: map[string]Pos{}, counts: map[string]int{}, arrays: map[string]bool{}, lineOff: lineOffset}
	l.document()
	return l
}

// Pos returns the position of a field path such as "updates[2].date". A
// path that is not in the file falls back to its nearest parent that is,
// then to the start of the file.
func (l *locator) Pos(field string) Pos {
	for field != "" {
		if p, ok := l.index[field]; ok {
			return p
		}
		i := max(strings.LastIndexByte(field, '.'), strings.LastIndexByte(field, '['))
		if i <= 0 {
			break
		}
		field = field[:i]
	}
	return Pos{Line: 1 + l.lineOff, Col: 1}
}

// Occurrence returns the position of the n-th (0-based) key whose path,
// without array indices, is bare ("updates.date").
func (l *locator) Occurrence(bare string, n int) (Pos, bool) {
	for _, k := range l.keys {
		if stripIndices(k.Path) == bare {
			if n == 0 {
				return k.Pos, true
			}
			n--
		}
	}
	return Pos{}, false
}

// KeyOnLine returns the position of the last key named name on the given line.
func (l *locator) KeyOnLine(line int, name string) (Pos, bool) {
	var found Pos
	ok := false
	for _, k := range l.keys {
		if k.Pos.Line == line && (k.Path == name || strings.HasSuffix(k.Path, "."+name)) {
			found, ok = k.Pos, true
		}
	}
	return found, ok
}

func stripIndices(p string) string {
	if !strings.Contains(p, "[") {
		return p
	}
	var b strings.Builder
	depth := 0
	for _, r := range p {
		switch {
		case r == '[':
			depth++
		case r == ']':
			depth--
		case depth == 0:
			b.WriteRune(r)
		}
	}
	return b.String()
}

func (l *locator) pos() Pos {
	col := utf8.RuneCountInString(l.src[l.lineAt:l.i]) + 1
	return Pos{Line: l.line + l.lineOff, Col: col}
}

func (l *locator) record(path string, p Pos) {
	l.keys = append(l.keys, keyLoc{Path: path, Pos: p})
	if _, ok := l.index[path]; !ok {
		l.index[path] = p
	}
}

func (l *locator) eof() bool { return l.i >= len(l.src) }

func (l *locator) peek() byte {
	if l.eof() {
		return 0
	}
	return l.src[l.i]
}

func (l *locator) advance() {
	if l.src[l.i] == '\n' {
		l.line++
		l.lineAt = l.i + 1
	}
	l.i++
}

func (l *locator) skipSpace() {
	for !l.eof() && (l.peek() == ' ' || l.peek() == '\t' || l.peek() == '\r') {
		l.i++
	}
}

// skipBlank skips white space, newlines and comments.
func (l *locator) skipBlank() {
	for !l.eof() {
		switch l.peek() {
		case ' ', '\t', '\r', '\n':
			l.advance()
		case '#':
			l.skipLine()
		default:
			return
		}
	}
}

func (l *locator) skipLine() {
	for !l.eof() && l.peek() != '\n' {
		l.i++
	}
}

func (l *locator) document() {
	prefix := ""
	for steps := 0; !l.eof() && steps < len(l.src)+1; steps++ {
		l.skipBlank()
		if l.eof() {
			return
		}
		start := l.i
		if l.peek() == '[' {
			prefix = l.header()
		} else {
			l.keyValue(prefix)
		}
		l.skipSpace()
		if !l.eof() && l.peek() == '#' {
			l.skipLine()
		}
		if l.i == start { // no progress: give up on this line
			l.skipLine()
		}
	}
}

// header reads [a.b] or [[a.b]] and returns the resolved prefix.
func (l *locator) header() string {
	p := l.pos()
	l.i++
	array := false
	if l.peek() == '[' {
		array = true
		l.i++
	}
	parts := l.keyParts()
	for !l.eof() && l.peek() == ']' {
		l.i++
	}
	// Resolve each step: a step that names an array table refers to its
	// latest element.
	resolved := ""
	for k, part := range parts {
		if resolved != "" {
			resolved += "."
		}
		resolved += part
		last := k == len(parts)-1
		if last && array {
			n := l.counts[resolved]
			l.counts[resolved] = n + 1
			l.arrays[resolved] = true
			l.record(resolved, p)
			resolved += "[" + strconv.Itoa(n) + "]"
		} else if l.arrays[resolved] {
			resolved += "[" + strconv.Itoa(l.counts[resolved]-1) + "]"
		}
	}
	l.record(resolved, p)
	return resolved
}

// keyParts reads a dotted key and returns its parts.
func (l *locator) keyParts() []string {
	var parts []string
	for !l.eof() {
		l.skipSpace()
		var part string
		switch l.peek() {
		case '"', '\'':
			part = l.quotedKey()
		default:
			s := l.i
			for !l.eof() {
				c := l.peek()
				if c == '.' || c == '=' || c == ']' || c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '#' {
					break
				}
				l.i++
			}
			part = l.src[s:l.i]
		}
		parts = append(parts, part)
		l.skipSpace()
		if l.peek() != '.' {
			return parts
		}
		l.i++
	}
	return parts
}

func (l *locator) quotedKey() string {
	q := l.peek()
	l.i++
	var b strings.Builder
	for !l.eof() && l.peek() != q && l.peek() != '\n' {
		if q == '"' && l.peek() == '\\' && l.i+1 < len(l.src) {
			l.i++
		}
		b.WriteByte(l.peek())
		l.i++
	}
	if !l.eof() && l.peek() == q {
		l.i++
	}
	return b.String()
}

func join(prefix, key string) string {
	if prefix == "" {
		return key
	}
	return prefix + "." + key
}

// keyValue reads key = value under prefix.
func (l *locator) keyValue(prefix string) {
	p := l.pos()
	parts := l.keyParts()
	path := prefix
	for _, part := range parts {
		path = join(path, part)
	}
	l.record(path, p)
	l.skipSpace()
	if l.peek() != '=' {
		return
	}
	l.i++
	l.skipSpace()
	l.value(path)
}

func (l *locator) value(path string) {
	if l.eof() {
		return
	}
	switch l.peek() {
	case '"', '\'':
		l.str()
	case '[':
		l.array(path)
	case '{':
		l.inlineTable(path)
	default:
		for !l.eof() {
			c := l.peek()
			if c == ',' || c == ']' || c == '}' || c == '\n' || c == '#' || c == ' ' || c == '\t' || c == '\r' {
				return
			}
			l.i++
		}
	}
}

func (l *locator) str() {
	q := l.peek()
	triple := strings.HasPrefix(l.src[l.i:], strings.Repeat(string(q), 3))
	if triple {
		l.i += 3
		for !l.eof() {
			if q == '"' && l.peek() == '\\' && l.i+1 < len(l.src) {
				l.advance()
				l.advance()
				continue
			}
			if strings.HasPrefix(l.src[l.i:], strings.Repeat(string(q), 3)) {
				l.i += 3
				// Up to two more quotes may belong to the string.
				for k := 0; k < 2 && l.peek() == q; k++ {
					l.i++
				}
				return
			}
			l.advance()
		}
		return
	}
	l.i++
	for !l.eof() && l.peek() != '\n' {
		c := l.peek()
		if q == '"' && c == '\\' && l.i+1 < len(l.src) {
			l.i += 2
			continue
		}
		l.i++
		if c == q {
			return
		}
	}
}

func (l *locator) array(path string) {
	l.i++ // [
	for n := 0; !l.eof(); n++ {
		l.skipBlank()
		if l.eof() || l.peek() == ']' {
			break
		}
		start := l.i
		l.record(path+"["+strconv.Itoa(n)+"]", l.pos())
		l.value(path + "[" + strconv.Itoa(n) + "]")
		l.skipBlank()
		if l.peek() == ',' {
			l.i++
		} else if l.i == start {
			l.i++ // unexpected byte: step over it
		}
	}
	if !l.eof() && l.peek() == ']' {
		l.i++
	}
}

func (l *locator) inlineTable(path string) {
	l.i++ // {
	for !l.eof() {
		l.skipBlank()
		if l.eof() || l.peek() == '}' {
			break
		}
		start := l.i
		l.keyValue(path)
		l.skipBlank()
		if l.peek() == ',' {
			l.i++
		} else if l.i == start {
			l.i++
		}
	}
	if !l.eof() && l.peek() == '}' {
		l.i++
	}
}
