package load

import (
	"encoding"
	"reflect"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/BurntSushi/toml"

	"github.com/glassboard/glassboard/internal/board"
)

// fastDecode decodes src into v, a pointer to a struct, when src keeps to
// the plain TOML that records are written in: bare keys spelled exactly as
// the type's toml tags, [tables] and [[arrays of tables]], strings, whole
// numbers, local dates and arrays of those, comments. It gives the same
// value the TOML library would, several times faster, because the library
// (a lexer feeding a parser through a channel, a generic tree, then
// reflection) dominated the time of loading a large board.
//
// It reports false at the first thing it does not handle or that is
// wrong — a dotted or quoted key, a key in the wrong case, an unknown key,
// a float, a datetime, an inline table, a duplicate, a value the field
// refuses, a carriage return or a control character anywhere — and then v
// is as it was before: the caller decodes with the library, which also
// explains the problem. So fastDecode never reports anything itself, and
// every diagnostic still comes from the one careful path.
func fastDecode(src string, v any) (ok bool) { return fastDecodeUTF8(src, v, false) }

// fastDecodeUTF8 is fastDecode for a text known to be valid UTF-8 when
// valid is true (the loader has checked every file it reads), which it
// then does not check again.
func fastDecodeUTF8(src string, v any, valid bool) (ok bool) {
	rv := reflect.ValueOf(v)
	if rv.Kind() != reflect.Pointer || rv.Elem().Kind() != reflect.Struct {
		return false
	}
	if !plainText(src) || !valid && !utf8.ValidString(src) {
		return false // the library says where
	}
	root := rv.Elem()
	p := parsers.Get().(*fastParser)
	saved := p.saved[root.Type()]
	if !saved.IsValid() {
		saved = reflect.New(root.Type()).Elem()
		p.saved[root.Type()] = saved
	}
	saved.Set(root)
	defer func() {
		if r := recover(); r != nil {
			ok = false
		}
		if !ok {
			root.Set(saved)
		}
		saved.SetZero()
		p.reset()
		parsers.Put(p)
	}()
	p.s, p.root = src, root
	p.enter(root)
	return p.run()
}

// parsers keeps fastParsers, with their buffers, from one file to the
// next: a file makes no garbage but what it decodes to.
var parsers = sync.Pool{New: func() any { return &fastParser{saved: map[reflect.Type]reflect.Value{}} }}

// reset makes p as new, holding on to nothing of the last file.
func (p *fastParser) reset() {
	clear(p.keysBuf[:])
	clear(p.arrayBuf[:cap(p.arrayBuf)])
	*p = fastParser{saved: p.saved, defined: p.defined[:0], arrayBuf: p.arrayBuf[:0]}
}

// control marks the bytes TOML refuses outside escapes: control characters
// but tab and newline (and CR, which is allowed before a newline).
var control = func() (t [256]bool) {
	for c := range 0x20 {
		t[c] = c != '\t' && c != '\n'
	}
	t[0x7f] = true
	return t
}()

// plainText reports whether src has none of the control characters TOML
// refuses outside escapes. It looks at eight bytes at a time, and at each
// byte only in the words that have a refused byte or a CR: the masks are
// exact per byte, so that the newlines and tabs of every line do not send
// their words to the slow check.
func plainText(src string) bool {
	const (
		ones  = 0x0101010101010101
		highs = 0x8080808080808080
		lows  = 0x7f7f7f7f7f7f7f7f
	)
	// zero has the high bit of each byte of y that is 0, and only those.
	zero := func(y uint64) uint64 { return ^((y&lows + lows) | y) & highs }
	i := 0
	for ; i+8 <= len(src); i += 8 {
		w := src[i : i+8]
		x := uint64(w[0]) | uint64(w[1])<<8 | uint64(w[2])<<16 | uint64(w[3])<<24 |
			uint64(w[4])<<32 | uint64(w[5])<<40 | uint64(w[6])<<48 | uint64(w[7])<<56
		below := ^((x&lows + 0x60*ones) | x) & highs // bytes below 0x20
		if below != 0 {
			below &^= zero(x^'\n'*ones) | zero(x^'\t'*ones)
		}
		if below|zero(x^0x7f*ones) == 0 {
			continue
		}
		if !plainBytes(src, i, i+8) {
			return false
		}
	}
	return plainBytes(src, i, len(src))
}

