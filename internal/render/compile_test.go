package render

// The generator of theme_compiled.go (see compiled.go), and its tests.
//
// It walks the trees html/template escaped, with the static types of the
// values they reach: the dot of a page is *Page, a field has its struct
// field's type, a function returns what its Go type says. Every construct
// it emits behaves as text/template's exec.go does for those types; a
// construct it does not know, or whose outcome depends on more than the
// types (a method of *T on a T that may not be addressable, a map's
// missing key), makes it leave that page layout to html/template.

import (
	"bytes"
	"flag"
	"fmt"
	"go/format"
	"html/template"
	"io"
	"maps"
	"os"
	"reflect"
	"slices"
	"sort"
	"strconv"
	"strings"
	"testing"
	"testing/fstest"
	"text/template/parse"

	"github.com/glassboard/glassboard/internal/board"
	"github.com/glassboard/glassboard/internal/load"
)

var updateCompiled = flag.Bool("update", false, "rewrite theme_compiled.go from the theme's layouts")

const compiledFile = "theme_compiled.go"

// notCompiled is the panic value with which the generator gives up a layout.
type notCompiled struct{ why string }

func giveUp(format string, args ...any) {
	panic(notCompiled{fmt.Sprintf(format, args...)})
}

// val is a value in the generated code: a Go expression and its static type.
type val struct {
	expr string
	t    reflect.Type
	dict []dictEntry // a dict with constant keys (t is nil)
	// missing is a dict's missing entry: text/template's invalid value
	// (expr and t are empty).
	missing bool
}

type dictEntry struct {
	key string
	v   val
}

func (v val) shape() string {
	if v.missing {
		giveUp("a missing entry as a value")
	}
	if v.dict == nil {
		return v.t.String()
	}
	var b strings.Builder
	b.WriteString("dict{")
	for _, e := range v.dict {
		b.WriteString(e.key + " " + e.v.shape() + ";")
	}
	b.WriteString("}")
	return b.String()
}

var (
	anyType       = reflect.TypeFor[any]()
	stringType    = reflect.TypeFor[string]()
	boolType      = reflect.TypeFor[bool]()
	intType       = reflect.TypeFor[int]()
	errType       = reflect.TypeFor[error]()
	htmlType      = reflect.TypeFor[template.HTML]()
	renderPkgPath = reflect.TypeFor[Page]().PkgPath()
)

// gen generates the compiled theme.
type gen struct {
	fm      template.FuncMap
	used    map[string]reflect.Type // FuncMap functions called
	imports map[string]string       // import path → package name
	out     bytes.Buffer            // the template functions
	specs   map[string]string       // spec key → Go function name
	queue   []*spec
	n       int
}

// spec is one template compiled for one shape of dot.
type spec struct {
	name string // Go function name
	tmpl string
	tree *parse.Tree
	ns   *template.Template
	dot  val // the parameters' shape
}

func newGen(fm template.FuncMap) *gen {
	return &gen{fm: fm, used: map[string]reflect.Type{}, imports: map[string]string{}, specs: map[string]string{}}
}

// goType is t in Go syntax, in package render.
func (g *gen) goType(t reflect.Type) string {
	if t.Name() != "" {
		if strings.ContainsAny(t.Name(), "[]") {
			giveUp("generic type %s", t)
		}
		if t.PkgPath() == "" {
			return t.Name()
		}
		if t.PkgPath() == renderPkgPath {
			return t.Name()
		}
		if !token(t.Name()) {
			giveUp("unexported type %s", t)
		}
		pkg := t.PkgPath()[strings.LastIndex(t.PkgPath(), "/")+1:]
		if other, ok := g.imports[t.PkgPath()]; ok && other != pkg {
			giveUp("package name %s", pkg)
		}
		for path, name := range g.imports {
			if name == pkg && path != t.PkgPath() {
				giveUp("two packages named %s", pkg)
			}
		}
		g.imports[t.PkgPath()] = pkg
		return pkg + "." + t.Name()
	}
	switch t.Kind() {
	case reflect.Pointer:
		return "*" + g.goType(t.Elem())
	case reflect.Slice:
		return "[]" + g.goType(t.Elem())
	case reflect.Array:
		return fmt.Sprintf("[%d]%s", t.Len(), g.goType(t.Elem()))
	case reflect.Map:
		return "map[" + g.goType(t.Key()) + "]" + g.goType(t.Elem())
	case reflect.Interface:
		if t.NumMethod() == 0 {
			return "any"
		}
	case reflect.Func:
		var b strings.Builder
		b.WriteString("func(")
		for i := range t.NumIn() {
			if i > 0 {
				b.WriteString(", ")
			}
			if t.IsVariadic() && i == t.NumIn()-1 {
				b.WriteString("..." + g.goType(t.In(i).Elem()))
			} else {
				b.WriteString(g.goType(t.In(i)))
			}
		}
		b.WriteString(")")
		switch t.NumOut() {
		case 0:
		case 1:
			b.WriteString(" " + g.goType(t.Out(0)))
		default:
			b.WriteString(" (")
			for i := range t.NumOut() {
				if i > 0 {
					b.WriteString(", ")
				}
				b.WriteString(g.goType(t.Out(i)))
			}
			b.WriteString(")")
		}
		return b.String()
	}
	giveUp("type %s", t)
	return ""
}

func token(s string) bool { return s != "" && s[0] >= 'A' && s[0] <= 'Z' }

// save returns a function that puts the generator back as it is now.
func (g *gen) save() (restore func()) {
	out := g.out.Len()
	specs, used, imports := maps.Clone(g.specs), maps.Clone(g.used), maps.Clone(g.imports)
	return func() {
		g.out.Truncate(out)
		g.specs, g.used, g.imports = specs, used, imports
		g.queue = nil
	}
}

