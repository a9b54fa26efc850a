package board

import (
	"strings"
	"testing"
)

// TestCycleThroughDuplicate: two commitment files with the same id (in
// two folders) where one of them is on a parent cycle and the other has an
// unknown parent. The cycle is named from the commitment on it; it used to
// be walked from the other one, into the unknown parent, and panic.
func TestCycleThroughDuplicate(t *testing.T) {
	b := testBoard()
	b.Commitments = []*Commitment{
		{ID: "x", File: "content/commitments/a/x.toml", Parent: "y"},
		{ID: "y", File: "content/commitments/y.toml", Parent: "x"},
		{ID: "x", File: "content/commitments/b/x.toml", Parent: "gone"},
	}
	var cycle []string
	for _, p := range b.Check() {
		if strings.Contains(p.Message, "cycle") {
			cycle = append(cycle, p.File+": "+p.Message)
		}
	}
	want := []string{`content/commitments/a/x.toml: parent "y" makes a cycle: x → y → x`}
	if strings.Join(cycle, "\n") != strings.Join(want, "\n") {
		t.Errorf("cycles reported:\n%s\nwant:\n%s", strings.Join(cycle, "\n"), strings.Join(want, "\n"))
	}
}