func plainBytes(src string, from, to int) bool {
	for i := from; i < to; i++ {
		if !control[src[i]] {
			continue
		}
		if src[i] == '\r' && i+1 < len(src) && src[i+1] == '\n' {
			continue // CRLF ends a line like LF (and stays as is in multi-line text)
		}
		return false
	}
	return true
}

// localDate is the zone the TOML library gives local dates; Date's
// UnmarshalTOML accepts only times in a zone of that name.
var localDate = time.FixedZone("date-local", 0)

type fastParser struct {
	s       string
	pos     int
	root    reflect.Value         // the struct decoded into
	cur     reflect.Value         // the current table: a struct…
	fields  map[string]*fieldInfo // … and its keys
	curMap  map[string]any        // … or a map
	keys    []string              // the keys given so far in the current table
	keysBuf [24]string
	defined []tableID // the tables defined so far

	// Kept between files (see parsers): the elements of the array being
	// read (set copies them, so one array at a time needs them), and a
	// value of each type decoded into, for a copy of the value as it was.
	arrayBuf []tval
	saved    map[reflect.Type]reflect.Value
}

// tableID names a table by where its value lives (decoding allocates and
// moves nothing that a header could name again) and by its type, so that a
// struct and its first field are told apart.
type tableID struct {
	at uintptr
	t  reflect.Type
}

func idOf(v reflect.Value) tableID { return tableID{v.Addr().Pointer(), v.Type()} }

func (p *fastParser) isDefined(id tableID) bool {
	for _, d := range p.defined {
		if d == id {
			return true
		}
	}
	return false
}

func (p *fastParser) enter(t reflect.Value) {
	p.cur, p.keys, p.curMap = t, p.keysBuf[:0], nil
	if t.Kind() == reflect.Struct {
		p.fields = fieldsOf(t.Type())
	} else {
		p.curMap = t.Interface().(map[string]any)
	}
}

func isBare(c byte) bool {
	return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '_' || c == '-'
}

func (p *fastParser) skipSpace() {
	for p.pos < len(p.s) && (p.s[p.pos] == ' ' || p.s[p.pos] == '\t') {
		p.pos++
	}
}

// endOfLine accepts spaces, a comment and the end of the line.
func (p *fastParser) endOfLine() bool {
	p.skipSpace()
	if p.pos < len(p.s) && p.s[p.pos] == '#' {
		i := strings.IndexByte(p.s[p.pos:], '\n')
		if i < 0 {
			p.pos = len(p.s)
			return true
		}
		p.pos += i
	}
	if p.pos == len(p.s) {
		return true
	}
	switch p.s[p.pos] {
	case '\n':
		p.pos++
		return true
	case '\r': // always followed by \n
		p.pos += 2
		return true
	}
	return false
}

func (p *fastParser) key() (string, bool) {
	start := p.pos
	for p.pos < len(p.s) && isBare(p.s[p.pos]) {
		p.pos++
	}
	return p.s[start:p.pos], p.pos > start
}

func (p *fastParser) run() bool {
	for {
		p.skipSpace()
		if p.pos == len(p.s) {
			return true
		}
		switch p.s[p.pos] {
		case '\n':
			p.pos++
		case '\r':
			p.pos += 2
		case '#':
			if !p.endOfLine() {
				return false
			}
		case '[':
			if !p.header() || !p.endOfLine() {
				return false
			}
		default:
			if !p.keyValue() || !p.endOfLine() {
				return false
			}
		}
	}
}

