package board

import "time"

// Calendar knows which days are working days: Monday to Friday, minus the
// board's holidays, plus its extra workdays.
type Calendar struct {
	holidays map[Date]bool
	workdays map[Date]bool
}

// Calendar returns the board's working-day calendar.
func (c *Config) Calendar() Calendar {
	cal := Calendar{holidays: map[Date]bool{}, workdays: map[Date]bool{}}
	for _, d := range c.Notices.Holidays {
		cal.holidays[d] = true
	}
	for _, d := range c.Notices.Workdays {
		cal.workdays[d] = true
	}
	return cal
}

// IsWorkday reports whether d is a working day.
func (c Calendar) IsWorkday(d Date) bool {
	if c.workdays[d] {
		return true
	}
	if c.holidays[d] {
		return false
	}
	w := d.Weekday()
	return w != time.Saturday && w != time.Sunday
}

// WorkingDays counts the working days from one date to another, both included.
func (c Calendar) WorkingDays(from, to Date) int {
	n := 0
	for d := from; !d.After(to); d = d.AddDays(1) {
		if c.IsWorkday(d) {
			n++
		}
	}
	return n
}
