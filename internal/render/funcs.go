package render

import (
	"cmp"
	"fmt"
	stdhtml "html"
	"html/template"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"unicode"

	"github.com/glassboard/glassboard/internal/board"
	"github.com/glassboard/glassboard/internal/poster"
)

// funcs are the template functions every layout may use.
func (r *Renderer) funcs() template.FuncMap {
	return template.FuncMap{
		// T returns a UI string; Tf formats one with arguments; N picks the
		// key_one or key_other form by n and formats n into it.
		"T":  r.T,
		"Tf": r.Tf,
		"N":  r.N,
		// date formats a date for the board's language; iso as 2006-01-02.
		"date": r.date,
		"iso":  func(d board.Date) string { return d.String() },
		// md renders Markdown safely.
		"md": r.markdown,
		// asset returns the fingerprinted output path of a theme asset.
		"asset": func(name string) (string, error) {
			if p, ok := r.assets[name]; ok {
				return p, nil
			}
			return "", fmt.Errorf("unknown asset %q", name)
		},
		"statusText": func(s string) (string, error) { return r.T("status_" + strings.ReplaceAll(s, "-", "_")) },
		"stars":      stars,
		"statusIcon": statusIcon,
		"status":     func(s board.Status) (string, error) { return r.T("status_" + strings.ReplaceAll(string(s), "-", "_")) },
		"oneDecimal": func(f float64) string { return strconv.FormatFloat(f, 'f', 1, 64) },
		"signed": func(n int) string {
			switch {
			case n > 0:
				return "+" + strconv.Itoa(n)
			case n < 0:
				return "−" + strconv.Itoa(-n)
			}
			return "0"
		},
		"add":           func(a, b int) int { return a + b },
		"sub":           func(a, b int) int { return a - b },
		"countdown":     countdown,
		"groupByStatus": board.GroupByStatus,
		"lang":          func() string { return r.lang },
		// live reports whether the script may refresh date-based states.
		"live": func() bool { return r.live },
		// code returns the record code of a record, "" when there is none.
		"code": func(kind, id string) string {
			if r.code == nil {
				return ""
			}
			return r.code(kind, id)
		},
		"join": strings.Join,
		"percentOf": func(n, total int) int {
			if total <= 0 {
				return 0
			}
			return (200*n + total) / (2 * total)
		},

		// Theme helpers.
		"Tor":           r.Tor,
		"purpose":       func(p board.Purpose) (string, error) { return r.T("purpose_" + string(p)) },
		"noticeState":   func(s board.NoticeState) (string, error) { return r.T("state_" + string(s)) },
		"dict":          dict,
		"partialCached": r.partialCached,
		"first":         first,
		"isURL":         isURL,
		"noticeGroups":  noticeGroups,
		"overdue":       overdueOf,
		"noNews":        noNewsOf,
		"unfinished":    func(s board.Status) bool { return s.Unfinished() },
		"statusCounts":  statusCounts,
		"statusesOf":    statusesOf,
		"listTitle":     r.listTitle,
		"jumpPath":      jumpPath,
		"unitLimits":    func() UnitLimits { return UnitPage },
		"unitsOf":       unitsOf,
		"starsLabel":    r.starsLabel,
		"calendarDates": calendarDates,
		"deref":         deref,
		"born":          r.born,
		// Posters: absolute record URLs, the QR code, unit wall codes,
		// and shortening that never cuts mid-sentence when it can help it.
		"recordURL": func(kind, id string) string {
			if r.url == nil {
				return ""
			}
			return r.url(kind, id)
		},
		"unitCode": func(id string) string {
			if r.unit == nil {
				return ""
			}
			return r.unit(id)
		},
		"qr":      poster.QRSVG,
		"excerpt": excerpt,
		"plain":   r.plain,
		"max0":    func(n int) int { return max(n, 0) },
		"latest":  latestUpdates,
	}
}

// excerpt returns s when it is at most n columns wide (a CJK character
// takes two), else its longest prefix of whole sentences within n columns
// (or of whole words, if the first sentence is longer) followed by "…".
func excerpt(s string, n int) string {
	if fits(s, n) {
		return s
	}
	s = strings.Join(strings.Fields(s), " ")
	runes := []rune(s)
	width, end := 0, len(runes)
	for i, r := range runes {
		width += runeWidth(r)
		if width > n {
			end = i
			break
		}
	}
	if end == len(runes) {
		return s
	}
	cut := 0
	for i := end - 1; i > 0 && cut == 0; i-- {
		switch runes[i] {
		case '.', '!', '?', '。', '！', '？', '；', ';':
			cut = i + 1
		}
	}
	if cut < end/3 {
		cut = end
		for i := end - 1; i > end/2; i-- {
			if runes[i] == ' ' || runeWidth(runes[i]) == 2 {
				cut = i
				break
			}
		}
	}
	out := strings.TrimSpace(string(runes[:cut]))
	if cut > 0 && strings.ContainsRune(".!?。！？；;", runes[cut-1]) {
		return out + " …" // whole sentences, then a sign that more follows
	}
	return out + "…"
}

