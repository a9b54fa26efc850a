package render

import "github.com/glassboard/glassboard/internal/board"

// The filters below were how Jobs made its lists before it sorted them in
// one pass (sortLists); the tests keep them as the reference the one-pass
// lists must equal.

// byUnitAndStatus orders commitments as the lists show them: by unit in
// board.toml order, then by status in display order, keeping the order of
// each unit's own list within.
func byUnitAndStatus(units []*board.UnitView) []*board.CommitmentView {
	var out []*board.CommitmentView
	for _, u := range units {
		out = append(out, byStatus(u.Commitments)...)
	}
	return out
}

// withStatus keeps the commitments of one status, in order.
func withStatus(cs []*board.CommitmentView, st board.Status) []*board.CommitmentView {
	var out []*board.CommitmentView
	for _, c := range cs {
		if c.Status == st {
			out = append(out, c)
		}
	}
	return out
}

// countGroups counts commitments by unit and status.
func countGroups(cs []*board.CommitmentView) groupTotals {
	t := groupTotals{units: map[string]*unitTotals{}}
	var u *unitTotals
	last := ""
	for _, c := range cs {
		if u == nil || c.Commitment.Unit != last {
			last = c.Commitment.Unit
			if u = t.units[last]; u == nil {
				u = &unitTotals{}
				t.units[last] = u
			}
		}
		u.n++
		if i := statusIndex(c.Status); i >= 0 {
			u.status[i]++
		} else {
			if u.other == nil {
				u.other = map[board.Status]int{}
			}
			u.other[c.Status]++
		}
	}
	return t
}

// summarize counts a list by status, overdue and quiet.
func summarize(cs []*board.CommitmentView) *Summary {
	s := &Summary{Statuses: statusCounts(cs)}
	for _, c := range cs {
		if c.Overdue {
			s.Overdue++
		}
		if c.NoNews {
			s.NoNews++
		}
	}
	return s
}
