package poster

import (
	"math/bits"
	"sync"

	qr "github.com/piglig/go-qr"
)

// Encoding byte-mode texts, done here rather than in go-qr.
//
// Every poster's QR code holds a URL: lower-case letters, so byte mode.
// go-qr builds each symbol on [][]bool grids through a bit buffer of one
// bool a bit, and loadQR then read it back module by module into a qrGrid;
// together that was about two thirds of QRSVG's time (some 28 µs of 42 µs
// per poster, 0.3 s of CPU on a 10,000-record board). encodeBytes makes the
// same symbol straight into a qrGrid: the data codewords, Reed–Solomon
// error correction and interleaving as go-qr does them, then one flip per
// dark data bit on a grid copied from a template of the version.
//
// The template's function patterns (finders, timing, alignment patterns,
// format information, the dark module, version information) are go-qr's
// own: they are read once per version and ECC level from a symbol go-qr
// makes with no data. TestEncodeBytesMatchesGoQR compares the grids
// module for module with go-qr's at every version and ECC level the
// encoder can choose; texts that are not in byte mode (digits only,
// upper-case alphanumerics, empty) still go through go-qr.

// eccLevels are the levels EncodeSegments may choose starting from
// Medium with boostEcl, in the order it tries them.
var eccLevels = [3]qr.Ecc{qr.Medium, qr.Quartile, qr.High}

// eccPerBlock and eccBlocks are ISO/IEC 18004's table 9 (as go-qr has it)
// for Medium, Quartile and High: error correction codewords per block, and
// the number of blocks, by version (index 0 unused).
var eccPerBlock = [3][qr.MaxVersion + 1]uint8{
	{0, 10, 16, 26, 18, 24, 16, 18, 22, 22, 26, 30, 22, 22, 24, 24, 28, 28, 26, 26, 26, 26, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28},
	{0, 13, 22, 18, 26, 18, 24, 18, 22, 20, 24, 28, 26, 24, 20, 30, 24, 28, 28, 26, 30, 28, 30, 30, 30, 30, 28, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30},
	{0, 17, 28, 22, 16, 22, 28, 26, 26, 24, 28, 24, 28, 22, 24, 24, 30, 28, 28, 26, 28, 30, 24, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30},
}

var eccBlocks = [3][qr.MaxVersion + 1]uint8{
	{0, 1, 1, 1, 2, 2, 4, 4, 4, 5, 5, 5, 8, 9, 9, 10, 10, 11, 13, 14, 16, 17, 17, 18, 20, 21, 23, 25, 26, 28, 29, 31, 33, 35, 37, 38, 40, 43, 45, 47, 49},
	{0, 1, 1, 2, 2, 4, 4, 6, 6, 8, 8, 8, 10, 12, 16, 12, 17, 16, 18, 21, 20, 23, 23, 25, 27, 29, 34, 34, 35, 38, 40, 43, 45, 48, 51, 53, 56, 59, 62, 65, 68},
	{0, 1, 1, 2, 4, 4, 4, 5, 6, 8, 8, 11, 11, 16, 16, 18, 16, 19, 21, 25, 25, 25, 34, 30, 32, 35, 37, 40, 42, 45, 48, 51, 54, 57, 60, 63, 66, 70, 74, 77, 81},
}

// rawModules[v] is the number of data modules of version v: the modules
// that are not function modules, which hold the codewords (then up to 7
// remainder bits).
var rawModules = func() (n [qr.MaxVersion + 1]int) {
	for v := 1; v <= qr.MaxVersion; v++ {
		n[v] = (16*v+128)*v + 64
		if v >= 2 {
			a := v/7 + 2
			n[v] -= (25*a-10)*a - 55
			if v >= 7 {
				n[v] -= 36
			}
		}
	}
	return n
}()

// dataCodewords is the number of data codewords of version v at level l
// (an index into eccLevels).
func dataCodewords(v, l int) int {
	return rawModules[v]/8 - int(eccPerBlock[l][v])*int(eccBlocks[l][v])
}

// isByteMode reports whether go-qr's MakeSegments puts text in one
// byte-mode segment: it is not empty, and not all digits or all of the
// alphanumeric mode's characters (0–9, A–Z, space and $%*+-./:).
func isByteMode(text string) bool {
	for i := 0; i < len(text); i++ {
		c := text[i]
		if !('0' <= c && c <= '9' || 'A' <= c && c <= 'Z' || c == ' ' || c == '$' || c == '%' ||
			c == '*' || c == '+' || c == '-' || c == '.' || c == '/' || c == ':') {
			return true
		}
	}
	return false
}