// fits reports whether excerpt may return s as it is: its words are
// separated by single spaces, with none around them (as strings.Fields
// and a join would leave them), and it is at most n columns wide. Most
// names and titles on posters are.
func fits(s string, n int) bool {
	width, space := 0, true // space: the rune before was a space, or s begins
	for _, r := range s {
		if unicode.IsSpace(r) {
			if r != ' ' || space {
				return false
			}
			space = true
		} else {
			space = false
		}
		if width += runeWidth(r); width > n {
			return false
		}
	}
	return !space || s == ""
}

// runeWidth is 2 for East Asian wide characters, else 1.
func runeWidth(r rune) int {
	if r >= 0x1100 && (r <= 0x115f || (r >= 0x2e80 && r <= 0xa4cf) || (r >= 0xac00 && r <= 0xd7a3) ||
		(r >= 0xf900 && r <= 0xfaff) || (r >= 0xfe30 && r <= 0xfe4f) || (r >= 0xff00 && r <= 0xff60) ||
		(r >= 0xffe0 && r <= 0xffe6) || (r >= 0x20000 && r <= 0x3fffd)) {
		return 2
	}
	return 1
}

// markdown renders Markdown safely (the md function), and keeps the HTML
// for the poster's plain.
func (r *Renderer) markdown(src string) template.HTML {
	html := r.md.Render(src)
	r.fragments.keepMarkdown(src, html)
	return html
}

// plain returns Markdown as plain text: rendered, then stripped of tags.
// It takes the HTML that md rendered for the record's page when there is
// some, and renders src itself otherwise.
func (r *Renderer) plain(src string) string {
	rendered, ok := r.fragments.takeMarkdown(src)
	if !ok {
		rendered = r.md.Render(src)
	}
	return plainText(string(rendered))
}

// plainText strips HTML of its tags and entities and joins its words with
// single spaces.
func plainText(html string) string {
	var b strings.Builder
	for len(html) > 0 {
		i := strings.IndexByte(html, '<')
		if i < 0 {
			b.WriteString(html)
			break
		}
		b.WriteString(html[:i])
		j := strings.IndexByte(html[i:], '>')
		if j < 0 {
			break
		}
		// Inline tags join words; block tags separate them.
		switch tagName(html[i+1 : i+j]) {
		case "strong", "em", "a", "code", "del", "sup", "sub":
		default:
			b.WriteByte(' ')
		}
		html = html[i+j+1:]
	}
	return strings.Join(strings.Fields(stdhtml.UnescapeString(b.String())), " ")
}

// tagName returns the name of a tag from what is between its < and >:
// its first word, without the / of an end tag.
func tagName(tag string) string {
	tag = strings.TrimLeftFunc(tag, unicode.IsSpace)
	if k := strings.IndexFunc(tag, unicode.IsSpace); k >= 0 {
		tag = tag[:k]
	}
	return strings.TrimPrefix(tag, "/")
}

// latestUpdates returns the last n updates, newest first.
func latestUpdates(n int, us []board.Update) []board.Update {
	out := make([]board.Update, 0, min(n, len(us)))
	for i := len(us) - 1; i >= 0 && len(out) < n; i-- {
		out = append(out, us[i])
	}
	return out
}

// Tor returns the UI string for key, or fallback when there is none: for
// free-text values that often take a few known words (gender "female",
// unit kind "rural"), so that those read in the board's language.
func (r *Renderer) Tor(key, fallback string) string {
	if s, ok := r.strings[key]; ok {
		return s
	}
	return fallback
}

// starsLabel is the text alternative of a star drawing: "4 of 5 stars".
func (r *Renderer) starsLabel(n, outOf int) (string, error) {
	return r.N("stars_label", n, outOf)
}

// dict builds a map from key, value pairs, to pass several values to a
// partial: {{template "partials/x.html" (dict "C" . "Root" $.Root)}}.
func dict(kv ...any) (map[string]any, error) {
	if len(kv)%2 != 0 {
		return nil, fmt.Errorf("dict: odd number of arguments")
	}
	m := make(map[string]any, len(kv)/2)
	for i := 0; i < len(kv); i += 2 {
		k, ok := kv[i].(string)
		if !ok {
			return nil, fmt.Errorf("dict: key %v is not a string", kv[i])
		}
		m[k] = kv[i+1]
	}
	return m, nil
}

