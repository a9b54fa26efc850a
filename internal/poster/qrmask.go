package poster

import (
	"math"
	"math/bits"
	"sync"

	qr "github.com/piglig/go-qr"
)

// Mask selection, done here rather than in go-qr.
//
// go-qr's EncodeText chooses the mask by scoring the symbol under each of
// the eight masks with the four penalty rules of ISO/IEC 18004 (section
// 7.8.3), walking [][]bool grids module by module. On a full render of a
// 10,000-record board that was about 18% of all rendering CPU, some 360 µs
// per poster, nearly all of it in go-qr's getPenaltyScore. So QRSVG asks
// go-qr for the symbol with mask 0 and scores the masks itself on rows and
// columns packed into 64-bit words (one word a line up to version 9, which
// has a faster path), then turns the symbol into the one with the best
// mask. The rules, their weights and the choice (lowest penalty,
// ties to the lower mask number) are go-qr's exactly, so the result is the
// symbol qr.EncodeText returns, module for module; TestQRSVGMatchesGoQR
// checks that over thousands of texts.

// A qrGrid is a symbol packed into bits, once by rows and once by columns.
// Line i (row i, or column i) takes words [i*words, (i+1)*words); module k
// of a line is bit (k+linePad)%64 of word (k+linePad)/64. The linePad bits
// before the first module and all bits after the last are zero: light, like
// the quiet zone, which is how go-qr counts the border in rule 3.
type qrGrid struct {
	size, words int
	rows, cols  []uint64
}

const linePad = 8

func lineWords(size int) int { return (size + linePad + 63) / 64 }

// newGrid returns an all-light grid of size modules a side.
func newGrid(size int) *qrGrid {
	w := lineWords(size)
	buf := make([]uint64, 2*size*w)
	return &qrGrid{size: size, words: w, rows: buf[:size*w], cols: buf[size*w:]}
}

// setModule makes module (x, y) dark.
func (g *qrGrid) setModule(x, y int) {
	px, py := x+linePad, y+linePad
	g.rows[y*g.words+px>>6] |= 1 << (px & 63)
	g.cols[x*g.words+py>>6] |= 1 << (py & 63)
}

// loadQR copies the modules of code into a new grid.
func loadQR(code *qr.QrCode) *qrGrid {
	g := newGrid(code.Size())
	n, w := g.size, g.words
	for y := 0; y < n; y++ {
		row := g.rows[y*w : (y+1)*w]
		for x := 0; x < n; x++ {
			var dark uint64
			if code.Module(x, y) {
				dark = 1
			}
			p := x + linePad
			row[p>>6] |= dark << (p & 63)
		}
	}
	// The columns are the rows transposed.
	for y := 0; y < n; y++ {
		py := y + linePad
		bit := uint64(1) << (py & 63)
		for j, v := range g.rows[y*w : (y+1)*w] {
			for ; v != 0; v &= v - 1 {
				x := j*64 + bits.TrailingZeros64(v) - linePad
				g.cols[x*w+py>>6] |= bit
			}
		}
	}
	return g
}

// maskTables holds what depends only on the version.
type maskTables struct {
	size, words int
	// diff[m] has the modules (by rows, then by columns, laid out like a
	// qrGrid's) that differ between a symbol with mask 0 and the same
	// symbol with mask m: data modules where the two mask patterns differ,
	// and format bits where the two format words differ. The format words
	// are a BCH code of (ECC level, mask) XORed with a constant; the code is
	// linear, so their difference depends only on the masks, not on the ECC
	// level. diff[0] is all zero.
	diff [8]qrGrid
	// Per word of a line, the bits where a rule may start counting: rule 1
	// (five in a row) at modules 0..size-5, rule 2 (2×2 blocks) at
	// 0..size-2, the look for scaled finder-like patterns (see scaled) from
	// module 0 on.
	valid1, valid2, valid3 [3]uint64
	// first marks module 0: a run that starts there starts a new run.
	first [3]uint64
}