// layout compiles the page layout of namespace ns (escaped), whose base
// is base, and returns the Go function that runs it.
func (g *gen) layout(ns *template.Template, base string) string {
	return g.call(ns, base, val{expr: "p", t: reflect.TypeFor[*Page]()})
}

// call returns the Go function of template name for a dot of dot's shape,
// queuing it to be generated.
func (g *gen) call(ns *template.Template, name string, dot val) string {
	t := ns.Lookup(name)
	if t == nil || t.Tree == nil || t.Tree.Root == nil {
		giveUp("no template %q", name)
	}
	key := name + "\x00" + dot.shape() + "\x00" + t.Tree.Root.String()
	if !strings.HasPrefix(name, "partials/") {
		key += fmt.Sprintf("\x00%p", ns) // "main" and the bases differ by page
	}
	if fn, ok := g.specs[key]; ok {
		return fn
	}
	g.n++
	fn := fmt.Sprintf("t%d%s", g.n, ident(name))
	g.specs[key] = fn
	g.queue = append(g.queue, &spec{name: fn, tmpl: name, tree: t.Tree, ns: ns, dot: dot})
	return fn
}

func ident(name string) string {
	var b strings.Builder
	up := true
	for _, r := range name {
		if r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' {
			if up && r >= 'a' && r <= 'z' {
				r -= 'a' - 'A'
			}
			b.WriteRune(r)
			up = false
		} else {
			up = true
		}
	}
	return b.String()
}

// params are the parameters of a spec's function for its dot, and the
// dot as its body sees it.
func (g *gen) params(dot val) (string, val) {
	if dot.dict == nil {
		return "dot " + g.goType(dot.t), val{expr: "dot", t: dot.t}
	}
	var ps []string
	inside := val{dict: []dictEntry{}}
	for i, e := range dot.dict {
		if e.v.dict != nil {
			giveUp("dict in a dict")
		}
		name := fmt.Sprintf("d%d", i)
		ps = append(ps, name+" "+g.goType(e.v.t))
		inside.dict = append(inside.dict, dictEntry{e.key, val{expr: name, t: e.v.t}})
	}
	return strings.Join(ps, ", "), inside
}

// args are the arguments with which a spec's function is called.
func args(dot val) string {
	if dot.dict == nil {
		return dot.expr
	}
	var as []string
	for _, e := range dot.dict {
		as = append(as, e.v.expr)
	}
	return strings.Join(as, ", ")
}

// generate generates the queued specs.
func (g *gen) generate() {
	for len(g.queue) > 0 {
		sp := g.queue[0]
		g.queue = g.queue[1:]
		params, dot := g.params(sp.dot)
		f := &fn{g: g, ns: sp.ns, root: dot}
		f.scopes = []map[string]val{{}}
		f.walk(dot, sp.tree.Root)
		fmt.Fprintf(&g.out, "\n// %s executes %s.\nfunc %s(s *cstate, f *themeFuncs, %s) error {\n%sreturn nil\n}\n", sp.name, sp.tmpl, sp.name, params, f.b.String())
	}
}

// fn generates the body of one function.
type fn struct {
	g      *gen
	ns     *template.Template
	b      strings.Builder
	root   val
	scopes []map[string]val
	loops  int
}

func (f *fn) emit(format string, args ...any) {
	fmt.Fprintf(&f.b, format, args...)
	f.b.WriteByte('\n')
}

// temp stores expr of type t in a new variable.
func (f *fn) temp(expr string, t reflect.Type) val {
	if t == nil {
		giveUp("a value without a type")
	}
	f.g.n++
	name := fmt.Sprintf("v%d", f.g.n)
	f.emit("%s := %s", name, expr)
	return val{expr: name, t: t}
}

func (f *fn) push() { f.scopes = append(f.scopes, map[string]val{}) }
func (f *fn) pop()  { f.scopes = f.scopes[:len(f.scopes)-1] }

func (f *fn) lookup(name string) val {
	if name == "$" {
		return f.root
	}
	for i := len(f.scopes) - 1; i >= 0; i-- {
		if v, ok := f.scopes[i][name]; ok {
			return v
		}
	}
	giveUp("undefined variable %s", name)
	return val{}
}

// declare binds a template variable to v in the innermost scope.
func (f *fn) declare(name string, v val) {
	if v.dict != nil {
		f.scopes[len(f.scopes)-1][name] = v
		return
	}
	f.g.n++
	goName := fmt.Sprintf("x%d", f.g.n)
	f.emit("var %s %s = %s", goName, f.g.goType(v.t), v.expr)
	f.emit("_ = %s", goName)
	f.scopes[len(f.scopes)-1][name] = val{expr: goName, t: v.t}
}

func (f *fn) walk(dot val, l *parse.ListNode) {
	if l == nil {
		return
	}
	for _, n := range l.Nodes {
		f.node(dot, n)
	}
}

func (f *fn) node(dot val, n parse.Node) {
	switch n := n.(type) {
	case *parse.TextNode:
		f.emit("s.w.WriteString(%s)", strconv.Quote(string(n.Text)))
	case *parse.ActionNode:
		v := f.pipeline(dot, n.Pipe, true)
		if len(n.Pipe.Decl) > 0 {
			return
		}
		if v.t != stringType || !escaped(n.Pipe) {
			giveUp("output not escaped: %s", n)
		}
		f.emit("s.w.WriteString(%s)", v.expr)
	case *parse.IfNode:
		f.ifOrWith(dot, &n.BranchNode, false)
	case *parse.WithNode:
		f.ifOrWith(dot, &n.BranchNode, true)
	case *parse.RangeNode:
		f.rangeNode(dot, n)
	case *parse.TemplateNode:
		if n.Pipe == nil {
			giveUp("template without a dot: %s", n)
		}
		v := f.pipeline(dot, n.Pipe, true)
		name := f.g.call(f.ns, n.Name, v)
		f.emit("if err := %s(s, f, %s); err != nil {\nreturn err\n}", name, args(v))
	case *parse.ListNode:
		f.walk(dot, n)
	case *parse.BreakNode:
		if f.loops == 0 {
			giveUp("break outside range")
		}
		f.emit("break")
	case *parse.ContinueNode:
		if f.loops == 0 {
			giveUp("continue outside range")
		}
		f.emit("continue")
	case *parse.CommentNode:
	default:
		giveUp("node %T", n)
	}
}

