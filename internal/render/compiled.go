package render

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"html/template"
	"reflect"
	"slices"
)

// The compiled theme.
//
// html/template spends most of a build's CPU on reflection: it looks up
// every field by name and calls every function and escaper through
// reflect.Value.Call. For the layouts of the built-in theme, which most
// boards use as they are, theme_compiled.go holds the same templates
// compiled to Go: made by a generator (compile_test.go) from the trees
// html/template escaped, with the types of Page and of the template
// functions, so that each field is a selector and each function a call.
//
// A page layout runs compiled only when the board's layouts that its page
// is made of (the layout, its base and every partial) are byte for byte
// those it was compiled from, and the template functions have the types
// it was compiled with; any other board renders through html/template.
// When a compiled page fails in any way (a missing UI string, a nil
// pointer, a value of a kind it leaves to html/template), the page is
// rendered again through html/template, which gives the error (or the
// page) as it always did. TestCompiledSameOutput renders every page of
// several boards both ways and wants the same bytes.
//
// After a change to the theme's layouts, to Page or the board's view
// types, or to the template functions, run
//
//	go test ./internal/render -run TestCompiledUpToDate -update
//
// (if the package no longer compiles, delete theme_compiled.go first).

// compiledLayout is one page layout compiled to Go.
type compiledLayout struct {
	sum  string // sourcesSum of the templates it was compiled from
	exec func(s *cstate, p *Page) error
}

// compiledTheme is set by theme_compiled.go.
var compiledTheme struct {
	layouts map[string]compiledLayout
	funcs   func(template.FuncMap) (any, bool)
}

// cstate is what a compiled page writes into and calls.
type cstate struct {
	w *bytes.Buffer
	f any // *themeFuncs, of theme_compiled.go
}

// errFallback stops a compiled page that leaves the rest to html/template.
var errFallback = errors.New("render: compiled theme falls back to html/template")

// sourcesSum is the hash of the templates a page layout is made of (names,
// their content in src): each name and its content, in the order of their
// names.
func sourcesSum(src map[string][]byte, names []string) string {
	names = slices.Sorted(slices.Values(names))
	h := sha256.New()
	for _, name := range names {
		h.Write([]byte(name))
		h.Write([]byte{0})
		h.Write(src[name])
		h.Write([]byte{0})
	}
	return hex.EncodeToString(h.Sum(nil))
}

// run executes a compiled layout into s.w. A panic (a nil pointer, an
// index out of range) is a failure like any other: the page falls back.
func (c compiledLayout) run(s *cstate, p *Page) (err error) {
	defer func() {
		if recover() != nil {
			err = errFallback
		}
	}()
	return c.exec(s, p)
}

// truthOf is text/template's truth of a value of interface type.
func truthOf(a any) bool {
	v := reflect.ValueOf(a)
	for v.Kind() == reflect.Interface {
		if v.IsNil() {
			return false
		}
		v = v.Elem()
	}
	if !v.IsValid() {
		return false
	}
	switch v.Kind() {
	case reflect.Array, reflect.Map, reflect.Slice, reflect.String:
		return v.Len() > 0
	case reflect.Bool:
		return v.Bool()
	case reflect.Complex64, reflect.Complex128:
		return v.Complex() != 0
	case reflect.Chan, reflect.Func, reflect.Pointer, reflect.UnsafePointer:
		return !v.IsNil()
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return v.Int() != 0
	case reflect.Float32, reflect.Float64:
		return v.Float() != 0
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		return v.Uint() != 0
	case reflect.Struct:
		return true
	}
	panic(errFallback) // text/template fails on it
}

// must stops a compiled page with errFallback when ok is false.
func must(s string, ok bool) string {
	if !ok {
		panic(errFallback)
	}
	return s
}