// header reads [a.b] or [[a.b]] and makes it the current table.
//
// A key given a value and a table of the same name cannot both be
// defined without the fast path noticing: such a key's field is a table
// (a struct, a map or an array of tables), and a value for it is refused
// by set, or it is an empty array, which [[…]] refuses.
func (p *fastParser) header() bool {
	start := p.pos
	p.pos++ // [
	array := p.pos < len(p.s) && p.s[p.pos] == '['
	if array {
		p.pos++
	}
	var keysBuf [4]string
	keys := keysBuf[:0]
	for {
		p.skipSpace()
		k, ok := p.key()
		if !ok {
			return false
		}
		keys = append(keys, k)
		p.skipSpace()
		if p.pos < len(p.s) && p.s[p.pos] == '.' {
			p.pos++
			continue
		}
		break
	}
	closing := "]"
	if array {
		closing = "]]"
	}
	if !strings.HasPrefix(p.s[p.pos:], closing) {
		return false
	}
	p.pos += len(closing)

	cur := p.root
	for i, k := range keys {
		last := i == len(keys)-1
		if cur.Kind() != reflect.Struct {
			return false
		}
		fi, ok := fieldsOf(cur.Type())[k]
		if !ok {
			return false
		}
		fv := fi.of(cur)
		switch fi.kind {
		case fkPtrTable:
			if last && array {
				return false
			}
			if fv.IsNil() {
				fv.Set(reflect.New(fi.typ.Elem()))
			} else if !p.isDefined(idOf(fv.Elem())) {
				return false // a default, or made by a [sub.table] before
			}
			cur = fv.Elem()
		case fkTable:
			if last && array {
				return false
			}
			cur = fv
		case fkTables:
			if last && !array {
				return false
			}
			if last {
				if id := idOf(fv); !p.isDefined(id) {
					if !fv.IsNil() {
						return false // a default the library would merge into, or key = []
					}
					p.defined = append(p.defined, id)
					// Room for every element the text has (or more, when
					// an array of tables nests in another).
					if n := strings.Count(p.s[start:], p.s[start:p.pos]); n > 1 {
						fv.Grow(n)
					}
				}
				// A zero element, in place: the room Grow makes is zeroed,
				// and nothing is written past the length.
				if fv.Len() == fv.Cap() {
					fv.Grow(1)
				}
				fv.SetLen(fv.Len() + 1)
			}
			if fv.Len() == 0 {
				return false
			}
			cur = fv.Index(fv.Len() - 1)
		case fkFreeMap:
			if !last || array || !fv.IsNil() {
				return false
			}
			fv.Set(reflect.MakeMap(fi.typ))
			cur = fv
		default:
			return false
		}
	}
	if !array && cur.Kind() == reflect.Struct {
		id := idOf(cur)
		if p.isDefined(id) {
			return false // [table] twice
		}
		p.defined = append(p.defined, id)
	}
	p.enter(cur)
	return true
}

// keyValue reads key = value into the current table.
func (p *fastParser) keyValue() bool {
	k, ok := p.key()
	if !ok {
		return false
	}
	p.skipSpace()
	if p.pos == len(p.s) || p.s[p.pos] != '=' {
		return false // also a dotted key
	}
	p.pos++
	p.skipSpace()
	val, ok := p.value()
	if !ok {
		return false
	}
	for _, seen := range p.keys {
		if seen == k {
			return false
		}
	}
	p.keys = append(p.keys, k)
	if p.curMap != nil {
		switch val.kind {
		case tString:
			p.curMap[k] = val.s
		case tInt:
			p.curMap[k] = val.n
		default:
			return false
		}
		return true
	}
	fi, ok := p.fields[k]
	if !ok {
		return false
	}
	fv := fi.of(p.cur)
	switch fi.kind {
	case fkString:
		if val.kind != tString {
			return false
		}
		fv.SetString(val.s)
		return true
	case fkInt:
		if val.kind != tInt {
			return false
		}
		fv.SetInt(val.n)
		return true
	case fkDate:
		// What Date.UnmarshalTOML makes of the local date the library
		// would pass it, without boxing a time.Time for the call.
		if val.kind != tDate {
			return false
		}
		*fv.Addr().Interface().(*board.Date) = board.NewDate(val.y, time.Month(val.m), val.d)
		return true
	}
	return set(fv, &val)
}

