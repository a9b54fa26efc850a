package board

import (
	"fmt"
	"strconv"
	"time"
)

// Date is a calendar day without a time or zone, like a TOML local date.
// The zero value means "no date".
type Date struct {
	n int32 // days since 1970-01-01 plus dateBias; 0 means unset
}

const dateBias = 1 << 24

// NewDate returns the date y-m-d. Out-of-range days and months are normalised
// as time.Date does.
func NewDate(y int, m time.Month, d int) Date {
	if 0 <= y && y <= 9999 && m >= time.January && m <= time.December && d >= 1 && d <= DaysIn(m, y) {
		return Date{n: int32(daysFromCivil(y, int(m), d)) + dateBias}
	}
	t := time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
	return Date{n: int32(t.Unix()/86400) + dateBias}
}

// DaysIn returns the number of days of month m (1 to 12) of year y in the
// Gregorian calendar, as time.Date counts them.
func DaysIn(m time.Month, y int) int {
	if m == time.February {
		if y%4 == 0 && (y%100 != 0 || y%400 == 0) {
			return 29
		}
		return 28
	}
	return int(daysBefore[m] - daysBefore[m-1])
}

// daysBefore[m] is the number of days before month m+1 in a common year.
var daysBefore = [...]int32{0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334, 365}

// daysFromCivil returns the days from 1970-01-01 to the valid date y-m-d
// (H. Hinnant's days_from_civil): the loader makes a date of every date in
// every record, and time.Date took a good part of decoding them.
func daysFromCivil(y, m, d int) int {
	if m <= 2 {
		y--
	}
	era := y / 400
	if y < 0 {
		era = (y - 399) / 400
	}
	yoe := y - era*400 // [0, 399]
	mp := m + 9        // March is 0
	if m > 2 {
		mp = m - 3
	}
	doy := (153*mp+2)/5 + d - 1
	doe := yoe*365 + yoe/4 - yoe/100 + doy // [0, 146096]
	return era*146097 + doe - 719468
}

// DateOf returns the calendar day of t in t's own location.
func DateOf(t time.Time) Date {
	y, m, d := t.Date()
	return NewDate(y, m, d)
}

// ParseDate parses a date written as 2006-01-02.
func ParseDate(s string) (Date, error) {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		return Date{}, fmt.Errorf("invalid date %q (want YYYY-MM-DD, like 2019-09-02)", s)
	}
	return DateOf(t), nil
}

// IsZero reports whether d is unset.
func (d Date) IsZero() bool { return d.n == 0 }

// Time returns midnight UTC of d.
func (d Date) Time() time.Time {
	return time.Unix(int64(d.n-dateBias)*86400, 0).UTC()
}

// Year, Month and Day return the parts of d.
func (d Date) Year() int         { return d.Time().Year() }
func (d Date) Month() time.Month { return d.Time().Month() }
func (d Date) Day() int          { return d.Time().Day() }
func (d Date) Weekday() time.Weekday {
	// 1970-01-01 was a Thursday.
	w := (int(d.n-dateBias)%7 + 7 + int(time.Thursday)) % 7
	return time.Weekday(w)
}

// AddDays returns d moved by n days.
func (d Date) AddDays(n int) Date { return Date{n: d.n + int32(n)} }

// Sub returns the number of days from e to d (d - e).
func (d Date) Sub(e Date) int { return int(d.n - e.n) }

// Before, After and Equal compare two dates.
func (d Date) Before(e Date) bool { return d.n < e.n }
func (d Date) After(e Date) bool  { return d.n > e.n }
func (d Date) Equal(e Date) bool  { return d.n == e.n }

// Compare returns -1, 0 or +1.
func (d Date) Compare(e Date) int {
	switch {
	case d.n < e.n:
		return -1
	case d.n > e.n:
		return 1
	}
	return 0
}

// String formats d as 2006-01-02, or "" when unset.
func (d Date) String() string {
	if d.IsZero() {
		return ""
	}
	t := d.Time()
	y, m, dd := t.Date()
	b := make([]byte, 0, 10)
	b = appendPad(b, y, 4)
	b = append(b, '-')
	b = appendPad(b, int(m), 2)
	b = append(b, '-')
	b = appendPad(b, dd, 2)
	return string(b)
}

func appendPad(b []byte, v, width int) []byte {
	s := strconv.Itoa(v)
	for i := len(s); i < width; i++ {
		b = append(b, '0')
	}
	return append(b, s...)
}

// MarshalText writes d as 2006-01-02.
func (d Date) MarshalText() ([]byte, error) { return []byte(d.String()), nil }

// UnmarshalTOML accepts only a TOML local date (2019-09-02). The TOML
// decoder hands local dates over as a time.Time in a zone named
// "date-local"; strings, datetimes and times are refused with a hint.
func (d *Date) UnmarshalTOML(v any) error {
	switch v := v.(type) {
	case time.Time:
		if v.Location().String() != "date-local" {
			return fmt.Errorf("want a date without a time, like 2019-09-02")
		}
		*d = DateOf(v)
		return nil
	case string:
		if _, err := ParseDate(v); err == nil {
			return fmt.Errorf("write the date without quotes: %s", v)
		}
		return fmt.Errorf("want a date like 2019-09-02, not the text %q", v)
	}
	return fmt.Errorf("want a date like 2019-09-02, not %v", v)
}

// Born is a year of birth, optionally with its month. A full date is refused:
// the board publishes no more than it needs.
type Born struct {
	Year  int
	Month int // 0 when only the year is known
}

// IsZero reports whether b is unset.
func (b Born) IsZero() bool { return b.Year == 0 }

// String formats b as 1996 or 1996-04.
func (b Born) String() string {
	if b.IsZero() {
		return ""
	}
	if b.Month == 0 {
		return strconv.Itoa(b.Year)
	}
	return fmt.Sprintf("%04d-%02d", b.Year, b.Month)
}

// MarshalText writes b as String does.
func (b Born) MarshalText() ([]byte, error) { return []byte(b.String()), nil }

// UnmarshalTOML accepts a year (1996) or a year and month ("1996-04").
func (b *Born) UnmarshalTOML(v any) error {
	const want = `want a year (1996) or a year and month ("1996-04")`
	switch v := v.(type) {
	case int64:
		if v < 1900 || v > 2200 {
			return fmt.Errorf("born year %d is out of range; %s", v, want)
		}
		*b = Born{Year: int(v)}
		return nil
	case string:
		t, err := time.Parse("2006-01", v)
		if err != nil || t.Year() < 1900 {
			return fmt.Errorf("invalid born %q; %s", v, want)
		}
		*b = Born{Year: t.Year(), Month: int(t.Month())}
		return nil
	case time.Time:
		return fmt.Errorf("born must not be a full date; %s", want)
	}
	return fmt.Errorf("invalid born %v; %s", v, want)
}