var maskTableCache [qr.MaxVersion + 1]struct {
	once sync.Once
	t    *maskTables
}

// tablesFor returns the tables of the version whose symbols have size
// modules a side.
func tablesFor(size int) *maskTables {
	c := &maskTableCache[(size-17)/4]
	c.once.Do(func() { c.t = newMaskTables(size) })
	return c.t
}

// maskInvert is go-qr's: whether mask msk flips module (x, y).
func maskInvert(msk, x, y int) bool {
	switch msk {
	case 0:
		return (x+y)%2 == 0
	case 1:
		return y%2 == 0
	case 2:
		return x%3 == 0
	case 3:
		return (x+y)%3 == 0
	case 4:
		return (x/3+y/2)%2 == 0
	case 5:
		return x*y%2+x*y%3 == 0
	case 6:
		return (x*y%2+x*y%3)%2 == 0
	case 7:
		return ((x+y)%2+x*y%3)%2 == 0
	}
	return false
}

// formatWord is the 15-bit format information go-qr's drawFormatBits draws
// for an ECC level's format bits and a mask.
func formatWord(eccBits, msk int) int {
	data := eccBits<<3 | msk
	rem := data
	for i := 0; i < 10; i++ {
		rem = (rem << 1) ^ ((rem >> 9) * 0x537)
	}
	return (data<<10 | rem) ^ 0x5412
}

// formatPositions returns where go-qr's drawFormatBits puts bit i of the
// format word: once around the top-left finder and once split between the
// other two.
func formatPositions(size, i int) (x1, y1, x2, y2 int) {
	switch {
	case i <= 5:
		x1, y1 = 8, i
	case i == 6:
		x1, y1 = 8, 7
	case i == 7:
		x1, y1 = 8, 8
	case i == 8:
		x1, y1 = 7, 8
	default:
		x1, y1 = 14-i, 8
	}
	if i < 8 {
		x2, y2 = size-1-i, 8
	} else {
		x2, y2 = 8, size-15+i
	}
	return
}

// functionModules returns the map of the modules go-qr's
// drawFunctionPatterns marks as function modules for a version: finder
// patterns with their separators, timing patterns, alignment patterns,
// both copies of the format information with the dark module, and from
// version 7 the version information. Masks never touch them.
func functionModules(version int) [][]bool {
	size := version*4 + 17
	fn := make([][]bool, size)
	for y := range fn {
		fn[y] = make([]bool, size)
	}
	set := func(x, y int) {
		if 0 <= x && x < size && 0 <= y && y < size {
			fn[y][x] = true
		}
	}
	for i := 0; i < size; i++ {
		set(6, i)
		set(i, 6)
	}
	for _, c := range [][2]int{{3, 3}, {size - 4, 3}, {3, size - 4}} {
		for dy := -4; dy <= 4; dy++ {
			for dx := -4; dx <= 4; dx++ {
				set(c[0]+dx, c[1]+dy)
			}
		}
	}
	if version > 1 {
		numAlign := version/7 + 2
		step := (version*4 + numAlign*2 + 1) / (numAlign*2 - 2) * 2
		if version == 32 {
			step = 26
		}
		pos := make([]int, numAlign)
		pos[0] = 6
		for i, p := numAlign-1, size-7; i >= 1; i, p = i-1, p-step {
			pos[i] = p
		}
		for i := range pos {
			for j := range pos {
				if i == 0 && j == 0 || i == 0 && j == numAlign-1 || i == numAlign-1 && j == 0 {
					continue
				}
				for dy := -2; dy <= 2; dy++ {
					for dx := -2; dx <= 2; dx++ {
						set(pos[i]+dx, pos[j]+dy)
					}
				}
			}
		}
	}
	for i := 0; i < 15; i++ {
		x1, y1, x2, y2 := formatPositions(size, i)
		set(x1, y1)
		set(x2, y2)
	}
	set(8, size-8)
	if version >= 7 {
		for i := 0; i < 18; i++ {
			set(size-11+i%3, i/3)
			set(i/3, size-11+i%3)
		}
	}
	return fn
}