// tval is a TOML value the fast path handles.
type tval struct {
	kind    byte // tString, tInt, tDate, tArray
	s       string
	n       int64
	y, m, d int
	a       []tval
}

const (
	tString = iota + 1
	tInt
	tDate
	tArray
)

// value reads a string, a whole number, a local date or an array of them.
func (p *fastParser) value() (tval, bool) {
	if p.pos == len(p.s) {
		return tval{}, false
	}
	switch c := p.s[p.pos]; {
	case c == '"':
		if strings.HasPrefix(p.s[p.pos:], `"""`) {
			return p.multiline()
		}
		return p.basic()
	case c == '\'':
		if strings.HasPrefix(p.s[p.pos:], `'''`) {
			return p.multilineLiteral()
		}
		p.pos++
		end := strings.IndexAny(p.s[p.pos:], "'\r\n")
		if end < 0 || p.s[p.pos+end] != '\'' {
			return tval{}, false
		}
		v := tval{kind: tString, s: p.s[p.pos : p.pos+end]}
		p.pos += end + 1
		return v, true
	case c == '[':
		return p.array()
	case '0' <= c && c <= '9' || c == '-' || c == '+':
		return p.number()
	}
	return tval{}, false
}

// number reads a decimal integer or a local date (2019-09-02).
func (p *fastParser) number() (tval, bool) {
	s := p.s[p.pos:]
	if len(s) >= 10 && s[4] == '-' && s[7] == '-' && allDigits(s[:4]) && allDigits(s[5:7]) && allDigits(s[8:10]) &&
		(len(s) == 10 || !isValueChar(s[10])) {
		y, _ := strconv.Atoi(s[:4])
		m, _ := strconv.Atoi(s[5:7])
		d, _ := strconv.Atoi(s[8:10])
		if m < 1 || m > 12 || d < 1 || d > board.DaysIn(time.Month(m), y) {
			return tval{}, false
		}
		p.pos += 10
		return tval{kind: tDate, y: y, m: m, d: d}, true
	}
	i := 0
	if s[0] == '-' || s[0] == '+' {
		i++
	}
	start := i
	for i < len(s) && '0' <= s[i] && s[i] <= '9' {
		i++
	}
	digits := s[start:i]
	if len(digits) == 0 || (len(digits) > 1 && digits[0] == '0') || (i < len(s) && isValueChar(s[i])) {
		return tval{}, false
	}
	n, err := strconv.ParseInt(s[:i], 10, 64)
	if err != nil {
		return tval{}, false
	}
	p.pos += i
	return tval{kind: tInt, n: n}, true
}

// isValueChar reports whether c would continue a number or date (a float,
// a datetime, a hex number, 1_000): anything but the end of the value.
func isValueChar(c byte) bool {
	return c != ' ' && c != '\t' && c != '\r' && c != '\n' && c != ',' && c != ']' && c != '#'
}

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// basic reads "text", with escapes.
func (p *fastParser) basic() (tval, bool) {
	p.pos++
	start := p.pos
	// Most texts have no escape: find the closing quote at memchr speed.
	if end := strings.IndexByte(p.s[start:], '"'); end >= 0 {
		text := p.s[start : start+end]
		if strings.IndexByte(text, '\\') < 0 && strings.IndexByte(text, '\n') < 0 && strings.IndexByte(text, '\r') < 0 {
			p.pos = start + end + 1
			return tval{kind: tString, s: text}, true
		}
	}
	for p.pos < len(p.s) {
		switch p.s[p.pos] {
		case '"':
			v := tval{kind: tString, s: p.s[start:p.pos]}
			p.pos++
			return v, true
		case '\n', '\r':
			return tval{}, false
		case '\\':
			return p.escaped(start, false)
		}
		p.pos++
	}
	return tval{}, false
}

