package sample

import (
	"bufio"
	"bytes"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/BurntSushi/toml"
)

var asOf = time.Date(2026, 11, 27, 0, 0, 0, 0, time.UTC)

// readTree returns every file under dir by slash-separated relative path.
func readTree(t testing.TB, dir string) map[string][]byte {
	t.Helper()
	files := map[string][]byte{}
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(dir, path)
		files[filepath.ToSlash(rel)] = data
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return files
}

func write(t testing.TB, n int, at time.Time) (string, map[string][]byte) {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "board")
	if err := Write(dir, n, at); err != nil {
		t.Fatalf("Write(%d): %v", n, err)
	}
	return dir, readTree(t, dir)
}

func TestDeterministic(t *testing.T) {
	_, a := write(t, 400, asOf)
	_, b := write(t, 400, asOf)
	if len(a) != len(b) {
		t.Fatalf("%d files vs %d", len(a), len(b))
	}
	for p, data := range a {
		if !bytes.Equal(data, b[p]) {
			t.Errorf("%s differs between two runs", p)
		}
	}
	// Only the date of asOf counts, not its clock time or zone.
	shanghai := time.FixedZone("CST", 8*3600)
	_, c := write(t, 400, time.Date(2026, 11, 27, 23, 59, 0, 0, shanghai))
	for p, data := range a {
		if !bytes.Equal(data, c[p]) {
			t.Fatalf("%s differs for the same date in another zone", p)
		}
	}
	// Another anchor gives another board.
	_, d := write(t, 400, asOf.AddDate(0, 0, 1))
	same := 0
	for p, data := range a {
		if bytes.Equal(data, d[p]) {
			same++
		}
	}
	if same > 2 { // board.toml and about.md
		t.Errorf("%d files identical for different anchors", same)
	}
}

func countKinds(files map[string][]byte) map[string]int {
	n := map[string]int{}
	for p := range files {
		parts := strings.Split(p, "/")
		switch {
		case len(parts) == 1:
			n[parts[0]]++
		case parts[0] == "content":
			n[parts[1]]++
		default:
			n["other"]++
		}
	}
	return n
}

func TestFileCounts(t *testing.T) {
	tests := []struct {
		n                                   int
		commitments, notices, ratings, page int
	}{
		{0, 0, 0, 0, 1},
		{1, 1, 0, 0, 1},
		{2, 1, 1, 0, 1},
		{3, 1, 1, 1, 1},
		{50, 31, 12, 7, 1},
		{100, 60, 25, 15, 1},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprint(tt.n), func(t *testing.T) {
			c, no, r := Counts(tt.n)
			if c != tt.commitments || no != tt.notices || r != tt.ratings {
				t.Errorf("Counts(%d) = %d, %d, %d", tt.n, c, no, r)
			}
			_, files := write(t, tt.n, asOf)
			got := countKinds(files)
			want := map[string]int{"board.toml": 1, "pages": tt.page}
			if tt.commitments > 0 {
				want["commitments"] = tt.commitments
			}
			if tt.notices > 0 {
				want["notices"] = tt.notices
			}
			if tt.ratings > 0 {
				want["ratings"] = tt.ratings
			}
			if fmt.Sprint(got) != fmt.Sprint(want) {
				t.Errorf("files per kind = %v, want %v", got, want)
			}
			if _, ok := files["content/pages/about.md"]; !ok {
				t.Error("no content/pages/about.md")
			}
		})
	}
}

func TestRefusesNonEmptyDir(t *testing.T) {
	dir := t.TempDir()
	if err := Write(dir, 3, asOf); err != nil {
		t.Fatalf("empty dir: %v", err)
	}
	if err := Write(dir, 3, asOf); err == nil || !strings.Contains(err.Error(), "not empty") {
		t.Fatalf("second Write into %s: %v, want a 'not empty' error", dir, err)
	}
	file := filepath.Join(t.TempDir(), "f")
	os.WriteFile(file, nil, 0o644)
	if err := Write(file, 3, asOf); err == nil {
		t.Fatal("Write into a file succeeded")
	}
	if err := Write(filepath.Join(t.TempDir(), "x"), -1, asOf); err == nil {
		t.Fatal("negative n accepted")
	}
}