// escaped reports whether a pipeline ends in an html/template escaper.
func escaped(p *parse.PipeNode) bool {
	last := p.Cmds[len(p.Cmds)-1]
	id, ok := last.Args[0].(*parse.IdentifierNode)
	return ok && escaperFuncs[id.Ident] != ""
}

// escapers maps html/template's escapers to the Go functions of escape.go
// (without the suffix String for strings).
var escaperFuncs = map[string]string{
	"_html_template_htmlescaper":    "escHTML",
	"_html_template_attrescaper":    "escAttr",
	"_html_template_rcdataescaper":  "escRCDATA",
	"_html_template_urlfilter":      "escURLFilter",
	"_html_template_urlnormalizer":  "escURLNormalizer",
	"_html_template_urlescaper":     "escURLEscaper",
	"_html_template_cssvaluefilter": "escCSSValue",
}

func (f *fn) ifOrWith(dot val, b *parse.BranchNode, with bool) {
	f.emit("{")
	f.push()
	v := f.pipeline(dot, b.Pipe, true)
	if v.dict == nil && !v.missing && !isName(v.expr) {
		v = f.temp(v.expr, v.t)
	}
	f.emit("if %s {", f.truth(v))
	f.push()
	if with {
		f.walk(v, b.List)
	} else {
		f.walk(dot, b.List)
	}
	f.pop()
	if b.ElseList != nil {
		f.emit("} else {")
		f.push()
		f.walk(dot, b.ElseList)
		f.pop()
	}
	f.emit("}")
	f.pop()
	f.emit("}")
}

func isName(s string) bool {
	for i, r := range s {
		if !(r == '_' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || i > 0 && r >= '0' && r <= '9') {
			return false
		}
	}
	return s != ""
}

func (f *fn) rangeNode(dot val, n *parse.RangeNode) {
	if n.Pipe.IsAssign {
		giveUp("range with =")
	}
	f.emit("{")
	f.push()
	v := f.pipeline(dot, n.Pipe, false)
	if v.dict != nil {
		giveUp("range over a dict")
	}
	switch v.t.Kind() {
	case reflect.Slice, reflect.Array:
	default:
		giveUp("range over %s", v.t)
	}
	if !isName(v.expr) {
		v = f.temp(v.expr, v.t)
	}
	f.g.n++
	i, e := fmt.Sprintf("i%d", f.g.n), fmt.Sprintf("e%d", f.g.n)
	f.emit("if len(%s) != 0 {", v.expr)
	f.emit("for %s := range %s {", i, v.expr)
	f.emit("%s := %s[%s]", e, v.expr, i)
	f.emit("_ = %s", e)
	f.push()
	elem := val{expr: e, t: v.t.Elem()}
	switch len(n.Pipe.Decl) {
	case 0:
	case 1:
		f.declare(n.Pipe.Decl[0].Ident[0], elem)
	case 2:
		f.declare(n.Pipe.Decl[0].Ident[0], val{expr: i, t: intType})
		f.declare(n.Pipe.Decl[1].Ident[0], elem)
	default:
		giveUp("range with %d variables", len(n.Pipe.Decl))
	}
	f.loops++
	f.walk(elem, n.List)
	f.loops--
	f.pop()
	f.emit("}")
	if n.ElseList != nil {
		f.emit("} else {")
		f.push()
		f.walk(dot, n.ElseList)
		f.pop()
	}
	f.emit("}")
	f.pop()
	f.emit("}")
}

// truth is text/template's truth of v, as a Go expression.
func (f *fn) truth(v val) string {
	if v.missing {
		return "false"
	}
	if v.dict != nil {
		return strconv.FormatBool(len(v.dict) > 0)
	}
	switch v.t.Kind() {
	case reflect.Bool:
		return v.expr
	case reflect.String, reflect.Slice, reflect.Array, reflect.Map:
		return "len(" + v.expr + ") > 0"
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr,
		reflect.Float32, reflect.Float64:
		return v.expr + " != 0"
	case reflect.Pointer, reflect.Chan, reflect.Func:
		return v.expr + " != nil"
	case reflect.Interface:
		if v.t.NumMethod() == 0 {
			return "truthOf(" + v.expr + ")"
		}
		return "truthOf(any(" + v.expr + "))"
	case reflect.Struct:
		if !isName(v.expr) {
			f.emit("_ = %s", v.expr) // evaluated, as text/template does
		}
		return "true"
	}
	giveUp("truth of %s", v.t)
	return ""
}

// pipeline evaluates a pipeline; with decl, it binds its variables.
func (f *fn) pipeline(dot val, p *parse.PipeNode, decl bool) val {
	if p == nil {
		giveUp("no pipeline")
	}
	var v val
	final := false
	for _, c := range p.Cmds {
		v = f.command(dot, c, v, final)
		final = true
	}
	if !decl || len(p.Decl) == 0 {
		return v
	}
	if len(p.Decl) > 1 {
		giveUp("several variables")
	}
	name := p.Decl[0].Ident[0]
	if p.IsAssign {
		x := f.lookup(name)
		if x.dict != nil || v.dict != nil || name == "$" {
			giveUp("assigning a dict")
		}
		if !v.t.AssignableTo(x.t) {
			giveUp("assigning %s to %s of %s", v.t, name, x.t)
		}
		f.emit("%s = %s", x.expr, v.expr)
		return x
	}
	f.declare(name, v)
	return f.lookup(name)
}