// escaped finishes a basic string (multi-line or not) that has escapes,
// from its start; p.pos is at the first backslash.
func (p *fastParser) escaped(start int, multi bool) (tval, bool) {
	var b strings.Builder
	b.WriteString(p.s[start:p.pos])
	for p.pos < len(p.s) {
		c := p.s[p.pos]
		switch {
		case c == '\\':
			if p.pos+1 >= len(p.s) {
				return tval{}, false
			}
			p.pos += 2
			switch p.s[p.pos-1] {
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
			case '"':
				b.WriteByte('"')
			case '\\':
				b.WriteByte('\\')
			case 'u', 'U':
				n := 4
				if p.s[p.pos-1] == 'U' {
					n = 8
				}
				if p.pos+n > len(p.s) {
					return tval{}, false
				}
				hex := p.s[p.pos : p.pos+n]
				for i := 0; i < len(hex); i++ {
					if !isHexDigit(hex[i]) {
						return tval{}, false
					}
				}
				r, err := strconv.ParseUint(hex, 16, 32)
				if err != nil || !utf8.ValidRune(rune(r)) {
					return tval{}, false
				}
				b.WriteRune(rune(r))
				p.pos += n
			default:
				return tval{}, false // \x, a line-ending backslash, an invalid escape
			}
		case c == '"' && !multi:
			p.pos++
			return tval{kind: tString, s: b.String()}, true
		case c == '"' && multi:
			if strings.HasPrefix(p.s[p.pos:], `"""`) {
				if strings.HasPrefix(p.s[p.pos:], `""""`) {
					return tval{}, false
				}
				p.pos += 3
				return tval{kind: tString, s: b.String()}, true
			}
			b.WriteByte('"')
			p.pos++
		case (c == '\n' || c == '\r') && !multi:
			return tval{}, false
		default:
			b.WriteByte(c)
			p.pos++
		}
	}
	return tval{}, false
}

func isHexDigit(c byte) bool {
	return '0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F'
}

// multiline reads """text""": a newline right after the opening quotes is
// not part of the text.
func (p *fastParser) multiline() (tval, bool) {
	p.pos += 3
	p.skipFirstNewline()
	start := p.pos
	if end := strings.Index(p.s[start:], `"""`); end >= 0 && strings.IndexByte(p.s[start:start+end], '\\') < 0 {
		p.pos = start + end // no escape before the closing quotes
	}
	for p.pos < len(p.s) {
		switch p.s[p.pos] {
		case '"':
			if strings.HasPrefix(p.s[p.pos:], `"""`) {
				if strings.HasPrefix(p.s[p.pos:], `""""`) {
					return tval{}, false // quotes at the end: leave it to the library
				}
				v := tval{kind: tString, s: p.s[start:p.pos]}
				p.pos += 3
				return v, true
			}
		case '\\':
			return p.escaped(start, true)
		}
		p.pos++
	}
	return tval{}, false
}

func (p *fastParser) skipFirstNewline() {
	if strings.HasPrefix(p.s[p.pos:], "\n") {
		p.pos++
	} else if strings.HasPrefix(p.s[p.pos:], "\r\n") {
		p.pos += 2
	}
}

// multilineLiteral reads a multi-line literal string, between triple
// single quotes.
func (p *fastParser) multilineLiteral() (tval, bool) {
	p.pos += 3
	p.skipFirstNewline()
	end := strings.Index(p.s[p.pos:], "'''")
	if end < 0 || strings.HasPrefix(p.s[p.pos+end:], "''''") {
		return tval{}, false
	}
	v := tval{kind: tString, s: p.s[p.pos : p.pos+end]}
	p.pos += end + 3
	return v, true
}