// first returns at most the first n elements of a slice (or the slice
// itself when it is shorter), so that a page shows a bounded number of
// records however large the board is.
func first(n int, list any) (any, error) {
	v := reflect.ValueOf(list)
	if !v.IsValid() {
		return list, nil
	}
	if v.Kind() != reflect.Slice && v.Kind() != reflect.Array {
		return nil, fmt.Errorf("first: %T is not a list", list)
	}
	if v.Len() <= n {
		return list, nil
	}
	return v.Slice(0, max(n, 0)).Interface(), nil
}

// isURL reports whether s is an absolute web address rather than a path
// under static/.
func isURL(s string) bool {
	l := strings.ToLower(s)
	return strings.HasPrefix(l, "https://") || strings.HasPrefix(l, "http://")
}

// noticeGroups splits notices (sorted as Snapshot.Notices is) into open,
// upcoming and closed, leaving out empty groups. One pass.
func noticeGroups(ns []*board.NoticeView) []NoticeGroup {
	var open, upcoming, closed []*board.NoticeView
	for _, n := range ns {
		switch n.State {
		case board.Open:
			open = append(open, n)
		case board.Upcoming:
			upcoming = append(upcoming, n)
		default:
			closed = append(closed, n)
		}
	}
	var out []NoticeGroup
	for _, g := range []NoticeGroup{{State: "open", Items: open}, {State: "upcoming", Items: upcoming}, {State: "closed", Items: closed}} {
		if len(g.Items) > 0 {
			out = append(out, g)
		}
	}
	return out
}

// overdueOf returns the overdue commitments of cs, most overdue first.
func overdueOf(cs []*board.CommitmentView) []*board.CommitmentView {
	var out []*board.CommitmentView
	for _, c := range cs {
		if c.Overdue {
			out = append(out, c)
		}
	}
	return mostFirst(out, func(c *board.CommitmentView) int { return c.DaysOverdue })
}

// mostFirst sorts cs by key, greatest first, keeping the order of those
// with the same key: what a stable sort does, but quicker, by sorting the
// keys with their places.
func mostFirst(cs []*board.CommitmentView, key func(*board.CommitmentView) int) []*board.CommitmentView {
	type keyed struct {
		key, at int
	}
	ks := make([]keyed, len(cs))
	for i, c := range cs {
		ks[i] = keyed{key(c), i}
	}
	slices.SortFunc(ks, func(a, b keyed) int {
		if c := cmp.Compare(b.key, a.key); c != 0 {
			return c
		}
		return cmp.Compare(a.at, b.at)
	})
	out := make([]*board.CommitmentView, len(cs))
	for i, k := range ks {
		out[i] = cs[k.at]
	}
	return out
}

// noNewsOf returns the commitments of cs flagged "no news", quietest first.
func noNewsOf(cs []*board.CommitmentView) []*board.CommitmentView {
	var out []*board.CommitmentView
	for _, c := range cs {
		if c.NoNews {
			out = append(out, c)
		}
	}
	return mostFirst(out, func(c *board.CommitmentView) int { return c.DaysQuiet })
}

// StatusCount is how many commitments have one status.
type StatusCount struct {
	Status board.Status
	Count  int
}

// statusCounts counts commitments by status in display order, leaving out
// statuses nobody has. One pass, no lists built.
func statusCounts(cs []*board.CommitmentView) []StatusCount {
	var n [7]int // by the index of the status in board.Statuses
	for _, c := range cs {
		if i := statusIndex(c.Status); i >= 0 {
			n[i]++
		}
	}
	var out []StatusCount
	for i, st := range board.Statuses {
		if n[i] > 0 {
			out = append(out, StatusCount{st, n[i]})
		}
	}
	return out
}

// listTitle is the heading of a list page: the list's name, narrowed by
// its filter and its unit.
func (r *Renderer) listTitle(p *Page) (string, error) {
	var name string
	var err error
	switch {
	case p.Kind != "commitments":
		name, err = r.T("nav_" + p.Kind)
	case p.Filter == "":
		name, err = r.T("nav_commitments")
	case p.Filter == "overdue":
		name, err = r.T("title_overdue")
	case p.Filter == "no-news":
		name, err = r.T("title_no_news")
	default:
		var st string
		if st, err = r.T("status_" + strings.ReplaceAll(p.Filter, "-", "_")); err == nil {
			name, err = r.Tf("title_status", st)
		}
	}
	if err == nil && p.Unit != nil {
		name, err = r.Tf("list_of_unit", name, p.Unit.Name)
	}
	return name, err
}