// versionTemplate is what encodeBytes needs of one version, made once.
type versionTemplate struct {
	// base[l] is the symbol at level eccLevels[l] with mask 0 and every data
	// bit 0: go-qr's function patterns, and the data modules as mask 0
	// leaves them (dark where x+y is even).
	base [3]qrGrid
	// order holds the data modules in go-qr's placement order (the
	// two-column zigzag from the bottom-right corner), as x<<8 | y.
	order []uint16
}

var versionTemplates [qr.MaxVersion + 1]struct {
	once sync.Once
	t    *versionTemplate
	err  error
}

// templateFor returns the template of version v.
func templateFor(v int) (*versionTemplate, error) {
	c := &versionTemplates[v]
	c.once.Do(func() { c.t, c.err = newVersionTemplate(v) })
	return c.t, c.err
}

func newVersionTemplate(v int) (*versionTemplate, error) {
	size := v*4 + 17
	fn := functionModules(v)
	t := &versionTemplate{order: make([]uint16, 0, rawModules[v])}
	for right := size - 1; right >= 1; right -= 2 {
		if right == 6 {
			right = 5
		}
		upward := (right+1)&2 == 0
		for vert := 0; vert < size; vert++ {
			y := vert
			if upward {
				y = size - 1 - vert
			}
			for x := right; x >= right-1; x-- {
				if !fn[y][x] {
					t.order = append(t.order, uint16(x<<8|y))
				}
			}
		}
	}
	for l, ecl := range eccLevels {
		code, err := qr.EncodeSegments([]*qr.QrSegment{}, ecl, v, v, 0, false)
		if err != nil {
			return nil, err
		}
		g := newGrid(size)
		for y := 0; y < size; y++ {
			for x := 0; x < size; x++ {
				if fn[y][x] && code.Module(x, y) || !fn[y][x] && (x+y)%2 == 0 {
					g.setModule(x, y)
				}
			}
		}
		t.base[l] = *g
	}
	return t, nil
}

// byteVersion returns the version and ECC level (an index into eccLevels)
// go-qr's EncodeSegments chooses for n bytes in byte mode: the smallest
// version that holds them at Medium, then the level boosted as far as they
// still fit. ok is false when they do not fit in version 40.
func byteVersion(n int) (v, l int, ok bool) {
	// 4 bits of mode, the count in 8 bits up to version 9 and 16 from
	// version 10, the bytes. (go-qr also refuses a count too big for its
	// bits; byte counts reach 256 only from version 10.)
	used := 0
	for v = 1; ; v++ {
		count := 8
		if v >= 10 {
			count = 16
		}
		used = 4 + count + 8*n
		if used <= dataCodewords(v, 0)*8 {
			break
		}
		if v == qr.MaxVersion {
			return 0, 0, false
		}
	}
	for l < 2 && used <= dataCodewords(v, l+1)*8 {
		l++
	}
	return v, l, true
}

