// Package poster makes the printed side of the board: the QR code that ties
// a sheet to its online record, and PDFs printed through a locally installed
// Chromium run as an external program. It is the only importer of the QR
// encoder.
package poster

import (
	"fmt"
	"html/template"
	"math/bits"
	"strconv"
	"strings"

	qr "github.com/piglig/go-qr"
)

// QuietZone is the white border around a QR code, in modules (the
// standard asks for 4).
const QuietZone = 4

// QRSVG returns an SVG drawing of a QR code for text with error correction
// M (15% of the code can be damaged or dirty and still read). The drawing
// is one path of unit squares in a viewBox, so it is crisp at any print
// size; width and height are left to CSS. label is the accessible name.
//
// The symbol is the one go-qr's EncodeText makes (same version, ECC level,
// mask and modules), made faster: a text in byte mode (any URL) is encoded
// here straight into bit-packed lines (qrencode.go), other texts by go-qr
// with mask 0; then bestMask scores the eight masks on those lines,
// several times faster than go-qr's own choice (qrmask.go).
func QRSVG(text, label string) (template.HTML, error) {
	g, err := symbol(text)
	if err != nil {
		return "", fmt.Errorf("QR code for %q: %w", text, err)
	}
	t := tablesFor(g.size)
	t.applyMask(g, t.bestMask(g))
	return drawQR(g, label), nil
}

// symbol returns the symbol for text with mask 0: qr.EncodeText is
// MakeSegments, then EncodeSegments over versions 1–40 with mask -1
// (choose) and the ECC level boosted as far as the data allows; only the
// mask is fixed here. A text in byte mode is encoded by encodeBytes, the
// same symbol faster, unless it is too long, when go-qr says why.
func symbol(text string) (*qrGrid, error) {
	if isByteMode(text) {
		if g, ok, err := encodeBytes(text); ok || err != nil {
			return g, err
		}
	}
	segs, err := qr.MakeSegments(text)
	if err != nil {
		return nil, err
	}
	code, err := qr.EncodeSegments(segs, qr.Medium, qr.MinVersion, qr.MaxVersion, 0, true)
	if err != nil {
		return nil, err
	}
	return loadQR(code), nil
}

// drawQR draws the symbol g holds: each run of dark modules on a row is one
// rectangle "M x yhNv1h-Nz", x and y counted from the quiet zone's corner.
func drawQR(g *qrGrid, label string) template.HTML {
	const (
		head  = `<svg xmlns="http://www.w3.org/2000/svg" class="qr" role="img" viewBox="0 0 `
		title = `" shape-rendering="crispEdges"><title>`
		path  = `</title><rect width="100%" height="100%" fill="#fff"/><path fill="#000" d="`
		tail  = `"/></svg>`
	)
	n, w := g.size, g.words
	full := int64(n + 2*QuietZone)
	runs := 0
	for _, v := range g.rows {
		runs += bits.OnesCount64(v &^ (v << 1)) // may count a run that goes on from the word before twice
	}
	label = template.HTMLEscapeString(label)
	var b strings.Builder
	b.Grow(len(head) + 7 + len(title) + len(label) + len(path) + runs*maxRect + len(tail))
	b.WriteString(head)
	var buf [(qr.MaxVersion*4+17+1)/2*maxRect + 2]byte // a row's rectangles
	b.Write(strconv.AppendInt(append(strconv.AppendInt(buf[:0], full, 10), ' '), full, 10))
	b.WriteString(title)
	b.WriteString(label)
	b.WriteString(path)
	end := n + linePad
	for y := 0; y < n; y++ {
		i := 0
		if w == 1 {
			// Bits past the last module are zero, so every run ends in the word.
			v := g.rows[y] >> linePad
			for x := 0; v != 0; {
				skip := bits.TrailingZeros64(v)
				v >>= skip
				run := bits.TrailingZeros64(^v)
				v >>= run
				i = putRect(buf[:], i, x+skip, y, run)
				x += skip + run
			}
		} else {
			row := g.rows[y*w : (y+1)*w]
			for p := linePad; ; {
				p = nextBit(row, p, end, 0)
				if p == end {
					break
				}
				q := nextBit(row, p, end, ^uint64(0))
				i = putRect(buf[:], i, p-linePad, y, q-p)
				p = q
			}
		}
		b.Write(buf[:i])
	}
	b.WriteString(tail)
	return template.HTML(b.String())
}

// maxRect is the length of the longest rectangle: "M" 3 digits " " 3 digits
// "h" 3 digits "v1h-" 3 digits "z".
const maxRect = 19

// putRect writes at b[i:] the rectangle of the run of dark modules from
// module (x, y) rightwards, and returns the index after it.
func putRect(b []byte, i, x, y, run int) int {
	b[i] = 'M'
	i = putInt(b, i+1, x+QuietZone)
	b[i] = ' '
	i = putInt(b, i+1, y+QuietZone)
	b[i] = 'h'
	i = putInt(b, i+1, run)
	b[i], b[i+1], b[i+2], b[i+3] = 'v', '1', 'h', '-'
	i = putInt(b, i+4, run)
	b[i] = 'z'
	return i + 1
}

// putInt writes v in decimal at b[i:] and returns the index after it. It
// writes three bytes whatever the length of v, so b must have room for them.
// v is a module coordinate or run length; a QR code has at most 177 modules
// a side.
func putInt(b []byte, i, v int) int {
	d := &decimals[v]
	b[i], b[i+1], b[i+2] = d[0], d[1], d[2]
	return i + int(d[3])
}

// decimals[v] is v in decimal, then the number of its digits in byte 3.
var decimals = func() (t [256][4]byte) {
	for v := range t {
		s := strconv.Itoa(v)
		copy(t[v][:3], s)
		t[v][3] = byte(len(s))
	}
	return t
}()

// nextBit returns the first bit position from p up to end whose bit in line
// differs from flip's (so flip 0 finds a dark module, flip ^0 a light one),
// or end.
func nextBit(line []uint64, p, end int, flip uint64) int {
	for p < end {
		v := (line[p>>6] ^ flip) >> (p & 63)
		if v != 0 {
			return min(p+bits.TrailingZeros64(v), end)
		}
		p = (p | 63) + 1
	}
	return end
}