func (f *fn) command(dot val, c *parse.CommandNode, final val, hasFinal bool) val {
	switch n := c.Args[0].(type) {
	case *parse.FieldNode:
		return f.fieldChainOn(dot, dot, n.Ident, c.Args, final, hasFinal)
	case *parse.ChainNode:
		if len(n.Field) == 0 {
			giveUp("empty chain")
		}
		return f.fieldChainOn(dot, f.argValue(dot, n.Node), n.Field, c.Args, final, hasFinal)
	case *parse.IdentifierNode:
		return f.function(dot, n.Ident, c.Args, final, hasFinal)
	case *parse.PipeNode:
		notAFunction(c.Args, hasFinal)
		return f.pipeline(dot, n, true)
	case *parse.VariableNode:
		return f.variable(dot, n, c.Args, final, hasFinal)
	}
	notAFunction(c.Args, hasFinal)
	switch n := c.Args[0].(type) {
	case *parse.BoolNode:
		return val{expr: strconv.FormatBool(n.True), t: boolType}
	case *parse.DotNode:
		return dot
	case *parse.NumberNode:
		return idealConstant(n)
	case *parse.StringNode:
		return val{expr: strconv.Quote(n.Text), t: stringType}
	}
	giveUp("command %s", c)
	return val{}
}

func notAFunction(args []parse.Node, hasFinal bool) {
	if len(args) > 1 || hasFinal {
		giveUp("argument to a non-function %s", args[0])
	}
}

func idealConstant(n *parse.NumberNode) val {
	if n.IsInt && !strings.ContainsAny(n.Text, ".eEpP'") && int64(int(n.Int64)) == n.Int64 {
		return val{expr: "int(" + strconv.FormatInt(n.Int64, 10) + ")", t: intType}
	}
	giveUp("number %s", n.Text)
	return val{}
}

// argValue evaluates an argument that is not a constant (as evalArg does
// before validating its type).
func (f *fn) argValue(dot val, n parse.Node) val {
	switch n := n.(type) {
	case *parse.DotNode:
		return dot
	case *parse.FieldNode:
		return f.fieldChainOn(dot, dot, n.Ident, []parse.Node{n}, val{}, false)
	case *parse.VariableNode:
		return f.variable(dot, n, nil, val{}, false)
	case *parse.PipeNode:
		return f.pipeline(dot, n, true)
	case *parse.IdentifierNode:
		return f.function(dot, n.Ident, nil, val{}, false)
	case *parse.ChainNode:
		return f.fieldChainOn(dot, f.argValue(dot, n.Node), n.Field, nil, val{}, false)
	}
	giveUp("argument %s", n)
	return val{}
}

// arg evaluates an argument for a parameter of type t, as a Go expression.
func (f *fn) arg(dot val, t reflect.Type, n parse.Node) string {
	switch n.(type) {
	case *parse.DotNode, *parse.FieldNode, *parse.VariableNode, *parse.PipeNode, *parse.IdentifierNode, *parse.ChainNode:
		return f.convert(f.argValue(dot, n), t)
	case *parse.NilNode:
		giveUp("nil argument")
	}
	switch t.Kind() {
	case reflect.Bool:
		if b, ok := n.(*parse.BoolNode); ok {
			return f.g.goType(t) + "(" + strconv.FormatBool(b.True) + ")"
		}
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		if num, ok := n.(*parse.NumberNode); ok && num.IsInt {
			return f.g.goType(t) + "(" + strconv.FormatInt(num.Int64, 10) + ")"
		}
	case reflect.String:
		if s, ok := n.(*parse.StringNode); ok {
			return f.g.goType(t) + "(" + strconv.Quote(s.Text) + ")"
		}
	case reflect.Interface:
		if t.NumMethod() == 0 {
			return f.constant(n).expr
		}
	}
	giveUp("argument %s for %s", n, t)
	return ""
}

// constant is a constant argument for an empty interface (evalEmptyInterface).
func (f *fn) constant(n parse.Node) val {
	switch n := n.(type) {
	case *parse.BoolNode:
		return val{expr: strconv.FormatBool(n.True), t: boolType}
	case *parse.NumberNode:
		return idealConstant(n)
	case *parse.StringNode:
		return val{expr: strconv.Quote(n.Text), t: stringType}
	}
	giveUp("constant %s", n)
	return val{}
}

// anyArg is an argument for a parameter of an empty interface type, as a
// value (constants included).
func (f *fn) anyArg(dot val, n parse.Node) val {
	switch n.(type) {
	case *parse.BoolNode, *parse.NumberNode, *parse.StringNode:
		return f.constant(n)
	}
	return f.argValue(dot, n)
}

// convert is validateType: v as a value of type t.
func (f *fn) convert(v val, t reflect.Type) string {
	if v.missing || v.dict != nil {
		giveUp("a dict as a value")
	}
	switch {
	case v.t.AssignableTo(t):
		return v.expr
	case v.t.Kind() == reflect.Interface && v.t.NumMethod() == 0:
		return v.expr + ".(" + f.g.goType(t) + ")"
	case v.t.Kind() == reflect.Pointer && v.t.Elem().AssignableTo(t):
		return "(*" + v.expr + ")"
	}
	giveUp("%s for %s", v.t, t)
	return ""
}

