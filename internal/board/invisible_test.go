package board

import "testing"

// TestInvisibleFindsEveryNamedCharacter keeps invisible's ranges and the
// table of names in step.
func TestInvisibleFindsEveryNamedCharacter(t *testing.T) {
	for r := range invisibleNames {
		if got, ok := invisible("ab" + string(r) + "c"); !ok || got != r {
			t.Errorf("U+%04X: got U+%04X, %v", r, got, ok)
		}
	}
	for r := rune(0); r < 0x10000; r++ {
		if _, named := invisibleNames[r]; !named {
			if _, ok := invisible(string(r)); ok {
				t.Errorf("U+%04X is found but has no name", r)
			}
		}
	}
}
