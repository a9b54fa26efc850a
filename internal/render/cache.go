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
}

// partialCached executes the partial name with the page p as its dot, once
// per snapshot and combination of variants, and returns the cached output
// after that, like Hugo's partialCached:
//
//	{{partialCached "partials/site-footer.html" . .Root}}
//
// The variants must name everything the partial's output depends on
// besides the snapshot, the board's settings and its UI strings. The
// partial is executed on its own, in an HTML text context.
func (r *Renderer) partialCached(name string, p *Page, variants ...any) (template.HTML, error) {
	if p == nil {
		return "", fmt.Errorf("partialCached %s: no page", name)
	}
	var key strings.Builder
	key.WriteString(name)
	for _, v := range variants {
		key.WriteByte(0)
		fmt.Fprint(&key, v)
	}
	k := key.String()
	c := &r.fragments
	c.mu.Lock()
	if c.snap != p.Site {
		c.snap, c.m = p.Site, map[string]template.HTML{}
	}
	html, ok := c.m[k]
	c.mu.Unlock()
	if ok {
		return html, nil
	}
	var buf bytes.Buffer
	if err := r.partials.ExecuteTemplate(&buf, name, p); err != nil {
		return "", fmt.Errorf("partialCached: %w", err)
	}
	html = template.HTML(buf.String())
	c.mu.Lock()
	if c.snap == p.Site {
		c.m[k] = html
	}
	c.mu.Unlock()
	return html, nil
}