func TestTOMLSyntax(t *testing.T) {
	for _, n := range []int{0, 3, 50} {
		_, files := write(t, n, asOf)
		for p, data := range files {
			switch {
			case strings.HasSuffix(p, ".toml"):
				var m map[string]any
				if _, err := toml.Decode(string(data), &m); err != nil {
					t.Errorf("n=%d %s: %v", n, p, err)
				}
			case strings.HasSuffix(p, ".md"):
				parts := strings.SplitN(string(data), "+++\n", 3)
				if len(parts) != 3 || parts[0] != "" {
					t.Errorf("%s: no +++ front matter", p)
					continue
				}
				var m map[string]any
				if _, err := toml.Decode(parts[1], &m); err != nil {
					t.Errorf("%s front matter: %v", p, err)
				}
				if m["title"] == nil || m["weight"] == nil {
					t.Errorf("%s front matter lacks title or weight: %v", p, m)
				}
			default:
				t.Errorf("unexpected file %s", p)
			}
		}
	}
}

func TestPrivateOnlyInPrivateTables(t *testing.T) {
	_, files := write(t, 300, asOf)
	found := 0
	for p, data := range files {
		table := ""
		sc := bufio.NewScanner(bytes.NewReader(data))
		for line := 1; sc.Scan(); line++ {
			l := strings.TrimSpace(sc.Text())
			if strings.HasPrefix(l, "[") {
				table = l
			}
			if strings.Contains(l, "PRIVATE-") {
				found++
				if table != "[candidates.private]" || !(strings.HasPrefix(l, "id_number = ") || strings.HasPrefix(l, "phone = ")) {
					t.Errorf("%s:%d: PRIVATE- outside a [candidates.private] table (in %q): %s", p, line, table, l)
				}
			}
		}
	}
	if found == 0 {
		t.Fatal("no private markers written at all")
	}
}

// TestFolderLimit checks the spreading of records over folders without
// writing thousands of files.
func TestFolderLimit(t *testing.T) {
	g := &gen{dir: t.TempDir(), made: map[string]bool{}, perDir: map[string]int{}}
	dirs := map[string]int{}
	for i := range 2*maxPerFolder + 5 {
		p, err := g.recordPath("commitments", "xinfang", 2019, fmt.Sprintf("c-%06d", i))
		if err != nil {
			t.Fatal(err)
		}
		rel, _ := filepath.Rel(g.dir, filepath.Dir(p))
		dirs[filepath.ToSlash(rel)]++
	}
	want := map[string]int{
		"content/commitments/xinfang/2019":   maxPerFolder,
		"content/commitments/xinfang/2019-2": maxPerFolder,
		"content/commitments/xinfang/2019-3": 5,
	}
	if fmt.Sprint(dirs) != fmt.Sprint(want) {
		t.Errorf("folders = %v, want %v", dirs, want)
	}
}

