package board

import (
	"fmt"
	"unicode/utf8"
)

// Invisible characters in names. A right-to-left override can make
// "Zhang San‮gnp.exe" read differently from what it is, and a zero-width
// space makes two names that look the same differ: both are legal text,
// so they are warnings, not errors. Ids cannot hold them (the id rule
// allows only a-z, 0-9 and -), and the site shows direction controls
// instead of obeying them (see render.ShowBidi).
var invisibleNames = map[rune]string{
	0x061C: "ARABIC LETTER MARK",
	0x200B: "ZERO WIDTH SPACE",
	0x200C: "ZERO WIDTH NON-JOINER",
	0x200D: "ZERO WIDTH JOINER",
	0x200E: "LEFT-TO-RIGHT MARK",
	0x200F: "RIGHT-TO-LEFT MARK",
	0x202A: "LEFT-TO-RIGHT EMBEDDING",
	0x202B: "RIGHT-TO-LEFT EMBEDDING",
	0x202C: "POP DIRECTIONAL FORMATTING",
	0x202D: "LEFT-TO-RIGHT OVERRIDE",
	0x202E: "RIGHT-TO-LEFT OVERRIDE",
	0x2060: "WORD JOINER",
	0x2066: "LEFT-TO-RIGHT ISOLATE",
	0x2067: "RIGHT-TO-LEFT ISOLATE",
	0x2068: "FIRST STRONG ISOLATE",
	0x2069: "POP DIRECTIONAL ISOLATE",
	0xFEFF: "ZERO WIDTH NO-BREAK SPACE",
}

// IsBidiControl reports whether r changes the direction of the text
// around it (an embedding, override or isolate).
func IsBidiControl(r rune) bool {
	return r >= 0x202A && r <= 0x202E || r >= 0x2066 && r <= 0x2069
}

// invisible returns the first invisible character of s. It runs over
// every name of the board on every check, so it looks at bytes first: all
// the characters it looks for are outside ASCII.
func invisible(s string) (rune, bool) {
	for i := 0; i < len(s); {
		if s[i] < utf8.RuneSelf {
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == 0x061C || r >= 0x200B && r <= 0x200F || r >= 0x202A && r <= 0x202E ||
			r == 0x2060 || r >= 0x2066 && r <= 0x2069 || r == 0xFEFF {
			return r, true
		}
		i += size
	}
	return utf8.RuneError, false
}

func (c *checker) warn(file, field, format string, args ...any) {
	c.problems = append(c.problems, Problem{File: file, Field: field, Message: fmt.Sprintf(format, args...), Warning: true})
}

// invisibles warns about invisible characters in the names and titles.
func (c *checker) invisibles() {
	cfg := &c.b.Config
	c.invisible(configFile, "title", cfg.Title)
	c.invisible(configFile, "organization.name", cfg.Organization.Name)
	for i, u := range cfg.Units {
		c.invisibleAt(configFile, "units[%d].name", i, u.Name)
	}
	for _, x := range c.b.Commitments {
		c.own(&c.commitmentMemo(x).invisible, func() {
			c.invisible(x.File, "title", x.Title)
			c.invisible(x.File, "owner", x.Owner)
		})
	}
	for _, n := range c.b.Notices {
		c.own(&c.noticeMemo(n).invisible, func() {
			c.invisible(n.File, "title", n.Title)
			c.invisible(n.File, "issuer", n.Issuer)
			for i, cd := range n.Candidates {
				c.invisibleAt(n.File, "candidates[%d].name", i, cd.Name)
			}
		})
	}
	for _, r := range c.b.Ratings {
		c.own(&c.ratingMemo(r).invisible, func() {
			c.invisible(r.File, "title", r.Title)
			for i, e := range r.Entries {
				c.invisibleAt(r.File, "entries[%d].name", i, e.Name)
			}
		})
	}
	for _, p := range c.b.Pages {
		c.own(&c.pageMemo(p).invisible, func() {
			c.invisible(p.File, "title", p.Title)
		})
	}
}

// invisible warns about an invisible character in a name or title.
func (c *checker) invisible(file, field, value string) {
	r, ok := invisible(value)
	if !ok {
		return
	}
	what := "it is invisible, so two names that look the same can differ"
	if IsBidiControl(r) {
		what = "it changes the direction of the text after it; the site shows it as [U+" + fmt.Sprintf("%04X", r) + "] instead of obeying it"
	}
	c.warn(file, field, "%s %q contains U+%04X %s: %s; remove it unless it is meant", lastKey(field), value, r, invisibleNames[r], what)
}

// invisibleAt is invisible for the i-th of a list of names; it names
// the field only when it has something to say.
func (c *checker) invisibleAt(file, format string, i int, value string) {
	if _, ok := invisible(value); ok {
		c.invisible(file, fmt.Sprintf(format, i), value)
	}
}
