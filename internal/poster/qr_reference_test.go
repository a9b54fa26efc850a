package poster

import (
	"fmt"
	"html/template"
	"math/rand/v2"
	"strconv"
	"strings"
	"testing"

	qr "github.com/piglig/go-qr"
)

// referenceQRSVG is QRSVG as it was before glassboard chose the mask itself:
// go-qr's EncodeText picks the mask, and the drawing concatenates strings.
// The differential test holds the new QRSVG to its output byte for byte.
func referenceQRSVG(text, label string) (template.HTML, error) {
	code, err := qr.EncodeText(text, qr.Medium)
	if err != nil {
		return "", fmt.Errorf("QR code for %q: %w", text, err)
	}
	return referenceDraw(code, label), nil
}

// referenceDraw is the drawing half of referenceQRSVG, unchanged.
func referenceDraw(code *qr.QrCode, label string) template.HTML {
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
	return template.HTML(b.String())
}

// codeMask reads the mask number from the first copy of a symbol's format
// bits (where go-qr's drawFormatBits puts them: bits 0–5 down column 8,
// then (8,7), (8,8), (7,8), then bits 9–14 leftwards along row 8).
func codeMask(code *qr.QrCode) int {
	bits := 0
	set := func(i int, dark bool) {
		if dark {
			bits |= 1 << i
		}
	}
	for i := 0; i <= 5; i++ {
		set(i, code.Module(8, i))
	}
	set(6, code.Module(8, 7))
	set(7, code.Module(8, 8))
	set(8, code.Module(7, 8))
	for i := 9; i < 15; i++ {
		set(i, code.Module(14-i, 8))
	}
	return (bits ^ 0x5412) >> 10 & 7
}

// qrInputs returns varied texts for the differential test: URLs of many
// lengths (byte mode), digits (numeric mode), upper-case alphanumerics,
// CJK text in UTF-8, poster-like URLs, the empty string and a text too long
// for any QR code. Lengths are spread so that versions 1 to about 20 and
// some beyond are chosen.
func qrInputs(n int) []string {
	r := rand.New(rand.NewPCG(2024, 18004))
	const urlChars = "abcdefghijklmnopqrstuvwxyz0123456789-_/.~%"
	const alnum = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:"
	cjk := []rune("承诺事项公告单位发展目标年度季度完成情况说明会议记录意见建议")
	pick := func(set string, k int) string {
		var b strings.Builder
		for range k {
			b.WriteByte(set[r.IntN(len(set))])
		}
		return b.String()
	}
	length := func() int {
		// Mostly the lengths of real poster URLs, with a long tail.
		switch r.IntN(10) {
		case 0, 1, 2, 3, 4:
			return 20 + r.IntN(80)
		case 5, 6, 7:
			return r.IntN(300)
		case 8:
			return 300 + r.IntN(400)
		default:
			return r.IntN(20)
		}
	}
	ins := []string{"", "0", "A", "a", "https://board.example.org/", strings.Repeat("x", 5000)}
	for len(ins) < n {
		switch r.IntN(8) {
		case 0, 1, 2:
			ins = append(ins, "https://board.example.org/"+pick(urlChars, length()))
		case 3:
			ins = append(ins, fmt.Sprintf("https://board.example.org/commitments/c-%06d/?v=%08x", r.IntN(1000000), r.Uint32()))
		case 4:
			ins = append(ins, pick("0123456789", 3*length()))
		case 5:
			ins = append(ins, pick(alnum, 2*length()))
		case 6:
			k := length() / 3
			rs := make([]rune, k)
			for i := range rs {
				rs[i] = cjk[r.IntN(len(cjk))]
			}
			ins = append(ins, string(rs))
		default:
			// A few very long ones reach the large versions.
			if r.IntN(6) == 0 {
				ins = append(ins, pick(urlChars, 500+r.IntN(1800)))
			} else {
				ins = append(ins, "https://board.example.org/"+pick(urlChars, length()))
			}
		}
	}
	return ins
}

// TestQRSVGMatchesGoQR holds QRSVG to go-qr's own choice of mask: for
// thousands of texts its SVG is byte for byte the one drawn from
// qr.EncodeText, and errors are the same. It also checks that the inputs
// made go-qr choose every one of the eight masks and many versions, so the
// mask selection really is compared.
func TestQRSVGMatchesGoQR(t *testing.T) {
	n := 2000
	if testing.Short() {
		n = 400
	}
	labels := []string{"QR code", `<a href="x">&amp;</a>`, ""}
	var masks [8]int
	versions := map[int]int{}
	for i, text := range qrInputs(n) {
		label := labels[i%len(labels)]
		got, gotErr := QRSVG(text, label)
		code, err := qr.EncodeText(text, qr.Medium)
		if err != nil {
			want := fmt.Errorf("QR code for %q: %w", text, err)
			if gotErr == nil || gotErr.Error() != want.Error() {
				t.Errorf("text %d (%d bytes): error %v, want %v", i, len(text), gotErr, want)
			}
			continue
		}
		if gotErr != nil {
			t.Errorf("text %d %q: %v", i, text, gotErr)
			continue
		}
		masks[codeMask(code)]++
		versions[(code.Size()-17)/4]++
		if want := referenceDraw(code, label); got != want {
			t.Errorf("text %d %q (version %d, go-qr mask %d): SVG differs\n got %.300s\nwant %.300s",
				i, text, (code.Size()-17)/4, codeMask(code), got, want)
		}
	}
	t.Logf("masks chosen: %v; versions: %v", masks, versions)
	for m, c := range masks {
		if c == 0 {
			t.Errorf("no input made go-qr choose mask %d", m)
		}
	}
	for v := 1; v <= 15; v++ {
		if versions[v] == 0 {
			t.Errorf("no input gave version %d", v)
		}
	}
	if len(versions) < 25 {
		t.Errorf("only %d versions seen", len(versions))
	}
}

// BenchmarkQRSVG compares QRSVG with the reference (go-qr choosing the mask)
// on a typical poster URL (version 4) and a longer one (version 9).
func BenchmarkQRSVG(b *testing.B) {
	texts := []struct{ name, text string }{
		{"poster", "https://board.example.org/commitments/c-000123/?v=1a2b3c4d"},
		{"long", "https://board.example.org/notices/2019-q3-development-targets-for-the-eastern-districts-and-the-harbour-area/attachments/annual-report-2019.pdf?v=1a2b3c4d"},
	}
	impls := []struct {
		name string
		fn   func(string, string) (template.HTML, error)
	}{{"new", QRSVG}, {"reference", referenceQRSVG}}
	for _, tt := range texts {
		for _, im := range impls {
			b.Run(tt.name+"/"+im.name, func(b *testing.B) {
				for b.Loop() {
					if _, err := im.fn(tt.text, "QR code"); err != nil {
						b.Fatal(err)
					}
				}
			})
		}
	}
}
