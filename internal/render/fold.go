package render

import (
	"bytes"
	"html/template"
	"io"
	"strconv"
	"strings"
	"text/template/parse"
)

// Folding the UI strings into the templates.
//
// A UI string is the same on every page a Renderer renders, yet
// {{T "due"}} costs two calls through reflection on each: T, and the
// escaper html/template puts after it ({{T "due" | _html_template_htmlescaper}}).
// Those calls were a tenth of all the calls the templates make. So New
// escapes each page's templates before any page is rendered and replaces,
// in the escaped trees:
//
//   - T with a quoted key that has a UI string, asset with a quoted name
//     of an asset, lang and live by their values: {{T "due"}} becomes
//     {{"Due" | _html_template_htmlescaper}};
//   - an output action that is a constant string and one escaper of HTML
//     text, a quoted attribute or RCDATA by the text that escaper makes of
//     it, which html/template itself computes: {{"Due" | _html_template_htmlescaper}}
//     becomes the text Due.
//
// Anything else is left alone: a key with no UI string still fails when
// the action runs (so does an unknown asset), and a string in a URL, script or style keeps its
// escapers. The output is the same byte for byte (TestFoldedSameOutput).

// foldEscapers maps the escapers an output action may end in (their names
// joined by "|") to a template in which html/template puts exactly those
// after {{.}}, as a prefix and a suffix around the action.
var foldEscapers = map[string][2]string{
	"_html_template_htmlescaper":                                                       {"<p>", "</p>"},
	"_html_template_attrescaper":                                                       {`<p title="`, `">`},
	"_html_template_rcdataescaper":                                                     {"<title>", "</title>"},
	"_html_template_urlnormalizer|_html_template_attrescaper":                          {`<a href="/x`, `">`},
	"_html_template_urlfilter|_html_template_urlnormalizer|_html_template_attrescaper": {`<a href="`, `">`},
}

// folder folds the UI strings of one Renderer into templates.
type folder struct {
	r       *Renderer
	escaped map[string]string // escaper+"\x00"+string → escaped text
	probes  map[string]*template.Template
}

// fold escapes the page template t, executed through base, and folds the
// UI strings into every template it reaches. t must not have been
// executed by anyone else yet.
func (f *folder) fold(t *template.Template, base string) {
	// html/template escapes a template and all it calls on its first
	// execution, and has no other way to ask for it. With no page as dot,
	// the execution stops at the first field; its error, or an error of
	// escaping (which every later execution returns too), is not ours to
	// report here.
	_ = t.ExecuteTemplate(io.Discard, base, struct{}{})
	seen := map[string]bool{}
	var walkTemplate func(name string)
	walkTemplate = func(name string) {
		if seen[name] {
			return
		}
		seen[name] = true
		tt := t.Lookup(name)
		if tt == nil || tt.Tree == nil || tt.Tree.Root == nil {
			return // a derived template of the escaper, or none: left as it is
		}
		f.list(tt.Tree.Root, walkTemplate)
	}
	walkTemplate(base)
}

// list folds the nodes of a list, and the templates they call.
func (f *folder) list(l *parse.ListNode, call func(name string)) {
	if l == nil {
		return
	}
	for i, n := range l.Nodes {
		switch n := n.(type) {
		case *parse.ActionNode:
			f.pipe(n.Pipe)
			if text, ok := f.constantOutput(n.Pipe); ok {
				l.Nodes[i] = &parse.TextNode{NodeType: parse.NodeText, Pos: n.Pos, Text: []byte(text)}
			}
		case *parse.IfNode:
			f.branch(&n.BranchNode, call)
		case *parse.RangeNode:
			f.branch(&n.BranchNode, call)
		case *parse.WithNode:
			f.branch(&n.BranchNode, call)
		case *parse.TemplateNode:
			f.pipe(n.Pipe)
			call(n.Name)
		case *parse.ListNode:
			f.list(n, call)
		}
	}
}

// branch folds an if, range or with: its pipeline and both its lists.
func (f *folder) branch(b *parse.BranchNode, call func(name string)) {
	f.pipe(b.Pipe)
	f.list(b.List, call)
	f.list(b.ElseList, call)
}

