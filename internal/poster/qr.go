// Package poster makes the printed side of the board: the QR code that ties
// a sheet to its online record, and PDFs printed through a locally installed
// Chromium run as an external program. It is the only importer of the QR
// encoder.
package poster

import (
	"fmt"
	"html/template"
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
func QRSVG(text, label string) (template.HTML, error) {
	code, err := qr.EncodeText(text, qr.Medium)
	if err != nil {
		return "", fmt.Errorf("QR code for %q: %w", text, err)
	}
	n := code.Size()
	full := n + 2*QuietZone
	var b strings.Builder
	b.Grow(n * n * 4)
	b.WriteString(`<svg xmlns="http://www.w3.org/2000/svg" class="qr" role="img" viewBox="0 0 `)
	b.WriteString(strconv.Itoa(full) + " " + strconv.Itoa(full))
	b.WriteString(`" shape-rendering="crispEdges"><title>`)
	b.WriteString(template.HTMLEscapeString(label))
	b.WriteString(`</title><rect width="100%" height="100%" fill="#fff"/><path fill="#000" d="`)
	for y := 0; y < n; y++ {
		for x := 0; x < n; x++ {
			if !code.Module(x, y) {
				continue
			}
			// A run of dark modules on a row is one rectangle.
			run := 1
			for x+run < n && code.Module(x+run, y) {
				run++
			}
			b.WriteString("M" + strconv.Itoa(x+QuietZone) + " " + strconv.Itoa(y+QuietZone) + "h" + strconv.Itoa(run) + "v1h-" + strconv.Itoa(run) + "z")
			x += run - 1
		}
	}
	b.WriteString(`"/></svg>`)
	return template.HTML(b.String()), nil
}