// array reads [a, b, …] of strings, numbers or dates, over several lines
// and with comments if need be.
func (p *fastParser) array() (tval, bool) {
	p.pos++
	// Values are never arrays (refused below), so that one array at a
	// time is read into arrayBuf, which set copies from.
	out := tval{kind: tArray, a: p.arrayBuf[:0]}
	defer func() { p.arrayBuf = out.a[:0] }()
	for {
		if !p.skipBlank() {
			return tval{}, false
		}
		if p.s[p.pos] == ']' {
			p.pos++
			return out, true
		}
		if c := p.s[p.pos]; c == '[' || c == '{' {
			return tval{}, false
		}
		v, ok := p.value()
		if !ok {
			return tval{}, false
		}
		out.a = append(out.a, v)
		if !p.skipBlank() {
			return tval{}, false
		}
		switch p.s[p.pos] {
		case ',':
			p.pos++
		case ']':
			p.pos++
			return out, true
		default:
			return tval{}, false
		}
	}
}

// skipBlank skips spaces, newlines and comments inside an array; it
// reports false at the end of the text.
func (p *fastParser) skipBlank() bool {
	for p.pos < len(p.s) {
		switch p.s[p.pos] {
		case ' ', '\t', '\r', '\n':
			p.pos++
		case '#':
			i := strings.IndexByte(p.s[p.pos:], '\n')
			if i < 0 {
				return false
			}
			p.pos += i
		default:
			return true
		}
	}
	return false
}

var (
	tomlUnmarshaler = reflect.TypeFor[toml.Unmarshaler]()
	textUnmarshaler = reflect.TypeFor[encoding.TextUnmarshaler]()
)

func implementsUnmarshal(t reflect.Type) bool {
	return t.Implements(tomlUnmarshaler) || t.Implements(textUnmarshaler)
}

// set stores val into fv as the TOML library's decoder would.
func set(fv reflect.Value, val *tval) bool {
	if fv.Kind() == reflect.Pointer {
		if !fv.IsNil() {
			return false // a default the library would write through
		}
		nv := reflect.New(fv.Type().Elem())
		if !set(nv.Elem(), val) {
			return false
		}
		fv.Set(nv)
		return true
	}
	if fv.CanAddr() {
		switch u := fv.Addr().Interface().(type) {
		case toml.Unmarshaler:
			var v any
			switch val.kind {
			case tString:
				v = val.s
			case tInt:
				v = val.n
			case tDate:
				v = time.Date(val.y, time.Month(val.m), val.d, 0, 0, 0, 0, localDate)
			default:
				return false
			}
			return u.UnmarshalTOML(v) == nil
		case encoding.TextUnmarshaler:
			return val.kind == tString && u.UnmarshalText([]byte(val.s)) == nil
		}
	}
	switch fv.Kind() {
	case reflect.String:
		if val.kind != tString {
			return false
		}
		fv.SetString(val.s)
		return true
	case reflect.Int, reflect.Int64:
		if val.kind != tInt {
			return false
		}
		fv.SetInt(val.n)
		return true
	case reflect.Slice:
		if val.kind != tArray || !fv.IsNil() {
			return false
		}
		if len(val.a) == 0 {
			fv.Set(reflect.MakeSlice(fv.Type(), 0, 0)) // empty, not nil, as the library makes it
			return true
		}
		// In place (a new slice Value would cost its header too); should
		// an element be refused, the caller puts the whole value back.
		fv.Grow(len(val.a))
		fv.SetLen(len(val.a))
		for i := range val.a {
			if !set(fv.Index(i), &val.a[i]) {
				return false
			}
		}
		return true
	}
	return false
}

// fieldInfo is a field of a struct that a TOML key names.
type fieldInfo struct {
	index []int
	typ   reflect.Type
	kind  fieldKind
}

// fieldKind says how a field takes its value.
type fieldKind uint8

