package poster

import (
	"fmt"
	"math/rand/v2"
	"testing"

	qr "github.com/piglig/go-qr"
)

// gridDiff reports the first module where g and h differ, by rows and by
// columns.
func gridDiff(g, h *qrGrid) string {
	if g.size != h.size {
		return fmt.Sprintf("sizes %d and %d", g.size, h.size)
	}
	for i := range g.rows {
		if g.rows[i] != h.rows[i] {
			return fmt.Sprintf("row %d word %d: %064b, want %064b", i/g.words, i%g.words, g.rows[i], h.rows[i])
		}
		if g.cols[i] != h.cols[i] {
			return fmt.Sprintf("column %d word %d: %064b, want %064b", i/g.words, i%g.words, g.cols[i], h.cols[i])
		}
	}
	return ""
}

// TestMaskTablesMatchGoQR checks the function-module map and the
// mask-0-to-mask-m differences against go-qr for every version and mask,
// and several ECC levels: the symbol go-qr makes with mask 0, turned into mask m by
// applyMask, is the symbol go-qr makes with mask m. A function module
// taken for a data module (or the other way round), or a wrong format bit,
// fails it.
func TestMaskTablesMatchGoQR(t *testing.T) {
	segs, err := qr.MakeSegments("HELLO 1800")
	if err != nil {
		t.Fatal(err)
	}
	for v := qr.MinVersion; v <= qr.MaxVersion; v++ {
		ecls := []qr.Ecc{qr.Medium}
		if v <= 7 || v%8 == 0 {
			// Enough to show that the difference of format bits does not
			// depend on the ECC level.
			ecls = []qr.Ecc{qr.Low, qr.Medium, qr.Quartile, qr.High}
		}
		for _, ecl := range ecls {
			code0, err := qr.EncodeSegments(segs, ecl, v, v, 0, false)
			if err != nil {
				t.Fatal(err)
			}
			tables := tablesFor(code0.Size())
			for m := 0; m < 8; m++ {
				code, err := qr.EncodeSegments(segs, ecl, v, v, m, false)
				if err != nil {
					t.Fatal(err)
				}
				g := loadQR(code0)
				tables.applyMask(g, m)
				if d := gridDiff(g, loadQR(code)); d != "" {
					t.Errorf("version %d, ECC %d, mask %d: %s", v, ecl, m, d)
				}
			}
		}
	}
}

// refPenalty is go-qr's getPenaltyScore (mask.go, v1.1.0) without the early
// abort, over a [][]bool grid. scaled counts the rule-3 patterns it found
// with n ≥ 2, so tests can tell that they made some.
func refPenalty(grid [][]bool) (penalty, scaled int) {
	size := len(grid)
	res := 0
	dark := 0
	var h [7]int
	addHistory := func(run int) {
		if h[0] == 0 {
			run += size
		}
		copy(h[1:], h[:6])
		h[0] = run
	}
	countPatterns := func() int {
		n := h[1]
		core := n > 0 && h[2] == n && h[3] == n*3 && h[4] == n && h[5] == n
		c := 0
		if core && h[0] >= n*4 && h[6] >= n {
			c = 1
		}
		if core && h[6] >= n*4 && h[0] >= n {
			c++
		}
		if n >= 2 {
			scaled += c
		}
		return c
	}
	terminate := func(color bool, run int) int {
		if color {
			addHistory(run)
			run = 0
		}
		run += size
		addHistory(run)
		return countPatterns()
	}
	line := func(cell func(i int) bool) {
		color, run := false, 0
		h = [7]int{}
		for i := 0; i < size; i++ {
			c := cell(i)
			if c == color {
				run++
				if run == 5 {
					res += 3
				} else if run > 5 {
					res++
				}
			} else {
				addHistory(run)
				if !color {
					res += countPatterns() * 40
				}
				color = c
				run = 1
			}
		}
		res += terminate(color, run) * 40
	}
	for y := 0; y < size; y++ {
		line(func(x int) bool { return grid[y][x] })
		for x := 0; x < size; x++ {
			if grid[y][x] {
				dark++
			}
			if y+1 < size && x+1 < size {
				c := grid[y][x]
				if c == grid[y][x+1] && c == grid[y+1][x] && c == grid[y+1][x+1] {
					res += 3
				}
			}
		}
	}
	for x := 0; x < size; x++ {
		line(func(y int) bool { return grid[y][x] })
	}
	total := size * size
	k := (abs(dark*20-total*10)+total-1)/total - 1
	return res + k*10, scaled
}