// encodeBytes returns the symbol go-qr's EncodeSegments(MakeSegments(text),
// Medium, MinVersion, MaxVersion, 0, true) makes for a text in byte mode
// (isByteMode), as a grid: mask 0, ECC level boosted as far as the data
// allows. ok is false when the text does not fit in version 40 (go-qr
// then says why).
func encodeBytes(text string) (g *qrGrid, ok bool, err error) {
	n := len(text)
	v, l, ok := byteVersion(n)
	if !ok {
		return nil, false, nil
	}
	t, err := templateFor(v)
	if err != nil {
		return nil, false, err
	}

	// Data codewords: mode 0100, count, the bytes, a terminator of up to
	// four zero bits, zeros to the byte boundary, then 0xEC 0x11 alternately.
	ndata := dataCodewords(v, l)
	blocks, ecc := int(eccBlocks[l][v]), int(eccPerBlock[l][v])
	raw := rawModules[v] / 8
	buf := make([]byte, ndata+raw)
	data, out := buf[:ndata], buf[ndata:]
	var i int
	if v < 10 {
		data[0] = 0x40 | byte(n>>4)
		i = 1
	} else {
		data[0] = 0x40 | byte(n>>12)
		data[1] = byte(n >> 4)
		i = 2
	}
	carry := byte(n << 4)
	for k := 0; k < n; k++ {
		c := text[k]
		data[i] = carry | c>>4
		carry = c << 4
		i++
	}
	// Header and text take 4 bits more than whole bytes (used is 4 mod 8)
	// and fit in ndata bytes, so there is room for the terminator's four
	// zero bits after the last nibble, which ends the byte.
	data[i] = carry
	i++
	for pad := byte(0xEC); i < ndata; pad ^= 0xEC ^ 0x11 {
		data[i] = pad
		i++
	}

	// Error correction per block, interleaved: the blocks' first bytes,
	// then their second, and so on; the short blocks have one data byte
	// less, then the error correction codewords of all blocks.
	short := blocks - raw%blocks
	shortLen := raw/blocks - ecc // data bytes of a short block
	div := rsDivisors[ecc]
	var rem [30]byte
	for b, k := 0, 0; b < blocks; b++ {
		dlen := shortLen
		if b >= short {
			dlen++
		}
		block := data[k : k+dlen]
		k += dlen
		for j, c := range block {
			// byte j of block b: after j rounds of all blocks, short ones
			// skipping their missing last byte
			pos := j*blocks + b
			if j == shortLen {
				pos = shortLen*blocks + b - short
			}
			out[pos] = c
		}
		rsRemainder(block, div, rem[:ecc])
		for j, c := range rem[:ecc] {
			out[ndata+j*blocks+b] = c
		}
	}

	// Place the bits: a dark bit flips its module of the template.
	g = newGrid(v*4 + 17)
	base := &t.base[l]
	copy(g.rows, base.rows)
	copy(g.cols, base.cols)
	w := g.words
	for k, c := range out {
		for c != 0 {
			j := 8 - bits.Len8(c) // the highest dark bit, 0 for 0x80
			c &^= 0x80 >> j
			p := t.order[k*8+j]
			x, y := int(p>>8), int(p&0xff)
			px, py := x+linePad, y+linePad
			g.rows[y*w+px>>6] ^= 1 << (px & 63)
			g.cols[x*w+py>>6] ^= 1 << (py & 63)
		}
	}
	return g, true, nil
}

// Reed–Solomon over GF(256) with the QR code's polynomial 0x11D.
var gfExp, gfLog = func() (exp [512]byte, log [256]byte) {
	x := 1
	for i := 0; i < 255; i++ {
		exp[i] = byte(x)
		log[x] = byte(i)
		x <<= 1
		if x&0x100 != 0 {
			x ^= 0x11D
		}
	}
	for i := 255; i < 512; i++ {
		exp[i] = exp[i-255]
	}
	return exp, log
}()

// rsDivisors[d] is the generator polynomial of degree d, highest term
// (always 1) dropped, as the logarithms of its coefficients (none is zero).
var rsDivisors = func() (divs [31][]byte) {
	for d := 1; d <= 30; d++ {
		// (x - 2^0)(x - 2^1)…(x - 2^(d-1)), as Nayuki's reference does it.
		poly := make([]byte, d)
		poly[d-1] = 1
		root := byte(1)
		for i := 0; i < d; i++ {
			for j := range poly {
				poly[j] = gfMul(poly[j], root)
				if j+1 < d {
					poly[j] ^= poly[j+1]
				}
			}
			root = gfMul(root, 2)
		}
		logs := make([]byte, d)
		for j, c := range poly {
			logs[j] = gfLog[c]
		}
		divs[d] = logs
	}
	return divs
}()

func gfMul(a, b byte) byte {
	if a == 0 || b == 0 {
		return 0
	}
	return gfExp[int(gfLog[a])+int(gfLog[b])]
}

// rsRemainder writes into rem (of the divisor's length) the remainder of
// data times x^len(rem) divided by the generator whose coefficients' logs
// are div: the error correction codewords of a block.
func rsRemainder(data, div, rem []byte) {
	clear(rem)
	last := len(rem) - 1
	for _, b := range data {
		f := b ^ rem[0]
		copy(rem, rem[1:])
		rem[last] = 0
		if f == 0 {
			continue
		}
		lf := int(gfLog[f])
		for j, lc := range div {
			rem[j] ^= gfExp[int(lc)+lf]
		}
	}
}
