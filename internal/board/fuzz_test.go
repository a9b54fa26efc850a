package board

import (
	"testing"
	"unicode/utf8"
)

// FuzzValidID checks ValidID against the rule as SPEC §1 states it,
// written out by hand: ^[a-z0-9][a-z0-9-]{0,79}$. Never a panic, and no
// id that is not plain lowercase ASCII passes (a name that looks the same
// as another, or that differs only in case, cannot be an id).
func FuzzValidID(f *testing.F) {
	for _, s := range []string{"", "a", "q3-targets", "-a", "A", "a_b", "公开", "a\u202eb", "a\u200bb", "a\x00",
		"a-", "0", "xinfang-2019", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", "\xff", "a\n"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		want := len(s) >= 1 && len(s) <= 80 && utf8.ValidString(s)
		for i := 0; want && i < len(s); i++ {
			c := s[i]
			want = c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-' && i > 0
		}
		if got := ValidID(s); got != want {
			t.Fatalf("ValidID(%q) = %v, want %v", s, got, want)
		}
	})
}