// randomGrid paints a size×size grid for the penalty test: runs of random
// lengths (long ones too, for rule 1, and whole rows of one colour, for
// rule 4), then finder-like patterns 1:1:3:1:1 scaled by 1 to 4 along rows
// and columns, with light margins around 4n and n long so that both sides
// of rule 3's comparisons come up, at the ends of lines too.
func randomGrid(r *rand.Rand, size int) [][]bool {
	grid := make([][]bool, size)
	for y := range grid {
		grid[y] = make([]bool, size)
	}
	darkShare := r.Float64()
	for y := range grid {
		for x := 0; x < size; {
			run := 1 + r.IntN(3)
			if r.IntN(8) == 0 {
				run = 4 + r.IntN(10)
			}
			c := r.Float64() < darkShare
			for ; run > 0 && x < size; run, x = run-1, x+1 {
				grid[y][x] = c
			}
		}
	}
	for range r.IntN(2 * size / 7) {
		n := 1 + r.IntN(4)
		var pat []bool
		margin := func() int { return max(0, []int{4*n - 1, 4 * n, 4*n + 1, n - 1, n, n + 1}[r.IntN(6)]) }
		for range margin() {
			pat = append(pat, false)
		}
		for i, k := range []int{1, 1, 3, 1, 1} {
			for range k * n {
				pat = append(pat, i%2 == 0)
			}
		}
		for range margin() {
			pat = append(pat, false)
		}
		if len(pat) > size {
			continue
		}
		at, line := r.IntN(size-len(pat)+1), r.IntN(size)
		vertical := r.IntN(2) == 0
		for i, c := range pat {
			if vertical {
				grid[at+i][line] = c
			} else {
				grid[line][at+i] = c
			}
		}
	}
	return grid
}

// TestPenaltyMatchesGoQR holds the bit-packed penalty, for lines of one
// word and of several, to go-qr's module-by-module one: random grids of
// many sizes, with finder-like patterns at all scales (which take the slow
// path), and real symbols under every mask with that mask's format bits.
func TestPenaltyMatchesGoQR(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 8))
	scaled := 0
	for _, size := range []int{21, 25, 29, 33, 41, 53, 57, 61, 89, 117, 121, 125, 177} {
		tables := tablesFor(size)
		for i := range 60 {
			grid := randomGrid(r, size)
			want, s := refPenalty(grid)
			scaled += s
			g := newGrid(size)
			for y := range grid {
				for x, c := range grid[y] {
					if c {
						g.setModule(x, y)
					}
				}
			}
			// Mask 0 leaves g as it is.
			if got := tables.penaltyWords(g, 0); got != want {
				t.Errorf("size %d grid %d: penaltyWords %d, want %d", size, i, got, want)
			}
			if g.words == 1 {
				if got := tables.penalty1(g, 0); got != want {
					t.Errorf("size %d grid %d: penalty1 %d, want %d", size, i, got, want)
				}
			}
		}
	}
	if scaled < 100 {
		t.Errorf("only %d finder-like patterns with n ≥ 2 counted: the slow path is hardly tested", scaled)
	}

	for _, text := range []string{"", "https://board.example.org/commitments/c-000123/?v=1a2b3c4d", strings200()} {
		segs, err := qr.MakeSegments(text)
		if err != nil {
			t.Fatal(err)
		}
		for _, ecl := range []qr.Ecc{qr.Low, qr.High} {
			code0, err := qr.EncodeSegments(segs, ecl, qr.MinVersion, qr.MaxVersion, 0, false)
			if err != nil {
				t.Fatal(err)
			}
			tables := tablesFor(code0.Size())
			for m := 0; m < 8; m++ {
				code, err := qr.EncodeSegments(segs, ecl, qr.MinVersion, qr.MaxVersion, m, false)
				if err != nil {
					t.Fatal(err)
				}
				grid := make([][]bool, code.Size())
				for y := range grid {
					grid[y] = make([]bool, code.Size())
					for x := range grid[y] {
						grid[y][x] = code.Module(x, y)
					}
				}
				want, _ := refPenalty(grid)
				if got := tables.penalty(loadQR(code0), m); got != want {
					t.Errorf("%d bytes, ECC %d, mask %d: penalty %d, want %d", len(text), ecl, m, got, want)
				}
			}
		}
	}
}