// pipe replaces the constant functions of a pipeline by their values.
func (f *folder) pipe(p *parse.PipeNode) {
	if p == nil {
		return
	}
	for _, c := range p.Cmds {
		for _, a := range c.Args {
			switch a := a.(type) {
			case *parse.PipeNode:
				f.pipe(a)
			case *parse.ChainNode:
				if p, ok := a.Node.(*parse.PipeNode); ok {
					f.pipe(p)
				}
			}
		}
		if len(c.Args) == 0 {
			continue
		}
		id, ok := c.Args[0].(*parse.IdentifierNode)
		if !ok {
			continue
		}
		switch {
		case id.Ident == "T" && len(c.Args) == 2:
			if n, ok := lookedUp(c.Args[1], f.r.strings); ok {
				c.Args = []parse.Node{n}
			}
		case id.Ident == "asset" && len(c.Args) == 2:
			if n, ok := lookedUp(c.Args[1], f.r.assets); ok {
				c.Args = []parse.Node{n}
			}
		case id.Ident == "lang" && len(c.Args) == 1:
			c.Args = []parse.Node{stringNode(id.Pos, f.r.lang)}
		case id.Ident == "live" && len(c.Args) == 1:
			c.Args = []parse.Node{&parse.BoolNode{NodeType: parse.NodeBool, Pos: id.Pos, True: f.r.live}}
		}
	}
}

// constantOutput returns the text an output action writes when it is a
// constant string and escapers that foldEscapers knows.
func (f *folder) constantOutput(p *parse.PipeNode) (string, bool) {
	if p == nil || p.IsAssign || len(p.Decl) > 0 || len(p.Cmds) < 2 || len(p.Cmds[0].Args) != 1 {
		return "", false
	}
	s, ok := p.Cmds[0].Args[0].(*parse.StringNode)
	if !ok {
		return "", false
	}
	chain, ok := escapers(p.Cmds[1:])
	if !ok {
		return "", false
	}
	return f.escape(chain, s.Text)
}

// escapers returns the names of the functions of cmds joined by "|", when
// each command is a function without arguments.
func escapers(cmds []*parse.CommandNode) (string, bool) {
	var names []string
	for _, c := range cmds {
		if len(c.Args) != 1 {
			return "", false
		}
		id, ok := c.Args[0].(*parse.IdentifierNode)
		if !ok {
			return "", false
		}
		names = append(names, id.Ident)
	}
	return strings.Join(names, "|"), true
}

// escape returns what the html/template escapers esc (names joined by
// "|") make of s, by executing a template in which html/template puts
// those escapers.
func (f *folder) escape(esc, s string) (string, bool) {
	key := esc + "\x00" + s
	if out, ok := f.escaped[key]; ok {
		return out, true
	}
	frame, ok := foldEscapers[esc]
	if !ok {
		return "", false
	}
	if f.probes == nil {
		f.probes, f.escaped = map[string]*template.Template{}, map[string]string{}
	}
	probe, tried := f.probes[esc]
	if !tried {
		// The probe must put exactly these escapers after {{.}}; it stays
		// nil when it does not.
		p, err := template.New("").Parse(frame[0] + "{{.}}" + frame[1])
		if err == nil && escapedWith(p, esc) {
			probe = p
		}
		f.probes[esc] = probe
	}
	if probe == nil {
		return "", false
	}
	var b bytes.Buffer
	if err := probe.Execute(&b, s); err != nil {
		return "", false
	}
	out, ok := strings.CutPrefix(b.String(), frame[0])
	if !ok {
		return "", false
	}
	if out, ok = strings.CutSuffix(out, frame[1]); !ok {
		return "", false
	}
	f.escaped[key] = out
	return out, true
}

// escapedWith reports whether the executed probe's last action is {{.}}
// followed by the escapers esc (names joined by "|").
func escapedWith(probe *template.Template, esc string) bool {
	if err := probe.Execute(io.Discard, ""); err != nil {
		return false
	}
	var last *parse.ActionNode
	for _, n := range probe.Tree.Root.Nodes {
		if a, ok := n.(*parse.ActionNode); ok {
			last = a
		}
	}
	if last == nil || len(last.Pipe.Cmds) < 2 || last.Pipe.Cmds[0].String() != "." {
		return false
	}
	chain, ok := escapers(last.Pipe.Cmds[1:])
	return ok && chain == esc
}

// lookedUp returns the value in table of arg, a quoted string such as the
// key of {{T "due"}}, as a string constant; false when arg is not a quoted
// string or table has no such key (the action is then left to fail or
// work as it would).
func lookedUp(arg parse.Node, table map[string]string) (*parse.StringNode, bool) {
	key, ok := arg.(*parse.StringNode)
	if !ok {
		return nil, false
	}
	v, ok := table[key.Text]
	if !ok {
		return nil, false
	}
	return stringNode(key.Pos, v), true
}

// stringNode is the string constant s as the parser would have made it.
func stringNode(pos parse.Pos, s string) *parse.StringNode {
	return &parse.StringNode{NodeType: parse.NodeString, Pos: pos, Quoted: strconv.Quote(s), Text: s}
}
