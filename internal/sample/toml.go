package sample

import (
	"slices"
	"strconv"
	"time"
	"unicode/utf8"
)

// day is a calendar date as a count of days since 1970-01-01.
type day int32

func mkday(y int, m time.Month, d int) day {
	return day(time.Date(y, m, d, 0, 0, 0, 0, time.UTC).Unix() / 86400)
}

func (d day) ymd() (y, m, dd int) {
	t := time.Unix(int64(d)*86400, 0).UTC()
	yy, mm, ddd := t.Date()
	return yy, int(mm), ddd
}

// weekday: 0 Sunday … 6 Saturday (1970-01-01 was a Thursday).
func (d day) weekday() int { return ((int(d)+4)%7 + 7) % 7 }

func (d day) mondayOnOrBefore() day { return d - day((d.weekday()+6)%7) }

func (d day) mondayOnOrAfter() day { return d + day((8-d.weekday())%7) }

func sortDays(ds []day) { slices.Sort(ds) }

// appendDate writes d as a bare TOML local date, 2019-09-02.
func appendDate(b []byte, d day) []byte {
	y, m, dd := d.ymd()
	if y < 1000 {
		b = append(b, '0')
	}
	b = strconv.AppendInt(b, int64(y), 10)
	b = append(b, '-')
	b = append2(b, m)
	b = append(b, '-')
	return append2(b, dd)
}

// append2 writes v (0..99) with two digits.
func append2(b []byte, v int) []byte {
	return append(b, byte('0'+v/10), byte('0'+v%10))
}

// appendThousands writes v with comma thousands separators: 500,000.
func appendThousands(b []byte, v int) []byte {
	s := strconv.Itoa(v)
	for i := range len(s) {
		if i > 0 && (len(s)-i)%3 == 0 {
			b = append(b, ',')
		}
		b = append(b, s[i])
	}
	return b
}

func kvStr(b []byte, key, v string) []byte {
	b = append(b, key...)
	b = append(b, " = "...)
	b = appendStr(b, v)
	return append(b, '\n')
}

func kvInt(b []byte, key string, v int) []byte {
	b = append(b, key...)
	b = append(b, " = "...)
	b = strconv.AppendInt(b, int64(v), 10)
	return append(b, '\n')
}

func kvDate(b []byte, key string, d day) []byte {
	b = append(b, key...)
	b = append(b, " = "...)
	b = appendDate(b, d)
	return append(b, '\n')
}

// appendStr writes s as a TOML basic string.
func appendStr(b []byte, s string) []byte {
	b = append(b, '"')
	b = appendEscaped(b, s, false)
	return append(b, '"')
}

// appendMLText writes s escaped for the inside of a TOML multi-line basic
// string ("""…""").
func appendMLText(b []byte, s string) []byte {
	return appendEscaped(b, s, true)
}

func appendEscaped(b []byte, s string, multiline bool) []byte {
	clean := true
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x20 || c == '"' || c == '\\' || c == 0x7f {
			clean = false
			break
		}
	}
	if clean && utf8.ValidString(s) {
		return append(b, s...)
	}
	const hex = "0123456789ABCDEF"
	for i := 0; i < len(s); {
		c := s[i]
		if c >= utf8.RuneSelf {
			r, size := utf8.DecodeRuneInString(s[i:])
			if r == utf8.RuneError && size == 1 {
				b = append(b, "\uFFFD"...)
			} else {
				b = append(b, s[i:i+size]...)
			}
			i += size
			continue
		}
		i++
		switch {
		case c == '"' || c == '\\':
			b = append(b, '\\', c)
		case c == '\n' && multiline:
			b = append(b, c)
		case c == '\n':
			b = append(b, '\\', 'n')
		case c == '\t':
			b = append(b, '\\', 't')
		case c < 0x20 || c == 0x7f:
			b = append(b, '\\', 'u', '0', '0', hex[c>>4], hex[c&15])
		default:
			b = append(b, c)
		}
	}
	return b
}