func (f *fn) variable(dot val, n *parse.VariableNode, args []parse.Node, final val, hasFinal bool) val {
	v := f.lookup(n.Ident[0])
	if len(n.Ident) == 1 {
		if len(args) > 1 || hasFinal {
			giveUp("argument to variable %s", n)
		}
		return v
	}
	return f.fieldChainOn(dot, v, n.Ident[1:], args, final, hasFinal)
}

func (f *fn) fieldChainOn(dot, recv val, idents []string, args []parse.Node, final val, hasFinal bool) val {
	for _, id := range idents[:len(idents)-1] {
		recv = f.field(dot, recv, id, nil, val{}, false)
	}
	return f.field(dot, recv, idents[len(idents)-1], args, final, hasFinal)
}

// field is evalField: a method of recv, a field, or a dict's entry.
func (f *fn) field(dot, recv val, name string, args []parse.Node, final val, hasFinal bool) val {
	hasArgs := len(args) > 1 || hasFinal
	if recv.dict != nil {
		if hasArgs {
			giveUp("arguments to a dict entry")
		}
		for _, e := range recv.dict {
			if e.key == name {
				return e.v
			}
		}
		return val{missing: true}
	}
	t := recv.t
	if t.Kind() == reflect.Interface {
		giveUp("field %s of %s", name, t)
	}
	if !isName(recv.expr) && !strings.HasPrefix(recv.expr, "(") && !isSelector(recv.expr) {
		recv = f.temp(recv.expr, recv.t)
	}
	var m reflect.Method
	found := false
	if t.Kind() == reflect.Pointer {
		m, found = t.MethodByName(name)
	} else if _, onPtr := reflect.PointerTo(t).MethodByName(name); onPtr {
		if m, found = t.MethodByName(name); !found {
			giveUp("method %s of *%s on a %s", name, t, t)
		}
	}
	if found {
		mt := m.Type // with the receiver first
		in := make([]reflect.Type, 0, mt.NumIn()-1)
		for i := 1; i < mt.NumIn(); i++ {
			in = append(in, mt.In(i))
		}
		out := make([]reflect.Type, 0, mt.NumOut())
		for i := range mt.NumOut() {
			out = append(out, mt.Out(i))
		}
		ft := reflect.FuncOf(in, out, mt.IsVariadic())
		var callArgs []parse.Node
		if len(args) > 0 {
			callArgs = args[1:]
		}
		return f.callFunc(dot, recv.expr+"."+name, "", ft, callArgs, final, hasFinal)
	}
	base := t
	if base.Kind() == reflect.Pointer {
		base = base.Elem()
	}
	if base.Kind() != reflect.Struct {
		giveUp("field %s of %s", name, t)
	}
	sf, ok := base.FieldByName(name)
	if !ok || !sf.IsExported() {
		giveUp("no field %s in %s", name, t)
	}
	if hasArgs {
		giveUp("arguments to field %s", name)
	}
	return val{expr: recv.expr + "." + name, t: sf.Type}
}

func isSelector(s string) bool {
	for _, part := range strings.Split(s, ".") {
		if !isName(part) {
			return false
		}
	}
	return true
}

// function calls a function by name: a builtin, an escaper or one of the
// FuncMap. args holds the name first.
func (f *fn) function(dot val, name string, args []parse.Node, final val, hasFinal bool) val {
	var rest []parse.Node
	if len(args) > 0 {
		rest = args[1:]
	}
	if esc := escaperFuncs[name]; esc != "" {
		var v val
		switch {
		case len(rest) == 1 && !hasFinal:
			v = f.anyArg(dot, rest[0])
		case len(rest) == 0 && hasFinal:
			v = final
		default:
			giveUp("escaper with several arguments")
		}
		if v.dict != nil || v.missing {
			giveUp("escaping a dict or a missing entry")
		}
		switch {
		case v.t == stringType:
			return f.temp(esc+"String("+v.expr+")", stringType)
		case v.t == htmlType && esc == "escHTML":
			return val{expr: "string(" + v.expr + ")", t: stringType}
		case v.t.Kind() == reflect.Interface:
			return f.temp("must("+esc+"("+v.expr+"))", stringType)
		}
		return f.temp("must("+esc+"(any("+v.expr+")))", stringType)
	}
	if name == "dict" && sameFunc(f.g.fm[name], dict) {
		return f.dict(dot, rest, hasFinal)
	}
	if fv, ok := f.g.fm[name]; ok {
		ft := reflect.TypeOf(fv)
		f.g.used[name] = ft
		return f.callFunc(dot, "f.fn"+ident(name), name, ft, rest, final, hasFinal)
	}
	switch name {
	case "and", "or":
		return f.andOr(dot, name == "or", rest, hasFinal)
	case "not":
		v := f.oneArg(dot, rest, final, hasFinal)
		return val{expr: "!(" + f.truth(v) + ")", t: boolType}
	case "len":
		v := f.oneArg(dot, rest, final, hasFinal)
		if v.dict != nil {
			giveUp("len of a dict")
		}
		switch v.t.Kind() {
		case reflect.Slice, reflect.Array, reflect.String, reflect.Map:
			return val{expr: "len(" + v.expr + ")", t: intType}
		}
		giveUp("len of %s", v.t)
	case "index":
		vs := f.allArgs(dot, rest, final, hasFinal)
		if len(vs) != 2 || vs[0].dict != nil || vs[1].dict != nil {
			giveUp("index with %d arguments", len(vs))
		}
		item, i := vs[0], vs[1]
		if k := item.t.Kind(); k != reflect.Slice && k != reflect.Array || !isInt(i.t) {
			giveUp("index of %s by %s", item.t, i.t)
		}
		return f.temp(item.expr+"["+i.expr+"]", item.t.Elem())
	case "slice":
		vs := f.allArgs(dot, rest, final, hasFinal)
		if len(vs) != 3 || vs[0].dict != nil || vs[0].t.Kind() != reflect.Slice || vs[1].t != intType || vs[2].t != intType {
			giveUp("slice of this kind")
		}
		return f.temp(vs[0].expr+"["+vs[1].expr+":"+vs[2].expr+"]", vs[0].t)
	case "print":
		vs := f.allArgs(dot, rest, final, hasFinal)
		var es []string
		for _, v := range vs {
			if v.dict != nil {
				giveUp("printing a dict")
			}
			es = append(es, v.expr)
		}
		f.g.imports["fmt"] = "fmt"
		return f.temp("fmt.Sprint("+strings.Join(es, ", ")+")", stringType)
	case "eq", "ne", "lt", "le", "gt", "ge":
		vs := f.allArgs(dot, rest, final, hasFinal)
		return f.compare(name, vs)
	}
	giveUp("function %s", name)
	return val{}
}

