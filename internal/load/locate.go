package load

import (
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/BurntSushi/toml"
)

// Pos is a 1-based line and column (in characters) in a file.
type Pos struct{ Line, Col int }

// keyLoc is one key of a TOML document: its full path with array indices
// ("updates[2].note"), where the key starts and where its value starts.
// Array elements ("updates[2]", "evidence[0]") are recorded too, as elems.
type keyLoc struct {
	Path string
	Bare string // the path as toml.Key.String() spells it, without indices
	Pos  Pos
	Val  Pos  // start of the value of key = value; zero for headers and elements
	Elem bool // an array element, not a key
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
// then to the start of the file (line 1, also for front matter: the file
// starts at its +++ line).
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
	return Pos{Line: 1, Col: 1}
}

// Occurrence returns the position of the n-th (0-based) key whose path,
// without array indices, is bare ("updates.date"), spelt as toml.Key.String
// spells it (MetaData.Keys() lists keys in the same document order).
func (l *locator) Occurrence(bare string, n int) (Pos, bool) {
	if k, ok := l.occurrence(bare, n); ok {
		return k.Pos, true
	}
	return Pos{}, false
}

// ValueOccurrence is Occurrence for the key's value: where it starts, or the
// key when it has none (a table header).
func (l *locator) ValueOccurrence(bare string, n int) (Pos, bool) {
	k, ok := l.occurrence(bare, n)
	if !ok {
		return Pos{}, false
	}
	if k.Val.Line > 0 {
		return k.Val, true
	}
	return k.Pos, true
}

func (l *locator) occurrence(bare string, n int) (keyLoc, bool) {
	for _, k := range l.keys {
		if !k.Elem && k.Bare == bare {
			if n == 0 {
				return k, true
			}
			n--
		}
	}
	return keyLoc{}, false
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

func (l *locator) pos() Pos {
	col := utf8.RuneCountInString(l.src[l.lineAt:l.i]) + 1
	return Pos{Line: l.line + l.lineOff, Col: col}
}

// record notes a key (parts is its path without indices) or, with elem, an
// array element; it returns the record's index in l.keys.
func (l *locator) record(path string, parts []string, p Pos, elem bool) int {
	l.keys = append(l.keys, keyLoc{Path: path, Bare: toml.Key(parts).String(), Pos: p, Elem: elem})
	if _, ok := l.index[path]; !ok {
		l.index[path] = p
	}
	return len(l.keys) - 1
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
	prefix, parts := "", []string(nil)
	for steps := 0; !l.eof() && steps < len(l.src)+1; steps++ {
		l.skipBlank()
		if l.eof() {
			return
		}
		start := l.i
		if l.peek() == '[' {
			prefix, parts = l.header()
		} else {
			l.keyValue(prefix, parts)
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

// header reads [a.b] or [[a.b]] and returns the resolved prefix, as a path
// with indices and as key parts.
func (l *locator) header() (string, []string) {
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
			l.record(resolved, parts, p, false)
			resolved += "[" + strconv.Itoa(n) + "]"
			l.record(resolved, parts, p, true)
			return resolved, parts
		} else if l.arrays[resolved] {
			resolved += "[" + strconv.Itoa(l.counts[resolved]-1) + "]"
		}
	}
	l.record(resolved, parts, p, false)
	return resolved, parts
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

// quotedKey reads "key" or 'key' and returns the key with escapes resolved,
// as the TOML library resolves them.
func (l *locator) quotedKey() string {
	q := l.peek()
	l.i++
	var b strings.Builder
	for !l.eof() && l.peek() != q && l.peek() != '\n' {
		if q == '"' && l.peek() == '\\' && l.i+1 < len(l.src) {
			l.i++
			l.escape(&b)
			continue
		}
		b.WriteByte(l.peek())
		l.i++
	}
	if !l.eof() && l.peek() == q {
		l.i++
	}
	return b.String()
}

// escape resolves the escape after a backslash in a basic string.
func (l *locator) escape(b *strings.Builder) {
	c := l.peek()
	l.i++
	digits := 0
	switch c {
	case 'b':
		b.WriteByte('\b')
	case 't':
		b.WriteByte('\t')
	case 'n':
		b.WriteByte('\n')
	case 'f':
		b.WriteByte('\f')
	case 'r':
		b.WriteByte('\r')
	case 'e':
		b.WriteByte(0x1b)
	case 'x':
		digits = 2
	case 'u':
		digits = 4
	case 'U':
		digits = 8
	default: // \" \\ and anything odd: the character itself
		b.WriteByte(c)
	}
	if digits > 0 && l.i+digits <= len(l.src) {
		if r, err := strconv.ParseUint(l.src[l.i:l.i+digits], 16, 32); err == nil {
			b.WriteRune(rune(r))
			l.i += digits
		}
	}
}

func join(prefix, key string) string {
	if prefix == "" {
		return key
	}
	return prefix + "." + key
}

// keyValue reads key = value under prefix (prefixParts without indices).
func (l *locator) keyValue(prefix string, prefixParts []string) {
	p := l.pos()
	keyParts := l.keyParts()
	path := prefix
	for _, part := range keyParts {
		path = join(path, part)
	}
	parts := append(append([]string(nil), prefixParts...), keyParts...)
	k := l.record(path, parts, p, false)
	l.skipSpace()
	if l.peek() != '=' {
		return
	}
	l.i++
	l.skipSpace()
	if !l.eof() {
		l.keys[k].Val = l.pos()
	}
	l.value(path, parts)
}

func (l *locator) value(path string, parts []string) {
	if l.eof() {
		return
	}
	switch l.peek() {
	case '"', '\'':
		l.str()
	case '[':
		l.array(path, parts)
	case '{':
		l.inlineTable(path, parts)
	default:
		start := l.i
		for !l.eof() {
			c := l.peek()
			if c == ' ' && l.i-start == 10 && l.src[start+4] == '-' && l.src[start+7] == '-' &&
				l.i+1 < len(l.src) && l.src[l.i+1] >= '0' && l.src[l.i+1] <= '9' {
				l.i++ // a date-time written with a space: 2019-09-02 08:00:00
				continue
			}
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

func (l *locator) array(path string, parts []string) {
	l.i++ // [
	for n := 0; !l.eof(); n++ {
		l.skipBlank()
		if l.eof() || l.peek() == ']' {
			break
		}
		start := l.i
		elem := path + "[" + strconv.Itoa(n) + "]"
		l.record(elem, parts, l.pos(), true)
		l.value(elem, parts)
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

func (l *locator) inlineTable(path string, parts []string) {
	l.i++ // {
	for !l.eof() {
		l.skipBlank()
		if l.eof() || l.peek() == '}' {
			break
		}
		start := l.i
		l.keyValue(path, parts)
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
