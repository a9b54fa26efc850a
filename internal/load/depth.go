package load

// maxDepth bounds how deeply a TOML text may nest arrays, inline tables and
// dotted keys. Records need three levels at most ([[candidates]] →
// [candidates.private] → a value); the TOML library takes time that grows
// much faster than the text with depth (40 s for 8,000 nested inline tables,
// well inside the 2 MiB limit), so a deeper text is refused before it is
// decoded.
const maxDepth = 32

// tooDeep returns the byte offset at which src nests deeper than maxDepth,
// counting [ and { outside strings and comments, and the parts of a dotted
// key; ok is false when it does not.
func tooDeep(src []byte) (off int, ok bool) {
	depth, dots := 0, 0
	n := len(src)
	for i := 0; i < n; i++ {
		switch c := src[i]; c {
		case '#':
			for i < n && src[i] != '\n' {
				i++
			}
			dots = 0
		case '"', '\'':
			multi := i+2 < n && src[i+1] == c && src[i+2] == c
			if multi {
				i += 3
				for i < n && !(src[i] == c && i+2 < n && src[i+1] == c && src[i+2] == c) {
					if c == '"' && src[i] == '\\' {
						i++
					}
					i++
				}
				i += 2
			} else {
				i++
				for i < n && src[i] != c && src[i] != '\n' {
					if c == '"' && src[i] == '\\' {
						i++
					}
					i++
				}
			}
		case '[', '{':
			depth++
			dots = 0
			if depth > maxDepth {
				return i, true
			}
		case ']', '}':
			depth = max(0, depth-1)
			dots = 0
		case '.':
			dots++
			if dots >= maxDepth {
				return i, true
			}
		case '=', ',', '\n':
			dots = 0
		}
	}
	return 0, false
}
