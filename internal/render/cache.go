package render

import (
	"bytes"
	"fmt"
	"html/template"
	"strings"
	"sync"

	"github.com/glassboard/glassboard/internal/board"
)

// fragments caches the output of partialCached for one snapshot. Most of a
// page's frame (head links, header and navigation, footer, the page
// script's settings) is the same on every page at the same depth, and
// executing it through html/template cost about 350 µs a page, half of a
// record page.
type fragments struct {
	mu   sync.Mutex
	snap *board.Snapshot // the snapshot the entries belong to
	m    map[string]template.HTML
	// md holds Markdown that md rendered, by source, until plain takes
	// it: a record's body and notes are rendered on its page, and again
	// as plain text on its poster, which comes later. Parsing them once
	// saves a twentieth of a build's rendering time.
	md map[string]keptHTML
}

// keptHTML is the HTML of a Markdown source, and how many times md
// rendered that source (short notes recur) that plain has not taken yet.
type keptHTML struct {
	html template.HTML
	n    int
}

var bufPool = sync.Pool{New: func() any { return new(bytes.Buffer) }}

// use makes the cache hold the fragments of snapshot s, dropping those of
// any other. Render calls it before every page: a Renderer renders the
// pages of one snapshot at a time.
func (c *fragments) use(s *board.Snapshot) {
	c.mu.Lock()
	if c.snap != s {
		c.snap, c.m, c.md = s, map[string]template.HTML{}, map[string]keptHTML{}
	}
	c.mu.Unlock()
}

// keepMarkdown keeps the HTML that src rendered to, for takeMarkdown.
func (c *fragments) keepMarkdown(src string, html template.HTML) {
	c.mu.Lock()
	if c.md != nil {
		k := c.md[src]
		c.md[src] = keptHTML{html, k.n + 1}
	}
	c.mu.Unlock()
}

// takeMarkdown returns the HTML kept for src, and forgets it once it has
// been taken as many times as md rendered it: each poster takes its
// record's Markdown once, so what is taken is not kept longer.
func (c *fragments) takeMarkdown(src string) (template.HTML, bool) {
	c.mu.Lock()
	k, ok := c.md[src]
	if ok {
		if k.n--; k.n > 0 {
			c.md[src] = k
		} else {
			delete(c.md, src)
		}
	}
	c.mu.Unlock()
	return k.html, ok
}

// partialCached executes the partial name with ctx as its dot, once per
// snapshot and combination of variants, and returns the cached output
// after that, like Hugo's partialCached:
//
//	{{partialCached "partials/site-footer.html" . .Root}}
//
// The variants must name everything the partial's output depends on
// besides the snapshot, the board's settings and its UI strings (a
// record's id, not the record: a variant is written out with fmt). The
// partial is executed on its own, in an HTML text context.
func (r *Renderer) partialCached(name string, ctx any, variants ...any) (template.HTML, error) {
	var key strings.Builder
	key.WriteString(name)
	for _, v := range variants {
		key.WriteByte(0)
		switch v := v.(type) {
		case string:
			key.WriteString(v)
		default:
			fmt.Fprint(&key, v)
		}
	}
	k := key.String()
	c := &r.fragments
	c.mu.Lock()
	html, ok := c.m[k]
	snap := c.snap
	c.mu.Unlock()
	if ok {
		return html, nil
	}
	buf := bufPool.Get().(*bytes.Buffer)
	defer bufPool.Put(buf)
	buf.Reset()
	if err := r.partials.ExecuteTemplate(buf, name, ctx); err != nil {
		return "", fmt.Errorf("partialCached: %w", err)
	}
	html = template.HTML(buf.String())
	c.mu.Lock()
	if c.snap == snap && c.m != nil {
		c.m[k] = html
	}
	c.mu.Unlock()
	return html, nil
}
