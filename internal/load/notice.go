package load

import "github.com/glassboard/glassboard/internal/board"

// noticeFile is a notice as written on disk: its candidates may carry a
// private table. The table is decoded only so that strict key checking
// accepts it; notice() drops it, so the domain never holds private data.
type noticeFile struct {
	board.Notice
	Candidates []candidateFile `toml:"candidates"`
}

type candidateFile struct {
	board.Candidate
	Private map[string]any `toml:"private"`
}

func (n *noticeFile) notice() *board.Notice {
	out := n.Notice
	out.Candidates = make([]board.Candidate, len(n.Candidates))
	for i, c := range n.Candidates {
		out.Candidates[i] = c.Candidate
	}
	return &out
}