// TestRecordsFollowSpec decodes every record and checks the rules of SPEC §1
// that a sample must obey, and that the mix of states the demo promises is
// there when built with --now asOf.
func TestRecordsFollowSpec(t *testing.T) {
	const n = 1000
	_, files := write(t, n, asOf)
	today := mkday(asOf.Date())

	allowed := map[string][]string{
		"board":       {"title", "base_url", "language", "timezone", "description", "organization", "units", "objections", "commitments", "notices", "print"},
		"commitments": {"title", "unit", "owner", "made", "due", "status", "progress", "parent", "category", "target", "body", "updates"},
		"updates":     {"date", "note", "status", "progress", "evidence"},
		"notices":     {"title", "issuer", "purpose", "stage", "published", "opens", "closes", "body", "objections", "posted", "outcome", "candidates"},
		"objections":  {"phone", "email", "address", "hours"},
		"posted":      {"date", "where", "photo"},
		"outcome":     {"date", "objections", "summary"},
		"candidates":  {"name", "unit", "gender", "born", "education", "applied", "activist_since", "role", "note", "private"},
		"private":     {"id_number", "phone"},
		"ratings":     {"title", "unit", "period", "rated", "max_stars", "criteria", "previous", "body", "entries"},
		"entries":     {"name", "post", "duty", "stars", "scores", "note"},
	}
	checkKeys := func(p, table string, m map[string]any) {
		for k := range m {
			if !slices.Contains(allowed[table], k) {
				t.Errorf("%s: key %q not allowed in %s", p, k, table)
			}
		}
	}
	idRE := regexp.MustCompile(`^[a-z0-9][a-z0-9-]{0,79}$`)
	date := func(p, key string, v any) day {
		tm, ok := v.(time.Time)
		if !ok || tm.Location().String() != "date-local" {
			t.Errorf("%s: %s = %#v is not a TOML local date", p, key, v)
			return 0
		}
		return mkday(tm.Date())
	}
	str := func(p, key string, m map[string]any) string {
		s, ok := m[key].(string)
		if !ok || s == "" {
			t.Errorf("%s: %s missing or not a string", p, key)
		}
		return s
	}
	tables := func(v any) []map[string]any {
		ts, _ := v.([]map[string]any)
		return ts
	}

	var cfg map[string]any
	if _, err := toml.Decode(string(files["board.toml"]), &cfg); err != nil {
		t.Fatal(err)
	}
	checkKeys("board.toml", "board", cfg)
	unitIDs := map[string]bool{}
	for _, u := range tables(cfg["units"]) {
		unitIDs[u["id"].(string)] = true
	}
	if len(unitIDs) < 15 {
		t.Errorf("only %d units", len(unitIDs))
	}

	type rec struct {
		path string
		m    map[string]any
	}
	byKind := map[string]map[string]rec{"commitments": {}, "notices": {}, "ratings": {}}
	perFolder := map[string]int{}
	for p, data := range files {
		parts := strings.Split(p, "/")
		if len(parts) < 3 || parts[0] != "content" || parts[1] == "pages" {
			continue
		}
		perFolder[filepath.Dir(p)]++
		var m map[string]any
		if _, err := toml.Decode(string(data), &m); err != nil {
			t.Fatalf("%s: %v", p, err)
		}
		id := strings.TrimSuffix(parts[len(parts)-1], ".toml")
		if !idRE.MatchString(id) {
			t.Errorf("%s: bad id", p)
		}
		if _, dup := byKind[parts[1]][id]; dup {
			t.Errorf("%s: duplicate id", p)
		}
		byKind[parts[1]][id] = rec{p, m}
	}
	for f, c := range perFolder {
		if c > maxPerFolder {
			t.Errorf("%s holds %d files", f, c)
		}
	}

	// Commitments.
	statuses := []string{"planned", "in-progress", "stalled", "done", "partial", "missed", "dropped"}
	overdue, parents := 0, 0
	for id, r := range byKind["commitments"] {
		p, m := r.path, r.m
		checkKeys(p, "commitments", m)
		str(p, "title", m)
		str(p, "owner", m)
		if !unitIDs[str(p, "unit", m)] {
			t.Errorf("%s: unknown unit", p)
		}
		made, due := date(p, "made", m["made"]), date(p, "due", m["due"])
		if due < made || made > today {
			t.Errorf("%s: made %v due %v", p, made, due)
		}
		status := str(p, "status", m)
		if !slices.Contains(statuses, status) {
			t.Errorf("%s: status %q", p, status)
		}
		if pr, ok := m["progress"].(int64); ok && (pr < 0 || pr > 100 || status == "done" && pr != 100) {
			t.Errorf("%s: progress %d with status %s", p, pr, status)
		}
		if today > due && slices.Contains([]string{"planned", "in-progress", "stalled"}, status) {
			overdue++
		}
		if par, ok := m["parent"].(string); ok {
			parents++
			if _, exists := byKind["commitments"][par]; !exists || par >= id {
				t.Errorf("%s: parent %q must be an earlier commitment", p, par)
			}
		}
		prev := made
		for _, u := range tables(m["updates"]) {
			checkKeys(p, "updates", u)
			d := date(p, "date", u["date"])
			if d < prev || d > today {
				t.Errorf("%s: update date %v out of order or after asOf", p, d)
			}
			prev = d
			str(p, "note", u)
			if s, ok := u["status"].(string); ok && !slices.Contains(statuses, s) {
				t.Errorf("%s: update status %q", p, s)
			}
		}
	}
	if overdue == 0 || parents == 0 {
		t.Errorf("overdue = %d, with parent = %d; want some of each", overdue, parents)
	}

	// Notices.
	states := map[string]int{}
	for id, r := range byKind["notices"] {
		p, m := r.path, r.m
		checkKeys(p, "notices", m)
		str(p, "title", m)
		str(p, "issuer", m)
		if !slices.Contains([]string{"membership", "appointment", "election", "award", "other"}, str(p, "purpose", m)) {
			t.Errorf("%s: purpose %v", p, m["purpose"])
		}
		pub, opens, closes := date(p, "published", m["published"]), date(p, "opens", m["opens"]), date(p, "closes", m["closes"])
		if pub > opens || opens > closes {
			t.Errorf("%s: published %v opens %v closes %v", p, pub, opens, closes)
		}
		if opens.weekday() != 1 || closes-opens < 6 {
			t.Errorf("%s: window %v..%v must start on a Monday and last 7 days or more", p, opens, closes)
		}
		switch {
		case pub > today:
			states["scheduled"]++
		case today < opens:
			states["upcoming"]++
		case today <= closes:
			states["open"]++
		case today > closes+30:
			states["redacted"]++
		default:
			states["closed"]++
		}
		for _, sub := range []string{"objections", "posted", "outcome"} {
			if st, ok := m[sub].(map[string]any); ok {
				checkKeys(p, sub, st)
			}
		}
		if o, ok := m["outcome"].(map[string]any); ok {
			if d := date(p, "outcome.date", o["date"]); d <= closes || d > today {
				t.Errorf("%s: outcome dated %v", p, d)
			}
		}
		if ps, ok := m["posted"].(map[string]any); ok && ps["photo"] != nil {
			t.Errorf("%s: posted.photo would need a file under static/", p)
		}
		cands := tables(m["candidates"])
		if len(cands) < 1 || len(cands) > 6 {
			t.Errorf("%s: %d candidates", p, len(cands))
		}
		for i, c := range cands {
			checkKeys(p, "candidates", c)
			str(p, "name", c)
			if !unitIDs[str(p, "unit", c)] {
				t.Errorf("%s: candidate unit %v", p, c["unit"])
			}
			switch b := c["born"].(type) {
			case int64:
			case string:
				if !regexp.MustCompile(`^\d{4}-\d{2}$`).MatchString(b) {
					t.Errorf("%s: born %q", p, b)
				}
			default:
				t.Errorf("%s: born %#v", p, b)
			}
			priv, _ := c["private"].(map[string]any)
			checkKeys(p, "private", priv)
			if priv["id_number"] != fmt.Sprintf("PRIVATE-MARKER-%s-%d", id, i+1) || priv["phone"] != fmt.Sprintf("PRIVATE-PHONE-%s-%d", id, i+1) {
				t.Errorf("%s: private table %v", p, priv)
			}
		}
	}
	t.Logf("notice states %v; overdue %d parents %d", states, overdue, parents)
	for _, s := range []string{"open", "upcoming", "closed", "redacted"} {
		if states[s] == 0 {
			t.Errorf("no %s notice: %v", s, states)
		}
	}
	if total := len(byKind["notices"]); states["scheduled"]*50 > total {
		t.Errorf("%d of %d notices scheduled, want at most 2%%", states["scheduled"], total)
	}

	// Ratings.
	withCriteria, withPrevious := 0, 0
	for id, r := range byKind["ratings"] {
		p, m := r.path, r.m
		checkKeys(p, "ratings", m)
		str(p, "title", m)
		str(p, "period", m)
		unit := str(p, "unit", m)
		rated := date(p, "rated", m["rated"])
		if rated > today {
			t.Errorf("%s: rated after asOf", p)
		}
		if m["max_stars"] != int64(5) {
			t.Errorf("%s: max_stars %v", p, m["max_stars"])
		}
		crit, hasCrit := m["criteria"].([]any)
		if hasCrit {
			withCriteria++
		}
		if prev, ok := m["previous"].(string); ok {
			withPrevious++
			pr, exists := byKind["ratings"][prev]
			if !exists || prev >= id || pr.m["unit"] != unit || date(p, "previous.rated", pr.m["rated"]) >= rated {
				t.Errorf("%s: previous %q must be an earlier rating of %s", p, prev, unit)
			}
		}
		entries := tables(m["entries"])
		if len(entries) < 3 || len(entries) > 15 {
			t.Errorf("%s: %d entries", p, len(entries))
		}
		for _, e := range entries {
			checkKeys(p, "entries", e)
			str(p, "name", e)
			str(p, "post", e)
			if hasCrit {
				sc, _ := e["scores"].([]any)
				if e["stars"] != nil || len(sc) != len(crit) {
					t.Errorf("%s: entry with criteria: stars %v scores %v", p, e["stars"], e["scores"])
				}
				for _, s := range sc {
					if v, _ := s.(int64); v < 0 || v > 5 {
						t.Errorf("%s: score %v", p, s)
					}
				}
			} else if s, ok := e["stars"].(int64); !ok || s < 0 || s > 5 || e["scores"] != nil {
				t.Errorf("%s: entry stars %v scores %v", p, e["stars"], e["scores"])
			}
		}
	}
	if withCriteria == 0 || withCriteria == len(byKind["ratings"]) || withPrevious == 0 {
		t.Errorf("ratings: %d with criteria, %d with previous, of %d", withCriteria, withPrevious, len(byKind["ratings"]))
	}
}

func BenchmarkWrite(b *testing.B) {
	for b.Loop() {
		if err := Write(filepath.Join(b.TempDir(), "board"), 10000, asOf); err != nil {
			b.Fatal(err)
		}
	}
}