// jumpPath is the path of the page on which a group of the notices list
// begins, from the site root.
func jumpPath(js []Jump, state string) string {
	for _, j := range js {
		if j.State == state {
			return j.Path
		}
	}
	return "notices/index.html"
}

// statusesOf lists the statuses of cs in display order, for a filter.
func statusesOf(cs []*board.CommitmentView) []board.Status {
	var out []board.Status
	for _, c := range statusCounts(cs) {
		out = append(out, c.Status)
	}
	return out
}

// unitsOf lists the units of cs in the order they first come, for a filter.
func unitsOf(cs []*board.CommitmentView) []*board.Unit {
	var out []*board.Unit
	seen := map[string]bool{}
	for _, c := range cs {
		if c.Unit != nil && !seen[c.Unit.ID] {
			seen[c.Unit.ID] = true
			out = append(out, c.Unit)
		}
	}
	return out
}

// calendarDates joins dates as "2019-10-01 2019-10-02", for the data-
// attributes the page script reads to count working days.
func calendarDates(ds []board.Date) string {
	var b strings.Builder
	for i, d := range ds {
		if i > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(d.String())
	}
	return b.String()
}

// T returns the UI string for key; a missing key is an error, so a theme
// that asks for a string nobody wrote fails the build instead of showing it.
func (r *Renderer) T(key string) (string, error) {
	if s, ok := r.strings[key]; ok {
		return s, nil
	}
	return "", fmt.Errorf("no UI string %q for language %s (add it to i18n/%s.toml)", key, r.lang, r.lang)
}

// Tf formats the UI string key with args, as fmt.Sprintf does.
func (r *Renderer) Tf(key string, args ...any) (string, error) {
	s, err := r.T(key)
	if err != nil {
		return "", err
	}
	return fmt.Sprintf(s, args...), nil
}

// N formats the plural form of key for n: key_one when n is 1 and the
// language has it, else key_other. n is the first argument.
func (r *Renderer) N(key string, n int, args ...any) (string, error) {
	form := key + "_other"
	if _, ok := r.strings[key+"_one"]; ok && n == 1 {
		form = key + "_one"
	}
	return r.Tf(form, append([]any{n}, args...)...)
}

var enMonths = [...]string{"", "January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"}

func (r *Renderer) date(d board.Date) string {
	if d.IsZero() {
		return ""
	}
	y, m, day := d.Time().Date()
	if r.lang == "zh-CN" {
		return strconv.Itoa(y) + "年" + strconv.Itoa(int(m)) + "月" + strconv.Itoa(day) + "日"
	}
	return strconv.Itoa(day) + " " + enMonths[m] + " " + strconv.Itoa(y)
}

// born formats a year of birth, with its month when known, for the
// board's language: "March 1997", "1997年3月", "1992".
func (r *Renderer) born(b board.Born) string {
	switch {
	case b.IsZero():
		return ""
	case b.Month < 1 || b.Month > 12:
		if r.lang == "zh-CN" {
			return fmt.Sprintf("%d年", b.Year)
		}
		return strconv.Itoa(b.Year)
	case r.lang == "zh-CN":
		return fmt.Sprintf("%d年%d月", b.Year, b.Month)
	}
	return fmt.Sprintf("%s %d", enMonths[b.Month], b.Year)
}

// stars draws n of max stars as ★ and ☆.
func stars(n, outOf int) string {
	n = min(max(n, 0), outOf)
	return strings.Repeat("★", n) + strings.Repeat("☆", outOf-n)
}

// statusIcon is a symbol for a status, so that status never rests on
// colour alone; the word is always shown beside it.
func statusIcon(s board.Status) string {
	switch s {
	case board.Planned:
		return "○"
	case board.InProgress:
		return "◐"
	case board.Stalled:
		return "‖"
	case board.Done:
		return "✔"
	case board.Partial:
		return "◑"
	case board.Missed:
		return "✖"
	case board.Dropped:
		return "⊘"
	}
	return "?"
}

// countdown returns n, n-1, …, 0.
func countdown(n int) []int {
	out := make([]int, 0, n+1)
	for i := n; i >= 0; i-- {
		out = append(out, i)
	}
	return out
}

// deref returns the value a pointer points to (an update's *int progress),
// or v itself when it is not a pointer; nil gives nil.
func deref(v any) any {
	rv := reflect.ValueOf(v)
	for rv.Kind() == reflect.Pointer {
		if rv.IsNil() {
			return nil
		}
		rv = rv.Elem()
	}
	if !rv.IsValid() {
		return nil
	}
	return rv.Interface()
}
