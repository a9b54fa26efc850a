// Command hugocompare converts a glassboard board into an equivalent Hugo
// site, for scripts/hugo-compare. It is not part of glassboard: it lives in
// the module only so that it builds with the module's own TOML decoder, and
// it imports nothing the module does not already require (Hugo is never a
// dependency; the script installs it as a separate binary).
//
//	go run ./scripts/hugocompare -board DIR -out DIR -now 2026-06-15 -theme DIR
//
// The Hugo site it writes:
//
//   - content/<kind>/<id>.md for every commitment, notice and rating that is
//     published by -now (scheduled records are left out, as glassboard does),
//     with every field of the record in the front matter except `body` (the
//     Markdown body of the page) and `[candidates.private]` (never copied),
//     plus `date` (made, published or rated), `id` and `units` (the unit
//     taxonomy: the record's unit; a notice's candidates' units);
//   - content/units/<unit>/_index.md for every unit of board.toml (name,
//     kind, members), so that each term page has its data;
//   - content/<slug>.md for the free pages;
//   - hugo.toml with the board's settings under [params], and the layouts
//     and assets copied from -theme (scripts/hugocompare/site).
//
// Derived states (overdue, no news, notice window and redaction, ranks,
// means, distributions, changes against the previous rating) are not
// computed here: the Hugo templates compute them at build time, as
// glassboard does, so that both builds do the same work.
package main

import (
	"bytes"
	"flag"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/BurntSushi/toml"
)

func main() {
	board := flag.String("board", "", "the glassboard board to convert")
	out := flag.String("out", "", "the Hugo site to write (must not exist)")
	nowS := flag.String("now", "", "the day of the build, YYYY-MM-DD")
	theme := flag.String("theme", "", "folder with the Hugo layouts and assets to copy")
	flag.Parse()
	if *board == "" || *out == "" || *nowS == "" || *theme == "" {
		fmt.Fprintln(os.Stderr, "usage: hugocompare -board DIR -out DIR -now YYYY-MM-DD -theme DIR")
		os.Exit(2)
	}
	now, err := time.Parse("2006-01-02", *nowS)
	if err != nil {
		fatal(err)
	}
	if _, err := os.Stat(*out); err == nil {
		fatal(fmt.Errorf("%s exists", *out))
	}
	c := &converter{board: *board, out: *out, now: now}
	if err := c.run(*theme); err != nil {
		fatal(err)
	}
	fmt.Printf("hugocompare: %d commitments, %d notices, %d ratings, %d units, %d pages (%d scheduled records left out)\n",
		c.count["commitments"], c.count["notices"], c.count["ratings"], c.count["units"], c.count["pages"], c.count["scheduled"])
}

func fatal(err error) {
	fmt.Fprintln(os.Stderr, "hugocompare:", err)
	os.Exit(1)
}

type converter struct {
	board, out string
	now        time.Time
	count      map[string]int
}

func (c *converter) run(theme string) error {
	c.count = map[string]int{}
	var cfg map[string]any
	if _, err := toml.DecodeFile(filepath.Join(c.board, "board.toml"), &cfg); err != nil {
		return err
	}
	if err := c.config(cfg); err != nil {
		return err
	}
	if err := copyTree(theme, c.out); err != nil {
		return err
	}
	units, _ := cfg["units"].([]map[string]any)
	for _, u := range units {
		id, _ := u["id"].(string)
		fm := map[string]any{"title": u["name"], "id": id}
		for _, k := range []string{"kind", "members"} {
			if v, ok := u[k]; ok {
				fm[k] = v
			}
		}
		if err := c.write(filepath.Join("content", "units", id, "_index.md"), fm, ""); err != nil {
			return err
		}
		c.count["units"]++
	}
	for _, kind := range []string{"commitments", "notices", "ratings"} {
		if err := c.records(kind); err != nil {
			return err
		}
	}
	return c.pages()
}

// config writes hugo.toml: the board's settings as params; the outputs and
// the pagination as in the comparison's brief.
func (c *converter) config(cfg map[string]any) error {
	params := map[string]any{
		"now":          c.now.Format("2006-01-02"),
		"description":  cfg["description"],
		"organization": cfg["organization"],
		"objections":   cfg["objections"],
		"units":        cfg["units"],
	}
	stale, redact, minDays := int64(90), int64(30), int64(5)
	var holidays, workdays []string
	if m, ok := cfg["commitments"].(map[string]any); ok {
		if v, ok := m["stale_after_days"].(int64); ok {
			stale = v
		}
	}
	if m, ok := cfg["notices"].(map[string]any); ok {
		if v, ok := m["redact_after_days"].(int64); ok {
			redact = v
		}
		if v, ok := m["min_working_days"].(int64); ok {
			minDays = v
		}
		holidays = dates(m["holidays"])
		workdays = dates(m["workdays"])
	}
	params["stale_after_days"] = stale
	params["redact_after_days"] = redact
	params["min_working_days"] = minDays
	params["holidays"] = holidays
	params["workdays"] = workdays
	lang, _ := cfg["language"].(string)
	if lang == "" {
		lang = "en"
	}
	site := map[string]any{
		"baseURL":                cfg["base_url"],
		"title":                  cfg["title"],
		"locale":                 lang,
		"defaultContentLanguage": "en",
		"buildFuture":            true, // scheduled records are left out by the conversion
		"enableRobotsTXT":        false,
		"disableKinds":           []string{},
		"taxonomies":             map[string]any{"unit": "units"},
		"pagination":             map[string]any{"pagerSize": 50},
		"params":                 params,
		"services":               map[string]any{"rss": map[string]any{"limit": 50}},
		"markup": map[string]any{"goldmark": map[string]any{
			"extensions": map[string]any{"cjk": map[string]any{"enable": true}, "linkify": true, "table": true, "strikethrough": true, "footnote": true},
			"renderer":   map[string]any{"unsafe": false},
		}},
		"mediaTypes": map[string]any{"text/csv": map[string]any{"suffixes": []string{"csv"}}},
		"outputFormats": map[string]any{
			// A second HTML page per record and per unit, under /posters/:
			// the counterpart of glassboard's wall posters.
			"poster": map[string]any{"mediaType": "text/html", "baseName": "index", "path": "posters", "isHTML": true, "permalinkable": false},
			"csv":    map[string]any{"mediaType": "text/csv", "baseName": "index", "isPlainText": true},
		},
		"outputs": map[string]any{
			"home":     []string{"html", "rss", "json"},
			"page":     []string{"html", "poster"},
			"section":  []string{"html", "json", "csv"},
			"taxonomy": []string{"html"},
			"term":     []string{"html", "rss", "poster"},
		},
	}
	var buf bytes.Buffer
	if err := toml.NewEncoder(&buf).Encode(site); err != nil {
		return err
	}
	if err := os.MkdirAll(c.out, 0o755); err != nil {
		return err
	}
	return os.WriteFile(filepath.Join(c.out, "hugo.toml"), buf.Bytes(), 0o644)
}