// dict is the dict function with constant keys: its entries are known to
// the templates it is given to, with their static types.
func (f *fn) dict(dot val, rest []parse.Node, hasFinal bool) val {
	if hasFinal || len(rest)%2 != 0 {
		giveUp("dict of this kind")
	}
	d := val{dict: []dictEntry{}}
	for i := 0; i < len(rest); i += 2 {
		k, ok := rest[i].(*parse.StringNode)
		if !ok {
			giveUp("dict key %s", rest[i])
		}
		v := f.anyArg(dot, rest[i+1])
		if v.dict != nil {
			giveUp("dict in a dict")
		}
		if !isName(v.expr) {
			v = f.temp(v.expr, v.t)
		}
		for _, e := range d.dict {
			if e.key == k.Text {
				giveUp("dict key %s twice", k.Text)
			}
		}
		d.dict = append(d.dict, dictEntry{k.Text, v})
	}
	return d
}

// sameFunc reports whether a FuncMap entry is the function fn, whose
// meaning the generator knows.
func sameFunc(entry, fn any) bool {
	return entry != nil && reflect.ValueOf(entry).Pointer() == reflect.ValueOf(fn).Pointer()
}

func isInt(t reflect.Type) bool {
	switch t.Kind() {
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return true
	}
	return false
}

// allArgs evaluates the arguments of a builtin whose parameters are
// reflect.Value: each in turn, then the final value.
func (f *fn) allArgs(dot val, rest []parse.Node, final val, hasFinal bool) []val {
	var vs []val
	for _, n := range rest {
		v := f.anyArg(dot, n)
		if v.dict == nil && !v.missing && !isName(v.expr) && !strings.HasPrefix(v.expr, "int(") && !strings.HasPrefix(v.expr, `"`) {
			v = f.temp(v.expr, v.t)
		}
		vs = append(vs, v)
	}
	if hasFinal {
		vs = append(vs, final)
	}
	return vs
}

func (f *fn) oneArg(dot val, rest []parse.Node, final val, hasFinal bool) val {
	vs := f.allArgs(dot, rest, final, hasFinal)
	if len(vs) != 1 {
		giveUp("%d arguments for one", len(vs))
	}
	return vs[0]
}

// andOr evaluates and/or, which stop at the first false (true) argument
// and return it, or the last.
func (f *fn) andOr(dot val, or bool, rest []parse.Node, hasFinal bool) val {
	if hasFinal || len(rest) == 0 {
		giveUp("and/or with a piped value")
	}
	f.g.n++
	res := fmt.Sprintf("r%d", f.g.n)
	// The arguments are evaluated into the result one by one, each only
	// when the one before did not decide. The result has the arguments'
	// type when they all have the same, else any; so the test of each is
	// written once that type is known.
	const truthMark = "\x00truth\x00"
	var t reflect.Type
	saved := f.b
	f.b = strings.Builder{}
	opened := 0
	for i, n := range rest {
		v := f.anyArg(dot, n)
		if v.dict != nil {
			giveUp("a dict in and/or")
		}
		if i == 0 {
			t = v.t
		} else if t != v.t {
			t = anyType
		}
		f.emit("%s = %s", res, v.expr)
		if i < len(rest)-1 {
			f.emit("if %s {", truthMark)
			opened++
		}
	}
	for range opened {
		f.emit("}")
	}
	body := f.b.String()
	f.b = saved
	resVal := val{expr: res, t: t}
	truth := f.truth(resVal)
	if or {
		truth = "!(" + truth + ")"
	}
	f.emit("var %s %s", res, f.g.goType(t))
	f.b.WriteString(strings.ReplaceAll(body, truthMark, truth))
	return resVal
}