func newMaskTables(size int) *maskTables {
	w := lineWords(size)
	t := &maskTables{size: size, words: w}
	fn := functionModules((size - 17) / 4)
	for m := 0; m < 8; m++ {
		d := newGrid(size)
		for y := 0; y < size; y++ {
			for x := 0; x < size; x++ {
				if !fn[y][x] && maskInvert(0, x, y) != maskInvert(m, x, y) {
					d.setModule(x, y)
				}
			}
		}
		f := formatWord(0, 0) ^ formatWord(0, m)
		for i := 0; i < 15; i++ {
			if f>>i&1 != 0 {
				x1, y1, x2, y2 := formatPositions(size, i)
				d.setModule(x1, y1)
				d.setModule(x2, y2)
			}
		}
		t.diff[m] = *d
	}
	span := func(from, to int) (v [3]uint64) {
		for k := from; k <= to; k++ {
			p := k + linePad
			v[p>>6] |= 1 << (p & 63)
		}
		return v
	}
	t.valid1 = span(0, size-5)
	t.valid2 = span(0, size-2)
	t.valid3 = span(0, 64*w-linePad-1) // from module 0 to the end of the words
	t.first = span(0, 0)
	return t
}

// Penalty weights of go-qr (and ISO/IEC 18004).
const (
	penaltyN1 = 3
	penaltyN2 = 3
	penaltyN3 = 40
	penaltyN4 = 10
)

// bestMask returns the mask go-qr would choose for the symbol g holds with
// mask 0: the lowest penalty, ties to the lower mask number.
func (t *maskTables) bestMask(g *qrGrid) int {
	best, bestPenalty := 0, math.MaxInt
	for m := 0; m < 8; m++ {
		if p := t.penalty(g, m); p < bestPenalty {
			best, bestPenalty = m, p
		}
	}
	return best
}

// applyMask turns g, a symbol with mask 0, into the same symbol with mask m.
func (t *maskTables) applyMask(g *qrGrid, m int) {
	d := &t.diff[m]
	for i := range g.rows {
		g.rows[i] ^= d.rows[i]
	}
	for i := range g.cols {
		g.cols[i] ^= d.cols[i]
	}
}

// penalty returns go-qr's getPenaltyScore of the symbol g holds (with
// mask 0) under mask m with m's format bits, computed in full.
func (t *maskTables) penalty(g *qrGrid, m int) int {
	if t.words == 1 {
		return t.penalty1(g, m)
	}
	return t.penaltyWords(g, m)
}

// penaltyWords is penalty for lines of any number of words.
func (t *maskTables) penaltyWords(g *qrGrid, m int) int {
	n, w := t.size, t.words
	d := &t.diff[m]
	res, dark := 0, 0
	// A line sits in words 1..w of a buffer whose other words are zero, so
	// a word's neighbours can always be read.
	var line, prev [5]uint64
	for y := 0; y < n; y++ {
		for j := 0; j < w; j++ {
			v := g.rows[y*w+j] ^ d.rows[y*w+j]
			line[j+1] = v
			dark += bits.OnesCount64(v)
		}
		res += t.linePenalty(&line)
		if y > 0 {
			res += t.blockPenalty(&prev, &line)
		}
		prev = line
	}
	for x := 0; x < n; x++ {
		for j := 0; j < w; j++ {
			line[j+1] = g.cols[x*w+j] ^ d.cols[x*w+j]
		}
		res += t.linePenalty(&line)
	}
	return res + balancePenalty(dark, n)
}

func abs(x int) int {
	if x < 0 {
		return -x
	}
	return x
}

// balancePenalty is rule 4, go-qr's formula: 10 for each full 5% that the
// share of dark modules is away from 50%.
func balancePenalty(dark, size int) int {
	total := size * size
	k := (abs(dark*20-total*10)+total-1)/total - 1
	return k * penaltyN4
}