func dates(v any) []string {
	var out []string
	if a, ok := v.([]any); ok {
		for _, d := range a {
			if t, ok := d.(time.Time); ok {
				out = append(out, t.Format("2006-01-02"))
			}
		}
	}
	return out
}

var dateKey = map[string]string{"commitments": "made", "notices": "published", "ratings": "rated"}

func (c *converter) records(kind string) error {
	root := filepath.Join(c.board, "content", kind)
	return filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			if os.IsNotExist(err) && path == root {
				return nil
			}
			return err
		}
		if d.IsDir() || !strings.HasSuffix(path, ".toml") {
			return nil
		}
		var rec map[string]any
		if _, err := toml.DecodeFile(path, &rec); err != nil {
			return fmt.Errorf("%s: %w", path, err)
		}
		id := strings.TrimSuffix(d.Name(), ".toml")
		date, _ := rec[dateKey[kind]].(time.Time)
		if date.After(c.now) { // scheduled: in no output yet
			c.count["scheduled"]++
			return nil
		}
		body, _ := rec["body"].(string)
		delete(rec, "body")
		rec["id"] = id
		rec["date"] = rec[dateKey[kind]]
		var units []string
		if u, ok := rec["unit"].(string); ok {
			units = []string{u}
		}
		if cands, ok := rec["candidates"].([]map[string]any); ok {
			seen := map[string]bool{}
			for _, cand := range cands {
				delete(cand, "private") // never copied anywhere
				if u, ok := cand["unit"].(string); ok && !seen[u] {
					seen[u] = true
					units = append(units, u)
				}
			}
			sort.Strings(units)
		}
		rec["units"] = units
		utcDates(rec)
		c.count[kind]++
		return c.write(filepath.Join("content", kind, id+".md"), rec, body)
	})
}

// utcDates turns TOML local dates into UTC midnights, written as offset
// date-times: Hugo's TOML decoder gives a local date to templates as a
// toml.LocalDate, which has no methods to compare or format it, but an
// offset date-time as a time.Time.
func utcDates(v any) {
	switch v := v.(type) {
	case map[string]any:
		for k, x := range v {
			if t, ok := x.(time.Time); ok {
				v[k] = time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC)
				continue
			}
			utcDates(x)
		}
	case []map[string]any:
		for _, x := range v {
			utcDates(x)
		}
	case []any:
		for i, x := range v {
			if t, ok := x.(time.Time); ok {
				v[i] = time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC)
				continue
			}
			utcDates(x)
		}
	}
}

func (c *converter) pages() error {
	dir := filepath.Join(c.board, "content", "pages")
	entries, err := os.ReadDir(dir)
	if os.IsNotExist(err) {
		return nil
	}
	if err != nil {
		return err
	}
	for _, e := range entries {
		if !strings.HasSuffix(e.Name(), ".md") {
			continue
		}
		b, err := os.ReadFile(filepath.Join(dir, e.Name()))
		if err != nil {
			return err
		}
		// Glassboard pages are Markdown with TOML front matter between +++
		// lines, as in Hugo: copied as they are, with one HTML page each
		// (no poster, as in glassboard).
		s := strings.Replace(string(b), "+++\n", "+++\noutputs = [\"html\"]\n", 1)
		dst := filepath.Join(c.out, "content", e.Name())
		if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
			return err
		}
		if err := os.WriteFile(dst, []byte(s), 0o644); err != nil {
			return err
		}
		c.count["pages"]++
	}
	return nil
}

func (c *converter) write(rel string, fm map[string]any, body string) error {
	var buf bytes.Buffer
	buf.WriteString("+++\n")
	if err := toml.NewEncoder(&buf).Encode(fm); err != nil {
		return err
	}
	buf.WriteString("+++\n")
	buf.WriteString(body)
	dst := filepath.Join(c.out, rel)
	if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
		return err
	}
	return os.WriteFile(dst, buf.Bytes(), 0o644)
}

func copyTree(src, dst string) error {
	return filepath.WalkDir(src, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(src, path)
		target := filepath.Join(dst, rel)
		if d.IsDir() {
			return os.MkdirAll(target, 0o755)
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		return os.WriteFile(target, b, 0o644)
	})
}