// compare is eq, ne, lt, le, gt or ge of values of static types.
func (f *fn) compare(op string, vs []val) val {
	if len(vs) < 2 || op != "eq" && len(vs) != 2 {
		giveUp("%s with %d arguments", op, len(vs))
	}
	if op == "eq" || op == "ne" {
		// A missing entry is equal to nothing (nor is anything to it),
		// whatever the other's type.
		var rest []val
		for i, v := range vs {
			if v.missing && i == 0 {
				return val{expr: strconv.FormatBool(op == "ne"), t: boolType}
			}
			if !v.missing {
				rest = append(rest, v)
			}
		}
		if len(rest) < len(vs) {
			if len(rest) == 1 {
				return val{expr: strconv.FormatBool(op == "ne"), t: boolType}
			}
			vs = rest
		}
	}
	for _, v := range vs {
		if v.missing || v.dict != nil || v.t.Kind() == reflect.Interface {
			giveUp("%s of %s", op, v.shape())
		}
	}
	kind := func(t reflect.Type) string {
		switch t.Kind() {
		case reflect.Bool:
			return "bool"
		case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
			return "int64"
		case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
			return "uint64"
		case reflect.Float32, reflect.Float64:
			return "float64"
		case reflect.String:
			return "string"
		}
		return ""
	}
	k := kind(vs[0].t)
	operand := func(v val) string {
		if k == "" {
			return v.expr
		}
		return k + "(" + v.expr + ")"
	}
	for _, v := range vs[1:] {
		if kind(v.t) != k {
			giveUp("%s of %s and %s", op, vs[0].t, v.t)
		}
		if k == "" && (v.t != vs[0].t || !v.t.Comparable() || op != "eq" && op != "ne") {
			giveUp("%s of %s and %s", op, vs[0].t, v.t)
		}
	}
	if k == "bool" && op != "eq" && op != "ne" {
		giveUp("%s of bools", op)
	}
	a, b := operand(vs[0]), operand(vs[1])
	var expr string
	switch op {
	case "eq":
		var terms []string
		for _, v := range vs[1:] {
			terms = append(terms, a+" == "+operand(v))
		}
		expr = strings.Join(terms, " || ")
	case "ne":
		expr = a + " != " + b
	case "lt":
		expr = a + " < " + b
	case "le":
		expr = a + " <= " + b
	case "gt":
		expr = "!(" + a + " <= " + b + ")"
	case "ge":
		expr = "!(" + a + " < " + b + ")"
	}
	return f.temp(expr, boolType)
}

// callFunc calls a function or method (expr) of type ft with the
// arguments args and the final value of a pipeline, as evalCall does.
func (f *fn) callFunc(dot val, expr, fmName string, ft reflect.Type, args []parse.Node, final val, hasFinal bool) val {
	numIn := len(args)
	if hasFinal {
		numIn++
	}
	numFixed := len(args)
	if ft.IsVariadic() {
		numFixed = ft.NumIn() - 1
		if numIn < numFixed {
			giveUp("too few arguments for %s", expr)
		}
	} else if numIn != ft.NumIn() {
		giveUp("wrong number of arguments for %s", expr)
	}
	var as []string
	var argTypes []reflect.Type // the static types of the values, before conversion
	add := func(t reflect.Type, n parse.Node) {
		switch n.(type) {
		case *parse.DotNode, *parse.FieldNode, *parse.VariableNode, *parse.PipeNode, *parse.IdentifierNode, *parse.ChainNode:
			v := f.argValue(dot, n)
			as = append(as, f.convert(v, t))
			argTypes = append(argTypes, v.t)
		default:
			as = append(as, f.arg(dot, t, n))
			argTypes = append(argTypes, t)
		}
	}
	i := 0
	for ; i < numFixed && i < len(args); i++ {
		add(ft.In(i), args[i])
	}
	if ft.IsVariadic() {
		et := ft.In(ft.NumIn() - 1).Elem()
		for ; i < len(args); i++ {
			add(et, args[i])
		}
	}
	if hasFinal {
		t := ft.In(ft.NumIn() - 1)
		if ft.IsVariadic() {
			if numIn-1 < numFixed {
				t = ft.In(numIn - 1)
			} else {
				t = t.Elem()
			}
		}
		as = append(as, f.convert(final, t))
		argTypes = append(argTypes, final.t)
	}
	call := expr + "(" + strings.Join(as, ", ") + ")"
	switch {
	case ft.NumOut() == 1 && ft.Out(0) != errType:
	case ft.NumOut() == 2 && ft.Out(1) == errType:
	default:
		giveUp("results of %s", expr)
	}
	rt := ft.Out(0)
	f.g.n++
	res := fmt.Sprintf("c%d", f.g.n)
	if ft.NumOut() == 2 {
		f.emit("%s, err := %s", res, call)
		f.emit("if err != nil {\nreturn err\n}")
	} else {
		f.emit("%s := %s", res, call)
	}
	// first returns its list (or the start of it) as any: its result has
	// the type of the list.
	if fmName == "first" && sameFunc(f.g.fm[fmName], first) && len(argTypes) == 2 && argTypes[1] != nil && argTypes[1].Kind() == reflect.Slice {
		return f.temp(res+".("+f.g.goType(argTypes[1])+")", argTypes[1])
	}
	return val{expr: res, t: rt}
}