// penalty1 is penalty for symbols up to version 9, whose lines fit in one
// word: linePenalty and blockPenalty with no neighbouring words.
func (t *maskTables) penalty1(g *qrGrid, m int) int {
	n := t.size
	d := &t.diff[m]
	rows, cols := g.rows[:n], g.cols[:n]
	drows, dcols := d.rows[:n], d.cols[:n]
	valid2 := t.valid2[0]
	res, dark, blocks := 0, 0, 0
	var prev uint64
	for y, v := range rows {
		v ^= drows[y]
		dark += bits.OnesCount64(v)
		res += t.linePenalty1(v)
		if y > 0 {
			// Rule 2: a 2×2 block of one colour with its top left corner
			// at (x, y-1).
			blocks += bits.OnesCount64(^(prev ^ prev>>1) & ^(prev ^ v) & ^(prev ^ v>>1) & valid2)
		}
		prev = v
	}
	for x, v := range cols {
		res += t.linePenalty1(v ^ dcols[x])
	}
	return res + blocks*penaltyN2 + balancePenalty(dark, n)
}

// linePenalty1 is linePenalty for a line in one word.
func (t *maskTables) linePenalty1(v uint64) int {
	n1, n3 := 0, 0
	// Bit i of eq: the modules at bits i and i+1 have one colour.
	eq := ^(v ^ v>>1)
	eq2 := eq & (eq >> 1)
	if five := eq2 & (eq2 >> 2) & t.valid1[0]; five != 0 {
		n1 = bits.OnesCount64(five) + (penaltyN1-1)*bits.OnesCount64(five&(v<<1^v|t.first[0]))
	}
	u := ^v
	dark3 := v & (v >> 1) & (v >> 2)
	if core := u & (v >> 1) & (u >> 2) & (dark3 >> 3) & (u >> 6) & (v >> 7) & (u >> 8); core != 0 {
		n3 = bits.OnesCount64(core&^(v<<1|v<<2|v<<3)) + bits.OnesCount64(core&^(v>>9|v>>10|v>>11))
	}
	if c := u & (u >> 1) & (dark3 >> 2) & (dark3 >> 5) & t.valid3[0]; c != 0 && scaled(c, v<<1, v<<2, v>>8, v>>9, v>>10, v>>11) != 0 {
		n3 = finderRuns(&[5]uint64{1: v}, t.size)
	}
	return n1 + n3*penaltyN3
}

// scaled narrows c, the places where 00111111 starts (in the line), to
// those where a finder-like pattern with n ≥ 2 may have its 00: 11 before
// and 0011 after (n = 2), or 0 before and 111 after (n ≥ 3). mk has in
// bit i the module at bit i-k, sk the one at bit i+k.
func scaled(c, m1, m2, s8, s9, s10, s11 uint64) uint64 {
	return c & (m1&m2&^s8&^s9&s10&s11 | ^m1&s8&s9&s10)
}

