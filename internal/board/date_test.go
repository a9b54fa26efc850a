package board

import (
	"testing"
	"time"
)

// byTime is NewDate as time.Date makes it.
func byTime(y int, m time.Month, d int) Date {
	return Date{n: int32(time.Date(y, m, d, 0, 0, 0, 0, time.UTC).Unix()/86400) + dateBias}
}

// TestNewDateEqualsTime: NewDate counts days as time.Date does, for every
// day of the years around the Gregorian reform and of today's, for years
// spread over 0000–9999, and for days and months out of range (which
// time.Date normalises).
func TestNewDateEqualsTime(t *testing.T) {
	var years []int
	for y := 1580; y <= 2450; y++ {
		years = append(years, y)
	}
	for y := 0; y <= 9999; y += 37 {
		years = append(years, y)
	}
	years = append(years, 0, 1, 4, 99, 100, 400, 1970, 2000, 2100, 9999)
	for _, y := range years {
		for m := time.January; m <= time.December; m++ {
			n := time.Date(y, m+1, 0, 0, 0, 0, 0, time.UTC).Day()
			if got := DaysIn(m, y); got != n {
				t.Fatalf("DaysIn(%v, %d) = %d, want %d", m, y, got, n)
			}
			for d := 1; d <= n; d++ {
				if got, want := NewDate(y, m, d), byTime(y, m, d); got != want {
					t.Fatalf("NewDate(%d, %v, %d) = %v, want %v", y, m, d, got, want)
				}
			}
		}
	}
	for _, c := range []struct {
		y int
		m time.Month
		d int
	}{
		{2023, 2, 29}, {2024, 2, 30}, {2024, 13, 1}, {2024, 0, 1}, {2024, 1, 0}, {2024, 12, 32},
		{2024, -5, 10}, {2024, 3, -40}, {-1, 6, 15}, {-400, 2, 29}, {10000, 1, 1}, {1969, 12, 31},
	} {
		if got, want := NewDate(c.y, c.m, c.d), byTime(c.y, c.m, c.d); got != want {
			t.Errorf("NewDate(%d, %v, %d) = %v, want %v", c.y, c.m, c.d, got, want)
		}
	}
}