// TestCompiledUpToDate generates the compiled theme again and wants
// theme_compiled.go to be what it generates (-update rewrites it).
func TestCompiledUpToDate(t *testing.T) {
	src, report := generateCompiled(t)
	t.Log(report)
	old, _ := os.ReadFile(compiledFile)
	if *updateCompiled {
		if err := os.WriteFile(compiledFile, src, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	if !bytes.Equal(old, src) {
		t.Fatalf("%s is out of date: run go test ./internal/render -run TestCompiledUpToDate -update", compiledFile)
	}
}

// generateCompiled compiles every page layout of the theme it can.
func generateCompiled(t *testing.T) ([]byte, string) {
	t.Helper()
	o := themeOptions(t, map[string]string{}, "en")
	r, err := newRenderer(o, false, false)
	if err != nil {
		t.Fatal(err)
	}
	g := newGen(r.funcs())
	type entry struct{ layout, fn, sum string }
	var entries []entry
	var report strings.Builder
	for _, name := range Layouts {
		page := r.pages[name]
		_ = page.ExecuteTemplate(io.Discard, baseOf(name), struct{}{}) // escapes it
		sum := sourcesSum(r.src, r.sources(name))
		// A layout that gives up leaves nothing behind.
		restore := g.save()
		fnName, why := func() (fn string, why string) {
			defer func() {
				if e := recover(); e != nil {
					nc, ok := e.(notCompiled)
					if !ok {
						panic(e)
					}
					why = nc.why
				}
			}()
			fn = g.layout(page, baseOf(name))
			g.generate()
			return fn, ""
		}()
		if why != "" {
			restore()
			fmt.Fprintf(&report, "%s: left to html/template: %s\n", name, why)
			continue
		}
		entries = append(entries, entry{name, fnName, sum})
		fmt.Fprintf(&report, "%s: compiled\n", name)
	}
	var b bytes.Buffer
	b.WriteString("// Code generated by go test ./internal/render -run TestCompiledUpToDate -update; DO NOT EDIT.\n\n")
	b.WriteString("package render\n\n")
	imports := []string{"html/template"}
	for path := range g.imports {
		if path != "html/template" {
			imports = append(imports, path)
		}
	}
	sort.Strings(imports)
	b.WriteString("import (\n")
	for _, p := range imports {
		fmt.Fprintf(&b, "%q\n", p)
	}
	b.WriteString(")\n\n")
	b.WriteString("func init() {\n")
	b.WriteString("compiledTheme.layouts = map[string]compiledLayout{\n")
	for _, e := range entries {
		fmt.Fprintf(&b, "%q: {sum: %q, exec: func(s *cstate, p *Page) error { return %s(s, s.f.(*themeFuncs), p) }},\n", e.layout, e.sum, e.fn)
	}
	b.WriteString("}\n")
	b.WriteString("compiledTheme.funcs = newThemeFuncs\n}\n\n")
	names := slices.Sorted(maps.Keys(g.used))
	b.WriteString("// themeFuncs are the template functions the compiled theme calls.\ntype themeFuncs struct {\n")
	for _, n := range names {
		fmt.Fprintf(&b, "fn%s %s\n", ident(n), g.goType(g.used[n]))
	}
	b.WriteString("}\n\n")
	b.WriteString("// newThemeFuncs takes the functions from fm; false when one has another type.\nfunc newThemeFuncs(fm template.FuncMap) (any, bool) {\nf := &themeFuncs{}\nok := true\n")
	for _, n := range names {
		fmt.Fprintf(&b, "f.fn%s, ok = fm[%q].(%s)\nif !ok {\nreturn nil, false\n}\n", ident(n), n, g.goType(g.used[n]))
	}
	b.WriteString("return f, true\n}\n")
	b.Write(g.out.Bytes())
	src, err := format.Source(b.Bytes())
	if err != nil {
		os.WriteFile(compiledFile+".broken", b.Bytes(), 0o644)
		t.Fatalf("generated code does not parse (see %s.broken): %v", compiledFile, err)
	}
	return src, report.String()
}

// TestCompiledSameOutput renders every page of the boards of
// eachRendering with the compiled theme and through html/template, and
// wants the same bytes; and every page to have run compiled, without
// falling back.
func TestCompiledSameOutput(t *testing.T) {
	if compiledTheme.layouts == nil {
		t.Fatalf("no compiled theme: run go test ./internal/render -run TestCompiledUpToDate -update")
	}
	eachRendering(t, func(c rendering) {
		compiled, err := New(c.o)
		if err != nil {
			t.Fatal(err)
		}
		if len(compiled.compiled) != len(Layouts) {
			t.Fatalf("%d of %d layouts compiled", len(compiled.compiled), len(Layouts))
		}
		plain, err := newRenderer(c.o, false, false)
		if err != nil {
			t.Fatal(err)
		}
		for _, j := range c.jobs {
			var buf bytes.Buffer
			compiled.fragments.use(j.Page.Site)
			if err := compiled.compiled[j.Layout].run(&cstate{w: &buf, f: compiled.cfuncs}, j.Page); err != nil {
				t.Fatalf("%s %s: compiled: %v", c, j.Page.Path, err)
			}
			got := ShowBidi(buf.Bytes())
			want, err := plain.RenderBytes(j)
			if err != nil {
				t.Fatalf("%s %s: %v", c, j.Page.Path, err)
			}
			if !bytes.Equal(got, want) {
				t.Fatalf("%s %s: compiled output differs:\n%s", c, j.Page.Path, firstDiff(got, want))
			}
		}
	})
}

// TestCompiledOnlyForTheme: a board's own layout turns the compiled theme
// off for the pages made of it, and only for those; a compiled page that
// fails gives html/template's error.
func TestCompiledOnlyForTheme(t *testing.T) {
	theme := themeOptions(t, map[string]string{}, "en")
	own := fstest.MapFS{"index.html": {Data: []byte(`{{define "main"}}<p>own</p>{{end}}`)}}
	o := theme
	o.Layouts = Union(own, theme.Layouts)
	r, err := New(o)
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := r.compiled["index.html"]; ok {
		t.Error("a board's own index.html ran compiled")
	}
	if _, ok := r.compiled["notices/list.html"]; !ok {
		t.Error("notices/list.html of the theme not compiled")
	}
	partial := fstest.MapFS{"partials/status.html": {Data: []byte(`{{.}}`)}}
	o.Layouts = Union(partial, theme.Layouts)
	if r, err = New(o); err != nil {
		t.Fatal(err)
	}
	if len(r.compiled) != 0 {
		t.Errorf("%d layouts compiled with a partial of the board's own", len(r.compiled))
	}

	// No UI strings: the first T fails, compiled and through html/template alike.
	bd, _, err := load.Load(os.DirFS("../.."))
	if err != nil {
		t.Fatal(err)
	}
	day, _ := board.ParseDate("2019-11-15")
	job := Jobs(bd.At(day))[0]
	compiled, err := New(theme)
	if err != nil {
		t.Fatal(err)
	}
	plain, err := newRenderer(theme, false, false)
	if err != nil {
		t.Fatal(err)
	}
	_, err1 := compiled.RenderBytes(job)
	_, err2 := plain.RenderBytes(job)
	if err1 == nil || err2 == nil || err1.Error() != err2.Error() {
		t.Errorf("errors differ:\ncompiled: %v\nplain:    %v", err1, err2)
	}
}