const (
	fkOther    fieldKind = iota // anything else: set decides
	fkString                    // a string without an unmarshaler
	fkInt                       // an int or int64 without an unmarshaler
	fkTable                     // a struct: [table]
	fkPtrTable                  // a pointer to a struct: [table]
	fkTables                    // a slice of structs: [[array]]
	fkFreeMap                   // map[string]any: [table] of any keys
	fkDate                      // board.Date
)

// of returns the field in v, a struct of the type the field belongs to.
func (fi *fieldInfo) of(v reflect.Value) reflect.Value {
	for _, i := range fi.index {
		v = v.Field(i)
	}
	return v
}

func kindOf(t reflect.Type) fieldKind {
	if t == reflect.TypeFor[board.Date]() {
		return fkDate
	}
	if implementsUnmarshal(reflect.PointerTo(t)) {
		return fkOther
	}
	switch t.Kind() {
	case reflect.String:
		return fkString
	case reflect.Int, reflect.Int64:
		return fkInt
	case reflect.Struct:
		return fkTable
	case reflect.Pointer:
		if e := t.Elem(); e.Kind() == reflect.Struct && !implementsUnmarshal(t) {
			return fkPtrTable
		}
	case reflect.Slice:
		if e := t.Elem(); e.Kind() == reflect.Struct && !implementsUnmarshal(reflect.PointerTo(e)) {
			return fkTables
		}
	case reflect.Map:
		if t.Key().Kind() == reflect.String && t.Elem().Kind() == reflect.Interface && t.Elem().NumMethod() == 0 {
			return fkFreeMap
		}
	}
	return fkOther
}

var fieldCache sync.Map // reflect.Type → map[string]*fieldInfo

// fieldsOf maps each key of struct type t to its field, choosing among
// embedded structs as the TOML library (and encoding/json) does: the
// shallowest field wins, then the tagged one; a tie hides the key.
func fieldsOf(t reflect.Type) map[string]*fieldInfo {
	if m, ok := fieldCache.Load(t); ok {
		return m.(map[string]*fieldInfo)
	}
	type cand struct {
		index  []int
		tagged bool
		typ    reflect.Type
	}
	byName := map[string][]cand{}
	type level struct {
		t     reflect.Type
		index []int
	}
	next := []level{{t: t}}
	visited := map[reflect.Type]bool{}
	for depth := 0; len(next) > 0; depth++ {
		cur := next
		next = nil
		for _, l := range cur {
			if visited[l.t] {
				continue
			}
			visited[l.t] = true
			for i := 0; i < l.t.NumField(); i++ {
				sf := l.t.Field(i)
				if !sf.IsExported() && !sf.Anonymous {
					continue
				}
				tag := strings.Split(sf.Tag.Get("toml"), ",")[0]
				if tag == "-" {
					continue
				}
				index := append(append([]int(nil), l.index...), i)
				if tag == "" && sf.Anonymous && sf.Type.Kind() == reflect.Struct {
					next = append(next, level{t: sf.Type, index: index})
					continue
				}
				if tag == "" && sf.Anonymous {
					return nil // embedded pointers and the like: not here
				}
				if !sf.IsExported() {
					continue
				}
				name := tag
				if name == "" {
					name = sf.Name
				}
				byName[name] = append(byName[name], cand{index, tag != "", sf.Type})
			}
		}
	}
	out := map[string]*fieldInfo{}
	for name, cs := range byName {
		best := len(cs[0].index)
		var top []cand
		for _, c := range cs {
			if len(c.index) < best {
				best, top = len(c.index), nil
			}
			if len(c.index) == best {
				top = append(top, c)
			}
		}
		var tagged []cand
		for _, c := range top {
			if c.tagged {
				tagged = append(tagged, c)
			}
		}
		var c cand
		switch {
		case len(top) == 1:
			c = top[0]
		case len(tagged) == 1:
			c = tagged[0]
		default:
			continue
		}
		out[name] = &fieldInfo{index: c.index, typ: c.typ, kind: kindOf(c.typ)}
	}
	fieldCache.Store(t, out)
	return out
}