// linePenalty returns the penalty of rules 1 and 3 for one row or column.
//
// Rule 1: a run of L ≥ 5 same-coloured modules costs N1 + (L-5). That is
// one per module where five equal modules start (L-4 of them) plus N1-1 for
// the first of those, where the run begins.
//
// Rule 3: go-qr counts, for each run sequence dark:light:dark:light:dark in
// the ratio n:n:3n:n:n, one if the light run before it is at least 4n long
// and the one after at least n, and one more if the light run after is at
// least 4n and the one before at least n; outside the symbol counts as
// light. For n = 1 that is the bit pattern 0000 010111010 or 010111010 0000
// (the outer zeros of 010111010 make the runs whole). Scaled finder-like
// runs (n ≥ 2) are rare in a masked symbol, and a line has one only where
// scaled finds a place for it; such a line is counted again by finderRuns,
// go-qr's run-history walk, which counts every n.
func (t *maskTables) linePenalty(l *[5]uint64) int {
	n1, n3, slow := 0, 0, false
	for j := 1; j <= t.words; j++ {
		prv, cur, nxt := l[j-1], l[j], l[j+1]
		// sk has in bit i the module at bit i+k; mk the one at bit i-k.
		s1, s2, s3, s4 := cur>>1|nxt<<63, cur>>2|nxt<<62, cur>>3|nxt<<61, cur>>4|nxt<<60
		m1 := cur<<1 | prv>>63

		five := ^(cur ^ s1) & ^(cur ^ s2) & ^(cur ^ s3) & ^(cur ^ s4) & t.valid1[j-1]
		if five != 0 {
			n1 += bits.OnesCount64(five) + (penaltyN1-1)*bits.OnesCount64(five&((m1^cur)|t.first[j-1]))
		}

		s5, s6, s7, s8 := cur>>5|nxt<<59, cur>>6|nxt<<58, cur>>7|nxt<<57, cur>>8|nxt<<56
		core := ^cur & s1 & ^s2 & s3 & s4 & s5 & ^s6 & s7 & ^s8
		s9, s10 := cur>>9|nxt<<55, cur>>10|nxt<<54
		m2 := cur<<2 | prv>>62
		if core != 0 {
			m3 := cur<<3 | prv>>61
			s11 := cur>>11 | nxt<<53
			n3 += bits.OnesCount64(core&^(m1|m2|m3)) + bits.OnesCount64(core&^(s9|s10|s11))
		}
		if c := ^cur & ^s1 & s2 & s3 & s4 & s5 & s6 & s7 & t.valid3[j-1]; c != 0 {
			if scaled(c, m1, m2, s8, s9, s10, cur>>11|nxt<<53) != 0 {
				slow = true
			}
		}
	}
	if slow {
		n3 = finderRuns(l, t.size)
	}
	return n1 + n3*penaltyN3
}

// blockPenalty returns the rule-2 penalty (2×2 blocks of one colour) of two
// neighbouring rows.
func (t *maskTables) blockPenalty(a, b *[5]uint64) int {
	c := 0
	for j := 1; j <= t.words; j++ {
		a0, b0 := a[j], b[j]
		a1, b1 := a0>>1|a[j+1]<<63, b0>>1|b[j+1]<<63
		c += bits.OnesCount64(^(a0 ^ a1) & ^(a0 ^ b0) & ^(a0 ^ b1) & t.valid2[j-1])
	}
	return c * penaltyN2
}

// finderRuns returns go-qr's rule-3 count for one line the slow way: the
// run-history walk of its finderPenaltyAddHistory,
// finderPenaltyCountPatterns and finderPenaltyTerminateAndCount, taken a
// run at a time instead of a module at a time.
func finderRuns(l *[5]uint64, size int) int {
	var h finderHistory
	line := l[1:4]
	end := size + linePad
	res, dark, run := 0, false, 0
	for p := linePad; ; {
		flip := uint64(0) // look for the next dark module
		if dark {
			flip = ^flip
		}
		q := nextBit(line, p, end, flip)
		run += q - p
		if q == end {
			break
		}
		h.add(run, size)
		if !dark {
			res += h.count()
		}
		dark, run, p = !dark, 0, q
	}
	if dark {
		h.add(run, size)
		run = 0
	}
	h.add(run+size, size) // the light border after the line
	return res + h.count()
}

// finderHistory holds the lengths of the last seven runs, newest first.
type finderHistory [7]int

func (h *finderHistory) add(run, size int) {
	if h[0] == 0 {
		run += size // the light border before the line
	}
	h[6], h[5], h[4], h[3], h[2], h[1], h[0] = h[5], h[4], h[3], h[2], h[1], h[0], run
}

func (h *finderHistory) count() int {
	n := h[1]
	core := n > 0 && h[2] == n && h[3] == n*3 && h[4] == n && h[5] == n
	c := 0
	if core && h[0] >= n*4 && h[6] >= n {
		c++
	}
	if core && h[6] >= n*4 && h[0] >= n {
		c++
	}
	return c
}
