package load

import (
	"encoding"
	"reflect"
	"slices"
	"strings"
	"sync"

	"github.com/BurntSushi/toml"
)

// schema is the tree of keys a record kind allows, read from the toml tags
// of the type it decodes into, so that the rules and the types cannot drift.
type schema struct {
	children map[string]*schema
	arrays   map[string]bool // children that are arrays of tables ([[updates]])
	free     bool            // a map: any key is allowed (candidates.private)
}

var (
	schemaMu    sync.Mutex
	schemaCache = map[reflect.Type]*schema{}
	tomlUnmarsh = reflect.TypeFor[toml.Unmarshaler]()
	textUnmarsh = reflect.TypeFor[encoding.TextUnmarshaler]()
)

func schemaOf(t reflect.Type) *schema {
	schemaMu.Lock()
	defer schemaMu.Unlock()
	return buildSchema(t)
}

func buildSchema(t reflect.Type) *schema {
	for t.Kind() == reflect.Pointer || t.Kind() == reflect.Slice {
		t = t.Elem()
	}
	if s, ok := schemaCache[t]; ok {
		return s
	}
	s := &schema{}
	pt := reflect.PointerTo(t)
	switch {
	case pt.Implements(tomlUnmarsh) || pt.Implements(textUnmarsh):
		return s // a scalar with its own syntax
	case t.Kind() == reflect.Map || t.Kind() == reflect.Interface:
		s.free = true
	case t.Kind() == reflect.Struct:
		s.children = map[string]*schema{}
		s.arrays = map[string]bool{}
		for f := range t.Fields() {
			tag := strings.Split(f.Tag.Get("toml"), ",")[0]
			if tag == "-" || !f.IsExported() {
				continue
			}
			if f.Anonymous && tag == "" {
				embedded := buildSchema(f.Type)
				for k, v := range embedded.children {
					if _, shadowed := s.children[k]; !shadowed {
						s.children[k] = v
						s.arrays[k] = embedded.arrays[k]
					}
				}
				continue
			}
			if tag == "" {
				tag = f.Name
			}
			s.children[tag] = buildSchema(f.Type)
			s.arrays[tag] = isTableArray(f.Type)
		}
	}
	schemaCache[t] = s
	return s
}

func isTableArray(t reflect.Type) bool {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if t.Kind() != reflect.Slice {
		return false
	}
	t = t.Elem()
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	return t.Kind() == reflect.Struct
}

// unknownKey reports the first step of key that the schema does not allow,
// with a suggestion and whether the table it sits in is an array of tables
// ([[updates]]). ok is false when all is well.
func (s *schema) unknownKey(key toml.Key) (depth int, hint string, inArray, ok bool) {
	cur := s
	for i, part := range key {
		if cur.free {
			return 0, "", false, false
		}
		next, found := cur.children[part]
		if !found {
			return i, suggest(part, cur), inArray, true
		}
		inArray = cur.arrays[part]
		cur = next
	}
	return 0, "", false, false
}

// suggest returns " (did you mean x?)" for a near miss, or "".
func suggest(bad string, s *schema) string {
	names := make([]string, 0, len(s.children))
	for k := range s.children {
		names = append(names, k)
	}
	slices.Sort(names)
	for _, n := range names {
		if strings.EqualFold(n, bad) {
			return " (did you mean " + n + "? keys are case-sensitive)"
		}
	}
	best, bestD := "", 3
	for _, n := range names {
		if d := distance(strings.ToLower(bad), n); d < bestD {
			best, bestD = n, d
		}
	}
	if best != "" && bestD <= max(1, len(best)/3) {
		return " (did you mean " + best + "?)"
	}
	if len(names) > 0 && len(names) <= 16 {
		return " (allowed here: " + strings.Join(names, ", ") + ")"
	}
	return ""
}

// distance is the optimal string alignment distance between a and b: the
// Levenshtein distance where swapping two neighbours ("titel") costs one.
func distance(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	d := make([][]int, len(ra)+1)
	for i := range d {
		d[i] = make([]int, len(rb)+1)
		d[i][0] = i
	}
	for j := range d[0] {
		d[0][j] = j
	}
	for i := 1; i <= len(ra); i++ {
		for j := 1; j <= len(rb); j++ {
			c := 1
			if ra[i-1] == rb[j-1] {
				c = 0
			}
			d[i][j] = min(d[i-1][j]+1, d[i][j-1]+1, d[i-1][j-1]+c)
			if i > 1 && j > 1 && ra[i-1] == rb[j-2] && ra[i-2] == rb[j-1] {
				d[i][j] = min(d[i][j], d[i-2][j-2]+1)
			}
		}
	}
	return d[len(ra)][len(rb)]
}
