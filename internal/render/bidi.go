package render

import (
	"bytes"
	"fmt"
	"io"
	"unicode/utf8"

	"github.com/glassboard/glassboard/internal/board"
)

// ShowBidi returns p with every direction control (embedding, override,
// isolate: U+202A–U+202E, U+2066–U+2069) replaced by its visible name,
// "[U+202E]": a name on the board is shown as written, never reordered by
// an invisible character (check warns about them). It returns p itself
// when there is none.
func ShowBidi(p []byte) []byte {
	// All of them are three bytes long and start with 0xE2.
	i := bytes.IndexByte(p, 0xE2)
	if i < 0 {
		return p
	}
	var out []byte
	last := 0
	for ; i >= 0 && i < len(p); i = nextE2(p, i+1) {
		r, size := utf8.DecodeRune(p[i:])
		if !board.IsBidiControl(r) {
			continue
		}
		if out == nil {
			out = make([]byte, 0, len(p)+16)
		}
		out = append(out, p[last:i]...)
		out = fmt.Appendf(out, "[U+%04X]", r)
		last = i + size
	}
	if out == nil {
		return p
	}
	return append(out, p[last:]...)
}

func nextE2(p []byte, from int) int {
	if from >= len(p) {
		return -1
	}
	j := bytes.IndexByte(p[from:], 0xE2)
	if j < 0 {
		return -1
	}
	return from + j
}

// bidiWriter passes what the templates write through ShowBidi. Templates
// write each piece of text whole, so a character is never split between
// two writes.
type bidiWriter struct{ w io.Writer }

func (b bidiWriter) Write(p []byte) (int, error) {
	if _, err := b.w.Write(ShowBidi(p)); err != nil {
		return 0, err
	}
	return len(p), nil
}