func strings200() string {
	b := make([]byte, 200)
	for i := range b {
		b[i] = "abcdefghijklmnopqrstuvwxyz/.-"[i*7%29]
	}
	return string(b)
}

// TestEncodeBytesMatchesGoQR compares encodeBytes's grid module for module
// with go-qr's symbol (mask 0, read by loadQR) at every version and ECC
// level it chooses: for each, the shortest and the longest text that
// gets it, and one between, of random bytes (UTF-8 and not); then texts
// too long for version 40, which it leaves to go-qr.
func TestEncodeBytesMatchesGoQR(t *testing.T) {
	r := rand.New(rand.NewPCG(6, 12))
	text := func(n int) string {
		b := make([]byte, n)
		for i := range b {
			b[i] = byte(r.IntN(256))
		}
		b[0] = 'a' // byte mode whatever follows
		return string(b)
	}
	type key struct{ v, l int }
	first, last := map[key]int{}, map[key]int{}
	for n := 1; n <= 2340; n++ {
		v, l, ok := byteVersion(n)
		if !ok {
			break
		}
		k := key{v, l}
		if _, seen := first[k]; !seen {
			first[k] = n
		}
		last[k] = n
	}
	levels := map[int]bool{}
	for k, lo := range first {
		levels[k.l] = true
		hi := last[k]
		for _, n := range []int{lo, (lo + hi) / 2, hi} {
			s := text(n)
			got, ok, err := encodeBytes(s)
			if err != nil || !ok {
				t.Fatalf("%d bytes: ok %v, %v", n, ok, err)
			}
			segs, err := qr.MakeSegments(s)
			if err != nil {
				t.Fatal(err)
			}
			code, err := qr.EncodeSegments(segs, qr.Medium, qr.MinVersion, qr.MaxVersion, 0, true)
			if err != nil {
				t.Fatal(err)
			}
			if v := (code.Size() - 17) / 4; v != k.v {
				t.Errorf("%d bytes: go-qr chose version %d, byteVersion %d", n, v, k.v)
			}
			if d := gridDiff(got, loadQR(code)); d != "" {
				t.Errorf("%d bytes (version %d, level %d): %s", n, k.v, k.l, d)
			}
		}
	}
	// Every version is chosen at Medium; Quartile and High only where the
	// smallest version at Medium also holds the text at the higher level.
	for v := 1; v <= qr.MaxVersion; v++ {
		if _, ok := first[key{v, 0}]; !ok {
			t.Errorf("no text got version %d at Medium", v)
		}
	}
	if len(levels) != 3 {
		t.Errorf("levels chosen: %v, want all three", levels)
	}
	t.Logf("%d (version, level) pairs compared", len(first))
	for _, n := range []int{2332, 3000} {
		if g, ok, err := encodeBytes(text(n)); ok || err != nil || g != nil {
			t.Errorf("%d bytes: ok %v, %v; want it left to go-qr", n, ok, err)
		}
	}
}
