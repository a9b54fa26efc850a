package sample_test

import (
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/glassboard/glassboard/internal/board"
	"github.com/glassboard/glassboard/internal/load"
	"github.com/glassboard/glassboard/internal/sample"
)

// TestLoadsWithoutErrors runs a sample through the project's real loader and
// rule checker, then derives the states on the anchor date.
func TestLoadsWithoutErrors(t *testing.T) {
	asOf := time.Date(2026, 11, 27, 0, 0, 0, 0, time.UTC)
	dir := filepath.Join(t.TempDir(), "board")
	const n = 200
	if err := sample.Write(dir, n, asOf); err != nil {
		t.Fatal(err)
	}
	b, diags, err := load.Load(os.DirFS(dir))
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range diags {
		t.Errorf("%s", d)
	}
	nc, nn, nr := sample.Counts(n)
	if len(b.Commitments) != nc || len(b.Notices) != nn || len(b.Ratings) != nr || len(b.Pages) != 1 {
		t.Fatalf("loaded %d commitments, %d notices, %d ratings, %d pages; want %d, %d, %d, 1",
			len(b.Commitments), len(b.Notices), len(b.Ratings), len(b.Pages), nc, nn, nr)
	}
	s := b.At(board.DateOf(asOf))
	states := map[board.NoticeState]int{}
	for _, nv := range s.Notices {
		states[nv.State]++
	}
	for _, st := range []board.NoticeState{board.Open, board.Upcoming, board.Closed, board.Redacted} {
		if states[st] == 0 {
			t.Errorf("no %s notice on %s: %v", st, asOf.Format(time.DateOnly), states)
		}
	}
	overdue := 0
	for _, c := range s.Commitments {
		if c.Overdue {
			overdue++
		}
	}
	if overdue == 0 {
		t.Error("no overdue commitment")
	}
}
